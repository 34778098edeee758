"""The printed handout: what goes on paper, gathered here so that the PDF adapter only lays it
out.

Page 1 onwards: this week's sessions by time of day, each exercise with its two poses, its dose
in words, its steps and the one caution that matters (the first the catalog lists); an exercise
that comes back later the same day is shown again by its name and dose only. Then when to stop
and see someone, a tick-box log for the weeks asked, and where the advice comes from, each
source named as a reader would name it and labelled with how strong it is.

Every word here is for the person holding the paper: dates in words, no ids, no file names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from footcoach.domain.catalog import Exercise
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.evidence import Source, SourceKind, Strength
from footcoach.domain.intake import RedFlag
from footcoach.domain.item_words import item_words
from footcoach.domain.program import Day, Program, Week
from footcoach.domain.protocol import SLOT_ORDER, Slot
from footcoach.domain.safety import SESSION_PAIN_LIMIT, SEVERE_DAYS, SEVERE_PAIN
from footcoach.domain.wording import day_text
from footcoach.services.catalog import CatalogService
from footcoach.services.program_view import group_days, program_view
from footcoach.services.tracking import TrackingService

WEEKS_RANGE = (1, 12)
"""Weeks of tick-box log a handout can have: at least one, at most about three months."""
DEFAULT_WEEKS = 4


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


SLOT_HEADINGS = {
    Slot.BEFORE_FIRST_STEP: "In bed, before your first step",
    Slot.DAYTIME: "During the day",
    Slot.EVENING: "In the evening",
}
SLOT_SHORT = {
    Slot.BEFORE_FIRST_STEP: "In bed",
    Slot.DAYTIME: "During the day",
    Slot.EVENING: "Evening",
}

STOP_SIGNS: tuple[tuple[tuple[RedFlag, ...], str], ...] = (
    (
        (RedFlag.TRAUMA, RedFlag.CANNOT_BEAR_WEIGHT, RedFlag.SUDDEN_POP),
        "you hurt the foot in a fall or a twist, felt a sudden pop or snap in the heel or calf, "
        "or cannot put weight on the foot: see a doctor today",
    ),
    (
        (RedFlag.RED_HOT_SWOLLEN, RedFlag.FEVER),
        "the foot turns red, hot and swollen, or you have a fever with the pain: see a doctor "
        "today",
    ),
    (
        (RedFlag.CALF_SWOLLEN_WARM_OR_TENDER,),
        "one calf is swollen, warm or sore to touch: see a doctor today, as it can be a blood clot",
    ),
    ((RedFlag.WOUND_OR_ULCER,), "a wound, blister or sore opens on the foot"),
    ((RedFlag.NUMBNESS_TINGLING,), "numbness, tingling or burning starts in the foot"),
    ((RedFlag.NIGHT_OR_REST_PAIN,), "the pain wakes you at night or stays while you rest"),
    (
        (RedFlag.CALF_PAIN_WALKING_EASES_AT_REST,),
        "your calf cramps when you walk and eases when you stop, or the foot turns cold and pale",
    ),
    (
        (),
        f"pain during the exercises goes above {SESSION_PAIN_LIMIT} out of 10 and is not back to "
        "your usual by the next morning",
    ),
    ((), f"your first steps hurt {SEVERE_PAIN} out of 10 or more {SEVERE_DAYS} mornings in a row"),
    (
        (RedFlag.WORSENING_AFTER_LOAD_INCREASE,),
        "it keeps getting worse week after week although you do the exercises as written",
    ),
)
"""Stop the exercises and see someone if... : each sign with the safety screen's red flags it
stands for (signs that can start after the screen was passed), then the pain monitor's limits."""

STRENGTH_WORDS: dict[Strength, tuple[str, str]] = {
    Strength.GUIDELINE: ("Strong", "a clinical guideline, which weighs all the studies"),
    Strength.SYSTEMATIC_REVIEW: ("Strong", "a review that pooled several studies"),
    Strength.TRIAL: ("Good", "a randomised trial, which compared treatments fairly"),
    Strength.SMALL_STUDY: ("Weak", "a small study, or one in people without heel pain"),
    Strength.OPINION: ("Weak", "experience and opinion, not tested in a trial"),
    Strength.DESIGN: ("Not evidence", "a choice footcoach made where the sources say nothing"),
}
"""How strong a source is, in the words the paper uses: a word, then what it means."""

_AUTHORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"([\w-]+) vendor"), r"an article by a \1 maker"),
    (re.compile(r"clinic blog post by an? (\w+)"), r"a \1's post on a clinic's blog"),
    (re.compile(r"clinic blog"), "a post on a clinic's blog"),
    (re.compile(r"fitness article"), "an article on a general fitness site"),
)
"""Who wrote a web article, from the catalog's description of it, as a reader would say it."""
_ARTICLE = "an article on the web"
_LOOKUP_IDS = re.compile(r"\s*(?:\.\s*)?(?:doi:\S+|PMID \d+|\(authors unverified\))")


