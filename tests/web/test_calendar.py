"""The calendar on the web: the person's own .ics, the settings section that makes, replaces and
stops the private link, and the feed a phone follows without a login."""

from __future__ import annotations

import re
from datetime import time, timedelta

import icalendar
import recurring_ical_events

from tests.web.conftest import TODAY
from tests.web.multi_user import multi_fixture  # noqa: F401

LINK = re.compile(r'id="calendar-url"[^>]*value="(https?://[^"]+)"')


def expand(body: bytes, weeks: int = 4) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return list(recurring_ical_events.of(calendar).between(TODAY, TODAY + timedelta(weeks=weeks)))


def planned(services, name: str = "default", weeks: int = 4) -> int:
    program = services.tracking.snapshot(name).program
    last = TODAY + timedelta(days=7 * weeks - 1)
    return sum(len(d.sessions) for w in program.weeks for d in w.days if TODAY <= d.day <= last)


def in_bed_times(found: list[icalendar.Event]) -> set[time]:
    return {e.decoded("dtstart").time() for e in found if "first step" in str(e["summary"])}


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def make_link(client, replaces: str = "", **extra) -> tuple[str, str]:
    """Press "Make a link" (or "Make a new link"): the page and the link it shows once."""
    page = client.post("/settings/calendar", data={"replaces": replaces, **extra})
    assert page.status_code == 200, page.text
    found = LINK.search(page.text)
    assert found, "the new link is not on the page"
    return page.text, found.group(1)


def words(page: str) -> str:
    """The page with its line breaks and runs of spaces made single spaces."""
    return re.sub(r"\s+", " ", page)


def shown_link_id(page: str) -> str:
    found = re.search(r'name="replaces" value="(\d*)"', page)
    assert found
    return found.group(1)


# the person's own calendar ----------------------------------------------------------------


