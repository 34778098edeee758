"""`footcoach protocols`, `protocol ID`, `plan` and `schema NAME`: output, documents, bad input."""

import gc
import json
import shlex
import warnings
from pathlib import Path

import pytest

from footcoach.cli.app import app
from footcoach.schemas.program import ProgramDoc, ProtocolDoc

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
INTAKE = EXAMPLES / "intake.json"
REFER = EXAMPLES / "intake-refer.json"
HISTORY = EXAMPLES / "history.json"
START = "2026-11-23"

PROTOCOL_IDS = {
    "foot-trainer-rehab",
    "stretch-roll-strengthen",
    "foot-strength-basics",
    "seven-foot-exercises",
    "intrinsic-strength",
    "plantar-fascia-stretching",
    "high-load-strength",
    "footcoach",
}
SCHEMA_TYPES = {"object", "array", "string", "integer", "number", "boolean", "null"}


def q(path: Path) -> str:
    return shlex.quote(str(path))


def example(path: Path = INTAKE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write(tmp_path: Path, document: object, name: str = "doc.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def plan_json(run, intake: Path = INTAKE, extra: str = "") -> dict:
    result = run(f"plan --intake {q(intake)} --start {START} --json {extra}")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def assert_bad_input(result, *expected: str) -> list[str]:
    """Exit 2, nothing on stdout, no traceback, and each expected text on one stderr line."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("footcoach: ") for line in lines), lines
    assert any(all(text in line for text in expected) for line in lines), (expected, lines)
    return lines


# footcoach protocols / protocol ID ---------------------------------------------------------


def test_protocols_table_lists_every_protocol(run):
    result = run("protocols")
    assert result.exit_code == 0, result.stderr
    for protocol_id in PROTOCOL_IDS:
        assert protocol_id in result.stdout, protocol_id
    assert "footcoach protocol ID" in result.stdout


def test_protocols_json_lists_every_protocol_as_a_valid_document(run):
    result = run("protocols --json")
    assert result.exit_code == 0, result.stderr
    docs = json.loads(result.stdout)
    ids = [d["id"] for d in docs]
    assert set(ids) >= PROTOCOL_IDS
    assert ids == sorted(ids)
    for doc in docs:
        ProtocolDoc.model_validate(doc)
        assert doc["schema"] == "footcoach.protocol/1"
        assert doc["phases"], doc["id"]


def test_protocol_shows_phases_items_and_evidence(run):
    result = run("protocol high-load-strength")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "High-load heel raises" in out
    assert "[high-load-strength]" in out  # escaped, so rich shows it instead of reading markup
    assert "Evidence:" in out
    assert "Phase " in out
    assert "high-load-heel-raise" in out


def test_protocol_json_is_the_same_document_as_in_the_list(run):
    result = run("protocol footcoach --json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    ProtocolDoc.model_validate(doc)
    assert doc["id"] == "footcoach"
    listed = {d["id"]: d for d in json.loads(run("protocols --json").stdout)}
    assert listed["footcoach"] == doc


def test_unknown_protocol_exits_2_with_did_you_mean(run):
    result = run("protocol high-load-strenth")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "unknown protocol 'high-load-strenth'" in result.stderr
    assert "did you mean high-load-strength" in result.stderr
    assert "Traceback" not in result.stderr


# footcoach plan ----------------------------------------------------------------------------


def test_plan_json_is_a_valid_program_document(run):
    doc = plan_json(run)
    ProgramDoc.model_validate(doc)
    assert doc["schema"] == "footcoach.program/1"
    assert doc["status"] == "ok"
    assert doc["protocol"] == "footcoach"
    assert doc["referral"] is None
    assert doc["adjustment"] is None  # no history
    assert len(doc["weeks"]) == 12  # the footcoach protocol's default
    assert doc["weeks"][0]["days"][0]["date"] == START
    assert [d["date"] for d in doc["weeks"][0]["days"]][-1] == "2026-11-29"
    items = [
        item
        for week in doc["weeks"]
        for day in week["days"]
        for session in day["sessions"]
        for item in session["items"]
    ]
    assert items and all(item["why"] and item["sources"] for item in items)
    assert any(item["first_side"] == "left" for item in items)  # the example's painful foot
    assert doc["excluded"] and doc["notes"]


def test_plan_json_is_byte_identical_on_two_runs(run):
    command = f"plan --intake {q(INTAKE)} --start {START} --json"
    first, second = run(command), run(command)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout


def test_plan_closes_the_files_it_reads(run):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(f"plan --intake {q(INTAKE)} --history {q(HISTORY)} --start {START} --json")
        gc.collect()
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaks == []


def test_plan_reads_the_intake_from_stdin(run):
    result = run.runner.invoke(
        app,
        ["plan", "--intake", "-", "--start", START, "--json"],
        input=INTAKE.read_text(encoding="utf-8"),
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    from_file = run(f"plan --intake {q(INTAKE)} --start {START} --json")
    assert result.stdout == from_file.stdout


def test_plan_table_summarises_the_program(run):
    result = run(f"plan --intake {q(INTAKE)} --start {START}")
    assert result.exit_code == 0, result.stderr
    assert "Program (footcoach)" in result.stdout
    assert "First day, Monday 23 November 2026" in result.stdout  # START, in words
    assert "--json" in result.stdout


def test_plan_weeks_and_protocol_options(run):
    doc = plan_json(run, extra="--weeks 3 --protocol high-load-strength")
    ProgramDoc.model_validate(doc)
    assert doc["protocol"] == "high-load-strength"
    assert [w["week"] for w in doc["weeks"]] == [1, 2, 3]


def test_referral_example_gives_a_referral_and_no_weeks(run):
    doc = plan_json(run, REFER)
    ProgramDoc.model_validate(doc)
    assert doc["status"] == "refer"
    assert doc["weeks"] == []
    referral = doc["referral"]
    assert referral["urgency"] in {"urgent", "soon"}
    assert referral["urgency"] == "soon"  # numbness and tingling: see someone soon
    assert "numbness_tingling" in [r["flag"] for r in referral["reasons"]]
    assert referral["advice"]


def test_referral_table_says_see_a_clinician(run):
    result = run(f"plan --intake {q(REFER)} --start {START}")
    assert result.exit_code == 0, result.stderr
    assert "See a clinician first" in result.stdout
    assert "Urgency: soon" in result.stdout


@pytest.mark.parametrize(
    ("flag", "urgency", "words"),
    [
        ("calf_swollen_warm_or_tender", "urgent", "blood clot"),
        ("psoriasis_bowel_or_eye_inflammation", "soon", "inflammation"),
        ("calf_pain_walking_eases_at_rest", "soon", "blood flow"),
    ],
)
@pytest.mark.parametrize("sites", [["plantar_heel"], ["calf"], ["arch", "toes"]])
def test_each_new_red_flag_gives_its_triage_whatever_hurts(
    run, tmp_path, flag, urgency, words, sites
):
    path = write(tmp_path, example() | {"red_flags": [flag], "pain_site": sites})
    doc = plan_json(run, path)
    ProgramDoc.model_validate(doc)
    assert doc["status"] == "refer" and doc["weeks"] == []
    assert doc["referral"]["urgency"] == urgency
    (reason,) = [r for r in doc["referral"]["reasons"] if r["flag"] == flag]
    assert words in reason["explanation"]


def test_a_main_site_away_from_the_heel_refers_soon(run, tmp_path):
    sites = {"pain_site": ["plantar_heel", "arch"]}
    path = write(tmp_path, example() | sites | {"main_pain_site": "arch"})
    referral = plan_json(run, path)["referral"]
    assert referral["urgency"] == "soon"
    assert [r["flag"] for r in referral["reasons"]] == ["main_pain_site:arch"]
    heel = write(tmp_path, example() | sites | {"main_pain_site": "plantar_heel"}, "heel.json")
    assert plan_json(run, heel)["status"] == "ok"


def test_pregnancy_and_an_injection_still_give_a_plan(run, tmp_path):
    changes = {"pregnant": True, "steroid_injection_weeks_ago": 1}
    doc = plan_json(run, write(tmp_path, example() | changes))
    assert doc["status"] == "ok" and doc["weeks"]


def test_history_gives_an_adjustment(run):
    doc = plan_json(run, extra=f"--history {q(HISTORY)}")
    ProgramDoc.model_validate(doc)
    assert doc["status"] == "ok"
    adjustment = doc["adjustment"]
    assert adjustment is not None
    assert adjustment["action"] in {"progress", "repeat", "regress", "pause"}
    assert adjustment["reason"]


# footcoach schema NAME ---------------------------------------------------------------------


def _check_schema_node(node: object, defs: dict, where: str) -> None:
    """A small structural check of a JSON Schema (no validator library is installed)."""
    if isinstance(node, list):
        for i, child in enumerate(node):
            _check_schema_node(child, defs, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    if "type" in node:
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        assert set(types) <= SCHEMA_TYPES, (where, node["type"])
    if "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in defs, (where, ref)
    if isinstance(node.get("properties"), dict):
        assert set(node.get("required", [])) <= set(node["properties"]), where
    if "enum" in node:
        assert isinstance(node["enum"], list) and node["enum"], where
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            assert isinstance(node[key], list) and node[key], (where, key)
    for key, child in node.items():
        if key == "properties":
            assert all(isinstance(v, dict) for v in child.values()), where
        _check_schema_node(child, defs, f"{where}.{key}")


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("exercise", "ExerciseDoc"),
        ("intake", "IntakeDoc"),
        ("history", "HistoryDoc"),
        ("program", "ProgramDoc"),
        ("protocol", "ProtocolDoc"),
    ],
)
def test_schema_prints_a_json_schema_document(run, subject, title):
    result = run(f"schema {subject}")
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == title
    assert schema["type"] == "object"
    assert schema["properties"]["schema"]["const"] == f"footcoach.{subject}/1"
    assert "schema" in schema["required"]
    _check_schema_node(schema, schema.get("$defs", {}), subject)


@pytest.mark.parametrize(
    ("subject", "document"),
    [("intake", INTAKE), ("intake", REFER), ("history", HISTORY)],
    ids=["intake", "intake-refer", "history"],
)
def test_examples_have_the_fields_their_schema_names(run, subject, document):
    schema = json.loads(run(f"schema {subject}").stdout)
    fields = set(example(document))
    assert set(schema["required"]) <= fields <= set(schema["properties"])


def test_intake_schema_names_the_new_fields_and_flags(run):
    schema = json.loads(run("schema intake").stdout)
    properties = schema["properties"]
    assert {"main_pain_site", "pregnant", "steroid_injection_weeks_ago"} <= set(properties)
    assert not {"main_pain_site", "pregnant", "steroid_injection_weeks_ago"} & set(
        schema["required"]
    )
    assert (
        properties["pregnant"]["type"] == "boolean" and properties["pregnant"]["default"] is False
    )
    weeks = properties["steroid_injection_weeks_ago"]
    assert {"type": "integer", "minimum": 0, "maximum": 520} in [
        {k: v for k, v in option.items() if k in ("type", "minimum", "maximum")}
        for option in weeks["anyOf"]
    ]
    flags = schema["$defs"]["RedFlag"]["enum"]
    assert {
        "calf_swollen_warm_or_tender",
        "psoriasis_bowel_or_eye_inflammation",
        "calf_pain_walking_eases_at_rest",
    } <= set(flags)


def test_program_document_has_the_fields_its_schema_names(run):
    schema = json.loads(run("schema program").stdout)
    assert set(plan_json(run)) == set(schema["properties"]) == set(schema["required"])


def test_unknown_schema_lists_the_names(run):
    result = run("schema programme")
    assert_bad_input(
        result, "schema: got 'programme'", "did you mean program", "exercise, intake, history"
    )


# bad input: exit 2, no traceback, one line per problem naming field, value and what is allowed


INTAKE_PROBLEMS = [
    (
        "schema",
        {"schema": "footcoach.intake/2"},
        ("schema: got 'footcoach.intake/2'", "'footcoach.intake/1'"),
    ),
    ("age", {"age": 200}, ("age: got 200", "from 1 to 120")),
    ("feet", {"feet": "middle"}, ("feet: got 'middle'", "left, right, both")),
    (
        "red_flag",
        {"red_flags": ["dizzy"]},
        ("red_flags[0]: got 'dizzy'", "allowed:", "numbness_tingling"),
    ),
    (
        "pain_site",
        {"pain_site": []},
        ("pain_site: got []", "at least one site", "heel_pain", "foot_strength"),
    ),
    (
        "equipment",
        {"equipment": ["towel", "trampoline"]},
        ("equipment[1]: got 'trampoline'", "allowed:", "golf_ball"),
    ),
    ("minutes", {"minutes_per_day": 2}, ("minutes_per_day: got 2", "from 5 to 120")),
    ("wake_time", {"wake_time": "25:00"}, ("wake_time: got '25:00'", "HH:MM")),
    (
        "same_wake_and_bed_time",
        {"wake_time": "06:30", "bed_time": "06:30"},
        ("bed_time: got '06:30'", "wake_time"),
    ),
    ("pregnant", {"pregnant": "no"}, ("pregnant: got 'no'", "true or false")),
    (
        "steroid_injection_weeks_ago",
        {"steroid_injection_weeks_ago": 521},
        ("steroid_injection_weeks_ago: got 521", "from 0 to 520, or null"),
    ),
    (
        "steroid_injection_weeks_ago_negative",
        {"steroid_injection_weeks_ago": -2},
        ("steroid_injection_weeks_ago: got -2", "from 0 to 520, or null"),
    ),
    (
        "main_pain_site",
        {"main_pain_site": "calf"},
        ("main_pain_site: got 'calf'", "plantar_heel, arch"),
    ),
    (
        "main_pain_site_unknown",
        {"main_pain_site": "knee"},
        ("main_pain_site: got 'knee'", "allowed:", "plantar_heel"),
    ),
    ("extra_field", {"shoe_size": 42}, ("shoe_size: got 42", "no such field", "minutes_per_day")),
]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [(c, e) for _, c, e in INTAKE_PROBLEMS],
    ids=[name for name, _, _ in INTAKE_PROBLEMS],
)
def test_bad_intake_exits_2_naming_field_value_and_allowed(run, tmp_path, changes, expected):
    path = write(tmp_path, example() | changes)
    lines = assert_bad_input(run(f"plan --intake {q(path)} --start {START}"), *expected)
    assert len(lines) == 1, lines


def test_bad_intake_from_stdin_is_reported_the_same_way(run):
    result = run.runner.invoke(
        app,
        ["plan", "--intake", "-", "--json"],
        input=json.dumps(example() | {"age": 200}),
        catch_exceptions=False,
    )
    assert_bad_input(result, "age: got 200", "from 1 to 120")


def test_several_problems_in_one_intake_are_all_reported(run, tmp_path):
    bad = example() | {
        "age": 200,
        "feet": "middle",
        "minutes_per_day": 2,
        "wake_time": "25:00",
        "equipment": ["trampoline"],
    }
    result = run(f"plan --intake {q(write(tmp_path, bad))} --start {START} --json")
    lines = assert_bad_input(result, "age: got 200")
    for expected in (
        "age: got 200",
        "feet: got 'middle'",
        "minutes_per_day: got 2",
        "wake_time: got '25:00'",
        "equipment[0]: got 'trampoline'",
    ):
        assert sum(expected in line for line in lines) == 1, (expected, lines)
    assert len(lines) == 5, lines


def test_problems_in_intake_history_and_options_are_reported_together(run, tmp_path):
    intake = write(tmp_path, example() | {"minutes_per_day": 2}, "intake.json")
    history = write(
        tmp_path,
        {"schema": "footcoach.history/1", "entries": [{"date": START, "first_step_pain": 11}]},
        "history.json",
    )
    result = run(f"plan --intake {q(intake)} --history {q(history)} --start 2026-13-01")
    lines = assert_bad_input(result, "minutes_per_day: got 2")
    assert any("entries[0].first_step_pain: got 11" in line for line in lines), lines
    assert any("start: got '2026-13-01'" in line for line in lines), lines
    assert len(lines) == 3, lines


def test_cross_field_problem_is_reported_next_to_field_problems(run, tmp_path):
    bad = example() | {"age": 200, "pain_site": []}
    result = run(f"plan --intake {q(write(tmp_path, bad))} --start {START}")
    lines = assert_bad_input(result, "age: got 200")
    assert any("pain_site: got []" in line for line in lines), lines


def test_intake_that_is_not_json_exits_2(run, tmp_path):
    path = tmp_path / "intake.json"
    path.write_text("{not json", encoding="utf-8")
    result = run(f"plan --intake {q(path)} --start {START}")
    assert_bad_input(result, "intake: got ", "intake.json", "which this file is not", "line 1")


def test_intake_that_is_not_an_object_exits_2(run, tmp_path):
    result = run(f"plan --intake {q(write(tmp_path, [1, 2]))} --start {START}")
    assert_bad_input(result, "got 'list'", "a JSON object")


def test_missing_intake_file_exits_2(run, tmp_path):
    missing = tmp_path / "missing.json"
    result = run(f"plan --intake {q(missing)} --start {START}")
    assert_bad_input(result, "intake: got ", "missing.json", "a readable file")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("--start 2026-13-01", ("start: got '2026-13-01'", "YYYY-MM-DD")),
        (f"--start {START} --weeks 0", ("weeks: got 0", "from 1 to 52")),
        (f"--start {START} --weeks 53", ("weeks: got 53", "from 1 to 52")),
        (
            f"--start {START} --protocol nonsense",
            ("protocol 'nonsense'", "allowed:", "footcoach", "high-load-strength"),
        ),
    ],
    ids=["start", "weeks-0", "weeks-53", "protocol"],
)
def test_bad_plan_option_exits_2(run, options, expected):
    result = run(f"plan --intake {q(INTAKE)} {options} --json")
    assert_bad_input(result, *expected)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            {"date": START, "first_step_pain": 11},
            ("entries[1].first_step_pain: got 11", "from 0 to 10"),
        ),
        (
            {"date": START, "slot": "daytime", "completed": True, "pain_during": 11},
            ("entries[1].pain_during: got 11", "from 0 to 10"),
        ),
        ({"date": "2026-02-30", "first_step_pain": 3}, ("entries[1].date: got '2026-02-30'",)),
        ({"date": "yesterday", "first_step_pain": 3}, ("entries[1].date: got 'yesterday'",)),
        (
            {"date": START, "slot": "lunch", "completed": True},
            ("entries[1].slot: got 'lunch'", "daytime"),
        ),
    ],
    ids=["first_step_pain-11", "pain_during-11", "date-feb-30", "date-word", "slot"],
)
def test_bad_history_entry_exits_2_naming_the_entry(run, tmp_path, entry, expected):
    history = example(HISTORY)
    history["entries"].insert(1, entry)
    path = write(tmp_path, history)
    result = run(f"plan --intake {q(INTAKE)} --history {q(path)} --start {START} --json")
    if "date" in expected[0]:
        expected = (*expected, "YYYY-MM-DD")
    lines = assert_bad_input(result, *expected)
    assert len(lines) == 1, lines


def test_history_with_the_wrong_schema_exits_2(run, tmp_path):
    path = write(tmp_path, example(HISTORY) | {"schema": "footcoach.history/2"})
    result = run(f"plan --intake {q(INTAKE)} --history {q(path)} --start {START}")
    assert_bad_input(result, "schema: got 'footcoach.history/2'", "footcoach.history/1")
