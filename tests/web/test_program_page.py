"""The program page: this week in full, the rest in outline, and every reason and source."""

from __future__ import annotations

import re
from datetime import timedelta

from markupsafe import escape

from footcoach.schemas.intake import parse_intake
from tests.web.conftest import TODAY

SEED = "Foot trainer exercises for plantar fasciitis (an article by a foot-trainer maker)"


def text(html: str) -> str:
    """The page with tags dropped and spaces squeezed, for checks on what people read."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_newcomer_is_sent_to_onboarding(web):
    response = web.get("/program")
    assert response.status_code == 303 and response.headers["location"] == "/welcome"


def test_the_page_names_the_protocol_and_its_evidence(person):
    page = person.get("/program")
    assert page.status_code == 200
    protocol = person.services.planning.protocol("footcoach")
    assert page.text.count("<h1") == 1
    assert escape(protocol.name) in page.text
    assert escape(protocol.evidence) in page.text
    assert 'aria-current="page">Program<' in page.text


def test_this_week_shows_every_item_with_its_why_and_sources(person):
    page = person.get("/program").text
    program = person.services.tracking.snapshot("default").program
    week = program.weeks[0]
    assert "This week:" in page and "week 1, calm phase" in page
    sources = {s.id: s for s in person.services.catalog.sources()}
    for day in week.days:
        for session in day.sessions:
            for item in session.items:
                assert f'href="/library/{item.exercise}"' in page
                assert escape(item.why) in page
                for source_id in item.sources:
                    assert escape(sources[source_id].title) in page
    assert '<details class="why">' in page


def test_a_source_shows_its_strength_honestly(person):
    page = person.get("/program").text
    readable = text(page)
    assert f"{SEED} Strength: opinion" in readable
    digiovanni = person.services.library.sources.get("digiovanni-2003")
    assert f"{digiovanni.title} Strength: randomised trial" in readable
    assert f"{SEED} Strength: randomised trial" not in readable


def test_the_weeks_ahead_are_an_outline_not_every_item(web, intake_doc):
    # first steps at 3: loading from the start, the build phase's drills in weeks 11-12
    intake_doc["first_step_pain"] = 3
    web.services.tracking.init("default", parse_intake(intake_doc), start=TODAY)
    page = web.get("/program").text
    program = web.services.tracking.snapshot("default").program
    rows = re.findall(r"<strong>Week (\d+)</strong>", page)
    assert rows == [str(w.number) for w in program.weeks]
    assert 'class="week-line current" aria-current="date"' in page
    # the heel-to-toe walk starts in the build phase: in the outline, not in this week's items
    assert "Heel-to-toe walk" in page
    this_week = page.split('id="weeks-title"')[0]
    assert 'href="/library/heel-toe-walk"' not in this_week
    assert page.count('<details class="why">') < 40
    assert len(page) < 150_000


def test_the_phase_plan_and_the_pain_monitor_are_explained(person):
    page = person.get("/program").text
    protocol = person.services.planning.protocol("footcoach")
    for phase in protocol.phases:
        assert escape(phase.name) in page
        assert escape(phase.entry) in page and escape(phase.exit) in page
    # first steps at 6 and no mornings logged yet: the calm phase until they settle
    program = person.services.tracking.snapshot("default").program
    assert {w.phase for w in program.weeks} == {"calm"}
    assert f"weeks 1 to {len(program.weeks)} of your program" in page
    assert "not in your program as it stands" in page
    assert "the pain monitor" in page
    assert "pauses the standing work" in page
    assert "the calendar alone never moves you on" in page


def test_the_excluded_list_gives_heel_drop_and_its_reason(person):
    page = person.get("/program").text
    program = person.services.tracking.snapshot("default").program
    heel_drop = next(x for x in program.excluded if x.exercise == "heel-drop")
    section = page.split('id="excluded-title"')[1].split("</section>")[0]
    assert "Heel drop off a step" in section
    assert escape(heel_drop.reason) in section
    for x in program.excluded:
        assert f'href="/library/{x.exercise}"' in section


def test_notes_and_conflicts_are_shown(person):
    page = person.get("/program").text
    program = person.services.tracking.snapshot("default").program
    for note in program.notes:
        assert escape(note) in page
    section = page.split('id="conflicts-title"')[1]
    sources = person.services.library.sources
    conflicts = person.services.catalog.conflicts()
    assert conflicts
    for c in conflicts:
        assert escape(c.topic) in section
        assert escape(c.resolution) in section and escape(c.reason) in section
        for position in c.positions:
            assert escape(position.position) in section
            assert escape(sources.get(position.source).title) in section


def test_the_last_adjustment_shows_with_its_reason(person, clock):
    for i, pain in enumerate([2, 2, 1]):
        person.services.tracking.checkin("default", pain, day=TODAY + timedelta(days=i))
    clock.day = TODAY + timedelta(days=3)
    page = person.get("/program").text
    adjustment = person.services.tracking.snapshot("default").program.adjustment
    assert adjustment is not None
    assert escape(adjustment.reason) in page
    assert "Stepped up." in page


def test_a_clinician_prompt_is_shown(web, intake_doc):
    intake_doc["weeks_of_symptoms"] = 40
    program = web.services.tracking.init("default", parse_intake(intake_doc), start=TODAY)
    assert program.clinician_prompt is not None
    page = web.get("/program").text
    assert "Worth seeing a clinician" in page
    assert escape(program.clinician_prompt.advice) in page


def test_before_the_start_the_first_week_is_shown(web, intake_doc):
    start = TODAY + timedelta(days=7)
    web.services.tracking.init("default", parse_intake(intake_doc), start=start)
    page = web.get("/program").text
    assert "Your program starts on" in page and "Your first week:" in page
    assert 'aria-current="date"' not in page


def test_after_the_end_the_outline_stays(person, clock):
    clock.day = TODAY + timedelta(weeks=13)
    page = person.get("/program").text
    assert "Your program ended on" in page
    assert 'id="week-title"' not in page
    assert 'id="weeks-title"' in page
