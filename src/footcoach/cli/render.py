"""Rich tables and panels for the terminal; presentation only."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from footcoach.domain.catalog import Exercise, Relevance, Stance
from footcoach.domain.evidence import Conflict, Source, Sources
from footcoach.domain.program import Adjustment, Item, Program, Status
from footcoach.domain.protocol import Protocol, ProtocolItem
from footcoach.domain.wording import adjustment_text, day_text, dose_text, seconds_text
from footcoach.services.catalog import ExerciseCard

_STANCE = {
    Stance.RECOMMENDS: "recommends",
    Stance.ADVISES_AGAINST: "advises against",
    Stance.MENTIONS: "mentions",
    Stance.FOOTCOACH_DEFAULT: "footcoach default",
}


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _yes(flag: bool) -> str:
    return "yes" if flag else "-"


def _flags(ex: Exercise) -> str:
    flags = ["in bed" if ex.in_bed else "", "weight-bearing" if ex.weight_bearing else ""]
    if ex.advised_against_by():
        flags.append("contested")
    if ex.foot_relevance is Relevance.NONE:
        flags.append("not for the foot")
    return ", ".join(f for f in flags if f)


def exercise_table(exercises: Sequence[Exercise]) -> None:
    out = console()
    wide = out.width >= 120
    table = Table(title=f"footcoach exercises ({len(exercises)})", title_justify="left")
    table.add_column("id", no_wrap=True)
    if wide:
        table.add_column("name")
    for column in ("category", "position", "equipment", "notes"):
        table.add_column(column)
    for ex in exercises:
        name = [escape(ex.name)] if wide else []
        table.add_row(
            ex.id,
            *name,
            ex.category.value,
            ex.position.value,
            ", ".join(e.value for e in ex.equipment.required),
            _flags(ex),
        )
    out.print(table)
    out.print("Show one with: footcoach exercise ID. Contested: a source advises against it.")


def _numbered(lines: Sequence[str]) -> Text:
    return Text("\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1)))


def _bullets(lines: Sequence[str]) -> Text:
    return Text("\n".join(f"- {line}" for line in lines))


def exercise_card(card: ExerciseCard) -> None:
    ex = card.exercise
    out = console()
    facts = (
        f"{ex.category.value} | {ex.position.value} | "
        f"{'weight-bearing' if ex.weight_bearing else 'non-weight-bearing'}"
        f"{' | can be done in bed' if ex.in_bed else ''} | "
        f"foot relevance: {ex.foot_relevance.value}"
    )
    parts: list[Text | Table] = [Text(facts, style="dim")]
    if ex.aliases:
        parts.append(Text("Also called: " + ", ".join(ex.aliases)))
    equipment = ", ".join(e.value for e in ex.equipment.required)
    for item, alts in ex.equipment.substitutes.items():
        equipment += f" (or instead of {item.value}: {', '.join(alts)})"
    parts.append(Text("Equipment: " + equipment))
    parts.append(Text("Targets: " + ", ".join(t.value.replace("_", " ") for t in ex.targets)))
    parts.append(Text("Dose: " + dose_text(ex.dose, ex.sides), style="bold"))
    if ex.relevance_note:
        parts.append(Text("Note: " + ex.relevance_note, style="yellow"))
    parts += [Text("\nSteps", style="bold"), _numbered(ex.steps)]
    if ex.cues:
        parts += [Text("\nCues", style="bold"), _bullets(ex.cues)]
    parts += [Text("\nWhy", style="bold"), Text(ex.why)]
    if ex.cautions:
        parts += [Text("\nCautions", style="bold red"), _bullets(ex.cautions)]
    parts += [Text("\nSources", style="bold"), _claims_table(card)]
    variants = [
        ("Harder", ex.progressions),
        ("Easier", ex.regressions),
        ("Instead, without the equipment", ex.substitute_exercises),
    ]
    for label, ids in variants:
        if ids:
            parts.append(Text(f"{label}: {', '.join(ids)}"))
    if card.conflicts:
        parts.append(Text("\nWhere sources disagree", style="bold"))
        parts.append(
            _bullets([f"{c.topic} -> {c.resolution} (footcoach conflicts)" for c in card.conflicts])
        )
    out.print(Panel(Group(*parts), title=escape(f"{ex.name} [{ex.id}]"), title_align="left"))


def _claims_table(card: ExerciseCard) -> Table:
    by_id = {s.id: s for s in card.sources}
    table = Table(show_header=True, box=None, pad_edge=False)
    for column in ("source", "strength", "position", "says"):
        table.add_column(column, overflow="fold")
    for claim in card.exercise.sources:
        src = by_id[claim.source]
        position = _STANCE[claim.stance]
        if claim.for_whom:
            position += f" ({claim.for_whom})"
        says = claim.says + (f" Dose: {claim.dose}." if claim.dose else "")
        table.add_row(src.id, src.strength.label, position, says)
    return table


def source_table(sources: Sequence[Source]) -> None:
    table = Table(title="Sources, strongest evidence first", title_justify="left")
    table.add_column("id", no_wrap=True)
    for column in ("kind", "strength", "checked", "title"):
        table.add_column(column, overflow="fold")
    for src in sorted(sources, key=lambda s: (-s.strength, s.id)):
        table.add_row(src.id, src.kind.value, src.strength.label, src.confidence or "-", src.title)
    out = console()
    out.print(table)
    out.print(
        "checked: V verified against the source, S seen in a summary only, U unverified. "
        "Seed articles are opinion, not evidence."
    )


def conflict_list(conflicts: Sequence[Conflict], sources: Sources) -> None:
    out = console()
    for c in conflicts:
        lines: list[Text] = [Text("Exercises: " + ", ".join(c.exercises), style="dim")]
        for p in c.positions:
            strength = sources.get(p.source).strength.label
            lines.append(Text(f"- {p.source} ({strength}): {p.position}"))
        lines.append(Text("footcoach: " + c.resolution, style="bold"))
        lines.append(Text("Why: " + c.reason))
        out.print(Panel(Group(*lines), title=escape(f"{c.topic} [{c.id}]"), title_align="left"))


def protocol_table(protocols: Sequence[Protocol]) -> None:
    table = Table(title="Protocols", title_justify="left")
    table.add_column("id", no_wrap=True)
    for column in ("name", "weeks", "phases", "evidence"):
        table.add_column(column)
    for p in protocols:
        table.add_row(
            p.id,
            escape(p.name),
            str(p.default_weeks),
            ", ".join(ph.id for ph in p.phases),
            escape(p.evidence),
        )
    out = console()
    out.print(table)
    out.print("Show one with: footcoach protocol ID. The default is footcoach.")


def _item_dose(item: ProtocolItem) -> str:
    parts = []
    if item.sets or item.reps:
        parts.append(f"{item.sets or '-'} x {item.reps or '-'}")
    if item.hold_s:
        parts.append(f"hold {seconds_text(item.hold_s)}")
    if item.duration_s:
        parts.append(seconds_text(item.duration_s))
    if item.tempo:
        parts.append(f"tempo {item.tempo.up_s}-{item.tempo.hold_s}-{item.tempo.down_s}")
    for step in item.dose_steps:
        parts.append(
            f"from week {step.from_week}: {step.sets} x {step.reps}"
            + (f", {step.load}" if step.load else "")
        )
    return "; ".join(parts) or "the exercise's default"


def protocol_detail(protocol: Protocol) -> None:
    out = console()
    head = [
        Text(protocol.summary),
        Text(f"Evidence: {protocol.evidence}", style="bold"),
        Text("Sources: " + ", ".join(protocol.sources), style="dim"),
        Text(
            f"{protocol.default_weeks} weeks; reassess every {protocol.reassess_every_weeks} weeks"
            + ("; non-weight-bearing throughout" if protocol.non_weight_bearing else "")
        ),
    ]
    out.print(
        Panel(Group(*head), title=escape(f"{protocol.name} [{protocol.id}]"), title_align="left")
    )
    for phase in protocol.phases:
        table = Table(
            title=f"Phase {phase.id}: {phase.name} ({phase.weeks} weeks)",
            title_justify="left",
            caption=f"Enter: {phase.entry}  Leave: {phase.exit}",
            caption_justify="left",
        )
        table.add_column("slot", no_wrap=True)
        for column in ("exercise", "priority", "schedule", "dose"):
            table.add_column(column)
        for item in phase.items:
            table.add_row(
                item.slot.value,
                item.exercise,
                item.priority.value,
                item.schedule.value,
                _item_dose(item),
            )
        out.print(table)
    if protocol.excluded:
        out.print(Text("Left out on purpose", style="bold"))
        out.print(_bullets([f"{e.exercise}: {e.reason}" for e in protocol.excluded]))
    if protocol.notes:
        out.print(Text("Notes", style="bold"))
        out.print(_bullets(list(protocol.notes)))


def _program_item(item: Item) -> str:
    parts = [f"{item.sets} x {item.reps}" if not item.duration_s else seconds_text(item.duration_s)]
    if item.hold_s:
        parts.append(f"hold {seconds_text(item.hold_s)}")
    if item.tempo:
        parts.append(f"tempo {item.tempo.up_s}-{item.tempo.hold_s}-{item.tempo.down_s}")
    if item.per_side:
        parts.append(f"each side, {item.first_side} first" if item.first_side else "each side")
    if item.load:
        parts.append(item.load)
    return f"{item.exercise}: " + ", ".join(parts)


SLOT_WORDS = {
    "before_first_step": "In bed, before your first step",
    "daytime": "During the day",
    "evening": "In the evening",
}
"""Each session slot as a person says it."""


def monitor_line(adjustment: Adjustment) -> str:
    """The pain monitor's latest word, as one sentence: 'Pain monitor: kept the same. ...'."""
    return f"Pain monitor: {adjustment_text(adjustment.action.value).lower()}. {adjustment.reason}"


