"""The terminal runner of a guided session, run whole and instantly on a fake clock."""

from __future__ import annotations

import io
import os
import shutil
import sys
import termios
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from rich.console import Console

from footcoach.adapters.speech import NullSpeaker, Speaker, TerminalBell, make_speaker
from footcoach.cli.guided import (
    KEYS_LINE,
    Outcome,
    Screen,
    big_digits,
    clock_text,
    counters_text,
    run_session,
)
from footcoach.domain.catalog import Tempo
from footcoach.domain.guide import GET_READY_S, Kind, Player, script
from footcoach.domain.program import Item
from tests.factories import exercise, program_item

START = 5000.0
WALL = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def item(**changes: Any) -> Item:
    return program_item(**{"reps": 3, **changes})


ITEMS = [
    (
        item(exercise="stretch", reps=3, hold_s=10, per_side=True, first_side="right"),
        exercise(id="stretch", name="Plantar fascia stretch", cues=("Knee straight.",)),
    ),
    (
        item(exercise="raise", sets=2, reps=4, rest_s=30, tempo=Tempo(3, 2, 3)),
        exercise(id="raise", name="Heel raise", cues=("Three up, two, three down.",)),
    ),
    (item(exercise="ice", duration_s=60, reps=1), exercise(id="ice", name="Ice", cues=())),
]
STEPS = script(ITEMS)
TOTAL = sum(s.duration_s for s in STEPS)
ITEM_0_S = sum(s.duration_s for s in STEPS if s.item == 0)  # 5 + 2 * (30 + 4) + 5 = 78
ITEM_1_S = sum(s.duration_s for s in STEPS if s.item == 1)  # 5 + 2 * 4 * 8 + 30 = 99


class FakeClock:
    def __init__(self, t: float = START) -> None:
        self.t = t
        self.sleeps = 0

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps += 1
        self.t += seconds


def keys_at(clock: FakeClock, *presses: tuple[float, str]) -> Iterator[str | None]:
    """Press each key once the session has run that many seconds (fake clock time)."""
    pending = list(presses)
    while True:
        if pending and clock.t - START >= pending[0][0]:
            yield pending.pop(0)[1]
        else:
            yield None


def console() -> Console:
    return Console(file=io.StringIO(), width=80, color_system=None)


def run(clock: FakeClock, keys=(), **kwargs: Any):
    done: list = []
    speaker = kwargs.pop("speaker", NullSpeaker())
    result = run_session(
        STEPS,
        ITEMS,
        kwargs.pop("console", console()),
        clock=clock,
        sleep=clock.sleep,
        keys=keys,
        speaker=speaker,
        on_item_done=done.append,
        started_at=WALL,
        **kwargs,
    )
    return result, done


def test_a_whole_session_runs_instantly_and_reports_each_item_in_order():
    clock = FakeClock()
    rings: list[int] = []
    speaker = NullSpeaker()
    t0 = time.perf_counter()
    result, done = run(clock, speaker=speaker, bell=lambda: rings.append(1))
    assert time.perf_counter() - t0 < 10
    assert result.completed and not result.interrupted and result.outcome is Outcome.COMPLETED
    assert list(result.items) == done
    assert [(r.position, r.exercise, r.skipped) for r in done] == [
        (0, "stretch", False),
        (1, "raise", False),
        (2, "ice", False),
    ]
    assert [(r.sets_done, r.reps_done, r.seconds_done) for r in done] == [
        (1, 6, 60),
        (2, 8, 64),
        (1, 1, 60),
    ]
    assert done[0].finished_at == WALL + timedelta(seconds=ITEM_0_S)
    assert done[-1].finished_at == WALL + timedelta(seconds=TOTAL)
    assert clock.t == START + TOTAL
    assert "Switch to your left foot." in speaker.said
    assert speaker.said[-1] == "That's the session done. Well done."
    assert len(rings) == sum(s.bell for s in STEPS) + 1


def test_q_mid_way_stops_and_reports_interrupted():
    clock = FakeClock()
    result, done = run(clock, keys_at(clock, (ITEM_0_S + 7.5, "q")))
    assert result.interrupted and not result.completed and result.outcome is Outcome.QUIT
    # the first item finished; the second was under way (a rep in), so it is kept, skipped
    assert [(r.position, r.skipped) for r in done] == [(0, False), (1, True)]
    assert done[1].reps_done == 0 and done[1].seconds_done == 2
    assert clock.t < START + ITEM_0_S + 8


def test_s_skips_the_item_under_way():
    clock = FakeClock()
    result, done = run(clock, keys_at(clock, (20, "s")))
    assert result.completed
    assert [(r.position, r.skipped) for r in done] == [(0, True), (1, False), (2, False)]
    assert done[0].reps_done == 1 and done[0].seconds_done == 10 + 3
    # the skip jumped the schedule: the next item starts at the key press
    assert done[1].finished_at == WALL + timedelta(seconds=20 + ITEM_1_S)


def test_space_pauses_and_resumes():
    clock = FakeClock()
    result, done = run(clock, keys_at(clock, (3, " "), (3.5, " ")))
    # the second space comes a poll later than 3.5 at most: 0.1 s
    assert result.completed
    assert 0.5 <= result.paused_s <= 0.7
    assert done[-1].finished_at == WALL + timedelta(seconds=TOTAL + result.paused_s)


def test_keyboard_interrupt_from_the_key_source_ends_cleanly():
    clock = FakeClock()

    def keys() -> Iterator[str | None]:
        while clock.t - START < ITEM_0_S + 1:
            yield None
        raise KeyboardInterrupt

    speaker = NullSpeaker()
    result, done = run(clock, keys(), speaker=speaker)
    assert result.outcome is Outcome.INTERRUPTED and result.interrupted
    assert [(r.position, r.skipped) for r in done] == [(0, False)]
    assert result.items == tuple(done)


