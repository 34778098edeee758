"""The progress page: pain chart, calendar, FFI and FAAM, phase, pain monitor; all as text too."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest

from footcoach.domain.diary import Instrument, QuestionnaireResponse, SessionRecord
from footcoach.schemas.intake import parse_intake
from tests.web.conftest import TODAY

NS = {"svg": "http://www.w3.org/2000/svg"}
START = TODAY - timedelta(days=14)
TOMORROW = TODAY + timedelta(days=1)


def charts(html: str) -> dict[str, ET.Element]:
    """Every chart of the page, parsed as XML, by id."""
    found = re.findall(
        r'<svg xmlns="http://www.w3.org/2000/svg"[^>]*class="chart-svg".*?</svg>', html, re.S
    )
    parsed = [ET.fromstring(markup) for markup in found]
    return {svg.get("id"): svg for svg in parsed}


def hidden_words(html: str) -> list[str]:
    return re.findall(r'<span class="visually-hidden">([^<]*)</span>', html)


@pytest.fixture
def history(web, intake_doc):
    """A profile started two weeks ago: falling pain, most sessions done, two of each
    questionnaire. Returns the planned sessions by day."""
    tracking = web.services.tracking
    tracking.init("default", parse_intake(intake_doc), start=START)
    program = tracking.snapshot("default").program
    planned = {d.day: [s.slot.value for s in d.sessions] for w in program.weeks for d in w.days}
    for n in range(14):
        tracking.checkin("default", max(0, 6 - n // 2), START + timedelta(days=n))
    with tracking.unit_of_work() as uow:
        pid = uow.profiles.id_of("default")
        for n in range(14):
            day = START + timedelta(days=n)
            slots = planned[day]
            if n == 5:
                continue  # a missed day
            if n == 6:
                slots = slots[:1]  # a partly done day
            for slot in slots:
                at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
                uow.diary.add_session(
                    pid, SessionRecord(day, slot, at, completed=True, pain_during=2, effort=5)
                )
        uow.commit()
    ffi_first = QuestionnaireResponse(Instrument.FFI, START, (6,) * 23)
    ffi_now = QuestionnaireResponse(Instrument.FFI, TODAY - timedelta(days=1), (3,) * 23)
    faam_first = QuestionnaireResponse(Instrument.FAAM, START, (2,) * 21, (None,) * 8)
    faam_now = QuestionnaireResponse(
        Instrument.FAAM, TODAY - timedelta(days=1), (3,) * 21, (2,) * 8
    )
    for response in (ffi_first, ffi_now, faam_first, faam_now):
        tracking.record_questionnaire("default", response)
    return planned


def test_progress_needs_a_profile(web):
    response = web.get("/progress")
    assert response.status_code == 303 and response.headers["location"] == "/welcome"


def test_an_empty_diary_renders_sensibly(person):
    page = person.get("/progress")
    assert page.status_code == 200
    html = page.text
    assert html.count("<h1>") == 1
    assert "Week 1 of 12 · Calm phase" in html
    assert "No morning check-ins yet. When you started, your first steps hurt 6 out of 10." in html
    assert "Nothing has been planned yet, so there is nothing to count." in html
    assert "You have not answered the FFI yet." in html
    assert "You have not answered the FAAM yet." in html
    assert "Answer the FFI (due now)" in html and "Answer the FAAM (due now)" in html
    assert "No adjustment so far" in html
    assert "Show as a table" not in html  # no rows to show
    drawn = charts(html)
    assert set(drawn) == {"pain-chart"}  # no questionnaire, no empty score charts
    pain = drawn["pain-chart"]
    assert pain.get("role") == "img"
    assert pain.find("svg:title", NS).text == "First-step pain over time"
    assert pain.find("svg:desc", NS).text.startswith("No check-ins yet.")
    assert pain.find(".//svg:text[@class='empty']", NS).text == "No check-ins yet"
    # the calendar: today is open, the rest is to come
    assert "Your program day by day" in html
    words = hidden_words(html)
    assert f"{TODAY:%A} {TODAY.day} {TODAY:%B}: today, still to do, 0 of 3 sessions" in words
    assert f"{TOMORROW:%A} {TOMORROW.day} {TOMORROW:%B}: to come" in words
    assert 'aria-current="date"' in html


def test_the_pain_chart_and_its_table_and_summary(history, web):
    html = web.get("/progress").text
    assert "Your first-step pain fell from 6 to 1.3 (7-day mean): a meaningful improvement." in html
    pain = charts(html)["pain-chart"]
    assert pain.get("aria-labelledby") == "pain-chart-title pain-chart-desc"
    dots = pain.findall('.//svg:g[@data-label="Each morning\'s first-step pain"]/svg:circle', NS)
    assert len(dots) == 14
    assert "the latest 7-day mean is 1.3" in pain.find("svg:desc", NS).text
    table = re.search(r'<details class="as-table">.*?</details>', html, re.S).group(0)
    assert "<summary>Show as a table</summary>" in table
    assert table.count("<tr>") == 15  # the header and one row a morning
    first = f"{START:%a} {START.day} {START:%b %Y}"
    assert f'<th scope="row">{first}</th><td>6</td><td>6</td>' in table
    assert "Your starting level: 6 out of 10" in html  # the legend, in words
    assert "Within 2 points of your starting level: not a change that matters" in html


def test_the_calendar_tells_days_apart_in_words_and_shapes(history, web):
    html = web.get("/progress").text
    words = hidden_words(html)

    def said(n: int) -> str:
        day = START + timedelta(days=n)
        return next(w for w in words if w.startswith(f"{day:%A} {day.day} {day:%B}:"))

    full = len(history[START])
    assert said(0) == f"{START:%A} {START.day} {START:%B}: done, {full} of {full} sessions"
    assert said(5).endswith(f": missed, 0 of {len(history[START + timedelta(days=5)])} sessions")
    assert said(6).endswith(
        f": partly done, 1 of {len(history[START + timedelta(days=6)])} sessions"
    )
    assert said(14).endswith(": today, still to do, 0 of 3 sessions")
    assert said(15).endswith(": to come")
    for state in ("done", "partly", "missed", "rest", "open", "future"):
        assert f'class="cal-mark cal-{state}"' in html  # each state has its own shape (the key)
    phase = web.services.tracking.snapshot("default").program.weeks[2].phase
    assert f"Week 3 of 12 · {phase.capitalize()} phase" in html
    assert "You did " in html and "planned sessions" in html


def test_ffi_and_faam_over_time_with_their_minimal_important_differences(history, web):
    html = web.get("/progress").text
    assert (
        "Your FFI total score fell from 60 to 30 since 9 November 2026 (lower is better): "
        "a meaningful improvement." in html
    )
    assert (
        "Your FAAM everyday activities score rose from 50 to 75 since 9 November 2026 "
        "(higher is better): a meaningful improvement." in html
    )
    drawn = charts(html)
    assert set(drawn) == {"pain-chart", "ffi-chart", "faam-chart"}
    for key in ("ffi-chart", "faam-chart"):
        svg = drawn[key]
        assert svg.get("role") == "img" and svg.find("svg:title", NS).text
        assert svg.find("svg:desc", NS).text
        assert svg.find(".//svg:g[@class='band']", NS) is not None  # the MID around the first
    assert "Within 7 points of your first total score (60): not a change that matters" in html
    assert "Within 8 points of your first everyday activities score (50)" in html
    assert "\u221230 since the first: a meaningful improvement" in html
    text = " ".join(html.split())
    assert (
        "A change people notice is at least 12 points for pain, 7 points for disability, "
        "7 points for total." in text
    )
    assert "at least 8 points for everyday activities (ADL), 9 points for sports." in text
    assert "Activity limitation has no published value" in html
    assert "the study that tested the FAAM (Martin and colleagues, 2005)" in text
    assert "(Landorf and Radford, 2008)" in text
    assert "not yet checked" not in text and "MID" not in text  # no jargon for the person
    faam_table = html[html.index('id="faam-title"') :]
    assert "Not reported" in faam_table  # the first FAAM had no sports answers


def test_the_last_adjustment_and_a_clinician_prompt_are_shown(web, intake_doc):
    long_standing = dict(intake_doc, weeks_of_symptoms=40)
    web.services.tracking.init("default", parse_intake(long_standing), start=START)
    web.services.tracking.checkin("default", 6, TODAY - timedelta(days=1))
    html = web.get("/progress").text
    assert "Worth seeing a clinician" in html and "40 weeks" in html
    assert "Latest adjustment:" in html


def test_a_finished_program_says_when_it_ended(web, intake_doc):
    web.services.tracking.init("default", parse_intake(intake_doc), start=date(2026, 1, 5), weeks=4)
    html = web.get("/progress").text
    assert "Your program ended on 1 February 2026" in html
    assert web.get("/progress").status_code == 200


def test_a_program_that_has_not_started_says_when_it_will(web, intake_doc):
    web.services.tracking.init("default", parse_intake(intake_doc), start=TODAY + timedelta(days=7))
    html = web.get("/progress").text
    assert "Your program starts on 30 November 2026." in html
    assert "Nothing has been planned yet" in html
    assert ": to come" in html and "today, still to do" not in " ".join(hidden_words(html))
