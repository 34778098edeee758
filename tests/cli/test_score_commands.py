"""`footcoach score ffi|faam`: files and stdin, the JSON document, the table, bad input."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from footcoach.cli.app import app
from footcoach.schemas.scores import FaamAnswersDoc, FfiAnswersDoc

N = None
# pain 40/70 (two orthosis items N/A), disability 38/90, activity 5/50
FFI_ITEMS = [7, 9, 6, 5, 4, 3, N, N, 6, 3, 4, 5, 6, 5, 2, 4, 3, 6, 0, 0, 1, 0, 4]
FFI_JSON = {
    "schema": "footcoach.score/1",
    "instrument": "ffi",
    "pain": 57.1,
    "disability": 42.2,
    "activity_limitation": 10.0,
    "total": 36.5,
}
# ADL 19 answered: 57/76 = 75.0; Sports 6 of 8 answered: too few, null
FAAM_DOC = {"adl": [3] * 19 + [N, N], "sports": [2, 1, N, 1, 0, 2, 1, N]}
FAAM_JSON = {"schema": "footcoach.score/1", "instrument": "faam", "adl": 75.0, "sports": None}


def write(tmp_path: Path, document: object, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return shlex.quote(str(path))


def stdin(run, args: list[str], text: str):
    return run.runner.invoke(app, args, input=text, catch_exceptions=False)


def assert_bad_input(result, *expected: str) -> list[str]:
    """Exit 2, nothing on stdout, no traceback, one 'footcoach: ...' line per problem."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("footcoach: ") for line in lines), lines
    assert any(all(text in line for text in expected) for line in lines), (expected, lines)
    return lines


# Good input ----------------------------------------------------------------------------------


def test_score_ffi_json_from_a_file(run, tmp_path):
    result = run(f"score ffi --answers {write(tmp_path, {'items': FFI_ITEMS})} --json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == FFI_JSON
    assert list(json.loads(result.stdout)) == list(FFI_JSON)


def test_score_ffi_json_from_stdin_matches_the_file(run, tmp_path):
    document = {"schema": "footcoach.ffi-answers/1", "items": FFI_ITEMS}
    from_stdin = stdin(run, ["score", "ffi", "--answers", "-", "--json"], json.dumps(document))
    assert from_stdin.exit_code == 0, from_stdin.stderr
    from_file = run(f"score ffi --answers {write(tmp_path, document)} --json")
    assert from_stdin.stdout == from_file.stdout
    assert json.loads(from_stdin.stdout) == FFI_JSON


def test_score_faam_json_from_a_file_and_stdin(run, tmp_path):
    result = run(f"score faam --answers {write(tmp_path, FAAM_DOC)} --json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == FAAM_JSON
    piped = stdin(run, ["score", "faam", "--answers", "-", "--json"], json.dumps(FAAM_DOC))
    assert piped.stdout == result.stdout


def test_ffi_scores_are_null_where_no_item_applies(run, tmp_path):
    items = [N] * 9 + [1] * 9 + [2] * 5
    doc = json.loads(run(f"score ffi --answers {write(tmp_path, {'items': items})} --json").stdout)
    assert doc["pain"] is None and doc["total"] is None
    assert doc["disability"] == 10.0 and doc["activity_limitation"] == 20.0


def test_scores_are_rounded_to_one_decimal_in_the_document(run, tmp_path):
    items = [1, N, N, N, N, N, N, N, N] + [1, 1, 0, 0, 0, 0, 0, 0, 0] + [0] * 5
    doc = json.loads(run(f"score ffi --answers {write(tmp_path, {'items': items})} --json").stdout)
    # pain 10.0, disability 2/90 = 2.222..., total 12.222.../3 = 4.074...
    assert doc["disability"] == 2.2 and doc["total"] == 4.1


def test_ffi_table_shows_scores_counts_and_mids(run, tmp_path):
    result = run(f"score ffi --answers {write(tmp_path, {'items': FFI_ITEMS})}")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for text in ("Foot Function Index", "0 = best", "Pain", "57.1", "7 of 9", "Disability"):
        assert text in out, text
    for text in ("42.2", "9 of 9", "Activity limitation", "10.0", "none published", "Total"):
        assert text in out, text
    assert "36.5" in out and "21 of 23" in out
    assert "12" in out and "Landorf & Radford 2008" in out


def test_faam_table_says_what_is_not_scored_and_why(run, tmp_path):
    result = run(f"score faam --answers {write(tmp_path, FAAM_DOC)}")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Foot and Ankle Ability Measure" in out and "100 = best" in out
    assert "75.0" in out and "19 of 21" in out
    assert "not scored" in out and "6 of 8, needs 7" in out
    assert "unverified" not in out
    assert "(Martin et al. 2005)" in out


def test_score_without_a_subcommand_shows_both(run):
    result = run("score --help")
    assert result.exit_code == 0
    assert "ffi" in result.stdout and "faam" in result.stdout


# Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"items": [0] * 22}, ("items: got '22 answers'", "exactly 23")),
        ({"items": [0] * 3 + [11] + [0] * 19}, ("items[3]: got 11", "0 to 10", "ffi-pain-3")),
        ({"items": [0] * 22 + [2.5]}, ("items[22]: got 2.5", "whole number")),
        ({"items": [0] * 22 + ["7"]}, ("items[22]: got '7'",)),
        ({"items": "lots"}, ("items: got 'lots'", "a list of 23 answers")),
        ({}, ("items: got None", "required")),
        ({"items": [0] * 23, "notes": "x"}, ("notes: got 'x'", "no such field")),
        ({"schema": "footcoach.faam-answers/1", "items": [0] * 23}, ("schema:", "ffi-answers")),
        ([0] * 23, ("(document): got 'list'", "a JSON object")),
    ],
    ids=[
        "too few",
        "above 10",
        "fraction",
        "string",
        "not a list",
        "missing",
        "extra field",
        "wrong schema",
        "not an object",
    ],
)
def test_bad_ffi_answers_exit_2_naming_the_field(run, tmp_path, document, expected):
    lines = assert_bad_input(run(f"score ffi --answers {write(tmp_path, document)}"), *expected)
    assert len(lines) == 1, lines


