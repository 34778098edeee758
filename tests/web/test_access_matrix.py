"""Who may do what, for every route of the app in multi-user mode.

MATRIX holds one row per route template and method, with the expected outcome for each of six
people: anonymous, the owner (a person whose data the ids name), another person, a clinician
linked to the owner, a clinician not linked to them, and an admin. The test reads the app's
routes and fails on any route missing from the matrix, or any row the app no longer has.

Outcomes:
- OK: the route ran. A 2xx; a 3xx to anywhere but the login page or /clinic; or a 409/422
  about the request's content (which comes after the access checks).
- LOGIN: a 303 to /login (anonymous pages).
- CLINIC: a 303 to /clinic (a clinician's or admin's home, e.g. from a person's page).
- 401 (API, anonymous), 403 (wrong role), 404 (an id that is not theirs: the same answer as
  for an id nobody has). On /api/ routes these are problem+json.

Every cell starts from fresh web sessions, and from fresh ids where the row's request uses
them up (a revoked token, a withdrawn invite, a finished session, an undone link).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route

from footcoach.domain.accounts import Role
from footcoach.web.auth import SESSION_COOKIE, csrf_for, sign_session
from tests.web.multi_user import PASSWORD, SECRET, MultiUser, multi_fixture  # noqa: F401

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
INTAKE = json.loads((EXAMPLES / "intake.json").read_text())

ROLES = ("anonymous", "owner", "other", "linked", "unlinked", "admin")
OK, LOGIN, CLINIC = "ok", "login", "clinic"

# the usual rows, by who the route is for
PUBLIC = (OK, OK, OK, OK, OK, OK)
PERSON_PAGE = (LOGIN, OK, OK, CLINIC, CLINIC, CLINIC)
PERSON_FORM = (LOGIN, OK, OK, 403, 403, 403)
PERSON_API = (401, OK, OK, 403, 403, 403)
OWNERS_API = (401, OK, 404, 403, 403, 403)
"""A person's API route naming the owner's record (a session id): other people get 404."""
ANY_PAGE = (LOGIN, OK, OK, OK, OK, OK)
"""Anyone logged in: the library, one's own account."""
ANY_API = (401, OK, OK, OK, OK, OK)
CLINIC_PAGE = (LOGIN, 403, 403, OK, OK, OK)
CLINIC_API = (401, 403, 403, OK, OK, OK)
LINKED_PAGE = (LOGIN, 403, 403, OK, 404, OK)
"""/clinic/people/{owner}: their linked clinician and admins; an unlinked clinician gets 404."""
LINKED_API = (401, 403, 403, OK, 404, OK)


@dataclass(frozen=True)
class Row:
    expect: tuple[Any, ...]
    url: str = ""
    """The URL to request, when not the template itself; may name the ids below."""
    form: dict[str, str] | None = None
    json: Any = None
    fresh: tuple[str, ...] = ()
    """What this row uses up, made anew before each cell: token, invite, session, link, and
    logins (the row's request ends or replaces the web sessions of the people's browsers)."""
    body: Callable[[dict[str, Any]], Any] | None = field(default=None, compare=False)
    """A JSON body that depends on the ids."""


def _item(ids: dict[str, Any]) -> dict[str, Any]:
    return {
        "position": 0,
        "exercise": ids["exercise"],
        "sets_done": 0,
        "reps_done": 0,
        "seconds_done": 0,
        "skipped": True,
    }


