"""`footcoach.program-change/1` in, change records out."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from footcoach.domain.changes import DOSE_RANGES, ChangeKind, DoseChange
from footcoach.domain.errors import InvalidInputError
from footcoach.schemas import SUBJECTS, json_schema
from footcoach.schemas.changes import ChangeRecordDoc, change_document, parse_change, trail_document

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)


def parse(doc):
    return parse_change(doc, "dr.lee@clinic.example", "clinician", NOW, TODAY)


def test_a_dose_change_is_parsed_with_who_and_when_from_the_caller():
    change, version = parse(
        {
            "schema": "footcoach.program-change/1",
            "kind": "dose",
            "exercise": "plantar-fascia-stretch",
            "dose": {"sets": 2, "hold_s": 30},
            "why": "Ready for more.",
            "based_on_version": 3,
        }
    )
    assert version == 3
    assert change.kind is ChangeKind.DOSE
    assert change.dose == DoseChange(sets=2, hold_s=30)
    assert (change.who, change.role, change.when, change.starts) == (
        "dr.lee@clinic.example",
        "clinician",
        NOW,
        TODAY,
    )


@pytest.mark.parametrize(
    ("doc", "field", "says"),
    [
        ({"kind": "swop"}, "kind", "did you mean swap"),
        ({"dose": {"sets": 11}}, "dose.sets", "from 1 to 10"),
        ({"dose": {"seconds": 30}}, "dose.seconds", "the fields are sets, reps"),
        ({"why": ""}, "why", "1 to 500 characters"),
        ({"note": "n" * 1001}, "note", "1 to 1000 characters"),
        ({"based_on_version": -1}, "based_on_version", "0 or more"),
        ({"starts_on": "2026-13-01"}, "starts_on", "YYYY-MM-DD"),
        ({"who": "me"}, "who", "no such field"),
    ],
)
def test_faults_are_named_by_field(doc, field, says):
    base = {"kind": "swap", "exercise": "a", "to": "b", "why": "Because.", "based_on_version": 0}
    with pytest.raises(InvalidInputError) as err:
        parse({**base, **doc})
    problems = {p.field: p.allowed for p in err.value.problems}
    assert says in problems[field]


def test_a_missing_reason_and_version_are_both_named():
    with pytest.raises(InvalidInputError) as err:
        parse({"kind": "note", "note": "Hi."})
    assert {p.field for p in err.value.problems} == {"why", "based_on_version"}


def test_the_schema_is_listed_and_states_the_dose_ranges():
    assert "program-change" in SUBJECTS
    schema = json_schema("program-change")
    dose = schema["$defs"]["DoseDoc"]["properties"]
    for name, (low, high) in DOSE_RANGES.items():
        number = next(o for o in dose[name]["anyOf"] if o.get("type") == "integer")
        assert (number["minimum"], number["maximum"]) == (low, high)
    assert set(schema["required"]) == {"kind", "why", "based_on_version"}


def test_the_trail_document_numbers_the_changes_and_says_what_they_do():
    change, _ = parse(
        {
            "kind": "swap",
            "exercise": "plantar-fascia-stretch",
            "to": "seated-foot-pull-stretch",
            "why": "Wrist pain.",
            "based_on_version": 0,
        }
    )
    doc = change_document(change, 4)
    assert doc["version"] == 4 and doc["at"] == "2026-11-25T08:00:00+00:00"
    assert doc["summary"] == (
        "seated-foot-pull-stretch in place of plantar-fascia-stretch "
        "from Wednesday 25 November 2026"
    )
    assert ChangeRecordDoc.model_validate(doc).summary == doc["summary"]
    assert [d["version"] for d in trail_document([change, change], since_version=2)] == [3, 4]
