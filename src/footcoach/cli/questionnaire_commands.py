"""`footcoach questionnaire`: take the FFI or the FAAM, stored raw and scored."""

from __future__ import annotations

from typing import Annotated

import typer

from footcoach.cli.base import (
    DbOpt,
    JsonFlag,
    ProfileOpt,
    app,
    emit_json,
    guarded,
    parse_date,
    profile_name,
    read_json,
    services,
)
from footcoach.domain.diary import Instrument, QuestionnaireResponse
from footcoach.domain.errors import InvalidInputError
from footcoach.domain.validation import choice_problem


@app.command()
@guarded
def questionnaire(
    instrument: Annotated[str, typer.Argument(help="ffi or faam")],
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            help="An answers file (as for footcoach score), or - for stdin; omit to be asked.",
        ),
    ] = None,
    day: Annotated[
        str | None, typer.Option("--date", help="When it was taken (default: today).")
    ] = None,
    as_json: JsonFlag = False,
    profile: ProfileOpt = None,
    db: DbOpt = None,
) -> None:
    """Answer the FFI or the FAAM; the raw answers are stored and the scores shown."""
    try:
        which = Instrument(instrument)
    except ValueError:
        raise InvalidInputError([choice_problem("instrument", instrument, Instrument)]) from None
    from footcoach.cli import render
    from footcoach.schemas.scores import parse_faam_answers, parse_ffi_answers, score_document

    svc = services(db)
    taken_on = parse_date("date", day) if day else svc.clock.today()
    if answers is None:
        from footcoach.cli.questionnaire_prompt import ask

        response = ask(which, render.console()).response(taken_on)
    elif which is Instrument.FFI:
        response = QuestionnaireResponse(
            which, taken_on, parse_ffi_answers(read_json("answers", answers))
        )
    else:
        adl, sports = parse_faam_answers(read_json("answers", answers))
        response = QuestionnaireResponse(which, taken_on, adl, sports)
    scores = svc.tracking.record_questionnaire(profile_name(profile), response)
    document = score_document(scores)
    if as_json:
        emit_json(document)
        return
    from footcoach.domain.wording import day_text

    shown = ", ".join(
        f"{k.replace('_', ' ')} {'not scored' if v is None else v}"
        for k, v in document.items()
        if k not in ("schema", "instrument")
    )
    render.console().print(f"Saved the {which.value.upper()} of {day_text(taken_on)}: {shown}")
