"""R3 changes the coming days: progress moves on, repeat holds, regress eases, pause unloads."""

from __future__ import annotations

from datetime import timedelta

from footcoach.domain.catalog import Equipment
from footcoach.domain.intake import CheckIn, History, SessionLog
from footcoach.domain.planner import build_program, is_loading
from footcoach.domain.program import Action
from tests.factories import intake
from tests.program.strategies import START


def day(n):
    return START + timedelta(days=n)


def program(library, protocols, history, pain=3, protocol="footcoach", weeks=12):
    person = intake(first_step_pain=pain, equipment=tuple(Equipment), minutes_per_day=120)
    return build_program(person, library, protocols.get(protocol), START, weeks, history)


def days(prog):
    return [d for w in prog.weeks for d in w.days]


def volume(d, library, loading_only=True):
    """Per loading exercise, sets x reps x (seconds per rep or hold) on one day."""
    out = {}
    for s in d.sessions:
        for i in s.items:
            ex = library.catalog.get(i.exercise)
            if loading_only and not is_loading(ex):
                continue
            per = (i.tempo.up_s + i.tempo.hold_s + i.tempo.down_s) if i.tempo else (i.hold_s or 1)
            out[i.exercise] = out.get(i.exercise, 0) + i.sets * (i.duration_s or i.reps * per)
    return out


def session(n, pain):
    return SessionLog(day(n), "daytime", True, pain)


def test_progress_in_the_calm_phase_moves_to_loading_early(library, protocols):
    history = History(
        checkins=(CheckIn(day(2), 3), CheckIn(day(3), 3), CheckIn(day(4), 2)),
        sessions=(session(3, 2),),
    )
    prog = program(library, protocols, history, pain=6)
    assert prog.adjustment.action is Action.PROGRESS
    base = program(library, protocols, None, pain=6)
    assert base.weeks[1].phase == "calm"
    assert prog.weeks[1].phase == "loading"


def test_regress_never_raises_any_load(library, protocols):
    # weeks 3-4 of loading (4 x 10 with a backpack), then a painful session on day 20
    history = History(checkins=(CheckIn(day(20), 3),), sessions=(session(20, 7),))
    before = program(library, protocols, None)
    after = program(library, protocols, history)
    assert after.adjustment.action is Action.REGRESS
    for d_before, d_after in zip(days(before)[21:35], days(after)[21:35], strict=True):
        v_before, v_after = volume(d_before, library), volume(d_after, library)
        for exercise, amount in v_after.items():
            related = [
                v
                for k, v in v_before.items()
                if k == exercise or exercise in library.catalog.get(k).regressions
            ]
            assert related, f"{exercise} appeared only after the regress"
            assert amount <= max(related), exercise


def test_regress_swaps_in_the_easier_variant(library, protocols):
    history = History(checkins=(CheckIn(day(20), 3),), sessions=(session(20, 7),))
    after = program(library, protocols, history)
    next_days = days(after)[21:28]
    used = {i.exercise for d in next_days for s in d.sessions for i in s.items}
    assert "high-load-heel-raise-two-leg" in used
    assert "high-load-heel-raise" not in used


def test_pause_drops_loading_and_keeps_the_gentle_work(library, protocols):
    history = History(checkins=(CheckIn(day(5), 6), CheckIn(day(6), 6), CheckIn(day(7), 7)))
    prog = program(library, protocols, history, pain=3)
    assert prog.adjustment.action is Action.PAUSE
    assert prog.clinician_prompt is not None
    for d in days(prog)[8:]:
        assert volume(d, library) == {}
        assert any(i.exercise == "plantar-fascia-stretch" for s in d.sessions for i in s.items)
    excluded = {e.exercise for e in prog.excluded}
    assert "high-load-heel-raise" in excluded


def test_repeat_holds_the_dose_a_week_longer(library, protocols):
    # day 13 is the last day of week 2 (3 x 12); a moderate session that settled
    history = History(
        checkins=(CheckIn(day(12), 3), CheckIn(day(13), 3)), sessions=(session(12, 5),)
    )
    prog = program(library, protocols, history)
    assert prog.adjustment.action is Action.REPEAT
    base = program(library, protocols, None)

    def heel_raise(d):
        return [
            (i.sets, i.reps)
            for s in d.sessions
            for i in s.items
            if i.exercise == "high-load-heel-raise"
        ]

    assert heel_raise(days(base)[14]) == [(4, 10)]
    assert heel_raise(days(prog)[14]) == [(3, 12)]
    assert heel_raise(days(prog)[22]) == [(4, 10)]


def test_the_days_before_the_adjustment_are_unchanged(library, protocols):
    history = History(checkins=(CheckIn(day(20), 3),), sessions=(session(20, 7),))
    before = program(library, protocols, None)
    after = program(library, protocols, history)
    assert days(before)[:21] == days(after)[:21]
