"""The diary and the questionnaires: recent records, the FFI and FAAM as forms, their scores.

The questionnaire form is plain HTML (no JavaScript needed): one fieldset per item, every item
answered with a value or "not applicable". Bad answers re-render the form with what was chosen
kept and an error at each item (422, nothing stored); good ones are stored by
TrackingService.record_questionnaire and the browser is sent on to the scores (post/redirect/get).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from footcoach.domain.diary import Instrument, QuestionnaireResponse
from footcoach.domain.questionnaires import (
    QUESTIONNAIRES,
    AnswerScale,
    Item,
    Questionnaire,
    Section,
    Subscale,
)
from footcoach.domain.scoring import FAAM_MIN_ANSWERED, MIDS
from footcoach.services import assessment
from footcoach.services.diary_view import (
    NAMES,
    RECENT_DAYS,
    SCORES,
    SUBSCALE_WORDS,
    diary_view,
    latest_result,
    require_profile,
)
from footcoach.services.progress_view import long_date, points
from footcoach.web.deps import ProfileDep, ServicesDep, TemplatesDep

router = APIRouter(include_in_schema=False)

NOT_APPLICABLE = "na"
"""The form value of a "not applicable" answer."""

SHORT_NAMES = {i: short for i, (short, _) in NAMES.items()}
FULL_NAMES = {i: full for i, (_, full) in NAMES.items()}
SECTION_TITLES = {
    Subscale.PAIN: "Pain",
    Subscale.DISABILITY: "Disability",
    Subscale.ACTIVITY_LIMITATION: "Activity limitation",
    Subscale.ADL: "Everyday activities",
    Subscale.SPORTS: "Sports",
}

InstrumentPath = Annotated[str, Path(description="ffi or faam")]


async def _read_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(_read_form)]


@dataclass(frozen=True, slots=True)
class AnswerError:
    brief: str
    """For the list at the top of the page, e.g. "no answer yet"."""
    full: str
    """Next to the item: what is wrong and what is allowed."""


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    """One item of the form, numbered through the whole questionnaire."""

    number: int
    item: Item


@dataclass(frozen=True, slots=True)
class FormSection:
    section: Section
    title: str
    questions: tuple[Question, ...]
    options: tuple[Option, ...]
    not_applicable: str
    scale_words: str
    """The anchors of the scale in a sentence, e.g. "0 is no pain, 10 is ..."."""
    allowed: str
    """What an answer may be, for error messages."""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _scale_words(scale: AnswerScale) -> str:
    if scale.higher_is_better:
        best, worst = scale.label(scale.high) or "", scale.label(scale.low) or ""
        return f"Choose how hard it was, from “{_capital(best)}” to “{_capital(worst)}”."
    return f"{scale.low} is {scale.label(scale.low)}, {scale.high} is {scale.label(scale.high)}."


def _options(scale: AnswerScale) -> tuple[Option, ...]:
    if scale.higher_is_better:  # the FAAM: each answer has words; best first
        return tuple(Option(str(v), _capital(label)) for v, label in scale.labels)
    return tuple(Option(str(v), str(v)) for v in range(scale.low, scale.high + 1))


def _allowed(scale: AnswerScale) -> str:
    if scale.higher_is_better:
        return (
            f"Choose one answer, from “{_capital(scale.label(scale.high) or '')}” to "
            f"“{_capital(scale.label(scale.low) or '')}”, or “Not applicable”."
        )
    return (
        f"Choose a number from {scale.low} ({scale.label(scale.low)}) to {scale.high} "
        f"({scale.label(scale.high)}), or “Not applicable”."
    )


def form_sections(questionnaire: Questionnaire) -> tuple[FormSection, ...]:
    sections: list[FormSection] = []
    number = 0
    for section in questionnaire.sections:
        questions = []
        for item in section.items:
            number += 1
            questions.append(Question(number, item))
        sections.append(
            FormSection(
                section=section,
                title=SECTION_TITLES[section.subscale],
                questions=tuple(questions),
                options=_options(section.scale),
                not_applicable=_capital(section.scale.not_applicable),
                scale_words=_scale_words(section.scale),
                allowed=_allowed(section.scale),
            )
        )
    return tuple(sections)


def read_answers(
    questionnaire: Questionnaire, form: FormData
) -> tuple[dict[str, str], dict[str, AnswerError], dict[str, int | None]]:
    """(what was chosen, errors by item id, the answers) from a posted form."""
    values: dict[str, str] = {}
    errors: dict[str, AnswerError] = {}
    answers: dict[str, int | None] = {}
    for section in form_sections(questionnaire):
        scale = section.section.scale
        for question in section.questions:
            key = question.item.id
            given = [str(v) for v in form.getlist(key)]
            raw = given[-1].strip() if given else ""
            values[key] = raw
            if len(given) > 1:
                errors[key] = AnswerError(
                    "more than one answer", f"Choose only one answer. {section.allowed}"
                )
            elif raw == "":
                errors[key] = AnswerError(
                    "no answer yet", f"This one has no answer yet. {section.allowed}"
                )
            elif raw == NOT_APPLICABLE:
                answers[key] = None
            elif re.fullmatch(r"\d{1,2}", raw) and scale.low <= int(raw) <= scale.high:
                answers[key] = int(raw)
            else:
                shown = raw if len(raw) <= 20 else raw[:20] + "…"
                errors[key] = AnswerError(
                    "not one of the answers",
                    f"“{shown}” is not one of the answers. {section.allowed}",
                )
    return values, errors, answers


def _form_page(
    request: Request,
    templates: TemplatesDep,
    questionnaire: Questionnaire,
    values: dict[str, str] | None = None,
    errors: dict[str, AnswerError] | None = None,
    status_code: int = 200,
) -> Response:
    sections = form_sections(questionnaire)
    errors = errors or {}
    summary = [
        (q.item.id, f"Item {q.number}, {q.item.label}: {errors[q.item.id].brief}")
        for s in sections
        for q in s.questions
        if q.item.id in errors
    ]
    return templates.TemplateResponse(
        request,
        "questionnaire.html",
        {
            "nav": "diary",
            "page": "form",
            "questionnaire": questionnaire,
            "short_name": SHORT_NAMES[questionnaire.instrument],
            "full_name": FULL_NAMES[questionnaire.instrument],
            "sections": sections,
            "total": len(questionnaire.items),
            "values": values or {},
            "errors": errors,
            "summary": summary,
            "not_applicable": NOT_APPLICABLE,
        },
        status_code=status_code,
    )


@router.get("/diary", response_class=HTMLResponse)
def diary(
    request: Request, services: ServicesDep, profile: ProfileDep, templates: TemplatesDep
) -> Response:
    view = diary_view(services.tracking, profile)
    return templates.TemplateResponse(
        request,
        "diary.html",
        {
            "nav": "diary",
            "view": view,
            "recent_days": RECENT_DAYS,
            "short_names": SHORT_NAMES,
            "full_names": FULL_NAMES,
            "scores": SCORES,
            "subscale_words": SUBSCALE_WORDS,
            "points": points,
            "long_date": long_date,
        },
    )


@router.get("/questionnaires/{instrument}", response_class=HTMLResponse)
def questionnaire_form(
    request: Request,
    instrument: InstrumentPath,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
) -> Response:
    which = assessment.instrument(instrument)  # an unknown name is a 404 page
    require_profile(services.tracking, profile)
    return _form_page(request, templates, QUESTIONNAIRES[which])


@router.post("/questionnaires/{instrument}", response_class=HTMLResponse)
def questionnaire_answers(
    request: Request,
    instrument: InstrumentPath,
    form: FormDep,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
) -> Response:
    which = assessment.instrument(instrument)
    questionnaire = QUESTIONNAIRES[which]
    require_profile(services.tracking, profile)
    values, errors, answers = read_answers(questionnaire, form)
    if errors:
        return _form_page(request, templates, questionnaire, values, errors, 422)
    if which is Instrument.FFI:
        response = QuestionnaireResponse(
            which, services.clock.today(), tuple(answers[i.id] for i in questionnaire.items)
        )
    else:
        adl, sports = (
            tuple(answers[i.id] for i in questionnaire.items_in(s))
            for s in (Subscale.ADL, Subscale.SPORTS)
        )
        response = QuestionnaireResponse(which, services.clock.today(), adl, sports)
    services.tracking.record_questionnaire(profile, response)  # the form checked it all
    return RedirectResponse(f"/questionnaires/{which.value}/result?saved=1", status_code=303)


@router.get("/questionnaires/{instrument}/result", response_class=HTMLResponse)
def questionnaire_result(
    request: Request,
    instrument: InstrumentPath,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    saved: Annotated[str, Query()] = "",
) -> Response:
    which = assessment.instrument(instrument)
    result = latest_result(services.tracking, profile, which)
    return templates.TemplateResponse(
        request,
        "questionnaire.html",
        {
            "nav": "diary",
            "page": "result",
            "questionnaire": QUESTIONNAIRES[which],
            "short_name": SHORT_NAMES[which],
            "full_name": FULL_NAMES[which],
            "result": result,
            "saved": saved == "1" and result is not None,
            "subscale_words": SUBSCALE_WORDS,
            "mids": {s: m for (i, s), m in MIDS.items() if i is which},
            "faam_needed": FAAM_MIN_ANSWERED,
            "scores": SCORES[which],
            "points": points,
            "long_date": long_date,
        },
    )
