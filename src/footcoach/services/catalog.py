"""Browsing the catalog: filtered lists, single cards, sources and conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from footcoach.domain.catalog import CatalogFilter, Category, Equipment, Exercise, Position
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.evidence import Conflict, Source
from footcoach.domain.library import Library
from footcoach.domain.validation import choice_problem
from footcoach.services.figure_svg import render as render_figure

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class ExerciseCard:
    """An exercise with everything needed to show it: its sources resolved and its conflicts."""

    exercise: Exercise
    sources: tuple[Source, ...]
    conflicts: tuple[Conflict, ...]


def parse_filter(
    category: str | None = None, equipment: str | None = None, position: str | None = None
) -> CatalogFilter:
    """Filter values typed by a person; every bad one is reported at once."""
    problems: list[Problem] = []

    def parse(field: str, value: str | None, enum: type[E]) -> E | None:
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            problems.append(choice_problem(field, value, enum))
            return None

    criteria = CatalogFilter(
        category=parse("category", category, Category),
        equipment=parse("equipment", equipment, Equipment),
        position=parse("position", position, Position),
    )
    if problems:
        raise InvalidInputError(problems)
    return criteria


class FigurePose(StrEnum):
    START = "start"
    END = "end"


class CatalogService:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._figures: dict[tuple[str, bool, FigurePose | None], str] = {}

    def exercises(self, criteria: CatalogFilter | None = None) -> list[Exercise]:
        return self.library.catalog.filter(criteria or CatalogFilter())

    def card(self, key: str) -> ExerciseCard:
        """The exercise for an id or alias; raises UnknownIdError with suggestions."""
        ex = self.library.catalog.get(key)
        return ExerciseCard(
            exercise=ex,
            sources=tuple(self.library.sources.get(s) for s in ex.source_ids),
            conflicts=self.library.conflicts_about(ex.id),
        )

    def figure(self, key: str, *, animated: bool = True, pose: str | None = None) -> str:
        """The exercise's drawing as SVG: moving, the start and end side by side, or one pose.

        Drawn once per process and kept: the catalog does not change while it runs.
        """
        ex = self.library.catalog.get(key)
        still = None
        if pose is not None:
            try:
                still = FigurePose(pose)
            except ValueError:
                raise InvalidInputError([choice_problem("pose", pose, FigurePose)]) from None
        slot = (ex.id, animated, still)
        svg = self._figures.get(slot)
        if svg is None:
            svg = render_figure(ex, animated=animated, pose=None if still is None else still.value)
            self._figures[slot] = svg
        return svg

    def sources(self) -> list[Source]:
        return list(self.library.sources)

    def conflicts(self) -> list[Conflict]:
        return list(self.library.conflicts)
