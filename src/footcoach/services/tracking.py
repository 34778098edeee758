"""Living with footcoach day to day: profiles, today's sessions, check-ins, logs, backups."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from footcoach.domain.backup import Backup
from footcoach.domain.changes import ProgramChange, apply_changes, apply_changes_to_day
from footcoach.domain.diary import (
    CheckInCorrection,
    Diary,
    Instrument,
    ItemRecord,
    QuestionnaireResponse,
    SessionRecord,
)
from footcoach.domain.errors import FootcoachError, InvalidInputError, Problem, UnknownIdError
from footcoach.domain.intake import PAIN_RANGE, CheckIn, History, Intake
from footcoach.domain.planner import Outlook, PlannedDay
from footcoach.domain.profile import Preferences, Profile
from footcoach.domain.program import Adjustment, ClinicianPrompt, Item, Program, Session, Status
from footcoach.domain.scoring import Scores, score_response
from footcoach.domain.screening import Referral
from footcoach.domain.wording import day_text
from footcoach.services.cache import RevisionCache
from footcoach.services.planning import PlanningService
from footcoach.services.ports import Clock, HotPath, UnitOfWork

PROFILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
QUESTIONNAIRE_EVERY_DAYS = 25
"""Questionnaires come round again after this many days: every 3-4 weeks."""
BUILD_LOCKS = 32
"""Snapshots are built under one of these locks, chosen by the profile's name."""
CACHED_PROFILES = 512
"""Snapshots and day views kept per process: a clinic's active people, a few hundred KB each."""


class NoProfileError(FootcoachError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"there is no profile {name!r} yet; create it with: footcoach init --profile {name}"
        )


class ReferredError(FootcoachError):
    def __init__(self) -> None:
        super().__init__(
            "your latest answers need a clinician's view first, so footcoach offers no sessions; "
            "see today's page for the reasons"
        )


class NoCheckInError(UnknownIdError):
    """A correction for a day that has no check-in."""

    def __init__(self, day: date) -> None:
        super().__init__("check-in", day.isoformat())
        self.day = day
        self.args = (f"there is no check-in on {day_text(day)} to change; record one first",)


