"""footcoach calendar: the coming weeks as an iCalendar file, read back as a phone would; bad
options refused with exit code 2, one line each, and nothing written."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
INTAKE = EXAMPLES / "intake.json"


@pytest.fixture
def db(tmp_path, monkeypatch, run):
    url = f"sqlite:///{tmp_path / 'fc.db'}"
    monkeypatch.setenv("FOOTCOACH_DATABASE_URL", url)
    monkeypatch.delenv("FOOTCOACH_PROFILE", raising=False)
    assert run(f"init --intake {INTAKE} --start {date.today().isoformat()}").exit_code == 0
    return url


def planned_sessions(url: str, weeks: int) -> int:
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings

    services = build_services(Settings(database_url=url))
    program = services.tracking.snapshot("default").program
    services.close()
    first, last = date.today(), date.today() + timedelta(days=7 * weeks - 1)
    return sum(len(d.sessions) for w in program.weeks for d in w.days if first <= d.day <= last)


def expand(text: str, weeks: int) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    end = date.today() + timedelta(days=7 * weeks)
    return list(recurring_ical_events.of(calendar).between(date.today(), end))


def test_prints_four_weeks_of_sessions_with_alarms(run, db):
    result = run("calendar")
    assert result.exit_code == 0, result.stderr
    found = expand(result.stdout, 4)
    assert len(found) == planned_sessions(db, 4) > 0
    assert all(any(c.name == "VALARM" for c in e.subcomponents) for e in found)
    in_bed = [e for e in found if "before your first step" in str(e["summary"])]
    assert {e.decoded("dtstart").time() for e in in_bed} == {time(6, 30)}  # the intake's wake
    evening = [e for e in found if "evening" in str(e["summary"])]
    assert all(e.end.time() <= time(22, 30) for e in evening)  # before its bedtime
    assert f"footcoach: {len(found)} sessions from " in result.stderr


def test_writes_a_file_for_the_weeks_asked(run, db, tmp_path):
    target = tmp_path / "sessions.ics"
    result = run(f"calendar --weeks 2 --out {target}")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    found = expand(target.read_text(encoding="utf-8"), 12)
    assert len(found) == planned_sessions(db, 2)
    assert max(e.decoded("dtstart").date() for e in found) == date.today() + timedelta(days=13)
    assert f"wrote {target}: {len(found)} sessions" in result.stderr


@pytest.mark.parametrize(
    ("options", "line"),
    [
        ("--weeks 0", "footcoach: --weeks: got 0; a whole number from 1 to 12"),
        ("--weeks 13", "footcoach: --weeks: got 13; a whole number from 1 to 12"),
        ("--weeks many", "footcoach: --weeks: got 'many'; a whole number from 1 to 12"),
        ("--out plan.txt", "footcoach: --out: got 'plan.txt'; a file name ending in .ics"),
    ],
)
def test_bad_options_exit_2_with_one_line(run, db, options, line):
    result = run(f"calendar {options}")
    assert result.exit_code == 2
    assert result.stderr.strip() == line
    assert result.stdout == ""


def test_an_out_folder_that_does_not_exist_is_refused(run, db, tmp_path):
    target = tmp_path / "nowhere" / "x.ics"
    result = run(f"calendar --out {target}")
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == f"footcoach: --out: got '{target}'; a file in a folder that exists"
    )
    assert not target.parent.exists()


def test_without_a_database_nothing_is_created(run, tmp_path, monkeypatch):
    monkeypatch.delenv("FOOTCOACH_PROFILE", raising=False)
    missing = tmp_path / "none.db"
    result = run(f"calendar --db sqlite:///{missing}")
    assert result.exit_code == 2
    assert "there is no profile 'default' yet" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not missing.exists()
