"""The printable handout: what the service gathers, and the PDF read back with pypdf (every
exercise of the week, a row per day of the log, the stop list, pages, paper and type sizes)."""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from footcoach.adapters.handout_pdf import print_handout
from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.errors import InvalidInputError
from footcoach.domain.evidence import Source, SourceKind, Strength
from footcoach.domain.screening import URGENT_FLAGS
from footcoach.schemas.intake import parse_intake
from footcoach.services.handout import (
    STOP_SIGNS,
    Paper,
    check_options,
    handout,
    source_words,
)
from tests.support.clock import FixedClock

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
START = date(2026, 11, 23)
TODAY = date(2026, 11, 25)
A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)
PROJECT_WORDS = re.compile(r"\b([Ss]eed|[Vv]endor|MID|doi|PMID|id|ids)\b|_|\d{4}-\d{2}-\d{2}")
"""Words that belong to the project, not to the person holding the paper."""


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handout")
    found = build_services(
        Settings(database_url=f"sqlite:///{folder / 'fc.db'}"), clock=FixedClock(TODAY)
    )
    intake, refer = (
        parse_intake(json.loads((EXAMPLES / example).read_text()))
        for example in ("intake.json", "intake-refer.json")
    )
    found.tracking.init("ann", intake, start=START)
    found.tracking.init("bob", intake, start=START)
    found.tracking.init("bob", refer, start=START)  # a red flag since: the referral instead
    yield found
    found.close()


def _made(services, name="ann", **options):
    return handout(services.tracking, services.catalog, name, **options)


@pytest.fixture(scope="module")
def printed(services):
    """The handout of each paper size, in normal and large print: (pdf reader, page count)."""
    out = {}
    for paper in Paper:
        for large in (False, True):
            made = print_handout(_made(services, paper=paper, large_print=large))
            out[paper, large] = (PdfReader(io.BytesIO(made.pdf)), made.pages)
    return out


def _text(reader: PdfReader, pages: slice = slice(None)) -> str:
    return "\n".join(p.extract_text() for p in reader.pages[pages])


def _squeezed(text: str) -> str:
    """Text without any white space: words broken across lines read whole again."""
    return re.sub(r"\s+", "", text)


# what goes on paper -------------------------------------------------------------------------


def test_every_exercise_of_the_week_is_shown_once_in_full(services):
    made = _made(services)
    week = services.tracking.snapshot("ann").program.weeks[0]
    names = {
        services.catalog.card(i.exercise).exercise.name
        for d in week.days
        for s in d.sessions
        for i in s.items
    }
    assert set(made.exercise_names) == names
    shown = [e for g in made.groups for s in g.sessions for e in s.exercises]
    full = [e.name for e in shown if e.shown_in is None]
    assert sorted(full) == sorted(names)  # each once in full, the others by name and dose
    for e in shown:
        assert e.dose and (e.shown_in is not None or e.steps)


def test_the_log_has_a_row_per_day_from_today(services):
    made = _made(services, weeks=3)
    days = [r.day for w in made.log_weeks for r in w.rows]
    assert days == [TODAY + timedelta(days=n) for n in range(21)]
    assert made.log_weeks[0].heading == (
        "Week 1: Wednesday 25 November 2026 to Tuesday 1 December 2026"
    )
    program = services.tracking.snapshot("ann").program
    by_day = {d.day: d for w in program.weeks for d in w.days}
    for w in made.log_weeks:
        for row in w.rows:
            planned = {s.slot.value for s in by_day[row.day].sessions}
            slots = ("before_first_step", "daytime", "evening")
            assert row.planned == tuple(s in planned for s in slots)


def test_a_referral_has_its_reasons_and_no_exercises_nor_log(services):
    made = _made(services, "bob")
    assert made.referral and made.referral_advice
    assert made.groups == () and made.log_weeks == () and made.sources == ()


def test_the_stop_list_covers_every_urgent_red_flag():
    covered = {flag for flags, _ in STOP_SIGNS for flag in flags}
    assert set(URGENT_FLAGS) <= covered


