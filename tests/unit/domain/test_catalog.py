import pytest

from footcoach.domain.catalog import (
    Catalog,
    CatalogFilter,
    Category,
    Equipment,
    EquipmentNeeds,
    Position,
    slugify,
)
from footcoach.domain.errors import UnknownIdError
from tests.factories import exercise


def test_aliases_resolve_to_their_record_in_any_case_or_spacing():
    cat = Catalog([exercise(id="towel-toe-curl", aliases=("Towel scrunch",))])
    assert cat.get("towel scrunch").id == "towel-toe-curl"
    assert cat.get("Towel-Scrunch").id == "towel-toe-curl"
    assert "TOWEL SCRUNCH" in cat


def test_unknown_id_suggests_the_closest_ids():
    cat = Catalog([exercise(id="heel-raise"), exercise(id="heel-drop"), exercise(id="toe-splay")])
    with pytest.raises(UnknownIdError) as err:
        cat.get("heel-rase")
    assert err.value.suggestions[0] == "heel-raise"
    assert "did you mean heel-raise" in str(err.value)


def test_unknown_id_far_from_everything_has_no_suggestion():
    cat = Catalog([exercise(id="heel-raise")])
    with pytest.raises(UnknownIdError) as err:
        cat.get("zzzzzz")
    assert err.value.suggestions == ()


def test_duplicate_ids_are_rejected():
    with pytest.raises(ValueError, match="duplicate"):
        Catalog([exercise(id="a"), exercise(id="a")])


def test_an_alias_may_not_shadow_another_record():
    with pytest.raises(ValueError, match="shadows"):
        Catalog([exercise(id="a", aliases=("b",)), exercise(id="b")])


def test_one_alias_may_not_name_two_records():
    with pytest.raises(ValueError, match="names both"):
        Catalog([exercise(id="a", aliases=("x",)), exercise(id="b", aliases=("X",))])


def test_iteration_is_sorted_by_id():
    cat = Catalog([exercise(id="c"), exercise(id="a"), exercise(id="b")])
    assert [e.id for e in cat] == ["a", "b", "c"]


def test_filter_combines_criteria():
    cat = Catalog(
        [
            exercise(id="a", category=Category.STRETCH, position=Position.SITTING),
            exercise(id="b", category=Category.STRETCH, position=Position.STANDING),
            exercise(
                id="c",
                category=Category.STRENGTH,
                position=Position.SITTING,
                equipment=EquipmentNeeds(required=(Equipment.TOWEL,)),
            ),
        ]
    )
    assert [e.id for e in cat.filter(CatalogFilter(category=Category.STRETCH))] == ["a", "b"]
    both = CatalogFilter(category=Category.STRETCH, position=Position.SITTING)
    assert [e.id for e in cat.filter(both)] == ["a"]
    assert [e.id for e in cat.filter(CatalogFilter(equipment=Equipment.TOWEL))] == ["c"]


def test_equipment_substitutes_from_the_vocabulary_count_as_owned():
    needs = EquipmentNeeds(
        required=(Equipment.MASSAGE_BALL,),
        substitutes={Equipment.MASSAGE_BALL: ("golf_ball", "tennis ball")},
    )
    assert needs.usable_with([Equipment.MASSAGE_BALL])
    assert needs.usable_with([Equipment.GOLF_BALL])
    assert not needs.usable_with([Equipment.TOWEL])


def test_none_is_always_owned():
    assert EquipmentNeeds(required=(Equipment.NONE,)).usable_with([])


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Towel scrunch", "towel-scrunch"),
        ("  Heel--raise!", "heel-raise"),
        ("Toe-spread-out", "toe-spread-out"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug
