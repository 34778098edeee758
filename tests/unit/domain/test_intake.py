import pytest

from footcoach.domain.errors import InvalidInputError
from footcoach.domain.intake import Goal, PainSite
from tests.factories import intake


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age", 0),
        ("age", 121),
        ("first_step_pain", 11),
        ("first_step_pain", -1),
        ("weeks_of_symptoms", 521),
        ("minutes_per_day", 4),
        ("minutes_per_day", 121),
        ("steroid_injection_weeks_ago", -1),
        ("steroid_injection_weeks_ago", 521),
    ],
)
def test_out_of_range_values_name_the_field(field, value):
    with pytest.raises(InvalidInputError) as err:
        intake(**{field: value})
    (problem,) = err.value.problems
    assert problem.field == field and problem.value == value
    assert "from" in problem.allowed


def test_heel_pain_needs_a_pain_site():
    with pytest.raises(InvalidInputError) as err:
        intake(pain_site=())
    assert err.value.problems[0].field == "pain_site"


def test_foot_strength_may_have_no_pain_site():
    assert intake(goal=Goal.FOOT_STRENGTH, pain_site=()).pain_site == ()


def test_all_problems_are_reported_together():
    with pytest.raises(InvalidInputError) as err:
        intake(age=0, first_step_pain=12, minutes_per_day=1)
    assert {p.field for p in err.value.problems} == {"age", "first_step_pain", "minutes_per_day"}


def test_pregnancy_and_injection_default_to_none_given():
    plain = intake()
    assert plain.pregnant is False and plain.steroid_injection_weeks_ago is None
    given = intake(pregnant=True, steroid_injection_weeks_ago=0)
    assert given.pregnant is True and given.steroid_injection_weeks_ago == 0


def test_the_main_pain_site_must_be_one_of_the_sites():
    sites = (PainSite.PLANTAR_HEEL, PainSite.ARCH)
    assert intake(pain_site=sites, main_pain_site=PainSite.ARCH).main_pain_site is PainSite.ARCH
    with pytest.raises(InvalidInputError) as err:
        intake(pain_site=sites, main_pain_site=PainSite.CALF)
    (problem,) = err.value.problems
    assert problem.field == "main_pain_site" and problem.value == "calf"
    assert "plantar_heel, arch" in problem.allowed
