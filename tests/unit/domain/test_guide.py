"""The guided session: the script of timed steps, and the player that walks it without drifting."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from footcoach.domain.catalog import Tempo
from footcoach.domain.diary import ItemRecord
from footcoach.domain.guide import (
    GET_READY_S,
    Bell,
    CountdownTick,
    ItemFinished,
    Kind,
    Phase,
    Player,
    SessionFinished,
    Speak,
    StepStarted,
    dose_words,
    script,
)
from footcoach.domain.planner import HOLD_MOVE_S, PLAIN_REP_S, SWITCH_S
from footcoach.domain.program import Item
from tests.factories import exercise, program_item

START = 1000.0


item = program_item


EX = exercise(name="Plantar fascia stretch", cues=("Keep the knee straight.",))
HOLDS = item(sets=1, reps=10, hold_s=10, per_side=True, first_side="right")
TEMPO = item(exercise="heel-raise", sets=3, reps=12, rest_s=120, tempo=Tempo(3, 2, 3))
ICE = item(exercise="ice", sets=1, reps=1, duration_s=300)


def work(steps):
    return [s for s in steps if s.is_work]


def of(kind, events):
    return [e for e in events if isinstance(e, kind)]


# --- the script --------------------------------------------------------------------------------


def test_a_hold_item_per_side_does_the_first_side_then_switches():
    steps = script([(HOLDS, EX)])
    assert steps[0].kind is Kind.GET_READY
    assert steps[0].name == "Plantar fascia stretch"
    assert steps[0].cue == "Keep the knee straight."
    assert "10 holds of 10 seconds, each foot, right first" in steps[0].text
    holds = [s for s in steps if s.kind is Kind.HOLD]
    assert [s.side for s in holds] == ["right"] * 10 + ["left"] * 10
    assert [s.rep_no for s in holds] == list(range(1, 11)) * 2
    assert all(s.text == "Hold... 10" and s.duration_s == 10 and s.bell for s in holds)
    switches = [s for s in steps if s.kind is Kind.SWITCH_SIDE]
    assert [(s.text, s.side, s.duration_s) for s in switches] == [
        ("Switch to your left foot", "left", SWITCH_S)
    ]
    assert [s.kind for s in steps].count(Kind.RELAX) == 18  # between holds, not after the last
    assert steps[1].say == "Right foot. Hold 1 of 10."
    assert sum(s.duration_s for s in steps) == GET_READY_S + 2 * (10 * 10 + 9 * HOLD_MOVE_S) + 5


def test_per_side_items_alternate_sides_set_by_set():
    steps = script([(item(sets=3, reps=2, hold_s=5, per_side=True, first_side="right"), EX)])
    order = list(dict.fromkeys((s.set_no, s.side) for s in work(steps)))
    assert order == [
        (1, "right"),
        (1, "left"),
        (2, "right"),
        (2, "left"),
        (3, "right"),
        (3, "left"),
    ]
    assert sum(s.kind is Kind.SWITCH_SIDE for s in steps) == 2 * 3 - 1
    # a set counts as done once both feet have done it
    assert [s.side for s in steps if s.completes_set] == ["left"] * 3


def test_first_side_defaults_to_left():
    steps = script([(item(reps=2, hold_s=5, per_side=True, first_side=None), EX)])
    assert [s.side for s in work(steps)] == ["left", "left", "right", "right"]


def test_a_tempo_item_adds_up_exactly():
    steps = script([(TEMPO, EX)])
    reps = [s for s in steps if s.kind is Kind.REP]
    assert len(reps) == 3 * 12 * 3
    assert [(s.phase, s.duration_s) for s in reps[:3]] == [
        (Phase.UP, 3),
        (Phase.HOLD, 2),
        (Phase.DOWN, 3),
    ]
    assert [s.text for s in reps[:3]] == ["Up... 3", "Hold... 2", "Down... 3"]
    assert sum(s.completes_rep for s in steps) == 36
    rests = [s for s in steps if s.kind is Kind.REST]
    assert [(s.duration_s, s.text, s.set_no) for s in rests] == [
        (120, "Rest 2 minutes", 2),
        (120, "Rest 2 minutes", 3),
    ]
    assert sum(s.duration_s for s in steps) == GET_READY_S + 3 * 12 * 8 + 2 * 120
    first_of_set_2 = next(s for s in reps if s.set_no == 2)
    assert first_of_set_2.say.startswith("Set 2 of 3.")
    assert first_of_set_2.bell
    assert not reps[1].bell  # up -> hold inside a rep is not a change of phase


def test_per_side_rest_only_tops_up_what_the_other_foot_gave():
    steps = script([(item(sets=3, reps=12, rest_s=120, tempo=Tempo(3, 2, 3), per_side=True), EX)])
    assert [s.duration_s for s in steps if s.kind is Kind.REST] == [120 - 96, 120 - 96]


def test_a_timed_item_is_one_long_step():
    steps = script([(ICE, exercise(id="ice", name="Ice the heel", cues=()))])
    assert [s.kind for s in steps] == [Kind.GET_READY, Kind.TIMED]
    assert steps[1].duration_s == 300
    assert steps[1].say == "Start. 5 minutes."
    assert steps[0].text == "Get ready: 5 minutes"
    assert steps[0].cue == "Do the thing."  # no cue: the first step of the card


def test_plain_reps_are_paced():
    steps = script([(item(sets=2, reps=12), EX)])
    reps = [s for s in steps if s.kind is Kind.REP]
    assert len(reps) == 24 and all(s.duration_s == PLAIN_REP_S for s in reps)
    assert reps[3].text == "Rep 4 of 12"


def test_dose_words():
    assert dose_words(TEMPO) == "3 sets of 12 slow reps: 3 up, 2 hold, 3 down"
    assert dose_words(item(sets=2, reps=1, duration_s=90)) == "2 rounds of 1 minute 30 seconds"


def test_every_item_opens_with_a_get_ready_step_and_steps_are_in_item_order():
    steps = script([(HOLDS, EX), (TEMPO, EX), (ICE, EX)], get_ready_s=8)
    gets = [s for s in steps if s.kind is Kind.GET_READY]
    assert [(s.item, s.duration_s) for s in gets] == [(0, 8), (1, 8), (2, 8)]
    assert [s.item for s in steps] == sorted(s.item for s in steps)


# --- the player --------------------------------------------------------------------------------


def run_to_end(player: Player, start: float = START, step: float = 0.5) -> list:
    events = player.start(start)
    now = start
    while not player.finished:
        now += step
        events += player.advance(now)
    return events


def test_a_late_advance_emits_every_passed_step_in_order_on_schedule():
    steps = script([(HOLDS, EX)])
    late = Player(steps)
    late.start(START)
    events = late.advance(START + 38.5)
    started = of(StepStarted, events)
    # get ready 0-5, hold 5-15, relax 15-17, hold 17-27, relax 27-29, hold 29-39
    assert [e.index for e in started] == [1, 2, 3, 4, 5]
    assert [e.at for e in started] == [START + 5, START + 15, START + 17, START + 27, START + 29]
    assert late.index == 5
    assert late.end_of(5) == START + 39  # hold 3 of 10 ends at 39, however late we called
    # the same schedule as a player advanced every tenth of a second
    steady = Player(steps)
    steady.start(START)
    t, seen = START, []
    while t < START + 38.5:
        t += 0.125
        seen += [(e.index, e.at) for e in of(StepStarted, steady.advance(t))]
    assert seen == [(e.index, e.at) for e in started]
    assert [steady.end_of(k) for k in range(len(steps))] == [
        late.end_of(k) for k in range(len(steps))
    ]


def test_events_of_a_step_come_in_order_and_ticks_count_whole_seconds():
    player = Player(script([(HOLDS, EX)]))
    events = player.start(START)
    assert [type(e) for e in events] == [StepStarted, Bell, Speak, CountdownTick]
    assert events[-1].seconds_left == 5
    assert player.advance(START + 0.5) == []
    assert [e.seconds_left for e in of(CountdownTick, player.advance(START + 1))] == [4]
    events = player.advance(START + 5)
    assert [type(e) for e in events] == [StepStarted, Bell, Speak, CountdownTick]
    assert events[2].text == "Right foot. Hold 1 of 10."
    assert events[-1].seconds_left == 10


def test_the_schedule_is_the_sum_of_durations_from_the_start():
    steps = script([(TEMPO, EX), (ICE, EX)])
    player = Player(steps)
    player.start(START)
    total = 0
    for k, s in enumerate(steps):
        total += s.duration_s
        assert player.end_of(k) == START + total


def test_pause_and_resume_shift_every_end_by_exactly_the_paused_time():
    steps = script([(TEMPO, EX)])
    player = Player(steps)
    player.start(START)
    player.advance(START + 20.25)
    before = [player.end_of(k) for k in range(len(steps))]
    left = player.snapshot(START + 20.25).seconds_left
    assert of(Speak, player.pause(START + 20.25))[0].text == "Paused."
    assert player.advance(START + 500) == []  # nothing passes while paused
    assert player.snapshot(START + 500).seconds_left == left
    player.resume(START + 27.75)
    assert player.paused_total == 7.5
    assert [player.end_of(k) for k in range(len(steps))] == [b + 7.5 for b in before]
    # and a second pause adds up
    player.pause(START + 30)
    player.resume(START + 31)
    assert player.paused_total == 8.5
    assert player.end_of(len(steps) - 1) == before[-1] + 8.5


def test_skip_records_what_was_done_and_moves_to_the_next_items_get_ready():
    holds = item(sets=3, reps=5, hold_s=10, rest_s=30)
    player = Player(script([(holds, EX), (ICE, EX)]))
    player.start(START)
    # get ready 5; set 1: 5 holds and 4 relaxes = 58; rest 30; set 2: hold, relax, hold, relax
    # (24), then 4 s into the third hold
    now = START + 5 + 58 + 30 + 24 + 4
    player.advance(now)
    events = player.skip_item(now)
    finished = of(ItemFinished, events)
    assert [f.summary for f in finished] == [finished[0].summary]
    summary = finished[0].summary
    assert (summary.position, summary.sets_done, summary.reps_done) == (0, 1, 7)
    assert summary.seconds_done == 50 + 20 + 4
    assert summary.skipped
    started = of(StepStarted, events)
    assert started[0].step.kind is Kind.GET_READY and started[0].step.item == 1
    assert player.end_of(player.index) == now + GET_READY_S
    # the next item then runs in full
    rest = run_to_end_from(player, now)
    last = of(ItemFinished, rest)
    assert [(f.summary.position, f.summary.skipped, f.summary.seconds_done) for f in last] == [
        (1, False, 300)
    ]
    assert of(SessionFinished, rest)[0].completed


def run_to_end_from(player: Player, now: float) -> list:
    events: list = []
    while not player.finished:
        now += 1
        events += player.advance(now)
    return events


def test_skipping_the_last_item_ends_the_session():
    player = Player(script([(ICE, EX)]))
    player.start(START)
    events = player.skip_item(START + 65)
    assert of(ItemFinished, events)[0].summary.seconds_done == 60
    assert of(SessionFinished, events) == [SessionFinished(START + 65, True)]
    assert player.finished and player.advance(START + 1000) == []


def test_skip_while_paused_stays_paused_at_the_next_item():
    player = Player(script([(ICE, EX), (HOLDS, EX)]))
    player.start(START)
    player.pause(START + 10)
    player.skip_item(START + 20)
    assert player.paused and player.current is not None and player.current.item == 1
    player.resume(START + 30)
    assert player.end_of(player.index) == START + 30 + GET_READY_S


def test_quit_records_the_item_under_way_and_stops():
    player = Player(script([(TEMPO, EX), (ICE, EX)]))
    player.start(START)
    events = player.quit(START + 5 + 8 * 3 + 1)  # three reps and a second of the fourth
    summary = of(ItemFinished, events)[0].summary
    assert (summary.reps_done, summary.sets_done, summary.seconds_done) == (3, 0, 25)
    assert summary.skipped
    assert events[-1] == SessionFinished(START + 30, False)
    assert player.finished and not player.completed
    assert player.advance(START + 10_000) == []
    assert player.quit(START + 10_001) == []


def test_quit_during_get_ready_records_nothing():
    player = Player(script([(ICE, EX)]))
    player.start(START)
    events = player.quit(START + 2)
    assert of(ItemFinished, events) == []
    assert of(SessionFinished, events) == [SessionFinished(START + 2, False)]


def test_a_full_run_reports_every_item_done_and_speaks_the_end():
    items = [(HOLDS, EX), (TEMPO, EX), (ICE, EX)]
    events = run_to_end(Player(script(items)))
    summaries = [e.summary for e in of(ItemFinished, events)]
    assert [(s.position, s.sets_done, s.reps_done, s.skipped) for s in summaries] == [
        (0, 1, 20, False),
        (1, 3, 36, False),
        (2, 1, 1, False),
    ]
    assert [s.seconds_done for s in summaries] == [200, 288, 300]
    assert isinstance(events[-1], SessionFinished) and events[-1].completed
    assert "Well done" in of(Speak, events)[-1].text


def test_a_summary_becomes_an_item_record():
    from datetime import UTC, datetime

    events = run_to_end(Player(script([(ICE, EX)])))
    when = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
    record = of(ItemFinished, events)[0].summary.record(when)
    assert record == ItemRecord(0, "ice", 1, 1, 300, False, when)


# --- properties --------------------------------------------------------------------------------

tempos = st.none() | st.builds(
    Tempo, st.integers(0, 4), st.integers(0, 3), st.integers(0, 4)
).filter(lambda t: t.rep_s > 0)

items_strategy = st.builds(
    item,
    sets=st.integers(1, 4),
    reps=st.integers(1, 15),
    hold_s=st.none() | st.integers(1, 30),
    duration_s=st.none() | st.integers(1, 600),
    rest_s=st.integers(0, 180),
    per_side=st.booleans(),
    first_side=st.sampled_from([None, "left", "right"]),
    tempo=tempos,
)


def prescribed_seconds(it: Item, get_ready_s: int) -> int:
    """Work + rests + switches + get-ready, worked out apart from the script."""
    if it.duration_s:
        one_set = it.duration_s
    elif it.tempo is not None:
        one_set = it.reps * (it.tempo.rep_s + (it.hold_s or 0))
    elif it.hold_s:
        one_set = it.reps * it.hold_s + (it.reps - 1) * HOLD_MOVE_S
    else:
        one_set = it.reps * PLAIN_REP_S
    sides = 2 if it.per_side else 1
    rest = max(0, it.rest_s - one_set) if it.per_side else it.rest_s
    switches = (2 * it.sets - 1) * SWITCH_S if it.per_side else 0
    return get_ready_s + sides * it.sets * one_set + (it.sets - 1) * rest + switches


@settings(max_examples=200, deadline=None)
@given(st.lists(items_strategy, min_size=1, max_size=4), st.integers(0, 10))
def test_step_durations_add_up_to_the_prescription(its, get_ready_s):
    steps = script([(it, EX) for it in its], get_ready_s=get_ready_s)
    for n, it in enumerate(its):
        mine = sum(s.duration_s for s in steps if s.item == n)
        assert mine == prescribed_seconds(it, get_ready_s)
    assert all(s.duration_s > 0 or s.kind is Kind.GET_READY for s in steps)


@settings(max_examples=100, deadline=None)
@given(st.lists(items_strategy, min_size=1, max_size=3), st.floats(0.3, 7.0))
def test_a_player_run_to_the_end_reports_every_item_in_full(its, step):
    steps = script([(it, EX) for it in its])
    events = run_to_end(Player(steps), step=step)
    summaries = [e.summary for e in of(ItemFinished, events)]
    assert [s.position for s in summaries] == list(range(len(its)))
    for it, s in zip(its, summaries, strict=True):
        sides = 2 if it.per_side else 1
        reps = 1 if it.duration_s else it.reps
        assert (s.sets_done, s.reps_done, s.skipped) == (it.sets, it.sets * reps * sides, False)
    started = [e.index for e in of(StepStarted, events)]
    assert started == list(range(len(steps)))
    assert events[-1] == SessionFinished(START + sum(s.duration_s for s in steps), True)


def test_a_stopped_session_keeps_the_time_it_stopped_at():
    player = Player(script([(ICE, EX)]))
    player.start(START)
    player.pause(START + 20)
    player.quit(START + 50)
    assert player.elapsed(START + 100) == 20
    done = Player(script([(ICE, EX)]))
    run_to_end(done)
    assert done.elapsed(START + 10_000) == GET_READY_S + 300
