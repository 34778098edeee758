"""`footcoach score ffi|faam`: score a questionnaire's answers (clinical.md R6)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from footcoach.cli.base import JsonFlag, app, emit_json, guarded, read_json

if TYPE_CHECKING:
    from footcoach.domain.scoring import Scores

score_app = typer.Typer(
    name="score",
    help="Score questionnaire answers: the Foot Function Index (ffi) or the Foot and Ankle "
    "Ability Measure (faam).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(score_app, name="score")

FfiAnswers = Annotated[
    str,
    typer.Option(
        "--answers",
        help='A footcoach.ffi-answers/1 JSON file ({"items": [23 answers, 0-10 or null]}), '
        "or - for stdin.",
    ),
]
FaamAnswers = Annotated[
    str,
    typer.Option(
        "--answers",
        help='A footcoach.faam-answers/1 JSON file ({"adl": [21 answers], "sports": [8 answers]},'
        " each 0-4 or null), or - for stdin.",
    ),
]


@score_app.command("ffi")
@guarded
def ffi(answers: FfiAnswers, as_json: JsonFlag = False) -> None:
    """Score the Foot Function Index: pain, disability, activity limitation, total (0 = best)."""
    from footcoach.domain.scoring import score_ffi
    from footcoach.schemas.scores import parse_ffi_answers

    scores = score_ffi(parse_ffi_answers(read_json("answers", answers)))
    _show(scores, as_json)


@score_app.command("faam")
@guarded
def faam(answers: FaamAnswers, as_json: JsonFlag = False) -> None:
    """Score the Foot and Ankle Ability Measure: ADL and Sports (100 = best)."""
    from footcoach.domain.scoring import score_faam
    from footcoach.schemas.scores import parse_faam_answers

    adl, sports = parse_faam_answers(read_json("answers", answers))
    _show(score_faam(adl, sports), as_json)


def _show(scores: Scores, as_json: bool) -> None:
    if as_json:
        from footcoach.schemas.scores import score_document

        emit_json(score_document(scores))
        return
    _table(scores)


_NAMES = {
    "pain": "Pain",
    "disability": "Disability",
    "activity_limitation": "Activity limitation",
    "total": "Total",
    "adl": "Daily living (ADL)",
    "sports": "Sports",
}


def _table(scores: Scores) -> None:
    from rich.console import Console
    from rich.table import Table

    from footcoach.domain.diary import Instrument
    from footcoach.domain.questionnaires import Subscale, questionnaire
    from footcoach.domain.scoring import mid_for

    q = questionnaire(scores.instrument)
    ffi = scores.instrument is Instrument.FFI
    direction = "0 = best, 100 = worst" if ffi else "0 = worst, 100 = best"
    table = Table(title=f"{q.name}: {direction}", title_justify="left")
    table.add_column("score")
    table.add_column("value", justify="right")
    table.add_column("items counted")
    table.add_column("change that matters")

    def mid_text(subscale: Subscale) -> str:
        mid = mid_for(scores.instrument, subscale)
        if mid is None:
            return "none published"
        return f"{mid:g} points"

    for s in scores.subscales:
        value = "not scored" if s.score is None else f"{s.score:.1f}"
        counted = f"{s.counted} of {s.items}"  # a column headed "items counted"
        if s.score is None and not ffi:
            counted += f", needs {s.needed}"
        table.add_row(_NAMES[s.subscale.value], value, counted, mid_text(s.subscale))
    notes = []
    if ffi:
        counted_all = sum(s.counted for s in scores.subscales)
        items = sum(s.items for s in scores.subscales)
        total = "not scored" if scores.total is None else f"{scores.total:.1f}"
        table.add_row(_NAMES["total"], total, f"{counted_all} of {items}", mid_text(Subscale.TOTAL))
        if scores.total is None:
            notes.append("The total needs a score in all three subscales.")
        notes.append("Items counted: those that apply to you.")
        notes.append(
            "Change that matters: the smallest change people notice (Landorf & Radford 2008)."
        )
    else:
        notes.append(
            "Items counted: those answered (not N/A or blank); a subscale needs 90% of them."
        )
        notes.append("Change that matters: the smallest change people notice (Martin et al. 2005).")
    notes.append("Rules and sources: docs/cli-scores.md.")
    out = Console(highlight=False, soft_wrap=False)
    out.print(table)
    out.print("\n".join(notes))
