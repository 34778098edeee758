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
from dataclasses import dataclass, field, replace
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


def row_of(
    user: User,
    summary: Summary | None,
    today: date,
    worked_out: tuple[Signals, Attention] | None = None,
) -> PersonRow:
    """The dashboard row of a person from their summary (None: no intake answered yet), with
    its weeks and scores; `worked_out`: its signals_of and attention on `today`, when known."""
    if summary is None:
        signals = Signals(intake_done=False)
        return PersonRow(user.id, user.email, signals, attention(signals, today), user.profile)
    signals, found = worked_out or (signals_of(summary, today), None)
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
        attention=found or attention(signals, today),
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
    """One person a dashboard may list, with their profile's revision and what is stored."""

    user: User
    profile_id: int | None = None
    """None: no profile yet (no intake answered)."""
    revision: int | None = None
    kept: tuple[int, str] | None = None
    """The stored summary's revision and basis; None when none is stored."""


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
        holds `search` (any case; "" for all), each with their profile's revision and the
        revision and basis of their stored summary."""
        ...

    def stored(self, profile_ids: Sequence[int]) -> dict[int, Summary]:
        """The stored summaries of these profiles, without weeks and scores, in one query."""
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


@dataclass(frozen=True, slots=True)
class Known:
    """What a process worked out of one summary on one day, kept for the next look."""

    summary: Summary
    day: date
    signals: Signals
    found: Attention
    key: tuple[int, float, float, str]
    filters: tuple[Filter, ...]
    detailed: Summary | None = None
    """The summary with its weeks and scores, once a page has shown the person."""


MAX_KNOWN: Final = 20_000
"""Summaries a process keeps worked out (a few hundred bytes each); past it, it starts over."""


class ClinicService:
    """The dashboard of linked people, read from summaries (see the module's note).

    Each process also keeps what it worked out of each summary on each day (`Known`), so a look
    at an unchanged caseload costs one query and a dictionary lookup per person."""

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
        self._known: dict[int, Known] = {}

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
        """Each listed profile's current summary: kept by this process, else stored, else
        built; and which were built (they come with their weeks and scores)."""
        basis = self.basis
        current: dict[int, Summary] = {}
        unread: list[int] = []
        behind: list[int] = []
        for entry in listed:
            profile_id, revision = entry.profile_id, entry.revision
            if profile_id is None or revision is None:
                continue
            known = self._known.get(profile_id)
            if known is not None and (known.summary.revision, known.summary.basis) == (
                revision,
                basis,
            ):
                current[profile_id] = known.summary
            elif entry.kept == (revision, basis):
                unread.append(profile_id)
            else:
                behind.append(profile_id)
        if unread:  # stored at the revision listed, or since at a newer one
            for profile_id, summary in self.store.stored(unread).items():
                if summary.basis == basis:
                    current[profile_id] = summary
        missing = [p for p in unread if p not in current]
        built = self.build([*behind, *missing])
        current.update(built)
        return current, set(built)

    def _worked_out(self, summary: Summary, today: date, email: str, complete: bool) -> Known:
        """The signals, attention and place of a summary on `today`, kept until either
        changes; `complete`: the summary holds its weeks and scores (it was just built)."""
        known = self._known.get(summary.profile_id)
        if known is not None and known.summary is summary and known.day == today:
            return known
        signals = signals_of(summary, today)
        found = attention(signals, today)
        known = Known(
            summary,
            today,
            signals,
            found,
            sort_key(found, signals, email),
            tuple(f for f in Filter if f.matches(found)),
            summary if complete else None,
        )
        if len(self._known) >= MAX_KNOWN:
            self._known.clear()
        self._known[summary.profile_id] = known
        return known

    def dashboard(self, clinician_id: int | None, query: DashboardQuery) -> DashboardPage:
        """One page of a clinician's people (None: every person), who needs attention first."""
        today = self.clock.today()
        listed = self.store.people(clinician_id, query.search.strip())
        summaries, built = self.summaries(listed)
        counts = dict.fromkeys(Filter, 0)
        no_intake = Signals(intake_done=False)
        waiting = attention(no_intake, today)
        waiting_filters = tuple(f for f in Filter if f.matches(waiting))
        ranked: list[tuple[tuple[int, float, float, str], Listed, Known | None]] = []
        for entry in listed:
            summary = None if entry.profile_id is None else summaries.get(entry.profile_id)
            if summary is None:
                known = None
                key, filters = sort_key(waiting, no_intake, entry.user.email), waiting_filters
            else:
                complete = summary.profile_id in built
                known = self._worked_out(summary, today, entry.user.email, complete)
                key, filters = known.key, known.filters
                if key[3] != entry.user.email:  # the address changed: sorted by the new one
                    key = (*key[:3], entry.user.email)
            for f in filters:
                counts[f] += 1
            if query.concern is not None and query.concern not in filters:
                continue
            ranked.append((key, entry, known))
        ranked.sort(key=lambda r: r[0])
        per_page = max(1, min(MAX_PAGE_SIZE, query.per_page))
        pages = max(1, math.ceil(len(ranked) / per_page))
        page = max(1, min(pages, query.page))
        shown = ranked[(page - 1) * per_page : page * per_page]
        wanted = [k.summary.profile_id for _, _, k in shown if k is not None and not k.detailed]
        details = self.store.details(wanted) if wanted else {}
        rows = []
        for _, entry, known in shown:
            if known is None:
                rows.append(row_of(entry.user, None, today))
                continue
            if known.detailed is None:
                text = details.get(known.summary.profile_id)
                detailed = known.summary if text is None else known.summary.with_details(text)
                known = replace(known, detailed=detailed)
                self._known[known.summary.profile_id] = known
            assert known.detailed is not None
            rows.append(row_of(entry.user, known.detailed, today, (known.signals, known.found)))
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
