"""The daily loop on the web: check-ins corrected (API, Today, diary), sessions done when every
planned item is saved with the rating given later, and the morning in the right order."""

from __future__ import annotations

import re

from tests.web.conftest import TODAY
from tests.web.test_api import problem
from tests.web.test_api_sessions import full_item, start

DAY = TODAY.isoformat()


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_put_corrects_a_check_in_and_the_monitor_reads_it(person):
    assert person.post("/api/v1/checkins", json={"first_step_pain": 9}).status_code == 201
    answer = person.put(f"/api/v1/checkins/{DAY}", json={"first_step_pain": 1})
    assert answer.status_code == 200, answer.text
    assert answer.json()["first_step_pain"] == 1 and answer.json()["date"] == DAY
    assert person.get("/api/v1/today").json()["checkin"]["first_step_pain"] == 1
    trail = person.app.state.services.tracking.corrections("default")
    assert [(c.was, c.now) for c in trail] == [(9, 1)]


def test_post_on_a_day_with_a_check_in_stays_a_conflict_and_points_at_put(person):
    person.post("/api/v1/checkins", json={"first_step_pain": 4})
    body = problem(person.post("/api/v1/checkins", json={"first_step_pain": 5}), 409)
    assert f"PUT /api/v1/checkins/{DAY}" in body["detail"]


def test_put_on_a_day_without_a_check_in_is_a_404_and_writes_nothing(person):
    problem(person.put(f"/api/v1/checkins/{DAY}", json={"first_step_pain": 3}), 404)
    assert person.get("/api/v1/today").json()["checkin"] is None


def test_put_with_a_bad_value_or_date_is_a_422_naming_it(person):
    person.post("/api/v1/checkins", json={"first_step_pain": 4})
    body = problem(person.put(f"/api/v1/checkins/{DAY}", json={"first_step_pain": 12}), 422)
    assert "first_step_pain" in str(body)
    body = problem(person.put("/api/v1/checkins/2026-13-01", json={"first_step_pain": 3}), 422)
    assert "date" in str(body)
    other = {"first_step_pain": 3, "date": "2026-11-20"}
    problem(person.put(f"/api/v1/checkins/{DAY}", json=other), 422)
    assert person.get("/api/v1/today").json()["checkin"]["first_step_pain"] == 4


def test_today_offers_a_change_and_the_form_corrects_it(person):
    person.post("/checkin", data={"first_step_pain": "8"})
    page = person.get("/today").text
    assert "First-step pain this morning: <strong>8/10</strong>" in page
    assert "Change" in page and 'name="correct"' in page
    answer = person.post("/checkin", data={"first_step_pain": "3", "correct": "1"})
    assert answer.status_code in (200, 303)
    assert "<strong>3/10</strong>" in person.get("/today").text


def test_the_diary_corrects_a_past_day(person, clock):
    person.post("/checkin", data={"first_step_pain": "7"})
    answer = person.post(
        "/checkin",
        data={"first_step_pain": "2", "correct": "1", "date": DAY},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"].startswith("/diary")
    assert "Change" in person.get("/diary").text
    assert person.get("/api/v1/today").json()["checkin"]["first_step_pain"] == 2


def test_before_the_first_step_the_in_bed_session_leads_and_the_check_in_follows(person):
    page = person.get("/today").text
    sessions = page.index('id="sessions-title"')
    question = page.index("How much did your first steps hurt")
    assert sessions < question
    assert "After your first steps" in _visible(page)


def test_after_the_check_in_the_check_in_leads(person):
    person.post("/checkin", data={"first_step_pain": "3"})
    page = person.get("/today").text
    assert page.index('id="checkin-title"') < page.index('id="sessions-title"')


def test_a_session_with_every_item_saved_is_done_and_can_be_rated_later(person):
    session = start(person)
    for position in range(len(session["items"])):
        person.post(f"/api/v1/sessions/{session['id']}/items", json=full_item(session, position))
    today = person.get("/api/v1/today").json()
    assert {s["slot"]: s["state"] for s in today["sessions"]}["daytime"] == "done"
    page = person.get("/today").text
    assert 'data-testid="rate-daytime"' in page and "Carry on" not in page
    rate = person.get("/session/daytime").text
    assert 'data-testid="rate-form"' in rate
    answer = person.post(
        "/session/daytime/done", data={"pain_during": "2", "effort": "5"}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert 'data-testid="rate-daytime"' not in person.get("/today").text
    diary = _visible(person.get("/diary").text)
    assert "Yes" in diary


def test_questionnaires_due_are_named_in_words_with_the_right_number(person):
    from footcoach.domain.diary import Instrument, QuestionnaireResponse

    both = re.sub(r"\s+", " ", person.get("/today").text)
    assert "Short questionnaires are due, to follow how your foot is doing:" in both
    assert ">the Foot Function Index</a> and <a" in both
    assert ">the Foot and Ankle Ability Measure</a>." in both
    assert ">FFI<" not in both and ">FAAM<" not in both
    person.services.tracking.record_questionnaire(
        "default", QuestionnaireResponse(Instrument.FFI, TODAY, (3,) * 23)
    )
    one = re.sub(r"\s+", " ", person.get("/today").text)
    assert "A short questionnaire is due, to follow how your foot is doing:" in one
    assert "Foot Function Index" not in one and "Foot and Ankle Ability Measure</a>." in one
