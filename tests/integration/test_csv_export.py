"""The diary as CSV tables: read back with the csv module, they say what the backup says."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings

from footcoach.adapters.csv_tables import all_tables, names_from, questionnaires, write_folder
from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.backup import Backup
from footcoach.domain.diary import (
    Diary,
    Instrument,
    ItemRecord,
    QuestionnaireResponse,
    SessionRecord,
)
from footcoach.domain.errors import InvalidInputError
from footcoach.domain.intake import CheckIn
from footcoach.domain.profile import Preferences, Profile
from footcoach.services.documents import backup_document
from tests.factories import intake
from tests.integration.test_backup_roundtrip import backups
from tests.support.csv_reading import as_backup_parts, backup_parts, read_folder, rows_of

START = date(2026, 3, 2)
AT = datetime(2026, 3, 2, 7, 5, tzinfo=UTC)


def a_backup() -> Backup:
    """Two check-ins, a finished and an unfinished session, one FFI and one FAAM."""
    items = (
        ItemRecord(0, "plantar-fascia-stretch", 3, 30, 90, False, AT + timedelta(minutes=2)),
        ItemRecord(1, "towel-toe-stretch", 0, 0, 0, True, AT + timedelta(minutes=3)),
    )
    sessions = (
        SessionRecord(START, "before_first_step", AT, items, True, 2, 3, AT + timedelta(minutes=4)),
        SessionRecord(START + timedelta(days=1), "daytime", AT + timedelta(days=1, hours=6)),
    )
    ffi = QuestionnaireResponse(Instrument.FFI, START, (5, None, *range(10), *([3] * 11)))
    faam = QuestionnaireResponse(Instrument.FAAM, START, (4,) * 20 + (None,), (2,) * 7 + (None,))
    diary = Diary(
        checkins=(CheckIn(START, 6), CheckIn(START + timedelta(days=1), 5)),
        sessions=sessions,
        questionnaires=(ffi, faam),
    )
    profile = Profile("zoe", intake(), "footcoach", START, 12, Preferences())
    return Backup(profile, diary)


def _read_tables(backup: Backup) -> dict:
    return {t.name: rows_of(t.text()) for t in all_tables(backup)}


@settings(max_examples=40, deadline=None)
@given(backup=backups())
def test_the_tables_say_what_the_backup_says(backup):
    document = json.loads(json.dumps(backup_document(backup)))
    assert as_backup_parts(_read_tables(backup)) == backup_parts(document)


def test_questionnaires_carry_their_scores_to_one_decimal():
    rows = rows_of(questionnaires(a_backup()).text())
    ffi, faam = rows
    assert ffi["instrument"] == "ffi" and faam["instrument"] == "faam"
    # pain: items 5, n/a, 0..6 = 26 of 8 applicable items, out of 80
    assert ffi["pain"] == "32.5"
    assert ffi["total"] != "" and ffi["adl"] == "" and ffi["sports"] == ""
    assert faam["adl"] == "100.0" and faam["sports"] == "50.0" and faam["pain"] == ""
    assert ffi["ffi-pain-1"] == "" and faam["faam-adl-21"] == "" and ffi["faam-adl-1"] == ""


def test_headers_dates_and_words_are_as_documented():
    tables = {t.name: t for t in all_tables(a_backup(), lambda key: key.replace("-", " "))}
    assert tables["checkins"].text().startswith("date,first_step_pain\r\n2026-03-02,6\r\n")
    sessions = rows_of(tables["sessions"].text())
    assert sessions[0]["started_at"] == "2026-03-02T07:05:00+00:00"
    assert sessions[0]["completed"] == "yes" and sessions[1]["completed"] == "no"
    assert sessions[1]["finished_at"] == "" and sessions[1]["pain_during"] == ""
    items = rows_of(tables["items"].text())
    assert items[0]["exercise_name"] == "plantar fascia stretch"
    assert items[1]["skipped"] == "yes"


def test_stored_in_either_database_and_written_to_a_folder(database_url, tmp_path):
    backup = a_backup()
    services = build_services(Settings(database_url=database_url))
    try:
        services.tracking.restore(backup.profile, backup.diary, backup.changes)
        stored = services.tracking.backup("zoe")
        written = write_folder(
            tmp_path / "out", all_tables(stored, names_from(services.library.catalog))
        )
    finally:
        services.close()
    assert sorted(p.name for p in written) == [
        "checkins.csv",
        "items.csv",
        "questionnaires.csv",
        "sessions.csv",
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)
    document = json.loads(json.dumps(backup_document(backup)))
    assert as_backup_parts(read_folder(tmp_path / "out")) == backup_parts(document)
    items = read_folder(tmp_path / "out")["items"]
    assert items[0]["exercise_name"].startswith("Plantar fascia stretch")


def test_a_folder_that_is_a_file_is_refused_and_nothing_is_written(tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a folder")
    with pytest.raises(InvalidInputError) as caught:
        write_folder(target, all_tables(a_backup()))
    assert caught.value.problems[0].field == "csv"
    assert "a folder, not a file" in str(caught.value)
    assert target.read_text() == "not a folder"


def test_a_folder_whose_parent_is_missing_is_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="a folder that can be made"):
        write_folder(tmp_path / "missing" / "out", all_tables(a_backup()), "--csv")
    assert not (tmp_path / "missing").exists()


def test_a_write_failing_half_way_leaves_no_table_behind(tmp_path, monkeypatch):
    """As a full disk would: the third file fails, and the two written before it go too."""
    from pathlib import Path

    real = Path.write_text
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(self.name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    with pytest.raises(InvalidInputError, match="No space left on device"):
        write_folder(tmp_path / "out", all_tables(a_backup()))
    assert list((tmp_path / "out").iterdir()) == []
