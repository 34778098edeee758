"""The library explained: the catalog filtered, each exercise with its marks, and the choices."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from footcoach.domain.catalog import Category, Equipment, Exercise, Position, Relevance
from footcoach.domain.errors import InvalidInputError
from footcoach.domain.evidence import Source
from footcoach.domain.safety import NEVER_PRESCRIBED
from footcoach.domain.wording import dose_text
from footcoach.services.catalog import CatalogService, ExerciseCard, parse_filter

FILTERS: Mapping[str, tuple[str, ...]] = {
    "category": tuple(c.value for c in Category),
    "equipment": tuple(e.value for e in Equipment),
    "position": tuple(p.value for p in Position),
}
"""Each filter of the library and the values it allows, in the catalog's own order."""


@dataclass(frozen=True, slots=True)
class Entry:
    """An exercise as a line of the library, with the marks people need to see."""

    exercise: Exercise
    contested: bool
    """A source advises against it."""
    never_scheduled: bool
    """footcoach never puts it into a program."""
    never_reason: str
    """Why, in a few words, when never_scheduled."""


@dataclass(frozen=True, slots=True)
class CardView:
    card: ExerciseCard
    entry: Entry
    sources: Mapping[str, Source]
    """Every source by id: the card's own and those named in its conflicts."""
    dose: str
    """The default dose in words."""


def entry(ex: Exercise) -> Entry:
    never = ex.foot_relevance is Relevance.NONE or ex.id in NEVER_PRESCRIBED
    if ex.id in NEVER_PRESCRIBED:
        reason = "left out of every program on purpose, for safety"
    elif never:
        reason = "not a foot exercise"
    else:
        reason = ""
    return Entry(ex, bool(ex.advised_against_by()), never, reason)


def browse(
    catalog: CatalogService,
    category: str | None = None,
    equipment: str | None = None,
    position: str | None = None,
) -> list[Entry]:
    """The exercises matching the filters (empty means any); InvalidInputError on a bad value."""
    criteria = parse_filter(category or None, equipment or None, position or None)
    return [entry(ex) for ex in catalog.exercises(criteria)]


def card_view(catalog: CatalogService, key: str) -> CardView:
    """The card of an exercise by id or alias; UnknownIdError with suggestions otherwise."""
    card = catalog.card(key)
    return CardView(
        card=card,
        entry=entry(card.exercise),
        sources={s.id: s for s in catalog.sources()},
        dose=dose_text(card.exercise.dose, card.exercise.sides),
    )


def closest(catalog: CatalogService, keys: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Suggested ids or aliases as (id, name) pairs, one per exercise, in the order given."""
    known = catalog.library.catalog
    out: dict[str, str] = {}
    for key in keys:
        resolved = known.resolve_id(key)
        if resolved is not None:
            out.setdefault(resolved, known.get(resolved).name)
    return tuple(out.items())


def filter_errors(exc: InvalidInputError) -> dict[str, str]:
    """One plain message per bad filter, naming what it allows."""
    errors: dict[str, str] = {}
    for problem in exc.problems:
        allowed = ", ".join(v.replace("_", " ") for v in FILTERS.get(problem.field, ()))
        errors[problem.field] = (
            f"“{problem.value}” is not one of the choices. Allowed: {allowed}."
            if allowed
            else str(problem)
        )
    return errors
