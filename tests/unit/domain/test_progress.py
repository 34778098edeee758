"""Progress as of a day: adherence, streak, 7-day means, MID verdicts, FFI and FAAM directions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from footcoach.domain.diary import Diary, Instrument, QuestionnaireResponse, SessionRecord
from footcoach.domain.intake import CheckIn
from footcoach.domain.program import (
    Action,
    Adjustment,
    ClinicianPrompt,
    Day,
    Program,
    Session,
    Status,
    Week,
)
from footcoach.domain.progress import (
    Verdict,
    adherence,
    outcomes,
    progress,
    streak,
    trailing_means,
)
from footcoach.domain.protocol import SLOT_ORDER
from footcoach.domain.questionnaires import Subscale
from footcoach.domain.scoring import Direction

START = date(2026, 11, 23)
SLOTS = tuple(s.value for s in SLOT_ORDER)


def day(n: int) -> date:
    return START + timedelta(days=n)


def program(
    weeks: int = 2,
    phases: tuple[str, ...] = ("calm", "loading"),
    rest_days: frozenset[int] = frozenset(),
    **extra,
) -> Program:
    """A program of `weeks` weeks, three sessions a day except on `rest_days` (day numbers)."""
    sessions = tuple(Session(slot, 10, ()) for slot in SLOT_ORDER)
    return Program(
        status=Status.OK,
        protocol="footcoach",
        referral=None,
        adjustment=extra.get("adjustment"),
        weeks=tuple(
            Week(
                number=w + 1,
                phase=phases[min(w, len(phases) - 1)],
                days=tuple(
                    Day(day(7 * w + d), () if 7 * w + d in rest_days else sessions)
                    for d in range(7)
                ),
            )
            for w in range(weeks)
        ),
        excluded=(),
        notes=(),
        clinician_prompt=extra.get("clinician_prompt"),
    )


def done(n: int, slots: tuple[str, ...] = SLOTS, completed: bool = True) -> list[SessionRecord]:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    return [SessionRecord(day(n), slot, moment, completed=completed) for slot in slots]


def sessions(*days: int) -> tuple[SessionRecord, ...]:
    """Every slot done on each of these days."""
    return tuple(r for n in days for r in done(n))


def diary(
    sessions: tuple[SessionRecord, ...] = (),
    mornings: tuple[tuple[int, int], ...] = (),
    questionnaires: tuple[QuestionnaireResponse, ...] = (),
) -> Diary:
    return Diary(
        checkins=tuple(CheckIn(day(n), p) for n, p in mornings),
        sessions=sessions,
        questionnaires=questionnaires,
    )


def run(d: Diary, today: int, prog: Program | None = None, baseline: int = 6):
    return progress(prog or program(), d, day(today), baseline=baseline, profile="anna")


# Adherence --------------------------------------------------------------------------------

ADHERENCE = [
    # (what, records, today, done, planned)
    ("nothing recorded: the days before today count", (), 2, 0, 6),
    ("all done up to yesterday, none yet today", sessions(0, 1), 2, 6, 6),
    (
        "today's done sessions count on both sides",
        sessions(0, 1) + tuple(done(2, SLOTS[:1])),
        2,
        7,
        7,
    ),
    ("today's open sessions do not count against", tuple(done(2, SLOTS[:2])), 2, 2, 8),
    ("a started, unfinished session is not done", tuple(done(0, completed=False)), 1, 0, 3),
    ("a slot not planned that day is not counted", tuple(done(0, ("midnight",))), 1, 0, 3),
    ("two records of one slot count once", sessions(0) + tuple(done(0, SLOTS[:1])), 1, 3, 3),
    ("records after the day are ignored", sessions(0, 2, 3), 1, 3, 3),
    ("on the first day, nothing is planned yet", (), 0, 0, 0),
    ("before the start, nothing is planned", sessions(0), -3, 0, 0),
    ("after the end, only the program's days count", sessions(*range(14)), 40, 42, 42),
]


@pytest.mark.parametrize(
    ("records", "today", "expected_done", "planned"),
    [case[1:] for case in ADHERENCE],
    ids=[case[0] for case in ADHERENCE],
)
def test_adherence(records, today, expected_done, planned):
    result = run(diary(records), today)
    assert (result.adherence.done, result.adherence.planned) == (expected_done, planned)
    share = result.adherence.share
    assert share == (expected_done / planned if planned else None)


def test_rest_days_plan_nothing():
    result = run(diary(sessions(0, 2)), 3, program(rest_days=frozenset({1})))
    assert (result.adherence.done, result.adherence.planned) == (6, 6)


def test_adherence_and_streak_functions_on_day_states():
    states = {day(0): (3, 3), day(1): (3, 1), day(2): (3, 3)}
    assert adherence(states, day(2)).planned == 3 + 3 + 3
    assert adherence({day(0): (3, 3), day(1): (3, 0)}, day(1)).planned == 3
    assert streak(states, day(2)) == 1


# Streak -----------------------------------------------------------------------------------

STREAK = [
    # (what, records, today, rest days, streak)
    ("nothing done", (), 5, (), 0),
    ("done up to yesterday, today still open", sessions(0, 1, 2, 3, 4), 5, (), 5),
    ("today complete: it counts", sessions(0, 1, 2, 3, 4, 5), 5, (), 6),
    (
        "today half done: ends yesterday, not broken",
        sessions(3, 4) + tuple(done(5, SLOTS[:2])),
        5,
        (),
        2,
    ),
    ("a missed day breaks it", sessions(0, 1, 3, 4), 5, (), 2),
    ("one missed slot breaks the day", sessions(0, 1, 3) + tuple(done(4, SLOTS[1:])), 5, (), 0),
    ("yesterday missed: no streak", sessions(0, 1, 2, 3), 5, (), 0),
    ("a rest day is passed over", sessions(0, 1, 3, 4), 5, (2,), 4),
    ("rest day today, done yesterday", sessions(3, 4), 5, (5,), 2),
    ("reaches back to the first day", sessions(0, 1, 2), 3, (), 3),
    ("before the start", sessions(0), -1, (), 0),
    ("after the program's end", sessions(*range(14)), 20, (), 0),
    ("on the last day, complete", sessions(*range(14)), 13, (), 14),
]


@pytest.mark.parametrize(
    ("records", "today", "rest", "expected"),
    [case[1:] for case in STREAK],
    ids=[case[0] for case in STREAK],
)
def test_streak(records, today, rest, expected):
    result = run(diary(records), today, program(rest_days=frozenset(rest)))
    assert result.streak_days == expected


# First-step pain: 7-day means -------------------------------------------------------------

MEANS = [
    # (what, mornings, expected (day, value, mean) per check-in)
    ("one check-in", [(0, 4)], [(0, 4, 4.0)]),
    (
        "a full window, then the oldest leaves it",
        [(n, n + 1) for n in range(8)],
        [(n, n + 1, (n + 2) / 2) for n in range(7)] + [(7, 8, 5.0)],
    ),
    (
        "missed mornings: the window is 7 calendar days",
        [(0, 8), (3, 2), (7, 5)],
        [(0, 8, 8.0), (3, 2, 5.0), (7, 5, 3.5)],
    ),
    ("a gap longer than the window", [(0, 9), (10, 1)], [(0, 9, 9.0), (10, 1, 1.0)]),
]


@pytest.mark.parametrize(
    ("mornings", "expected"), [c[1:] for c in MEANS], ids=[c[0] for c in MEANS]
)
def test_trailing_means(mornings, expected):
    got = trailing_means((day(n), v) for n, v in mornings)
    assert [(d.day, d.value, d.mean_7d) for d in got] == [
        (day(n), v, pytest.approx(m)) for n, v, m in expected
    ]


def test_two_check_ins_on_one_day_count_as_the_worse_and_later_ones_are_ignored():
    d = Diary(
        checkins=(CheckIn(day(0), 3), CheckIn(day(0), 7), CheckIn(day(1), 5), CheckIn(day(9), 0))
    )
    pain = run(d, 1).first_step_pain
    assert [(p.value, p.mean_7d) for p in pain.days] == [(7, 7.0), (5, 6.0)]
    assert pain.latest_mean_7d == 6.0


VERDICTS = [
    # (what, baseline, mornings, verdict, change)
    ("down by exactly the MID", 6, [(0, 4)], Verdict.IMPROVED, -2.0),
    ("down by more", 7, [(0, 3), (1, 2)], Verdict.IMPROVED, -4.5),
    ("down by less", 6, [(0, 5), (1, 4)], Verdict.NO_MEANINGFUL_CHANGE, -1.5),
    ("no change", 5, [(0, 5)], Verdict.NO_MEANINGFUL_CHANGE, 0.0),
    ("up by less", 4, [(0, 5), (1, 6)], Verdict.NO_MEANINGFUL_CHANGE, 1.5),
    ("up by exactly the MID", 4, [(0, 6)], Verdict.WORSE, 2.0),
    ("up by more", 2, [(0, 9)], Verdict.WORSE, 7.0),
]


@pytest.mark.parametrize(
    ("baseline", "mornings", "verdict", "change"),
    [c[1:] for c in VERDICTS],
    ids=[c[0] for c in VERDICTS],
)
def test_first_step_pain_verdict_against_the_mid(baseline, mornings, verdict, change):
    pain = run(diary(mornings=tuple(mornings)), 5, baseline=baseline).first_step_pain
    assert pain.baseline == baseline
    assert pain.verdict is verdict
    assert pain.difference == pytest.approx(change)
    assert pain.change is not None and pain.change.mid == 2.0


def test_the_latest_mean_is_that_of_the_last_check_in():
    mornings = ((0, 8), (1, 8), (2, 8), (10, 2))
    pain = run(diary(mornings=mornings), 12, baseline=8).first_step_pain
    assert pain.latest_mean_7d == 2.0
    assert pain.verdict is Verdict.IMPROVED


# FFI and FAAM -----------------------------------------------------------------------------


def ffi(n: int, pain: int, disability: int, activity: int) -> QuestionnaireResponse:
    """Subscales of pain*10, disability*10 and activity*10."""
    answers = (pain,) * 9 + (disability,) * 9 + (activity,) * 5
    return QuestionnaireResponse(Instrument.FFI, day(n), answers)


def faam(
    n: int, adl: tuple[int | None, ...], sports: tuple[int | None, ...]
) -> QuestionnaireResponse:
    return QuestionnaireResponse(Instrument.FAAM, day(n), adl, sports)


DIRECTIONS = [
    # (what, instrument, subscale, responses, direction, meaningful)
    (
        "FFI total down by 10: better",
        Instrument.FFI,
        Subscale.TOTAL,
        [ffi(0, 6, 6, 6), ffi(28, 5, 5, 5)],
        Direction.BETTER,
        True,
    ),
    (
        "FFI pain up by 20: worse",
        Instrument.FFI,
        Subscale.PAIN,
        [ffi(0, 3, 3, 3), ffi(28, 5, 3, 3)],
        Direction.WORSE,
        True,
    ),
    (
        "FFI pain down by 10: below its MID of 12",
        Instrument.FFI,
        Subscale.PAIN,
        [ffi(0, 5, 3, 3), ffi(28, 4, 3, 3)],
        Direction.BETTER,
        False,
    ),
    (
        "FAAM ADL up by 25: better",
        Instrument.FAAM,
        Subscale.ADL,
        [faam(0, (2,) * 21, (1,) * 8), faam(28, (3,) * 21, (1,) * 8)],
        Direction.BETTER,
        True,
    ),
    (
        "FAAM sports down by 25: worse",
        Instrument.FAAM,
        Subscale.SPORTS,
        [faam(0, (2,) * 21, (2,) * 8), faam(28, (2,) * 21, (1,) * 8)],
        Direction.WORSE,
        True,
    ),
    (
        "FAAM ADL up by 1.2: below its MID of 8",
        Instrument.FAAM,
        Subscale.ADL,
        [faam(0, (2,) * 21, (1,) * 8), faam(28, (3,) + (2,) * 20, (1,) * 8)],
        Direction.BETTER,
        False,
    ),
]


@pytest.mark.parametrize(
    ("instrument", "subscale", "responses", "direction", "meaningful"),
    [c[1:] for c in DIRECTIONS],
    ids=[c[0] for c in DIRECTIONS],
)
def test_ffi_improves_downwards_and_faam_upwards(
    instrument, subscale, responses, direction, meaningful
):
    first, second = outcomes(responses, instrument, day(60))
    assert first.change_from_first == {} and not first.meaningful
    c = second.change_from_first[subscale]
    assert c.direction is direction
    assert c.meets_mid is meaningful
    assert second.change_from_previous[subscale] == c


def test_changes_from_the_first_and_from_the_previous():
    responses = [ffi(0, 6, 6, 6), ffi(28, 5, 5, 5), ffi(56, 4, 5, 5)]
    entries = run(diary(questionnaires=tuple(responses)), 60).ffi
    assert [e.taken_on for e in entries] == [day(0), day(28), day(56)]
    last = entries[-1]
    assert last.change_from_first[Subscale.PAIN].difference == pytest.approx(-20.0)
    assert last.change_from_previous[Subscale.PAIN].difference == pytest.approx(-10.0)
    assert last.change_from_first[Subscale.PAIN].meets_mid
    assert not last.change_from_previous[Subscale.PAIN].meets_mid
    assert Subscale.ACTIVITY_LIMITATION not in last.change_from_first  # no published MID
    assert last.meaningful


def test_a_score_not_reported_is_skipped_until_one_is():
    blank = (None,) * 8
    responses = [
        faam(0, (2,) * 21, blank),
        faam(28, (2,) * 21, (1,) * 8),
        faam(56, (2,) * 21, (3,) * 8),
    ]
    entries = outcomes(responses, Instrument.FAAM, day(60))
    assert entries[0].scores.value(Subscale.SPORTS) is None
    assert Subscale.SPORTS not in entries[1].change_from_first  # its first score
    assert entries[2].change_from_first[Subscale.SPORTS].difference == pytest.approx(50.0)


def test_questionnaires_are_split_by_instrument_and_cut_at_the_day():
    responses = (ffi(0, 5, 5, 5), faam(0, (2,) * 21, (2,) * 8), ffi(30, 4, 4, 4))
    result = run(diary(questionnaires=responses), 10)
    assert [e.instrument for e in result.ffi] == [Instrument.FFI]
    assert [e.instrument for e in result.faam] == [Instrument.FAAM]


# Phase, monitor and the empty diary --------------------------------------------------------

PHASES = [
    ("before the start", -1, None, None),
    ("first day", 0, 1, "calm"),
    ("last day of week 1", 6, 1, "calm"),
    ("first day of week 2", 7, 2, "loading"),
    ("after the end: the last week", 100, 2, "loading"),
]


@pytest.mark.parametrize(
    ("today", "week", "phase"), [c[1:] for c in PHASES], ids=[c[0] for c in PHASES]
)
def test_phase_of_the_week_containing_the_day(today, week, phase):
    result = run(diary(), today)
    assert (result.week, result.phase) == (week, phase)
    assert result.weeks == 2 and result.start == day(0) and result.end == day(13)


def test_adjustment_and_clinician_prompt_come_from_the_program():
    adjustment = Adjustment(Action.REPEAT, "Hold the load.")
    prompt = ClinicianPrompt(("Long-standing symptoms.",), "See a clinician.")
    result = run(diary(), 3, program(adjustment=adjustment, clinician_prompt=prompt))
    assert result.adjustment == adjustment and result.clinician_prompt == prompt


def test_an_empty_diary():
    result = run(Diary(), 4)
    assert result.profile == "anna" and result.day == day(4)
    assert (result.adherence.done, result.adherence.planned) == (0, 12)
    assert result.adherence.share == 0.0
    assert result.streak_days == 0
    pain = result.first_step_pain
    assert pain.days == () and pain.latest_mean_7d is None
    assert pain.change is None and pain.verdict is None and pain.difference is None
    assert result.ffi == () and result.faam == ()
    assert result.adjustment is None and result.clinician_prompt is None


def test_a_program_without_weeks():
    empty = Program(Status.REFER, "footcoach", None, None, (), (), ())
    result = progress(empty, Diary(), day(0), baseline=5)
    assert result.start is None and result.week is None and result.phase is None
    assert result.adherence.share is None and result.streak_days == 0


def test_three_years_of_daily_data():
    """Size, not timing (bench/progress.py times it): the program's days and every morning."""
    days = 1100
    long = program(weeks=52, phases=("build",))
    records = sessions(*range(days))
    mornings = tuple((n, n % 10) for n in range(days))
    result = run(diary(records, mornings), days - 1, long)
    assert result.adherence.planned == result.adherence.done == 52 * 7 * 3
    assert len(result.first_step_pain.days) == days
    assert result.streak_days == 0  # the program ended long before
