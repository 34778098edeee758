"""Changing a person's program: the audit trail, its version, and saving a change safely.

Optimistic versioning: every save says which version of the program it was based on. When
someone else saved a change in between, nothing is written and ConflictError carries the
changes made since, so the second person is told and shown the difference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from footcoach.domain.catalog import Catalog
from footcoach.domain.changes import ConflictError, ProgramChange, check_change
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.program import Program
from footcoach.services.planning import PlanningService
from footcoach.services.ports import Clock, UnitOfWork
from footcoach.services.tracking import profile_id_of, read_program

__all__ = ["ConflictError", "PrescriptionService"]


class PrescriptionService:
    def __init__(
        self,
        planning: PlanningService,
        unit_of_work: Callable[[], UnitOfWork],
        clock: Clock,
    ) -> None:
        self.planning = planning
        self.unit_of_work = unit_of_work
        self.clock = clock

    @property
    def catalog(self) -> Catalog:
        return self.planning.library.catalog

    def changes(self, name: str) -> list[ProgramChange]:
        """The audit trail: every accepted change to the profile's program, oldest first."""
        with self.unit_of_work() as uow:
            return uow.changes.trail(profile_id_of(uow, name))

    def version(self, name: str) -> int:
        """The program's version: how many changes it has had (0 for none)."""
        with self.unit_of_work() as uow:
            return uow.changes.version(profile_id_of(uow, name))

    def change(self, name: str, change: ProgramChange, based_on_version: int) -> int:
        """Check and save one change in one transaction; returns the program's new version.

        The time recorded is this service's clock's, whatever `when` the change carries. The
        change is checked against the person's program as it stands today, earlier changes
        included. Raises ConflictError when the program is no longer at `based_on_version`,
        InvalidInputError naming every wrong field, NoProfileError; nothing is written then.
        """
        change = self._canonical(replace(change, when=self.clock.now()))
        with self.unit_of_work() as uow:
            profile_id = profile_id_of(uow, name)
            current = uow.changes.version(profile_id)
            if (
                isinstance(based_on_version, bool)
                or not isinstance(based_on_version, int)
                or not 0 <= based_on_version <= current
            ):
                raise InvalidInputError(
                    [
                        Problem(
                            "based_on_version",
                            based_on_version,
                            f"the version the change was made on: 0 to {current}",
                        )
                    ]
                )
            if based_on_version != current:
                raise ConflictError(
                    based_on_version, current, uow.changes.trail(profile_id, based_on_version)
                )
            program = self._program(uow, name, profile_id)
            check_change(change, program, self.catalog, today=self.clock.today())
            if not uow.changes.add(profile_id, current + 1, change):
                # someone saved the same version between our read and our write
                since = uow.changes.trail(profile_id, current)
                raise ConflictError(based_on_version, current + len(since), since)
            uow.changes.touch_profile(profile_id)
            uow.commit()
        return current + 1

    def _program(self, uow: UnitOfWork, name: str, profile_id: int) -> Program:
        """The program as the person sees it, read in this transaction."""
        return read_program(self.planning, uow, name, profile_id)[2]

    def _canonical(self, change: ProgramChange) -> ProgramChange:
        """Exercise aliases replaced by catalog ids, so the trail names exercises one way."""
        resolve = self.catalog.resolve_id
        exercise = change.exercise and (resolve(change.exercise) or change.exercise)
        to = change.to and (resolve(change.to) or change.to)
        return replace(change, exercise=exercise, to=to)
