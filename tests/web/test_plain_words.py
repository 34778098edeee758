"""Every page a person sees, rendered on a lived-in diary, reads in plain words: sources named
for who wrote them, dates in words, counts that agree with their nouns, no working jargon."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.diary import Instrument, QuestionnaireResponse, SessionRecord
from footcoach.schemas.intake import parse_intake
from footcoach.web.app import create_app
from tests.support.clock import FixedClock
from tests.support.plain_words import project_words, visible_text
from tests.web.conftest import EXAMPLES, LOCAL, TODAY
from tests.web.test_onboarding import answers

START = TODAY - timedelta(days=20)
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def client(tmp_path) -> Iterator[TestClient]:
    """Local mode on SQLite: the words do not depend on the database."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'words.db'}")
    services = build_services(settings, clock=FixedClock(TODAY))
    with TestClient(create_app(settings, services), base_url=LOCAL) as client:
        client.services = services  # type: ignore[attr-defined]
        yield client
    services.close()


def lived_in(client: TestClient) -> None:
    """Three weeks of low mornings and sessions done, the one yesterday painful (so the pain
    monitor names its day), one check-in today, and two of each questionnaire."""
    tracking = client.services.tracking  # type: ignore[attr-defined]
    doc = json.loads((EXAMPLES / "intake.json").read_text())
    doc["first_step_pain"] = 3
    tracking.init("default", parse_intake(doc), start=START)
    program = tracking.snapshot("default").program
    planned = {d.day: [s.slot.value for s in d.sessions] for w in program.weeks for d in w.days}
    for n in range(21):
        tracking.checkin("default", 2, START + timedelta(days=n))
    with tracking.unit_of_work() as uow:
        pid = uow.profiles.id_of("default")
        for n in range(20):
            day = START + timedelta(days=n)
            at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
            for slot in planned.get(day, []):
                pain = 6 if day == YESTERDAY else 1
                record = SessionRecord(day, slot, at, completed=True, pain_during=pain, effort=5)
                uow.diary.add_session(pid, record)
        uow.commit()
    for when, ffi, faam in ((START, 6, 2), (YESTERDAY, 3, 3)):
        tracking.record_questionnaire(
            "default", QuestionnaireResponse(Instrument.FFI, when, (ffi,) * 23)
        )
        tracking.record_questionnaire(
            "default", QuestionnaireResponse(Instrument.FAAM, when, (faam,) * 21, (2,) * 8)
        )


PAGES = (
    "/today",
    "/program",
    "/library",
    "/library?category=stretch",
    "/library/heel-raise",
    "/library/plantar-fascia-stretch",
    "/library/wrist-stretch",
    "/library/foot-trainer-toe-extension",
    "/library/ice-tender-areas",
    "/diary",
    "/progress",
    "/settings",
    "/welcome",
    "/questionnaires/ffi",
    "/questionnaires/faam",
    "/questionnaires/ffi/result",
    "/questionnaires/faam/result",
)


def test_every_page_of_a_lived_in_diary_reads_in_plain_words(client):
    lived_in(client)
    pages = {path: client.get(path) for path in PAGES}
    today = client.services.tracking.today("default")  # type: ignore[attr-defined]
    for s in today.sessions:
        slot = s.session.slot.value
        pages[f"/session/{slot}"] = client.get(f"/session/{slot}")
    problems = []
    for path, response in pages.items():
        assert response.status_code == 200, path
        problems += [f"{path}: {p}" for p in project_words(visible_text(response.text))]
    assert problems == []
    progress = visible_text(pages["/progress"].text)
    assert f"on {YESTERDAY:%A} {YESTERDAY.day} {YESTERDAY:%B %Y} was 6/10" in progress


def test_the_pages_before_a_program_read_in_plain_words(client):
    pages = {
        "welcome": client.get("/welcome"),
        "referral": client.post("/welcome", data=answers(flag__trauma="yes")),
        "a welcome with a mistake": client.post("/welcome", data=answers(age="0")),
    }
    problems = []
    for name, response in pages.items():
        problems += [f"{name}: {p}" for p in project_words(visible_text(response.text))]
    assert problems == []


def test_one_check_in_and_one_session_are_counted_in_the_singular(client):
    tracking = client.services.tracking  # type: ignore[attr-defined]
    tracking.init(
        "default", parse_intake(json.loads((EXAMPLES / "intake.json").read_text())), start=TODAY
    )
    tracking.checkin("default", 3, TODAY)
    for path in ("/today", "/diary", "/progress", "/program"):
        assert project_words(visible_text(client.get(path).text)) == [], path
