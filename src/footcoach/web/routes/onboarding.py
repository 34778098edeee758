"""The welcome: the intake as a form, then a program (to /today) or a referral page.

Nothing is stored unless the answers make a program: a referral writes nothing, and form errors
re-render the form with the person's answers kept.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from footcoach.domain.catalog import Equipment
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.intake import (
    AGE_RANGE,
    DEFAULT_BED,
    DEFAULT_WAKE,
    INJECTION_WEEKS_RANGE,
    MINUTES_RANGE,
    WEEKS_RANGE,
    Feet,
    Goal,
    Intake,
    PainSite,
    RedFlag,
)
from footcoach.domain.profile import Profile
from footcoach.domain.program import Status
from footcoach.schemas.intake import INTAKE_SCHEMA, parse_intake
from footcoach.services.documents import intake_document
from footcoach.services.intake_questions import (
    EQUIPMENT_WORDS,
    INJECTION_QUESTION,
    INJECTION_WEEKS_QUESTION,
    MAIN_SITE_QUESTION,
    PREGNANT_QUESTION,
    RED_FLAG_QUESTIONS,
)
from footcoach.services.settings import current_profile
from footcoach.web.deps import ProfileDep, ServicesDep, TemplatesDep

router = APIRouter(include_in_schema=False)


async def _read_form(request: Request) -> AsyncIterator[FormData]:
    """The posted form; any uploaded file is closed once the response is done."""
    form = await request.form(max_files=0)
    try:
        yield form
    finally:
        await form.close()


FormDep = Annotated[FormData, Depends(_read_form)]

GOAL_WORDS = {Goal.HEEL_PAIN: "Less heel pain", Goal.FOOT_STRENGTH: "Stronger feet"}
FEET_WORDS = {Feet.LEFT: "Left", Feet.RIGHT: "Right", Feet.BOTH: "Both"}
SITE_WORDS = {
    PainSite.PLANTAR_HEEL: "Under the heel",
    PainSite.ARCH: "Along the arch",
    PainSite.BACK_OF_HEEL: "At the back of the heel",
    PainSite.TOES: "In the toes",
    PainSite.ANKLE: "Around the ankle",
    PainSite.CALF: "In the calf",
    PainSite.OTHER: "Somewhere else",
}


@dataclass(frozen=True, slots=True)
class FlagGroup:
    title: str
    why: str
    flags: tuple[RedFlag, ...]


FLAG_GROUPS = (
    FlagGroup(
        "How it started",
        "An injury may need an X-ray or a scan before any exercise.",
        (RedFlag.TRAUMA, RedFlag.SUDDEN_POP, RedFlag.CANNOT_BEAR_WEIGHT),
    ),
    FlagGroup(
        "Signs of infection or inflammation",
        "These need a doctor quickly, and exercise could make them worse.",
        (RedFlag.FEVER, RedFlag.RED_HOT_SWOLLEN, RedFlag.WOUND_OR_ULCER),
    ),
    FlagGroup(
        "Your calves and blood flow",
        "A blood clot or poor blood flow can cause leg and foot pain, and needs a doctor "
        "rather than exercises.",
        (RedFlag.CALF_SWOLLEN_WARM_OR_TENDER, RedFlag.CALF_PAIN_WALKING_EASES_AT_REST),
    ),
    FlagGroup(
        "How it feels",
        "These patterns point to a nerve or a bone problem rather than a strained heel.",
        (
            RedFlag.NUMBNESS_TINGLING,
            RedFlag.NIGHT_OR_REST_PAIN,
            RedFlag.WORSENING_AFTER_LOAD_INCREASE,
        ),
    ),
    FlagGroup(
        "Your health",
        "Some conditions cause heel pain themselves, or change what is safe for your feet. "
        "Your answer is only used for this check.",
        (
            RedFlag.DIABETES_NEUROPATHY,
            RedFlag.INFLAMMATORY_ARTHRITIS,
            RedFlag.CANCER_HISTORY,
            RedFlag.UNEXPLAINED_WEIGHT_LOSS,
            RedFlag.BOTH_HEELS_WITH_BACK_STIFFNESS,
            RedFlag.PSORIASIS_BOWEL_OR_EYE_INFLAMMATION,
        ),
    ),
)

ANSWERED = ("yes", "no")
NUMBER = re.compile(r"-?\d{1,6}")
CHECKED_ON_CHANGE = (
    "age",
    "weeks_of_symptoms",
    "minutes_per_day",
    "wake_time",
    "bed_time",
    "steroid_injection_weeks_ago",
)
"""The typed-in fields that htmx checks as soon as they change (POST /welcome/check)."""


def _range(bounds: tuple[int, int]) -> str:
    return f"from {bounds[0]} to {bounds[1]}"


TIME_MESSAGE = "Type a time on the 24-hour clock, such as 06:30."
MESSAGES = {
    "goal": "Choose what you want most: less heel pain, or stronger feet.",
    "feet": "Choose left, right or both.",
    "pain_site": "Tick at least one place where it hurts. You can leave this empty only when "
    "you want stronger feet and nothing hurts.",
    "first_step_pain": "Choose a number from 0 (no pain) to 10 (the worst pain).",
    "weeks_of_symptoms": f"Type a whole number of weeks {_range(WEEKS_RANGE)}. "
    "Type 0 if nothing hurts.",
    "equipment": "Tick only things from the list.",
    "minutes_per_day": f"Type a whole number of minutes {_range(MINUTES_RANGE)}.",
    "wake_time": TIME_MESSAGE,
    "bed_time": TIME_MESSAGE,
    "age": f"Type your age in whole years, {_range(AGE_RANGE)}.",
    "flag": "Please answer yes or no.",
    "main_pain_site": "Choose the place that hurts most from the places you ticked.",
    "pregnant": "Please answer yes or no.",
    "steroid_injection": "Please answer yes or no.",
    "steroid_injection_weeks_ago": "Type how many weeks ago, a whole number "
    f"{_range(INJECTION_WEEKS_RANGE)}. Type 0 if it was less than a week ago.",
}
SAME_TIMES = "Choose a bedtime that is different from the time you get up."


def _anchor(key: str) -> str:
    """The id of the input an error summary link should jump to."""
    first = {
        "goal": f"goal-{next(iter(Goal)).value}",
        "feet": f"feet-{next(iter(Feet)).value}",
        "pain_site": f"pain_site-{next(iter(PainSite)).value}",
        "main_pain_site": f"main_pain_site-{next(iter(PainSite)).value}",
        "first_step_pain": "first_step_pain-0",
        "pregnant": "pregnant-yes",
        "steroid_injection": "steroid_injection-yes",
        "equipment": f"equipment-{next(iter(Equipment)).value}",
    }
    if key.startswith("flag-"):
        return f"{key}-yes"
    return first.get(key, key)


def form_values(form: FormData | None = None) -> dict[str, Any]:
    """The raw answers as the template shows them; defaults for a fresh form."""
    if form is None:
        return {
            "goal": "",
            "feet": "",
            "pain_site": [],
            "first_step_pain": "",
            "weeks_of_symptoms": "",
            "flags": {f.value: "" for f in RedFlag},
            "equipment": [],
            "minutes_per_day": "20",
            "wake_time": DEFAULT_WAKE.strftime("%H:%M"),
            "bed_time": DEFAULT_BED.strftime("%H:%M"),
            "age": "",
            "main_pain_site": "",
            "pregnant": "",
            "steroid_injection": "",
            "steroid_injection_weeks_ago": "",
        }

    def one(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def several(name: str) -> list[str]:
        return [v for v in form.getlist(name) if isinstance(v, str)]

    return {
        "goal": one("goal"),
        "feet": one("feet"),
        "pain_site": several("pain_site"),
        "first_step_pain": one("first_step_pain"),
        "weeks_of_symptoms": one("weeks_of_symptoms"),
        "flags": {f.value: one(f"flag-{f.value}") for f in RedFlag},
        "equipment": several("equipment"),
        "minutes_per_day": one("minutes_per_day"),
        "wake_time": one("wake_time"),
        "bed_time": one("bed_time"),
        "age": one("age"),
        "main_pain_site": one("main_pain_site"),
        "pregnant": one("pregnant"),
        "steroid_injection": one("steroid_injection"),
        "steroid_injection_weeks_ago": one("steroid_injection_weeks_ago"),
    }


def values_of(intake: Intake) -> dict[str, Any]:
    """A stored intake as form values (to answer again from what was said before)."""
    doc = intake_document(intake)
    flags = {f.value: ("yes" if f.value in doc["red_flags"] else "no") for f in RedFlag}
    values = {k: str(v) for k, v in doc.items() if isinstance(v, int | str)}
    weeks = intake.steroid_injection_weeks_ago
    return {
        **values,
        "pain_site": doc["pain_site"],
        "equipment": doc["equipment"],
        "flags": flags,
        "main_pain_site": doc["main_pain_site"] or "",
        "pregnant": "yes" if intake.pregnant else "no",
        "steroid_injection": "no" if weeks is None else "yes",
        "steroid_injection_weeks_ago": "" if weeks is None else str(weeks),
    }


def _asks_main_site(values: Mapping[str, Any]) -> bool:
    """The main site is asked (and read) only when more than one site is ticked."""
    return len(set(values["pain_site"])) > 1


def _number(text: str) -> object:
    """Digits become an int; anything else goes on as given so the schema names the problem."""
    if NUMBER.fullmatch(text):
        return int(text)
    return text or None


def _document(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "schema": INTAKE_SCHEMA,
        "age": _number(values["age"]),
        "feet": values["feet"] or None,
        "goal": values["goal"] or None,
        "pain_site": list(values["pain_site"]),
        "first_step_pain": _number(values["first_step_pain"]),
        "weeks_of_symptoms": _number(values["weeks_of_symptoms"]),
        "red_flags": [f for f, answer in values["flags"].items() if answer == "yes"],
        "equipment": list(values["equipment"]),
        "minutes_per_day": _number(values["minutes_per_day"]),
        "wake_time": values["wake_time"] or None,
        "bed_time": values["bed_time"] or None,
        "main_pain_site": (values["main_pain_site"] or None) if _asks_main_site(values) else None,
        "pregnant": values["pregnant"] == "yes",
        "steroid_injection_weeks_ago": (
            _number(values["steroid_injection_weeks_ago"])
            if values["steroid_injection"] == "yes"
            else None
        ),
    }


def _key(problem: Problem, red_flags: list[str]) -> str:
    """The form field a Problem belongs to: 'age', 'pain_site', 'flag-fever', or 'form'."""
    match = re.fullmatch(r"([a-z_]+)(?:\[(\d+)\])?", problem.field)
    if match is None:
        return "form"
    name, index = match.group(1), match.group(2)
    if name == "red_flags":
        position = int(index) if index is not None else -1
        return f"flag-{red_flags[position]}" if 0 <= position < len(red_flags) else "form"
    return name if name in MESSAGES else "form"


def _message(key: str, problem: Problem) -> str:
    if key == "bed_time" and "other than" in problem.allowed:
        return SAME_TIMES
    if key.startswith("flag-"):
        return MESSAGES["flag"]
    return MESSAGES.get(key, f"{problem.field}: {problem.allowed}")


def check_answers(values: Mapping[str, Any]) -> tuple[Intake | None, dict[str, str]]:
    """The Intake, or the error to show next to each field (in form order)."""
    errors: dict[str, str] = {}
    for flag, answer in values["flags"].items():
        if answer not in ANSWERED:
            errors[f"flag-{flag}"] = MESSAGES["flag"]
    for key in ("pregnant", "steroid_injection"):
        if values[key] not in ANSWERED:
            errors[key] = MESSAGES[key]
    if _asks_main_site(values) and not values["main_pain_site"]:
        errors["main_pain_site"] = MESSAGES["main_pain_site"]
    if values["steroid_injection"] == "yes" and not values["steroid_injection_weeks_ago"]:
        errors["steroid_injection_weeks_ago"] = MESSAGES["steroid_injection_weeks_ago"]
    document = _document(values)
    intake = None
    try:
        intake = parse_intake(document)
    except InvalidInputError as exc:
        for problem in exc.problems:
            key = _key(problem, document["red_flags"])
            errors.setdefault(key, _message(key, problem))
    return (None if errors else intake), errors


FORM_ORDER = (
    "form",
    "goal",
    "feet",
    "pain_site",
    "main_pain_site",
    "first_step_pain",
    "weeks_of_symptoms",
    *(f"flag-{f.value}" for g in FLAG_GROUPS for f in g.flags),
    "equipment",
    "minutes_per_day",
    "wake_time",
    "bed_time",
    "age",
    "pregnant",
    "steroid_injection",
    "steroid_injection_weeks_ago",
)


def _summary(errors: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(key, anchor, text) for the error summary, in form order; unanswered safety questions
    share one line when there are several."""
    questions = {f"flag-{f.value}": q for f, q in RED_FLAG_QUESTIONS.items()}
    flagged = [k for k in FORM_ORDER if k in questions and k in errors]
    rows = []
    for key in FORM_ORDER:
        if key not in errors or (key in questions and len(flagged) > 1 and key != flagged[0]):
            continue
        if key in questions:
            text = (
                f"{questions[key]} {errors[key]}"
                if len(flagged) == 1
                else f"Please answer yes or no to {len(flagged)} safety questions; "
                "each is marked below."
            )
        else:
            text = errors[key]
        rows.append((key, _anchor(key), text))
    return rows


