"""JSON API, guided sessions: start or carry on a slot, save items as they finish, finish it.

The browser's guided session (web/static/session.js) runs on these: POST /sessions answers the
script of timed steps for the items not saved yet, each finished item is posted at once (a
retried post is answered with the record saved first), and /finish records how it felt.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import Field

from footcoach.domain.diary import ItemRecord, SessionRecord
from footcoach.domain.errors import Problem
from footcoach.domain.guide import Kind, Phase, Step, dose_words
from footcoach.domain.intake import PAIN_RANGE
from footcoach.domain.protocol import Slot
from footcoach.schemas.program import AdjustmentDoc, ClinicianPromptDoc, ItemDoc
from footcoach.services import sessions as use
from footcoach.services.documents import item_document
from footcoach.web.deps import ProfileDep, ServicesDep
from footcoach.web.ids import SessionId
from footcoach.web.routes.api import (
    PREFIX,
    Faults,
    JsonBody,
    Strict,
    conflict,
    json_object,
    parse_day,
    problem_responses,
    request_body,
    send,
    unknown_fields,
    whole_number,
)

router = APIRouter(prefix=PREFIX, tags=["sessions"])

MAX_COUNT = 100_000
"""A generous ceiling on counts and seconds before they are checked against the item."""
MAX_KEY = 200
_PAIN = "0 = none, 10 = worst imaginable; null when not answered"
_EFFORT = "how hard it felt: 0 = easy, 10 = as hard as possible; null when not answered"


# Documents ---------------------------------------------------------------------------------


class StartRequest(Strict):
    """Which of the day's sessions to start (or carry on)."""

    slot: Slot
    date: dt.date | None = Field(None, description="the day, up to today (default: today)")


class StepDoc(Strict):
    """One timed step, as footcoach.domain.guide.script makes it."""

    item: int = Field(ge=0, description="the item's position in the planned session")
    exercise: str
    name: str
    cue: str
    kind: Kind
    duration_s: int = Field(ge=0)
    set_no: int
    sets: int
    rep_no: int = Field(description="0 on steps outside a repetition")
    reps: int = Field(description="0 on steps outside a repetition")
    side: Literal["left", "right"] | None
    text: str = Field(description="what to show")
    say: str = Field(description="what to speak ('' for nothing)")
    bell: bool = Field(description="a change of phase: ring")
    phase: Phase | None
    completes_rep: bool
    completes_set: bool


class SessionItemDoc(ItemDoc):
    """A planned item, with its place, its exercise's name and its dose in words."""

    position: int = Field(ge=0)
    name: str
    dose: str


class StartedDoc(Strict):
    """The session opened, with the script of what is left to do."""

    id: int
    slot: Slot
    date: dt.date
    resumed: bool = Field(description="true when an unfinished session was carried on")
    done: list[int] = Field(description="positions of the items saved already")
    items: list[SessionItemDoc] = Field(description="every planned item, done or not")
    script: list[StepDoc] = Field(description="the timed steps of the items not saved yet")
    speed: float = Field(ge=1, description="run timers this many times faster (FOOTCOACH_SPEED)")


class ItemRequest(Strict):
    """What was done of one item, as the guided player counts it."""

    position: int = Field(ge=0, description="the item's place in the planned session")
    exercise: str = Field(
        min_length=1, description="the exercise planned at that position (its catalog id)"
    )
    sets_done: int = Field(ge=0, description="sets finished on every side")
    reps_done: int = Field(ge=0, description="repetitions, holds or timed bouts finished")
    seconds_done: int = Field(ge=0, description="seconds of work")
    skipped: bool
    key: str | None = Field(None, max_length=MAX_KEY, description="an idempotency key, echoed back")


class ItemSavedDoc(Strict):
    """An item as stored (the first one saved at that position)."""

    session: int
    position: int
    exercise: str
    sets_done: int
    reps_done: int
    seconds_done: int
    skipped: bool
    finished_at: dt.datetime
    key: str | None = Field(description="the key sent with this request")


class FinishRequest(Strict):
    """How the session went."""

    completed: bool = Field(description="true when it ran to its end, false when stopped")
    pain_during: int | None = Field(None, ge=0, le=10, description=_PAIN)
    effort: int | None = Field(None, ge=0, le=10, description=_EFFORT)


class FinishedDoc(Strict):
    """The session as finished, and what the pain monitor now makes of the program."""

    id: int
    completed: bool
    pain_during: int | None
    effort: int | None
    adjustment: AdjustmentDoc | None
    clinician_prompt: ClinicianPromptDoc | None


class SavedItemDoc(Strict):
    position: int
    exercise: str
    sets_done: int
    reps_done: int
    seconds_done: int
    skipped: bool
    finished_at: dt.datetime


class SessionStateDoc(Strict):
    """A stored session as it stands."""

    id: int
    slot: Slot
    date: dt.date
    started_at: dt.datetime
    finished: bool
    finished_at: dt.datetime | None
    completed: bool
    pain_during: int | None
    effort: int | None
    done: list[int] = Field(description="positions of the items saved")
    planned: int | None = Field(description="how many items the session has; null if unknown")
    items: list[SavedItemDoc]


def _step(step: Step) -> dict[str, Any]:
    return {
        "item": step.item,
        "exercise": step.exercise,
        "name": step.name,
        "cue": step.cue,
        "kind": step.kind.value,
        "duration_s": step.duration_s,
        "set_no": step.set_no,
        "sets": step.sets,
        "rep_no": step.rep_no,
        "reps": step.reps,
        "side": step.side,
        "text": step.text,
        "say": step.say,
        "bell": step.bell,
        "phase": None if step.phase is None else step.phase.value,
        "completes_rep": step.completes_rep,
        "completes_set": step.completes_set,
    }


def _item(record: ItemRecord) -> dict[str, Any]:
    return {
        "position": record.position,
        "exercise": record.exercise,
        "sets_done": record.sets_done,
        "reps_done": record.reps_done,
        "seconds_done": record.seconds_done,
        "skipped": record.skipped,
        "finished_at": record.finished_at.isoformat(),
    }


def _state(state: use.StoredSession) -> dict[str, Any]:
    record: SessionRecord = state.record
    return {
        "id": state.id,
        "slot": record.slot,
        "date": record.day.isoformat(),
        "started_at": record.started_at.isoformat(),
        "finished": state.finished,
        "finished_at": None if record.finished_at is None else record.finished_at.isoformat(),
        "completed": record.completed,
        "pain_during": record.pain_during,
        "effort": record.effort,
        "done": list(state.done),
        "planned": None if state.planned is None else len(state.planned.items),
        "items": [_item(i) for i in record.items],
    }


def _whole(faults: Faults, field: str, value: object, low: int, high: int) -> int | None:
    return faults.check(lambda: whole_number(field, value, low, high))


COUNTS = ("position", "sets_done", "reps_done", "seconds_done")


def read_item(
    data: dict[str, Any], faults: Faults, now: dt.datetime
) -> tuple[ItemRecord | None, str | None]:
    """The item record of a body (None when a field it needs is bad) and its key; every fault
    of the body is noted in faults."""
    unknown_fields(faults, data, ItemRequest.model_fields)
    numbers: dict[str, int | None] = {}
    for field in COUNTS:
        if field in data:
            numbers[field] = _whole(faults, field, data[field], 0, MAX_COUNT)
        else:
            faults.add(field, None, "a value: this field is required")
    exercise = data.get("exercise")
    if not isinstance(exercise, str) or not exercise:
        faults.add("exercise", exercise, "the id of the exercise planned at that position")
    skipped = data.get("skipped")
    if not isinstance(skipped, bool):
        faults.add("skipped", skipped, "true or false")
    key = data.get("key")
    if key is not None and (not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY):
        faults.add("key", key, f"a string of 1 to {MAX_KEY} characters, or null")
        key = None
    counts = [numbers.get(f) for f in COUNTS]
    if not isinstance(exercise, str) or not exercise or any(c is None for c in counts):
        return None, key
    position, sets_done, reps_done, seconds_done = [c for c in counts if c is not None]
    record = ItemRecord(
        position, exercise, sets_done, reps_done, seconds_done, skipped is True, now
    )
    return record, key


# Routes ------------------------------------------------------------------------------------


@router.post(
    "/sessions",
    response_model=StartedDoc,
    status_code=201,
    responses={
        200: {"description": "An unfinished session was carried on", "model": StartedDoc},
        **problem_responses(404, 422),
    },
    openapi_extra=request_body(StartRequest, "The slot, and optionally the day."),
    summary="Start one of the day's sessions, or carry on its unfinished one",
)
def start(body: JsonBody, services: ServicesDep, profile: ProfileDep) -> Response:
    """The script holds only the items not saved yet, so a reload carries on where it stopped.
    201 for a new session, 200 when an unfinished one is carried on."""
    data = json_object(body)
    faults = Faults()
    unknown_fields(faults, data, StartRequest.model_fields)
    slot = data.get("slot")
    if not isinstance(slot, str):
        faults.add("slot", slot, f"one of {', '.join(s.value for s in Slot)}")
    day = (
        faults.check(lambda: parse_day("date", data["date"]))
        if data.get("date") is not None
        else None
    )
    faults.raise_any()
    assert isinstance(slot, str)
    catalog = services.library.catalog
    started = use.start(services.tracking, catalog, profile, slot, day)
    document = {
        "id": started.id,
        "slot": started.slot,
        "date": started.day.isoformat(),
        "resumed": started.resumed,
        "done": list(started.done),
        "items": [
            {
                "position": position,
                "name": catalog.get(item.exercise).name,
                "dose": dose_words(item),
                **item_document(item),
            }
            for position, item in enumerate(started.planned.items)
        ],
        "script": [_step(s) for s in started.steps],
        "speed": services.settings.speed,
    }
    return send(
        document,
        200 if started.resumed else 201,
        location=f"{PREFIX}/sessions/{started.id}",
    )


@router.get(
    "/sessions/{session_id}",
    response_model=SessionStateDoc,
    responses=problem_responses(404, 422),
    summary="A session as it stands: the items saved, finished or not",
)
def state(session_id: SessionId, services: ServicesDep, profile: ProfileDep) -> Response:
    return send(_state(use.load(services.tracking, profile, session_id)))


@router.post(
    "/sessions/{session_id}/items",
    response_model=ItemSavedDoc,
    status_code=201,
    responses={
        200: {
            "description": "That position was saved before: nothing was written, and the "
            "record saved first is answered",
            "model": ItemSavedDoc,
        },
        **problem_responses(404, 422),
    },
    openapi_extra=request_body(ItemRequest, "What was done of one item."),
    summary="Save one finished or skipped item (idempotent by position)",
)
async def save_item(
    session_id: SessionId, body: JsonBody, services: ServicesDep, profile: ProfileDep
) -> Response:
    """Post each item as it finishes; post it again after a dropped connection: the same
    position is never saved twice."""
    # on the event loop, awaiting the commit: a guided session's busiest write takes no thread
    faults = Faults()
    record, key = read_item(json_object(body), faults, services.clock.now())
    catalog = services.library.catalog
    tracking = services.tracking
    if faults.problems:
        if record is not None:  # report the faults against the plan too, all at once
            stored_session = await run_in_threadpool(use.load, tracking, profile, session_id)
            planned, checked = stored_session.planned, record
            faults.check(lambda: use.check_item(catalog, planned, checked))
        faults.raise_any()
    assert record is not None
    if await use.record_new_item(tracking, catalog, profile, session_id, record):
        return item_saved(session_id, record, key, created=True)
    # that position was saved before: answer the record stored first (nothing is written)
    stored, created = await run_in_threadpool(
        use.record_item, tracking, catalog, profile, session_id, record
    )
    return item_saved(session_id, stored, key, created)


def item_saved(session_id: int, stored: ItemRecord, key: str | None, created: bool) -> Response:
    """The answer to a saved item: 201 when new, 200 with the record stored first."""
    document = {"session": session_id, **_item(stored), "key": key}
    return send(document, 201 if created else 200, location=f"{PREFIX}/sessions/{session_id}")


@router.post(
    "/sessions/{session_id}/finish",
    response_model=FinishedDoc,
    responses=problem_responses(404, 409, 422),
    openapi_extra=request_body(FinishRequest, "How the session went."),
    summary="Finish a session with how it felt; answers the pain monitor's adjustment",
)
def finish(
    session_id: SessionId, body: JsonBody, services: ServicesDep, profile: ProfileDep
) -> Response:
    """Sending the same answers again changes nothing (200); other answers for a finished
    session are a 409."""
    data = json_object(body)
    faults = Faults()
    unknown_fields(faults, data, FinishRequest.model_fields)
    completed = data.get("completed")
    if not isinstance(completed, bool):
        faults.add("completed", completed, "true or false")
    scores: dict[str, int | None] = {}
    for field in ("pain_during", "effort"):
        value = data.get(field)
        scores[field] = None if value is None else _whole(faults, field, value, *PAIN_RANGE)
    faults.raise_any()
    assert isinstance(completed, bool)
    try:
        done = use.finish(
            services.tracking,
            profile,
            session_id,
            completed,
            scores["pain_during"],
            scores["effort"],
        )
    except use.AlreadyFinishedError as exc:
        earlier = exc.record
        return conflict(
            "This session is finished already, with other answers; nothing was changed.",
            [
                Problem(
                    "(body)",
                    {"completed": completed, **scores},
                    "the answers it was finished with: "
                    f"completed {str(earlier.completed).lower()}, "
                    f"pain_during {earlier.pain_during}, effort {earlier.effort}",
                )
            ],
        )
    adjustment, prompt = done.adjustment, done.clinician_prompt
    document = {
        "id": session_id,
        "completed": done.record.completed,
        "pain_during": done.record.pain_during,
        "effort": done.record.effort,
        "adjustment": None
        if adjustment is None
        else {"action": adjustment.action.value, "reason": adjustment.reason},
        "clinician_prompt": None
        if prompt is None
        else {"reasons": list(prompt.reasons), "advice": prompt.advice},
    }
    return send(document)
