import pytest

from footcoach.domain.catalog import Catalog, Category, Position
from footcoach.domain.errors import InvalidInputError, UnknownIdError
from footcoach.domain.evidence import (
    Conflict,
    ConflictPosition,
    Source,
    SourceKind,
    Sources,
    Strength,
)
from footcoach.domain.library import Library
from footcoach.services.catalog import CatalogService, parse_filter
from tests.factories import exercise


def library() -> Library:
    src = Source("footcoach", SourceKind.FOOTCOACH, "ours", "us", Strength.DESIGN, "ours")
    return Library(
        catalog=Catalog(
            [exercise(id="a", aliases=("Alpha",)), exercise(id="b", category=Category.STRENGTH)]
        ),
        sources=Sources([src]),
        conflicts=(
            Conflict(
                id="c1",
                topic="t",
                exercises=("a",),
                positions=(ConflictPosition("footcoach", "x"), ConflictPosition("footcoach", "y")),
                resolution="r",
                reason="why",
                evidence=(),
            ),
        ),
    )


def test_parse_filter_reports_every_bad_value_at_once():
    with pytest.raises(InvalidInputError) as err:
        parse_filter(category="strech", equipment="towl", position="sitting")
    fields = [p.field for p in err.value.problems]
    assert fields == ["category", "equipment"]


def test_parse_filter_builds_the_filter():
    f = parse_filter(category="strength", position="sitting")
    assert f.category is Category.STRENGTH
    assert f.position is Position.SITTING
    assert f.equipment is None


def test_card_resolves_alias_sources_and_conflicts():
    card = CatalogService(library()).card("alpha")
    assert card.exercise.id == "a"
    assert [s.id for s in card.sources] == ["footcoach"]
    assert [c.id for c in card.conflicts] == ["c1"]


def test_card_for_unknown_id_raises_with_suggestion():
    with pytest.raises(UnknownIdError):
        CatalogService(library()).card("nope")


def test_exercises_filtered():
    svc = CatalogService(library())
    assert [e.id for e in svc.exercises(parse_filter(category="strength"))] == ["b"]
    assert len(svc.exercises()) == 2
