"""A profile as a FHIR R4 Bundle (type collection), for a clinic's health record.

Built as plain dicts: serving it needs no FHIR library (the tests validate it against the R4B
models of fhir.resources). What goes in, and why, is in docs/fhir.md:

- one Patient: pseudonymous, named by the profile name only, with no identifiers;
- one CarePlan: the program, with one activity per planned exercise (how often a day, on which
  days, the dose in words and as numbers, and the weeks it runs);
- an Observation per morning check-in (LOINC 72514-3, 0-10, valueInteger);
- a QuestionnaireResponse per FFI or FAAM taken (answers by item id, footcoach's own canonical
  Questionnaire URLs), and an Observation per score it has;
- a Procedure per guided session (based on the CarePlan), with an Observation for the pain
  during it and one for its effort when they were given.

Every resource has a stable urn:uuid fullUrl made from the profile name and what it stands for,
so exporting twice gives the same ids, and every reference points at a fullUrl in the bundle.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from footcoach.domain.catalog import Catalog
from footcoach.domain.diary import Instrument, QuestionnaireResponse, SessionRecord
from footcoach.domain.item_words import item_words
from footcoach.domain.program import Item, Program, Week
from footcoach.domain.questionnaires import FAAM, FFI, Questionnaire, Subscale
from footcoach.domain.scoring import score_response
from footcoach.services.tracking import Snapshot

Resource = dict[str, Any]

CANONICAL = "https://footcoach.example/fhir"
"""footcoach's own namespace for the code systems, questionnaires and extensions it defines.
A name, not an address to fetch: docs/fhir.md describes what each one means."""

EXERCISES = f"{CANONICAL}/CodeSystem/exercise"
SCORES = f"{CANONICAL}/CodeSystem/score"
SESSION_SLOTS = f"{CANONICAL}/CodeSystem/session-slot"
MEASURES = f"{CANONICAL}/CodeSystem/measure"
DOSE_EXTENSION = f"{CANONICAL}/StructureDefinition/dose"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

PAIN_CODE = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
EXERCISE_THERAPY = {"system": SNOMED, "code": "229065009", "display": "Exercise therapy"}

QUESTIONNAIRES: dict[Instrument, Questionnaire] = {Instrument.FFI: FFI, Instrument.FAAM: FAAM}

SLOT_TIMING = {"before_first_step": "WAKE", "evening": "EVE"}
"""FHIR's event timing for the slots that have one; "daytime" is any time of the day."""
SLOT_TEXT = {
    "before_first_step": "in bed, before the first step of the day",
    "daytime": "during the day",
    "evening": "in the evening",
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def questionnaire_url(instrument: Instrument) -> str:
    return f"{CANONICAL}/Questionnaire/{instrument.value}"


@dataclass
class _Builder:
    profile: str
    entries: list[Resource] = field(default_factory=list)

    def url(self, *what: object) -> str:
        key = "/".join(str(w) for w in (self.profile, *what))
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{CANONICAL}/{key}')}"

    def add(self, resource: Resource, *what: object) -> str:
        """Add a resource under a stable id made from `what`; its fullUrl, to refer to it."""
        kind = resource["resourceType"]
        full_url = self.url(kind, *what)
        ordered = {"resourceType": kind, "id": full_url.split(":")[-1], **resource}
        self.entries.append({"fullUrl": full_url, "resource": ordered})
        return full_url


def _ref(full_url: str, display: str | None = None) -> dict[str, str]:
    return (
        {"reference": full_url} if display is None else {"reference": full_url, "display": display}
    )


def _current_week(program: Program, start: date, today: date) -> Week | None:
    """The week in force today; the first before the program starts, the last after it ends."""
    if not program.weeks:
        return None
    index = (today - start).days // 7
    return program.weeks[min(max(index, 0), len(program.weeks) - 1)]


def _period_of(program: Program, exercise: str) -> tuple[date, date]:
    days = [
        d.day
        for w in program.weeks
        for d in w.days
        if any(i.exercise == exercise for s in d.sessions for i in s.items)
    ]
    return min(days), max(days)


def _dose_numbers(item: Item) -> list[dict[str, Any]]:
    numbers: list[dict[str, Any]] = [
        {"url": "sets", "valueInteger": item.sets},
        {"url": "reps", "valueInteger": item.reps},
    ]
    for name, seconds in (
        ("hold", item.hold_s),
        ("duration", item.duration_s),
        ("rest", item.rest_s),
    ):
        if seconds:
            numbers.append(
                {
                    "url": name,
                    "valueQuantity": {"value": seconds, "unit": "s", "system": UCUM, "code": "s"},
                }
            )
    numbers.append({"url": "eachSide", "valueBoolean": item.per_side})
    if item.load:
        numbers.append({"url": "load", "valueString": item.load})
    return numbers


def _activities(
    program: Program, week: Week | None, catalog: Catalog, status: str
) -> list[Resource]:
    """One activity per exercise of the week in force, in the order they first appear."""
    if week is None:
        return []
    first: dict[str, Item] = {}
    slots: dict[str, dict[str, None]] = {}
    per_day: Counter[str] = Counter()
    weekdays: dict[str, set[int]] = {}
    for day in week.days:
        today: Counter[str] = Counter()
        for session in day.sessions:
            for item in session.items:
                first.setdefault(item.exercise, item)
                slots.setdefault(item.exercise, {})[session.slot.value] = None
                today[item.exercise] += 1
                weekdays.setdefault(item.exercise, set()).add(day.day.weekday())
        for key, times in today.items():
            per_day[key] = max(per_day[key], times)
    activities = []
    for key, item in first.items():
        name = catalog.get(key).name if key in catalog else key
        start, end = _period_of(program, key)
        when = [SLOT_TIMING[s] for s in slots[key] if s in SLOT_TIMING]
        repeat: dict[str, Any] = {
            "boundsPeriod": {"start": start.isoformat(), "end": end.isoformat()},
            "frequency": per_day[key],
            "period": 1,
            "periodUnit": "d",
        }
        if len(weekdays[key]) < 7:
            repeat["dayOfWeek"] = [WEEKDAYS[d] for d in sorted(weekdays[key])]
        if when:
            repeat["when"] = when
        times = "once a day" if per_day[key] == 1 else f"{per_day[key]} times a day"
        where = ", ".join(SLOT_TEXT[s] for s in slots[key])
        activities.append(
            {
                "detail": {
                    "extension": [{"url": DOSE_EXTENSION, "extension": _dose_numbers(item)}],
                    "kind": "ServiceRequest",
                    "code": {
                        "coding": [{"system": EXERCISES, "code": key, "display": name}],
                        "text": name,
                    },
                    "status": status,
                    "scheduledTiming": {"repeat": repeat},
                    "description": f"{name}: {item_words(item)}; {times} ({where}).",
                }
            }
        )
    return activities


def _care_plan(snapshot: Snapshot, catalog: Catalog, patient: str, today: date) -> Resource:
    profile, program = snapshot.profile, snapshot.program
    end = profile.start + timedelta(days=7 * profile.weeks - 1)
    if today < profile.start:
        status, activity = "active", "not-started"
    elif today > end:
        status, activity = "completed", "completed"
    else:
        status, activity = "active", "in-progress"
    if program.referral is not None:
        status, activity = "on-hold", "on-hold"
    week = _current_week(program, profile.start, today)
    plan: Resource = {
        "resourceType": "CarePlan",
        "status": status,
        "intent": "plan",
        "category": [{"coding": [EXERCISE_THERAPY], "text": "Home exercise program"}],
        "title": f"footcoach home program ({program.protocol})",
        "description": "Exercises for heel pain at home, adjusted each week by the morning "
        "first-step pain. The doses are those of "
        + (f"week {week.number}." if week else "no week: the program has none."),
        "subject": _ref(patient),
        "period": {"start": profile.start.isoformat(), "end": end.isoformat()},
        "created": profile.start.isoformat(),
    }
    activities = _activities(program, week, catalog, activity)
    if activities:
        plan["activity"] = activities
    if program.referral is not None:
        plan["note"] = [{"text": r.explanation} for r in program.referral.reasons]
    return plan


def _checkin(patient: str, day: date, pain: int) -> Resource:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}],
        "code": {"coding": [PAIN_CODE], "text": "Pain on the first steps in the morning"},
        "subject": _ref(patient),
        "effectiveDateTime": day.isoformat(),
        "valueInteger": pain,
    }


def _answers(response: QuestionnaireResponse) -> list[Resource]:
    questionnaire = QUESTIONNAIRES[response.instrument]
    values = (*response.answers, *response.sports)
    items = []
    for item, value in zip(questionnaire.items, values, strict=True):
        entry: Resource = {"linkId": item.id, "text": item.label}
        if value is not None:
            entry["answer"] = [{"valueInteger": value}]
        items.append(entry)
    return items


def _questionnaire(
    builder: _Builder, patient: str, response: QuestionnaireResponse, number: int
) -> None:
    url = builder.add(
        {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": questionnaire_url(response.instrument),
            "status": "completed",
            "subject": _ref(patient),
            "authored": response.taken_on.isoformat(),
            "item": _answers(response),
        },
        number,
    )
    scores = score_response(response)
    named = [(s.subscale, s.score) for s in scores.subscales]
    if response.instrument is Instrument.FFI:
        named.append((Subscale.TOTAL, scores.total))
    questionnaire = QUESTIONNAIRES[response.instrument]
    for subscale, value in named:
        if value is None:
            continue  # too few answers for a score: nothing to report
        code = f"{response.instrument.value}-{subscale.value}"
        words = subscale.value.replace("_", " ")
        builder.add(
            {
                "resourceType": "Observation",
                "status": "final",
                "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}],
                "code": {
                    "coding": [{"system": SCORES, "code": code}],
                    "text": f"{questionnaire.name}: {words} score (0 to 100)",
                },
                "subject": _ref(patient),
                "effectiveDateTime": response.taken_on.isoformat(),
                "valueQuantity": {
                    "value": round(value, 1),
                    "unit": "score",
                    "system": UCUM,
                    "code": "{score}",
                },
                "derivedFrom": [_ref(url)],
            },
            number,
            code,
        )


