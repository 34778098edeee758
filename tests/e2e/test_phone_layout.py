"""The pages at 390x844 on a touch phone (issue #12 item 6): pills stay on one line, radio chips
are one component big enough for a finger and their text, the diary's sessions become cards that
show the Effort, the program page folds its later weeks, keyboard hints stay off touch screens.
axe checks each page as it is looked at."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.conftest import PHONE, check_accessibility

pytestmark = pytest.mark.e2e

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
PROGRAM_MAX_PX = 12_000
"""The program page's height on a phone with its folds closed (it was 17,000 px)."""


def fill_diary(url: str) -> None:
    """Three weeks of mornings and sessions done, each rated, and one FFI."""
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings
    from footcoach.domain.diary import Instrument, QuestionnaireResponse, SessionRecord
    from footcoach.schemas.intake import parse_intake

    today = date.today()
    start = today - timedelta(days=20)
    services = build_services(Settings(database_url=url))
    try:
        tracking = services.tracking
        doc = json.loads((EXAMPLES / "intake.json").read_text(encoding="utf-8"))
        tracking.init("default", parse_intake(doc), start=start)
        program = tracking.snapshot("default").program
        planned = {d.day: [s.slot for s in d.sessions] for w in program.weeks for d in w.days}
        for n in range(20):
            tracking.checkin("default", 3, start + timedelta(days=n))
        with tracking.unit_of_work() as uow:
            pid = uow.profiles.id_of("default")
            for n in range(20):
                day = start + timedelta(days=n)
                at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
                for slot in planned.get(day, []):
                    record = SessionRecord(
                        day, slot.value, at, completed=True, pain_during=2, effort=6
                    )
                    uow.diary.add_session(pid, record)
            uow.commit()
        tracking.record_questionnaire(
            "default", QuestionnaireResponse(Instrument.FFI, start, (5,) * 23)
        )
    finally:
        services.close()


@pytest.fixture
def lived_in(tmp_path, request) -> str:
    """A server on a database with three weeks of diary in it; yields its base URL."""
    fill_diary(f"sqlite:///{tmp_path / 'e2e.db'}")
    return request.getfixturevalue("server")


@pytest.fixture
def phone(browser):
    """A touch phone: 390x844, touch events, a coarse pointer and no hover."""
    context = browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, service_workers="block"
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", ["/today", "/program"])
def test_pills_stay_on_one_line(phone, lived_in, path):
    phone.goto(lived_in + path)
    badges = phone.locator(".badge")
    assert badges.count() >= 1
    for i in range(badges.count()):
        box = phone.evaluate(
            "(el) => ({h: el.getBoundingClientRect().height,"
            " line: parseFloat(getComputedStyle(el).lineHeight),"
            " pad: parseFloat(getComputedStyle(el).paddingTop)"
            " + parseFloat(getComputedStyle(el).paddingBottom)})",
            badges.nth(i).element_handle(),
        )
        assert box["h"] <= box["line"] + box["pad"] + 2, box  # one line of text
    check_accessibility(phone)


@pytest.mark.parametrize("path", ["/welcome", "/questionnaires/ffi"])
def test_radio_chips_are_big_enough_and_hold_their_text(phone, lived_in, path):
    phone.goto(lived_in + path)
    chips = phone.locator(".chips > label")
    assert chips.count() >= 11
    sizes = chips.evaluate_all(
        "(els) => els.map(el => ({w: el.getBoundingClientRect().width,"
        " h: el.getBoundingClientRect().height, sw: el.scrollWidth, cw: el.clientWidth,"
        " text: el.textContent.trim(),"
        " font: parseFloat(getComputedStyle(el.querySelector('input')).width)}))"
    )
    for size in sizes:
        assert size["w"] >= 44 and size["h"] >= 44, size
        assert size["sw"] <= size["cw"], size  # "10" stays inside its chip
        assert size["font"] >= 20, size  # the radio itself is finger-sized, the same everywhere
    assert "10" in [s["text"] for s in sizes]
    check_accessibility(phone)


def test_the_diary_shows_sessions_as_cards_with_the_effort(phone, lived_in):
    phone.goto(lived_in + "/diary")
    effort = phone.locator('table.stack td[data-label="Effort"]').first
    box = effort.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert "6/10" in effort.inner_text()
    label = phone.evaluate(
        "(el) => getComputedStyle(el, '::before').content", effort.element_handle()
    )
    assert "Effort" in label  # each value says which it is
    header = phone.locator("table.stack thead")
    assert header.bounding_box() is None or header.bounding_box()["height"] <= 1
    check_accessibility(phone)


def test_the_program_page_folds_the_later_weeks(phone, lived_in):
    phone.goto(lived_in + "/program")
    folded = phone.get_by_test_id("later-weeks")
    assert folded.get_attribute("open") is None
    assert "Week 12" in folded.text_content()
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height < PROGRAM_MAX_PX, height
    check_accessibility(phone)


def test_no_keyboard_hint_on_a_touch_phone(phone, lived_in, browser):
    phone.goto(lived_in + "/session/daytime")
    # the hint sits in the timer's panel, hidden until a session starts: compare its own display
    shown = "(el) => getComputedStyle(el).display"
    hint = phone.locator(".guide-keys")
    assert hint.count() == 1 and hint.evaluate(shown) == "none"
    check_accessibility(phone)
    desktop = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = desktop.new_page()
        page.goto(lived_in + "/session/daytime")
        assert page.locator(".guide-keys").evaluate(shown) != "none"  # a mouse and keyboard
    finally:
        desktop.close()
