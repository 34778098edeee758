"""Guided sessions outside the terminal: start or carry on a slot with the script of what is left,
save items idempotently, finish with how it felt, or record a whole session as done at once.

They build on TrackingService (sessions, items, the pain monitor) and on domain.guide (the script
of timed steps, the same one `footcoach go` plays).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from footcoach.domain.catalog import Catalog, Exercise
from footcoach.domain.diary import ItemRecord, SessionRecord
from footcoach.domain.errors import FootcoachError, InvalidInputError, Problem, UnknownIdError
from footcoach.domain.guide import Step, script
from footcoach.domain.program import Adjustment, ClinicianPrompt, Item, Session
from footcoach.services.tracking import (
    NoProfileError,
    SessionState,
    TodayView,
    TrackingService,
    check_pain,
)


class AlreadyFinishedError(FootcoachError):
    """The session was finished before, with other answers; nothing was changed."""

    def __init__(self, session_id: int, record: SessionRecord) -> None:
        self.session_id = session_id
        self.record = record
        super().__init__(f"session {session_id} is finished already")


@dataclass(frozen=True, slots=True)
class Limits:
    """The most of one item a person can do: its sets, repetitions and seconds of work."""

    sets: int
    reps: int
    seconds: int


@dataclass(frozen=True, slots=True)
class Started:
    """A session opened (or carried on) with the script of the items not saved yet.

    Each step's `item` is the item's position in the planned session, not in the script.
    """

    id: int
    slot: str
    day: date
    planned: Session
    done: tuple[int, ...]
    steps: tuple[Step, ...]
    resumed: bool
    """True when an unfinished session of this slot and day was carried on."""


@dataclass(frozen=True, slots=True)
class StoredSession:
    """One stored session as it stands, with what was planned for it (None if no longer)."""

    id: int
    record: SessionRecord
    planned: Session | None

    @property
    def done(self) -> tuple[int, ...]:
        return tuple(i.position for i in self.record.items)

    @property
    def finished(self) -> bool:
        return self.record.finished_at is not None


@dataclass(frozen=True, slots=True)
class Finished:
    """A finished session and what the pain monitor now makes of the program."""

    record: SessionRecord
    adjustment: Adjustment | None
    clinician_prompt: ClinicianPrompt | None


def limits(item: Item, exercise: Exercise) -> Limits:
    """Everything of an item done: counted on its script exactly as the guided player counts."""
    steps = script([(item, exercise)])
    return Limits(
        sets=sum(1 for s in steps if s.completes_set),
        reps=sum(1 for s in steps if s.completes_rep),
        seconds=sum(s.duration_s for s in steps if s.is_work),
    )


_LIMITS: dict[tuple[int, Item], Limits] = {}
"""limits() of items already checked, by catalog and item: a session's items are saved one by
one, and each save checks its item against the plan."""


def limits_of(catalog: Catalog, item: Item) -> Limits:
    """limits() of a planned item, worked out once per process."""
    key = (id(catalog), item)
    found = _LIMITS.get(key)
    if found is None:
        if len(_LIMITS) >= 4096:
            _LIMITS.clear()
        found = _LIMITS[key] = limits(item, catalog.get(item.exercise))
    return found


def _planned(tracking: TrackingService, name: str, slot: str, day: date) -> Session | None:
    return _planned_in(tracking.today(name, day), slot)


def _planned_in(view: TodayView, slot: str) -> Session | None:
    return next((s.session for s in view.sessions if s.session.slot.value == slot), None)


def open_positions(
    tracking: TrackingService, name: str, slot: str, day: date | None = None
) -> tuple[int, ...] | None:
    """The positions saved in the unfinished session of a slot (that start() would carry on),
    or None when there is no unfinished one."""
    when = day or tracking.clock.today()
    with tracking.unit_of_work() as uow:
        profile_id = uow.profiles.id_of(name)
        found = None if profile_id is None else uow.diary.open_session(profile_id, when, slot)
    return None if found is None else tuple(found[1])


def start(
    tracking: TrackingService, catalog: Catalog, name: str, slot: str, day: date | None = None
) -> Started:
    """Open a session of one of the day's slots, or carry on its unfinished one.

    Raises InvalidInputError naming `slot` when the day has no such session, and `date` for a
    day still to come (sessions are recorded as they are done).
    """
    today = tracking.clock.today()
    when = day or today
    if when > today:
        raise InvalidInputError([Problem("date", when.isoformat(), "a date up to today")])
    carried_on = open_positions(tracking, name, slot, when) is not None
    opened = tracking.start_session(name, slot, when)
    remaining = opened.remaining()
    pairs = [(item, catalog.get(item.exercise)) for _, item in remaining]
    positions = [position for position, _ in remaining]
    steps = tuple(replace(s, item=positions[s.item]) for s in script(pairs))
    return Started(
        id=opened.id,
        slot=slot,
        day=when,
        planned=opened.planned,
        done=opened.done,
        steps=steps,
        resumed=carried_on,
    )


def load(tracking: TrackingService, name: str, session_id: int) -> StoredSession:
    """A session of this person; UnknownIdError when there is none by that id (or it is someone
    else's: the two are not told apart)."""
    record = tracking.session_of(name, session_id)  # NoProfileError when there is no profile
    if record is None:
        raise UnknownIdError("session", str(session_id))
    return StoredSession(session_id, record, _planned(tracking, name, record.slot, record.day))


def check_item(catalog: Catalog, planned: Session | None, record: ItemRecord) -> None:
    """Checks an item record against the planned session; raises InvalidInputError with every
    fault (a position outside the session, another exercise, more done than prescribed)."""
    if planned is None:  # the plan has changed since: nothing to check against
        return
    items = planned.items
    position = record.position
    if not 0 <= position < len(items):
        allowed = f"a whole number from 0 to {len(items) - 1}, the item's place in the session"
        raise InvalidInputError([Problem("position", position, allowed)])
    item = items[position]
    problems = []
    if record.exercise != item.exercise:
        expected = f"{item.exercise!r}, the exercise at position {position}"
        problems.append(Problem("exercise", record.exercise, expected))
    most = limits_of(catalog, item)
    for field, value, high in (
        ("sets_done", record.sets_done, most.sets),
        ("reps_done", record.reps_done, most.reps),
        ("seconds_done", record.seconds_done, most.seconds),
    ):
        if value > high:
            problems.append(Problem(field, value, f"a whole number from 0 to {high} for this item"))
    if problems:
        raise InvalidInputError(problems)


def record_item(
    tracking: TrackingService,
    catalog: Catalog,
    name: str,
    session_id: int,
    item: ItemRecord,
) -> tuple[ItemRecord, bool]:
    """Save one item of a session of this person: (the record stored, True when it is new).

    Saving a position saved before writes nothing and answers the first record (a retry).
    """
    found = tracking.session_slot(name, session_id)  # NoProfileError when there is no profile
    if found is None:
        raise UnknownIdError("session", str(session_id))
    day, slot = found
    check_item(catalog, _planned(tracking, name, slot, day), item)
    stored = tracking.record_item(session_id, item)  # a position saved before: the first record
    return stored, stored is item


async def record_new_item(
    tracking: TrackingService,
    catalog: Catalog,
    name: str,
    session_id: int,
    item: ItemRecord,
) -> bool:
    """record_item() for an event loop, which it never blocks: True once the item is committed
    as new; False when its position was saved before (nothing written; record_item() answers
    the record stored first). Raises as record_item() does."""
    revision, found = await tracking.session_slot_async(name, session_id)
    if found is None:
        raise UnknownIdError("session", str(session_id))
    day, slot = found
    view = await tracking.today_async(name, day, revision)
    check_item(catalog, _planned_in(view, slot), item)
    return await tracking.record_new_item(session_id, item)


def finish(
    tracking: TrackingService,
    name: str,
    session_id: int,
    completed: bool,
    pain_during: int | None,
    effort: int | None,
) -> Finished:
    """Close a session with how it felt. Finishing again with the same answers changes nothing;
    with other answers it raises AlreadyFinishedError."""
    for field, value in (("pain_during", pain_during), ("effort", effort)):
        if value is not None:
            check_pain(field, value)
    state = load(tracking, name, session_id)
    record = state.record
    if state.finished:
        if (record.completed, record.pain_during, record.effort) != (
            completed,
            pain_during,
            effort,
        ):
            raise AlreadyFinishedError(session_id, record)
    else:
        tracking.finish_session(session_id, completed, pain_during, effort)
        record = load(tracking, name, session_id).record
    program = tracking.snapshot(name).program
    return Finished(record, program.adjustment, program.clinician_prompt)


def record_done(
    tracking: TrackingService, catalog: Catalog, name: str, slot: str, pain_during: int, effort: int
) -> bool:
    """Record today's session of a slot as done in full, with how it felt, in one transaction.

    Items saved already (a guided session cut short) are kept; every other item is recorded
    as done in full. A slot already done today is left alone: False, nothing written.
    """
    check_pain("pain_during", pain_during)
    check_pain("effort", effort)
    view = tracking.today(name)
    found = next((s for s in view.sessions if s.session.slot.value == slot), None)
    if found is None:
        allowed = ", ".join(s.session.slot.value for s in view.sessions) or "none today"
        raise InvalidInputError([Problem("slot", slot, f"one of today's slots: {allowed}")])
    if found.state is SessionState.DONE:
        return tracking.rate_session(name, slot, pain_during, effort, view.day)
    now = tracking.clock.now()
    with tracking.unit_of_work() as uow:
        profile_id = uow.profiles.id_of(name)
        if profile_id is None:
            raise NoProfileError(name)
        existing = uow.diary.open_session(profile_id, view.day, slot)
        done: list[int] = []
        if existing is None:
            session_id = uow.diary.start_session(
                profile_id, view.day, slot, now, len(found.session.items)
            )
        else:
            session_id, done = existing
        for position, item in enumerate(found.session.items):
            if position in done:
                continue
            most = limits_of(catalog, item)
            uow.diary.add_item(
                session_id,
                ItemRecord(position, item.exercise, most.sets, most.reps, most.seconds, False, now),
            )
        uow.diary.finish_session(session_id, True, pain_during, effort, now)
        uow.commit()
    return True