def test_sources_are_named_for_people_and_weak_ones_labelled_weak(services):
    made = _made(services)
    assert made.sources
    strengths = [s.strength for s in made.sources]
    order = ["Strong", "Good", "Weak", "Not evidence"]
    assert strengths == sorted(strengths, key=order.index)  # strongest first
    for s in made.sources:
        for text in (s.title, s.who, s.meaning):
            assert not PROJECT_WORDS.search(text), text
    article = Source(
        "000_x.txt",
        SourceKind.SEED,
        "Foot trainer exercises (vendor article)",
        "Seed article 000, a foot-trainer vendor's page.",
        Strength.OPINION,
        "",
    )
    words = source_words(article)
    assert (words.strength, words.weak) == ("Weak", True)
    assert words.title == "Foot trainer exercises"
    assert words.who == "an article by a foot-trainer maker"
    paper = Source("p", SourceKind.PAPER, "T", "A B. J 2015;1:2. PMID 123", Strength.TRIAL, "")
    assert (source_words(paper).who, source_words(paper).weak) == ("A B. J 2015;1:2", False)


@pytest.mark.parametrize(
    ("weeks", "paper", "fields"),
    [
        (0, "a4", ["weeks"]),
        (13, "a4", ["weeks"]),
        ("four", "a4", ["weeks"]),
        (True, "a4", ["weeks"]),
        (4, "a5", ["paper"]),
        (-1, "", ["weeks", "paper"]),
    ],
)
def test_bad_options_name_each_field(weeks, paper, fields):
    with pytest.raises(InvalidInputError) as caught:
        check_options(weeks, paper)
    assert [p.field for p in caught.value.problems] == fields


def test_options_take_text_and_defaults():
    assert check_options(None, None) == (4, Paper.A4)
    assert check_options("12", "LETTER") == (12, Paper.LETTER)


# the PDF, read back -----------------------------------------------------------------------------


def test_the_pdf_shows_every_exercise_of_the_first_week(services, printed):
    week = services.tracking.snapshot("ann").program.weeks[0]
    names = {
        services.catalog.card(i.exercise).exercise.name
        for d in week.days
        for s in d.sessions
        for i in s.items
    }
    for reader, _ in printed.values():
        text = _squeezed(_text(reader))
        for name in names:
            assert _squeezed(name) in text, name


def test_the_pdf_log_has_28_day_rows_for_4_weeks(printed):
    reader, _ = printed[Paper.A4, False]
    text = _text(reader)
    rows = Counter(re.findall(r"^(\w+day \d{1,2} \w+)\s*$", text, re.MULTILINE))
    expected = [TODAY + timedelta(days=n) for n in range(28)]
    assert set(rows) == {f"{d:%A} {d.day} {d:%B}" for d in expected}
    assert all(count == 1 for count in rows.values())


def test_the_pdf_has_the_stop_list_and_says_dates_in_words(printed):
    for reader, _ in printed.values():
        text = _text(reader)
        squeezed = _squeezed(text)
        assert _squeezed("Stop the exercises and see someone if...") in squeezed
        for _, sign in STOP_SIGNS:
            assert _squeezed(sign) in squeezed, sign
        assert _squeezed("Printed on Wednesday 25 November 2026") in squeezed
        assert not PROJECT_WORDS.search(text), PROJECT_WORDS.search(text)


def test_a_referral_pdf_lists_the_reasons(services):
    made = _made(services, "bob")
    reader = PdfReader(io.BytesIO(print_handout(made).pdf))
    text = _squeezed(_text(reader))
    assert _squeezed("See a clinician before you start") in text
    for reason in made.referral:
        assert _squeezed(reason) in text


@pytest.mark.parametrize(("paper", "size"), [(Paper.A4, A4), (Paper.LETTER, LETTER)])
def test_page_count_and_size_for_each_paper(printed, paper, size):
    reader, pages = printed[paper, False]
    assert len(reader.pages) == pages
    assert 3 <= pages <= 7  # a handout, not a book: a week of exercises and four of log
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == size
    log_starts = [n for n, p in enumerate(reader.pages) if "Your log" in p.extract_text()]
    assert len(log_starts) == 1
    assert reader.pages[log_starts[0]].extract_text().lstrip().startswith("Your log")


@pytest.mark.parametrize("paper", list(Paper))
def test_large_print_takes_more_pages_and_no_type_below_16_pt(printed, paper):
    large, large_pages = printed[paper, True]
    _, normal_pages = printed[paper, False]
    assert large_pages > normal_pages
    sizes = _type_sizes(large)
    assert min(sizes) >= 16, sorted(sizes)
    assert min(_type_sizes(printed[paper, False][0])) < 16  # the check can see small type


def _type_sizes(reader: PdfReader) -> set[float]:
    sizes: set[float] = set()

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = math.hypot(tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3])
            sizes.add(round(size * scale, 1))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes
