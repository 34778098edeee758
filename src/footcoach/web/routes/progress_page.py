"""The progress page: first-step pain, sessions done day by day, FFI and FAAM over time.

Charts are SVG drawn on the server (web.svg), each with a one-sentence summary and a table, so
the page needs no JavaScript and nothing is shown only as a picture.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from footcoach.domain.diary import Instrument
from footcoach.domain.scoring import FIRST_STEP_PAIN_MID, MIDS
from footcoach.services.diary_view import NAMES, SCORES, SUBSCALE_WORDS
from footcoach.services.progress_view import long_date, points, progress_view
from footcoach.web.deps import ProfileDep, ServicesDep, TemplatesDep
from footcoach.web.svg import pain_chart, scores_chart

router = APIRouter(include_in_schema=False)

SHORT_NAMES = {i: short for i, (short, _) in NAMES.items()}
FULL_NAMES = {i: full for i, (_, full) in NAMES.items()}


@router.get("/progress", response_class=HTMLResponse)
def progress_page(
    request: Request, services: ServicesDep, profile: ProfileDep, templates: TemplatesDep
) -> Response:
    view = progress_view(services.tracking, profile)
    result = view.progress
    shown = None
    if result.start is not None and result.start <= result.day:
        shown = (result.start, min(result.day, result.end or result.day))
    charts = {
        "pain": pain_chart(result.first_step_pain, chart_id="pain-chart", x_domain=shown),
        Instrument.FFI: scores_chart(Instrument.FFI, result.ffi, chart_id="ffi-chart"),
        Instrument.FAAM: scores_chart(Instrument.FAAM, result.faam, chart_id="faam-chart"),
    }
    return templates.TemplateResponse(
        request,
        "progress.html",
        {
            "nav": "progress",
            "view": view,
            "p": result,
            "charts": charts,
            "instruments": (Instrument.FFI, Instrument.FAAM),
            "short_names": SHORT_NAMES,
            "full_names": FULL_NAMES,
            "scores": SCORES,
            "subscale_words": SUBSCALE_WORDS,
            "mids": MIDS,
            "pain_mid": FIRST_STEP_PAIN_MID,
            "points": points,
            "long_date": long_date,
        },
    )
