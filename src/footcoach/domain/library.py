"""The reference library: catalog, sources and conflicts, loaded together and cross-checked."""

from __future__ import annotations

from dataclasses import dataclass

from footcoach.domain.catalog import Catalog
from footcoach.domain.evidence import Conflict, Sources


@dataclass(frozen=True, slots=True)
class Library:
    catalog: Catalog
    sources: Sources
    conflicts: tuple[Conflict, ...]

    def conflicts_about(self, exercise_id: str) -> tuple[Conflict, ...]:
        return tuple(c for c in self.conflicts if exercise_id in c.exercises)
