"""The catalog ids named in the Foundation issue are public interface: each must exist, complete."""

import pytest

from footcoach.domain.catalog import Relevance, Stance
from footcoach.domain.evidence import SourceKind

SEED_000 = "000_122325d7e95cd76e.txt"
SEED_001 = "001_2358cacc142b0d86.txt"
SEED_002 = "002_3d2289a95a75f735.txt"
SEED_003 = "003_24c4c11de396d661.txt"

# id -> the sources that must speak about it
REQUIRED = {
    "foot-trainer-toe-extension": [SEED_000],
    "foot-trainer-toe-tip-extension": [SEED_000],
    "banded-toe-pull": [SEED_001],
    "ankle-dorsiflexion": [SEED_001],
    "plank-calf-stretch": [SEED_001],
    "standing-calf-stretch": [SEED_001],
    "ball-roll": [SEED_001, SEED_003],
    "towel-toe-curl": [SEED_001, SEED_002, SEED_000],
    "heel-raise": [SEED_001, SEED_002, SEED_000],
    "short-foot": [SEED_002],
    "toe-splay": [SEED_002],
    "heel-raise-towel": [SEED_002],
    "balance-shift": [SEED_002],
    "foot-self-massage": [SEED_002],
    "towel-toe-stretch": [SEED_000],
    "heel-drop": [SEED_000],
    "standing-toe-raise": [SEED_000],
    "wall-dorsiflexion": [SEED_000],
    "ice-tender-areas": [SEED_000],
    "rest-after-ice": [SEED_000],
    "cross-legged-foot-stretch": [SEED_003],
    "walk-on-balls-of-feet": [SEED_003],
    "heel-toe-walk": [SEED_003],
    "seated-foot-pull-stretch": [SEED_003],
    "long-sit-calf-stretch": [SEED_003],
    "towel-arch-stretch": [SEED_003],
    "wrist-stretch": [SEED_003],
    "knee-tuck": [SEED_003],
    "straight-leg-raise": [SEED_003],
    "straight-leg-raise-rotation": [SEED_003],
    "curtsy-lunge": [SEED_003],
    "toe-touch": [SEED_003],
    "plantar-fascia-stretch": ["digiovanni-2003"],
    "high-load-heel-raise": ["rathleff-2015"],
    "soleus-stretch": [],
}
NOT_FOOT = [
    "wrist-stretch",
    "knee-tuck",
    "straight-leg-raise",
    "straight-leg-raise-rotation",
    "curtsy-lunge",
    "toe-touch",
]
ADVISED_AGAINST_BY_000 = [
    "towel-toe-curl",
    "heel-raise",
    "towel-toe-stretch",
    "heel-drop",
    "standing-toe-raise",
    "wall-dorsiflexion",
    "standing-calf-stretch",
]


@pytest.mark.parametrize("exercise_id", sorted(REQUIRED))
def test_required_id_is_present_complete_and_sourced(library, exercise_id):
    ex = library.catalog.get(exercise_id)
    assert ex.id == exercise_id
    assert ex.steps and all(len(step) > 15 for step in ex.steps)
    assert len(ex.why) > 40
    assert ex.sources
    cited = {c.source for c in ex.sources}
    for source in REQUIRED[exercise_id]:
        assert source in cited, f"{exercise_id} must cite {source}"
    non_ours = [
        c for c in ex.sources if library.sources.get(c.source).kind is not SourceKind.FOOTCOACH
    ]
    assert non_ours, f"{exercise_id} cites only footcoach's own defaults"


@pytest.mark.parametrize("exercise_id", NOT_FOOT)
def test_items_that_are_not_about_the_foot_are_marked(library, exercise_id):
    ex = library.catalog.get(exercise_id)
    assert ex.foot_relevance is not Relevance.CORE
    assert ex.relevance_note


@pytest.mark.parametrize("exercise_id", ADVISED_AGAINST_BY_000)
def test_000s_objections_are_recorded_with_reasons(library, exercise_id):
    ex = library.catalog.get(exercise_id)
    against = [c for c in ex.advised_against_by() if c.source == SEED_000]
    assert against, f"000 advises against {exercise_id}"
    assert ex.cautions, f"{exercise_id} must carry 000's reasons as cautions"


def test_ice_is_never_on_bare_skin(library):
    ex = library.catalog.get("ice-tender-areas")
    assert any("skin" in c.lower() for c in ex.cautions)
    assert 300 <= ex.dose.duration_s <= 600


def test_rathleff_dose_and_tempo(library):
    ex = library.catalog.get("high-load-heel-raise")
    assert (ex.dose.sets, ex.dose.reps) == (3, 12)
    assert ex.dose.tempo is not None
    assert (ex.dose.tempo.up_s, ex.dose.tempo.hold_s, ex.dose.tempo.down_s) == (3, 2, 3)
    assert ex.weight_bearing


def test_digiovanni_dose(library):
    ex = library.catalog.get("plantar-fascia-stretch")
    assert (ex.dose.reps, ex.dose.hold_s, ex.dose.times_per_day) == (10, 10, 3)
    assert ex.in_bed and not ex.weight_bearing


def test_foot_trainer_work_is_in_bed_and_has_a_band_substitute(library):
    for key in ("foot-trainer-toe-extension", "foot-trainer-toe-tip-extension"):
        ex = library.catalog.get(key)
        assert ex.in_bed and not ex.weight_bearing
        assert ex.substitute_exercises
        for sub in ex.substitute_exercises:
            band = library.catalog.get(sub)
            assert "resistance_band" in {e.value for e in band.equipment.required}
            assert band.in_bed


def test_balance_shift_progresses_to_eyes_closed(library):
    assert "balance-shift-eyes-closed" in library.catalog.get("balance-shift").progressions


def test_every_seed_is_cited_somewhere(library):
    cited = {c.source for ex in library.catalog for c in ex.sources}
    seeds = {s.id for s in library.sources if s.kind is SourceKind.SEED}
    assert seeds - cited == {"004_082907adf02d9ef0.txt"} or seeds <= cited


def test_footcoach_defaults_are_labelled_as_ours(library):
    for ex in library.catalog:
        for claim in ex.sources:
            if claim.stance is Stance.FOOTCOACH_DEFAULT:
                assert claim.source == "footcoach", ex.id
