"""The guided session in the terminal: a live screen, spoken cues, a bell and three keys.

`run_session` plays a script (footcoach.domain.guide) from start to end. All time comes from
`clock` and all waiting goes through `sleep`, so a test can run a whole session at once with a
fake clock; keys come from the terminal in cbreak mode, or from an iterable when given one (or
nothing when stdin is not a terminal).
"""

from __future__ import annotations

import math
import os
import select
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import TracebackType
from typing import Any, TextIO

from rich.align import Align
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.progress import BarColumn, Progress, TaskID, TextColumn
from rich.text import Text

from footcoach.adapters.speech import NullSpeaker, Speech, TerminalBell
from footcoach.domain.catalog import Exercise
from footcoach.domain.diary import ItemRecord
from footcoach.domain.guide import (
    Bell,
    Event,
    ItemFinished,
    Kind,
    Player,
    Snapshot,
    Speak,
    Step,
)
from footcoach.domain.program import Item
from footcoach.domain.wording import count_of_text

POLL_S = 0.1
"""The longest wait between two looks at the keys."""
KEYS_LINE = "space pause · s skip · q quit"
PAUSED_KEYS_LINE = "space resume · s skip · q quit"


class Outcome(StrEnum):
    COMPLETED = "completed"
    QUIT = "quit"
    """The person pressed q."""
    INTERRUPTED = "interrupted"
    """Ctrl-C (KeyboardInterrupt)."""


@dataclass(frozen=True, slots=True)
class GuidedResult:
    outcome: Outcome
    items: tuple[ItemRecord, ...]
    """What was recorded, in order: every finished or skipped item, and the item under way at a
    quit or Ctrl-C when any of it was begun (marked skipped)."""
    paused_s: float = 0.0

    @property
    def completed(self) -> bool:
        return self.outcome is Outcome.COMPLETED

    @property
    def interrupted(self) -> bool:
        return self.outcome is not Outcome.COMPLETED


# --- keys --------------------------------------------------------------------------------------


class ScriptedKeys:
    """Keys from an iterable, one element per look: None or '' means no key this time."""

    def __init__(self, keys: Iterable[str | None]) -> None:
        self._keys: Iterator[str | None] = iter(keys)

    def read(self) -> str:
        try:
            key = next(self._keys)
        except StopIteration:
            return ""
        return key or ""

    def __enter__(self) -> ScriptedKeys:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class TerminalKeys:
    """Keys read without blocking from a terminal in cbreak mode, restored on exit (Ctrl-C too)."""

    def __init__(self, stream: TextIO) -> None:
        self._fd = stream.fileno()
        self._saved: list[Any] | None = None

    def __enter__(self) -> TerminalKeys:
        import termios
        import tty

        self._saved = termios.tcgetattr(self._fd)
        tty.setcbreak(self._fd, termios.TCSANOW)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._saved is not None:
            import termios

            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    def read(self) -> str:
        ready, _, _ = select.select([self._fd], [], [], 0)
        if not ready:
            return ""
        return os.read(self._fd, 64).decode("utf-8", errors="ignore")


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def key_source(
    keys: Iterable[str | None] | None, stdin: TextIO | None = None
) -> ScriptedKeys | TerminalKeys:
    """The given keys; else the terminal when stdin is one; else no keys at all."""
    if keys is not None:
        return ScriptedKeys(keys)
    stream = stdin if stdin is not None else sys.stdin
    if _is_tty(stream):
        return TerminalKeys(stream)
    return ScriptedKeys(())


# --- the screen --------------------------------------------------------------------------------

_FONT = {
    "0": ("███", "█ █", "█ █", "█ █", "███"),
    "1": (" █ ", "██ ", " █ ", " █ ", "███"),
    "2": ("███", "  █", "███", "█  ", "███"),
    "3": ("███", "  █", "███", "  █", "███"),
    "4": ("█ █", "█ █", "███", "  █", "  █"),
    "5": ("███", "█  ", "███", "  █", "███"),
    "6": ("███", "█  ", "███", "█ █", "███"),
    "7": ("███", "  █", "  █", "  █", "  █"),
    "8": ("███", "█ █", "███", "█ █", "███"),
    "9": ("███", "█ █", "███", "  █", "███"),
    ":": (" ", "█", " ", "█", " "),
}


