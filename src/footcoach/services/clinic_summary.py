"""The clinic dashboard read from stored summaries: a thousand people in one query, not one
program each.

A summary (`Summary`) holds what the dashboard needs of one profile that does not depend on the
day: the program's referral and clinician prompt, its planned and done sessions and its first-step
pain, one character per day, the last day anything was recorded, the weeks' phases and each
questionnaire's headline score. It is stamped with the profile's revision, which every write a
person's own pages depend on raises in its own transaction (adapters.db.repositories.touch), and
with `basis`, which changes with the code and the exercise library. A summary is used only while
both still match; any other is built again from the diary, as the person's own pages build their
snapshot (tracking.read_program), for every such person of a dashboard at once (a few queries
whatever their number), and stored for the next look. So a summary can never disagree with the
person's pages, and no write pays for it.

What depends on the day (the last 14 days' sessions, the two weeks of pain, the phase of this
week, the scores taken by today) is worked out when the dashboard is drawn, from those stored
characters, with the same rules as services.clinic (`signals_of`, `row_of`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from importlib import metadata
from typing import Final, Protocol

from footcoach.domain.accounts import User
from footcoach.domain.changes import ProgramChange, apply_changes
from footcoach.domain.diary import Diary, Instrument
from footcoach.domain.profile import Profile
from footcoach.domain.program import Program, Status
from footcoach.domain.progress import Adherence
from footcoach.domain.scoring import score_response
from footcoach.services.clinic import (
    HEADLINE,
    TREND_DAYS,
    WINDOW_DAYS,
    Attention,
    Concern,
    LatestScore,
    PainTrend,
    PersonRow,
    Signals,
    attention,
)
from footcoach.services.planning import PlanningService
from footcoach.services.ports import Clock

SUMMARY_FORMAT: Final = 1
"""Raise it whenever what a summary holds, or how it is read, changes: every stored summary is
then built again on its first look."""
PAGE_SIZE: Final = 50
"""People a dashboard page lists unless asked for another number."""
MAX_PAGE_SIZE: Final = 200
SEPARATOR: Final = "\x1f"
"""Between the reasons of a referral or a prompt (a character no sentence holds)."""
NO_PAIN: Final = "."
"""A day without a check-in in Summary.pains."""
ZERO: Final = 48
"""ord("0"): a count or a pain n is stored as chr(ZERO + n)."""


# what is stored -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Summary:
    """One profile's day-independent dashboard facts, as of `revision`."""

    profile_id: int
    revision: int
    basis: str
    referral: tuple[str, ...] = ()
    """The safety screen's reasons, when the program is a referral."""
    prompt: tuple[str, ...] = ()
    """The program's reasons to see a clinician (R2)."""
    start: date | None = None
    """The program's first day (None: a program without weeks)."""
    planned: str = ""
    """Per program day from `start`: how many sessions are planned."""
    done: str = ""
    """Per program day from `start`: how many of those have a done session in the diary."""
    pain_from: date | None = None
    pains: str = ""
    """Per day from `pain_from`: that morning's first-step pain, or NO_PAIN."""
    last_activity: date | None = None
    weeks: tuple[tuple[int, str, str], ...] = ()
    """Each program week's number, phase id and phase name."""
    scores: tuple[tuple[Instrument, date, float | None], ...] = ()
    """Every questionnaire's headline score (HEADLINE), oldest first as the diary has them."""

    def details(self) -> str:
        """`weeks` and `scores` as the JSON text stored beside the rest."""
        return json.dumps(
            {
                "weeks": [list(w) for w in self.weeks],
                "scores": [[i.value, d.isoformat(), v] for i, d, v in self.scores],
            },
            separators=(",", ":"),
        )

    def with_details(self, text: str) -> Summary:
        """A copy with `weeks` and `scores` read back from details() text."""
        doc = json.loads(text)
        return Summary(
            self.profile_id,
            self.revision,
            self.basis,
            self.referral,
            self.prompt,
            self.start,
            self.planned,
            self.done,
            self.pain_from,
            self.pains,
            self.last_activity,
            tuple((int(n), str(p), str(name)) for n, p, name in doc["weeks"]),
            tuple(
                (Instrument(i), date.fromisoformat(d), None if v is None else float(v))
                for i, d, v in doc["scores"]
            ),
        )


def _chars(values: Sequence[int]) -> str:
    return "".join(chr(ZERO + v) for v in values)


