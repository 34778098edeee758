"""The guided session page: its HTML (live regions, hooks for browser tests, no inline script),
the plain form that works without JavaScript, the use cases behind both, and session.js's
player checked against domain.guide.Player (with Node, when it is installed)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from footcoach.domain.diary import ItemRecord
from footcoach.domain.guide import (
    Bell,
    CountdownTick,
    ItemFinished,
    Player,
    SessionFinished,
    Speak,
    StepStarted,
    script,
)
from footcoach.domain.wording import ADJUSTMENT_WORDS
from footcoach.services import sessions
from footcoach.services.settings import change_preferences
from tests.web.conftest import TODAY

SESSION_JS = Path(__file__).resolve().parents[2] / "src/footcoach/web/static/session.js"


def diary(client):
    return client.services.tracking.export("default")[1]


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="session-data">(.*?)</script>', html)
    assert found, "the page passes its data in a JSON block"
    return json.loads(found.group(1))


# the page ---------------------------------------------------------------------------------------


def test_the_page_has_the_guide_the_live_regions_and_the_plain_form(person):
    response = person.get("/session/daytime")
    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1 and "During the day" in html
    assert 'aria-live="polite"' in html and 'aria-live="assertive"' in html
    assert 'role="timer"' in html
    for hook in (
        "start",
        "countdown",
        "step-text",
        "counters",
        "next",
        "pause",
        "skip",
        "stop",
        "end-form",
        "end-submit",
        "result",
        "live-polite",
        "live-assertive",
        "done-form",
    ):
        assert f'data-testid="{hook}"' in html, hook
    assert 'aria-keyshortcuts="Space"' in html and 'aria-keyshortcuts="Q"' in html
    assert "need JavaScript" in html
    assert 'action="/session/daytime/done"' in html
    assert "Plantar fascia stretch" in html and "1 x 10, hold 10 s" in html


def test_the_page_has_no_inline_script(person):
    html = person.get("/session/daytime").text
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"
    data = page_data(html)
    assert data == {
        "slot": "daytime",
        "state": "pending",
        "voice": True,
        "items": 2,
        "api": "/api/v1/sessions",
        "today": "/today",
        "actions": ADJUSTMENT_WORDS,
    }


def test_the_page_passes_the_voice_setting(person):
    change_preferences(person.services.tracking, "default", voice=False, large_text=False)
    assert page_data(person.get("/session/evening").text)["voice"] is False


def test_a_started_session_offers_to_carry_on(person):
    started = person.post("/api/v1/sessions", json={"slot": "daytime"}).json()
    item = {
        "position": 0,
        "exercise": started["items"][0]["exercise"],
        "sets_done": 1,
        "reps_done": 20,
        "seconds_done": 200,
        "skipped": False,
    }
    person.post(f"/api/v1/sessions/{started['id']}/items", json=item)
    html = person.get("/session/daytime").text
    assert page_data(html)["state"] == "in_progress"
    assert ">Carry on</button>" in html and "1 of 2 exercises saved" in html


def test_a_session_stopped_and_ended_starts_afresh(person):
    started = person.post("/api/v1/sessions", json={"slot": "daytime"}).json()
    person.post(f"/api/v1/sessions/{started['id']}/finish", json={"completed": False})
    html = person.get("/session/daytime").text
    assert page_data(html)["state"] == "pending" and ">Start</button>" in html


def test_a_session_done_today_says_so_and_offers_no_form(person):
    person.post("/session/evening/done", data={"pain_during": "1", "effort": "2"})
    html = person.get("/session/evening").text
    assert 'data-testid="done-notice"' in html
    assert 'data-testid="done-form"' not in html and 'data-testid="start"' not in html
    assert 'aria-live="polite"' in html


def test_a_slot_not_planned_today_is_a_404_page(person):
    response = person.get("/session/noon")
    assert response.status_code == 404 and "<html" in response.text
    assert "no such session today" in response.text.lower()
    assert "During the day" in response.text


def test_without_a_profile_the_page_leads_to_onboarding(web):
    response = web.get("/session/daytime")
    assert response.status_code == 303 and response.headers["location"] == "/welcome"


def test_the_script_is_served(web):
    response = web.get("/static/session.js")
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    text = response.text
    assert "performance.now()" in text and "localStorage" in text
    assert "speechSynthesis" in text and "wakeLock" in text and "vibrate" in text


# the plain form ---------------------------------------------------------------------------------


def test_the_plain_form_records_the_whole_session_and_goes_back_to_today(person):
    response = person.post("/session/daytime/done", data={"pain_during": "3", "effort": "5"})
    assert response.status_code == 303 and response.headers["location"] == "/today"
    (record,) = diary(person).sessions
    assert record.slot == "daytime" and record.day == TODAY and record.completed
    assert (record.pain_during, record.effort) == (3, 5) and record.finished_at is not None
    planned = person.services.tracking.today("default").sessions[1].session
    assert [i.exercise for i in record.items] == [i.exercise for i in planned.items]
    first = record.items[0]
    assert (first.sets_done, first.reps_done, first.seconds_done, first.skipped) == (
        1,
        20,
        200,
        False,
    )
    today = person.get("/today").text
    assert today.count("Done</span>") >= 1


def test_the_plain_form_keeps_items_saved_by_a_guided_session_cut_short(person):
    started = person.post("/api/v1/sessions", json={"slot": "daytime"}).json()
    skipped = {
        "position": 0,
        "exercise": started["items"][0]["exercise"],
        "sets_done": 0,
        "reps_done": 3,
        "seconds_done": 30,
        "skipped": True,
    }
    person.post(f"/api/v1/sessions/{started['id']}/items", json=skipped)
    person.post("/session/daytime/done", data={"pain_during": "2", "effort": "2"})
    (record,) = diary(person).sessions
    assert record.items[0].skipped and record.items[0].reps_done == 3
    assert not record.items[1].skipped and record.completed


def test_sending_the_plain_form_twice_records_one_session(person):
    for _ in range(2):
        response = person.post("/session/evening/done", data={"pain_during": "1", "effort": "1"})
        assert response.status_code == 303
    assert len(diary(person).sessions) == 1


@pytest.mark.parametrize(
    ("form", "bad"),
    [
        ({"pain_during": "11", "effort": "4"}, {"pain_during"}),
        ({"pain_during": "-1", "effort": "4"}, {"pain_during"}),
        ({"pain_during": "2", "effort": "lots"}, {"effort"}),
        ({}, {"pain_during", "effort"}),
    ],
)
def test_a_bad_value_is_shown_inline_and_nothing_is_written(person, form, bad):
    response = person.post("/session/daytime/done", data=form)
    assert response.status_code == 422
    html = response.text
    for field in bad:
        message = re.search(rf'id="done-{field}-msg" role="alert">([^<]*)<', html)
        assert message and "0 to 10" in message.group(1), field
        assert re.search(rf'<fieldset id="done-{field}"[^>]*aria-invalid="true"', html)
        assert f'aria-describedby="done-{field}-msg"' in html
    for field in {"pain_during", "effort"} - bad:
        assert not re.search(rf'<fieldset id="done-{field}"[^>]*aria-invalid', html)
    if form.get("effort") == "4":
        assert re.search(r'<input[^>]*name="effort" value="4"[^>]* checked[^>]*>', html)
    assert diary(person).sessions == ()


def test_the_plain_form_for_a_slot_not_planned_today_is_a_404(person):
    response = person.post("/session/noon/done", data={"pain_during": "1", "effort": "1"})
    assert response.status_code == 404 and diary(person).sessions == ()


# the use cases (no JavaScript involved) ---------------------------------------------------------


def _full_run(items, library):
    """Run a Player over the items to its end and collect what it records."""
    player = Player(script(items))
    events = player.start(0.0) + player.advance(float(player.total_s) + 1)
    return [e.summary for e in events if isinstance(e, ItemFinished)]


def test_limits_are_what_a_full_guided_run_records(library, person):
    program = person.services.tracking.snapshot("default").program
    catalog = library.catalog
    items = {
        i.exercise: i for w in program.weeks for d in w.days for s in d.sessions for i in s.items
    }.values()
    for item in items:
        pair = (item, catalog.get(item.exercise))
        (summary,) = _full_run([pair], library)
        most = sessions.limits(*pair)
        assert (most.sets, most.reps, most.seconds) == (
            summary.sets_done,
            summary.reps_done,
            summary.seconds_done,
        ), item.exercise


def test_start_numbers_the_steps_by_their_place_in_the_session(person):
    tracking, catalog = person.services.tracking, person.services.library.catalog
    first = sessions.start(tracking, catalog, "default", "before_first_step")
    assert not first.resumed and {s.item for s in first.steps} == {0, 1}
    opened = tracking.start_session("default", "before_first_step")
    item = opened.planned.items[0]
    now = person.services.clock.now()
    tracking.record_item(opened.id, ItemRecord(0, item.exercise, 0, 0, 0, True, now))
    again = sessions.start(tracking, catalog, "default", "before_first_step")
    assert again.resumed and again.id == first.id and again.done == (0,)
    assert {s.item for s in again.steps} == {1} and again.steps[0].bell


# session.js against domain.guide.Player ----------------------------------------------------------

_DRIVER = """
const { Player, counters, clockText } = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const player = new Player(input.steps);
const out = [];
for (const [at, action] of input.actions) {
  const events = action === "start" ? player.start(at) : action === "advance" ? player.advance(at)
    : action === "pause" ? player.pause(at) : action === "resume" ? player.resume(at)
    : action === "skip" ? player.skipItem(at) : player.quit(at);
  out.push(events);
}
process.stdout.write(JSON.stringify({
  events: out, counters: input.steps.map(counters), clocks: [0, 9.2, 59.01, 60, 125].map(clockText),
}));
"""


def _python_events(steps, actions):
    player = Player(steps)
    out = []
    for at, action in actions:
        method = {
            "start": player.start,
            "advance": player.advance,
            "pause": player.pause,
            "resume": player.resume,
            "skip": player.skip_item,
            "quit": player.quit,
        }[action]
        batch = []
        for e in method(at):
            if isinstance(e, StepStarted):
                batch.append({"type": "step", "at": e.at, "index": e.index})
            elif isinstance(e, Bell):
                batch.append({"type": "bell", "at": e.at})
            elif isinstance(e, Speak):
                batch.append({"type": "say", "at": e.at, "text": e.text})
            elif isinstance(e, CountdownTick):
                batch.append({"type": "tick", "at": e.at, "left": e.seconds_left})
            elif isinstance(e, ItemFinished):
                s = e.summary
                summary = {
                    "position": s.position,
                    "exercise": s.exercise,
                    "sets_done": s.sets_done,
                    "reps_done": s.reps_done,
                    "seconds_done": s.seconds_done,
                    "skipped": s.skipped,
                }
                batch.append({"type": "item", "at": e.at, "summary": summary})
            elif isinstance(e, SessionFinished):
                batch.append({"type": "end", "at": e.at, "completed": e.completed})
        out.append(batch)
    return out


def _js_shape(batches):
    keep = {
        "step": ("type", "at", "index"),
        "bell": ("type", "at"),
        "say": ("type", "at", "text"),
        "tick": ("type", "at", "secondsLeft"),
        "item": ("type", "at", "summary"),
        "end": ("type", "at", "completed"),
    }
    shaped = []
    for batch in batches:
        rows = []
        for e in batch:
            row = {k: e[k] for k in keep[e["type"]]}
            if "secondsLeft" in row:
                row["left"] = row.pop("secondsLeft")
            rows.append(row)
        shaped.append(rows)
    return shaped


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
@pytest.mark.parametrize(
    "actions",
    [
        [(0.0, "start"), (3.0, "advance"), (10_000.0, "advance")],
        [(0.0, "start"), (7.5, "pause"), (20.0, "resume"), (31.25, "skip"), (40.0, "advance")],
        [(0.0, "start"), (4.0, "skip"), (12.0, "advance"), (12.5, "pause"), (13.0, "skip")],
        [(0.0, "start"), (26.4, "advance"), (27.0, "quit")],
        [(5.0, "advance"), (5.5, "quit")],
    ],
)
def test_session_js_plays_the_script_as_the_python_player_does(person, actions):
    steps_doc = person.post("/api/v1/sessions", json={"slot": "before_first_step"}).json()
    planned = person.services.tracking.today("default").sessions[0].session
    catalog = person.services.library.catalog
    steps = script([(i, catalog.get(i.exercise)) for i in planned.items])
    payload = json.dumps({"steps": steps_doc["script"], "actions": actions})
    run = subprocess.run(
        ["node", "-e", _DRIVER, str(SESSION_JS)],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result = json.loads(run.stdout)
    assert _js_shape(result["events"]) == _python_events(steps, actions)
    assert result["counters"][0] == "next: set 1 of 2 · left foot"
    assert result["counters"][1] == "set 1 of 2 · hold 1 of 15 · left foot"
    assert result["clocks"] == ["0", "10", "1:00", "1:00", "2:05"]
