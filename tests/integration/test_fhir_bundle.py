"""The FHIR R4 Bundle: valid against fhir.resources' R4B models, every reference resolving inside
it, and saying what the diary and the program say."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from footcoach.adapters.fhir_bundle import CANONICAL, fhir_bundle, questionnaire_url
from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.diary import Instrument
from footcoach.domain.library import Library
from footcoach.domain.program import Program
from footcoach.services.tracking import Snapshot
from tests.integration.test_backup_roundtrip import backups
from tests.integration.test_csv_export import START, a_backup
from tests.support.fhir_checks import bad_codes, resources, unresolved, validate

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


def _program(library: Library, backup) -> Program:
    from footcoach.adapters.protocol_files import FileProtocolSource
    from footcoach.services.planning import PlanningService

    planning = PlanningService(library, FileProtocolSource().load(library))
    profile = backup.profile
    return planning.plan(
        profile.intake, profile.start, backup.diary.history(), profile.protocol, profile.weeks
    )


@pytest.fixture(scope="module")
def planned(library):
    backup = a_backup()
    return Snapshot(backup.profile, backup.diary, _program(library, backup))


@pytest.fixture(scope="module")
def bundle(planned, library):
    return fhir_bundle(planned, library.catalog, TODAY, NOW)


def test_the_bundle_is_valid_r4_and_self_contained(bundle):
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    validate(bundle)
    assert unresolved(bundle) == []
    assert bad_codes(bundle) == []
    assert len({e["fullUrl"] for e in bundle["entry"]}) == len(bundle["entry"])


def test_the_patient_is_named_by_the_profile_name_only(bundle):
    (patient,) = resources(bundle, "Patient")
    assert patient["name"] == [{"text": "zoe"}]
    assert "identifier" not in patient and "birthDate" not in patient


def test_each_check_in_is_a_loinc_first_step_pain_observation(bundle):
    pain = [
        o
        for o in resources(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "72514-3" and "partOf" not in o
    ]
    assert [(o["effectiveDateTime"], o["valueInteger"]) for o in pain] == [
        ("2026-03-02", 6),
        ("2026-03-03", 5),
    ]
    assert all(o["code"]["coding"][0]["system"] == "http://loinc.org" for o in pain)


def test_questionnaires_carry_their_answers_and_scores(bundle):
    ffi, faam = resources(bundle, "QuestionnaireResponse")
    assert ffi["questionnaire"] == f"{CANONICAL}/Questionnaire/ffi"
    assert faam["questionnaire"] == questionnaire_url(Instrument.FAAM)
    assert len(ffi["item"]) == 23 and len(faam["item"]) == 29
    first = ffi["item"][0]
    assert first["linkId"] == "ffi-pain-2" and first["answer"] == [{"valueInteger": 5}]
    assert "answer" not in ffi["item"][1]  # not applicable: no answer
    scores = {
        o["code"]["coding"][0]["code"]: o["valueQuantity"]["value"]
        for o in resources(bundle, "Observation")
        if o["code"]["coding"][0]["system"] == f"{CANONICAL}/CodeSystem/score"
    }
    assert scores["ffi-pain"] == 32.5
    assert scores["faam-adl"] == 100.0 and scores["faam-sports"] == 50.0
    assert set(scores) == {
        "ffi-pain",
        "ffi-disability",
        "ffi-activity_limitation",
        "ffi-total",
        "faam-adl",
        "faam-sports",
    }


def test_the_care_plan_has_one_activity_per_exercise_of_the_week(bundle, planned):
    (plan,) = resources(bundle, "CarePlan")
    week = planned.program.weeks[0]
    exercises = {i.exercise for d in week.days for s in d.sessions for i in s.items}
    codes = [a["detail"]["code"]["coding"][0]["code"] for a in plan["activity"]]
    assert sorted(codes) == sorted(exercises)
    assert plan["period"] == {"start": "2026-03-02", "end": "2026-05-24"}
    stretch = next(
        a["detail"] for a in plan["activity"] if "plantar-fascia-stretch" in json.dumps(a)
    )
    repeat = stretch["scheduledTiming"]["repeat"]
    slots = [
        s
        for s in week.days[0].sessions
        if any(i.exercise == "plantar-fascia-stretch" for i in s.items)
    ]
    assert repeat["frequency"] == len(slots) and repeat["periodUnit"] == "d"
    numbers = {e["url"]: e for e in stretch["extension"][0]["extension"]}
    assert numbers["sets"]["valueInteger"] >= 1 and numbers["reps"]["valueInteger"] >= 1
    assert "times a day" in stretch["description"] or "once a day" in stretch["description"]


def test_sessions_are_procedures_based_on_the_care_plan(bundle):
    (plan_entry,) = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"]
    done, started = resources(bundle, "Procedure")
    assert done["status"] == "completed" and started["status"] == "in-progress"
    assert done["basedOn"] == [{"reference": plan_entry["fullUrl"]}]
    assert done["performedPeriod"] == {
        "start": "2026-03-02T07:05:00+00:00",
        "end": "2026-03-02T07:09:00+00:00",
    }
    assert [n["text"] for n in done["note"]][1].endswith(": skipped")
    during = [o for o in resources(bundle, "Observation") if "partOf" in o]
    assert sorted(o["valueInteger"] for o in during) == [2, 3]


def test_the_same_diary_gives_the_same_ids(planned, library, bundle):
    again = fhir_bundle(planned, library.catalog, TODAY, NOW)
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in bundle["entry"]]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(backup=backups())
def test_any_diary_gives_a_valid_self_contained_bundle(library, backup):
    snapshot = Snapshot(backup.profile, backup.diary, _program(library, backup))
    today = START + timedelta(days=30)
    bundle = fhir_bundle(snapshot, library.catalog, today, NOW)
    validate(bundle)
    assert unresolved(bundle) == []
    assert bad_codes(bundle) == []
    assert len(resources(bundle, "Procedure")) == len(backup.diary.sessions)
    assert len(resources(bundle, "QuestionnaireResponse")) == len(backup.diary.questionnaires)


def test_from_either_database(database_url):
    backup = a_backup()
    services = build_services(Settings(database_url=database_url))
    try:
        services.tracking.restore(backup.profile, backup.diary, backup.changes)
        snapshot = services.tracking.snapshot("zoe")
        bundle = fhir_bundle(snapshot, services.library.catalog, date(2026, 3, 4), NOW)
    finally:
        services.close()
    validate(bundle)
    assert unresolved(bundle) == []
    assert len(resources(bundle, "Procedure")) == 2
    assert len(resources(bundle, "QuestionnaireResponse")) == 2
