"""When each session goes in the calendar, from the person's times, and the weeks allowed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footcoach.domain.errors import InvalidInputError
from footcoach.domain.protocol import Slot
from footcoach.services.calendar import check_weeks, session_start, uid

DAY = date(2026, 11, 23)


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    return datetime.combine(DAY + timedelta(days=days), time(hour, minute))


@pytest.mark.parametrize(
    ("slot", "wake", "bed", "minutes", "expected"),
    [
        (Slot.BEFORE_FIRST_STEP, time(6, 30), time(22, 30), 8, at(6, 30)),
        (Slot.DAYTIME, time(6, 30), time(22, 30), 8, at(14, 30)),
        (Slot.DAYTIME, time(7, 0), time(22, 30), 8, at(14, 45)),  # 14:45 exactly
        (Slot.DAYTIME, time(7, 10), time(22, 0), 8, at(14, 30)),  # 14:35, to the quarter before
        (Slot.EVENING, time(6, 30), time(22, 30), 5, at(21, 30)),
        (Slot.EVENING, time(6, 30), time(22, 30), 75, at(21, 15)),  # ends by bedtime
        # a bedtime after midnight belongs to the night after the day
        (Slot.EVENING, time(7, 0), time(0, 30), 10, at(23, 30)),
        (Slot.DAYTIME, time(7, 0), time(0, 30), 10, at(15, 45)),
        # a night worker: up at six in the evening, to bed at eight in the morning
        (Slot.BEFORE_FIRST_STEP, time(18, 0), time(8, 0), 5, at(18, 0)),
        (Slot.DAYTIME, time(18, 0), time(8, 0), 5, at(1, 0, days=1)),
        (Slot.EVENING, time(18, 0), time(8, 0), 5, at(7, 0, days=1)),
    ],
)
def test_session_start(slot, wake, bed, minutes, expected):
    assert session_start(slot, DAY, wake, bed, minutes) == expected


clock = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@given(wake=clock, bed=clock, minutes=st.integers(1, 120))
def test_sessions_fall_in_the_waking_day_in_order(wake, bed, minutes):
    up = datetime.combine(DAY, wake)
    down = datetime.combine(DAY if bed > wake else DAY + timedelta(days=1), bed)
    first = session_start(Slot.BEFORE_FIRST_STEP, DAY, wake, bed, minutes)
    middle = session_start(Slot.DAYTIME, DAY, wake, bed, minutes)
    last = session_start(Slot.EVENING, DAY, wake, bed, minutes)
    assert first == up
    assert last + timedelta(minutes=minutes) <= down
    assert last <= down - timedelta(hours=1)
    assert up - timedelta(minutes=15) < middle <= up + (down - up) / 2
    assert middle.minute % 15 == 0 and middle.second == 0


def test_uids_differ_by_profile_day_and_slot_and_hide_the_name():
    one = uid("ana", DAY, Slot.EVENING)
    assert one == uid("ana", DAY, Slot.EVENING)
    assert "ana" not in one.split("@")[0].split("-", 2)[-1]
    others = {
        uid("bo", DAY, Slot.EVENING),
        uid("ana", DAY + timedelta(days=1), Slot.EVENING),
        uid("ana", DAY, Slot.DAYTIME),
    }
    assert one not in others and len(others) == 3


@pytest.mark.parametrize(("given_", "weeks"), [(None, 4), (1, 1), (12, 12), ("3", 3), (" 7 ", 7)])
def test_weeks_allowed(given_, weeks):
    assert check_weeks(given_) == weeks


@pytest.mark.parametrize("given_", [0, 13, -1, "x", "", "2.5", True, 4.0])
def test_weeks_refused_naming_the_field_and_the_range(given_):
    with pytest.raises(InvalidInputError) as caught:
        check_weeks(given_, "--weeks")
    (problem,) = caught.value.problems
    assert problem.field == "--weeks" and problem.allowed == "a whole number from 1 to 12"