def summarize(
    profile_id: int,
    revision: int,
    basis: str,
    diary: Diary,
    program: Program,
    phase_names: Mapping[str, str],
) -> Summary:
    """The summary of a profile's program and diary (its diary read without items, as the
    snapshot reads it)."""
    referral: tuple[str, ...] = ()
    if program.status is Status.REFER and program.referral is not None:
        referral = tuple(r.explanation for r in program.referral.reasons)
    prompt = program.clinician_prompt.reasons if program.clinician_prompt is not None else ()
    days = [d for w in program.weeks for d in w.days]
    start = days[0].day if program.weeks and program.weeks[0].days else None
    planned: list[int] = []
    done: list[int] = []
    if start is not None:
        done_slots: dict[date, set[str]] = {}
        for record in diary.sessions:
            if record.done:
                done_slots.setdefault(record.day, set()).add(record.slot)
        length = max((d.day - start).days for d in days) + 1
        planned, done = [0] * length, [0] * length
        for d in days:
            slots = done_slots.get(d.day, set())
            index = (d.day - start).days
            planned[index] = len(d.sessions)
            done[index] = sum(1 for s in d.sessions if s.slot in slots)
    by_day: dict[date, int] = {}
    for c in diary.checkins:  # two on one day count as the worse, as progress reads them
        by_day[c.day] = max(c.first_step_pain, by_day.get(c.day, c.first_step_pain))
    pain_from = min(by_day, default=None)
    pains = ""
    if pain_from is not None:
        span = (max(by_day) - pain_from).days + 1
        pains = "".join(
            chr(ZERO + by_day[day]) if day in by_day else NO_PAIN
            for day in (pain_from + timedelta(days=n) for n in range(span))
        )
    active = [c.day for c in diary.checkins]
    active += [s.day for s in diary.sessions]
    active += [q.taken_on for q in diary.questionnaires]
    scores = tuple(
        (q.instrument, q.taken_on, score_response(q).value(HEADLINE[q.instrument]))
        for q in sorted(diary.questionnaires, key=lambda q: q.taken_on)
    )
    return Summary(
        profile_id=profile_id,
        revision=revision,
        basis=basis,
        referral=referral,
        prompt=prompt,
        start=start,
        planned=_chars(planned),
        done=_chars(done),
        pain_from=pain_from,
        pains=pains,
        last_activity=max(active, default=None),
        weeks=tuple((w.number, w.phase, phase_names.get(w.phase, w.phase)) for w in program.weeks),
        scores=scores,
    )


# what depends on the day ------------------------------------------------------------------
def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _pains(summary: Summary, first: date, last: date) -> list[int]:
    """The check-ins from `first` to `last`, oldest first."""
    if summary.pain_from is None or last < first:
        return []
    size = len(summary.pains)
    lo = min(size, max(0, (first - summary.pain_from).days))
    hi = min(size, max(0, (last - summary.pain_from).days + 1))
    return [ord(c) - ZERO for c in summary.pains[lo:hi] if c != NO_PAIN]


def signals_of(summary: Summary, today: date) -> Signals:
    """What services.clinic.person_row finds for the same profile on `today`."""
    recent_from = today - timedelta(days=TREND_DAYS - 1)
    previous_from = recent_from - timedelta(days=TREND_DAYS)
    pain = PainTrend(
        _mean(_pains(summary, recent_from, today)),
        _mean(_pains(summary, previous_from, recent_from - timedelta(days=1))),
    )
    done = planned = 0
    if summary.start is not None:
        since = today - timedelta(days=WINDOW_DAYS - 1)
        lo = max(0, (since - summary.start).days)
        last = (today - summary.start).days
        hi = min(len(summary.planned), last + 1)
        for index in range(lo, hi):
            day_done = ord(summary.done[index]) - ZERO
            done += day_done
            planned += day_done if index == last else ord(summary.planned[index]) - ZERO
    return Signals(
        intake_done=True,
        referral=summary.referral,
        prompt=summary.prompt,
        pain=pain,
        adherence=Adherence(done, planned),
        last_activity=summary.last_activity,
    )


