"""GET /api/v1/export/{name}.csv, and the FHIR bundles: what they serve, and what they refuse."""

from __future__ import annotations

import json

from footcoach.services.documents import backup_document
from tests.support.csv_reading import as_backup_parts, backup_parts, rows_of


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
