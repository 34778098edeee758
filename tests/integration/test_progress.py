"""progress_for on real databases: what was recorded comes back as progress, in fixed queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.diary import (
    Diary,
    Instrument,
    ItemRecord,
    QuestionnaireResponse,
    SessionRecord,
)
from footcoach.domain.intake import CheckIn
from footcoach.domain.progress import Verdict
from footcoach.domain.questionnaires import Subscale
from footcoach.domain.scoring import Direction
from footcoach.services.progress import progress_document, progress_for
from footcoach.services.tracking import NoProfileError
from tests.factories import intake
from tests.support.clock import FixedClock

START = date(2026, 11, 23)


def day(n: int) -> date:
    return START + timedelta(days=n)


@pytest.fixture
def clock():
    return FixedClock(START)


@pytest.fixture
def services(database_url, clock):
    svc = build_services(Settings(database_url=database_url), clock=clock)
    yield svc
    svc.close()


def ffi(level: int, taken_on: date) -> QuestionnaireResponse:
    return QuestionnaireResponse(Instrument.FFI, taken_on, (level,) * 23)


def faam(level: int, taken_on: date) -> QuestionnaireResponse:
    return QuestionnaireResponse(Instrument.FAAM, taken_on, (level,) * 21, (level,) * 8)


def test_recorded_days_come_back_as_progress(services, clock):
    tracking = services.tracking
    tracking.init("anna", intake(first_step_pain=6), start=START)
    tracking.record_questionnaire("anna", ffi(6, day(0)))
    tracking.record_questionnaire("anna", faam(2, day(0)))
    for n, pain in enumerate([5, 5, 4, 3, 3]):
        clock.day = day(n)
        tracking.checkin("anna", pain)
        slots = [s.session.slot.value for s in tracking.today("anna").sessions]
        for slot in slots if n < 4 else slots[:1]:  # the last day: only the first session
            opened = tracking.start_session("anna", slot)
            for position, item in enumerate(opened.planned.items):
                tracking.record_item(
                    opened.id,
                    ItemRecord(
                        position, item.exercise, item.sets, item.reps, 30, False, clock.now()
                    ),
                )
            tracking.finish_session(opened.id, True, 2, 3)
    tracking.record_questionnaire("anna", ffi(5, day(4)))
    tracking.record_questionnaire("anna", faam(3, day(4)))

    result = progress_for(tracking, "anna", day(4))

    program = tracking.snapshot("anna").program
    per_day = [len(d.sessions) for w in program.weeks for d in w.days][:4]
    assert result.adherence.planned == result.adherence.done == sum(per_day) + 1
    assert result.streak_days == 4  # today is not complete: it ends yesterday
    pain = result.first_step_pain
    assert [(p.day, p.value) for p in pain.days] == [
        (day(n), v) for n, v in enumerate([5, 5, 4, 3, 3])
    ]
    assert pain.latest_mean_7d == pytest.approx(4.0)
    assert pain.verdict is Verdict.IMPROVED and pain.difference == pytest.approx(-2.0)
    (_, second_ffi) = result.ffi
    assert second_ffi.change_from_first[Subscale.TOTAL].direction is Direction.BETTER
    assert second_ffi.change_from_first[Subscale.TOTAL].meets_mid  # 60 -> 50, MID 7
    (_, second_faam) = result.faam
    assert second_faam.change_from_first[Subscale.ADL].direction is Direction.BETTER
    assert result.phase == "calm" and result.week == 1
    assert result.adjustment == program.adjustment

    document = progress_document(result)
    assert document["schema"] == "footcoach.progress/1"
    assert document["profile"] == "anna" and document["date"] == "2026-11-27"
    assert document["first_step_pain"]["verdict"] == "improved"
    assert document["ffi"][1]["total"] == 50.0
    assert document["ffi"][1]["change_from_first"]["total"]["meaningful"] is True


def test_the_day_defaults_to_the_clock_and_later_records_are_left_out(services, clock):
    tracking = services.tracking
    tracking.init("anna", intake(first_step_pain=6), start=START)
    for n in range(3):
        tracking.checkin("anna", 6 - n, day(n))
    clock.day = day(1)
    result = progress_for(tracking, "anna")
    assert result.day == day(1)
    assert [p.value for p in result.first_step_pain.days] == [6, 5]


def test_an_unknown_profile_is_named(services):
    with pytest.raises(NoProfileError, match="'nobody'"):
        progress_for(services.tracking, "nobody", START)


def _diary(days: int) -> Diary:
    moment = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    sessions = tuple(
        SessionRecord(
            day(n),
            slot,
            moment,
            items=(ItemRecord(0, "plantar-fascia-stretch", 1, 10, 100, False, moment),),
            completed=n % 5 != 0,
            pain_during=2,
            effort=3,
            finished_at=moment,
        )
        for n in range(days)
        for slot in ("before_first_step", "daytime", "evening")
    )
    return Diary(
        checkins=tuple(CheckIn(day(n), 3 + n % 3) for n in range(days)),
        sessions=sessions,
        questionnaires=tuple(
            response
            for n in range(0, days, 28)
            for response in (ffi(5 - min(n // 28, 4), day(n)), faam(2, day(n)))
        ),
    )


def test_the_number_of_queries_does_not_grow_with_the_data(services):
    tracking = services.tracking
    for name, days in (("ten", 10), ("two-hundred", 200)):
        tracking.init(name, intake(), start=START)
        profile, _ = tracking.export(name)
        tracking.restore(profile, _diary(days))

    engine = services.database.engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    counts = {}
    event.listen(engine, "before_cursor_execute", count)
    try:
        for name, days in (("ten", 10), ("two-hundred", 200)):
            statements.clear()
            result = progress_for(tracking, name, day(days - 1))
            counts[name] = len(statements)
            assert len(result.first_step_pain.days) == days
            assert len(result.ffi) == len(range(0, days, 28))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert counts["ten"] == counts["two-hundred"]
    assert counts["ten"] <= 8, statements
