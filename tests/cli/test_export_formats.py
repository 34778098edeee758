"""footcoach export --csv and --fhir: what is written, and bad folders and files refused with
exit code 2 and nothing written."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
INTAKE = EXAMPLES / "intake.json"


@pytest.fixture
def db(tmp_path, monkeypatch, run):
    url = f"sqlite:///{tmp_path / 'fc.db'}"
    monkeypatch.setenv("FOOTCOACH_DATABASE_URL", url)
    monkeypatch.delenv("FOOTCOACH_PROFILE", raising=False)
    assert run(f"init --intake {INTAKE} --start 2026-11-23").exit_code == 0
    assert run("checkin --first-step-pain 6 --date 2026-11-23").exit_code == 0
    assert run("checkin --first-step-pain 4 --date 2026-11-24").exit_code == 0
    return url


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_writes_the_four_tables(run, db, tmp_path):
    result = run(f"export --csv {tmp_path / 'sheets'}")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "sheets").iterdir())
    assert names == ["checkins.csv", "items.csv", "questionnaires.csv", "sessions.csv"]
    assert _rows(tmp_path / "sheets" / "checkins.csv") == [
        {"date": "2026-11-23", "first_step_pain": "6"},
        {"date": "2026-11-24", "first_step_pain": "4"},
    ]
    assert _rows(tmp_path / "sheets" / "sessions.csv") == []
    assert "checkins.csv 2 rows" in result.stderr and "sessions.csv 0 rows" in result.stderr


def test_csv_agrees_with_the_json_backup(run, db, tmp_path):
    from tests.support.csv_reading import as_backup_parts, backup_parts, read_folder

    assert run(f"export --csv {tmp_path}").exit_code == 0
    document = json.loads(run("export --json -").stdout)
    assert as_backup_parts(read_folder(tmp_path)) == backup_parts(document)


def test_csv_into_a_file_is_refused_with_exit_2(run, db, tmp_path):
    taken = tmp_path / "taken.txt"
    taken.write_text("mine")
    result = run(f"export --csv {taken}")
    assert result.exit_code == 2
    assert f"--csv: got '{taken}'; a folder, not a file" in result.stderr
    assert "Traceback" not in result.stderr
    assert taken.read_text() == "mine"


def test_csv_under_a_missing_folder_is_refused_and_nothing_made(run, db, tmp_path):
    result = run(f"export --csv {tmp_path / 'no' / 'such'}")
    assert result.exit_code == 2
    assert "a folder that can be made" in result.stderr
    assert not (tmp_path / "no").exists()


def test_one_format_at_a_time(run, db, tmp_path):
    both = run(f"export --json {tmp_path / 'b.json'} --csv {tmp_path / 'c'}")
    assert both.exit_code == 2
    assert "exactly one of --json FILE, --csv FOLDER or --fhir FILE" in both.stderr
    assert list(tmp_path.glob("b.json*")) == [] and not (tmp_path / "c").exists()
    none = run("export")
    assert none.exit_code == 2 and "got 'none'" in none.stderr


def test_fhir_writes_a_valid_bundle(run, db, tmp_path):
    from tests.support.fhir_checks import resources, unresolved, validate

    result = run(f"export --fhir {tmp_path / 'record.json'}")
    assert result.exit_code == 0, result.stderr
    bundle = json.loads((tmp_path / "record.json").read_text(encoding="utf-8"))
    validate(bundle)
    assert unresolved(bundle) == []
    assert [o["valueInteger"] for o in resources(bundle, "Observation")] == [6, 4]
    assert f"({len(bundle['entry'])} resources)" in result.stderr
    assert list(tmp_path.glob(".*.tmp")) == []


def test_fhir_to_stdout(run, db):
    result = run("export --fhir -")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["type"] == "collection"


@pytest.mark.parametrize(
    ("where", "says"),
    [("no/such/folder/record.json", "a file footcoach can write"), (".", "not a folder")],
)
def test_fhir_to_a_place_that_cannot_be_written_is_exit_2(run, db, tmp_path, where, says):
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run(f"export --fhir {tmp_path / where}")
    assert result.exit_code == 2
    assert result.stderr.startswith("footcoach: --fhir: got ") and says in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