def _session(
    builder: _Builder, patient: str, plan: str, session: SessionRecord, number: int, names: Any
) -> None:
    if session.completed:
        status = "completed"
    elif session.finished_at is None:
        status = "in-progress"
    else:
        status = "stopped"
    period: dict[str, str] = {"start": session.started_at.isoformat()}
    if session.finished_at is not None:
        period["end"] = session.finished_at.isoformat()
    done = [
        f"{names(i.exercise)}: skipped"
        if i.skipped
        else f"{names(i.exercise)}: {i.sets_done} sets, {i.reps_done} repetitions, "
        f"{i.seconds_done} seconds"
        for i in session.items
    ]
    procedure: Resource = {
        "resourceType": "Procedure",
        "basedOn": [_ref(plan)],
        "status": status,
        "category": {"coding": [EXERCISE_THERAPY]},
        "code": {
            "coding": [{"system": SESSION_SLOTS, "code": session.slot}],
            "text": f"Home exercise session {SLOT_TEXT.get(session.slot, session.slot)}",
        },
        "subject": _ref(patient),
        "performedPeriod": period,
    }
    if done:
        procedure["note"] = [{"text": line} for line in done]
    url = builder.add(procedure, number)
    for measure, value, code, text in (
        ("pain", session.pain_during, PAIN_CODE, "Pain during the session"),
        ("effort", session.effort, None, "How hard the session felt (0 nothing, 10 maximal)"),
    ):
        if value is None:
            continue
        coding = code or {"system": MEASURES, "code": "session-effort"}
        builder.add(
            {
                "resourceType": "Observation",
                "status": "final",
                "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}],
                "code": {"coding": [coding], "text": text},
                "subject": _ref(patient),
                "partOf": [_ref(url)],
                "effectiveDateTime": (session.finished_at or session.started_at).isoformat(),
                "valueInteger": value,
            },
            number,
            measure,
        )


def fhir_bundle(snapshot: Snapshot, catalog: Catalog, today: date, now: datetime) -> Resource:
    """The profile's Bundle: patient, care plan, check-ins, questionnaires and sessions."""
    profile, diary = snapshot.profile, snapshot.diary
    builder = _Builder(profile.name)
    patient = builder.add(
        {"resourceType": "Patient", "active": True, "name": [{"text": profile.name}]}
    )
    plan = builder.add(_care_plan(snapshot, catalog, patient, today))
    for checkin in diary.checkins:
        builder.add(_checkin(patient, checkin.day, checkin.first_step_pain), checkin.day)
    for number, response in enumerate(diary.questionnaires, start=1):
        _questionnaire(builder, patient, response, number)

    def names(key: str) -> str:
        return catalog.get(key).name if key in catalog else key

    for number, session in enumerate(diary.sessions, start=1):
        _session(builder, patient, plan, session, number, names)
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": now.isoformat(timespec="seconds"),
        "entry": builder.entries,
    }
