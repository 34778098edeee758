"""JSON API, the library: exercises, sources, conflicts, protocols."""

from __future__ import annotations

from footcoach.schemas.exercise import ExerciseDoc
from footcoach.schemas.program import ProtocolDoc
from footcoach.web.routes.api_catalog import ConflictDoc, SourceDoc
from tests.web.test_api import fields, problem


def test_exercises_lists_the_whole_catalog_as_documents(web):
    response = web.get("/api/v1/exercises")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    records = response.json()
    assert len(records) == len(web.services.catalog.exercises())
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    for record in records:
        ExerciseDoc.model_validate(record)


def test_exercises_filter_like_the_command_line(web):
    response = web.get("/api/v1/exercises?category=stretch&position=sitting&equipment=towel")
    records = response.json()
    assert records
    for record in records:
        assert record["category"] == "stretch" and record["position"] == "sitting"
        assert "towel" in record["equipment"]["required"]


def test_a_bad_filter_names_the_field_the_value_and_the_allowed_values(web):
    found = fields(web.get("/api/v1/exercises?category=strenght&position=upside-down"))
    assert set(found) == {"category", "position"}
    assert found["category"]["value"] == "strenght"
    assert "did you mean strength" in found["category"]["allowed"]
    assert (
        "strength, mobility, stretch, balance, massage, recovery, gait"
        in (found["category"]["allowed"])
    )
    assert "lying, sitting, standing, walking" in found["position"]["allowed"]


def test_an_empty_filter_value_is_refused(web):
    assert set(fields(web.get("/api/v1/exercises?equipment="))) == {"equipment"}


def test_one_exercise_by_id(web):
    response = web.get("/api/v1/exercises/plantar-fascia-stretch")
    assert response.status_code == 200
    assert ExerciseDoc.model_validate(response.json()).id == "plantar-fascia-stretch"


def test_an_alias_answers_the_record_it_points_to(web):
    response = web.get("/api/v1/exercises/towel scrunch")
    assert response.status_code == 200 and response.json()["id"] == "towel-toe-curl"


def test_an_unknown_exercise_is_a_404_with_suggestions(web):
    body = problem(web.get("/api/v1/exercises/plantar-fascia-strech"), 404)
    assert "did you mean plantar-fascia-stretch" in body["detail"]


def test_sources_strongest_first(web):
    records = web.get("/api/v1/sources").json()
    assert len(records) == len(web.services.catalog.sources())
    for record in records:
        SourceDoc.model_validate(record)


def test_conflicts(web):
    records = web.get("/api/v1/conflicts").json()
    assert records and len(records) == len(web.services.catalog.conflicts())
    for record in records:
        ConflictDoc.model_validate(record)


def test_protocols_and_one_protocol(web):
    records = web.get("/api/v1/protocols").json()
    ids = [r["id"] for r in records]
    assert "footcoach" in ids and "high-load-strength" in ids
    for record in records:
        ProtocolDoc.model_validate(record)
    one = web.get("/api/v1/protocols/high-load-strength")
    assert one.status_code == 200
    assert one.json() == next(r for r in records if r["id"] == "high-load-strength")


def test_an_unknown_protocol_is_a_404_with_suggestions(web):
    body = problem(web.get("/api/v1/protocols/high-load"), 404)
    assert "did you mean high-load-strength" in body["detail"]
