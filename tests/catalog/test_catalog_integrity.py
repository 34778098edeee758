"""Whole-catalog invariants: the graph resolves, sources are honest, conflicts are complete."""

from footcoach.domain.catalog import Relevance, Stance
from footcoach.domain.evidence import SourceKind, Strength


def test_variant_graph_resolves_and_is_mirrored(library):
    ids = set(library.catalog.ids)
    for ex in library.catalog:
        for harder in ex.progressions:
            assert harder in ids
            assert ex.id in library.catalog.get(harder).regressions
        for easier in ex.regressions:
            assert easier in ids
            assert ex.id in library.catalog.get(easier).progressions
        for sub in ex.substitute_exercises:
            assert sub in ids


def test_progressions_have_no_cycles(library):
    def walk(start, seen):
        for nxt in library.catalog.get(start).progressions:
            assert nxt not in seen, f"cycle through {nxt}"
            walk(nxt, seen | {nxt})

    for ex in library.catalog:
        walk(ex.id, {ex.id})


def test_in_bed_items_never_bear_weight(library):
    for ex in library.catalog:
        if ex.in_bed:
            assert not ex.weight_bearing, ex.id


def test_seed_articles_are_never_labelled_stronger_than_opinion(library):
    for src in library.sources:
        if src.kind is SourceKind.SEED:
            assert src.strength is Strength.OPINION, src.id


def test_heel_drop_is_advised_against_and_says_footcoach_never_schedules_it(library):
    ex = library.catalog.get("heel-drop")
    assert ex.advised_against_by()
    assert any("never" in c.lower() for c in ex.cautions)


def test_conflicts_cover_the_known_disagreements(library):
    by_exercise = {e for c in library.conflicts for e in c.exercises}
    for key in ("towel-toe-curl", "heel-raise", "standing-calf-stretch", "heel-drop"):
        assert key in by_exercise, f"no conflict records the disagreement over {key}"
    for c in library.conflicts:
        assert len({p.source for p in c.positions}) >= 2, c.id
        assert c.resolution and c.reason


def test_the_guideline_vs_000_conflict_is_recorded(library):
    pairs = {(p.source, c.id) for c in library.conflicts for p in c.positions}
    sources_in_conflicts = {s for s, _ in pairs}
    assert "000_122325d7e95cd76e.txt" in sources_in_conflicts
    assert "koc-2023-cpg" in sources_in_conflicts


def test_non_foot_items_say_they_are_never_scheduled_for_the_foot(library):
    for ex in library.catalog:
        if ex.foot_relevance is Relevance.NONE:
            assert ex.relevance_note, ex.id


def test_each_exercise_has_at_most_one_stance_per_source(library):
    for ex in library.catalog:
        pairs = [(c.source, c.stance) for c in ex.sources]
        assert len(pairs) == len(set(pairs)), ex.id
        assert any(c.stance is not Stance.FOOTCOACH_DEFAULT for c in ex.sources), ex.id
