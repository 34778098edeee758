"""Today in the terminal: the check-in, sessions by slot with their state, the monitor."""

from __future__ import annotations

from rich.table import Table

from footcoach.cli.render import SLOT_WORDS, console, monitor_line
from footcoach.domain.program import Item
from footcoach.domain.wording import day_text, seconds_text
from footcoach.services.tracking import SessionState, TodayView

STATE_WORDS = {
    SessionState.DONE: "[green]done[/green]",
    SessionState.IN_PROGRESS: "[yellow]started[/yellow]",
    SessionState.PENDING: "to do",
}


def item_line(item: Item) -> str:
    amount = seconds_text(item.duration_s) if item.duration_s else f"{item.sets} x {item.reps}"
    if item.hold_s:
        amount += f", hold {seconds_text(item.hold_s)}"
    if item.per_side:
        amount += ", each side" + (f" ({item.first_side} first)" if item.first_side else "")
    return f"{item.exercise}: {amount}"


def today(view: TodayView) -> None:
    out = console()
    out.print(f"[bold]{day_text(view.day)}[/bold]  profile {view.profile}")
    if view.referral is not None:
        out.print("[bold red]See a clinician first.[/bold red] No sessions are offered while:")
        for reason in view.referral.reasons:
            out.print(f"- {reason.explanation}")
        out.print(view.referral.advice)
        return
    if view.starts_on is not None:
        out.print(f"Your program starts on {day_text(view.starts_on)}.")
        return
    if view.ended_on is not None:
        out.print(
            f"Your program ended on {day_text(view.ended_on)}. Take the questionnaires "
            "(footcoach questionnaire ffi, faam) and plan again with footcoach init --replace."
        )
        return
    out.print(f"Week {view.week}, {view.phase} phase")
    if view.checkin is None:
        out.print("[bold]Morning check-in due:[/bold] footcoach checkin --first-step-pain N")
    else:
        out.print(f"First-step pain this morning: {view.checkin.first_step_pain}/10")
    table = Table(show_header=True)
    for column in ("when", "minutes", "state", "items"):
        table.add_column(column)
    for s in view.sessions:
        table.add_row(
            SLOT_WORDS.get(s.session.slot.value, s.session.slot.value),
            str(s.session.minutes),
            STATE_WORDS[s.state],
            "\n".join(item_line(i) for i in s.session.items),
        )
    out.print(table)
    if view.adjustment is not None:
        out.print(monitor_line(view.adjustment))
    if view.clinician_prompt is not None:
        for reason in view.clinician_prompt.reasons:
            out.print(f"[yellow]Worth seeing a clinician: {reason}[/yellow]")
    if view.questionnaires_due:
        names = ", ".join(q.value.upper() for q in view.questionnaires_due)
        out.print(f"Questionnaires due: {names} (footcoach questionnaire NAME)")
    out.print("Start a session: footcoach go SLOT (before_first_step, daytime, evening)")