def clock_text(seconds: float) -> str:
    """Whole seconds left, rounded up: '42', '4:59', '12:00'."""
    n = max(0, math.ceil(seconds - 1e-9))
    if n < 60:
        return str(n)
    return f"{n // 60}:{n % 60:02d}"


def minutes_text(seconds: float) -> str:
    """Whole seconds, rounded down, as m:ss: '0:22', '13:04'."""
    n = max(0, math.floor(seconds + 1e-9))
    return f"{n // 60}:{n % 60:02d}"


def big_digits(text: str, block: str = "█") -> str:
    """Five rows of block digits, each cell doubled so it reads from across the room."""
    rows = []
    for r in range(5):
        glyphs = [_FONT[ch][r] for ch in text if ch in _FONT]
        rows.append("  ".join("".join(c * 2 for c in g) for g in glyphs).replace("█", block))
    return "\n".join(rows)


def counters_text(step: Step) -> str:
    """'set 2 of 3 · rep 4 of 12 · left foot'; 'next: …' on get-ready, rest and switch steps."""
    parts: list[str] = []
    if step.sets > 1:
        parts.append(f"set {step.set_no} of {step.sets}")
    if step.rep_no and step.reps > 1:
        label = "hold" if step.kind in (Kind.HOLD, Kind.RELAX) else "rep"
        parts.append(f"{label} {step.rep_no} of {step.reps}")
    if step.side is not None:
        parts.append(f"{step.side} foot")
    text = " · ".join(parts)
    if text and step.kind in (Kind.GET_READY, Kind.REST, Kind.SWITCH_SIDE):
        return f"next: {text}"
    return text


class Screen:
    """Builds the live frame: exercise, cue, step, big countdown, counters, progress, keys."""

    def __init__(
        self,
        console: Console,
        items: Sequence[tuple[Item, Exercise]],
        clock: Callable[[], float],
    ) -> None:
        self.console = console
        self.items = items
        self.progress = Progress(
            TextColumn("{task.description:<9}"),
            BarColumn(bar_width=None),
            TextColumn("{task.fields[label]}"),
            console=console,
            get_time=clock,
            auto_refresh=False,
            expand=True,
        )
        self._item_task: TaskID = self.progress.add_task("exercise", total=1, label="")
        self._session_task: TaskID = self.progress.add_task("session", total=1, label="")
        encoding = (console.encoding or "").lower()
        self._block = "█" if encoding.startswith("utf") else "#"

    def render(self, snap: Snapshot, closing: str = "", stopped: bool = False) -> RenderableType:
        self.progress.update(
            self._session_task,
            completed=snap.session_done_s,
            total=max(snap.session_total_s, 1),
            label=f"{minutes_text(snap.session_done_s)} / {minutes_text(snap.session_total_s)}",
        )
        if snap.finished or snap.step is None:
            self.progress.update(self._item_task, visible=False)
            colour = "yellow" if stopped else "green"
            return Panel(
                Group(Text(closing or "Session complete.", style=f"bold {colour}"), self.progress),
                title="footcoach",
                border_style=colour,
            )
        step = snap.step
        self.progress.update(
            self._item_task,
            visible=True,
            completed=snap.item_done_s,
            total=max(snap.item_total_s, 1),
            label=f"{minutes_text(snap.item_done_s)} / {minutes_text(snap.item_total_s)}",
        )
        left = clock_text(snap.seconds_left)
        if self.console.width >= 40:
            countdown: RenderableType = Align.center(
                Text(big_digits(left, self._block), style="bold")
            )
        else:
            countdown = Text(left, style="bold")
        status = Text("Paused", style="bold yellow") if snap.paused else Text(step.text)
        if not snap.paused:
            status.stylize("bold cyan" if step.is_work else "bold magenta")
        body = Group(
            Text(step.name, style="bold"),
            Text(step.cue, style="italic"),
            Text(""),
            status,
            countdown,
            Text(counters_text(step)),
            Text(""),
            self.progress,
            Text(PAUSED_KEYS_LINE if snap.paused else KEYS_LINE, style="dim"),
        )
        title = f"footcoach · exercise {step.item + 1} of {len(self.items)}"
        return Panel(body, title=title, border_style="yellow" if snap.paused else "cyan")


