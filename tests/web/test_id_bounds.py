"""Every whole-number id in a URL path is bounded as the database stores ids (web/ids.py).

PostgreSQL's INTEGER ends at 2^31 - 1: a larger id used to reach the driver and come back as a
500 (SQLite just found nothing). Each route with an int path parameter, found by walking the
app's routes, must answer an id of 2^31 as the session routes always have: 422 problem+json.
"""

from __future__ import annotations

import pytest
from fastapi import params
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute

from footcoach.domain.accounts import Role
from footcoach.web.ids import LARGEST_ID
from tests.web.multi_user import multi_fixture  # noqa: F401
from tests.web.test_api import PROBLEM_JSON, problem

TOO_LARGE = [2**31, 10**20]


def id_routes(app) -> list[tuple[str, str, list[str]]]:
    """(method, path template, its int path parameters) of every route with one."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before 0.13x lists included routes flat
        contexts = list(app.routes)
    else:
        contexts = list(iter_route_contexts(app.routes))
    found = []
    for context in contexts:
        route = getattr(context, "original_route", context)
        if not isinstance(route, APIRoute):
            continue
        ints = sorted(
            {
                p.name
                for p in get_flat_params(route.dependant)
                if isinstance(p.field_info, params.Path) and p.field_info.annotation is int
            }
        )
        if ints:
            found.extend((method, context.path, ints) for method in sorted(context.methods))
    return found


def _url(path: str, names: list[str], value: int) -> str:
    for name in names:
        path = path.replace(f"{{{name}}}", str(value))
    return path


def test_the_walk_finds_the_routes_the_issue_named(web):
    paths = {path for _, path, _ in id_routes(web.app)}
    assert {
        "/api/v1/clinic/people/{user_id}/program",
        "/clinic/people/{user_id}",
        "/clinic/invites/{invite_id}/withdraw",
        "/settings/account/tokens/{token_id}/revoke",
        "/settings/account/clinicians/{clinician_id}/unlink",
        "/api/v1/sessions/{session_id}",
    } <= paths


@pytest.mark.parametrize("value", TOO_LARGE)
def test_an_id_past_the_largest_is_invalid_input_on_every_route(multi, value):
    """Asked by a person and by an admin (one of them passes each route's role check, so the
    id's bound is what answers): 422 problem+json naming the id, and never a 5xx for the
    other, whose role is refused first (403)."""
    asking = [
        multi.actor("ann@example.org", Role.PERSON),
        multi.actor("root@clinic.example", Role.ADMIN),
    ]
    routes = id_routes(multi.app)
    assert routes
    for method, path, names in routes:
        url = _url(path, names, value)
        statuses = []
        for actor in asking:
            answer = actor.client.request(
                method,
                url,
                headers={"X-CSRF-Token": actor.csrf, "Accept": "application/json"},
                json={} if method != "GET" else None,
            )
            assert answer.status_code < 500, (method, url, answer.text[:300])
            assert answer.headers["content-type"] == PROBLEM_JSON, (method, url)
            statuses.append(answer.status_code)
            if answer.status_code == 422:
                fields = {e["field"] for e in answer.json()["errors"]}
                assert fields <= set(names), (method, url, fields)
        assert 422 in statuses, (method, url, statuses)


@pytest.mark.parametrize("role", [Role.PERSON, Role.CLINICIAN])
def test_no_route_answers_a_large_id_with_a_server_error_for_anyone(multi, role):
    someone = multi.actor(f"{role.value}@clinic.example", role)
    for method, path, names in id_routes(multi.app):
        url = _url(path, names, 2**31)
        answer = someone.client.request(method, url, headers={"X-CSRF-Token": someone.csrf})
        assert answer.status_code < 500, (method, url, answer.text[:300])


def test_local_mode_answers_a_large_id_as_invalid_input_or_unknown(web):
    """Local mode has no accounts: their routes are 404 before any id is read."""
    for method, path, names in id_routes(web.app):
        url = _url(path, names, 2**31)
        answer = web.request(method, url, headers={"Accept": "application/json"})
        assert answer.status_code in (404, 422), (method, url, answer.status_code)
        assert answer.headers["content-type"] == PROBLEM_JSON


def test_the_largest_id_is_still_an_id(multi):
    """2^31 - 1 passes the bound and is looked up: nobody has it, so 404 as before."""
    clinician = multi.actor("doc@clinic.example", Role.CLINICIAN)
    answer = clinician.client.get(f"/api/v1/clinic/people/{LARGEST_ID}/program")
    problem(answer, 404)
