"""R1: each red flag, the age limit and the pain site send a person to a clinician."""

import pytest

from footcoach.domain.intake import Goal, PainSite, RedFlag
from footcoach.domain.screening import SOON_FLAGS, URGENT_FLAGS, Urgency, screen
from tests.factories import intake


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
