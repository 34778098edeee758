"""A profile's whole state for a snapshot, read on a bare driver connection.

After every write the next view of the person is worked out anew from the profile, its diary
(without item records) and the program's changes (services/tracking.py `read_program`). Read
through the ORM session and SQLAlchemy's result machinery, that took 2.5-5 ms for six weeks of
diary, more than planning the twelve weeks from it; here the same rows come as plain tuples and
are turned into domain objects directly: the five statements run in one read transaction (so
they agree with each other), and a profile's intake document, parsed and checked once, is kept
by its text.

A write changes a row or two of a diary, so a read right after it finds nearly every row as it
was: each profile's last read keeps its session records by their rows, and a row read again as
it was gives back the record made from it (a record is made from its row alone, so the same row
can only make an equal record). Only new and changed rows are turned into records.

What a diary repeats is held once: a record made from a new row shares its day (as a date) and
its slot's name with every other record of that day or slot, in every profile (a day's check-in
and sessions, a clinic's people). Rows read again as they were are only looked up, never
rebuilt: a read after a write of a three-year diary costs no more than before.

SQLite files read through the calling thread's own connection (bare_reads.py), the five
statements in one read transaction. PostgreSQL reads through the bare reads' autocommit pool in
one statement (STATE_POSTGRESQL: the profile's row with its diary, questionnaires and changes as
JSON arrays), which sees one snapshot of the data by itself: each round trip through the driver
costs more CPU than the rows it brings, and five statements in a transaction were seven. Any other
database (SQLite in memory, or with options in its URL) is left to the units of work: `read`
answers None for it and the caller reads as before.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from footcoach.adapters.db.bare_reads import PLACEHOLDERS, BareReads
from footcoach.adapters.db.stored import stored_day, stored_moment
from footcoach.domain.changes import ChangeKind, DoseChange, ProgramChange
from footcoach.domain.diary import Diary, Instrument, QuestionnaireResponse, SessionRecord
from footcoach.domain.intake import CheckIn, Intake
from footcoach.domain.profile import Preferences, Profile
from footcoach.services.documents import intake_from_document

PROFILE = (
    "SELECT id, name, CAST(intake AS TEXT), protocol, start, weeks, voice, large_text "
    "FROM profiles WHERE name = {0}"
)
CHECKINS = "SELECT day, first_step_pain FROM checkins WHERE profile_id = {0} ORDER BY day"
SESSIONS = (
    "SELECT day, slot, started_at, completed, pain_during, effort, finished_at, planned_items "
    "FROM sessions WHERE profile_id = {0} ORDER BY day, id"
)
QUESTIONNAIRES = (
    "SELECT instrument, taken_on, CAST(answers AS TEXT), CAST(sports AS TEXT) "
    "FROM questionnaires WHERE profile_id = {0} ORDER BY taken_on, id"
)
CHANGES = (
    "SELECT kind, who, role, recorded_at, why, starts, exercise, to_exercise, "
    "CAST(dose AS TEXT), note FROM program_changes WHERE profile_id = {0} ORDER BY version"
)
STATE_POSTGRESQL = (
    "SELECT p.id, p.name, CAST(p.intake AS TEXT), p.protocol, p.start, p.weeks, p.voice, "
    "p.large_text, "
    "(SELECT json_agg(json_build_array(c.day, c.first_step_pain) ORDER BY c.day) "
    "FROM checkins c WHERE c.profile_id = p.id), "
    "(SELECT json_agg(json_build_array(s.day, s.slot, s.started_at, s.completed, s.pain_during, "
    "s.effort, s.finished_at, s.planned_items) ORDER BY s.day, s.id) "
    "FROM sessions s WHERE s.profile_id = p.id), "
    "(SELECT json_agg(json_build_array(q.instrument, q.taken_on, q.answers, q.sports) "
    "ORDER BY q.taken_on, q.id) FROM questionnaires q WHERE q.profile_id = p.id), "
    "(SELECT json_agg(json_build_array(g.kind, g.who, g.role, g.recorded_at, g.why, g.starts, "
    "g.exercise, g.to_exercise, g.dose, g.note) ORDER BY g.version) "
    "FROM program_changes g WHERE g.profile_id = p.id) "
    "FROM profiles p WHERE p.name = %s"
)
"""The whole state in one PostgreSQL statement: days and times come as ISO text, JSON columns
as their values."""
INTAKES_KEPT = 256
"""Parsed intake documents kept, by their stored text (a few hundred bytes each)."""
DIARIES_KEPT = 64
"""Profiles whose last read's session records are kept, by their rows."""
ROWS_AT_ONCE = 1024
"""SQLite's session rows fetched together (about three years of a diary)."""
SHARED_KEPT = 8192
"""Distinct days (over 20 years of them) and slot names shared between records; past that the
shared values start again from none (records made before keep theirs)."""

