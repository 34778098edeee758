"""init, today, checkin, export, import and db upgrade, on a temporary SQLite database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
INTAKE = EXAMPLES / "intake.json"
REFER = EXAMPLES / "intake-refer.json"


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'fc.db'}"
    monkeypatch.setenv("FOOTCOACH_DATABASE_URL", url)
    monkeypatch.delenv("FOOTCOACH_PROFILE", raising=False)
    return url


def test_init_from_a_file_then_today(run, db):
    result = run(f"init --intake {INTAKE} --start 2026-11-23")
    assert result.exit_code == 0, result.stderr
    assert "Saved as profile 'default'" in result.stdout
    today = json.loads(run("today --date 2026-11-23 --json").stdout)
    assert today["schema"] == "footcoach.today/1"
    assert today["week"] == 1 and today["phase"] == "calm"
    assert today["checkin_due"] is True
    assert [s["slot"] for s in today["sessions"]] == ["before_first_step", "daytime", "evening"]
    assert all(s["state"] == "pending" for s in today["sessions"])
    table = run("today --date 2026-11-23")
    assert "Morning check-in due" in table.stdout and "plantar-fascia-stretch" in table.stdout


def test_init_on_a_referral_stores_nothing(run, db):
    result = run(f"init --intake {REFER}")
    assert result.exit_code == 0
    assert "See a clinician first" in result.stdout
    missing = run("today")
    assert missing.exit_code == 2
    assert "no profile 'default'" in missing.stderr


def test_init_asks_the_questions_when_no_file_is_given(run, db):
    answers = ["47", "heel_pain", "left", "plantar_heel", "7", "12"]
    answers += ["n"] * 17 + ["n", "n"] + ["towel, wall", "25", "06:30", "22:30"]
    result = run("init --start 2026-11-23 --profile asked", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "hurts most" not in result.stdout  # one site: the main site is not asked
    today = json.loads(run("today --date 2026-11-23 --json --profile asked").stdout)
    assert today["phase"] == "calm"
    intake = json.loads(run("export --json - --profile asked").stdout)["profile"]["intake"]
    assert intake["pregnant"] is False and intake["steroid_injection_weeks_ago"] is None
    assert intake["main_pain_site"] is None


def test_init_asks_the_main_site_pregnancy_and_injection(run, db):
    answers = ["47", "heel_pain", "left", "arch, plantar_heel", "", "toes", "plantar_heel"]
    answers += ["7", "12"] + ["n"] * 17 + ["y", "y", "600", "1"]
    answers += ["towel, wall", "25", "06:30", "22:30"]
    result = run("init --start 2026-11-23 --profile asked", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Which of these places hurts most? (plantar_heel/arch): " in result.stdout
    assert result.stdout.count("Please type one of: plantar_heel, arch.") == 2
    assert "Are you pregnant?" in result.stdout and "cortisone" in result.stdout
    assert "from 0 to 520" in result.stdout
    intake = json.loads(run("export --json - --profile asked").stdout)["profile"]["intake"]
    assert intake["main_pain_site"] == "plantar_heel"
    assert intake["pregnant"] is True and intake["steroid_injection_weeks_ago"] == 1


def test_a_main_site_away_from_the_heel_asked_at_init_refers(run, db):
    answers = ["47", "heel_pain", "left", "plantar_heel, arch", "arch", "7", "12"]
    answers += ["n"] * 17 + ["n", "n"] + ["towel, wall", "25", "06:30", "22:30"]
    result = run("init --profile asked", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "See a clinician first" in result.stdout
    assert "main pain is somewhere else" in result.stdout


@pytest.mark.parametrize(
    ("flag", "words"),
    [
        ("calf_swollen_warm_or_tender", "Is one of your calves swollen"),
        ("psoriasis_bowel_or_eye_inflammation", "Do you have psoriasis"),
        ("calf_pain_walking_eases_at_rest", "Does your calf cramp when you walk"),
    ],
)
def test_init_asks_each_new_safety_question(run, db, flag, words):
    from footcoach.domain.intake import RedFlag
    from footcoach.services.intake_questions import RED_FLAG_QUESTIONS

    position = list(RED_FLAG_QUESTIONS).index(RedFlag(flag))
    flags = ["n"] * 17
    flags[position] = "y"
    answers = ["47", "heel_pain", "left", "plantar_heel", "7", "12", *flags, "n", "n"]
    answers += ["towel, wall", "25", "06:30", "22:30"]
    result = run("init --profile asked", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert words in result.stdout
    assert "See a clinician first" in result.stdout


def test_the_questions_re_ask_until_the_answer_is_valid(run, db):
    answers = ["200", "47", "heel_pain", "left", "plantar_heel, knees", "plantar_heel", "7", "12"]
    answers += ["y"] + ["n"] * 16 + ["n", "n"] + ["towel", "25", "6:30", "06:30", "22:30"]
    result = run("init --profile asked", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stdout
    assert "from 1 to 120" in result.stdout
    assert "Not on the list: knees" in result.stdout
    assert "24-hour time" in result.stdout
    assert "See a clinician first" in result.stdout  # the one 'y' was the injury question


def test_checkin_once_a_day(run, db):
    run(f"init --intake {INTAKE} --start 2026-11-23")
    first = run("checkin --first-step-pain 5 --date 2026-11-24")
    assert first.exit_code == 0 and "5/10" in first.stdout
    second = run("checkin --first-step-pain 4 --date 2026-11-24")
    assert second.exit_code == 2
    assert "has 5/10 already" in second.stderr and "2026-11-24" not in second.stderr
    today = json.loads(run("today --date 2026-11-24 --json").stdout)
    assert today["checkin"] == {"first_step_pain": 5}


def test_checkin_correct_changes_the_days_value(run, db):
    run(f"init --intake {INTAKE} --start 2026-11-23")
    run("checkin --first-step-pain 9 --date 2026-11-24")
    fixed = run("checkin --first-step-pain 2 --date 2026-11-24 --correct")
    assert fixed.exit_code == 0, fixed.stderr
    assert "now 2/10" in fixed.stdout
    today = json.loads(run("today --date 2026-11-24 --json").stdout)
    assert today["checkin"] == {"first_step_pain": 2}


def test_checkin_correct_on_a_day_without_one_exits_2_and_writes_nothing(run, db):
    run(f"init --intake {INTAKE} --start 2026-11-23")
    result = run("checkin --first-step-pain 2 --date 2026-11-25 --correct")
    assert result.exit_code == 2
    assert "no check-in on Wednesday 25 November 2026" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert json.loads(run("today --date 2026-11-25 --json").stdout)["checkin"] is None


@pytest.mark.parametrize("value", ["11", "-1"])
def test_checkin_out_of_range_writes_nothing(run, db, value):
    run(f"init --intake {INTAKE} --start 2026-11-23")
    result = run(f"checkin --first-step-pain={value} --date 2026-11-24")
    assert result.exit_code == 2
    assert "first_step_pain" in result.stderr and "from 0 to 10" in result.stderr
    assert json.loads(run("today --date 2026-11-24 --json").stdout)["checkin"] is None


def test_checkin_without_a_value_off_a_terminal_says_how(run, db):
    run(f"init --intake {INTAKE}")
    result = run("checkin")
    assert result.exit_code == 2 and "--first-step-pain" in result.stderr


def test_profiles_are_separate(run, db):
    run(f"init --intake {INTAKE} --start 2026-11-23 --profile anna")
    run(f"init --intake {INTAKE} --start 2026-11-23 --profile ben")
    run("checkin --first-step-pain 3 --date 2026-11-23 --profile anna")
    ben = json.loads(run("today --date 2026-11-23 --json --profile ben").stdout)
    assert ben["checkin"] is None


def test_a_bad_profile_name_is_refused(run, db):
    result = run(f"init --intake {INTAKE} --profile 'Anna Smith'")
    assert result.exit_code == 2 and "profile: got 'Anna Smith'" in result.stderr


def test_export_then_import_round_trips(run, db, tmp_path):
    run(f"init --intake {INTAKE} --start 2026-11-23")
    run("checkin --first-step-pain 6 --date 2026-11-23")
    backup = tmp_path / "backup.json"
    assert run(f"export --json {backup}").exit_code == 0
    document = json.loads(backup.read_text())
    assert document["schema"] == "footcoach.backup/1"
    assert run(f"import {backup} --profile copy").exit_code == 0
    again = tmp_path / "again.json"
    run(f"export --json {again} --profile copy")
    copy = json.loads(again.read_text())
    copy["profile"]["name"] = "default"
    assert copy == document
    refused = run(f"import {backup}")
    assert refused.exit_code == 2 and "has data already" in refused.stderr


def test_import_of_a_broken_backup_writes_nothing(run, db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema": "footcoach.backup/1", "profile": {}}))
    result = run(f"import {bad} --profile x")
    assert result.exit_code == 2 and "profile" in result.stderr
    assert run("today --profile x").exit_code == 2


def test_db_upgrade_creates_the_schema(run, tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    result = run(f"db upgrade --db {url}")
    assert result.exit_code == 0 and "revision" in result.stderr
    assert (tmp_path / "new.db").exists()
