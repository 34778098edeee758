"""GET /api/v1/export/{name}.csv, and the FHIR bundles: what they serve, and what they refuse."""

from __future__ import annotations

import json

from footcoach.services.documents import backup_document
from tests.support.csv_reading import as_backup_parts, backup_parts, rows_of
from tests.web.multi_user import multi_fixture  # noqa: F401


def test_each_table_is_served_as_csv(person):
    assert person.post("/api/v1/checkins", json={"first_step_pain": 5}).status_code == 201
    tables = {}
    for name in ("checkins", "sessions", "items", "questionnaires"):
        response = person.get(f"/api/v1/export/{name}.csv")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert f'filename="{name}.csv"' in response.headers["content-disposition"]
        tables[name] = rows_of(response.content.decode("utf-8"))
    assert tables["checkins"] == [{"date": "2026-11-23", "first_step_pain": "5"}]
    document = json.loads(json.dumps(backup_document(person.services.tracking.backup("default"))))
    assert as_backup_parts(tables) == backup_parts(document)


def test_an_unknown_table_is_a_404_problem_naming_the_tables(person):
    response = person.get("/api/v1/export/pains.csv")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    detail = response.json()["detail"]
    assert "'pains'" in detail and "checkins, sessions, items, questionnaires" in detail


def test_no_profile_yet_is_a_404_problem(web):
    response = web.get("/api/v1/export/checkins.csv")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_my_bundle_is_fhir_json(person):
    from tests.support.fhir_checks import resources, unresolved, validate

    assert person.post("/api/v1/checkins", json={"first_step_pain": 5}).status_code == 201
    response = person.get("/api/v1/fhir/bundle")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"
    bundle = response.json()
    validate(bundle)
    assert unresolved(bundle) == []
    (pain,) = resources(bundle, "Observation")
    assert pain["effectiveDateTime"] == "2026-11-23" and pain["valueInteger"] == 5
    assert bundle["timestamp"].startswith("2026-11-23")


def test_my_bundle_without_a_profile_is_a_404_problem(web):
    response = web.get("/api/v1/fhir/bundle")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_a_linked_clinician_gets_their_persons_bundle(multi):
    from footcoach.domain.accounts import Role
    from tests.support.fhir_checks import resources, validate

    person = multi.user("pat@example.org")
    clinician = multi.user("pt@example.org", Role.CLINICIAN)
    code = multi.services.accounts.create_invite(clinician.id).code
    multi.services.accounts.redeem_invite(person.id, code)
    multi.services.tracking.checkin(person.profile, 7)
    clinic = multi.login(clinician)
    response = clinic.client.get(f"/api/v1/clinic/people/{person.id}/fhir/bundle")
    assert response.status_code == 200, response.text
    bundle = response.json()
    validate(bundle)
    (patient,) = resources(bundle, "Patient")
    assert patient["name"] == [{"text": person.profile}]
    assert [o["valueInteger"] for o in resources(bundle, "Observation")] == [7]
    nobody = clinic.client.get(f"/api/v1/clinic/people/{person.id + 1000}/fhir/bundle")
    assert nobody.status_code == 404
    assert nobody.headers["content-type"] == "application/problem+json"


def test_a_linked_person_without_a_program_is_a_404_problem(multi):
    from footcoach.domain.accounts import Role

    person = multi.user("new@example.org", profile=False)
    clinician = multi.user("pt@example.org", Role.CLINICIAN)
    code = multi.services.accounts.create_invite(clinician.id).code
    multi.services.accounts.redeem_invite(person.id, code)
    response = multi.login(clinician).client.get(f"/api/v1/clinic/people/{person.id}/fhir/bundle")
    assert response.status_code == 404
    assert "no intake answered yet" in response.json()["detail"]