State = tuple[Profile, Diary, list[ProgramChange]]


class StateReads:
    def __init__(self, reads: BareReads) -> None:
        self._reads = reads
        engine = reads.engine
        self._postgresql = engine.dialect.name == "postgresql"
        self.usable = self._postgresql or reads.file is not None
        mark = PLACEHOLDERS[engine.dialect.paramstyle]
        self._profile = PROFILE.format(mark)
        self._checkins = CHECKINS.format(mark)
        self._sessions = SESSIONS.format(mark)
        self._questionnaires = QUESTIONNAIRES.format(mark)
        self._changes = CHANGES.format(mark)
        self._intakes: OrderedDict[str, Intake] = OrderedDict()
        self._intakes_lock = threading.Lock()
        self._records: OrderedDict[str, dict[tuple[Any, ...], SessionRecord]] = OrderedDict()
        self._records_lock = threading.Lock()
        self._days: dict[Any, tuple[Any, date]] = {}
        self._slots: dict[Any, Any] = {}

    def read(self, name: str) -> State | None:
        """The profile, its diary without items and its program changes, oldest first; None
        when there is no such profile (or this database is left to the units of work)."""
        if not self.usable:
            return None
        if self._postgresql:
            return self._read_postgresql(name)
        with self._transaction() as cursor:
            cursor.execute(self._profile, (name,))
            row = cursor.fetchone()
            if row is None:
                return None
            profile_id, profile = row[0], self._profile_of(row[1:])
            cursor.execute(self._checkins, (profile_id,))
            checkins = tuple(CheckIn(self._day(day)[1], pain) for day, pain in cursor.fetchall())
            cursor.execute(self._sessions, (profile_id,))
            sessions = self._sessions_of(name, _in_batches(cursor))
            cursor.execute(self._questionnaires, (profile_id,))
            questionnaires = tuple(
                QuestionnaireResponse(
                    Instrument(kind), stored_day(taken), tuple(_json(answers)), tuple(_json(sports))
                )
                for kind, taken, answers, sports in cursor.fetchall()
            )
            cursor.execute(self._changes, (profile_id,))
            changes = [_change(row) for row in cursor.fetchall()]
        return profile, Diary(checkins, sessions, questionnaires), changes

    def _read_postgresql(self, name: str) -> State | None:
        raw = self._reads.engine.raw_connection()
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(STATE_POSTGRESQL, (name,))
                row = cursor.fetchone()
            finally:
                cursor.close()
        except self._reads.disconnects:
            raw.invalidate()
            raise
        finally:
            raw.close()
        if row is None:
            return None
        profile = self._profile_of(row[1:8])
        checkins, sessions, questionnaires, changes = (list_of(part) for part in row[8:])
        del row  # so that each session's row is let go of once its record is made
        return (
            profile,
            Diary(
                tuple(CheckIn(self._day(day)[1], pain) for day, pain in checkins),
                self._sessions_of(name, _drained(sessions)),
                tuple(
                    QuestionnaireResponse(
                        Instrument(kind),
                        stored_day(taken),
                        tuple(answers or ()),
                        tuple(sports or ()),
                    )
                    for kind, taken, answers, sports in questionnaires
                ),
            ),
            [_change(tuple(change), parsed=True) for change in changes],
        )

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """A cursor in a read transaction on this thread's SQLite connection: every statement
        sees the same committed state."""
        cursor = self._reads.kept().cursor()
        cursor.execute("BEGIN")
        try:
            yield cursor
        finally:
            cursor.execute("COMMIT")  # nothing written: it ends the read
            cursor.close()

    def _day(self, stored: Any) -> tuple[Any, date]:
        """A stored day, and its date, as the objects every row and record of that day share."""
        found = self._days.get(stored)
        if found is None:
            if len(self._days) >= SHARED_KEPT:
                self._days.clear()
            found = self._days.setdefault(stored, (stored, stored_day(stored)))
        return found

    def _slot(self, stored: Any) -> Any:
        """A slot's name as the one object every row and record of that slot share."""
        found = self._slots.get(stored)
        if found is None:
            if len(self._slots) >= SHARED_KEPT:
                self._slots.clear()
            found = self._slots.setdefault(stored, stored)
        return found

    def _sessions_of(self, name: str, rows: Iterable[Sequence[Any]]) -> tuple[SessionRecord, ...]:
        """The records of these rows, made anew only for rows the last read did not have."""
        with self._records_lock:
            known = self._records.get(name, {})
        records: dict[tuple[Any, ...], SessionRecord] = {}
        out = []
        for fetched in rows:
            row = tuple(fetched)  # SQLite's rows are tuples already, PostgreSQL's JSON lists
            record = known.get(row)
            if record is None:  # a new or changed row: its day and slot name shared
                stored, day = self._day(row[0])
                row = (stored, self._slot(row[1]), *row[2:])
                record = _session(row, day)
            records[row] = record
            out.append(record)
        with self._records_lock:
            self._records[name] = records
            self._records.move_to_end(name)
            while len(self._records) > DIARIES_KEPT:
                self._records.popitem(last=False)
        return tuple(out)

    def _profile_of(self, row: tuple[Any, ...]) -> Profile:
        name, intake_text, protocol, start, weeks, voice, large_text = row
        return Profile(
            name=name,
            intake=self._intake(intake_text),
            protocol=protocol,
            start=stored_day(start),
            weeks=int(weeks),
            preferences=Preferences(voice=bool(voice), large_text=bool(large_text)),
        )

    def _intake(self, text: str) -> Intake:
        with self._intakes_lock:
            found = self._intakes.get(text)
            if found is not None:
                self._intakes.move_to_end(text)
                return found
        intake = intake_from_document(json.loads(text))
        with self._intakes_lock:
            self._intakes[text] = intake
            while len(self._intakes) > INTAKES_KEPT:
                self._intakes.popitem(last=False)
        return intake


