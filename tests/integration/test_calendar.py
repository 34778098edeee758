"""The calendar of sessions, read back as a phone would: parsed with icalendar and expanded with
recurring-ical-events over four weeks, on each kind of database; and its private links.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from footcoach.adapters.ical_calendar import ical_bytes
from footcoach.bootstrap import Services, build_services
from footcoach.config import Settings
from footcoach.domain.changes import ChangeKind, DoseChange, ProgramChange
from footcoach.domain.item_words import item_words
from footcoach.domain.protocol import Slot
from footcoach.schemas.intake import parse_intake
from footcoach.services.calendar import digest
from footcoach.services.settings import change_times
from tests.support.clock import FixedClock

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TODAY = date(2026, 11, 23)
WEEKS = 4
ANA = "ana"


def intake(**fields):
    doc = json.loads((EXAMPLES / "intake.json").read_text())
    return parse_intake({**doc, **fields})


@pytest.fixture
def services(database_url) -> Iterator[Services]:
    built = build_services(Settings(database_url=database_url), clock=FixedClock(TODAY))
    yield built
    built.close()


@pytest.fixture
def ana(services) -> Services:
    """A profile that started a week ago, from the example intake (up 06:30, bed 22:30)."""
    services.tracking.init(ANA, intake(), start=TODAY - timedelta(days=7))
    return services


def events(document: bytes, weeks: int = WEEKS) -> list[icalendar.Event]:
    """The events a calendar app shows from today over `weeks` weeks."""
    calendar = icalendar.Calendar.from_ical(document)
    end = TODAY + timedelta(days=7 * weeks)
    return list(recurring_ical_events.of(calendar).between(TODAY, end))


def planned(services: Services, name: str = ANA, weeks: int = WEEKS):
    """(day, session) for each session the program plans from today for `weeks` weeks."""
    program = services.tracking.snapshot(name).program
    last = TODAY + timedelta(days=7 * weeks - 1)
    return [
        (day.day, session)
        for week in program.weeks
        for day in week.days
        if TODAY <= day.day <= last
        for session in day.sessions
    ]


def by_day_and_title(found: list[icalendar.Event]) -> dict[tuple[date, str], icalendar.Event]:
    return {(e.decoded("dtstart").date(), str(e["summary"])): e for e in found}


def test_one_event_per_planned_session_at_the_persons_times(ana):
    document = ical_bytes(ana.calendar.calendar(ANA, WEEKS))
    found = events(document)
    sessions = planned(ana)
    assert len(found) == len(sessions) > 7 * WEEKS  # several sessions a day, every day
    starts = {}
    for event in found:
        start = event.decoded("dtstart")
        assert isinstance(start, datetime) and start.tzinfo is None  # the phone's own clock
        starts.setdefault(str(event["summary"]), set()).add(start.time())
        end = event.end
        title = str(event["summary"])
        if "before your first step" in title:
            assert start.time() == time(6, 30)
        elif "evening" in title:
            assert end.time() <= time(22, 30) and start.time() >= time(18, 0)
        else:
            assert time(6, 30) < start.time() < time(22, 30) and start.minute % 15 == 0
    assert len(starts) == 3 and all(len(times) == 1 for times in starts.values())


def test_every_event_has_an_alarm_and_lists_its_exercises_and_doses(ana):
    found = by_day_and_title(events(ical_bytes(ana.calendar.calendar(ANA, WEEKS))))
    catalog = ana.library.catalog
    titles = {
        Slot.BEFORE_FIRST_STEP: "Foot exercises in bed, before your first step",
        Slot.DAYTIME: "Foot exercises during the day",
        Slot.EVENING: "Foot exercises in the evening",
    }
    for day, session in planned(ana):
        event = found[(day, titles[session.slot])]
        alarms = [c for c in event.subcomponents if c.name == "VALARM"]
        assert len(alarms) == 1 and str(alarms[0]["action"]) == "DISPLAY"
        assert alarms[0].decoded("trigger") == timedelta(0)
        text = str(event["description"])
        for item in session.items:
            assert f"{catalog.get(item.exercise).name}: {item_words(item)}" in text
        assert event.duration == timedelta(minutes=session.minutes)


def test_uids_are_stable_per_day_and_time_of_day(ana):
    first = events(ical_bytes(ana.calendar.calendar(ANA, WEEKS)))
    uids = [str(e["uid"]) for e in first]
    assert len(set(uids)) == len(uids)
    change_times(ana.tracking, ANA, time(7, 15), time(23, 0))
    again = events(ical_bytes(ana.calendar.calendar(ANA, WEEKS)))
    moved = {str(e["uid"]): e.decoded("dtstart") for e in again}
    assert set(moved) == set(uids)  # the same events, updated in place
    assert {s.time() for u, s in moved.items() if "before_first_step" in u} == {time(7, 15)}
    assert min(int(e["sequence"]) for e in again) > max(int(e["sequence"]) for e in first)


def test_a_program_change_shows_at_once(ana):
    """A clinician's new dose is in the next calendar read, with no wait and no cache."""
    item = planned(ana)[0][1].items[0]
    name = ana.library.catalog.get(item.exercise).name
    before = ana.calendar.calendar(ANA, WEEKS)
    new_sets = item.sets + 1
    change = ProgramChange(
        kind=ChangeKind.DOSE,
        who="physio@clinic.example",
        role="clinician",
        when=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        why="Ready for more.",
        starts=TODAY,
        exercise=item.exercise,
        dose=DoseChange(sets=new_sets),
    )
    ana.prescriptions.change(ANA, change, based_on_version=0)
    after = ana.calendar.calendar(ANA, WEEKS)
    changed = f"{name}: {item_words(replace(item, sets=new_sets))}"
    assert not any(changed in r.description for r in before.reminders)
    assert any(changed in r.description for r in after.reminders)
    assert after.sequence > before.sequence