def program_summary(program: Program) -> None:
    out = console()
    if program.status is Status.REFER and program.referral is not None:
        ref = program.referral
        lines = [Text(f"Urgency: {ref.urgency.value}", style="bold")]
        lines += [Text(f"- {r.explanation}") for r in ref.reasons]
        lines.append(Text(ref.advice, style="bold"))
        out.print(Panel(Group(*lines), title="See a clinician first", border_style="red"))
        return
    if program.clinician_prompt is not None:
        prompt = program.clinician_prompt
        lines = [Text(f"- {r}") for r in prompt.reasons] + [Text(prompt.advice, style="bold")]
        out.print(Panel(Group(*lines), title="Worth seeing a clinician", border_style="yellow"))
    if program.adjustment is not None:
        out.print(Text(monitor_line(program.adjustment)))
    table = Table(title=f"Program ({program.protocol})", title_justify="left")
    for column in ("week", "phase", "from", "minutes a day", "exercises"):
        table.add_column(column)
    for week in program.weeks:
        names = dict.fromkeys(i.exercise for d in week.days for s in d.sessions for i in s.items)
        table.add_row(
            str(week.number),
            week.phase,
            f"{week.days[0].day:%a} {week.days[0].day.day} {week.days[0].day:%b %Y}",
            str(max(d.minutes for d in week.days)),
            ", ".join(names),
        )
    out.print(table)
    if program.weeks:
        first = program.weeks[0].days[0]
        out.print(Text(f"\nFirst day, {day_text(first.day)}", style="bold"))
        for session in first.sessions:
            slot = SLOT_WORDS.get(session.slot.value, session.slot.value)
            out.print(Text(f"{slot} ({session.minutes} min)", style="bold"))
            out.print(_bullets([_program_item(i) for i in session.items]))
    if program.excluded:
        out.print(Text("\nLeft out, and why", style="bold"))
        out.print(_bullets([f"{e.exercise}: {e.reason}" for e in program.excluded]))
    out.print(Text("\nNotes", style="bold"))
    out.print(_bullets(list(program.notes)))
    out.print("Use --json for every day and every item's why and sources.")
