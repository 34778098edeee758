"""Domain objects as versioned JSON-ready documents; the one place their public shape is defined."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from footcoach.domain.backup import Backup
from footcoach.domain.catalog import Dose, Equipment, Exercise, Tempo
from footcoach.domain.changes import ProgramChange, describe
from footcoach.domain.diary import Diary
from footcoach.domain.evidence import Conflict, Source
from footcoach.domain.intake import Feet, Goal, Intake, PainSite, RedFlag
from footcoach.domain.profile import Profile
from footcoach.domain.program import Item, Program, Session
from footcoach.domain.protocol import Protocol
from footcoach.domain.questionnaires import ITEM_ORDER
from footcoach.domain.screening import Referral

if TYPE_CHECKING:
    from footcoach.services.tracking import TodayView

EXERCISE_SCHEMA = "footcoach.exercise/1"
SOURCE_SCHEMA = "footcoach.source/1"
CONFLICT_SCHEMA = "footcoach.conflict/1"

Document = dict[str, Any]


def _or_none(value: int) -> int | None:
    return value or None


def dose_document(dose: Dose) -> Document:
    return {
        "sets": dose.sets,
        "reps": dose.reps,
        "hold_s": _or_none(dose.hold_s),
        "duration_s": _or_none(dose.duration_s),
        "rest_s": dose.rest_s,
        "times_per_day": dose.times_per_day,
        "tempo": _tempo(dose.tempo),
    }


def exercise_document(ex: Exercise) -> Document:
    return {
        "schema": EXERCISE_SCHEMA,
        "id": ex.id,
        "name": ex.name,
        "aliases": list(ex.aliases),
        "category": ex.category.value,
        "position": ex.position.value,
        "weight_bearing": ex.weight_bearing,
        "in_bed": ex.in_bed,
        "equipment": {
            "required": [e.value for e in ex.equipment.required],
            "substitutes": {k.value: list(v) for k, v in ex.equipment.substitutes.items()},
        },
        "targets": [t.value for t in ex.targets],
        "sides": ex.sides.value,
        "dose": dose_document(ex.dose),
        "steps": list(ex.steps),
        "cues": list(ex.cues),
        "why": ex.why,
        "cautions": list(ex.cautions),
        "progressions": list(ex.progressions),
        "regressions": list(ex.regressions),
        "substitute_exercises": list(ex.substitute_exercises),
        "sources": [
            {
                "source": c.source,
                "stance": c.stance.value,
                "says": c.says,
                "for_whom": c.for_whom or None,
                "dose": c.dose or None,
            }
            for c in ex.sources
        ],
        "foot_relevance": ex.foot_relevance.value,
        "relevance_note": ex.relevance_note or None,
    }


def source_document(src: Source) -> Document:
    return {
        "schema": SOURCE_SCHEMA,
        "id": src.id,
        "kind": src.kind.value,
        "title": src.title,
        "citation": src.citation,
        "strength": src.strength.label,
        "strength_explained": src.strength.explanation,
        "confidence": src.confidence or None,
        "summary": src.summary,
    }


def conflict_document(conflict: Conflict) -> Document:
    return {
        "schema": CONFLICT_SCHEMA,
        "id": conflict.id,
        "topic": conflict.topic,
        "exercises": list(conflict.exercises),
        "positions": [{"source": p.source, "position": p.position} for p in conflict.positions],
        "resolution": conflict.resolution,
        "reason": conflict.reason,
        "evidence": list(conflict.evidence),
    }


PROGRAM_SCHEMA = "footcoach.program/1"
PROTOCOL_SCHEMA = "footcoach.protocol/1"


def _tempo(tempo: Tempo | None) -> Document | None:
    return (
        None
        if tempo is None
        else {"up_s": tempo.up_s, "hold_s": tempo.hold_s, "down_s": tempo.down_s}
    )


def referral_document(referral: Referral) -> Document:
    return {
        "urgency": referral.urgency.value,
        "reasons": [{"flag": r.flag, "explanation": r.explanation} for r in referral.reasons],
        "advice": referral.advice,
    }


def item_document(item: Item) -> Document:
    return {
        "exercise": item.exercise,
        "sets": item.sets,
        "reps": item.reps,
        "hold_s": item.hold_s,
        "duration_s": item.duration_s,
        "rest_s": item.rest_s,
        "per_side": item.per_side,
        "first_side": item.first_side,
        "load": item.load,
        "tempo": _tempo(item.tempo),
        "why": item.why,
        "sources": list(item.sources),
    }


def session_document(session: Session) -> Document:
    return {
        "slot": session.slot.value,
        "minutes": session.minutes,
        "items": [item_document(i) for i in session.items],
    }


def program_document(program: Program) -> Document:
    """The `footcoach.program/1` document; sessions shared between days are rendered once."""
    rendered: dict[int, Document] = {}

    def session(s: Session) -> Document:
        key = id(s)
        if key not in rendered:
            rendered[key] = session_document(s)
        return rendered[key]

    prompt = program.clinician_prompt
    return {
        "schema": PROGRAM_SCHEMA,
        "status": program.status.value,
        "protocol": program.protocol,
        "referral": None if program.referral is None else referral_document(program.referral),
        "adjustment": None
        if program.adjustment is None
        else {"action": program.adjustment.action.value, "reason": program.adjustment.reason},
        "clinician_prompt": None
        if prompt is None
        else {"reasons": list(prompt.reasons), "advice": prompt.advice},
        "weeks": [
            {
                "week": w.number,
                "phase": w.phase,
                "days": [
                    {"date": d.day.isoformat(), "sessions": [session(s) for s in d.sessions]}
                    for d in w.days
                ],
            }
            for w in program.weeks
        ],
        "excluded": [
            {"exercise": e.exercise, "reason": e.reason, "sources": list(e.sources)}
            for e in program.excluded
        ],
        "notes": list(program.notes),
    }


def protocol_document(protocol: Protocol) -> Document:
    return {
        "schema": PROTOCOL_SCHEMA,
        "id": protocol.id,
        "name": protocol.name,
        "summary": protocol.summary,
        "sources": list(protocol.sources),
        "evidence": protocol.evidence,
        "goals": [g.value for g in protocol.goals],
        "default_weeks": protocol.default_weeks,
        "reassess_every_weeks": protocol.reassess_every_weeks,
        "non_weight_bearing": protocol.non_weight_bearing,
        "phases": [
            {
                "id": ph.id,
                "name": ph.name,
                "weeks": ph.weeks,
                "enter_at_pain": ph.enter_at_pain,
                "summary": ph.summary,
                "entry": ph.entry,
                "exit": ph.exit,
                "items": [
                    {
                        "exercise": it.exercise,
                        "slot": it.slot.value,
                        "priority": it.priority.value,
                        "schedule": it.schedule.value,
                        "sets": it.sets,
                        "reps": it.reps,
                        "hold_s": it.hold_s,
                        "duration_s": it.duration_s,
                        "rest_s": it.rest_s,
                        "load": it.load,
                        "tempo": _tempo(it.tempo),
                        "why": it.why,
                        "sources": list(it.sources),
                        "dose_steps": [
                            {
                                "from_week": s.from_week,
                                "sets": s.sets,
                                "reps": s.reps,
                                "hold_s": s.hold_s,
                                "duration_s": s.duration_s,
                                "load": s.load,
                            }
                            for s in it.dose_steps
                        ],
                    }
                    for it in ph.items
                ],
            }
            for ph in protocol.phases
        ],
        "excluded": [
            {"exercise": e.exercise, "reason": e.reason, "sources": list(e.sources)}
            for e in protocol.excluded
        ],
        "notes": list(protocol.notes),
    }


INTAKE_SCHEMA = "footcoach.intake/1"


def intake_document(intake: Intake) -> Document:
    """An intake as a `footcoach.intake/1` document (normalised: sorted, unique lists)."""
    return {
        "schema": INTAKE_SCHEMA,
        "age": intake.age,
        "feet": intake.feet.value,
        "goal": intake.goal.value,
        "pain_site": [p.value for p in intake.pain_site],
        "first_step_pain": intake.first_step_pain,
        "weeks_of_symptoms": intake.weeks_of_symptoms,
        "red_flags": [f.value for f in intake.red_flags],
        "equipment": [e.value for e in intake.equipment],
        "minutes_per_day": intake.minutes_per_day,
        "wake_time": intake.wake_time.strftime("%H:%M"),
        "bed_time": intake.bed_time.strftime("%H:%M"),
        "main_pain_site": None if intake.main_pain_site is None else intake.main_pain_site.value,
        "pregnant": intake.pregnant,
        "steroid_injection_weeks_ago": intake.steroid_injection_weeks_ago,
    }


def intake_from_document(doc: Document) -> Intake:
    """A stored, already validated intake document back into the domain (no pydantic needed)."""
    # Documents stored before these three fields existed have none of them: the defaults hold.
    main, weeks = doc.get("main_pain_site"), doc.get("steroid_injection_weeks_ago")
    return Intake(
        age=int(doc["age"]),
        feet=Feet(doc["feet"]),
        goal=Goal(doc["goal"]),
        pain_site=tuple(PainSite(p) for p in doc["pain_site"]),
        first_step_pain=int(doc["first_step_pain"]),
        weeks_of_symptoms=int(doc["weeks_of_symptoms"]),
        red_flags=tuple(RedFlag(f) for f in doc["red_flags"]),
        equipment=tuple(Equipment(e) for e in doc["equipment"]),
        minutes_per_day=int(doc["minutes_per_day"]),
        wake_time=time.fromisoformat(doc["wake_time"]),
        bed_time=time.fromisoformat(doc["bed_time"]),
        main_pain_site=None if main is None else PainSite(main),
        pregnant=bool(doc.get("pregnant", False)),
        steroid_injection_weeks_ago=None if weeks is None else int(weeks),
    )


BACKUP_SCHEMA = "footcoach.backup/1"
TODAY_SCHEMA = "footcoach.today/1"


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def change_record(change: ProgramChange, version: int) -> Document:
    """One change of a program's audit trail, as the program page, the API and backups show it."""
    return {
        "version": version,
        "kind": change.kind.value,
        "exercise": change.exercise,
        "to": change.to,
        "dose": None if change.dose is None else change.dose.given(),
        "note": change.note,
        "why": change.why,
        "starts_on": change.starts.isoformat(),
        "who": change.who,
        "role": change.role,
        "at": change.when.isoformat(),
        "summary": describe(change),
    }


