"""Administer the FFI or the FAAM in the terminal, one item at a time.

`ask(instrument, console)` shows each section's question and answer scale, then each item with a
progress line ("item 4 of 23"), and reads one answer per item: a number on the scale, "n" for not
applicable, "b" to go back one item, "q" to stop. A bad answer is explained and asked again, so
what comes back always scores. Nothing is stored here: the caller turns the answers into a
QuestionnaireResponse (see Answers.response) and keeps it.

Tests pass their own Console (recording) and `read` (a scripted input function).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rich.console import Console
from rich.markup import escape

from footcoach.domain.diary import Instrument, QuestionnaireResponse
from footcoach.domain.errors import FootcoachError
from footcoach.domain.questionnaires import AnswerScale, Questionnaire, Section, questionnaire

Reader = Callable[[str], str]
"""Shows a prompt and returns the line typed (like input or Console.input)."""

NOT_APPLICABLE = frozenset({"n", "na", "n/a"})
BACK = frozenset({"b", "back"})
QUIT = frozenset({"q", "quit"})


@dataclass(frozen=True, slots=True)
class Answers:
    """What `ask` collected, shaped like a QuestionnaireResponse (None = not applicable)."""

    instrument: Instrument
    answers: tuple[int | None, ...]
    """FFI: all 23 items. FAAM: the 21 ADL items."""
    sports: tuple[int | None, ...] = ()
    """FAAM only: the 8 Sports items."""

    def response(self, taken_on: date) -> QuestionnaireResponse:
        return QuestionnaireResponse(self.instrument, taken_on, self.answers, self.sports)


class QuestionnaireStopped(FootcoachError):
    """The person stopped (q, or end of input) before the last item; nothing was kept."""

    def __init__(self, position: int, count: int) -> None:
        self.position = position
        self.count = count
        super().__init__(
            f"questionnaire stopped at item {position} of {count}; no answers were kept"
        )


def scale_text(scale: AnswerScale) -> str:
    """The answer scale in one line, anchors in the order they are worth reading."""
    values = sorted((v for v, _ in scale.labels), reverse=scale.higher_is_better)
    anchors = ", ".join(f"{v} = {scale.label(v)}" for v in values)
    return f"{anchors}; n = {scale.not_applicable}"


def parse_answer(text: str, scale: AnswerScale) -> int | None:
    """An answer typed for one item: a whole number on the scale, or None for not applicable.

    Raises ValueError with a message to show when the text is neither.
    """
    cleaned = text.strip().lower()
    if cleaned in NOT_APPLICABLE:
        return None
    if cleaned.isdigit():
        value = int(cleaned)
        if scale.low <= value <= scale.high:
            return value
    shown = repr(text.strip()) if text.strip() else "nothing"
    raise ValueError(
        f"got {shown}: type a whole number from {scale.low} to {scale.high}, "
        "or n if it does not apply (b = back, q = stop)"
    )


def ask(instrument: Instrument, console: Console, read: Reader | None = None) -> Answers:
    """Ask every item of one questionnaire in order and return the answers.

    read defaults to console.input. Raises QuestionnaireStopped on "q" or end of input.
    """
    reader: Reader = console.input if read is None else read
    q = questionnaire(instrument)
    where = [(section, item) for section in q.sections for item in section.items]
    count = len(where)
    answers: list[int | None] = [None] * count
    answered = [False] * count
    console.print(f"[bold]{escape(q.name)}[/bold]: {count} items about {q.period}.")
    shown: Section | None = None
    i = 0
    while i < count:
        section, item = where[i]
        if section is not shown:
            _section_header(console, section)
            shown = section
        was = ""
        if answered[i]:
            was = f" (was {'n' if answers[i] is None else answers[i]})"
        console.print(f"[dim]item {i + 1} of {count}[/dim]  [bold]{escape(item.label)}[/bold]{was}")
        scale = section.scale
        try:
            text = reader(f"{scale.low}-{scale.high}, n, b or q: ")
        except EOFError:
            raise QuestionnaireStopped(i + 1, count) from None
        command = text.strip().lower()
        if command in QUIT:
            raise QuestionnaireStopped(i + 1, count)
        if command in BACK:
            if i == 0:
                console.print("[yellow]This is the first item.[/yellow]")
            else:
                i -= 1
            continue
        try:
            answers[i] = parse_answer(text, scale)
        except ValueError as exc:
            console.print(f"[red]{escape(str(exc))}[/red]")
            continue
        answered[i] = True
        i += 1
    return _split(q, tuple(answers))


def _section_header(console: Console, section: Section) -> None:
    console.print()
    console.print(f"[bold]{escape(section.question)}[/bold]")
    console.print(escape(scale_text(section.scale)))


def _split(q: Questionnaire, answers: tuple[int | None, ...]) -> Answers:
    if q.instrument is Instrument.FFI:
        return Answers(q.instrument, answers)
    first = len(q.sections[0].items)
    return Answers(q.instrument, answers[:first], answers[first:])
