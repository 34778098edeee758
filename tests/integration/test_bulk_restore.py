"""Restoring a backup: a few multi-row inserts in one transaction, whatever its size; a cap on
rows per table; stopped part way, nothing is kept. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.changes import ChangeKind, ProgramChange
from footcoach.domain.diary import (
    Diary,
    Instrument,
    ItemRecord,
    QuestionnaireResponse,
    SessionRecord,
)
from footcoach.domain.errors import InvalidInputError
from footcoach.domain.intake import CheckIn
from footcoach.domain.profile import Preferences, Profile
from footcoach.schemas.intake import parse_intake
from footcoach.services import restoring
from footcoach.services.restoring import RestoreCancelled
from tests.support.clock import FixedClock

INTAKE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "intake.json"
START = date(2025, 1, 6)


def profile(name: str = "someone") -> Profile:
    intake = parse_intake(json.loads(INTAKE.read_text()))
    return Profile(name, intake, "footcoach", START, 52, Preferences())


def diary(days: int) -> Diary:
    """A check-in, two sessions of three items and an FFI each day."""
    sessions = []
    for n in range(days):
        day = START + timedelta(days=n)
        for s, slot in enumerate(("daytime", "evening")):
            began = datetime(day.year, day.month, day.day, 9 + 8 * s, tzinfo=UTC)
            items = tuple(
                ItemRecord(i, "heel-raise", 3, 12, 0, False, began + timedelta(minutes=i + 1))
                for i in range(3)
            )
            sessions.append(SessionRecord(day, slot, began, items, True, 2, 4, began))
    return Diary(
        checkins=tuple(CheckIn(START + timedelta(days=n), n % 10) for n in range(days)),
        sessions=tuple(sessions),
        questionnaires=tuple(
            QuestionnaireResponse(Instrument.FFI, START + timedelta(days=n), tuple([2] * 23))
            for n in range(days)
        ),
    )


def changes(count: int) -> tuple[ProgramChange, ...]:
    return tuple(
        ProgramChange(
            kind=ChangeKind.NOTE,
            who="you",
            role="person",
            when=datetime(2025, 2, 1, tzinfo=UTC) + timedelta(hours=n),
            why="a note",
            starts=START,
            note=f"note {n}",
        )
        for n in range(count)
    )


@pytest.fixture
def services(database_url):
    built = build_services(Settings(database_url=database_url), clock=FixedClock(START))
    yield built
    built.close()


@contextmanager
def counted(engine):
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_statements_do_not_grow_with_the_backup(services):
    """One save (and profile update) per check-in, session and item was 1,000s of statements a
    year; the bulk restore sends the same few for 5 days as for 60."""
    tracking = services.tracking
    engine = services.database.engine
    with counted(engine) as small:
        tracking.restore(profile("small"), diary(5), changes(2))
    with counted(engine) as large:
        tracking.restore(profile("large"), diary(60), changes(24))
    assert len(large) == len(small)
    assert len(large) < 40
    again = tracking.backup("large")
    assert again.diary == diary(60)
    assert again.changes == changes(24)


def test_a_restore_stopped_between_batches_leaves_nothing(services, monkeypatch):
    from footcoach.adapters.db import repositories

    monkeypatch.setattr(repositories, "RESTORE_BATCH", 10)
    calls = []

    def checkpoint() -> None:
        calls.append(1)
        if len(calls) == 3:  # after two batches of rows were inserted
            raise RestoreCancelled()

    with pytest.raises(RestoreCancelled):
        services.tracking.restore(profile(), diary(30), changes(3), checkpoint)
    with services.tracking.unit_of_work() as uow:
        assert uow.profiles.get("someone") is None  # the profile went with the rows
    services.tracking.restore(profile(), diary(30), changes(3))  # and it can be done again
    assert len(services.tracking.backup("someone").diary.checkins) == 30


def test_over_a_cap_is_refused_naming_the_table_and_nothing_is_written(services, monkeypatch):
    monkeypatch.setitem(restoring.ROW_CAPS, "session_items", 20)
    with pytest.raises(InvalidInputError) as refused:
        services.tracking.restore(profile(), diary(4), ())  # 24 items
    (problem,) = refused.value.problems
    assert problem.field == "session_items"
    assert "at most 20 rows" in problem.allowed
    with services.tracking.unit_of_work() as uow:
        assert uow.profiles.get("someone") is None


def test_the_caps_allow_twenty_years_of_daily_data():
    days = 366 * 20
    restoring.check_counts(
        {
            "checkins": days,
            "sessions": 3 * days,
            "session_items": 3 * 8 * days,
            "questionnaires": 2 * 52 * 20,
            "program_changes": 52 * 20,
        }
    )
    with pytest.raises(InvalidInputError) as refused:
        restoring.check_document({"checkins": [{}] * (days + 1), "sessions": []})
    (problem,) = refused.value.problems
    assert problem.field == "checkins"
    assert f"at most {days:,} rows" in problem.allowed


def test_a_repeated_day_or_position_is_named_and_nothing_is_written(services):
    twice = diary(3)
    twice = Diary(twice.checkins + twice.checkins[:1], twice.sessions, twice.questionnaires)
    with pytest.raises(InvalidInputError) as refused:
        services.tracking.restore(profile(), twice, ())
    assert [p.field for p in refused.value.problems] == ["checkins[3].date"]
    with services.tracking.unit_of_work() as uow:
        assert uow.profiles.get("someone") is None
