"""Every terminal output of a person's commands reads in plain words: dates in words, counts
that agree with their nouns, the pain monitor's action as words, errors that quote a short value
and say what is wrong. The same patterns as the pages (tests/support/plain_words.py)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.support.plain_words import project_words

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
COMMAND_WORDS = ("a snake_case key",)
"""Hints that name a command's arguments (footcoach go before_first_step) and import errors that
name a document's fields (checkins.0.first_step_pain) are snake_case on purpose."""


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'fc.db'}"
    monkeypatch.setenv("FOOTCOACH_DATABASE_URL", url)
    monkeypatch.delenv("FOOTCOACH_PROFILE", raising=False)
    return url


def painful_session_today(url: str) -> None:
    """Today's first session done with pain 6/10, so the pain monitor names its day."""
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings

    services = build_services(Settings(database_url=url))
    try:
        first = services.tracking.today("default").sessions[0]
        opened = services.tracking.start_session("default", first.session.slot.value)
        services.tracking.finish_session(opened.id, True, 6, 5)
    finally:
        services.close()


def test_a_persons_commands_print_plain_words(run, db, tmp_path):
    today = date.today()
    start = today - timedelta(days=14)
    outputs: dict[str, str] = {}

    def say(command: str, code: int = 0, allowed: tuple[str, ...] = ()) -> None:
        result = run(command)
        assert result.exit_code == code, (command, result.stdout, result.stderr)
        text = " ".join((result.stdout + " " + result.stderr).split())
        outputs[command] = text
        found = project_words(text, allowed)
        assert found == [], (command, found)

    say(f"init --intake {EXAMPLES / 'intake.json'} --start {start}")
    say(f"checkin --first-step-pain 3 --date {start}")  # one check-in so far
    for n in range(1, 15):
        say(f"checkin --first-step-pain 2 --date {start + timedelta(days=n)}")
    painful_session_today(db)
    say("today", allowed=COMMAND_WORDS)
    say(f"questionnaire ffi --answers {EXAMPLES / 'ffi.json'}")
    say(f"score ffi --answers {EXAMPLES / 'ffi.json'}")
    say("progress")
    say(f"plan --intake {EXAMPLES / 'intake.json'}")
    say(f"plan --intake {EXAMPLES / 'intake-refer.json'}")
    backup = tmp_path / "backup.json"
    say(f"export --json {backup}")
    say(f"import {backup} --profile copy")
    malformed = tmp_path / "malformed.json"
    malformed.write_text("{", encoding="utf-8")
    say(f"import {malformed} --profile broken", code=2)
    document = json.loads(backup.read_text(encoding="utf-8"))
    del document["profile"]
    missing = tmp_path / "missing.json"
    missing.write_text(json.dumps(document), encoding="utf-8")
    say(f"import {missing} --profile missing", code=2, allowed=COMMAND_WORDS)

    words = f"{today:%A} {today.day} {today:%B %Y}"
    assert f"Pain during the session on {words} was 6/10" in outputs["progress"]
    assert "(1 check-in, 15 check-ins" not in outputs[f"import {backup} --profile copy"]
    assert "15 check-ins, 1 session" in outputs[f"import {backup} --profile copy"]
    assert "which this file is not" in outputs[f"import {malformed} --profile broken"]
    missing_error = outputs[f"import {missing} --profile missing"]
    assert "profile: missing" in missing_error and "{" not in missing_error