# --- the runner --------------------------------------------------------------------------------


def _silent() -> None:
    return None


def run_session(
    steps: Sequence[Step],
    items: Sequence[tuple[Item, Exercise]],
    console: Console,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    keys: Iterable[str | None] | None = None,
    stdin: TextIO | None = None,
    speaker: Speech | None = None,
    bell: Callable[[], None] | None = None,
    on_item_done: Callable[[ItemRecord], None] | None = None,
    started_at: datetime | None = None,
    poll_s: float = POLL_S,
) -> GuidedResult:
    """Play a session's script to the end, a quit (q) or Ctrl-C, and say what was done.

    steps: footcoach.domain.guide.script(items). keys: scripted keys, one element per look (None
    for no key); when None, the terminal's keys if stdin is a TTY. speaker: NullSpeaker when None.
    bell: rings the terminal (BEL) when the console is one. on_item_done gets each ItemRecord as
    its item finishes; finished_at is started_at (default: now, UTC) plus the monotonic time since
    the start, so fake clocks give exact times. Ctrl-C ends the session cleanly: the terminal is
    restored and the result says it was interrupted.
    """
    player = Player(steps)
    speech: Speech = speaker if speaker is not None else NullSpeaker()
    if bell is None:
        bell = TerminalBell(console.file).ring if console.is_terminal else _silent
    wall_start = started_at if started_at is not None else datetime.now(UTC)
    screen = Screen(console, items, clock)
    records: list[ItemRecord] = []
    outcome = Outcome.COMPLETED
    t0 = clock()

    def handle(events: Iterable[Event]) -> bool:
        changed = False
        for event in events:
            changed = True
            if isinstance(event, Bell):
                bell()
            elif isinstance(event, Speak):
                speech.say(event.text)
            elif isinstance(event, ItemFinished):
                finished_at = wall_start + timedelta(seconds=max(0.0, event.at - t0))
                record = event.summary.record(finished_at)
                records.append(record)
                if on_item_done is not None:
                    on_item_done(record)
        return changed

    def closing(outcome: Outcome) -> str:
        done = count_of_text(sum(1 for r in records if not r.skipped), len(items), "exercise")
        if outcome is Outcome.COMPLETED:
            return f"Session complete: {done} done. Well done."
        return f"Session stopped: {done} done."

    try:
        with (
            key_source(keys, stdin) as source,
            Live(
                screen.render(player.snapshot(t0)),
                console=console,
                auto_refresh=False,
                transient=False,
            ) as live,
        ):
            try:
                handle(player.start(t0))
                live.update(screen.render(player.snapshot(t0)), refresh=True)
                while not player.finished:
                    changed = False
                    for key in source.read():
                        now = clock()
                        if key == " ":
                            action = player.resume if player.paused else player.pause
                            handle(action(now))
                            changed = True
                        elif key in "sS":
                            changed |= handle(player.skip_item(now))
                        elif key in "qQ":
                            outcome = Outcome.QUIT
                            changed |= handle(player.quit(now))
                        if player.finished:
                            break
                    now = clock()
                    changed |= handle(player.advance(now))
                    speech.pump()
                    if changed:
                        live.update(screen.render(player.snapshot(now)), refresh=True)
                    if player.finished:
                        break
                    deadline = player.next_deadline(now)
                    wait = poll_s if deadline is None else min(poll_s, max(0.0, deadline - now))
                    sleep(wait)
            except KeyboardInterrupt:
                outcome = Outcome.INTERRUPTED
                handle(player.quit(clock()))
            final = screen.render(
                player.snapshot(clock()), closing(outcome), outcome is not Outcome.COMPLETED
            )
            live.update(final, refresh=True)
    finally:
        speech.close(wait_s=3.0 if outcome is Outcome.COMPLETED else 0.0)
    return GuidedResult(outcome, tuple(records), player.paused_total)


__all__ = [
    "GuidedResult",
    "Outcome",
    "Screen",
    "ScriptedKeys",
    "TerminalKeys",
    "big_digits",
    "clock_text",
    "counters_text",
    "key_source",
    "minutes_text",
    "run_session",
]
