"""`footcoach progress` on a temporary SQLite database: the summary, --json, --png, bad input."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from footcoach.cli.progress_commands import SPARK_BARS, sparkline

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
INTAKE = EXAMPLES / "intake.json"
START = date(2026, 11, 23)
TODAY = "2026-11-29"


def day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'fc.db'}"
    monkeypatch.setenv("FOOTCOACH_DATABASE_URL", url)
    monkeypatch.delenv("FOOTCOACH_PROFILE", raising=False)
    return url


def _sessions(url: str, days: range) -> None:
    """Every planned session of these days done, through the services (no terminal needed)."""
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings

    class Clock:
        now_day = START

        def now(self) -> datetime:
            d = self.now_day
            return datetime(d.year, d.month, d.day, 9, 0, tzinfo=UTC)

        def today(self) -> date:
            return self.now_day

    clock = Clock()
    services = build_services(Settings(database_url=url), clock=clock)
    try:
        for n in days:
            clock.now_day = START + timedelta(days=n)
            for planned in services.tracking.today("default").sessions:
                opened = services.tracking.start_session("default", planned.session.slot.value)
                services.tracking.finish_session(opened.id, True, 2, 3)
    finally:
        services.close()


@pytest.fixture
def recorded(run, db, tmp_path):
    """A week: check-ins easing from 6 to 3, six days of sessions, two FFIs and two FAAMs."""
    assert run(f"init --intake {INTAKE} --start {START.isoformat()}").exit_code == 0
    for n, pain in enumerate([6, 6, 5, 5, 4, 4, 3]):
        result = run(f"checkin --first-step-pain {pain} --date {day(n)}")
        assert result.exit_code == 0, result.stderr
    _sessions(db, range(6))
    for n, ffi_level, faam_level in ((0, 6, 2), (6, 4, 3)):
        ffi = tmp_path / f"ffi-{n}.json"
        ffi.write_text(json.dumps({"items": [ffi_level] * 23}), encoding="utf-8")
        faam = tmp_path / f"faam-{n}.json"
        faam.write_text(
            json.dumps({"adl": [faam_level] * 21, "sports": [faam_level] * 8}), encoding="utf-8"
        )
        for instrument, path in (("ffi", ffi), ("faam", faam)):
            result = run(f"questionnaire {instrument} --answers {path} --date {day(n)}")
            assert result.exit_code == 0, result.stderr
    return db


def test_the_summary_in_the_terminal(run, recorded):
    result = run(f"progress --date {TODAY}")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Progress of default on Sunday 29 November 2026" in out
    assert "Week 1 of" in out and "calm phase" in out
    assert "Sessions done: 18 of 18 sessions (100%) · streak 6 days" in out
    assert "each morning" in out and "7-day mean" in out
    assert any(bar in out for bar in SPARK_BARS)
    assert "Baseline 6/10, 7-day mean now 4.7/10: -1.3, no meaningful change" in out
    assert "(a change that matters: 2 points)" in " ".join(out.split())
    assert "Foot Function Index" in out and "Foot and Ankle Ability Measure" in out
    assert "40.0 (-20.0✓)" in out  # FFI total 60 -> 40, MID 7
    assert "75.0 (+25.0✓)" in out  # FAAM ADL 50 -> 75, MID 8
    assert "Since Monday 23 November 2026: pain -20.0✓, disability -20.0✓, total -20.0✓" in out
    assert "Pain monitor:" in out


def test_json_has_the_documented_shape(run, recorded):
    result = run(f"progress --json --date {TODAY}")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {
        "schema",
        "profile",
        "date",
        "adherence",
        "streak_days",
        "first_step_pain",
        "ffi",
        "faam",
        "phase",
        "adjustment",
        "clinician_prompt",
    }
    assert doc["schema"] == "footcoach.progress/1"
    assert (doc["profile"], doc["date"], doc["phase"]) == ("default", TODAY, "calm")
    assert doc["adherence"] == {"done": 18, "planned": 18, "share": 1.0}
    assert doc["streak_days"] == 6
    pain = doc["first_step_pain"]
    assert set(pain) == {"baseline", "latest_mean_7d", "change", "verdict", "days"}
    assert (pain["baseline"], pain["latest_mean_7d"], pain["change"]) == (6, 4.71, -1.29)
    assert pain["verdict"] == "no_meaningful_change"
    assert pain["days"][0] == {"date": day(0), "value": 6, "mean_7d": 6.0}
    assert len(pain["days"]) == 7
    first, second = doc["ffi"]
    assert set(second) == {
        "date",
        "pain",
        "disability",
        "activity_limitation",
        "total",
        "change_from_first",
        "change_from_previous",
        "meaningful",
    }
    assert first["change_from_first"] == {} and first["meaningful"] is False
    assert second["total"] == 40.0
    assert second["change_from_first"]["total"] == {
        "difference": -20.0,
        "direction": "better",
        "mid": 7.0,
        "meaningful": True,
    }
    assert "activity_limitation" not in second["change_from_first"]  # no published MID
    assert second["meaningful"] is True
    faam = doc["faam"][1]
    assert set(faam) == {
        "date",
        "adl",
        "sports",
        "change_from_first",
        "change_from_previous",
        "meaningful",
    }
    assert faam["change_from_first"]["adl"]["direction"] == "better"
    assert doc["adjustment"] is None or set(doc["adjustment"]) == {"action", "reason"}


def test_png_writes_a_chart(run, recorded, tmp_path):
    target = tmp_path / "progress.png"
    result = run(f"progress --png {target} --date {TODAY}")
    assert result.exit_code == 0, result.stderr
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    assert f"wrote {target}" in result.stderr
    assert "Sessions done" in result.stdout  # the summary is still shown


def test_png_with_json_keeps_stdout_pure_json(run, recorded, tmp_path):
    target = tmp_path / "chart.png"
    result = run(f"progress --png {target} --json --date {TODAY}")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["schema"] == "footcoach.progress/1"
    assert target.stat().st_size > 0


def test_png_into_a_missing_folder_exits_2(run, recorded, tmp_path):
    target = tmp_path / "no-such-folder" / "chart.png"
    result = run(f"progress --png {target} --date {TODAY}")
    assert result.exit_code == 2
    assert "png" in result.stderr and "Traceback" not in result.stderr


def test_a_new_profile_with_nothing_recorded(run, tmp_path, monkeypatch):
    monkeypatch.delenv("FOOTCOACH_DATABASE_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'other.db'}"
    assert run(f"init --intake {INTAKE} --start 2026-11-23 --profile new --db {url}").exit_code == 0
    result = run(f"progress --profile new --db {url} --date 2026-11-23")
    assert result.exit_code == 0, result.stderr
    assert "Sessions done: 0 of 0 sessions (nothing planned yet) · streak 0 days" in result.stdout
    assert "no check-ins yet" in result.stdout and "none taken yet" in result.stdout
    empty = tmp_path / "empty.png"
    assert run(f"progress --profile new --db {url} --png {empty}").exit_code == 0
    assert empty.stat().st_size > 0


def test_an_unknown_profile_exits_2_naming_it(run, db):
    result = run("progress --profile nobody")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'nobody'" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_date_exits_2(run, db):
    result = run("progress --date 2026-13-01")
    assert result.exit_code == 2
    assert "date" in result.stderr and "YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize(
    ("values", "expected"),
    [([0, 10], "▁█"), ([None, 5, None], " ▅ "), ([2.5, 7.4], "▃▆"), ([], "")],
)
def test_sparkline_uses_a_fixed_0_to_10_scale(values, expected):
    assert sparkline(values) == expected