MATRIX: dict[tuple[str, str], Row] = {
    # open to all: what the login page itself needs
    ("GET", "/openapi.json"): Row(PUBLIC),
    ("HEAD", "/openapi.json"): Row(PUBLIC),
    ("GET", "/static"): Row(PUBLIC, url="/static/footcoach.css"),
    ("GET", "/sw.js"): Row(PUBLIC),
    ("GET", "/manifest.webmanifest"): Row(PUBLIC),
    ("GET", "/login"): Row((OK, OK, OK, CLINIC, CLINIC, CLINIC)),
    ("POST", "/login"): Row(
        PUBLIC, form={"email": "{owner_email}", "password": PASSWORD}, fresh=("logins",)
    ),
    ("GET", "/register"): Row((OK, OK, OK, CLINIC, CLINIC, CLINIC)),
    ("POST", "/register"): Row(
        PUBLIC, form={"email": "{fresh_email}", "password": "a long passphrase"}, fresh=("logins",)
    ),
    # a person's own pages
    ("GET", "/"): Row(PERSON_PAGE),
    ("GET", "/today"): Row(PERSON_PAGE),
    ("POST", "/checkin"): Row(PERSON_FORM, form={"first_step_pain": "3"}),
    ("GET", "/program"): Row(PERSON_PAGE),
    ("POST", "/program/changes"): Row(PERSON_FORM, form={}),
    ("GET", "/welcome"): Row(PERSON_PAGE),
    ("POST", "/welcome"): Row(PERSON_FORM, form={}),
    ("POST", "/welcome/edit"): Row(PERSON_FORM, form={}),
    ("POST", "/welcome/check"): Row(ANY_PAGE, form={"check": "age", "age": "40"}),
    ("GET", "/settings"): Row(PERSON_PAGE),
    ("POST", "/settings/times"): Row(PERSON_FORM, form={"wake_time": "07:00", "bed_time": "22:30"}),
    ("POST", "/settings/preferences"): Row(PERSON_FORM, form={"voice": "1"}),
    ("GET", "/settings/export"): Row(PERSON_PAGE),
    ("POST", "/settings/import"): Row(PERSON_FORM, form={}),
    ("GET", "/session/{slot}"): Row(PERSON_PAGE, url="/session/daytime"),
    ("POST", "/session/{slot}/done"): Row(PERSON_FORM, url="/session/daytime/done", form={}),
    ("GET", "/diary"): Row(PERSON_PAGE),
    ("GET", "/questionnaires/{instrument}"): Row(PERSON_PAGE, url="/questionnaires/ffi"),
    ("POST", "/questionnaires/{instrument}"): Row(PERSON_FORM, url="/questionnaires/ffi", form={}),
    ("GET", "/questionnaires/{instrument}/result"): Row(
        PERSON_PAGE, url="/questionnaires/ffi/result"
    ),
    ("GET", "/progress"): Row(PERSON_PAGE),
    ("GET", "/handout.pdf"): Row(PERSON_PAGE),
    ("POST", "/settings/calendar"): Row(PERSON_FORM, form={}),
    ("POST", "/settings/calendar/stop"): Row(PERSON_FORM, form={}),
    # a calendar feed is opened by its secret link alone, not by a login: one nobody has is 404
    ("GET", "/calendar/{token}.ics"): Row((404,) * 6, url="/calendar/no-such-link.ics"),
    # the library: anyone logged in
    ("GET", "/library"): Row(ANY_PAGE),
    ("GET", "/library/{key}"): Row(ANY_PAGE, url="/library/plantar-fascia-stretch"),
    # the account: anyone logged in, on their own account only
    ("POST", "/logout"): Row((LOGIN, OK, OK, OK, OK, OK), form={}, fresh=("logins",)),
    ("POST", "/logout-everywhere"): Row((LOGIN, OK, OK, OK, OK, OK), form={}, fresh=("logins",)),
    ("GET", "/settings/account"): Row(ANY_PAGE),
    ("POST", "/settings/account/password"): Row(
        ANY_PAGE,
        form={"current_password": PASSWORD, "new_password": PASSWORD},
        fresh=("logins",),
    ),
    ("POST", "/settings/account/tokens"): Row(ANY_PAGE, form={"name": "a script"}),
    ("POST", "/settings/account/tokens/{token_id}/revoke"): Row(
        (LOGIN, OK, 404, 404, 404, 404), form={}, fresh=("token",)
    ),
    ("POST", "/settings/account/invite"): Row(PERSON_FORM, form={"code": "0000"}),
    ("POST", "/settings/account/clinicians/{clinician_id}/unlink"): Row(
        (LOGIN, OK, 404, 403, 403, 403), form={}, fresh=("link",)
    ),
    # the clinic
    ("GET", "/clinic"): Row(CLINIC_PAGE),
    ("POST", "/clinic/invites"): Row((LOGIN, 403, 403, OK, OK, 403), form={}),
    ("POST", "/clinic/invites/{invite_id}/withdraw"): Row(
        (LOGIN, 403, 403, OK, 404, 404), form={}, fresh=("invite",)
    ),
    ("GET", "/clinic/people/{user_id}"): Row(LINKED_PAGE),
    ("POST", "/clinic/people/{user_id}/changes"): Row(LINKED_PAGE, form={}),
    ("GET", "/clinic/people/{user_id}/handout.pdf"): Row(LINKED_PAGE),
    ("GET", "/api/v1/clinic/people"): Row(CLINIC_API),
    ("GET", "/api/v1/clinic/people/{user_id}/program"): Row(LINKED_API),
    ("GET", "/api/v1/clinic/people/{user_id}/fhir/bundle"): Row(LINKED_API),
    ("POST", "/api/v1/clinic/people/{user_id}/program/changes"): Row(LINKED_API, json={}),
    # the JSON API: the catalog and the stateless planner, for anyone logged in
    ("GET", "/api/v1/exercises"): Row(ANY_API),
    ("GET", "/api/v1/exercises/{exercise_id}"): Row(
        ANY_API, url="/api/v1/exercises/plantar-fascia-stretch"
    ),
    ("GET", "/api/v1/exercises/{exercise_id}/figure.svg"): Row(
        ANY_API, url="/api/v1/exercises/plantar-fascia-stretch/figure.svg"
    ),
    ("GET", "/api/v1/sources"): Row(ANY_API),
    ("GET", "/api/v1/conflicts"): Row(ANY_API),
    ("GET", "/api/v1/protocols"): Row(ANY_API),
    ("GET", "/api/v1/protocols/{protocol_id}"): Row(ANY_API, url="/api/v1/protocols/footcoach"),
    ("POST", "/api/v1/screen"): Row(ANY_API, json=INTAKE),
    ("POST", "/api/v1/plan"): Row(ANY_API, json=INTAKE),
    ("POST", "/api/v1/scores/{instrument}"): Row(ANY_API, url="/api/v1/scores/ffi", json={}),
    ("POST", "/api/v1/scores/ffi"): Row(ANY_API, json={}),
    ("POST", "/api/v1/scores/faam"): Row(ANY_API, json={}),
    # the JSON API: a person's own data
    ("GET", "/api/v1/preferences"): Row(PERSON_API),
    ("GET", "/api/v1/profile"): Row(PERSON_API),
    ("PUT", "/api/v1/profile"): Row(PERSON_API, json=INTAKE),
    ("GET", "/api/v1/program"): Row(PERSON_API),
    ("GET", "/api/v1/program/changes"): Row(PERSON_API),
    ("POST", "/api/v1/program/changes"): Row(PERSON_API, json={}),
    ("GET", "/api/v1/today"): Row(PERSON_API),
    ("POST", "/api/v1/checkins"): Row(PERSON_API, json={"first_step_pain": 3}),
    ("PUT", "/api/v1/checkins/{date}"): Row(
        PERSON_API, url="/api/v1/checkins/2026-11-23", json={"first_step_pain": 3}
    ),
    ("GET", "/api/v1/questionnaires"): Row(PERSON_API),
    ("POST", "/api/v1/questionnaires/{instrument}"): Row(
        PERSON_API, url="/api/v1/questionnaires/ffi", json={}
    ),
    ("POST", "/api/v1/questionnaires/ffi"): Row(PERSON_API, json={}),
    ("POST", "/api/v1/questionnaires/faam"): Row(PERSON_API, json={}),
    ("GET", "/api/v1/export"): Row(PERSON_API),
    ("GET", "/api/v1/export/{name}.csv"): Row(PERSON_API, url="/api/v1/export/checkins.csv"),
    ("GET", "/api/v1/fhir/bundle"): Row(PERSON_API),
    ("GET", "/api/v1/calendar.ics"): Row(PERSON_API),
    ("POST", "/api/v1/import"): Row(PERSON_API, json={}),
    ("GET", "/api/v1/progress"): Row(PERSON_API),
    ("POST", "/api/v1/sessions"): Row(PERSON_API, json={"slot": "daytime"}),
    ("GET", "/api/v1/sessions/{session_id}"): Row(OWNERS_API),
    ("POST", "/api/v1/sessions/{session_id}/items"): Row(
        OWNERS_API, body=_item, fresh=("session",)
    ),
    ("POST", "/api/v1/sessions/{session_id}/finish"): Row(
        OWNERS_API, json={"completed": False, "pain_during": 2, "effort": 3}, fresh=("session",)
    ),
}


