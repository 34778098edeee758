"""`footcoach.backup/1`: everything of one profile, validated at the edge into domain objects."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from footcoach.domain.backup import Backup
from footcoach.domain.changes import DoseChange, ProgramChange, record_problems
from footcoach.domain.diary import (
    Diary,
    Instrument,
    ItemRecord,
    QuestionnaireResponse,
    SessionRecord,
)
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.intake import CheckIn
from footcoach.domain.profile import Preferences, Profile
from footcoach.domain.protocol import Slot
from footcoach.domain.questionnaires import ffi_from_first_order
from footcoach.schemas.changes import ChangeRecordDoc
from footcoach.schemas.intake import IntakeDoc, parse_intake

BACKUP_SCHEMA = "footcoach.backup/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BackupPreferencesDoc(_Strict):
    voice: bool = True
    large_text: bool = False


class BackupProfileDoc(_Strict):
    name: str
    intake: IntakeDoc
    protocol: str
    start: dt.date
    weeks: int = Field(ge=1, le=52)
    preferences: BackupPreferencesDoc = BackupPreferencesDoc()


class BackupCheckInDoc(_Strict):
    date: dt.date
    first_step_pain: int = Field(ge=0, le=10)


class BackupItemDoc(_Strict):
    position: int = Field(ge=0)
    exercise: str
    sets_done: int = Field(ge=0)
    reps_done: int = Field(ge=0)
    seconds_done: int = Field(ge=0)
    skipped: bool
    finished_at: dt.datetime


class BackupSessionDoc(_Strict):
    date: dt.date
    slot: Slot
    started_at: dt.datetime
    finished_at: dt.datetime | None
    completed: bool
    pain_during: int | None = Field(ge=0, le=10)
    effort: int | None = Field(ge=0, le=10)
    items: list[BackupItemDoc]
    planned_items: int | None = Field(
        None,
        ge=1,
        le=100,
        description="how many items were planned when it started (left out when not known); "
        "a session whose planned items are all saved is done, rated or not",
    )


class BackupQuestionnaireDoc(_Strict):
    instrument: Instrument
    taken_on: dt.date
    answers: list[int | None]
    sports: list[int | None]
    item_order: Literal[1, 2] = Field(
        1,
        description="the order the answers are in: 2, the published form's, in every backup "
        "written since the FFI's order was corrected; 1 (or left out, as older backups do), "
        "footcoach's first FFI order, whose 23 answers are put in the published order on import",
    )


def _answers(doc: BackupQuestionnaireDoc) -> tuple[int | None, ...]:
    """A backed-up response's answers in the order footcoach asks them now."""
    answers = tuple(doc.answers)
    if doc.instrument is Instrument.FFI and doc.item_order == 1 and len(answers) == 23:
        return ffi_from_first_order(answers)
    return answers


class BackupDoc(_Strict):
    """Everything recorded for one profile."""

    schema_: Literal["footcoach.backup/1"] = Field(alias="schema")
    profile: BackupProfileDoc
    checkins: list[BackupCheckInDoc]
    sessions: list[BackupSessionDoc]
    questionnaires: list[BackupQuestionnaireDoc]
    program_changes: list[ChangeRecordDoc] = Field(
        default_factory=list,
        description="the program's audit trail, versions 1, 2, 3... in order; left out when "
        "there are no changes (each summary is written again from the change on import)",
    )


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _changes(docs: list[ChangeRecordDoc]) -> tuple[ProgramChange, ...]:
    """The audit trail of a backup, each record checked as a saved change is."""
    problems: list[Problem] = []
    changes = []
    for index, doc in enumerate(docs):
        at = f"program_changes.{index}"
        if doc.version != index + 1:
            allowed = f"{index + 1}: the changes are numbered 1, 2, 3... in order"
            problems.append(Problem(f"{at}.version", doc.version, allowed))
        change = ProgramChange(
            kind=doc.kind,
            who=doc.who,
            role=doc.role,
            when=_utc(doc.at),
            why=doc.why,
            starts=doc.starts_on,
            exercise=doc.exercise,
            to=doc.to,
            dose=None
            if doc.dose is None
            else DoseChange(
                sets=doc.dose.sets,
                reps=doc.dose.reps,
                hold_s=doc.dose.hold_s,
                duration_s=doc.dose.duration_s,
                rest_s=doc.dose.rest_s,
            ),
            note=doc.note,
        )
        problems.extend(
            Problem(f"{at}.{p.field}", p.value, p.allowed) for p in record_problems(change)
        )
        changes.append(change)
    if problems:
        raise InvalidInputError(problems)
    return tuple(changes)


def parse_backup(data: object) -> Backup:
    """A backup document into a profile, its diary and its program's changes;
    InvalidInputError names every problem."""
    try:
        doc = BackupDoc.model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(
            [
                Problem(".".join(str(p) for p in e["loc"]), e.get("input"), e["msg"].lower())
                for e in exc.errors()
            ]
        ) from None
    raw_intake = data["profile"]["intake"] if isinstance(data, dict) else None
    profile = Profile(
        name=doc.profile.name,
        intake=parse_intake(raw_intake),
        protocol=doc.profile.protocol,
        start=doc.profile.start,
        weeks=doc.profile.weeks,
        preferences=Preferences(doc.profile.preferences.voice, doc.profile.preferences.large_text),
    )
    diary = Diary(
        checkins=tuple(CheckIn(c.date, c.first_step_pain) for c in doc.checkins),
        sessions=tuple(
            SessionRecord(
                day=s.date,
                slot=s.slot.value,
                started_at=_utc(s.started_at),
                items=tuple(
                    ItemRecord(
                        i.position,
                        i.exercise,
                        i.sets_done,
                        i.reps_done,
                        i.seconds_done,
                        i.skipped,
                        _utc(i.finished_at),
                    )
                    for i in s.items
                ),
                completed=s.completed,
                pain_during=s.pain_during,
                effort=s.effort,
                finished_at=None if s.finished_at is None else _utc(s.finished_at),
                planned_items=s.planned_items,
            )
            for s in doc.sessions
        ),
        questionnaires=tuple(
            QuestionnaireResponse(q.instrument, q.taken_on, _answers(q), tuple(q.sports))
            for q in doc.questionnaires
        ),
    )
    return Backup(profile, diary, _changes(doc.program_changes))
