"""Views cached by a profile's revision: every write that a view reads raises it, in any process."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest

from footcoach.adapters.db.unit_of_work import Database
from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.diary import Instrument, ItemRecord, QuestionnaireResponse
from footcoach.domain.profile import Preferences
from footcoach.services.tracking import SessionState
from tests.factories import intake
from tests.support.clock import FixedClock

START = date(2026, 11, 23)


@pytest.fixture
def clock():
    return FixedClock(START)


@pytest.fixture
def pair(database_url, clock):
    """Two sets of services on one database: two app processes, each with its own caches."""
    first = build_services(Settings(database_url=database_url), clock=clock)
    second = build_services(Settings(database_url=database_url), clock=clock)
    first.tracking.init("anna", intake(first_step_pain=2), start=START)
    yield first, second
    first.close()
    second.close()


def test_each_kind_of_write_raises_the_revision_except_item_saves(pair, clock):
    tracking = pair[0].tracking
    seen = [tracking.revision("anna")[1]]

    def moved() -> bool:
        seen.append(tracking.revision("anna")[1])
        return seen[-1] > seen[-2]

    tracking.checkin("anna", 4)
    assert moved()
    opened = tracking.start_session("anna", "daytime")
    assert moved()
    item = opened.planned.items[0]
    tracking.record_item(opened.id, ItemRecord(0, item.exercise, 1, 1, 10, False, clock.now()))
    assert not moved()
    tracking.finish_session(opened.id, True, 3, 4)
    assert moved()
    tracking.record_questionnaire(
        "anna", QuestionnaireResponse(Instrument.FFI, START, tuple([3] * 23))
    )
    assert moved()
    tracking.set_preferences("anna", Preferences(voice=False, large_text=True))
    assert moved()


def test_a_write_by_another_process_is_seen_at_once(pair):
    first, second = pair
    before = first.tracking.today("anna")
    assert before.checkin is None
    assert first.tracking.today("anna") is before  # served from the cache while nothing moved
    second.tracking.checkin("anna", 3)  # calm enough that the session's pain decides
    after = first.tracking.today("anna")
    assert after.checkin is not None and after.checkin.first_step_pain == 3
    opened = second.tracking.start_session("anna", "daytime")
    states = {s.session.slot.value: s.state for s in first.tracking.today("anna").sessions}
    assert states["daytime"] is SessionState.IN_PROGRESS
    second.tracking.finish_session(opened.id, True, 9, 9)  # a flare: the monitor steps back
    assert first.tracking.snapshot("anna").program.adjustment.action.value == "regress"


def test_the_cached_day_is_the_day_asked_for(pair):
    tracking = pair[0].tracking
    monday = tracking.today("anna", START)
    tuesday = tracking.today("anna", date(2026, 11, 24))
    assert (monday.day, tuesday.day) == (START, date(2026, 11, 24))


def test_a_new_database_opened_by_many_threads_at_once_works_for_all(database_url):
    db = Database(database_url)
    errors: list[BaseException] = []
    gate = threading.Barrier(8)

    def first_use() -> None:
        try:
            gate.wait()
            with db.unit_of_work() as uow:
                uow.profiles.names()
        except BaseException as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.dispose()
    assert errors == []


def test_requests_that_miss_together_wait_for_one_build(pair, monkeypatch):
    tracking = pair[1].tracking  # its cache is empty
    plan = tracking.planning.plan
    builds: list[int] = []

    def counted(*args, **kwargs):
        builds.append(1)
        time.sleep(0.05)  # long enough for every other thread to ask meanwhile
        return plan(*args, **kwargs)

    monkeypatch.setattr(tracking.planning, "plan", counted)
    gate = threading.Barrier(8)
    seen: list[object] = []

    def read() -> None:
        gate.wait()
        snapshot = tracking.snapshot("anna")
        seen.append(snapshot)
        assert snapshot.program.weeks  # the twelve weeks, planned when first asked for

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len({id(s) for s in seen}) == 1
