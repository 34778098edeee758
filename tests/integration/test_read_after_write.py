"""A write is never followed by an older view: after a check-in correction, a session done or a
preference saved through one process, the next read through another shows it, whatever that
process kept (its snapshot, its day view, its rendered answers, the planner's day templates).
On both databases, through the services of two processes and through real servers (two
processes, and one with two forked workers)."""

from __future__ import annotations

import json
import os
import urllib.request
from datetime import date

import pytest

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.profile import Preferences
from footcoach.services.settings import preferences
from footcoach.services.tracking import SessionState
from tests.factories import intake
from tests.support.clock import FixedClock
from tests.support.servers import footcoach_server

START = date(2026, 11, 23)


@pytest.fixture
def pair(database_url):
    """Two sets of services on one database: two app processes, each with its own caches."""
    clock = FixedClock(START)
    first = build_services(Settings(database_url=database_url), clock=clock)
    second = build_services(Settings(database_url=database_url), clock=clock)
    first.tracking.init("anna", intake(first_step_pain=3), start=START)
    first.tracking.checkin("anna", 3)
    yield first, second
    first.close()
    second.close()


def test_each_correction_shows_at_once_in_the_other_process(pair):
    writer, reader = pair
    for pain in (5, 1, 8, 2, 2, 9, 0):
        reader.tracking.today("anna")  # the reader keeps what it has seen
        reader.tracking.snapshot("anna")
        said = writer.tracking.correct_checkin("anna", pain)
        view = reader.tracking.today("anna")
        assert view.checkin is not None and view.checkin.first_step_pain == pain
        program = reader.tracking.snapshot("anna").program
        assert (program.adjustment, program.clinician_prompt) == (
            said.adjustment,
            said.clinician_prompt,
        )
        # and the writer's own view, built as it answered the write, agrees
        assert writer.tracking.today("anna") == view


def test_a_session_done_elsewhere_is_done_on_the_next_read(pair):
    writer, reader = pair
    before = reader.tracking.today("anna")
    assert {s.state for s in before.sessions} == {SessionState.PENDING}
    slot = before.sessions[0].session.slot.value
    opened = writer.tracking.start_session("anna", slot)
    assert reader.tracking.today("anna").sessions[0].state is SessionState.IN_PROGRESS
    writer.tracking.finish_session(opened.id, True, 2, 3)
    after = reader.tracking.today("anna")
    assert after.sessions[0].state is SessionState.DONE
    assert after.sessions[0].rated


def test_a_preference_saved_elsewhere_is_read_next(pair):
    writer, reader = pair
    assert not reader.tracking.snapshot("anna").profile.preferences.large_text
    assert not preferences(reader.tracking, "anna").large_text  # from the kept snapshot
    writer.tracking.set_preferences("anna", Preferences(voice=False, large_text=True))
    assert preferences(reader.tracking, "anna").large_text  # every page's large-text check
    assert reader.tracking.snapshot("anna").profile.preferences.large_text
    assert preferences(reader.tracking, "nobody") == Preferences()


def _get(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return dict(json.loads(answer.read()))


def _put(url: str, body: dict[str, object]) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return int(answer.status)


@pytest.mark.parametrize("layout", ["two servers", "one server, two workers"])
def test_real_servers_never_answer_a_read_older_than_the_write_before_it(database_url, layout):
    services = build_services(Settings(database_url=database_url))
    try:
        services.tracking.init("default", intake(first_step_pain=4))
        services.tracking.checkin("default", 4)
        today = services.clock.today().isoformat()
    finally:
        services.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTCOACH_")}
    env.update(FOOTCOACH_DATABASE_URL=database_url, FOOTCOACH_PROFILE="default")
    workers = ["--workers", "2"] if layout == "one server, two workers" else []
    with footcoach_server(workers, env) as one, footcoach_server([], env) as two:
        bases = [one, two] if layout == "two servers" else [one, one]
        for n, pain in enumerate((6, 2, 7, 7, 1, 9, 3, 0, 5, 8)):
            writer, reader = bases[n % 2], bases[(n + 1) % 2]
            _get(f"{reader}/api/v1/today")  # the reader keeps an answer at the old revision
            _get(f"{reader}/api/v1/program")
            assert _put(f"{writer}/api/v1/checkins/{today}", {"first_step_pain": pain}) == 200
            seen = _get(f"{reader}/api/v1/today")
            assert seen["checkin"] == {"first_step_pain": pain}
            program = _get(f"{reader}/api/v1/program")
            assert program["adjustment"] == seen["adjustment"]
