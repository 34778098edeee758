"""The tracking service on real databases: profiles, check-ins, sessions, backups."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from footcoach.adapters.db.migrate import HEAD, current_revision
from footcoach.adapters.db.unit_of_work import Database
from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.diary import Instrument, ItemRecord, QuestionnaireResponse
from footcoach.domain.errors import InvalidInputError
from footcoach.domain.intake import Goal, PainSite, RedFlag
from footcoach.domain.program import Status
from footcoach.services.tracking import NoProfileError, SessionState
from tests.factories import intake
from tests.support.clock import FixedClock

START = date(2026, 11, 23)


@pytest.fixture
def clock():
    return FixedClock(START)


@pytest.fixture
def services(database_url, clock):
    svc = build_services(Settings(database_url=database_url), clock=clock)
    yield svc
    svc.close()


def test_migrations_bring_a_new_database_to_head(database_url):
    db = Database(database_url)
    _ = db.engine
    assert current_revision(db.engine) == HEAD
    db.dispose()


def test_init_stores_a_profile_and_today_shows_its_sessions(services):
    program = services.tracking.init("anna", intake(first_step_pain=6), start=START)
    assert program.status is Status.OK
    view = services.tracking.today("anna")
    assert view.week == 1 and view.phase == "calm"
    assert view.sessions and all(s.state is SessionState.PENDING for s in view.sessions)
    assert view.checkin_due
    assert set(view.questionnaires_due) == {Instrument.FFI, Instrument.FAAM}


def test_a_referral_stores_nothing(services):
    program = services.tracking.init("bo", intake(red_flags=(RedFlag.FEVER,)), start=START)
    assert program.status is Status.REFER
    assert services.tracking.profiles() == []
    with pytest.raises(NoProfileError):
        services.tracking.today("bo")


def test_init_twice_needs_replace(services):
    services.tracking.init("anna", intake(), start=START)
    with pytest.raises(InvalidInputError):
        services.tracking.init("anna", intake(), start=START)
    services.tracking.init("anna", intake(minutes_per_day=40), start=START, replace_existing=True)
    assert services.tracking.snapshot("anna").profile.intake.minutes_per_day == 40


def test_checkin_once_a_day_and_bad_values_write_nothing(services):
    services.tracking.init("anna", intake(), start=START)
    with pytest.raises(InvalidInputError):
        services.tracking.checkin("anna", 11)
    assert services.tracking.today("anna").checkin is None
    services.tracking.checkin("anna", 5)
    with pytest.raises(InvalidInputError) as err:
        services.tracking.checkin("anna", 4)
    assert "has 5/10 already" in str(err.value)
    assert services.tracking.today("anna").checkin.first_step_pain == 5


def test_a_session_is_saved_item_by_item_and_marks_today_done(services, clock):
    services.tracking.init("anna", intake(first_step_pain=6), start=START)
    opened = services.tracking.start_session("anna", "before_first_step")
    session_id, planned = opened.id, opened.planned
    assert services.tracking.today("anna").sessions[0].state is SessionState.IN_PROGRESS
    for position, item in enumerate(planned.items):
        services.tracking.record_item(
            session_id,
            ItemRecord(position, item.exercise, item.sets, item.reps, 60, False, clock.now()),
        )
    services.tracking.finish_session(session_id, True, 2, 3)
    _, diary = services.tracking.export("anna")
    (record,) = diary.sessions
    assert [i.exercise for i in record.items] == [i.exercise for i in planned.items]
    assert record.completed and record.pain_during == 2 and record.effort == 3
    assert services.tracking.today("anna").sessions[0].state is SessionState.DONE


def test_starting_a_slot_not_planned_today_is_refused(services):
    services.tracking.init("anna", intake(), start=START)
    with pytest.raises(InvalidInputError) as err:
        services.tracking.start_session("anna", "midnight")
    assert err.value.problems[0].field == "slot"


def test_the_pain_monitor_sees_what_was_recorded(services, clock):
    services.tracking.init("anna", intake(first_step_pain=3), start=START)
    session_id = services.tracking.start_session("anna", "daytime").id
    services.tracking.finish_session(session_id, True, 8, 7)
    assert services.tracking.snapshot("anna").program.adjustment.action.value == "regress"


def test_questionnaires_are_stored_raw_and_no_longer_due(services):
    services.tracking.init("anna", intake(), start=START)
    answers = tuple([5] * 22 + [None])
    services.tracking.record_questionnaire(
        "anna", QuestionnaireResponse(Instrument.FFI, START, answers)
    )
    snap = services.tracking.snapshot("anna")
    assert snap.diary.questionnaires[0].answers == answers
    assert services.tracking.today("anna").questionnaires_due == (Instrument.FAAM,)
    later = START + timedelta(days=25)
    assert Instrument.FFI in services.tracking.today("anna", later).questionnaires_due


def test_backup_round_trip_into_an_empty_profile(services, clock):
    services.tracking.init(
        "anna", intake(goal=Goal.HEEL_PAIN, pain_site=(PainSite.PLANTAR_HEEL,)), start=START
    )
    services.tracking.checkin("anna", 6)
    opened = services.tracking.start_session("anna", "daytime")
    session_id, planned = opened.id, opened.planned
    services.tracking.record_item(
        session_id, ItemRecord(0, planned.items[0].exercise, 1, 5, 30, True, clock.now())
    )
    services.tracking.finish_session(session_id, False, None, None)
    profile, diary = services.tracking.export("anna")
    services.tracking.restore(replace(profile, name="anna-copy"), diary)
    copy_profile, copy_diary = services.tracking.export("anna-copy")
    assert copy_diary == diary
    assert replace(copy_profile, name="anna") == profile
    with pytest.raises(InvalidInputError):
        services.tracking.restore(replace(profile, name="anna"), diary)


def test_an_unfinished_session_resumes_after_the_saved_items(services, clock):
    services.tracking.init("anna", intake(first_step_pain=6), start=START)
    first = services.tracking.start_session("anna", "before_first_step")
    item = first.planned.items[0]
    services.tracking.record_item(
        first.id, ItemRecord(0, item.exercise, item.sets, item.reps, 60, False, clock.now())
    )
    again = services.tracking.start_session("anna", "before_first_step")
    assert again.id == first.id and again.done == (0,)
    assert [i for i, _ in again.remaining()] == list(range(1, len(first.planned.items)))
    services.tracking.finish_session(first.id, True, 1, 2)
    fresh = services.tracking.start_session("anna", "before_first_step")
    assert fresh.id != first.id and fresh.done == ()
    assert services.tracking.session_of("anna", fresh.id) is not None
    services.tracking.init("bo", intake(), start=START)
    assert services.tracking.session_of("bo", fresh.id) is None  # not told apart from none


def test_a_person_who_answers_again_with_a_red_flag_is_shown_the_referral(services):
    services.tracking.init("anna", intake(), start=START)
    services.tracking.checkin("anna", 5)
    program = services.tracking.init(
        "anna", intake(red_flags=(RedFlag.NUMBNESS_TINGLING,)), start=START
    )
    assert program.status is Status.REFER
    view = services.tracking.today("anna")
    assert view.referral is not None and view.sessions == ()
    assert view.checkin is not None  # the diary is kept
    from footcoach.services.tracking import ReferredError

    with pytest.raises(ReferredError):
        services.tracking.start_session("anna", "daytime")
    services.tracking.init("anna", intake(), start=START, replace_existing=True)
    assert services.tracking.today("anna").referral is None