class SessionState(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class TodaySession:
    session: Session
    state: SessionState
    rated: bool = False
    """True once the person said how the done session felt (it may be said later)."""


@dataclass(frozen=True, slots=True)
class TodayView:
    profile: str
    day: date
    week: int | None
    phase: str | None
    sessions: tuple[TodaySession, ...]
    checkin: CheckIn | None
    adjustment: Adjustment | None
    clinician_prompt: ClinicianPrompt | None
    questionnaires_due: tuple[Instrument, ...]
    referral: Referral | None = None
    """Set when the stored answers need a clinician first: no sessions are offered then."""
    starts_on: date | None = None
    """Set when the program has not started yet."""
    ended_on: date | None = None
    """Set when the program's last day has passed."""

    @property
    def checkin_due(self) -> bool:
        return self.checkin is None


@dataclass(frozen=True, slots=True)
class OpenSession:
    """A session log being filled in: its id, what is planned, and the positions already saved."""

    id: int
    planned: Session
    done: tuple[int, ...]

    def remaining(self) -> list[tuple[int, Item]]:
        return [(i, item) for i, item in enumerate(self.planned.items) if i not in self.done]


class Snapshot:
    """A profile with everything recorded, read at one revision, and its program as it stands
    today. The program is worked out the first time it is asked for; a single day, or the pain
    monitor's outlook, is worked out without it until then (the same as the program's)."""

    __slots__ = (
        "_days",
        "_history_read",
        "_lock",
        "_outlook",
        "_planning",
        "_program",
        "changes",
        "diary",
        "profile",
        "revision",
    )

    def __init__(
        self,
        profile: Profile,
        diary: Diary,
        program: Program | None = None,
        revision: tuple[int, int] = (0, 0),
        *,
        changes: Sequence[ProgramChange] = (),
        planning: PlanningService | None = None,
    ) -> None:
        """Give the program, or the planning service to work it out from the profile, the
        diary and the clinician's changes."""
        if program is None and planning is None:
            raise ValueError("a snapshot needs its program or the planning service")
        self.profile = profile
        self.diary = diary
        self.revision = revision
        """(profile id, revision) the snapshot was read at."""
        self.changes = tuple(changes)
        self._planning = planning
        self._program = program
        self._outlook: Outlook | None = None
        self._history_read: History | None = None
        self._days: dict[date, PlannedDay | None] = {}
        self._lock = threading.Lock()

    @property
    def program(self) -> Program:
        program = self._program
        if program is None:
            with self._lock:  # the threads that ask together wait for one build
                if self._program is None:
                    assert self._planning is not None
                    self._program = program_of(
                        self._planning, self.profile, self.diary, self.changes
                    )
                program = self._program
        return program

    def outlook(self) -> Outlook:
        """The program's referral, adjustment and clinician prompt."""
        program = self._program
        if program is not None:
            return Outlook(program.referral, program.adjustment, program.clinician_prompt)
        found = self._outlook
        if found is None:
            assert self._planning is not None
            found = self._planning.outlook(self.profile.intake, self.profile.start, self._history())
            self._outlook = found
        return found

    def _history(self) -> History:
        found = self._history_read
        if found is None:
            found = self._history_read = self.diary.history()
        return found

    def planned_day(self, day: date) -> PlannedDay | None:
        """The program's day `day` with its week's number and phase; None when the program
        has no such day."""
        program = self._program
        if program is not None:
            return day_of(program, self.profile.start, day)
        if day in self._days:
            return self._days[day]
        assert self._planning is not None
        profile = self.profile
        planned = self._planning.plan_day(
            profile.intake,
            profile.start,
            self._history(),
            profile.protocol,
            profile.weeks,
            day,
            said=self.outlook(),
        )
        if planned is not None and self.changes:
            planned = apply_changes_to_day(planned, self.changes, self._planning.library.catalog)
        self._days[day] = planned
        return planned


def day_of(program: Program, start: date, day: date) -> PlannedDay | None:
    """A program's day `day` with its week's number and phase, or None when it has none."""
    offset = (day - start).days
    week_index, day_index = divmod(offset, 7)
    if offset < 0 or week_index >= len(program.weeks):
        return None
    week = program.weeks[week_index]
    return PlannedDay(week.number, week.phase, week.days[day_index])


def check_pain(field: str, value: int) -> None:
    low, high = PAIN_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInputError([Problem(field, value, f"a whole number from {low} to {high}")])


def check_profile_name(name: str) -> None:
    if not PROFILE_NAME.match(name):
        raise InvalidInputError(
            [
                Problem(
                    "profile",
                    name,
                    "1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit",
                )
            ]
        )


def profile_of(uow: UnitOfWork, name: str) -> Profile:
    profile = uow.profiles.get(name)
    if profile is None:
        raise NoProfileError(name)
    return profile


def profile_id_of(uow: UnitOfWork, name: str) -> int:
    profile_id = uow.profiles.id_of(name)
    if profile_id is None:
        raise NoProfileError(name)
    return profile_id


def read_program(
    planning: PlanningService, uow: UnitOfWork, name: str, profile_id: int
) -> tuple[Profile, Diary, Program]:
    """Inside a unit of work: the profile, its diary (without items) and its program as the
    person sees it, planned from the history with a clinician's changes applied, oldest first,
    each from its day on."""
    profile = profile_of(uow, name)
    diary = uow.diary.diary(profile_id, with_items=False)
    changes = uow.changes.trail(profile_id)
    return profile, diary, program_of(planning, profile, diary, changes)


def program_of(
    planning: PlanningService, profile: Profile, diary: Diary, changes: Sequence[ProgramChange]
) -> Program:
    """The program as the person sees it: planned from the history, with a clinician's changes
    applied, oldest first, each from its day on."""
    planned = planning.plan(
        profile.intake, profile.start, diary.history(), profile.protocol, profile.weeks
    )
    return apply_changes(planned, changes, planning.library.catalog)


class TrackingService:
    def __init__(
        self,
        planning: PlanningService,
        unit_of_work: Callable[[], UnitOfWork],
        clock: Clock,
        hot: HotPath | None = None,
    ) -> None:
        """`hot` does the busiest reads and writes more cheaply (the database adapter's bare
        reads and group commit); without it units of work do them."""
        self.planning = planning
        self.unit_of_work = unit_of_work
        self.clock = clock
        self._hot = hot
        self._snapshots: RevisionCache[str, Snapshot] = RevisionCache(CACHED_PROFILES)
        self._days: RevisionCache[tuple[str, date], TodayView] = RevisionCache(CACHED_PROFILES)
        self._building = tuple(threading.Lock() for _ in range(BUILD_LOCKS))

    # profiles ---------------------------------------------------------------------------
    def init(
        self,
        name: str,
        intake: Intake,
        protocol_id: str | None = None,
        start: date | None = None,
        weeks: int | None = None,
        replace_existing: bool = False,
    ) -> Program:
        """Screen and plan; store the profile only when a program results (never on referral)."""
        check_profile_name(name)
        first_day = start or self.clock.today()
        program = self.planning.plan(intake, first_day, None, protocol_id, weeks)
        if program.status is Status.REFER:
            # a newcomer who is referred gets no profile; a person who has a program and now
            # answers with a red flag keeps their diary, but the new answers are stored so that
            # every page shows the referral instead of exercises until the answers change
            with self.unit_of_work() as uow:
                existing = uow.profiles.get(name)
                if existing is not None:
                    uow.profiles.save(replace(existing, intake=intake), self.clock.now())
                    uow.commit()
            return program
        protocol = self.planning.protocol(program.protocol)
        profile = Profile(
            name=name,
            intake=intake,
            protocol=protocol.id,
            start=first_day,
            weeks=weeks or protocol.default_weeks,
        )
        with self.unit_of_work() as uow:
            existing = uow.profiles.get(name)
            if existing is not None and not replace_existing:
                raise InvalidInputError(
                    [
                        Problem(
                            "profile",
                            name,
                            "a new name (this one exists; use --replace to redo it)",
                        )
                    ]
                )
            if existing is not None:
                profile = replace(profile, preferences=existing.preferences)
            uow.profiles.save(profile, self.clock.now())
            uow.commit()
        return program

    def profile(self, name: str) -> Profile:
        with self.unit_of_work() as uow:
            return profile_of(uow, name)

    def kept_profile(self, name: str) -> Profile | None:
        """The profile of the snapshot kept at the current revision, or None when none is kept
        (nothing is read but the revision; NoProfileError when there is no such profile)."""
        cached = self._snapshots.get(name, self.revision(name))
        return None if cached is None else cached.profile

    def profiles(self) -> list[str]:
        with self.unit_of_work() as uow:
            return uow.profiles.names()

    def set_preferences(self, name: str, preferences: Preferences) -> Profile:
        with self.unit_of_work() as uow:
            profile = profile_of(uow, name)
            updated = replace(profile, preferences=preferences)
            uow.profiles.save(updated, self.clock.now())
            uow.commit()
        return updated

    def revision(self, name: str) -> tuple[int, int]:
        """(profile id, revision): rises with every write that any view of the profile reads."""
        if self._hot is not None:
            found = self._hot.revision(name)
            if found is None:
                raise NoProfileError(name)
            return found
        with self.unit_of_work() as uow:
            return self._revision(uow, name)

    @staticmethod
    def _revision(uow: UnitOfWork, name: str) -> tuple[int, int]:
        found = uow.profiles.revision(name)
        if found is None:
            raise NoProfileError(name)
        return found

    async def revision_async(self, name: str) -> tuple[int, int]:
        """revision(), awaited without blocking the event loop."""
        if self._hot is None:
            return await asyncio.to_thread(self.revision, name)
        found = await self._hot.revision_async(name)
        if found is None:
            raise NoProfileError(name)
        return found

    def snapshot(self, name: str) -> Snapshot:
        """The profile, its diary and its program; rebuilt only when the revision has moved."""
        revision = self.revision(name)  # read first: what is read after is as new or newer
        cached = self._snapshots.get(name, revision)
        if cached is not None:
            return cached
        with self._building[hash(name) % len(self._building)]:
            # the requests that missed together wait for one build instead of each doing it
            cached = self._snapshots.get(name, revision)
            if cached is not None:
                return cached
            return self._build(name, revision)

    def _build(self, name: str, revision: tuple[int, int]) -> Snapshot:
        """The state at `revision`; its program is planned when something first asks for it."""
        state = None if self._hot is None else self._hot.profile_state(name)
        if state is not None:
            profile, diary, changes = state
        else:
            with self.unit_of_work() as uow:
                profile = profile_of(uow, name)
                diary = uow.diary.diary(revision[0], with_items=False)
                changes = uow.changes.trail(revision[0])
        snap = Snapshot(profile, diary, None, revision, changes=changes, planning=self.planning)
        self._snapshots.put(name, revision, snap)
        return snap

    # today ------------------------------------------------------------------------------
    def today(self, name: str, day: date | None = None) -> TodayView:
        day = day or self.clock.today()
        snap = self.snapshot(name)
        cached = self._days.get((name, day), snap.revision)
        if cached is None:
            cached = self._today(snap, day)
            self._days.put((name, day), snap.revision, cached)
        return cached

    async def today_async(self, name: str, day: date, revision: tuple[int, int]) -> TodayView:
        """today(name, day) for an event loop, given the revision just read: the view kept at
        that revision when there is one, else worked out in a thread."""
        snap = self._snapshots.get(name, revision)
        if snap is not None:
            kept = self._days.get((name, day), revision)
            if kept is not None:
                return kept
        return await asyncio.to_thread(self.today, name, day)

    def _today(self, snap: Snapshot, day: date) -> TodayView:
        name = snap.profile.name
        profile, diary, said = snap.profile, snap.diary, snap.outlook()
        checkin = next((c for c in diary.checkins if c.day == day), None)
        base = TodayView(
            profile=name,
            day=day,
            week=None,
            phase=None,
            sessions=(),
            checkin=checkin,
            adjustment=said.adjustment,
            clinician_prompt=said.clinician_prompt,
            questionnaires_due=self._questionnaires_due(diary, day),
        )
        if said.referral is not None:
            return replace(base, referral=said.referral)
        if day < profile.start:
            return replace(base, starts_on=profile.start)
        found = snap.planned_day(day)
        if found is None:
            weeks = self.planning.weeks_of(profile.protocol, profile.weeks)
            return replace(base, ended_on=profile.start + timedelta(days=7 * weeks - 1))
        planned = found.day.sessions
        records = [s for s in diary.sessions if s.day == day]

        def state(slot: str) -> SessionState:
            mine = [r for r in records if r.slot == slot]
            if any(r.done for r in mine):
                return SessionState.DONE
            return SessionState.IN_PROGRESS if mine else SessionState.PENDING

        def rated(slot: str) -> bool:
            return any(r.done and r.rated for r in records if r.slot == slot)

        return replace(
            base,
            week=found.week,
            phase=found.phase,
            sessions=tuple(
                TodaySession(s, state(s.slot.value), rated(s.slot.value)) for s in planned
            ),
        )

    @staticmethod
    def _questionnaires_due(diary: Diary, day: date) -> tuple[Instrument, ...]:
        due = []
        for instrument in Instrument:
            taken = [q.taken_on for q in diary.questionnaires if q.instrument is instrument]
            if not taken or (day - max(taken)).days >= QUESTIONNAIRE_EVERY_DAYS:
                due.append(instrument)
        return tuple(due)

    # recording --------------------------------------------------------------------------
    def checkin(self, name: str, pain: int, day: date | None = None) -> Outlook:
        """Record the morning's first-step pain; returns what the pain monitor now says (the
        program's adjustment and clinician prompt)."""
        check_pain("first_step_pain", pain)
        day = day or self.clock.today()
        with self.unit_of_work() as uow:
            profile_id = profile_id_of(uow, name)
            earlier = uow.diary.checkin_on(profile_id, day)
            if earlier is not None:
                raise InvalidInputError(
                    [
                        Problem(
                            "first_step_pain",
                            pain,
                            f"one check-in a day; {day_text(day)} has "
                            f"{earlier.first_step_pain}/10 already, which can be changed instead",
                        )
                    ]
                )
            uow.diary.add_checkin(profile_id, CheckIn(day, pain), self.clock.now())
            uow.commit()
        return self.snapshot(name).outlook()

    def correct_checkin(
        self, name: str, pain: int, day: date | None = None, who: str | None = None
    ) -> Outlook:
        """Change a day's check-in (today when no day is given): the change is kept in the
        audit trail with who made it, the profile's revision rises and the pain monitor reads
        the new value. A day without a check-in is an UnknownIdError (nothing written)."""
        check_pain("first_step_pain", pain)
        day = day or self.clock.today()
        if self._hot is not None:  # committed with the other writes waiting (group commit)
            profile_id = self.revision(name)[0]
            was = self._hot.correct_checkin(profile_id, day, pain, who or name, self.clock.now())
            if was is None:
                raise NoCheckInError(day)
            return self.snapshot(name).outlook()
        with self.unit_of_work() as uow:
            profile_id = profile_id_of(uow, name)
            was = uow.diary.correct_checkin(profile_id, day, pain, who or name, self.clock.now())
            if was is None:
                raise NoCheckInError(day)
            uow.commit()
        return self.snapshot(name).outlook()

    async def correct_checkin_async(
        self, name: str, pain: int, day: date | None = None, who: str | None = None
    ) -> Outlook:
        """correct_checkin() for an event loop: the commit is awaited on the loop (nobody is
        answered before it is on disk), and the answer is worked out in a thread."""
        if self._hot is None:
            return await asyncio.to_thread(self.correct_checkin, name, pain, day, who)
        check_pain("first_step_pain", pain)
        day = day or self.clock.today()
        profile_id = (await self.revision_async(name))[0]
        was = await self._hot.correct_checkin_async(
            profile_id, day, pain, who or name, self.clock.now()
        )
        if was is None:
            raise NoCheckInError(day)
        return await asyncio.to_thread(self._outlook, name)

    def _outlook(self, name: str) -> Outlook:
        return self.snapshot(name).outlook()

    def corrections(self, name: str) -> list[CheckInCorrection]:
        """Every check-in correction of a profile, oldest first (the audit trail)."""
        with self.unit_of_work() as uow:
            return uow.diary.corrections(profile_id_of(uow, name))

    def rate_session(
        self, name: str, slot: str, pain_during: int, effort: int, day: date | None = None
    ) -> bool:
        """Say how a done session felt, later: the day's done but unrated session of the slot
        is finished with the rating. False (nothing written) when there is none to rate."""
        check_pain("pain_during", pain_during)
        check_pain("effort", effort)
        day = day or self.clock.today()
        with self.unit_of_work() as uow:
            profile_id = profile_id_of(uow, name)
            found = uow.diary.open_session(profile_id, day, slot)
            if found is None:
                return False
            record = uow.diary.session_record(found[0])
            if record is None or not record.done:
                return False
            uow.diary.finish_session(found[0], True, pain_during, effort, self.clock.now())
            uow.commit()
        return True

    def start_session(self, name: str, slot: str, day: date | None = None) -> OpenSession:
        """Open a session log for one of today's slots, or carry on the unfinished one.

        Items are saved as they finish, so a session cut short (a crash, a dropped connection)
        resumes at the first item not yet saved.
        """
        view = self.today(name, day)
        if view.referral is not None:
            raise ReferredError()
        planned = {s.session.slot.value: s.session for s in view.sessions}
        if slot not in planned:
            allowed = ", ".join(planned) or "none today"
            raise InvalidInputError([Problem("slot", slot, f"one of today's slots: {allowed}")])
        with self.unit_of_work() as uow:
            profile_id = profile_id_of(uow, name)
            existing = uow.diary.open_session(profile_id, view.day, slot)
            if existing is not None:
                return OpenSession(existing[0], planned[slot], tuple(existing[1]))
            session_id = uow.diary.start_session(
                profile_id, view.day, slot, self.clock.now(), len(planned[slot].items)
            )
            uow.commit()
        return OpenSession(session_id, planned[slot], ())

    def session_slot(self, name: str, session_id: int) -> tuple[date, str] | None:
        """(day, slot) of one of this person's sessions; None when there is no session by that
        id or it is someone else's (the two are not told apart)."""
        profile_id = self.revision(name)[0]
        if self._hot is not None:
            return self._hot.session_slot(profile_id, session_id)
        with self.unit_of_work() as uow:
            record = uow.diary.owned_session(profile_id, session_id)
        return None if record is None else (record.day, record.slot)

    async def session_slot_async(
        self, name: str, session_id: int
    ) -> tuple[tuple[int, int], tuple[date, str] | None]:
        """The profile's revision, and session_slot(), read together without blocking the event
        loop."""
        if self._hot is None:
            revision = await asyncio.to_thread(self.revision, name)
            return revision, await asyncio.to_thread(self.session_slot, name, session_id)
        found = await self._hot.session_slot_async(name, session_id)
        if found is None:
            raise NoProfileError(name)
        return found

    def session_of(self, name: str, session_id: int) -> SessionRecord | None:
        """One of this person's sessions with its items so far; None when there is no session
        by that id or it is someone else's (the two are not told apart)."""
        profile_id = self.revision(name)[0]
        with self.unit_of_work() as uow:
            return uow.diary.owned_session(profile_id, session_id)

    def record_item(self, session_id: int, item: ItemRecord) -> ItemRecord:
        """Save one finished (or skipped) item at once: committed before this returns (with
        other items saved at the same moment, where the database adapter groups commits).

        Idempotent by position: when that position is saved already (a retried request),
        nothing is written and the record stored first is returned.
        """
        if self._hot is not None:
            if self._hot.save_item(session_id, item):
                return item
        else:
            with self.unit_of_work() as uow:
                if uow.diary.add_item(session_id, item):
                    uow.commit()
                    return item
        with self.unit_of_work() as uow:
            stored = uow.diary.session_record(session_id)
        earlier = [i for i in stored.items if i.position == item.position] if stored else []
        return earlier[0] if earlier else item

    async def record_new_item(self, session_id: int, item: ItemRecord) -> bool:
        """Save an item, awaited without blocking the event loop: True once it is committed as
        new, False when its position was saved before (nothing written; record_item() answers
        the record stored first)."""
        if self._hot is None:
            stored = await asyncio.to_thread(self.record_item, session_id, item)
            return stored is item
        return await self._hot.save_item_async(session_id, item)

    def finish_session(
        self, session_id: int, completed: bool, pain_during: int | None, effort: int | None
    ) -> None:
        if pain_during is not None:
            check_pain("pain_during", pain_during)
        if effort is not None:
            check_pain("effort", effort)
        with self.unit_of_work() as uow:
            uow.diary.finish_session(session_id, completed, pain_during, effort, self.clock.now())
            uow.commit()

    def record_questionnaire(self, name: str, response: QuestionnaireResponse) -> Scores:
        """Validate and store the raw answers; returns their scores."""
        scores = score_response(response)  # raises InvalidInputError before anything is written
        with self.unit_of_work() as uow:
            uow.diary.add_questionnaire(profile_id_of(uow, name), response, self.clock.now())
            uow.commit()
        return scores

    # backup -----------------------------------------------------------------------------
    def export(self, name: str) -> tuple[Profile, Diary]:
        with self.unit_of_work() as uow:
            profile = profile_of(uow, name)
            return profile, uow.diary.diary(profile_id_of(uow, name))

    def backup(self, name: str) -> Backup:
        """Everything of a profile, read in one transaction: what `footcoach export` writes."""
        with self.unit_of_work() as uow:
            profile = profile_of(uow, name)
            profile_id = profile_id_of(uow, name)
            diary = uow.diary.diary(profile_id)
            return Backup(profile, diary, tuple(uow.changes.trail(profile_id)))

    def restore(
        self,
        profile: Profile,
        diary: Diary,
        changes: Sequence[ProgramChange] = (),
        checkpoint: Callable[[], None] = lambda: None,
    ) -> None:
        """Write a whole backup into a profile that has no data yet, in one transaction of a
        few multi-row inserts; the changes become the program's audit trail again, numbered 1,
        2, 3... as they were. Each table takes at most restoring.ROW_CAPS rows. `checkpoint`
        runs between the inserts and may raise (restoring.RestoreCancelled) to stop: then
        nothing is written."""
        from footcoach.services.restoring import check_backup

        check_profile_name(profile.name)
        check_backup(Backup(profile, diary, tuple(changes)))
        self.planning.protocol(profile.protocol)  # an unknown protocol is refused up front
        with self.unit_of_work() as uow:
            profile_id = uow.profiles.id_of(profile.name)
            if profile_id is not None and (
                not uow.diary.is_empty(profile_id) or uow.changes.version(profile_id) > 0
            ):
                raise InvalidInputError(
                    [
                        Problem(
                            "profile", profile.name, "an empty profile: this one has data already"
                        )
                    ]
                )
            now = self.clock.now()
            uow.profiles.save(profile, now)
            profile_id = profile_id_of(uow, profile.name)
            uow.diary.restore(profile_id, diary, now, checkpoint)
            uow.changes.restore(profile_id, changes)
            checkpoint()
            uow.commit()
