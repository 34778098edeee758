"""The daily loop on both databases: a session whose planned items are all saved is done in
every view, rated or not (the rating can come later); a check-in can be corrected, the change is
kept for the clinician and the pain monitor reads the new value."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.diary import ItemRecord
from footcoach.domain.errors import InvalidInputError, UnknownIdError
from footcoach.services.diary_view import diary_view
from footcoach.services.progress import progress_for
from footcoach.services.progress_view import progress_view
from footcoach.services.tracking import SessionState
from tests.factories import intake
from tests.support.clock import FixedClock

START = date(2026, 11, 23)


@pytest.fixture
def clock():
    return FixedClock(START)


@pytest.fixture
def services(database_url, clock):
    svc = build_services(Settings(database_url=database_url), clock=clock)
    svc.tracking.init("anna", intake(first_step_pain=2), start=START)
    yield svc
    svc.close()


def _item(position: int, exercise: str, skipped: bool = False) -> ItemRecord:
    at = datetime(2026, 11, 23, 9, position, tzinfo=UTC)
    return ItemRecord(position, exercise, 1, 0 if skipped else 10, 30, skipped, at)


def _save_all_but(services, slot: str, leave_out: int = 0):
    opened = services.tracking.start_session("anna", slot)
    items = opened.planned.items
    for position, item in enumerate(items[: len(items) - leave_out]):
        services.tracking.record_item(opened.id, _item(position, item.exercise, position == 0))
    return opened


def _state(services, slot: str) -> SessionState:
    today = services.tracking.today("anna")
    return {s.session.slot.value: s.state for s in today.sessions}[slot]


def test_a_session_with_every_planned_item_saved_is_done_everywhere_without_a_rating(services):
    _save_all_but(services, "daytime")
    assert _state(services, "daytime") is SessionState.DONE
    today = services.tracking.today("anna")
    assert not {s.session.slot.value: s.rated for s in today.sessions}["daytime"]
    diary = diary_view(services.tracking, "anna")
    assert [s.done for s in diary.sessions] == [True]
    assert progress_for(services.tracking, "anna").adherence.done == 1
    view = progress_view(services.tracking, "anna")
    assert view.progress.adherence.done == 1
    calendar_days = [d for w in view.calendar for d in w.days if d.day == START]
    assert [d.done for d in calendar_days] == [1]
    assert services.tracking.export("anna")[1].sessions[0].completed  # as stored, and backed up


def test_a_session_with_an_item_left_is_still_under_way(services):
    _save_all_but(services, "daytime", leave_out=1)
    assert _state(services, "daytime") is SessionState.IN_PROGRESS
    assert progress_for(services.tracking, "anna").adherence.done == 0


def test_the_rating_can_come_later_and_is_kept(services):
    _save_all_but(services, "daytime")
    assert services.tracking.rate_session("anna", "daytime", 3, 5)
    record = services.tracking.export("anna")[1].sessions[0]
    assert (record.done, record.pain_during, record.effort) == (True, 3, 5)
    assert record.finished_at is not None
    today = services.tracking.today("anna")
    assert {s.session.slot.value: s.rated for s in today.sessions}["daytime"]
    assert not services.tracking.rate_session("anna", "daytime", 4, 4)  # nothing left to rate


def test_a_session_not_done_cannot_be_rated(services):
    _save_all_but(services, "daytime", leave_out=1)
    assert not services.tracking.rate_session("anna", "daytime", 3, 5)
    assert services.tracking.export("anna")[1].sessions[0].pain_during is None


def test_a_correction_changes_the_value_keeps_the_trail_and_reaches_the_monitor(services, clock):
    services.tracking.checkin("anna", 9)
    before = services.tracking.revision("anna")
    program = services.tracking.correct_checkin("anna", 2)
    assert services.tracking.today("anna").checkin.first_step_pain == 2
    assert services.tracking.revision("anna")[1] > before[1]
    trail = services.tracking.corrections("anna")
    assert [(c.day, c.was, c.now, c.who) for c in trail] == [(START, 9, 2, "anna")]
    assert program is not None
    # the monitor reads 2, not 9: the mean of the intake's 2 and this 2 keeps loading open
    assert services.tracking.snapshot("anna").program.adjustment.action.value != "pause"


def test_a_past_days_check_in_can_be_corrected(services, clock):
    services.tracking.checkin("anna", 5)
    clock.day = START + timedelta(days=1)
    services.tracking.correct_checkin("anna", 4, START)
    checkins = services.tracking.export("anna")[1].checkins
    assert [(c.day, c.first_step_pain) for c in checkins] == [(START, 4)]


def test_correcting_a_day_without_a_check_in_writes_nothing(services):
    before = services.tracking.revision("anna")
    with pytest.raises(UnknownIdError) as caught:
        services.tracking.correct_checkin("anna", 3)
    assert "Monday 23 November 2026" in str(caught.value)
    assert services.tracking.corrections("anna") == []
    assert services.tracking.revision("anna") == before


def test_a_bad_value_writes_nothing(services):
    services.tracking.checkin("anna", 5)
    with pytest.raises(InvalidInputError):
        services.tracking.correct_checkin("anna", 11)
    assert services.tracking.today("anna").checkin.first_step_pain == 5
    assert services.tracking.corrections("anna") == []


def test_a_second_check_in_the_same_day_is_refused_and_points_at_a_correction(services):
    services.tracking.checkin("anna", 5)
    with pytest.raises(InvalidInputError) as caught:
        services.tracking.checkin("anna", 6)
    assert "changed instead" in caught.value.problems[0].allowed