def test_my_calendar_is_text_calendar_with_each_planned_session(person):
    response = person.get("/api/v1/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    found = expand(response.content)
    assert len(found) == planned(person.services)
    assert in_bed_times(found) == {time(6, 30)}
    two = expand(person.get("/api/v1/calendar.ics?weeks=2").content, weeks=12)
    assert len(two) == planned(person.services, weeks=2) < len(found)


def test_weeks_out_of_range_is_a_422_problem_naming_weeks(person):
    for bad in ("0", "13", "many"):
        response = person.get(f"/api/v1/calendar.ics?weeks={bad}")
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == ["weeks"]


def test_without_a_profile_my_calendar_is_a_404_problem(web):
    response = web.get("/api/v1/calendar.ics")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


# the settings section and its link (local mode) --------------------------------------------


def test_the_section_offers_a_link_and_shows_it_once(person):
    page = person.get("/settings").text
    assert "Reminders on your phone" in words(page) and ">Make a link</button>" in page
    assert not LINK.search(page) and "Stop the link" not in page

    made, url = make_link(person)
    assert "shows it only this once" in words(made)
    assert re.search(r'href="webcal://[^"]+/calendar/[^"]+\.ics"', made)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40

    again = person.get("/settings").text
    assert token not in again and not LINK.search(again)
    assert "made on Monday 23 November 2026" in words(again)
    assert ">Make a new link</button>" in again and "Stop the link" in again


def test_the_link_serves_the_calendar_and_follows_changes(person):
    _, url = make_link(person)
    feed = person.get(path_of(url))
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert len(expand(feed.content)) == planned(person.services)
    assert in_bed_times(expand(feed.content)) == {time(6, 30)}

    moved = person.post("/settings/times", data={"wake_time": "07:45", "bed_time": "23:00"})
    assert moved.status_code == 303
    assert in_bed_times(expand(person.get(path_of(url)).content)) == {time(7, 45)}


def test_a_new_link_stops_the_old_one(person):
    first_page, first = make_link(person)
    _, second = make_link(person, replaces=shown_link_id(first_page))
    assert first != second
    gone = person.get(path_of(first))
    assert gone.status_code == 404 and "not in use" in gone.text
    assert person.get(path_of(second)).status_code == 200


def test_the_same_form_sent_twice_keeps_the_link_just_made(person):
    _, url = make_link(person)
    twice = person.post("/settings/calendar", data={"replaces": ""})
    assert twice.status_code == 200
    assert "A new link was made already" in words(twice.text) and not LINK.search(twice.text)
    assert person.get(path_of(url)).status_code == 200


def test_stopping_the_link_ends_it(person):
    _, url = make_link(person)
    stopped = person.post("/settings/calendar/stop")
    assert stopped.status_code == 303
    page = person.get(stopped.headers["location"]).text
    assert "The link is stopped" in words(page) and ">Make a link</button>" in page
    assert person.get(path_of(url)).status_code == 404


def test_unknown_links_are_404(person):
    make_link(person)
    for token in ("nothing", "a" * 43, "a" * 300):
        response = person.get(f"/calendar/{token}.ics")
        assert response.status_code == 404
        assert "BEGIN:VCALENDAR" not in response.text


def test_no_section_before_the_intake(web):
    assert "Reminders on your phone" not in web.get("/settings").text


# multi-user mode: each person's own link, opened without a login --------------------------


def test_a_persons_link_works_without_a_login_and_stops_after_a_new_one(multi):
    ana = multi.actor("ana@example.org")
    bo = multi.actor("bo@example.org")
    page = ana.post("/settings/calendar", data={"replaces": ""})
    assert page.status_code == 200
    ana_url = LINK.search(page.text).group(1)
    bo_url = LINK.search(bo.post("/settings/calendar", data={"replaces": ""}).text).group(1)

    phone = multi.client()  # no cookies: a calendar app
    feed = phone.get(path_of(ana_url))
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert len(expand(feed.content)) == planned(multi.services, ana.user.profile)
    assert phone.get(path_of(bo_url)).status_code == 200
    uids = {str(e["uid"]) for e in expand(phone.get(path_of(ana_url)).content)}
    assert uids.isdisjoint(str(e["uid"]) for e in expand(phone.get(path_of(bo_url)).content))

    renewed = ana.post("/settings/calendar", data={"replaces": shown_link_id(page.text)})
    new_url = LINK.search(renewed.text).group(1)
    assert phone.get(path_of(ana_url)).status_code == 404
    assert phone.get(path_of(new_url)).status_code == 200
    assert phone.get(path_of(bo_url)).status_code == 200  # another person's is untouched


def test_making_a_link_needs_the_forms_csrf_token(multi):
    ana = multi.actor("ana@example.org")
    refused = ana.client.post("/settings/calendar", data={"replaces": ""})
    assert refused.status_code == 403
    assert multi.services.calendar.link(ana.user.profile) is None


def test_a_password_change_or_logging_out_everywhere_stops_the_link(multi):
    ana = multi.actor("ana@example.org")
    bo = multi.actor("bo@example.org")
    made = ana.post("/settings/calendar", data={"replaces": ""})
    assert "Changing your password or logging out everywhere stops it." in words(made.text)
    bo_url = LINK.search(bo.post("/settings/calendar", data={"replaces": ""}).text).group(1)
    phone = multi.client()
    first = LINK.search(made.text).group(1)
    changed = ana.post(
        "/settings/account/password",
        data={"current_password": ana.password, "new_password": "a brand new passphrase"},
    )
    assert changed.status_code == 303
    assert phone.get(path_of(first)).status_code == 404
    assert multi.services.calendar.link(ana.user.profile) is None

    again = multi.actor("ana2@example.org")
    second = LINK.search(again.post("/settings/calendar", data={"replaces": ""}).text).group(1)
    assert phone.get(path_of(second)).status_code == 200
    assert again.post("/logout-everywhere").status_code == 303
    assert phone.get(path_of(second)).status_code == 404
    assert phone.get(path_of(bo_url)).status_code == 200  # another person's link is untouched
