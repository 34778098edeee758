"""`footcoach import` of a backup over a cap: exit 2 naming the table and the cap, nothing
written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from footcoach.services import restoring

INTAKE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "intake.json"


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'fc.db'}"
    monkeypatch.setenv("FOOTCOACH_DATABASE_URL", url)
    monkeypatch.delenv("FOOTCOACH_PROFILE", raising=False)
    return url


def test_a_backup_over_a_cap_is_refused_naming_the_table_and_the_cap(run, db, tmp_path):
    run(f"init --intake {INTAKE} --start 2026-11-23")
    backup = tmp_path / "backup.json"
    assert run(f"export --json {backup}").exit_code == 0
    document = json.loads(backup.read_text())
    cap = restoring.ROW_CAPS["checkins"]
    document["checkins"] = [
        {"date": "2026-11-23", "first_step_pain": 3} for _ in range(cap + 1)
    ]  # refused for its size before the repeated day is even looked at
    backup.write_text(json.dumps(document))
    result = run(f"import {backup} --profile copy")
    assert result.exit_code == 2
    assert f"checkins: got '{cap + 1:,} rows'; at most {cap:,} rows" in result.stderr
    assert "Traceback" not in result.stderr
    assert run("today --profile copy").exit_code == 2  # no such profile: nothing written
