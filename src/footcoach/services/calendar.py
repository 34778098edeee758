"""The program as reminders for a phone's calendar: one event per planned session per day, at
the person's own times, and the private links a calendar app can follow.

When the sessions are put (times are "floating": the same clock time wherever the phone is):

- in bed, before the first step: at the time the person gets up;
- during the day: halfway between getting up and going to bed, on the quarter hour before;
- in the evening: an hour before bed, or earlier when the session is longer than an hour, so it
  ends by bedtime.

A bedtime at or before the time of getting up is taken to be after midnight. Only days the
program plans are shown: the program's own days (a paused phase shows what the pause plans),
nothing before it starts or after it ends, and nothing while the answers need a clinician.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from footcoach.domain.catalog import Catalog
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.item_words import item_words
from footcoach.domain.program import Session
from footcoach.domain.protocol import Slot
from footcoach.domain.wording import day_text
from footcoach.services.ports import Clock
from footcoach.services.tracking import NoProfileError, Snapshot, TrackingService

WEEKS_RANGE = (1, 12)
"""Weeks a calendar can cover: at least one, at most about three months ahead."""
DEFAULT_WEEKS = 4
EVENING_LEAD = timedelta(hours=1)
"""The evening session starts this long before bedtime (or earlier, to end by bedtime)."""
DAYTIME_STEP_MINUTES = 15
"""The daytime session starts on a quarter hour."""
REFRESH = timedelta(hours=1)
"""How often a calendar app that follows the link is asked to look again."""
TOKEN_BYTES = 32
"""The link's secret: 32 random bytes, 43 characters in the URL."""

TITLES = {
    Slot.BEFORE_FIRST_STEP: "Foot exercises in bed, before your first step",
    Slot.DAYTIME: "Foot exercises during the day",
    Slot.EVENING: "Foot exercises in the evening",
}
ALARMS = {
    Slot.BEFORE_FIRST_STEP: "Before you stand up: your foot exercises in bed",
    Slot.DAYTIME: "Time for your foot exercises",
    Slot.EVENING: "Time for your evening foot exercises",
}
CALENDAR_NAME = "Foot exercises (footcoach)"
CLOSING = "Open footcoach for the session with its timers, and to note how it went."


@dataclass(frozen=True, slots=True)
class Reminder:
    """One planned session on one day, as a calendar event."""

    uid: str
    """The same for the same profile, day and time of day, so that a calendar updates it."""
    day: date
    slot: Slot
    start: datetime
    """Floating (no time zone): the clock time the person set."""
    minutes: int
    title: str
    description: str
    alarm: str


@dataclass(frozen=True, slots=True)
class SessionCalendar:
    name: str
    first: date
    last: date
    reminders: tuple[Reminder, ...]
    made_at: datetime
    """When the calendar was made (aware)."""
    sequence: int
    """Rises with every change to what the program reads: a newer calendar's events win."""
    note: str | None = None
    """Why there are no sessions to show, when there are none."""


@dataclass(frozen=True, slots=True)
class CalendarLink:
    """A profile's private link, as stored: its number and when it was made (never its secret)."""

    id: int
    made_at: datetime


@dataclass(frozen=True, slots=True)
class NewLink:
    token: str
    """The secret, for the URL: shown once, then only its digest is kept."""
    link: CalendarLink


class CalendarLinks(Protocol):
    """Where links are kept: at most one per profile, found by the digest of its secret."""

    def current(self, profile: str) -> CalendarLink | None: ...

    def replace(
        self, profile: str, digest: str, replaces: int | None, now: datetime
    ) -> CalendarLink | None:
        """Store a new link for the profile in place of its current one, when the current one
        is `replaces` (None: there is none); else None and nothing is written. Raises
        NoProfileError for a profile that does not exist."""
        ...

    def remove(self, profile: str) -> None: ...

    def profile_of(self, digest: str) -> str | None: ...


def check_weeks(value: object, field: str = "weeks") -> int:
    """The weeks asked for (None: the default), or InvalidInputError naming `field`."""
    if value is None:
        return DEFAULT_WEEKS
    low, high = WEEKS_RANGE
    number = value
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
        raise InvalidInputError([Problem(field, number, f"a whole number from {low} to {high}")])
    return number


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def plausible_token(token: str) -> bool:
    """Whether a URL's token could be one footcoach made (others are not looked up)."""
    return 20 <= len(token) <= 100 and all(c.isalnum() or c in "-_" for c in token)


