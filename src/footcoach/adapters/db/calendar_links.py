"""Private calendar links in the database: one row per profile, found by its secret's digest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from footcoach.adapters.db.repositories import aware
from footcoach.adapters.db.tables import CalendarLinkRow, ProfileRow
from footcoach.services.calendar import CalendarLink
from footcoach.services.tracking import NoProfileError


class _Replaced(Exception):
    """The link to replace went while this request was replacing it."""


class SqlCalendarLinks:
    """calendar.CalendarLinks over an engine made on first use (`engine` is called then)."""

    def __init__(self, engine: Callable[[], Engine]) -> None:
        self._engine = engine

    def _session(self) -> Session:
        return Session(self._engine(), expire_on_commit=False)

    @staticmethod
    def _profile_id(session: Session, profile: str) -> int | None:
        return session.scalar(select(ProfileRow.id).where(ProfileRow.name == profile))

    def current(self, profile: str) -> CalendarLink | None:
        with self._session() as session:
            row = session.execute(
                select(CalendarLinkRow.id, CalendarLinkRow.created_at)
                .join(ProfileRow, ProfileRow.id == CalendarLinkRow.profile_id)
                .where(ProfileRow.name == profile)
            ).first()
        return None if row is None else CalendarLink(row[0], aware(row[1]))

    def replace(
        self, profile: str, digest: str, replaces: int | None, now: datetime
    ) -> CalendarLink | None:
        try:
            with self._session() as session, session.begin():
                profile_id = self._profile_id(session, profile)
                if profile_id is None:
                    raise NoProfileError(profile)
                existing = session.scalar(
                    select(CalendarLinkRow.id)
                    .where(CalendarLinkRow.profile_id == profile_id)
                    .with_for_update()
                )
                if existing != replaces:
                    return None
                if existing is not None:
                    gone = session.execute(
                        delete(CalendarLinkRow).where(CalendarLinkRow.id == existing)
                    )
                    if gone.rowcount != 1:
                        raise _Replaced()
                row = CalendarLinkRow(profile_id=profile_id, token_digest=digest, created_at=now)
                session.add(row)
                session.flush()
                return CalendarLink(row.id, now)
        except (_Replaced, IntegrityError):  # another request made a link in between: it stands
            return None

    def remove(self, profile: str) -> None:
        with self._session() as session, session.begin():
            profile_id = self._profile_id(session, profile)
            if profile_id is not None:
                session.execute(
                    delete(CalendarLinkRow).where(CalendarLinkRow.profile_id == profile_id)
                )

    def profile_of(self, digest: str) -> str | None:
        with self._session() as session:
            return session.scalar(
                select(ProfileRow.name)
                .join(CalendarLinkRow, CalendarLinkRow.profile_id == ProfileRow.id)
                .where(CalendarLinkRow.token_digest == digest)
            )
