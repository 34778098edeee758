"""Intake and history documents: every problem names its field, its value and what is allowed."""

import pytest

from footcoach.domain.errors import InvalidInputError
from footcoach.domain.intake import Equipment, PainSite, RedFlag
from footcoach.schemas.intake import parse_history, parse_intake

GOOD = {
    "schema": "footcoach.intake/1",
    "age": 47,
    "feet": "left",
    "goal": "heel_pain",
    "pain_site": ["arch", "plantar_heel", "arch"],
    "first_step_pain": 6,
    "weeks_of_symptoms": 10,
    "red_flags": [],
    "equipment": ["wall", "towel"],
    "minutes_per_day": 20,
}


def problems(doc):
    with pytest.raises(InvalidInputError) as err:
        parse_intake(doc)
    return {p.field: p for p in err.value.problems}


def test_a_good_intake_parses_with_sorted_unique_lists_and_default_times():
    intake = parse_intake(GOOD)
    assert intake.pain_site == (PainSite.PLANTAR_HEEL, PainSite.ARCH)
    assert intake.equipment == (Equipment.TOWEL, Equipment.WALL)
    assert intake.wake_time.isoformat() == "07:00:00"


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("schema", "footcoach.intake/2", "exactly 'footcoach.intake/1'"),
        ("age", 200, "a whole number from 1 to 120"),
        ("age", "forty", "a whole number from 1 to 120"),
        ("feet", "middle", "allowed: left, right, both"),
        ("goal", "heel-pain", "did you mean heel_pain"),
        ("first_step_pain", 11, "from 0 to 10"),
        ("minutes_per_day", 2, "from 5 to 120"),
        ("wake_time", "25:00", "HH:MM"),
        ("pregnant", "yes", "true or false"),
        ("pregnant", 1, "true or false"),
        ("steroid_injection_weeks_ago", -1, "a whole number from 0 to 520, or null"),
        ("steroid_injection_weeks_ago", 521, "a whole number from 0 to 520, or null"),
        ("steroid_injection_weeks_ago", "3", "a whole number from 0 to 520, or null"),
        ("steroid_injection_weeks_ago", 2.5, "a whole number from 0 to 520, or null"),
        ("main_pain_site", "heel", "allowed: plantar_heel"),
        ("main_pain_site", "calf", "one of the sites given in pain_site (plantar_heel, arch)"),
    ],
)
def test_each_bad_value_is_named(field, value, allowed):
    found = problems({**GOOD, field: value})
    assert field in found, found
    assert found[field].value == value
    assert allowed in found[field].allowed


def test_the_new_fields_are_optional_and_carried_when_given():
    plain = parse_intake(GOOD)
    assert (plain.pregnant, plain.steroid_injection_weeks_ago, plain.main_pain_site) == (
        False,
        None,
        None,
    )
    given = parse_intake(
        {**GOOD, "pregnant": True, "steroid_injection_weeks_ago": 0, "main_pain_site": "arch"}
    )
    assert given.pregnant is True and given.steroid_injection_weeks_ago == 0
    assert given.main_pain_site is PainSite.ARCH


def test_a_wrong_main_site_is_reported_with_other_problems():
    found = problems({**GOOD, "age": 0, "main_pain_site": "toes"})
    assert set(found) == {"age", "main_pain_site"}


@pytest.mark.parametrize(
    "flag",
    [
        "calf_swollen_warm_or_tender",
        "psoriasis_bowel_or_eye_inflammation",
        "calf_pain_walking_eases_at_rest",
    ],
)
def test_the_new_red_flags_are_accepted(flag):
    assert parse_intake({**GOOD, "red_flags": [flag]}).red_flags == (RedFlag(flag),)


def test_list_entries_are_named_by_position():
    found = problems({**GOOD, "red_flags": ["fever", "feverish"], "equipment": ["towl"]})
    assert "red_flags[1]" in found and "did you mean fever" in found["red_flags[1]"].allowed
    assert "equipment[0]" in found and "did you mean towel" in found["equipment[0]"].allowed


def test_missing_and_unknown_fields():
    doc = {k: v for k, v in GOOD.items() if k != "age"} | {"shoe_size": 42}
    found = problems(doc)
    assert "required" in found["age"].allowed
    assert "no such field" in found["shoe_size"].allowed


def test_every_problem_is_reported_at_once():
    found = problems({**GOOD, "age": 0, "feet": "x", "minutes_per_day": 500})
    assert {"age", "feet", "minutes_per_day"} <= set(found)


def test_cross_field_rule_heel_pain_needs_a_site():
    found = problems({**GOOD, "pain_site": []})
    assert "pain_site" in found


def test_a_document_that_is_not_an_object():
    with pytest.raises(InvalidInputError) as err:
        parse_intake([1, 2])
    assert err.value.problems[0].allowed == "a JSON object"


def test_red_flags_parse():
    intake = parse_intake({**GOOD, "red_flags": ["fever", "trauma", "fever"]})
    assert intake.red_flags == (RedFlag.TRAUMA, RedFlag.FEVER)


def test_history_parses_both_kinds_of_entry():
    history = parse_history(
        {
            "schema": "footcoach.history/1",
            "entries": [
                {"date": "2026-11-30", "first_step_pain": 5},
                {"date": "2026-11-30", "slot": "daytime", "completed": True, "pain_during": 3},
            ],
        }
    )
    assert history.checkins[0].first_step_pain == 5
    assert history.sessions[0].pain_during == 3 and history.sessions[0].slot == "daytime"


def test_history_problems_name_the_entry():
    with pytest.raises(InvalidInputError) as err:
        parse_history(
            {
                "schema": "footcoach.history/1",
                "entries": [
                    {"date": "2026-02-30", "first_step_pain": 5},
                    {"date": "2026-11-30", "first_step_pain": 11},
                    {"date": "2026-11-30", "slot": "noon", "completed": True},
                ],
            }
        )
    found = {p.field: p for p in err.value.problems}
    assert "YYYY-MM-DD" in found["entries[0].date"].allowed
    assert "from 0 to 10" in found["entries[1].first_step_pain"].allowed
    assert "before_first_step" in found["entries[2].slot"].allowed


def test_history_with_the_wrong_schema():
    with pytest.raises(InvalidInputError) as err:
        parse_history({"schema": "footcoach.intake/1", "entries": []})
    assert err.value.problems[0].field == "schema"
