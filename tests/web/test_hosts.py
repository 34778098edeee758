"""Host names and origins (web/hosts.py): DNS rebinding and other sites' pages are refused."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from footcoach.config import load_settings
from footcoach.domain.errors import InvalidInputError
from footcoach.web.app import create_app
from footcoach.web.hosts import host_name, origin_of
from tests.web.conftest import TODAY
from tests.web.multi_user import (
    build,
    multi_fixture,  # noqa: F401
)
from tests.web.test_api import problem

CHECKIN = json.dumps({"date": TODAY.isoformat(), "first_step_pain": 3})


def _checkins(client) -> int:
    return len(client.services.tracking.snapshot("default").diary.checkins)


# local mode: this machine's names only ---------------------------------------------------


@pytest.mark.parametrize(
    "host",
    ["rebind.attacker.example", "rebind.attacker.example:8000", "127.0.0.1.nip.io", "", "a b"],
)
def test_local_mode_refuses_any_host_name_but_this_machines(person, host):
    """What a page on another site reaches after pointing its own name at 127.0.0.1."""
    answer = person.get("/api/v1/export", headers={"host": host})
    body = problem(answer, 400)
    assert body["type"] == "/problems/unknown-host"
    assert "local mode" in body["detail"]
    assert "profile" not in answer.text


def test_a_page_of_another_host_name_is_refused_too_and_nothing_is_written(person):
    page = person.get("/today", headers={"host": "rebind.attacker.example"})
    assert page.status_code == 400
    posted = person.post(
        "/api/v1/checkins",
        content=CHECKIN,
        headers={"host": "rebind.attacker.example", "content-type": "application/json"},
    )
    assert posted.status_code == 400
    assert _checkins(person) == 0


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:8000", "[::1]", "[::1]:8000"]
)
def test_local_mode_answers_this_machines_names_with_or_without_a_port(person, host):
    answer = person.get("/api/v1/today", headers={"host": host})
    assert answer.status_code == 200, answer.text


# unsafe requests from other sites ----------------------------------------------------------


def test_a_post_from_another_site_is_refused_whatever_its_content_type(person):
    """The reproducer: text/plain needs no CORS preflight, and no Sec-Fetch-Site was sent."""
    answer = person.post(
        "/api/v1/checkins",
        content=CHECKIN,
        headers={"origin": "https://evil.example", "content-type": "text/plain"},
    )
    body = problem(answer, 403)
    assert "another site" in body["detail"] and "https://evil.example" in body["detail"]
    assert _checkins(person) == 0


@pytest.mark.parametrize(
    "origin",
    [
        "null",
        "http://127.0.0.1:8000",  # another port of this machine: another origin
        "https://127.0.0.1",  # another scheme
        "http://localhost",  # another name of this machine
        "http://127.0.0.1.evil.example",
    ],
)
def test_any_origin_but_the_servers_own_is_refused(person, origin):
    answer = person.post(
        "/api/v1/checkins",
        content=CHECKIN,
        headers={"origin": origin, "content-type": "application/json"},
    )
    problem(answer, 403)
    assert _checkins(person) == 0


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        ("127.0.0.1", "http://127.0.0.1"),
        ("127.0.0.1", "http://127.0.0.1:80"),
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("localhost:8000", "http://LOCALHOST:8000"),
        ("[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_the_servers_own_origin_is_accepted(person, host, origin):
    answer = person.post(
        "/api/v1/checkins",
        content=CHECKIN,
        headers={"host": host, "origin": origin, "content-type": "application/json"},
    )
    assert answer.status_code == 201, answer.text


def test_without_origin_a_referer_from_another_site_is_refused(person):
    answer = person.post(
        "/api/v1/checkins",
        content=CHECKIN,
        headers={"referer": "https://evil.example/page", "content-type": "application/json"},
    )
    problem(answer, 403)
    own = person.post(
        "/api/v1/checkins",
        content=CHECKIN,
        headers={"referer": "http://127.0.0.1/today", "content-type": "application/json"},
    )
    assert own.status_code == 201, own.text


def test_a_client_that_sends_neither_origin_nor_referer_is_served(person):
    """curl and scripts: web/auth.py's Sec-Fetch-Site rule is what is left for them."""
    answer = person.post(
        "/api/v1/checkins", content=CHECKIN, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 201, answer.text


def test_a_form_from_another_site_gets_a_page_and_reads_are_not_refused(person):
    answer = person.post(
        "/checkin", data={"first_step_pain": "3"}, headers={"origin": "https://evil.example"}
    )
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("text/html")
    assert _checkins(person) == 0
    read = person.get("/api/v1/today", headers={"origin": "https://evil.example"})
    assert read.status_code == 200


def test_an_item_save_answered_before_routing_is_refused_from_another_site(person):
    from tests.web.test_api_sessions import full_item, start

    session = start(person)
    url = f"/api/v1/sessions/{session['id']}/items"
    refused = person.post(
        url, json=full_item(session, 0), headers={"origin": "https://evil.example"}
    )
    problem(refused, 403)
    again = person.post(url, json=full_item(session, 0))
    assert again.status_code == 201  # new: the refused one was not saved


# multi-user mode: the configured names -----------------------------------------------------


def test_multi_user_mode_answers_its_configured_names_only(multi):
    """The fixture lists testserver, the test client's name, in allowed_hosts."""
    ann = multi.actor("ann@example.org")
    assert ann.client.get("/api/v1/today").status_code == 200
    assert ann.client.get("/api/v1/today", headers={"host": "127.0.0.1:8000"}).status_code == 200
    answer = ann.client.get("/api/v1/export", headers={"host": "rebind.attacker.example"})
    body = problem(answer, 400)
    assert "FOOTCOACH_ALLOWED_HOSTS" in body["detail"]


@pytest.fixture
def other_names(database_url, clock):
    """Multi-user apps on one database, each with its own allowed_hosts: a client each."""
    world = build(database_url, clock)
    clients: list[TestClient] = []

    def client(allowed: tuple[str, ...], base_url: str) -> TestClient:
        settings = replace(world.app.state.settings, allowed_hosts=allowed)
        made = TestClient(create_app(settings, world.services), base_url=base_url)
        clients.append(made.__enter__())
        return made

    yield client
    for made in clients:
        made.__exit__(None, None, None)
    world.close()
    world.services.close()


def test_without_allowed_hosts_multi_user_mode_answers_this_machines_names(other_names):
    client = other_names((), "http://127.0.0.1:8000")
    assert client.get("/login").status_code == 200
    assert client.get("/login", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/login", headers={"host": "clinic.example"}).status_code == 400


def test_a_star_accepts_any_host_name(other_names):
    client = other_names(("*",), "http://any.example")
    assert client.get("/login").status_code == 200


def test_multi_user_mode_checks_origin_even_with_the_csrf_token(multi):
    ann = multi.actor("ann@example.org")
    body = {"date": TODAY.isoformat(), "first_step_pain": 3}
    headers = {"X-CSRF-Token": ann.csrf}
    refused = ann.client.post(
        "/api/v1/checkins", json=body, headers={**headers, "origin": "https://evil.example"}
    )
    problem(refused, 403)
    own = ann.client.post(
        "/api/v1/checkins", json=body, headers={**headers, "origin": "http://testserver"}
    )
    assert own.status_code == 201, own.text


# settings and parsing ----------------------------------------------------------------------


def test_allowed_hosts_are_read_from_the_environment():
    found = load_settings({"FOOTCOACH_ALLOWED_HOSTS": " Clinic.Example., [2001:db8::1],10.0.0.7"})
    assert found.allowed_hosts == ("clinic.example", "2001:db8::1", "10.0.0.7")
    assert load_settings({}).allowed_hosts == ()


@pytest.mark.parametrize("value", ["https://clinic.example", "clinic.example:443", "a/b", "a b"])
def test_an_allowed_host_that_is_no_host_name_is_named(value):
    with pytest.raises(InvalidInputError) as caught:
        load_settings({"FOOTCOACH_ALLOWED_HOSTS": f"ok.example,{value}"})
    (found,) = caught.value.problems
    assert found.field == "FOOTCOACH_ALLOWED_HOSTS"
    assert found.value == value


def test_host_names_and_origins_are_read_as_browsers_write_them():
    assert host_name("LocalHost:8000") == ("localhost", 8000)
    assert host_name("[::1]") == ("::1", None)
    assert host_name("127.0.0.1@evil.example") is None
    assert host_name("127.0.0.1:99999") is None
    assert origin_of("https://Clinic.Example") == ("https", "clinic.example", 443)
    assert origin_of("http://[::1]:8000/today?x=1") == ("http", "::1", 8000)
    assert origin_of("null") is None