def session_start(slot: Slot, day: date, wake: time, bed: time, minutes: int) -> datetime:
    """When a session of `minutes` starts on `day`, for a person who gets up at `wake` and goes
    to bed at `bed` (see the module's notes)."""
    up = datetime.combine(day, wake)
    down = datetime.combine(day if bed > wake else day + timedelta(days=1), bed)
    if slot is Slot.BEFORE_FIRST_STEP:
        return up
    if slot is Slot.EVENING:
        return down - max(EVENING_LEAD, timedelta(minutes=minutes))
    middle = up + (down - up) / 2
    step = DAYTIME_STEP_MINUTES
    return middle.replace(minute=middle.minute - middle.minute % step, second=0, microsecond=0)


def uid(profile: str, day: date, slot: Slot) -> str:
    """Stable per (profile, day, time of day); the profile's name is not readable in it."""
    who = hashlib.sha256(profile.encode("utf-8")).hexdigest()[:16]
    return f"{day:%Y%m%d}-{slot.value}-{who}@footcoach"


def description(session: Session, catalog: Catalog) -> str:
    """What the session holds, one exercise a line with its dose in words."""
    about = "minute" if session.minutes == 1 else "minutes"
    lines = [f"About {session.minutes} {about}:"]
    lines += [f"- {catalog.get(i.exercise).name}: {item_words(i)}" for i in session.items]
    return "\n".join([*lines, "", CLOSING])


def session_calendar(
    snapshot: Snapshot, catalog: Catalog, today: date, now: datetime, weeks: int
) -> SessionCalendar:
    """The reminders of the `weeks` weeks from `today`, from the program as it stands."""
    profile, program = snapshot.profile, snapshot.program
    first, last = today, today + timedelta(days=7 * weeks - 1)
    wake, bed = profile.intake.wake_time, profile.intake.bed_time
    reminders = []
    if program.referral is None:
        for week in program.weeks:
            for planned in week.days:
                if not first <= planned.day <= last:
                    continue
                for session in planned.sessions:
                    start = session_start(session.slot, planned.day, wake, bed, session.minutes)
                    reminders.append(
                        Reminder(
                            uid=uid(profile.name, planned.day, session.slot),
                            day=planned.day,
                            slot=session.slot,
                            start=start,
                            minutes=session.minutes,
                            title=TITLES[session.slot],
                            description=description(session, catalog),
                            alarm=ALARMS[session.slot],
                        )
                    )
    reminders.sort(key=lambda r: r.start)
    return SessionCalendar(
        name=CALENDAR_NAME,
        first=first,
        last=last,
        reminders=tuple(reminders),
        made_at=now,
        sequence=snapshot.revision[1],
        note=None if reminders else _why_none(snapshot, first, last),
    )


def _why_none(snapshot: Snapshot, first: date, last: date) -> str:
    program, start = snapshot.program, snapshot.profile.start
    if program.referral is not None:
        return (
            "your latest answers need a clinician's view first, so no sessions are planned; "
            "the reminders come back once a program is planned again"
        )
    ends = start + timedelta(days=7 * len(program.weeks) - 1)
    if start > last:
        return f"your program starts on {day_text(start)}, after these weeks"
    if ends < first:
        return f"your program ended on {day_text(ends)}; answer the questions again for a new one"
    return "no sessions are planned in these weeks"


class CalendarService:
    """A person's sessions as a calendar, and the private link that serves it."""

    def __init__(
        self, tracking: TrackingService, catalog: Catalog, links: CalendarLinks, clock: Clock
    ) -> None:
        self.tracking = tracking
        self.catalog = catalog
        self.links = links
        self.clock = clock

    def calendar(self, name: str, weeks: int = DEFAULT_WEEKS) -> SessionCalendar:
        """The coming weeks of a profile's program, from today, as it stands now (a change to
        the program shows at once: the snapshot is read again after every write)."""
        snapshot = self.tracking.snapshot(name)
        return session_calendar(snapshot, self.catalog, self.clock.today(), self.clock.now(), weeks)

    def feed(self, token: str, weeks: int = DEFAULT_WEEKS) -> SessionCalendar | None:
        """The calendar behind a link's secret; None for a secret that is not (or no longer)
        in use, or a profile that is gone."""
        if not plausible_token(token):
            return None
        name = self.links.profile_of(digest(token))
        if name is None:
            return None
        try:
            return self.calendar(name, weeks)
        except NoProfileError:
            return None

    def link(self, name: str) -> CalendarLink | None:
        return self.links.current(name)

    def new_link(self, name: str, replaces: int | None) -> NewLink | None:
        """A new secret link in place of the current one (which stops working at once).

        `replaces` is the link the person saw when they asked (None: none): when another link
        has been made since (the same form sent twice), nothing changes and None is returned,
        so a page reloaded does not break the link a phone has just started to follow."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        made = self.links.replace(name, digest(token), replaces, self.clock.now())
        return None if made is None else NewLink(token, made)

    def stop_link(self, name: str) -> None:
        """The profile's link stops working; nothing else changes."""
        self.links.remove(name)