def app_routes(app) -> set[tuple[str, str]]:
    """(method, path template) of every route of the app, mounts (static files) as GET."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before 0.13x lists included routes flat
        contexts = list(app.routes)
    else:
        contexts = list(iter_route_contexts(app.routes))
    found: set[tuple[str, str]] = set()
    for context in contexts:
        route = getattr(context, "original_route", context)
        if isinstance(route, Mount):
            found.add(("GET", context.path))
        elif isinstance(route, APIRoute | Route):
            found.update((method, context.path) for method in context.methods)
        else:
            raise AssertionError(f"a route of an unknown kind: {route!r}")
    return found


class World:
    """The six people, their browsers, and the ids the rows ask about."""

    def __init__(self, multi: MultiUser) -> None:
        self.multi = multi
        accounts = multi.services.accounts
        self.users = {
            "owner": multi.user("owner@example.org"),
            "other": multi.user("other@example.org"),
            "linked": multi.user("linked@example.org", Role.CLINICIAN),
            "unlinked": multi.user("unlinked@example.org", Role.CLINICIAN),
            "admin": multi.user("admin@example.org", Role.ADMIN),
        }
        self.clients = {role: multi.client() for role in ROLES}
        self.csrf: dict[str, str] = {}
        self.registered = 0
        self.used_up = False
        self.ids: dict[str, Any] = {
            "owner_email": self.users["owner"].email,
            "user_id": self.users["owner"].id,
            "clinician_id": self.users["linked"].id,
        }
        self.link()
        self.ids["token_id"] = accounts.create_api_token(self.users["owner"].id, "t").token.id
        self.ids["invite_id"] = accounts.create_invite(self.users["linked"].id).invite.id
        self.start_session()

    def link(self) -> None:
        accounts = self.multi.services.accounts
        owner, linked = self.users["owner"], self.users["linked"]
        if not accounts.linked(linked.id, owner.id):
            accounts.redeem_invite(owner.id, accounts.create_invite(linked.id).code)

    def start_session(self) -> None:
        self.log_in_all()
        started = self.clients["owner"].post(
            "/api/v1/sessions",
            json={"slot": "daytime"},
            headers={"X-CSRF-Token": self.csrf["owner"]},
        )
        assert started.status_code in (200, 201), started.text
        self.ids["session_id"] = started.json()["id"]
        self.ids["exercise"] = started.json()["items"][0]["exercise"]

    def log_in_all(self) -> None:
        """A new web session for each person, as a login makes."""
        secret = SECRET.encode()
        for role, client in self.clients.items():
            client.cookies.clear()
            if role == "anonymous":
                continue
            session = self.multi.services.accounts.start_session(self.users[role].id)
            client.cookies.set(SESSION_COOKIE, sign_session(secret, session.token))
            self.csrf[role] = csrf_for(secret, session.token)

    def prepare(self, row: Row) -> None:
        accounts = self.multi.services.accounts
        if "token" in row.fresh:
            token = accounts.create_api_token(self.users["owner"].id, "t")
            self.ids["token_id"] = token.token.id
        if "invite" in row.fresh:
            invite = accounts.create_invite(self.users["linked"].id)
            self.ids["invite_id"] = invite.invite.id
        if "link" in row.fresh:
            self.link()
        if "session" in row.fresh:
            self.start_session()
        if "logins" in row.fresh or self.used_up:
            self.log_in_all()
        self.used_up = "logins" in row.fresh
        self.registered += 1
        self.ids["fresh_email"] = f"new{self.registered}@example.org"

    def request(self, method: str, template: str, row: Row, role: str):
        url = (row.url or template).format(**self.ids)
        headers = {"X-CSRF-Token": self.csrf[role]} if role in self.csrf else {}
        kwargs: dict[str, Any] = {"headers": headers}
        if row.form is not None:
            kwargs["data"] = {k: v.format(**self.ids) for k, v in row.form.items()}
        elif row.body is not None:
            kwargs["json"] = row.body(self.ids)
        elif row.json is not None:
            kwargs["json"] = row.json
        return self.clients[role].request(method, url, **kwargs)


def outcome(response, path: str) -> Any:
    status = response.status_code
    if 300 <= status < 400:
        location = response.headers["location"]
        if location == "/login" or location.startswith("/login?next="):
            return LOGIN
        return CLINIC if location == "/clinic" else OK
    if status < 300 or status in (409, 422):
        return OK
    if path.startswith("/api/") and status in (401, 403, 404):
        assert response.headers["content-type"] == "application/problem+json", path
    return status


def test_every_route_of_the_app_is_in_the_matrix(multi):
    routes = app_routes(multi.app)
    missing = sorted(routes - MATRIX.keys())
    assert not missing, f"routes missing from the access matrix: {missing}"
    gone = sorted(MATRIX.keys() - routes)
    assert not gone, f"rows for routes the app no longer has: {gone}"


def test_every_route_answers_each_person_as_the_matrix_says(multi):
    world = World(multi)
    wrong: list[str] = []
    for (method, template), row in MATRIX.items():
        for role, expected in zip(ROLES, row.expect, strict=True):
            world.prepare(row)
            response = world.request(method, template, row, role)
            got = outcome(response, template)
            if got != expected:
                where = response.headers.get("location", "")
                wrong.append(
                    f"{method} {template} as {role}: expected {expected}, got {got} "
                    f"({response.status_code} {where})"
                )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ["owner", "other"])
def test_a_person_sees_their_own_profile_only(multi, role):
    world = World(multi)
    world.log_in_all()
    export = world.clients[role].get("/api/v1/export").json()
    assert json.dumps(export).count(world.users[role].profile) >= 1
    other = "other" if role == "owner" else "owner"
    assert world.users[other].profile not in json.dumps(export)
