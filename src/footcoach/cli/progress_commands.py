"""`footcoach progress`: adherence, streak, first-step pain trend, FFI and FAAM over time."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    services,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from footcoach.domain.diary import Instrument
    from footcoach.domain.progress import Outcome, Progress
    from footcoach.domain.questionnaires import Subscale
    from footcoach.domain.scoring import Change

DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date", help="Show progress as it stood on this day, YYYY-MM-DD (default: today)."
    ),
]
PngOpt = Annotated[
    str | None,
    typer.Option(
        "--png",
        help="Also draw the charts (pain trend, FFI, FAAM) into this PNG file (needs matplotlib).",
    ),
]

SPARK_BARS = "▁▂▃▄▅▆▇█"
"""Sparkline heights on a fixed 0-10 scale: ▁ is 0, █ is 10, so weeks compare at a glance."""
SPARK_WEEKS = 8
TABLE_ROWS = 8
"""At most this many questionnaires per table: the first and the latest (--json has them all)."""
BETTER_MARK = "✓"
WORSE_MARK = "✗"


@app.command()
@guarded
def progress(
    as_json: JsonFlag = False,
    png: PngOpt = None,
    day: DateOpt = None,
    profile: ProfileOpt = None,
    db: DbOpt = None,
) -> None:
    """Adherence and streak, first-step pain against its baseline, FFI and FAAM over time."""
    from footcoach.services.progress import progress_for

    when = parse_date("date", day) if day else None
    result = progress_for(services(db).tracking, profile_name(profile), when)
    if png:
        _chart(result, png)
    if as_json:
        from footcoach.services.progress import progress_document

        emit_json(progress_document(result))
        return
    _summary(result)


def _chart(result: Progress, png: str) -> None:
    from footcoach.adapters.charts import progress_chart
    from footcoach.domain.errors import InvalidInputError, Problem

    target = Path(png)
    try:
        progress_chart(result, target)
    except OSError as exc:
        raise InvalidInputError(
            [Problem("png", png, f"a file footcoach can write ({exc.strerror or exc})")]
        ) from None
    sys.stderr.write(f"footcoach: wrote {target}\n")


# The terminal summary ---------------------------------------------------------------------


def sparkline(values: Sequence[float | None]) -> str:
    """One bar per value on the 0-10 scale; a blank where there is none."""
    top = len(SPARK_BARS) - 1
    return "".join(
        " " if v is None else SPARK_BARS[max(0, min(top, round(v / 10 * top)))] for v in values
    )


def _summary(result: Progress) -> None:
    from rich.console import Console

    from footcoach.domain.diary import Instrument
    from footcoach.domain.questionnaires import Subscale

    out = Console(highlight=False, soft_wrap=False)
    _heading(out, result)
    _pain(out, result)
    ffi = (Subscale.PAIN, Subscale.DISABILITY, Subscale.ACTIVITY_LIMITATION, Subscale.TOTAL)
    _outcomes(out, "Foot Function Index (0 = best, 100 = worst)", result.ffi, ffi, Instrument.FFI)
    _outcomes(
        out,
        "Foot and Ankle Ability Measure (0 = worst, 100 = best)",
        result.faam,
        (Subscale.ADL, Subscale.SPORTS),
        Instrument.FAAM,
    )
    _monitor(out, result)


def _heading(out: Console, result: Progress) -> None:
    from rich.markup import escape

    from footcoach.domain.wording import count_of_text, count_text, day_text

    out.print(f"[bold]Progress[/bold] of {escape(result.profile)} on {day_text(result.day)}")
    if result.start is not None and result.day < result.start:
        out.print(f"The program starts on {day_text(result.start)}.")
    elif result.week is not None:
        ended = (
            f", ended {day_text(result.end)}"
            if result.end is not None and result.day > result.end
            else ""
        )
        out.print(f"Week {result.week} of {result.weeks}{ended}: {result.phase} phase")
    a = result.adherence
    # rounded down, so 100% means every planned session was done
    share = "nothing planned yet" if a.share is None else f"{a.done * 100 // a.planned}%"
    out.print(
        f"Sessions done: {count_of_text(a.done, a.planned, 'session')} ({share}) · "
        f"streak {count_text(result.streak_days, 'day')}"
    )


def _pain(out: Console, result: Progress) -> None:
    from footcoach.domain.progress import Verdict
    from footcoach.domain.progress import verdict as verdict_of
    from footcoach.domain.wording import day_text

    pain = result.first_step_pain
    first = result.day - timedelta(days=7 * SPARK_WEEKS - 1)
    daily: dict[date, float] = {}
    means: dict[date, float] = {}
    for d in reversed(pain.days):  # newest first: stop at the window's start
        if d.day < first:
            break
        daily[d.day] = d.value
        means[d.day] = d.mean_7d
    span = [first + timedelta(days=i) for i in range(7 * SPARK_WEEKS)]
    out.print()
    out.print(
        f"[bold]First-step pain[/bold] {day_text(first)} to {day_text(result.day)} "
        "(▁ 0 to █ 10; blank: no check-in)"
    )
    out.print(f"  each morning  {sparkline([daily.get(d) for d in span])}")
    out.print(f"  7-day mean    {sparkline([means.get(d) for d in span])}")
    if pain.change is None or pain.latest_mean_7d is None:
        out.print(f"  Baseline {pain.baseline}/10; no check-ins yet (footcoach checkin).")
        return
    verdict = {
        Verdict.IMPROVED: "[green]improved[/green]",
        Verdict.WORSE: "[red]worse[/red]",
    }.get(verdict_of(pain.change), "no meaningful change")
    out.print(
        f"  Baseline {pain.baseline}/10, 7-day mean now {pain.latest_mean_7d:.1f}/10: "
        f"{pain.change.difference:+.1f}, {verdict} (a change that matters: "
        f"{pain.change.mid:g} points)"
    )


def _mark(c: Change) -> str:
    if not c.meets_mid:
        return ""
    return BETTER_MARK if c.improvement else WORSE_MARK


_HEADERS = {"activity_limitation": "activity", "adl": "daily life"}


def _outcomes(
    out: Console,
    title: str,
    entries: Sequence[Outcome],
    subscales: Sequence[Subscale],
    instrument: Instrument,
) -> None:
    from rich import box
    from rich.table import Table

    from footcoach.domain.wording import day_text

    out.print()
    if not entries:
        hint = f"footcoach questionnaire {instrument.value}"
        out.print(f"[bold]{title}[/bold]: none taken yet ({hint}).")
        return
    out.print(f"[bold]{title}[/bold]")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("date", no_wrap=True)
    for s in subscales:
        table.add_column(_HEADERS.get(s.value, s.value), justify="right", no_wrap=True)
    hidden = len(entries) - TABLE_ROWS
    shown = [entries[0], None, *entries[-(TABLE_ROWS - 1) :]] if hidden > 0 else entries
    for e in shown:
        if e is None:
            table.add_row(f"({hidden} more)", *[""] * len(subscales))
            continue
        cells = [f"{e.taken_on.day} {e.taken_on:%b %Y}"]
        for s in subscales:
            value = e.scores.value(s)
            text = "not scored" if value is None else f"{value:.1f}"
            c = e.change_from_first.get(s)
            if c is not None:
                text += f" ({c.difference:+.1f}{_mark(c)})"
            cells.append(text)
        table.add_row(*cells)
    out.print(table)
    out.print(
        f"  (change from the first) {BETTER_MARK} better, {WORSE_MARK} worse, "
        "by at least the change that matters"
    )
    if len(entries) > 1 and entries[-1].change_from_previous:
        moved = ", ".join(
            f"{_HEADERS.get(s.value, s.value)} {c.difference:+.1f}{_mark(c)}"
            for s, c in entries[-1].change_from_previous.items()
        )
        out.print(f"  Since {day_text(entries[-2].taken_on)}: {moved}")


def _monitor(out: Console, result: Progress) -> None:
    from rich.markup import escape

    from footcoach.domain.wording import adjustment_text

    out.print()
    if result.adjustment is None:
        out.print("Pain monitor: no adjustment yet (it reads your check-ins and sessions).")
    else:
        out.print(
            f"Pain monitor: [bold]{adjustment_text(result.adjustment.action.value).lower()}"
            "[/bold]. "
            f"{escape(result.adjustment.reason)}"
        )
    if result.clinician_prompt is not None:
        for reason in result.clinician_prompt.reasons:
            out.print(f"[yellow]Worth seeing a clinician: {escape(reason)}[/yellow]")
