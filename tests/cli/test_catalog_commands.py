import json

import pytest

from footcoach.schemas.exercise import ExerciseDoc


def test_exercises_table_lists_the_catalog(run, library):
    result = run("exercises")
    assert result.exit_code == 0, result.stderr
    assert "plantar-fascia-stretch" in result.stdout
    assert f"footcoach exercises ({len(library.catalog)})" in result.stdout


def test_exercises_json_is_every_full_record_sorted_and_valid(run, library):
    result = run("exercises --json")
    assert result.exit_code == 0
    docs = json.loads(result.stdout)
    assert [d["id"] for d in docs] == sorted(library.catalog.ids)
    for doc in docs:
        ExerciseDoc.model_validate(doc)


def test_exercises_json_is_byte_stable(run):
    assert run("exercises --json").stdout == run("exercises --json").stdout


def test_filters_combine(run):
    docs = json.loads(run("exercises --category stretch --position sitting --json").stdout)
    assert docs
    assert all(d["category"] == "stretch" and d["position"] == "sitting" for d in docs)
    towel = json.loads(run("exercises --equipment towel --json").stdout)
    assert {"towel-toe-curl", "heel-raise-towel"} <= {d["id"] for d in towel}
    assert all("towel" in d["equipment"]["required"] for d in towel)


@pytest.mark.parametrize(
    ("option", "value", "suggestion"),
    [
        ("--category", "strech", "stretch"),
        ("--equipment", "towl", "towel"),
        ("--position", "sitng", "sitting"),
    ],
)
def test_bad_filter_exits_2_naming_field_value_and_suggestion(run, option, value, suggestion):
    result = run(f"exercises {option} {value}")
    assert result.exit_code == 2
    assert result.stdout == ""
    field = option.removeprefix("--")
    assert f"{field}: got '{value}'" in result.stderr
    assert f"did you mean {suggestion}" in result.stderr
    assert "Traceback" not in result.stderr


def test_exercise_card_shows_everything(run):
    result = run("exercise high-load-heel-raise")
    assert result.exit_code == 0
    out = result.stdout
    for part in ("Steps", "Why", "Cautions", "Sources", "rathleff-2015", "tempo 3-2-3", "Easier"):
        assert part in out, part


def test_exercise_alias_shows_the_record_it_points_to(run):
    by_alias = json.loads(run('exercise "towel scrunch" --json').stdout)
    assert by_alias["id"] == "towel-toe-curl"


def test_unknown_exercise_exits_2_with_closest_ids(run):
    result = run("exercise heel-rase")
    assert result.exit_code == 2
    assert "unknown exercise 'heel-rase'" in result.stderr
    assert "heel-raise" in result.stderr
    assert "Traceback" not in result.stderr


def test_sources_lists_strength_strongest_first(run):
    result = run("sources")
    assert result.exit_code == 0
    assert result.stdout.index("koc-2023-cpg") < result.stdout.index("000_122325d7e95cd76e.txt")
    docs = json.loads(run("sources --json").stdout)
    seeds = [d for d in docs if d["kind"] == "seed"]
    assert len(seeds) == 5 and all(d["strength"] == "opinion" for d in seeds)


def test_conflicts_show_positions_and_resolution(run):
    result = run("conflicts")
    assert result.exit_code == 0
    assert "footcoach:" in result.stdout
    docs = json.loads(run("conflicts --json").stdout)
    assert docs and all(d["schema"] == "footcoach.conflict/1" for d in docs)
    assert all(len(d["positions"]) >= 2 for d in docs)


def test_schema_exercise_is_a_json_schema_that_matches_the_records(run):
    result = run("schema exercise")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "ExerciseDoc"
    assert "foot_relevance" in schema["properties"]
    assert schema["properties"]["schema"]["const"] == "footcoach.exercise/1"


def test_unknown_schema_exits_2(run):
    result = run("schema exercize")
    assert result.exit_code == 2
    assert "did you mean exercise" in result.stderr


def test_malformed_catalog_in_data_dir_exits_2_naming_file_and_field(run, tmp_path, library):
    import shutil

    from footcoach.adapters.catalog_files import package_data

    src = package_data()
    shutil.copytree(str(src), tmp_path / "data")
    bad = tmp_path / "data" / "exercises" / "heel-raise.toml"
    bad.write_text(bad.read_text().replace('category = "strength"', 'category = "strong"'))
    result = run("exercises", env={"FOOTCOACH_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 2
    assert "heel-raise.toml" in result.stderr
    assert "'category'" in result.stderr
    assert "strong" in result.stderr