@dataclass(frozen=True, slots=True)
class Figure:
    """An exercise's two poses as SVG documents, drawn to the same scale."""

    start: str
    end: str


@dataclass(frozen=True, slots=True)
class HandoutExercise:
    name: str
    dose: str
    steps: tuple[str, ...]
    caution: str | None
    figure: Figure | None
    shown_in: str | None = None
    """When the exercise was shown in full earlier: the heading of that session (this one then
    gives its name and dose only)."""


@dataclass(frozen=True, slots=True)
class HandoutSession:
    heading: str
    minutes: int
    exercises: tuple[HandoutExercise, ...]


@dataclass(frozen=True, slots=True)
class HandoutDays:
    """The sessions of some days of the week (of every day, in most programs)."""

    days: str
    sessions: tuple[HandoutSession, ...]


@dataclass(frozen=True, slots=True)
class LogRow:
    day: date
    words: str
    planned: tuple[bool, ...]
    """One per time of day (SLOT_ORDER): whether a session is planned then."""


@dataclass(frozen=True, slots=True)
class LogWeek:
    heading: str
    rows: tuple[LogRow, ...]


@dataclass(frozen=True, slots=True)
class HandoutSource:
    strength: str
    """'Strong', 'Good', 'Weak' or 'Not evidence'."""
    meaning: str
    title: str
    who: str
    """Who wrote it: an article's author in words, or a paper's citation."""
    backs: tuple[str, ...]
    """The names of the exercises on this handout it stands behind (none: the plan as a whole)."""

    @property
    def weak(self) -> bool:
        return self.strength not in ("Strong", "Good")


@dataclass(frozen=True, slots=True)
class Handout:
    made_on: str
    program_name: str
    phase_name: str
    week: int
    weeks_in_program: int
    program_dates: str
    groups: tuple[HandoutDays, ...]
    referral: tuple[str, ...]
    """Reasons to see a clinician before starting, when the answers need one (no exercises)."""
    referral_advice: str
    prompt: tuple[str, ...]
    """Reasons the pain monitor gives for seeing a clinician while the program goes on."""
    stop_signs: tuple[str, ...]
    log_slots: tuple[str, ...]
    log_weeks: tuple[LogWeek, ...]
    sources: tuple[HandoutSource, ...]
    large_print: bool
    paper: Paper

    @property
    def exercise_names(self) -> tuple[str, ...]:
        """Every exercise shown, in order of first appearance."""
        names = (e.name for g in self.groups for s in g.sessions for e in s.exercises)
        return tuple(dict.fromkeys(names))

    @property
    def log_days(self) -> int:
        return sum(len(w.rows) for w in self.log_weeks)


def check_options(
    weeks: object, paper: object, names: tuple[str, str] = ("weeks", "paper")
) -> tuple[int, Paper]:
    """The weeks of log and the paper size (None: the default), or InvalidInputError naming
    each bad one by `names` (the CLI's options, the query's parameters)."""
    problems: list[Problem] = []
    low, high = WEEKS_RANGE
    good_weeks = DEFAULT_WEEKS
    number = weeks
    if isinstance(weeks, str) and weeks.strip().isdigit():
        number = int(weeks)
    if weeks is None:
        pass
    elif isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
        problems.append(Problem(names[0], weeks, f"a whole number from {low} to {high}"))
    else:
        good_weeks = number
    sizes = tuple(p.value for p in Paper)
    good_paper = Paper.A4
    if paper is None:
        pass
    elif not isinstance(paper, str) or paper.strip().lower() not in sizes:
        problems.append(Problem(names[1], paper, f"one of {', '.join(sizes)}"))
    else:
        good_paper = Paper(paper.strip().lower())
    if problems:
        raise InvalidInputError(problems)
    return good_weeks, good_paper


Draw = Callable[[Exercise], Figure | None]


def figure_drawer(catalog: CatalogService) -> Draw:
    """Draws an exercise's start and end poses, still, when the catalog has a figure for it."""

    def draw(ex: Exercise) -> Figure | None:
        if ex.figure is None:
            return None
        return Figure(
            catalog.figure(ex.id, animated=False, pose="start"),
            catalog.figure(ex.id, animated=False, pose="end"),
        )

    return draw


