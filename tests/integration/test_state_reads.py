"""The bare read of a profile's state (adapters/db/state_reads.py) gives what the units of work
read: the same profile, diary without items and program changes, on both databases, for any
diary; and the snapshot built from it is the one built through the units of work."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.changes import ChangeKind, DoseChange, ProgramChange
from footcoach.domain.diary import (
    Diary,
    Instrument,
    ItemRecord,
    QuestionnaireResponse,
    SessionRecord,
)
from footcoach.domain.intake import CheckIn
from footcoach.domain.profile import Preferences, Profile
from footcoach.schemas.intake import parse_intake
from footcoach.services.tracking import profile_of, read_program
from tests.support.clock import FixedClock

START = date(2026, 10, 1)
INTAKE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "intake.json"
NAMES = (f"person-{n}" for n in itertools.count())
SLOTS = ("in_bed", "daytime", "evening")


@pytest.fixture
def services(database_url):
    built = build_services(Settings(database_url=database_url), clock=FixedClock(START))
    yield built
    built.close()


def through_units_of_work(services, name: str):
    with services.tracking.unit_of_work() as uow:
        profile = profile_of(uow, name)
        profile_id = uow.profiles.id_of(name)
        return profile, uow.diary.diary(profile_id, with_items=False), uow.changes.trail(profile_id)


@st.composite
def sessions(draw, day: date) -> SessionRecord:
    began = datetime(day.year, day.month, day.day, draw(st.integers(5, 21)), tzinfo=UTC)
    began += timedelta(microseconds=draw(st.integers(0, 999_999)))
    finished = draw(st.none() | st.just(began + timedelta(minutes=7, microseconds=3)))
    rated = finished is not None and draw(st.booleans())
    planned = draw(st.none() | st.integers(1, 6))
    items = (ItemRecord(0, "heel-raise", 3, 12, 0, False, began),) if draw(st.booleans()) else ()
    return SessionRecord(
        day=day,
        slot=draw(st.sampled_from(SLOTS)),
        started_at=began,
        items=items,
        completed=draw(st.booleans()),
        pain_during=draw(st.integers(0, 10)) if rated else None,
        effort=draw(st.integers(0, 10)) if rated else None,
        finished_at=finished,
        planned_items=planned,
    )


@st.composite
def diaries(draw) -> Diary:
    days = sorted(draw(st.sets(st.integers(0, 60), max_size=20)))
    checkins = tuple(CheckIn(START + timedelta(days=d), draw(st.integers(0, 10))) for d in days)
    session_days = sorted(draw(st.lists(st.integers(0, 60), max_size=12)))
    records = tuple(draw(sessions(START + timedelta(days=d))) for d in session_days)
    answer = st.none() | st.integers(0, 10)
    questionnaires = []
    for d in sorted(draw(st.lists(st.integers(0, 60), max_size=3))):
        taken = START + timedelta(days=d)
        if draw(st.booleans()):
            ffi = tuple(draw(st.lists(answer, min_size=23, max_size=23)))
            questionnaires.append(QuestionnaireResponse(Instrument.FFI, taken, ffi))
        else:
            faam = st.none() | st.integers(0, 4)
            adl = tuple(draw(st.lists(faam, min_size=21, max_size=21)))
            sports = tuple(draw(st.lists(faam, min_size=8, max_size=8)))
            questionnaires.append(QuestionnaireResponse(Instrument.FAAM, taken, adl, sports))
    return Diary(checkins, records, tuple(questionnaires))


@st.composite
def trails(draw) -> list[ProgramChange]:
    out = []
    for n in range(draw(st.integers(0, 3))):
        when = datetime(2026, 10, 2, 8, tzinfo=UTC) + timedelta(hours=n, microseconds=n)
        starts = START + timedelta(days=draw(st.integers(0, 30)))
        if draw(st.booleans()):
            out.append(
                ProgramChange(
                    ChangeKind.NOTE,
                    "you",
                    "person",
                    when,
                    "a reason",
                    starts,
                    note=draw(
                        st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
                    ),
                )
            )
        else:
            dose = DoseChange(sets=draw(st.none() | st.integers(1, 5)), reps=10)
            out.append(
                ProgramChange(
                    ChangeKind.DOSE,
                    "kim@clinic.example",
                    "clinician",
                    when,
                    "fewer sets",
                    starts,
                    exercise=draw(st.sampled_from(["heel-raise", "plantar-fascia-stretch"])),
                    dose=dose,
                )
            )
    return out


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    diary=diaries(),
    changes=trails(),
    voice=st.booleans(),
    large_text=st.booleans(),
)
def test_the_bare_read_is_the_units_of_work_read(services, diary, changes, voice, large_text):
    name = next(NAMES)
    intake = parse_intake(json.loads(INTAKE.read_text(encoding="utf-8")))
    profile = Profile(name, intake, "footcoach", START, 12, Preferences(voice, large_text))
    services.tracking.restore(profile, diary, changes)

    state = services.database.profile_state(name)

    assert state is not None
    assert state == through_units_of_work(services, name)
    without_items = replace(diary, sessions=tuple(replace(s, items=()) for s in diary.sessions))
    assert state == (profile, without_items, changes)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(diary=diaries(), changes=trails())
def test_a_day_worked_out_without_the_program_is_the_programs_day(
    services, database_url, diary, changes
):
    """Today's views and the check-in answers come from a snapshot that has not planned the
    twelve weeks (one day, and the monitor's outlook); they equal what the whole program
    says, for every day from before the start to after the end."""
    name = next(NAMES)
    intake = parse_intake(json.loads(INTAKE.read_text(encoding="utf-8")))
    services.tracking.restore(Profile(name, intake, "footcoach", START, 12), diary, changes)
    planned = build_services(Settings(database_url=database_url), clock=FixedClock(START))
    try:
        program = planned.tracking.snapshot(name).program  # this process plans the whole
        for offset in range(-2, 7 * 12 + 2, 3):
            day = START + timedelta(days=offset)
            assert services.tracking.today(name, day) == planned.tracking.today(name, day)
        said = services.tracking.snapshot(name).outlook()
        assert (said.adjustment, said.clinician_prompt) == (
            program.adjustment,
            program.clinician_prompt,
        )
    finally:
        planned.close()


def test_the_snapshot_is_the_one_the_units_of_work_build(services):
    tracking = services.tracking
    intake = parse_intake(json.loads(INTAKE.read_text(encoding="utf-8")))
    tracking.init("anna", intake, start=START)
    for n in range(9):
        tracking.checkin("anna", (7 + n * 3) % 10, START + timedelta(days=n))
    snapshot = tracking.snapshot("anna")
    with tracking.unit_of_work() as uow:
        expected = read_program(tracking.planning, uow, "anna", snapshot.revision[0])
    assert (snapshot.profile, snapshot.diary, snapshot.program) == expected


def test_no_such_profile_reads_as_none(services):
    assert services.database.profile_state("nobody") is None


def test_each_read_after_a_write_is_the_units_of_work_read(services):
    """The session records kept from the last read never stand in for a changed row: after
    each kind of write, the bare read equals the units of work's."""
    tracking = services.tracking
    intake = parse_intake(json.loads(INTAKE.read_text(encoding="utf-8")))
    tracking.init("anna", intake, start=START)

    def same() -> None:
        assert services.database.profile_state("anna") == through_units_of_work(services, "anna")

    same()
    tracking.checkin("anna", 6)
    same()
    slots = [s.session.slot.value for s in tracking.today("anna").sessions]
    opened = tracking.start_session("anna", slots[0])
    same()
    for position, item in enumerate(opened.planned.items):
        record = ItemRecord(
            position, item.exercise, 1, 1, 1, False, datetime(2026, 10, 1, tzinfo=UTC)
        )
        tracking.record_item(opened.id, record)
    same()  # every planned item saved: the session is done
    before = services.database.profile_state("anna")
    assert tracking.rate_session("anna", slots[0], 4, 5)
    same()
    after = services.database.profile_state("anna")
    assert before is not None and after is not None
    assert after[1].sessions[0].pain_during == 4 != before[1].sessions[0].pain_during
    second = tracking.start_session("anna", slots[1])
    tracking.finish_session(second.id, False, 2, 3)
    same()
    tracking.correct_checkin("anna", 2)
    same()
    tracking.set_preferences("anna", Preferences(voice=False, large_text=True))
    same()


def test_a_day_and_a_slot_are_held_once_however_many_records_have_them(services):
    """Two people's check-ins and sessions of one day share one date, and sessions of one slot
    one name, read after read: a long diary or a large clinic keeps each once."""
    intake = parse_intake(json.loads(INTAKE.read_text(encoding="utf-8")))
    day = START + timedelta(days=3)
    for name in ("anna", "ben"):
        records = tuple(
            SessionRecord(day, slot, datetime(2026, 10, 4, 7, n, tzinfo=UTC))
            for n, slot in enumerate(SLOTS * 2)
        )
        services.tracking.restore(
            Profile(name, intake, "footcoach", START, 12),
            Diary(checkins=(CheckIn(day, 4),), sessions=records),
        )
    first = services.database.profile_state("anna")
    services.tracking.checkin("anna", 5, day + timedelta(days=1))  # a write, and a read after it
    again = services.database.profile_state("anna")
    other = services.database.profile_state("ben")
    assert first is not None and again is not None and other is not None
    diaries = (first[1], again[1], other[1])
    days = {id(s.day) for d in diaries for s in d.sessions}
    days |= {id(c.day) for d in diaries for c in d.checkins if c.day == day}
    assert len(days) == 1
    names = {
        slot: {id(s.slot) for d in diaries for s in d.sessions if s.slot == slot} for slot in SLOTS
    }
    assert all(len(found) == 1 for found in names.values())
