"""A SessionCalendar as an RFC 5545 document, written with the icalendar library."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Alarm, Calendar, Event, vDuration

from footcoach.services.calendar import REFRESH, SessionCalendar

MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODUCT = "-//footcoach//foot exercise reminders//EN"


def ical_bytes(calendar: SessionCalendar) -> bytes:
    """The calendar as iCalendar text (CRLF lines, folded at 75 octets), UTF-8."""
    document = Calendar()
    document.add("prodid", PRODUCT)
    document.add("version", "2.0")
    document.add("calscale", "GREGORIAN")
    document.add("method", "PUBLISH")
    document.add("name", calendar.name)
    document.add("x-wr-calname", calendar.name)
    refresh = vDuration(REFRESH)
    refresh.params["VALUE"] = "DURATION"
    document.add("refresh-interval", refresh)
    document.add("x-published-ttl", vDuration(REFRESH))
    for reminder in calendar.reminders:
        event = Event()
        event.add("uid", reminder.uid)
        event.add("dtstamp", calendar.made_at)
        event.add("sequence", calendar.sequence)
        event.add("dtstart", reminder.start)  # floating: the person's own clock time
        event.add("duration", timedelta(minutes=reminder.minutes))
        event.add("summary", reminder.title)
        event.add("description", reminder.description)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot in the day
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", reminder.alarm)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        document.add_component(event)
    return document.to_ical()