def backup_document(backup: Backup) -> Document:
    """Everything of one profile, as one versioned document (`footcoach export`).

    The program's changes go in `program_changes` only when there are any: a backup without
    them reads as it always has, and one with them is refused, not half read, by a footcoach
    from before they were kept.
    """
    document = _backup_document(backup.profile, backup.diary)
    if backup.changes:
        document["program_changes"] = [
            change_record(c, version) for version, c in enumerate(backup.changes, start=1)
        ]
    return document


def _backup_document(profile: Profile, diary: Diary) -> Document:
    return {
        "schema": BACKUP_SCHEMA,
        "profile": {
            "name": profile.name,
            "intake": intake_document(profile.intake),
            "protocol": profile.protocol,
            "start": profile.start.isoformat(),
            "weeks": profile.weeks,
            "preferences": {
                "voice": profile.preferences.voice,
                "large_text": profile.preferences.large_text,
            },
        },
        "checkins": [
            {"date": c.day.isoformat(), "first_step_pain": c.first_step_pain}
            for c in diary.checkins
        ],
        "sessions": [
            {
                "date": s.day.isoformat(),
                "slot": s.slot,
                "started_at": s.started_at.isoformat(),
                "finished_at": _moment(s.finished_at),
                "completed": s.completed,
                "pain_during": s.pain_during,
                "effort": s.effort,
                "items": [
                    {
                        "position": i.position,
                        "exercise": i.exercise,
                        "sets_done": i.sets_done,
                        "reps_done": i.reps_done,
                        "seconds_done": i.seconds_done,
                        "skipped": i.skipped,
                        "finished_at": i.finished_at.isoformat(),
                    }
                    for i in s.items
                ],
                **({} if s.planned_items is None else {"planned_items": s.planned_items}),
            }
            for s in diary.sessions
        ],
        "questionnaires": [
            {
                "instrument": q.instrument.value,
                "taken_on": q.taken_on.isoformat(),
                "answers": list(q.answers),
                "sports": list(q.sports),
                "item_order": ITEM_ORDER,
            }
            for q in diary.questionnaires
        ],
    }


def today_document(view: TodayView) -> Document:
    """Today's sessions, check-in and monitor state, as `footcoach.today/1`."""
    return {
        "schema": TODAY_SCHEMA,
        "profile": view.profile,
        "date": view.day.isoformat(),
        "week": view.week,
        "phase": view.phase,
        "checkin": None
        if view.checkin is None
        else {"first_step_pain": view.checkin.first_step_pain},
        "checkin_due": view.checkin_due,
        "sessions": [
            {**session_document(s.session), "state": s.state.value} for s in view.sessions
        ],
        "adjustment": None
        if view.adjustment is None
        else {"action": view.adjustment.action.value, "reason": view.adjustment.reason},
        "clinician_prompt": None
        if view.clinician_prompt is None
        else {
            "reasons": list(view.clinician_prompt.reasons),
            "advice": view.clinician_prompt.advice,
        },
        "questionnaires_due": [q.value for q in view.questionnaires_due],
        "referral": None if view.referral is None else referral_document(view.referral),
        "starts_on": None if view.starts_on is None else view.starts_on.isoformat(),
        "ended_on": None if view.ended_on is None else view.ended_on.isoformat(),
    }
