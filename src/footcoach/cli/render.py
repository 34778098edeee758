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
from footcoach.domain.wording import dose_text
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
    out.print(Panel(Group(*parts), title=f"{escape(ex.name)} [{ex.id}]", title_align="left"))


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
        out.print(Panel(Group(*lines), title=f"{escape(c.topic)} [{c.id}]", title_align="left"))