def _page(
    request: Request,
    templates: TemplatesDep,
    values: dict[str, Any],
    existing: Profile | None,
    errors: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    errors = dict(errors or {})
    context = {
        "values": values,
        "errors": errors,
        "summary": _summary(errors),
        "existing": existing,
        "large_text": existing is not None and existing.preferences.large_text,
        "goal_words": GOAL_WORDS,
        "feet_words": FEET_WORDS,
        "site_words": SITE_WORDS,
        "flag_groups": FLAG_GROUPS,
        "flag_questions": RED_FLAG_QUESTIONS,
        "main_site_question": MAIN_SITE_QUESTION,
        "pregnant_question": PREGNANT_QUESTION,
        "injection_question": INJECTION_QUESTION,
        "injection_weeks_question": INJECTION_WEEKS_QUESTION,
        "equipment_words": EQUIPMENT_WORDS,
        "checked_on_change": CHECKED_ON_CHANGE,
        "ranges": {
            "age": AGE_RANGE,
            "weeks": WEEKS_RANGE,
            "minutes": MINUTES_RANGE,
            "injection": INJECTION_WEEKS_RANGE,
        },
    }
    return templates.TemplateResponse(request, "welcome.html", context, status_code=status_code)


@router.get("/welcome", response_class=HTMLResponse)
def welcome(
    request: Request, services: ServicesDep, profile: ProfileDep, templates: TemplatesDep
) -> Response:
    existing = current_profile(services.tracking, profile)
    values = form_values() if existing is None else values_of(existing.intake)
    return _page(request, templates, values, existing)


@router.post("/welcome", response_class=HTMLResponse)
def welcome_answers(
    request: Request,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    form: FormDep,
) -> Response:
    values = form_values(form)
    existing = current_profile(services.tracking, profile)
    intake, errors = check_answers(values)
    if intake is None:
        return _page(request, templates, values, existing, errors, status_code=422)
    replace_existing = form.get("replace") == "1"
    if existing is not None and not replace_existing:
        conflict = {
            "form": "You already have a program, and it has not been changed. Press the save "
            "button again to plan afresh from these answers (your diary is kept)."
        }
        return _page(request, templates, values, existing, conflict, status_code=409)
    program = services.tracking.init(profile, intake, replace_existing=replace_existing)
    if program.status is Status.REFER and program.referral is not None:
        context = {"referral": program.referral, "values": values, "existing": existing}
        return templates.TemplateResponse(request, "referral.html", context)
    return RedirectResponse("/today", status_code=303)


@router.post("/welcome/edit", response_class=HTMLResponse)
def welcome_edit(
    request: Request,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    form: FormDep,
) -> Response:
    """Back from the referral page to the form, with the answers as they were (nothing stored)."""
    existing = current_profile(services.tracking, profile)
    return _page(request, templates, form_values(form), existing)


@router.post("/welcome/check", response_class=HTMLResponse)
def welcome_check(request: Request, templates: TemplatesDep, form: FormDep) -> Response:
    """htmx: the error (or nothing) for the one field that just changed."""
    field = form.get("check")
    if field not in CHECKED_ON_CHANGE:
        return HTMLResponse("", status_code=204)
    _, errors = check_answers(form_values(form))
    error = errors.get(str(field))
    return templates.TemplateResponse(
        request,
        "partials/welcome_field_error.html",
        {"key": field, "error": error, "live": True},
        status_code=422 if error else 200,
    )
