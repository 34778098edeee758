"""Program changes: rows <-> domain, and the version check made safe by a unique constraint."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from footcoach.adapters.db.repositories import aware, touch, upsert_insert
from footcoach.adapters.db.tables import ProgramChangeRow
from footcoach.domain.changes import ChangeKind, DoseChange, ProgramChange


def _change(row: ProgramChangeRow) -> ProgramChange:
    return ProgramChange(
        kind=ChangeKind(row.kind),
        who=row.who,
        role=row.role,
        when=aware(row.recorded_at),
        why=row.why,
        starts=row.starts,
        exercise=row.exercise,
        to=row.to_exercise,
        dose=None if row.dose is None else DoseChange(**row.dose),
        note=row.note,
    )


class SqlProgramChanges:
    """The audit trail of program changes, by profile id; the newest version is the count."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def version(self, profile_id: int) -> int:
        latest = self.session.scalar(
            select(func.max(ProgramChangeRow.version)).where(
                ProgramChangeRow.profile_id == profile_id
            )
        )
        return latest or 0

    def trail(self, profile_id: int, since_version: int = 0) -> list[ProgramChange]:
        rows = self.session.scalars(
            select(ProgramChangeRow)
            .where(
                ProgramChangeRow.profile_id == profile_id,
                ProgramChangeRow.version > since_version,
            )
            .order_by(ProgramChangeRow.version)
        )
        return [_change(row) for row in rows]

    def add(self, profile_id: int, version: int, change: ProgramChange) -> bool:
        """Insert the change as this version; False (nothing written) when it is taken already.

        ON CONFLICT DO NOTHING on (profile_id, version): of two saves based on one version, on
        SQLite or PostgreSQL, exactly one is stored and the other learns it lost.
        """
        insert = upsert_insert(self.session)
        dose = change.dose.given() if change.dose is not None else None
        statement = (
            insert(ProgramChangeRow)
            .values(
                profile_id=profile_id,
                version=version,
                kind=change.kind.value,
                exercise=change.exercise,
                to_exercise=change.to,
                dose=dose,
                note=change.note,
                why=change.why,
                starts=change.starts,
                who=change.who,
                role=change.role,
                recorded_at=change.when,
            )
            .on_conflict_do_nothing(index_elements=["profile_id", "version"])
            .returning(ProgramChangeRow.id)
        )
        return self.session.execute(statement).first() is not None

    def restore(self, profile_id: int, changes: Sequence[ProgramChange]) -> None:
        """A backup's trail into a profile that has none, numbered 1, 2, 3... in one
        multi-row insert (in the caller's transaction)."""
        if not changes:
            return
        self.session.connection().execute(
            insert(ProgramChangeRow.__table__),
            [
                {
                    "profile_id": profile_id,
                    "version": version,
                    "kind": change.kind.value,
                    "exercise": change.exercise,
                    "to_exercise": change.to,
                    "dose": change.dose.given() if change.dose is not None else None,
                    "note": change.note,
                    "why": change.why,
                    "starts": change.starts,
                    "who": change.who,
                    "role": change.role,
                    "recorded_at": change.when,
                }
                for version, change in enumerate(changes, start=1)
            ],
        )

    def touch_profile(self, profile_id: int) -> None:
        touch(self.session, profile_id)