def row_of(user: User, summary: Summary | None, today: date) -> PersonRow:
    """The dashboard row of a person from their summary (None: no intake answered yet)."""
    if summary is None:
        signals = Signals(intake_done=False)
        return PersonRow(user.id, user.email, signals, attention(signals, today), user.profile)
    signals = signals_of(summary, today)
    week = phase = phase_name = None
    if summary.start is not None and today >= summary.start and summary.weeks:
        index = min((today - summary.start).days // 7, len(summary.weeks) - 1)
        week, phase, phase_name = summary.weeks[index]
    latest: dict[Instrument, tuple[date, float | None]] = {}
    for instrument, taken_on, value in summary.scores:
        if taken_on <= today:
            latest[instrument] = (taken_on, value)
    scores = tuple(
        LatestScore(i, HEADLINE[i], latest[i][0], latest[i][1])
        for i in (Instrument.FFI, Instrument.FAAM)
        if i in latest
    )
    return PersonRow(
        user_id=user.id,
        email=user.email,
        signals=signals,
        attention=attention(signals, today),
        profile=user.profile,
        phase=phase,
        phase_name=phase_name,
        week=week,
        weeks=len(summary.weeks),
        scores=scores,
        start=summary.start,
    )


# the port -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Listed:
    """One person a dashboard may list, with their profile's revision and stored summary."""

    user: User
    profile_id: int | None = None
    """None: no profile yet (no intake answered)."""
    revision: int | None = None
    summary: Summary | None = None
    """As stored, without weeks and scores (see SummaryStore.details); None when none is."""


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a program is planned from: a profile, its diary (without items) and its changes,
    read in one transaction, with the revision read before them."""

    profile_id: int
    revision: int
    profile: Profile
    diary: Diary
    changes: tuple[ProgramChange, ...]


class SummaryStore(Protocol):
    def people(self, clinician_id: int | None, search: str) -> list[Listed]:
        """In one query: a clinician's linked people (None: every person), those whose address
        holds `search` (any case; "" for all), each with their stored summary."""
        ...

    def inputs(self, profile_ids: Sequence[int]) -> list[Inputs]:
        """The planning inputs of these profiles, in a few queries whatever their number."""
        ...

    def details(self, profile_ids: Sequence[int]) -> dict[int, str]:
        """Summary.details() text of the stored summaries of these profiles, in one query."""
        ...

    def save(self, summaries: Sequence[Summary]) -> None:
        """Store these summaries, each replacing one built at an older revision or on another
        basis, never a newer one (two dashboards may build the same person at once)."""
        ...


# the dashboard ------------------------------------------------------------------------------
class Filter(StrEnum):
    """What a dashboard may be narrowed to: one concern, or the people with none."""

    SEE_CLINICIAN = "see_clinician"
    RISING_PAIN = "rising_pain"
    MISSED_SESSIONS = "missed_sessions"
    NO_DATA = "no_data"
    ON_TRACK = "on_track"

    def matches(self, found: Attention) -> bool:
        if self is Filter.ON_TRACK:
            return not found.concerns
        return Concern[self.name] in found.concerns


FILTER_WORDS: Final = {
    Filter.SEE_CLINICIAN: "Referral or prompt to see a clinician",
    Filter.RISING_PAIN: "First-step pain rising",
    Filter.MISSED_SESSIONS: "Missed sessions",
    Filter.NO_DATA: "No data",
    Filter.ON_TRACK: "On track",
}


@dataclass(frozen=True, slots=True)
class DashboardQuery:
    search: str = ""
    """Part of an e-mail address, any case."""
    concern: Filter | None = None
    page: int = 1
    """From 1; a page past the last shows the last."""
    per_page: int = PAGE_SIZE


@dataclass(frozen=True, slots=True)
class DashboardPage:
    rows: tuple[PersonRow, ...]
    """This page's people, who needs attention first."""
    query: DashboardQuery
    page: int
    """The page shown (the query's, brought within 1..pages)."""
    pages: int
    total: int
    """People that match the search and the concern."""
    searched: int
    """People that match the search, whatever their concerns."""
    counts: dict[Filter, int] = field(default_factory=dict)
    """Of those that match the search, how many each filter would show."""
    built: int = 0
    """Summaries built for this page because theirs had fallen behind."""

    @property
    def first(self) -> int:
        """The position of the page's first person among all (from 1; 0 when none)."""
        return (self.page - 1) * self.query.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def sort_key(found: Attention, signals: Signals, email: str) -> tuple[int, float, float, str]:
    """services.clinic.attention_key, from its parts."""
    change = signals.pain.change
    share = signals.adherence.share
    return (
        -found.score,
        -(change if change is not None else 0.0),
        share if share is not None else 1.0,
        email,
    )


class ClinicService:
    """The dashboard of linked people, read from summaries (see the module's note)."""

    def __init__(
        self,
        planning: PlanningService,
        store: SummaryStore,
        clock: Clock,
        data_digest: Callable[[], str] = lambda: "",
    ) -> None:
        """`data_digest` gives a digest of the content of the exercise library and protocols
        the planner reads (the same on every server that has the same data)."""
        self.planning = planning
        self.store = store
        self.clock = clock
        self._data_digest = data_digest
        self._basis: str | None = None

    @property
    def basis(self) -> str:
        """What summaries are built with: this format, footcoach's version and the data's
        digest. A summary on any other basis is built again."""
        if self._basis is None:
            try:
                version = metadata.version("footcoach")
            except metadata.PackageNotFoundError:
                version = "unknown"
            text = f"{SUMMARY_FORMAT}|{version}|{self._data_digest()}"
            self._basis = hashlib.sha256(text.encode()).hexdigest()
        return self._basis

    def build(self, profile_ids: Sequence[int]) -> dict[int, Summary]:
        """Summaries of these profiles, built from their diaries and stored."""
        if not profile_ids:
            return {}
        basis = self.basis
        out: dict[int, Summary] = {}
        for got in self.store.inputs(profile_ids):
            out[got.profile_id] = summarize(
                got.profile_id,
                got.revision,
                basis,
                got.diary,
                self.program(got),
                {p.id: p.name for p in self.planning.protocol(got.profile.protocol).phases},
            )
        self.store.save(list(out.values()))
        return out

    def program(self, got: Inputs) -> Program:
        """The program as the person's own pages plan it (tracking.read_program)."""
        profile = got.profile
        planned = self.planning.plan(
            profile.intake, profile.start, got.diary.history(), profile.protocol, profile.weeks
        )
        return apply_changes(planned, list(got.changes), self.planning.library.catalog)

    def summaries(self, listed: Iterable[Listed]) -> tuple[dict[int, Summary], set[int]]:
        """Each listed profile's current summary, building those behind; and which were (they
        come with their weeks and scores, the others without)."""
        basis = self.basis
        current: dict[int, Summary] = {}
        behind: list[int] = []
        for entry in listed:
            if entry.profile_id is None:
                continue
            kept = entry.summary
            if kept is not None and kept.revision == entry.revision and kept.basis == basis:
                current[entry.profile_id] = kept
            else:
                behind.append(entry.profile_id)
        built = self.build(behind)
        current.update(built)
        return current, set(built)

    def dashboard(self, clinician_id: int | None, query: DashboardQuery) -> DashboardPage:
        """One page of a clinician's people (None: every person), who needs attention first."""
        today = self.clock.today()
        listed = self.store.people(clinician_id, query.search.strip())
        summaries, built = self.summaries(listed)
        counts = dict.fromkeys(Filter, 0)
        ranked: list[tuple[tuple[int, float, float, str], Listed, Summary | None]] = []
        for entry in listed:
            summary = None if entry.profile_id is None else summaries.get(entry.profile_id)
            signals = Signals(False) if summary is None else signals_of(summary, today)
            found = attention(signals, today)
            for f in Filter:
                if f.matches(found):
                    counts[f] += 1
            if query.concern is not None and not query.concern.matches(found):
                continue
            ranked.append((sort_key(found, signals, entry.user.email), entry, summary))
        ranked.sort(key=lambda r: r[0])
        per_page = max(1, min(MAX_PAGE_SIZE, query.per_page))
        pages = max(1, math.ceil(len(ranked) / per_page))
        page = max(1, min(pages, query.page))
        shown = ranked[(page - 1) * per_page : page * per_page]
        # one read of the page's weeks and scores, those just built included (they are stored
        # by now): the same statements whoever had fallen behind
        wanted = [s.profile_id for _, _, s in shown if s is not None]
        details = self.store.details(wanted) if wanted else {}
        rows = []
        for _, entry, summary in shown:
            text = None if summary is None else details.get(summary.profile_id)
            if summary is not None and text is not None and summary.profile_id not in built:
                summary = summary.with_details(text)
            rows.append(row_of(entry.user, summary, today))
        return DashboardPage(
            rows=tuple(rows),
            query=DashboardQuery(query.search.strip(), query.concern, page, per_page),
            page=page,
            pages=pages,
            total=len(ranked),
            searched=len(listed),
            counts=counts,
            built=len(built),
        )