def test_a_paused_phase_shows_what_the_program_plans_for_each_day(services):
    """Three severe mornings pause the loading work: the calendar shows the paused routine,
    exactly as the program's days hold it (nothing recomputed)."""
    services.tracking.init(ANA, intake(first_step_pain=2), start=TODAY - timedelta(days=21))
    services.tracking.init("bo", intake(first_step_pain=2), start=TODAY - timedelta(days=21))
    for back in range(21, 0, -1):
        day = TODAY - timedelta(days=back)
        services.tracking.checkin(ANA, 8 if back <= 3 else 2, day)
        services.tracking.checkin("bo", 2, day)
    paused = services.tracking.snapshot(ANA).program
    assert paused.adjustment is not None and paused.adjustment.action.value == "pause"
    assert planned(services, ANA) != planned(services, "bo")  # the pause changes the days

    found = by_day_and_title(events(ical_bytes(services.calendar.calendar(ANA, WEEKS))))
    catalog = services.library.catalog
    assert len(found) == len(planned(services, ANA))
    for day, session in planned(services, ANA):
        (event,) = [e for (d, _), e in found.items() if d == day and _slot(e) is session.slot]
        names = [line for line in str(event["description"]).splitlines() if line.startswith("-")]
        assert names == [
            f"- {catalog.get(i.exercise).name}: {item_words(i)}" for i in session.items
        ]


def _slot(event: icalendar.Event) -> Slot:
    return Slot(str(event["uid"]).split("-", 1)[1].rsplit("-", 1)[0])


def test_no_sessions_before_the_start_or_after_the_end(services):
    services.tracking.init(ANA, intake(), start=TODAY + timedelta(days=10), weeks=2)
    made = services.calendar.calendar(ANA, WEEKS)
    days = {r.day for r in made.reminders}
    assert min(days) == TODAY + timedelta(days=10)
    assert max(days) == TODAY + timedelta(days=10 + 13)
    services.tracking.init("bo", intake(), start=TODAY + timedelta(days=40))
    later = services.calendar.calendar("bo", WEEKS)
    assert later.reminders == () and "starts on Saturday 2 January 2027" in (later.note or "")


def test_answers_that_need_a_clinician_empty_the_calendar(ana):
    ana.tracking.init(ANA, intake(red_flags=["fever"]), replace_existing=True)
    made = ana.calendar.calendar(ANA, WEEKS)
    assert made.reminders == () and "clinician" in (made.note or "")
    assert events(ical_bytes(made)) == []


# links --------------------------------------------------------------------------------------


def test_a_link_serves_its_profile_until_a_new_one_replaces_it(ana):
    ana.tracking.init("bo", intake(), start=TODAY)
    assert ana.calendar.link(ANA) is None
    first = ana.calendar.new_link(ANA, None)
    assert first is not None and len(first.token) >= 40
    feed = ana.calendar.feed(first.token)
    assert feed is not None and feed.reminders == ana.calendar.calendar(ANA).reminders
    assert ana.calendar.link(ANA) == first.link

    second = ana.calendar.new_link(ANA, first.link.id)
    assert second is not None and second.token != first.token
    assert ana.calendar.feed(first.token) is None
    assert ana.calendar.feed(second.token) is not None
    bo = ana.calendar.new_link("bo", None)  # each profile its own
    assert bo is not None and ana.calendar.feed(second.token) is not None

    ana.calendar.stop_link(ANA)
    assert ana.calendar.feed(second.token) is None and ana.calendar.link(ANA) is None
    assert ana.calendar.feed(bo.token) is not None


def test_the_same_form_sent_twice_keeps_the_first_new_link(ana):
    first = ana.calendar.new_link(ANA, None)
    assert first is not None
    assert ana.calendar.new_link(ANA, None) is None  # made from a page that showed no link
    assert ana.calendar.feed(first.token) is not None


def test_only_the_digest_of_a_link_is_stored(ana):
    from sqlalchemy import select

    from footcoach.adapters.db.tables import CalendarLinkRow

    made = ana.calendar.new_link(ANA, None)
    assert made is not None
    with ana.database.engine.connect() as conn:
        stored = conn.execute(select(CalendarLinkRow.token_digest)).scalars().all()
    assert stored == [digest(made.token)] and made.token not in stored[0]


@pytest.mark.parametrize("token", ["", "x", "a" * 43 + "/", "a" * 101, "a" * 43])
def test_unknown_tokens_find_nothing(ana, token):
    ana.calendar.new_link(ANA, None)
    assert ana.calendar.feed(token) is None


def test_what_the_phone_shows_is_in_plain_words(services):
    """Titles, notes, alarms and the reasons for an empty calendar, as a patient reads them."""
    from tests.support.plain_words import project_words

    services.tracking.init(ANA, intake(), start=TODAY - timedelta(days=7))
    services.tracking.init("later", intake(), start=TODAY + timedelta(days=40))
    services.tracking.init("ended", intake(), start=TODAY - timedelta(days=70), weeks=2)
    texts = []
    for name in (ANA, "later", "ended"):
        made = services.calendar.calendar(name, WEEKS)
        texts += [made.name, made.note or ""]
        texts += [t for r in made.reminders for t in (r.title, r.description, r.alarm)]
    assert [problem for text in texts for problem in project_words(text)] == []