def test_every_ffi_problem_is_reported_on_its_own_line(run, tmp_path):
    document = {"items": [11, 0, -3, 0.5] + [0] * 21}
    lines = assert_bad_input(run(f"score ffi --answers {write(tmp_path, document)} --json"))
    fields = [line.split(":")[1].strip() for line in lines]
    assert fields == ["items", "items[0]", "items[2]", "items[3]"]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"adl": [4] * 20 + [5], "sports": [4] * 8}, ("adl[20]: got 5", "0 (unable")),
        ({"adl": [4] * 21, "sports": [4] * 7}, ("sports: got '7 answers'", "exactly 8")),
        ({"adl": [4] * 21}, ("sports: got None", "required")),
        ({"adl": [4] * 21, "sports": [4] * 8, "total": 1}, ("total: got 1", "no such field")),
    ],
    ids=["above 4", "short sports", "missing sports", "extra field"],
)
def test_bad_faam_answers_exit_2_naming_the_field(run, tmp_path, document, expected):
    lines = assert_bad_input(run(f"score faam --answers {write(tmp_path, document)}"), *expected)
    assert len(lines) == 1, lines


def test_a_missing_list_does_not_hide_problems_in_the_other(run, tmp_path):
    document = {"sports": [9] + [4] * 7}
    lines = assert_bad_input(run(f"score faam --answers {write(tmp_path, document)}"))
    assert len(lines) == 2
    assert "adl: got None" in lines[0] and "sports[0]: got 9" in lines[1]


def test_bad_answers_from_stdin_are_reported_the_same_way(run):
    result = stdin(run, ["score", "faam", "--answers", "-"], json.dumps({"adl": [7], "sports": []}))
    lines = assert_bad_input(result, "adl[0]: got 7")
    assert any("sports: got '0 answers'" in line for line in lines)


def test_not_json_and_missing_files_exit_2(run, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{items: [", encoding="utf-8")
    broken_arg = shlex.quote(str(broken))
    assert_bad_input(run(f"score ffi --answers {broken_arg}"), "which this file is not")
    missing = shlex.quote(str(tmp_path / "nope.json"))
    assert_bad_input(run(f"score faam --answers {missing}"), "answers:", "a readable file")


def test_answers_option_is_required(run):
    result = run("score ffi --json")
    assert result.exit_code == 2
    assert "--answers" in result.stderr


# JSON Schema of the answer documents -----------------------------------------------------------


def test_the_answer_models_accept_what_the_command_accepts():
    FfiAnswersDoc.model_validate({"items": FFI_ITEMS})
    FfiAnswersDoc.model_validate({"schema": "footcoach.ffi-answers/1", "items": FFI_ITEMS})
    FaamAnswersDoc.model_validate(FAAM_DOC)


@pytest.mark.parametrize(
    ("model", "field", "length", "maximum"),
    [
        (FfiAnswersDoc, "items", 23, 10),
        (FaamAnswersDoc, "adl", 21, 4),
        (FaamAnswersDoc, "sports", 8, 4),
    ],
)
def test_the_answer_schemas_say_what_the_command_checks(model, field, length, maximum):
    schema = model.model_json_schema(by_alias=True)
    prop = schema["properties"][field]
    assert prop["minItems"] == prop["maxItems"] == length
    number = next(option for option in prop["items"]["anyOf"] if option.get("type") == "integer")
    assert (number["minimum"], number["maximum"]) == (0, maximum)
    assert {"type": "null"} in prop["items"]["anyOf"]
    assert field in schema["required"] and "schema" not in schema["required"]
    assert schema["properties"]["schema"]["const"].startswith("footcoach.")
    assert schema["additionalProperties"] is False
