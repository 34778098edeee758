"""The planner's side of the second clinical review: a sore foot is never loaded, a paused phase
stays put, routines stay whole, and pregnancy, a recent injection, age and long pain change the
plan in the ways the notes say."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footcoach.domain.catalog import Equipment
from footcoach.domain.intake import CheckIn, History, SessionLog
from footcoach.domain.planner import build_program, is_heel_raise, is_standing_balance
from footcoach.domain.program import Action, Status
from tests.factories import intake
from tests.program.strategies import START, histories, intakes
from tests.program.test_program_rules import PROTOCOL_IDS

EVERYTHING = tuple(Equipment)
PROPERTY = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def day(n):
    return START + timedelta(days=n)


def plan(library, protocols, history=None, protocol="footcoach", weeks=12, **changes):
    changes.setdefault("equipment", EVERYTHING)
    changes.setdefault("minutes_per_day", 120)
    return build_program(intake(**changes), library, protocols.get(protocol), START, weeks, history)


def days(program):
    return [d for w in program.weeks for d in w.days]


def exercises(d):
    return [i.exercise for s in d.sessions for i in s.items]


def items(program):
    return [(d, s, i) for d in days(program) for s in d.sessions for i in s.items]


# --- the reviewer's cases --------------------------------------------------------------------


def test_fifteen_mornings_at_six_keep_heavy_heel_raises_out_of_week_three(library, protocols):
    history = History(tuple(CheckIn(day(n), 6) for n in range(15)))
    program = plan(library, protocols, history, first_step_pain=6)
    assert all("high-load-heel-raise" not in exercises(d) for d in days(program))
    assert {w.phase for w in program.weeks} == {"calm"}
    assert program.adjustment.action is Action.PAUSE


def test_the_calm_phase_ends_once_three_mornings_average_under_four(library, protocols):
    history = History(tuple(CheckIn(day(n), 6 if n < 14 else 2) for n in range(17)))
    program = plan(library, protocols, history, first_step_pain=6)
    assert program.weeks[0].phase == "calm"
    assert "loading" in {w.phase for w in program.weeks[2:]}
    assert any("high-load-heel-raise" in exercises(d) for d in days(program)[17:])


def test_a_pause_keeps_the_phase_label_and_swaps_standing_stretches_for_seated(library, protocols):
    # loading from the start; a flare at days 20-22 against a usual of 2
    mornings = [CheckIn(day(n), 2) for n in range(20)] + [CheckIn(day(n), 6) for n in (20, 21, 22)]
    program = plan(library, protocols, History(tuple(mornings)), first_step_pain=2)
    assert program.adjustment.action is Action.PAUSE
    assert {w.phase for w in program.weeks} == {"loading"}  # no "build", though week 11 comes
    for d in days(program)[23:]:
        used = exercises(d)
        assert "standing-calf-stretch" not in used and "soleus-stretch" not in used
        assert "long-sit-calf-stretch" in used
        assert not any(is_heel_raise(library.catalog.get(e)) for e in used)


def test_three_mornings_at_nine_pause_a_person_who_started_at_nine(library, protocols):
    history = History(tuple(CheckIn(day(n), 9) for n in range(3)))
    program = plan(library, protocols, history, first_step_pain=9, protocol="high-load-strength")
    assert program.adjustment.action is Action.PAUSE
    assert program.clinician_prompt is not None
    assert all("high-load-heel-raise" not in exercises(d) for d in days(program))


# --- routines stay whole ---------------------------------------------------------------------


def test_rest_after_ice_goes_when_ice_cannot_be_done(library, protocols):
    no_ice = tuple(e for e in Equipment if e is not Equipment.ICE_PACK)
    program = plan(library, protocols, protocol="foot-trainer-rehab", equipment=no_ice)
    assert all("rest-after-ice" not in exercises(d) for d in days(program))
    reasons = {e.exercise: e.reason for e in program.excluded}
    assert "ice" in reasons["rest-after-ice"]


def test_fitting_the_time_drops_ice_and_the_rest_after_it_together(library, protocols):
    for minutes in range(20, 70, 5):
        program = plan(library, protocols, protocol="foot-trainer-rehab", minutes_per_day=minutes)
        for d in days(program):
            for s in d.sessions:
                used = [i.exercise for i in s.items]
                if "rest-after-ice" in used:
                    assert "ice-tender-areas" in used[: used.index("rest-after-ice")], minutes
        dropped = {e.exercise for e in program.excluded if "minutes a day" in e.reason}
        if dropped:
            note = next(n for n in program.notes if n.startswith("To fit your"))
            assert "The whole routine needs about" in note


def test_calf_and_soleus_stretches_come_twice_a_day(library, protocols):
    program = plan(library, protocols, first_step_pain=2)
    for d in days(program)[:14]:
        used = exercises(d)
        assert used.count("standing-calf-stretch") >= 2
        assert used.count("soleus-stretch") >= 2
    calm = plan(library, protocols, first_step_pain=6)
    assert exercises(days(calm)[0]).count("long-sit-calf-stretch") >= 2


def test_the_calm_phase_text_names_no_item_the_plan_may_drop(library, protocols):
    for protocol in protocols:
        for phase in protocol.phases:
            if not phase.gentle:
                continue
            text = phase.summary.lower()
            for pitem in phase.items:
                if pitem.priority.value == "essential":
                    continue
                ex = library.catalog.get(pitem.exercise)
                for name in (ex.name, *ex.aliases):
                    assert name.lower() not in text, (protocol.id, name)
            assert "massage" not in text and "calf stretch" not in text


# --- who does what, and why ----------------------------------------------------------------


def build_phase_balance(program, library):
    return [i for _, _, i in items(program) if is_standing_balance(library.catalog.get(i.exercise))]


def settled_history(n=40):
    return History(tuple(CheckIn(day(k), 1) for k in range(n)))


def test_pregnancy_keeps_the_plan_but_adds_no_weight_and_holds_on(library, protocols):
    program = plan(library, protocols, settled_history(), first_step_pain=1, pregnant=True)
    assert program.status is Status.OK
    loads = [i.load or "" for _, _, i in items(program)]
    assert not any("backpack" in load and "no backpack" not in load for load in loads)
    balance = build_phase_balance(program, library)
    assert balance and all("hold on" in (i.load or "") for i in balance)
    assert any("pregnant" in n for n in program.notes)


def test_without_pregnancy_the_backpack_comes_in(library, protocols):
    program = plan(library, protocols, settled_history(), first_step_pain=1)
    assert any("backpack" in (i.load or "") for _, _, i in items(program))


def test_older_people_do_eyes_closed_balance_holding_on(library, protocols):
    for changes in ({"age": 70}, {"weeks_of_symptoms": 60}):
        program = plan(library, protocols, settled_history(), first_step_pain=1, **changes)
        balance = build_phase_balance(program, library)
        assert balance and all("hold on" in (i.load or "") for i in balance), changes
        assert any("holding on" in n for n in program.notes)


def test_a_clinician_prompt_changes_the_plan_as_its_advice_says(library, protocols):
    program = plan(library, protocols, settled_history(), first_step_pain=1, weeks_of_symptoms=30)
    assert program.clinician_prompt is not None
    assert "holding on" in program.clinician_prompt.advice
    balance = build_phase_balance(program, library)
    assert balance and all("hold on" in (i.load or "") for i in balance)


def test_younger_people_without_a_prompt_balance_as_the_card_says(library, protocols):
    program = plan(library, protocols, settled_history(), first_step_pain=1, age=40)
    assert program.clinician_prompt is None
    balance = build_phase_balance(program, library)
    assert balance and not any("hold on" in (i.load or "") for i in balance)


def test_a_recent_steroid_injection_defers_heel_raises_two_weeks(library, protocols):
    program = plan(library, protocols, first_step_pain=1, steroid_injection_weeks_ago=0)
    raised = [n for n, d in enumerate(days(program)) if "high-load-heel-raise" in exercises(d)]
    assert raised and min(raised) == 14
    assert program.clinician_prompt is not None
    assert any("steroid injection" in r for r in program.clinician_prompt.reasons)
    reasons = {e.exercise: e.reason for e in program.excluded}
    assert "steroid injection" in reasons["high-load-heel-raise"]


def test_an_injection_a_week_ago_defers_one_more_week(library, protocols):
    program = plan(library, protocols, first_step_pain=1, steroid_injection_weeks_ago=1)
    raised = [n for n, d in enumerate(days(program)) if "high-load-heel-raise" in exercises(d)]
    assert min(raised) == 8  # every other day from day 0: day 8 is the first after a week


def test_an_older_injection_changes_nothing(library, protocols):
    late = plan(library, protocols, first_step_pain=1, steroid_injection_weeks_ago=2)
    none = plan(library, protocols, first_step_pain=1)
    assert days(late) == days(none)
    assert late.clinician_prompt is None


# --- properties over generated people and histories ------------------------------------------


def _mornings_before(history, d, inclusive):
    values = [c for c in sorted(history.checkins, key=lambda c: c.day) if c.day <= d]
    if not inclusive:
        values = [c for c in values if c.day < d]
    by_day = {}
    for c in values:
        by_day[c.day] = max(c.first_step_pain, by_day.get(c.day, 0))
    return list(by_day.values())[-3:]


@st.composite
def sore_histories(draw):
    """Mornings on a plateau near 4 (a level, give or take a point), some days missed, sessions
    that went well: the histories where a calendar or a single number would wrongly load."""
    n = draw(st.integers(8, 28))
    level = draw(st.integers(2, 7))
    skip = draw(st.integers(3, 9))
    pains = draw(st.lists(st.integers(-1, 1), min_size=n, max_size=n))
    sessions = draw(st.lists(st.integers(0, n - 1), max_size=8, unique=True))
    return History(
        checkins=tuple(
            CheckIn(day(k), min(10, max(0, level + p))) for k, p in enumerate(pains) if k % skip
        ),
        sessions=tuple(
            SessionLog(day(k), "daytime", True, draw(st.none() | st.integers(0, 4)))
            for k in sorted(sessions)
        ),
    )


@PROPERTY
@given(
    person=intakes(),
    history=histories() | sore_histories(),
    protocol_id=st.sampled_from(PROTOCOL_IDS),
)
def test_no_heavy_heel_raise_after_three_sore_mornings(
    library, protocols, person, history, protocol_id
):
    program = build_program(person, library, protocols.get(protocol_id), START, 6, history)
    if program.status is Status.REFER:
        return
    for d in days(program):
        for inclusive in (False, True):
            last = _mornings_before(history, d.day, inclusive)
            if len(last) == 3 and sum(last) / 3 >= 4:
                raised = [e for e in exercises(d) if is_heel_raise(library.catalog.get(e))]
                assert not raised, (d.day, last, raised)


@PROPERTY
@given(
    person=intakes(),
    history=st.none() | histories(),
    protocol_id=st.sampled_from(PROTOCOL_IDS),
)
def test_no_item_is_planned_without_the_item_it_follows(
    library, protocols, person, history, protocol_id
):
    protocol = protocols.get(protocol_id)
    program = build_program(person, library, protocol, START, 4, history)
    if program.status is Status.REFER:
        return
    pairs = {
        (p.items[i].exercise, p.items[i].slot, p.items[lead].exercise, p.items[lead].slot)
        for p in protocol.phases
        for i in range(len(p.items))
        if (lead := p.predecessor(i)) is not None
    }
    order = ["before_first_step", "daytime", "evening"]
    for d in days(program):
        planned = [(s.slot.value, i.exercise) for s in d.sessions for i in s.items]
        for follower, slot, lead, lead_slot in pairs:
            if (slot.value, follower) not in planned:
                continue
            at = planned.index((slot.value, follower))
            lead_names = {lead, *library.catalog.get(lead).substitute_exercises}
            earlier = [
                e
                for k, (sl, e) in enumerate(planned)
                if k < at and order.index(sl) <= order.index(lead_slot.value)
            ]
            assert lead_names & set(earlier), (d.day, follower, lead)
        # the round the reviewer found broken, said plainly
        for s in d.sessions:
            used = [i.exercise for i in s.items]
            if "rest-after-ice" in used:
                assert "ice-tender-areas" in used[: used.index("rest-after-ice")]