def test_the_final_screen_says_how_it_ended():
    out = console()
    clock = FakeClock()
    run(clock, keys_at(clock, (ITEM_0_S + 1, "q")), console=out)
    assert "Session stopped: 1 of 3 exercises done." in out.file.getvalue()


# --- the terminal ------------------------------------------------------------------------------


@pytest.fixture
def pty_stdin():
    master, slave = os.openpty()
    stream = os.fdopen(slave, "r")
    yield master, stream
    stream.close()
    os.close(master)


def test_keys_come_from_the_terminal_in_cbreak_mode_and_it_is_restored(pty_stdin):
    master, stream = pty_stdin
    before = termios.tcgetattr(stream.fileno())
    clock = FakeClock()
    modes: list[int] = []

    def sleep(seconds: float) -> None:
        modes.append(termios.tcgetattr(stream.fileno())[3] & termios.ICANON)
        clock.sleep(seconds)
        if clock.t - START >= 12 and not getattr(sleep, "sent", False):
            os.write(master, b"q")
            sleep.sent = True  # type: ignore[attr-defined]

    result = run_session(
        STEPS, ITEMS, console(), clock=clock, sleep=sleep, stdin=stream, started_at=WALL
    )
    assert result.outcome is Outcome.QUIT
    assert modes and not any(modes)  # canonical mode was off while it ran
    assert termios.tcgetattr(stream.fileno()) == before


def test_ctrl_c_restores_the_terminal(pty_stdin):
    _, stream = pty_stdin
    before = termios.tcgetattr(stream.fileno())
    clock = FakeClock()

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if clock.t - START > 30:
            raise KeyboardInterrupt

    done: list = []
    result = run_session(
        STEPS,
        ITEMS,
        console(),
        clock=clock,
        sleep=sleep,
        stdin=stream,
        on_item_done=done.append,
        started_at=WALL,
    )
    assert result.outcome is Outcome.INTERRUPTED
    assert [r.skipped for r in done] == [True]  # the first item was under way
    assert termios.tcgetattr(stream.fileno()) == before


def test_no_keys_are_read_when_stdin_is_not_a_terminal():
    clock = FakeClock()
    result = run_session(
        STEPS[:2], ITEMS[:1], console(), clock=clock, sleep=clock.sleep, stdin=io.StringIO("q")
    )
    assert result.completed


# --- the screen --------------------------------------------------------------------------------


def test_the_screen_shows_name_cue_countdown_counters_progress_and_keys():
    out = Console(file=io.StringIO(), width=80, color_system=None)
    screen = Screen(out, ITEMS, lambda: START)
    player = Player(STEPS)
    player.start(START)
    player.advance(START + GET_READY_S + 12 + 4.2)  # second hold, 6 s into it
    out.print(screen.render(player.snapshot(START + GET_READY_S + 12 + 4.2)))
    text = out.file.getvalue()
    assert "Plantar fascia stretch" in text
    assert "Knee straight." in text
    assert "Hold... 10" in text
    assert "hold 2 of 3 · right foot" in text
    assert big_digits("6").splitlines()[0] in text
    assert "exercise" in text and "session" in text
    assert KEYS_LINE in text


def test_counters_and_clock_text():
    raise_steps = [s for s in STEPS if s.item == 1]
    rep = next(s for s in raise_steps if s.kind is Kind.REP and s.set_no == 2 and s.rep_no == 4)
    assert counters_text(rep) == "set 2 of 2 · rep 4 of 4"
    switch = next(s for s in STEPS if s.kind is Kind.SWITCH_SIDE)
    assert counters_text(switch) == "next: left foot"
    assert clock_text(9.2) == "10" and clock_text(59.0) == "59" and clock_text(299.5) == "5:00"
    assert len(big_digits("4:59").splitlines()) == 5


# --- speech and bell ---------------------------------------------------------------------------


def test_a_busy_speaker_keeps_only_the_newest_utterance():
    slow = Speaker(command=[sys.executable, "-c", "import time; time.sleep(0.3)"])
    slow.say("one")
    slow.say("two")
    slow.say("three")
    assert slow.spoken == ["one"]
    slow.pump()
    assert slow.spoken == ["one"]  # still speaking
    deadline = time.monotonic() + 10
    while slow.speaking and time.monotonic() < deadline:
        time.sleep(0.02)
    slow.pump()
    assert slow.spoken == ["one", "three"]
    slow.close()
    assert not slow.speaking


def test_a_speaker_without_a_voice_stays_silent():
    missing = Speaker(command=["/nonexistent/espeak-ng"])
    missing.say("hello")
    missing.pump()
    missing.close()
    assert missing.spoken == []


def test_availability_follows_the_path():
    assert Speaker.available() == bool(shutil.which("espeak-ng") or shutil.which("espeak"))
    assert isinstance(make_speaker(enabled=False), NullSpeaker)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_speaks(tmp_path):
    # write to a file rather than play: test machines have no sound card
    wav = tmp_path / "cue.wav"
    speaker = Speaker(command=["espeak-ng", "-s", "160", "-w", str(wav)])
    speaker.say("Switch to your left foot.")
    speaker.close(wait_s=10)
    assert speaker.spoken == ["Switch to your left foot."]
    assert wav.stat().st_size > 1000


def test_the_bell_writes_bel_to_the_console_file():
    file = io.StringIO()
    TerminalBell(file).ring()
    assert file.getvalue() == "\a"
