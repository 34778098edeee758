"""Who needs the clinician's attention first, and the figures the dashboard reads: pure inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from footcoach.domain.catalog import Catalog, Dose
from footcoach.domain.diary import Diary, Instrument, QuestionnaireResponse, SessionRecord
from footcoach.domain.intake import CheckIn
from footcoach.domain.program import Day, Program, Session, Status, Week
from footcoach.domain.progress import Adherence, PainDay
from footcoach.domain.protocol import Slot
from footcoach.services.clinic import (
    PAIN_TREND_STEP,
    WINDOW_DAYS,
    Concern,
    PainTrend,
    PersonRow,
    Signals,
    Trend,
    attention,
    by_attention,
    change_choices,
    last_activity,
    pain_trend,
    recent_adherence,
)
from tests.factories import exercise, program_item

TODAY = date(2026, 11, 23)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def signals(**changes: object) -> Signals:
    """Someone on track: pain steady, every session done, a check-in this morning."""
    base: dict[str, object] = {
        "pain": PainTrend(recent=3.0, previous=3.0),
        "adherence": Adherence(done=14, planned=14),
        "last_activity": TODAY,
    }
    base.update(changes)
    return Signals(**base)  # type: ignore[arg-type]


def row(email: str, **changes: object) -> PersonRow:
    s = signals(**changes)
    return PersonRow(user_id=len(email), email=email, signals=s, attention=attention(s, TODAY))


# one person's concerns ---------------------------------------------------------------------


def test_someone_on_track_needs_no_attention() -> None:
    result = attention(signals(), TODAY)
    assert (result.score, result.concerns, result.reason) == (0, (), "On track")


def test_no_intake_is_no_data_and_nothing_else() -> None:
    result = attention(Signals(intake_done=False), TODAY)
    assert result.concerns == (Concern.NO_DATA,)
    assert "intake" in result.reason


def test_a_referral_or_a_clinician_prompt_comes_first_with_its_count() -> None:
    prompted = attention(signals(prompt=("Pain flared.", "Six months.")), TODAY)
    assert prompted.concern is Concern.SEE_CLINICIAN
    assert "Prompted to see a clinician (2 reasons)" in prompted.reason
    referred = attention(signals(referral=("An injury.",), prompt=("Pain flared.",)), TODAY)
    assert referred.concerns == (Concern.SEE_CLINICIAN,)  # counted once, the referral worded
    assert referred.reason.startswith("Referral: ")


@pytest.mark.parametrize(
    ("previous", "recent", "rising"),
    [(3.0, 3.0 + PAIN_TREND_STEP, True), (3.0, 3.0 + PAIN_TREND_STEP - 0.01, False)],
)
def test_pain_rising_by_the_step_or_more_needs_attention(
    previous: float, recent: float, rising: bool
) -> None:
    result = attention(signals(pain=PainTrend(recent, previous)), TODAY)
    assert (Concern.RISING_PAIN in result.concerns) is rising
    if rising:
        assert "First-step pain rising: 3 to 4" in result.reason


def test_falling_pain_and_a_week_without_comparison_are_no_concern() -> None:
    assert attention(signals(pain=PainTrend(2.0, 5.0)), TODAY).score == 0
    assert attention(signals(pain=PainTrend(6.0, None)), TODAY).score == 0


@pytest.mark.parametrize(("done", "missed"), [(6, True), (7, False), (0, True)])
def test_fewer_than_half_the_sessions_done_is_missed_sessions(done: int, missed: bool) -> None:
    result = attention(signals(adherence=Adherence(done, 14)), TODAY)
    assert (Concern.MISSED_SESSIONS in result.concerns) is missed
    if missed:
        assert f"{done} of 14 done in the last {WINDOW_DAYS} days" in result.reason


def test_nothing_planned_yet_is_not_missed_sessions() -> None:
    assert attention(signals(adherence=Adherence(0, 0)), TODAY).score == 0


@pytest.mark.parametrize(
    ("last", "no_data"), [(None, True), (ago(WINDOW_DAYS), True), (ago(WINDOW_DAYS - 1), False)]
)
def test_nothing_recorded_in_the_window_is_no_data(last: date | None, no_data: bool) -> None:
    result = attention(signals(last_activity=last), TODAY)
    assert (result.concerns == (Concern.NO_DATA,)) is no_data


def test_every_concern_is_given_highest_first() -> None:
    result = attention(
        signals(
            prompt=("Flared.",),
            pain=PainTrend(6.0, 3.0),
            adherence=Adherence(1, 14),
            last_activity=ago(20),
        ),
        TODAY,
    )
    assert result.concerns == (
        Concern.SEE_CLINICIAN,
        Concern.RISING_PAIN,
        Concern.MISSED_SESSIONS,
        Concern.NO_DATA,
    )
    assert result.score == 15
    assert len(result.reasons) == 4


# the order of the dashboard ----------------------------------------------------------------


def test_the_dashboard_order_follows_the_concerns() -> None:
    rows = [
        row("fine@x.org"),
        row("silent@x.org", last_activity=ago(30)),
        row("missing@x.org", adherence=Adherence(2, 14)),
        row("hurting@x.org", pain=PainTrend(5.0, 3.0)),
        row("prompted@x.org", prompt=("Flared.",)),
        PersonRow(9, "new@x.org", Signals(intake_done=False), attention(Signals(False), TODAY)),
    ]
    order = [r.email for r in by_attention(rows)]
    assert order == [
        "prompted@x.org",
        "hurting@x.org",
        "missing@x.org",
        "new@x.org",
        "silent@x.org",
        "fine@x.org",
    ]


def test_one_concern_outranks_every_mix_of_those_below() -> None:
    both_below = row(
        "a@x.org", pain=PainTrend(5.0, 3.0), adherence=Adherence(0, 14), last_activity=ago(30)
    )
    prompted = row("z@x.org", prompt=("Flared.",))
    assert [r.email for r in by_attention([both_below, prompted])] == ["z@x.org", "a@x.org"]


def test_ties_go_to_the_steeper_pain_rise_then_the_fewer_sessions_done() -> None:
    rows = [
        row("a@x.org", pain=PainTrend(4.0, 3.0)),
        row("b@x.org", pain=PainTrend(7.0, 3.0)),
    ]
    assert [r.email for r in by_attention(rows)] == ["b@x.org", "a@x.org"]
    rows = [
        row("a@x.org", adherence=Adherence(5, 14)),
        row("b@x.org", adherence=Adherence(1, 14)),
        row("c@x.org", adherence=Adherence(1, 14)),
    ]
    assert [r.email for r in by_attention(rows)] == ["b@x.org", "c@x.org", "a@x.org"]


# the figures -------------------------------------------------------------------------------


def test_pain_trend_compares_the_last_seven_days_with_the_seven_before() -> None:
    days = [
        PainDay(ago(14), 9, 9.0),  # outside both weeks
        PainDay(ago(13), 2, 2.0),
        PainDay(ago(7), 4, 3.0),
        PainDay(ago(6), 5, 5.0),
        PainDay(TODAY, 7, 6.0),
    ]
    trend = pain_trend(days, TODAY)
    assert (trend.previous, trend.recent) == (3.0, 6.0)
    assert trend.direction is Trend.RISING
    assert trend.arrow == "↑"
    assert trend.words() == "rising, 3 to 6"


def test_pain_trend_without_check_ins_says_so() -> None:
    trend = pain_trend([PainDay(ago(10), 4, 4.0)], TODAY)
    assert trend.direction is Trend.UNKNOWN
    assert trend.arrow == ""  # no arrow: the words say there is nothing to compare
    assert trend.words() == "no check-ins in the last 7 days"
    first_week = pain_trend([PainDay(ago(1), 4, 4.0)], TODAY)
    assert first_week.words() == "4 this week; none the week before"


def _program(first: date, days: int) -> Program:
    sessions = (Session(Slot.DAYTIME, 10, ()), Session(Slot.EVENING, 10, ()))
    all_days = [Day(first + timedelta(days=i), sessions) for i in range(days)]
    return Program(
        status=Status.OK,
        protocol="footcoach",
        referral=None,
        adjustment=None,
        weeks=tuple(
            Week(w // 7 + 1, "calm", tuple(all_days[w : w + 7])) for w in range(0, days, 7)
        ),
        excluded=(),
        notes=(),
    )


def _done(day: date, slot: str = "daytime") -> SessionRecord:
    return SessionRecord(day, slot, datetime(2026, 1, 1, tzinfo=UTC), completed=True)


def test_recent_adherence_counts_only_the_last_fourteen_days() -> None:
    program = _program(ago(27), 35)  # four weeks before today, one after
    diary = Diary(
        sessions=(
            _done(ago(20)),  # before the window: not counted
            _done(ago(13)),
            _done(ago(13), "evening"),
            _done(ago(1)),
            _done(TODAY),  # today's done session counts on both sides
        )
    )
    result = recent_adherence(program, diary, TODAY)
    assert (result.done, result.planned) == (4, 13 * 2 + 1)


def test_last_activity_is_the_latest_record_of_any_kind() -> None:
    diary = Diary(
        checkins=(CheckIn(ago(5), 3),),
        sessions=(_done(ago(9)),),
        questionnaires=(QuestionnaireResponse(Instrument.FFI, ago(2), ()),),
    )
    assert last_activity(diary) == ago(2)
    assert last_activity(Diary()) is None


# what a clinician may change --------------------------------------------------------------


def test_change_choices_list_only_linked_exercises_that_fit_the_slot() -> None:
    catalog = Catalog(
        [
            exercise(
                id="towel-stretch",
                name="Towel stretch",
                progressions=("standing-stretch",),
                regressions=("seated-stretch",),
            ),
            exercise(id="seated-stretch", name="Seated stretch"),
            exercise(
                id="standing-stretch", name="Standing stretch", weight_bearing=True, in_bed=False
            ),
            exercise(id="ball-roll", name="Ball roll", dose=Dose(duration_s=120)),
            exercise(id="unrelated", name="Unrelated"),
        ]
    )
    stretch = program_item(exercise="towel-stretch", hold_s=10)
    roll = program_item(exercise="ball-roll", duration_s=120)
    bed = Session(Slot.BEFORE_FIRST_STEP, 2, (stretch,))
    day_session = Session(Slot.DAYTIME, 2, (roll,))
    program = Program(
        status=Status.OK,
        protocol="footcoach",
        referral=None,
        adjustment=None,
        weeks=(Week(1, "calm", (Day(ago(1), (day_session,)), Day(TODAY, (bed,)))),),
        excluded=(),
        notes=(),
    )
    choices = change_choices(program, catalog, TODAY)
    assert [c.exercise for c in choices] == ["towel-stretch"]  # the ball roll was yesterday
    towel = choices[0]
    # only in bed: the standing stretch cannot replace it there
    assert [o.id for o in towel.swaps] == ["seated-stretch"]
    assert towel.dose_fields == ("sets", "reps", "hold_s", "rest_s")
    timed = change_choices(program, catalog, ago(1))
    assert next(c for c in timed if c.exercise == "ball-roll").dose_fields == (
        "sets",
        "duration_s",
        "rest_s",
    )