def _session(row: tuple[Any, ...], day: date) -> SessionRecord:
    """The record of a session's row, on its `day` (the row's first value as a date)."""
    _, slot, started, completed, pain, effort, finished, planned = row
    return SessionRecord(
        day=day,
        slot=slot,
        started_at=stored_moment(started),
        items=(),
        completed=bool(completed),
        pain_during=pain,
        effort=effort,
        finished_at=None if finished is None else stored_moment(finished),
        planned_items=planned,
    )


def _change(row: tuple[Any, ...], parsed: bool = False) -> ProgramChange:
    """A change from its row; `parsed`: its dose is a JSON value already, not JSON text."""
    kind, who, role, recorded_at, why, starts, exercise, to_exercise, dose, note = row
    given = dose if parsed else _json(dose)
    return ProgramChange(
        kind=ChangeKind(kind),
        who=who,
        role=role,
        when=stored_moment(recorded_at),
        why=why,
        starts=stored_day(starts),
        exercise=exercise,
        to=to_exercise,
        dose=None if given is None else DoseChange(**given),
        note=note,
    )


def _json(text: str | None) -> Any:
    """A JSON column read as text: SQL NULL and JSON null are both None."""
    return None if text is None else json.loads(text)


def _in_batches(cursor: Any) -> Iterator[Any]:
    """A cursor's rows, fetched ROWS_AT_ONCE at a time, so that a long diary's rows are never
    all held at once. A read of three years (3,300 sessions) takes about 5 % longer than with
    all rows fetched together; row by row, it took 10-20 % longer."""
    while batch := cursor.fetchmany(ROWS_AT_ONCE):
        yield from batch


def _drained(rows: list[Any]) -> Iterator[Any]:
    """The rows in order, each let go of by the list as it is given: a long diary's rows and
    its records are never all held at once."""
    rows.reverse()
    while rows:
        yield rows.pop()


def list_of(value: Any) -> list[Any]:
    """A JSON array from PostgreSQL: json_agg of no rows is NULL, an empty list here."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else list(value)