def handout(
    tracking: TrackingService,
    catalog: CatalogService,
    name: str,
    weeks: int = DEFAULT_WEEKS,
    large_print: bool = False,
    paper: Paper = Paper.A4,
    day: date | None = None,
    draw: Draw | None = None,
) -> Handout:
    """Everything a profile's handout shows, as of a day (today by default)."""
    view = program_view(tracking, catalog, name, day)
    program, protocol = view.program, view.protocol
    start = tracking.snapshot(name).profile.start
    week = view.focus or (program.weeks[-1] if program.weeks else None)
    refer = program.referral
    groups: tuple[HandoutDays, ...] = ()
    if week is not None and refer is None:
        groups = _groups(week, catalog, figure_drawer(catalog) if draw is None else draw)
    last_day = start + timedelta(days=7 * len(program.weeks) - 1) if program.weeks else start
    shown = {i.exercise for d in (week.days if week else ()) for s in d.sessions for i in s.items}
    return Handout(
        made_on=day_text(view.day),
        program_name=protocol.name,
        phase_name=protocol.phase(week.phase).name if week else "",
        week=week.number if week else 0,
        weeks_in_program=len(program.weeks),
        program_dates=f"{day_text(start)} to {day_text(last_day)}",
        groups=groups,
        referral=tuple(r.explanation for r in refer.reasons) if refer else (),
        referral_advice=refer.advice if refer else "",
        prompt=program.clinician_prompt.reasons if program.clinician_prompt else (),
        stop_signs=tuple(sign for _, sign in STOP_SIGNS),
        log_slots=tuple(SLOT_SHORT[s] for s in SLOT_ORDER),
        log_weeks=() if refer else _log(program, start, max(view.day, start), weeks),
        sources=() if refer else _sources(program, protocol.sources, shown, catalog),
        large_print=large_print,
        paper=paper,
    )


def _groups(week: Week, catalog: CatalogService, draw: Draw) -> tuple[HandoutDays, ...]:
    library = catalog.library.catalog
    shown_in: dict[str, str] = {}
    out = []
    for group in group_days(week):
        sessions = []
        for session in group.sessions:
            heading = SLOT_HEADINGS[session.slot]
            items = []
            for item in session.items:
                ex = library.get(item.exercise)
                dose = item_words(item)
                if ex.id in shown_in:
                    items.append(HandoutExercise(ex.name, dose, (), None, None, shown_in[ex.id]))
                    continue
                shown_in[ex.id] = heading
                caution = ex.cautions[0] if ex.cautions else None
                items.append(HandoutExercise(ex.name, dose, ex.steps, caution, draw(ex)))
            sessions.append(HandoutSession(heading, session.minutes, tuple(items)))
        out.append(HandoutDays(_days_words(group.days, len(week.days)), tuple(sessions)))
    return tuple(out)


def _days_words(days: tuple[date, ...], week_length: int) -> str:
    if len(days) == week_length:
        return "Every day"
    names = [f"{d:%A}" for d in days]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _log(program: Program, start: date, first: date, weeks: int) -> tuple[LogWeek, ...]:
    """A row per day from `first`: its boxes follow the program's days, and after its end the
    last week's pattern (a program ended goes on as it was until it is planned again)."""
    by_day = {d.day: d for w in program.weeks for d in w.days}
    last_week = program.weeks[-1].days if program.weeks else ()
    out = []
    for number in range(weeks):
        rows = []
        for n in range(7):
            day = first + timedelta(days=7 * number + n)
            planned: Day | None = by_day.get(day)
            if planned is None and last_week:
                planned = last_week[(day - start).days % len(last_week)]
            slots = {s.slot for s in planned.sessions} if planned is not None else set()
            words = f"{day:%A} {day.day} {day:%B}"
            rows.append(LogRow(day, words, tuple(s in slots for s in SLOT_ORDER)))
        ends = first + timedelta(days=7 * number + 6)
        heading = f"Week {number + 1}: {day_text(rows[0].day)} to {day_text(ends)}"
        out.append(LogWeek(heading, tuple(rows)))
    return tuple(out)


def _sources(
    program: Program,
    protocol_sources: tuple[str, ...],
    shown: set[str],
    catalog: CatalogService,
) -> tuple[HandoutSource, ...]:
    """The sources behind the plan and the exercises shown, strongest first."""
    library = catalog.library.catalog
    backs: dict[str, dict[str, None]] = {s: {} for s in protocol_sources}
    for week in program.weeks:
        for day in week.days:
            for session in day.sessions:
                for item in session.items:
                    if item.exercise in shown:
                        name = library.get(item.exercise).name
                        for sid in item.sources:
                            backs.setdefault(sid, {})[name] = None
    by_id = {s.id: s for s in catalog.sources()}
    found = [by_id[s] for s in backs if s in by_id]
    found.sort(key=lambda s: (-s.strength, s.kind != SourceKind.GUIDELINE, s.title))
    return tuple(source_words(s, tuple(backs[s.id])) for s in found)


def source_words(source: Source, backs: tuple[str, ...] = ()) -> HandoutSource:
    """A source as the paper names it: how strong, its title, and who wrote it."""
    strength, meaning = STRENGTH_WORDS[source.strength]
    title, who = source.title, _LOOKUP_IDS.sub("", source.citation).strip().rstrip(".")
    if source.kind is SourceKind.SEED:
        title = re.sub(r"\s*\([^)]*\)\s*$", "", title)
        who = next((p.sub(w, m.group(0)) for p, w in _AUTHORS if (m := p.search(who))), _ARTICLE)
    elif source.kind is SourceKind.FOOTCOACH:
        title, who = "footcoach's own choices, where the sources say nothing", ""
    return HandoutSource(strength, meaning, title, who, backs)
