"""Settings: times, voice and text size, export and import, and the preferences API."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.backup import Backup
from footcoach.domain.diary import Diary, Instrument, ItemRecord, QuestionnaireResponse
from footcoach.domain.profile import Profile
from footcoach.schemas.intake import parse_intake
from footcoach.services.documents import backup_document
from footcoach.web import preferences
from footcoach.web.app import create_app
from tests.web.conftest import EXAMPLES, LOCAL, TODAY, FixedClock


def message_of(page: str, key: str) -> str:
    match = re.search(rf'<div id="{key}-msg" class="field-msg">(.*?)</div>', page, re.S)
    assert match, f"no error slot for {key}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_settings_page_shows_what_is_set(person):
    page = person.get("/settings")
    assert page.status_code == 200
    text = page.text
    assert text.count("<h1") == 1 and 'aria-current="page"' in text
    assert re.search(r'id="wake_time"[^>]*value="06:30"', text)
    assert re.search(r'id="bed_time"[^>]*value="22:30"', text)
    assert re.search(r'id="voice"[^>]*checked', text)
    assert not re.search(r'id="large_text"[^>]*checked', text)
    assert 'href="/settings/export"' in text and 'enctype="multipart/form-data"' in text


def test_without_a_profile_only_the_import_is_offered(web):
    page = web.get("/settings")
    assert page.status_code == 200
    assert 'href="/welcome"' in page.text and 'action="/settings/import"' in page.text
    assert "/settings/export" not in page.text and 'id="wake_time"' not in page.text


def test_voice_and_large_text_are_saved(person):
    response = person.post("/settings/preferences", data={"large_text": "1"})
    assert response.status_code == 303 and response.headers["location"] == "/settings?saved=display"
    prefs = person.services.tracking.export("default")[0].preferences
    assert prefs.large_text is True and prefs.voice is False
    page = person.get("/settings?saved=display")
    assert 'role="status"' in page.text
    assert re.search(r'id="large_text"[^>]*checked', page.text)
    assert 'class="large-text"' in page.text


def test_the_preferences_api(person):
    assert person.get("/api/v1/preferences").json() == {"voice": True, "large_text": False}
    person.post("/settings/preferences", data={"voice": "1", "large_text": "1"})
    assert person.get("/api/v1/preferences").json() == {"voice": True, "large_text": True}
    assert "/api/v1/preferences" in person.get("/openapi.json").json()["paths"]
    assert "/settings" not in person.get("/openapi.json").json()["paths"]


def test_the_preferences_api_without_a_profile_is_a_problem(web):
    response = web.get("/api/v1/preferences")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_large_text_reaches_every_page_once_installed(person):
    preferences.install(person.app.state.templates)
    preferences.install(person.app.state.templates)  # installing twice is harmless
    assert person.app.state.templates.context_processors.count(preferences._context) == 1
    pages = ["/today", "/welcome", "/settings", "/library", "/program", "/nothing-here"]
    for path in pages:
        assert 'class="large-text"' not in person.get(path).text, path
    person.post("/settings/preferences", data={"large_text": "1"})
    for path in pages:
        assert '<html lang="en" class="large-text">' in person.get(path).text, path


def test_large_text_without_a_profile_is_off(web):
    preferences.install(web.app.state.templates)
    page = web.get("/welcome")
    assert page.status_code == 200 and 'class="large-text"' not in page.text


def test_new_times_replan_but_keep_the_start_and_the_diary(person, clock):
    person.post("/checkin", data={"first_step_pain": "5"})
    clock.day = TODAY + timedelta(days=3)
    before, _ = person.services.tracking.export("default")
    response = person.post("/settings/times", data={"wake_time": "05:45", "bed_time": "21:00"})
    assert response.status_code == 303 and response.headers["location"] == "/settings?saved=times"
    after, diary = person.services.tracking.export("default")
    assert after.intake.wake_time.strftime("%H:%M") == "05:45"
    assert after.intake.bed_time.strftime("%H:%M") == "21:00"
    assert (after.start, after.protocol, after.weeks) == (
        before.start,
        before.protocol,
        before.weeks,
    )
    assert after.start == TODAY
    assert [c.first_step_pain for c in diary.checkins] == [5]
    assert "Your times are saved" in person.get("/settings?saved=times").text


@pytest.mark.parametrize(
    ("form", "key", "words"),
    [
        ({"wake_time": "7am", "bed_time": "22:30"}, "wake_time", "such as 06:30"),
        ({"wake_time": "07:00", "bed_time": ""}, "bed_time", "such as 06:30"),
        ({"wake_time": "07:00", "bed_time": "07:00"}, "bed_time", "different from the time"),
    ],
)
def test_bad_times_are_shown_inline_and_nothing_changes(person, form, key, words):
    before = person.services.tracking.export("default")
    response = person.post("/settings/times", data=form)
    assert response.status_code == 422
    assert words in message_of(response.text, key) and 'role="alert"' in response.text
    assert re.search(rf'id="{key}"[^>]*aria-invalid="true"', response.text, re.S)
    assert f'value="{form[key]}"' in response.text  # what was typed is kept
    assert person.services.tracking.export("default") == before


def _fill_diary(client: TestClient) -> None:
    tracking = client.services.tracking
    client.post("/checkin", data={"first_step_pain": "6"})
    opened = tracking.start_session("default", "daytime")
    item = opened.planned.items[0]
    moment = client.services.clock.now()
    tracking.record_item(opened.id, ItemRecord(0, item.exercise, 1, 5, 30, False, moment))
    tracking.finish_session(opened.id, True, 3, 4)
    answers = tuple([5] * 22 + [None])
    tracking.record_questionnaire("default", QuestionnaireResponse(Instrument.FFI, TODAY, answers))


def test_export_downloads_the_backup_document(person):
    _fill_diary(person)
    response = person.get("/settings/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="footcoach-backup-2026-11-23.json"'
    )
    assert response.headers["cache-control"] == "no-store"
    document = response.json()
    assert document["schema"] == "footcoach.backup/1"
    assert document["profile"]["name"] == "default"
    assert [c["first_step_pain"] for c in document["checkins"]] == [6]
    assert len(document["sessions"]) == 1 and len(document["questionnaires"]) == 1


def test_export_without_a_profile_goes_to_the_welcome(web):
    response = web.get("/settings/export")
    assert response.status_code == 303 and response.headers["location"] == "/welcome"


@pytest.fixture
def fresh_url(database_url, tmp_path) -> Iterator[str]:
    """A second, empty database of the same kind as `database_url`."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"footcoach_fresh_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def fresh(fresh_url) -> Iterator[TestClient]:
    """A second footcoach on its own empty database, a week later."""
    settings = Settings(database_url=fresh_url)
    services = build_services(settings, clock=FixedClock(TODAY + timedelta(days=7)))
    with TestClient(
        create_app(settings, services), base_url=LOCAL, follow_redirects=False
    ) as client:
        client.services = services  # type: ignore[attr-defined]
        yield client
    services.close()


def _upload(client: TestClient, content: bytes, name: str = "backup.json"):
    return client.post("/settings/import", files={"backup": (name, content, "application/json")})


def test_export_then_import_into_a_fresh_database_round_trips(person, fresh):
    _fill_diary(person)
    person.post("/settings/preferences", data={"large_text": "1"})
    exported = person.get("/settings/export").content
    response = _upload(fresh, exported)
    assert response.status_code == 303 and response.headers["location"] == "/settings?saved=import"
    assert fresh.services.tracking.export("default") == person.services.tracking.export("default")
    assert fresh.get("/settings/export").json() == json.loads(exported)
    assert "Your backup is restored" in fresh.get("/settings?saved=import").text
    assert fresh.get("/today").status_code == 200


def test_a_backup_is_restored_under_this_profiles_name(web, person_doc=None):
    document = json.loads(_example_backup(web))
    document["profile"]["name"] = "someone-else"
    response = _upload(web, json.dumps(document).encode())
    assert response.status_code == 303
    assert web.services.tracking.profiles() == ["default"]


def _example_backup(client: TestClient) -> str:
    """A valid backup of the example intake with an empty diary, made without storing it."""
    intake = parse_intake(json.loads((EXAMPLES / "intake.json").read_text()))
    program = client.services.planning.plan(intake, TODAY)
    assert program.status.value == "ok"
    return json.dumps(
        backup_document(Backup(Profile("default", intake, program.protocol, TODAY, 12), Diary()))
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x89PNG not json at all", "could not be read"),
        (b'{"schema": "footcoach.backup/1", "profile"', "could not be read"),
        (b'{"schema": "footcoach.history/1", "entries": []}', "not a complete footcoach backup"),
        (b"[1, 2, 3]", "not a complete footcoach backup"),
    ],
)
def test_a_broken_file_is_refused_and_nothing_is_written(web, content, words):
    response = _upload(web, content)
    assert response.status_code == 422
    assert words in message_of(response.text, "backup") and 'role="alert"' in response.text
    assert re.search(r'id="backup"[^>]*aria-invalid="true"', response.text, re.S)
    assert web.services.tracking.profiles() == []


def test_a_backup_with_a_bad_answer_inside_is_refused(web):
    document = json.loads(_example_backup(web))
    document["profile"]["intake"]["age"] = 400
    response = _upload(web, json.dumps(document).encode())
    assert response.status_code == 422
    assert "profile.intake.age" in message_of(response.text, "backup")
    assert web.services.tracking.profiles() == []


def test_a_backup_with_an_unknown_protocol_is_refused(web):
    document = json.loads(_example_backup(web))
    document["profile"]["protocol"] = "no-such-protocol"
    response = _upload(web, json.dumps(document).encode())
    assert response.status_code == 422
    assert "does not know" in message_of(response.text, "backup")
    assert web.services.tracking.profiles() == []


def test_importing_without_a_file_says_so(web):
    response = web.post("/settings/import", files={"backup": ("", b"", "application/json")})
    assert response.status_code == 422
    assert "Choose a backup file first" in message_of(response.text, "backup")
    response = web.post("/settings/import", data={"nothing": "here"})
    assert response.status_code == 422


def test_a_footcoach_with_a_diary_refuses_a_backup_and_keeps_everything(person):
    _fill_diary(person)
    before = person.services.tracking.export("default")
    exported = person.get("/settings/export").content
    response = _upload(person, exported)
    assert response.status_code == 422
    assert "already has a diary" in message_of(response.text, "backup")
    assert person.services.tracking.export("default") == before


def test_settings_texts_are_our_own_words(person):
    from tests.support.own_words import digest, runs, stored_digests

    seeds = stored_digests()
    text = re.sub(r"<[^>]+>", " ", person.get("/settings").text)
    assert not [r for r in runs(text) if digest(r) in seeds]
