"""`footcoach go`: a guided session in the terminal, saved item by item."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from typing import Annotated

import typer

from footcoach.cli.base import DbOpt, ProfileOpt, app, guarded, profile_name, services
from footcoach.domain.errors import InvalidInputError, Problem

MAX_SPEED = 1000


def _pick_slot(view: object, slot: str | None) -> str:
    """The slot asked for, else the first of today's sessions not done yet."""
    from footcoach.services.tracking import SessionState, TodayView

    assert isinstance(view, TodayView)
    if slot:
        return slot
    for s in view.sessions:
        if s.state is not SessionState.DONE:
            return s.session.slot.value
    raise InvalidInputError([Problem("slot", None, "a slot: every session today is done")])


@app.command()
@guarded
def go(
    slot: Annotated[
        str | None,
        typer.Argument(help="before_first_step, daytime or evening (default: the next to do)."),
    ] = None,
    voice: Annotated[
        bool | None,
        typer.Option(
            "--voice/--no-voice", help="Speak the cues with espeak-ng (default: your setting)."
        ),
    ] = None,
    pain_during: Annotated[
        int | None,
        typer.Option(
            "--pain-during", help="Pain during the session, 0-10 (default: asked at the end)."
        ),
    ] = None,
    effort: Annotated[
        int | None,
        typer.Option("--effort", help="How hard it felt, 0-10 (default: asked at the end)."),
    ] = None,
    speed: Annotated[
        float | None,
        typer.Option(
            "--speed",
            help="Run the timers this many times faster (default: FOOTCOACH_SPEED or 1).",
        ),
    ] = None,
    profile: ProfileOpt = None,
    db: DbOpt = None,
) -> None:
    """Run a session item by item with timers; space pauses, s skips, q quits."""
    from footcoach.adapters.speech import NullSpeaker, make_speaker
    from footcoach.cli import render
    from footcoach.cli.guided import run_session
    from footcoach.cli.intake_prompt import IntakeQuestions
    from footcoach.domain.guide import script
    from footcoach.services.tracking import check_pain

    for field, value in (("pain_during", pain_during), ("effort", effort)):
        if value is not None:
            check_pain(field, value)
    if speed is not None and not 1 <= speed <= MAX_SPEED:
        raise InvalidInputError([Problem("speed", speed, f"a number from 1 to {MAX_SPEED}")])
    svc = services(db)
    name = profile_name(profile)
    tracking = svc.tracking
    view = tracking.today(name)
    opened = tracking.start_session(name, _pick_slot(view, slot))
    remaining = opened.remaining()
    out = render.console()
    if opened.done:
        out.print(f"Carrying on: {len(opened.done)} item(s) already done in this session.")
    catalog = svc.library.catalog
    pairs = [(item, catalog.get(item.exercise)) for _, item in remaining]
    positions = [position for position, _ in remaining]

    def save(record: object) -> None:
        from footcoach.domain.diary import ItemRecord

        assert isinstance(record, ItemRecord)
        tracking.record_item(opened.id, replace(record, position=positions[record.position]))

    wants_voice = tracking.profile(name).preferences.voice if voice is None else voice
    speed = speed or svc.settings.speed
    speaker = make_speaker() if wants_voice else NullSpeaker()
    start = time.monotonic()

    def clock() -> float:
        return start + (time.monotonic() - start) * speed

    def sleep(seconds: float) -> None:
        time.sleep(seconds / speed)

    try:
        result = run_session(
            script(pairs), pairs, out, clock=clock, sleep=sleep, speaker=speaker, on_item_done=save
        )
    finally:
        speaker.close()
    if not result.completed:
        out.print("Stopped. What you did is saved; run footcoach go again to carry on.")
        raise typer.Exit(0)
    if sys.stdin.isatty():
        ask = IntakeQuestions(out)
        if pain_during is None:
            pain_during = ask.number("Pain during the session, 0 (none) to 10 (worst)", 2, 0, 10)
        if effort is None:
            effort = ask.number("How hard did it feel, 0 (easy) to 10 (flat out)", 4, 0, 10)
    tracking.finish_session(opened.id, True, pain_during, effort)
    program = tracking.snapshot(name).program
    out.print("Session saved. Well done.")
    if program.adjustment is not None:
        out.print(render.monitor_line(program.adjustment))
