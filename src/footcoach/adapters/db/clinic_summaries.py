"""The clinic dashboard's summaries in the database (services.clinic_summary.SummaryStore).

The list of people with their profile's revision and stored summary is one query; the planning
inputs of many profiles are five (profiles, check-ins, sessions, questionnaires, changes) per
INPUT_CHUNK profiles, in one transaction; storing summaries is one upsert. Rows are translated
as repositories.py translates them, so a diary read here is the one a snapshot reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.orm import Session

from footcoach.adapters.db.change_repositories import _change
from footcoach.adapters.db.repositories import (
    SESSION_COLUMNS,
    _profile,
    _session_record,
    aware,
    upsert_insert,
)
from footcoach.adapters.db.stored import stored_day
from footcoach.adapters.db.tables import (
    CheckInRow,
    LinkRow,
    PersonSummaryRow,
    ProfileRow,
    ProgramChangeRow,
    QuestionnaireRow,
    SessionRow,
    UserRow,
)
from footcoach.domain.accounts import Role, User
from footcoach.domain.changes import ProgramChange
from footcoach.domain.diary import Diary, Instrument, QuestionnaireResponse, SessionRecord
from footcoach.domain.intake import CheckIn
from footcoach.services.clinic_summary import SEPARATOR, Inputs, Listed, Summary

INPUT_CHUNK = 250
"""Profiles whose diaries one round of queries reads: bounds the memory of a big rebuild."""

SUMMARY_COLUMNS = (
    PersonSummaryRow.revision,
    PersonSummaryRow.basis,
    PersonSummaryRow.referral,
    PersonSummaryRow.prompt,
    PersonSummaryRow.start,
    PersonSummaryRow.planned,
    PersonSummaryRow.done,
    PersonSummaryRow.pain_from,
    PersonSummaryRow.pains,
    PersonSummaryRow.last_activity,
)


def _reasons(text: str) -> tuple[str, ...]:
    return tuple(text.split(SEPARATOR)) if text else ()


def _day(value: Any) -> date | None:
    """A stored date, or None."""
    return None if value is None else stored_day(value)


def _like(search: str) -> str:
    """A LIKE pattern for addresses holding `search`, its own % _ and \\ taken literally."""
    escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def data_digest(root: Path) -> str:
    """A digest of every file's name and bytes under the data folder: summaries built from the
    same library and protocols share it on every server, whatever the files' times."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class SqlClinicSummaries:
    def __init__(self, engine: Callable[[], Engine]) -> None:
        self._engine = engine

    def _session(self) -> Session:
        return Session(self._engine())

    def people(self, clinician_id: int | None, search: str) -> list[Listed]:
        query = (
            select(
                UserRow.id,
                UserRow.email,
                UserRow.role,
                UserRow.profile,
                UserRow.created_at,
                ProfileRow.id,
                ProfileRow.revision,
                PersonSummaryRow.revision,
                PersonSummaryRow.basis,
            )
            .outerjoin(ProfileRow, ProfileRow.name == UserRow.profile)
            .outerjoin(PersonSummaryRow, PersonSummaryRow.profile_id == ProfileRow.id)
        )
        if clinician_id is None:
            query = query.where(UserRow.role == Role.PERSON.value)
        else:
            query = query.join(
                LinkRow,
                and_(LinkRow.person_id == UserRow.id, LinkRow.clinician_id == clinician_id),
            )
        if search:
            query = query.where(func.lower(UserRow.email).like(_like(search), escape="\\"))
        with self._engine().connect() as connection:
            rows = connection.execute(query).all()
        return [
            Listed(
                User(user_id, email, Role(role), profile, aware(created_at)),
                profile_id,
                revision,
                None if kept is None else (kept, basis),
            )
            for user_id, email, role, profile, created_at, profile_id, revision, kept, basis in rows
        ]

    def stored(self, profile_ids: Sequence[int]) -> dict[int, Summary]:
        query = select(PersonSummaryRow.profile_id, *SUMMARY_COLUMNS).where(
            PersonSummaryRow.profile_id.in_(profile_ids)
        )
        with self._engine().connect() as connection:
            rows = connection.execute(query).all()
        out: dict[int, Summary] = {}
        for row in rows:
            (profile_id, revision, basis, referral, prompt, start, planned, done, pain_from,
             pains, last_activity) = row  # fmt: skip
            out[profile_id] = Summary(
                profile_id=profile_id,
                revision=revision,
                basis=basis,
                referral=_reasons(referral),
                prompt=_reasons(prompt),
                start=_day(start),
                planned=planned,
                done=done,
                pain_from=_day(pain_from),
                pains=pains,
                last_activity=_day(last_activity),
            )
        return out

    def inputs(self, profile_ids: Sequence[int]) -> list[Inputs]:
        out: list[Inputs] = []
        with self._session() as session, session.begin():
            for begin in range(0, len(profile_ids), INPUT_CHUNK):
                out.extend(self._inputs(session, profile_ids[begin : begin + INPUT_CHUNK]))
        return out

    def _inputs(self, session: Session, ids: Sequence[int]) -> list[Inputs]:
        """Read the revision first: what is read after it is as new or newer."""
        profiles = {
            row.id: (row.revision, _profile(row))
            for row in session.scalars(select(ProfileRow).where(ProfileRow.id.in_(ids)))
        }
        checkins: dict[int, list[CheckIn]] = {i: [] for i in profiles}
        for profile_id, day, pain in session.execute(
            select(CheckInRow.profile_id, CheckInRow.day, CheckInRow.first_step_pain)
            .where(CheckInRow.profile_id.in_(ids))
            .order_by(CheckInRow.profile_id, CheckInRow.day)
        ):
            checkins[profile_id].append(CheckIn(day, pain))
        sessions: dict[int, list[SessionRecord]] = {i: [] for i in profiles}
        for row in session.execute(
            select(SessionRow.profile_id, *SESSION_COLUMNS)
            .where(SessionRow.profile_id.in_(ids))
            .order_by(SessionRow.profile_id, SessionRow.day, SessionRow.id)
        ):
            sessions[row[0]].append(_session_record(row[1:], ()))
        questionnaires: dict[int, list[QuestionnaireResponse]] = {i: [] for i in profiles}
        for profile_id, kind, taken, answers, sports in session.execute(
            select(
                QuestionnaireRow.profile_id,
                QuestionnaireRow.instrument,
                QuestionnaireRow.taken_on,
                QuestionnaireRow.answers,
                QuestionnaireRow.sports,
            )
            .where(QuestionnaireRow.profile_id.in_(ids))
            .order_by(QuestionnaireRow.profile_id, QuestionnaireRow.taken_on, QuestionnaireRow.id)
        ):
            questionnaires[profile_id].append(
                QuestionnaireResponse(Instrument(kind), taken, tuple(answers), tuple(sports))
            )
        changes: dict[int, list[ProgramChange]] = {i: [] for i in profiles}
        for change in session.scalars(
            select(ProgramChangeRow)
            .where(ProgramChangeRow.profile_id.in_(ids))
            .order_by(ProgramChangeRow.profile_id, ProgramChangeRow.version)
        ):
            changes[change.profile_id].append(_change(change))
        return [
            Inputs(
                profile_id,
                revision,
                profile,
                Diary(
                    tuple(checkins[profile_id]),
                    tuple(sessions[profile_id]),
                    tuple(questionnaires[profile_id]),
                ),
                tuple(changes[profile_id]),
            )
            for profile_id, (revision, profile) in profiles.items()
        ]

    def details(self, profile_ids: Sequence[int]) -> dict[int, str]:
        with self._session() as session:
            rows = session.execute(
                select(PersonSummaryRow.profile_id, PersonSummaryRow.details).where(
                    PersonSummaryRow.profile_id.in_(profile_ids)
                )
            )
            return {int(profile_id): str(text) for profile_id, text in rows}

    def save(self, summaries: Sequence[Summary]) -> None:
        if not summaries:
            return
        rows = [
            {
                "profile_id": s.profile_id,
                "revision": s.revision,
                "basis": s.basis,
                "referral": SEPARATOR.join(s.referral),
                "prompt": SEPARATOR.join(s.prompt),
                "start": s.start,
                "planned": s.planned,
                "done": s.done,
                "pain_from": s.pain_from,
                "pains": s.pains,
                "last_activity": s.last_activity,
                "details": s.details(),
            }
            for s in summaries
        ]
        with self._session() as session, session.begin():
            insert = upsert_insert(session)(PersonSummaryRow.__table__)
            kept = PersonSummaryRow.__table__.c
            statement = insert.on_conflict_do_update(
                index_elements=["profile_id"],
                set_={name: insert.excluded[name] for name in rows[0] if name != "profile_id"},
                where=or_(
                    kept.revision < insert.excluded.revision, kept.basis != insert.excluded.basis
                ),
            )
            session.connection().execute(statement, rows)
