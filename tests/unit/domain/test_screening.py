"""R1: each red flag, the age limit and the pain site send a person to a clinician."""

import pytest
from hypothesis import given, settings

from footcoach.domain.intake import Feet, Goal, PainSite, RedFlag
from footcoach.domain.screening import SOON_FLAGS, URGENT_FLAGS, Urgency, screen
from tests.factories import intake
from tests.program.strategies import intakes


def test_a_typical_plantar_heel_pain_intake_is_not_referred():
    assert screen(intake()) is None


@pytest.mark.parametrize("flag", sorted(URGENT_FLAGS))
def test_each_urgent_flag_refers_urgently(flag):
    referral = screen(intake(red_flags=(flag,)))
    assert referral is not None
    assert referral.urgency is Urgency.URGENT
    assert [r.flag for r in referral.reasons] == [flag.value]
    assert "today" in referral.advice


@pytest.mark.parametrize("flag", sorted(SOON_FLAGS))
def test_each_soon_flag_refers_soon(flag):
    referral = screen(intake(red_flags=(flag,)))
    assert referral is not None
    assert referral.urgency is Urgency.SOON
    assert referral.reasons[0].flag == flag.value
    assert len(referral.reasons[0].explanation) > 40


def test_every_flag_of_the_vocabulary_is_screened():
    assert set(URGENT_FLAGS) | set(SOON_FLAGS) == set(RedFlag)
    assert not set(URGENT_FLAGS) & set(SOON_FLAGS)


def test_urgent_wins_and_every_reason_is_kept():
    referral = screen(intake(red_flags=(RedFlag.NUMBNESS_TINGLING, RedFlag.FEVER), age=12))
    assert referral.urgency is Urgency.URGENT
    assert {r.flag for r in referral.reasons} == {"fever", "numbness_tingling", "age"}


@pytest.mark.parametrize(("age", "referred"), [(15, True), (16, False), (90, False)])
def test_children_are_referred(age, referred):
    assert (screen(intake(age=age)) is not None) is referred


def test_back_of_heel_pain_is_referred_even_with_plantar_pain():
    referral = screen(intake(pain_site=(PainSite.PLANTAR_HEEL, PainSite.BACK_OF_HEEL)))
    assert referral is not None and referral.reasons[0].flag == "pain_site:back_of_heel"


def test_heel_pain_without_plantar_heel_pain_is_referred():
    referral = screen(intake(pain_site=(PainSite.ARCH, PainSite.TOES)))
    assert referral is not None and referral.urgency is Urgency.SOON


def test_foot_strength_without_pain_is_not_referred():
    assert screen(intake(goal=Goal.FOOT_STRENGTH, pain_site=(), first_step_pain=0)) is None


ALL_SITES = [(site,) for site in PainSite] + [tuple(PainSite)]


@pytest.mark.parametrize("sites", ALL_SITES)
@pytest.mark.parametrize("goal", list(Goal))
def test_a_swollen_warm_calf_is_urgent_whatever_hurts(sites, goal):
    referral = screen(
        intake(goal=goal, pain_site=sites, red_flags=(RedFlag.CALF_SWOLLEN_WARM_OR_TENDER,))
    )
    assert referral is not None and referral.urgency is Urgency.URGENT
    assert referral.reasons[0].flag == "calf_swollen_warm_or_tender"
    assert "blood clot" in referral.reasons[0].explanation


@pytest.mark.parametrize(
    "flag",
    [RedFlag.PSORIASIS_BOWEL_OR_EYE_INFLAMMATION, RedFlag.CALF_PAIN_WALKING_EASES_AT_REST],
)
@pytest.mark.parametrize("sites", ALL_SITES)
@pytest.mark.parametrize("feet", list(Feet))
def test_inflammation_and_poor_circulation_refer_soon_whatever_hurts(flag, sites, feet):
    referral = screen(intake(pain_site=sites, feet=feet, red_flags=(flag,)))
    assert referral is not None and referral.urgency is Urgency.SOON
    assert referral.reasons[0].flag == flag.value


def test_inflammation_reason_says_more_when_both_heels_hurt():
    flags = (RedFlag.PSORIASIS_BOWEL_OR_EYE_INFLAMMATION,)
    both = screen(intake(feet=Feet.BOTH, red_flags=flags)).reasons[0].explanation
    one = screen(intake(feet=Feet.LEFT, red_flags=flags)).reasons[0].explanation
    assert both.endswith("Pain in both heels makes this more likely.")
    assert "both heels" not in one


@pytest.mark.parametrize("main", [PainSite.ARCH, PainSite.TOES, PainSite.ANKLE, PainSite.CALF])
def test_a_main_site_other_than_under_the_heel_is_referred(main):
    referral = screen(intake(pain_site=(PainSite.PLANTAR_HEEL, main), main_pain_site=main))
    assert referral is not None and referral.urgency is Urgency.SOON
    assert [r.flag for r in referral.reasons] == [f"main_pain_site:{main.value}"]


def test_a_main_site_under_the_heel_keeps_todays_rules():
    sites = (PainSite.PLANTAR_HEEL, PainSite.ARCH)
    assert screen(intake(pain_site=sites, main_pain_site=PainSite.PLANTAR_HEEL)) is None
    assert screen(intake(pain_site=sites, main_pain_site=None)) is None
    back = screen(
        intake(
            pain_site=(PainSite.PLANTAR_HEEL, PainSite.BACK_OF_HEEL),
            main_pain_site=PainSite.PLANTAR_HEEL,
        )
    )
    assert back.reasons[0].flag == "pain_site:back_of_heel"


def test_a_main_site_is_not_a_reason_for_foot_strength():
    sites = (PainSite.PLANTAR_HEEL, PainSite.ARCH)
    goal = Goal.FOOT_STRENGTH
    assert screen(intake(goal=goal, pain_site=sites, main_pain_site=PainSite.ARCH)) is None


@settings(max_examples=300, deadline=None)
@given(person=intakes(red_flags=True))
def test_a_referral_comes_exactly_when_a_rule_fires(person):
    sites = set(person.pain_site)
    heel_pain = person.goal is Goal.HEEL_PAIN
    away_from_heel = heel_pain and (
        PainSite.PLANTAR_HEEL not in sites
        or person.main_pain_site not in (None, PainSite.PLANTAR_HEEL)
    )
    fires = (
        bool(person.red_flags)
        or person.age < 16
        or PainSite.BACK_OF_HEEL in sites
        or away_from_heel
    )
    referral = screen(person)
    assert (referral is not None) is fires
    if referral is not None:
        urgent = any(flag in URGENT_FLAGS for flag in person.red_flags)
        assert (referral.urgency is Urgency.URGENT) is urgent
        for flag in person.red_flags:
            assert flag.value in {reason.flag for reason in referral.reasons}
