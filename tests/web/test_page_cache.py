"""Today's page and the hot JSON reads are kept per worker, and never outlive a write."""

from __future__ import annotations

import pytest

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from tests.web.test_query_counts import statements


@pytest.fixture
def other_process(database_url, clock):
    """Services of a second app process on the same database, with caches of its own."""
    services = build_services(Settings(database_url=database_url), clock=clock)
    yield services
    services.close()


def test_a_check_in_made_elsewhere_shows_on_the_next_read(person, other_process):
    page = person.get("/today")
    assert "How much did your first steps hurt" in page.text
    assert person.get("/api/v1/today").json()["checkin"] is None
    other_process.tracking.checkin("default", 7)
    assert "First-step pain this morning: <strong>7/10</strong>" in person.get("/today").text
    assert person.get("/api/v1/today").json()["checkin"]["first_step_pain"] == 7


def test_the_program_follows_a_session_finished_elsewhere(person, other_process):
    # a calm morning first, so that loading is not paused and the session's pain decides
    other_process.tracking.checkin("default", 1)
    before = person.get("/api/v1/program").json()
    assert before["adjustment"] is None or before["adjustment"]["action"] != "regress"
    opened = other_process.tracking.start_session("default", "daytime")
    other_process.tracking.finish_session(opened.id, True, 9, 9)
    after = person.get("/api/v1/program").json()
    assert after["adjustment"]["action"] == "regress"


def test_an_unchanged_page_costs_one_read(person, monkeypatch):
    database = person.services.database
    read = database.revision_async  # local mode reads it on the event loop
    reads: list[str] = []

    async def counted(name: str):
        reads.append(name)
        return await read(name)

    monkeypatch.setattr(database, "revision_async", counted)
    first = person.get("/today")
    reads.clear()
    with statements(person.services.database.engine) as seen:
        again = person.get("/today")
    assert again.text == first.text
    assert seen == []  # nothing through SQLAlchemy: only the bare revision read
    assert reads == ["default"]


def test_a_day_later_the_page_is_drawn_for_that_day(person, clock):
    from datetime import timedelta

    assert person.get("/api/v1/today").json()["date"] == "2026-11-23"
    clock.day = clock.day + timedelta(days=1)
    assert person.get("/api/v1/today").json()["date"] == "2026-11-24"


def test_local_mode_answers_an_unchanged_read_before_routing(person, monkeypatch):
    first = person.get("/api/v1/program")

    def no_routing(*args, **kwargs):
        raise AssertionError("the request reached the routes")

    monkeypatch.setattr(person.app.state.page_cache, "answer", no_routing)
    again = person.get("/api/v1/program")
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    with pytest.raises(AssertionError, match="reached the routes"):
        person.get("/api/v1/today?date=2026-11-23")  # a query string goes the usual way
