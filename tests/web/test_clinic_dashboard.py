"""The clinic dashboard at scale (issue #15): its SQL statements do not grow with the number of
people, and it is sorted, searched, filtered and paged on the server, in the page and the API,
on both databases."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta

import pytest

from footcoach.domain.accounts import Role, User
from footcoach.schemas.intake import parse_intake
from footcoach.services.clinic import by_attention, person_row
from footcoach.services.clinic_summary import DashboardQuery
from footcoach.web.routes.api_clinic import PeopleDoc
from tests.web.conftest import EXAMPLES, TODAY
from tests.web.multi_user import Actor, MultiUser, multi_fixture  # noqa: F401
from tests.web.test_query_counts import statements

INTAKE = json.loads((EXAMPLES / "intake.json").read_text())
ROW = re.compile(r'<a href="/clinic/people/\d+">([^<]+)</a>')


def link(world: MultiUser, clinician: User, person: User) -> None:
    code = world.services.accounts.create_invite(clinician.id).code
    world.services.accounts.redeem_invite(person.id, code)


def linked_person(
    world: MultiUser, clinician: User, email: str, days: int = 0, **intake: object
) -> User:
    """A person linked to the clinician whose program started `days` days ago."""
    person = world.user(email, profile=False)
    link(world, clinician, person)
    if days >= 0:
        assert person.profile is not None
        answers = replace(parse_intake(INTAKE), **intake)
        world.services.tracking.init(person.profile, answers, start=TODAY - timedelta(days=days))
    return person


def mornings(world: MultiUser, person: User, pains: dict[int, int]) -> None:
    """First-step pain by days ago."""
    assert person.profile is not None
    for ago, pain in pains.items():
        world.services.tracking.checkin(person.profile, pain, TODAY - timedelta(days=ago))


def every_session(world: MultiUser, person: User, days_ago: range) -> None:
    tracking = world.services.tracking
    assert person.profile is not None
    for ago in days_ago:
        day = TODAY - timedelta(days=ago)
        for planned in tracking.today(person.profile, day).sessions:
            opened = tracking.start_session(person.profile, planned.session.slot.value, day)
            tracking.finish_session(opened.id, True, 2, 4)


def count_statements(world: MultiUser, actor: Actor, path: str) -> int:
    with statements(world.services.database.engine) as seen:
        answer = actor.client.get(path)
    assert answer.status_code == 200, answer.text
    return len(seen)


@pytest.fixture
def clinician(multi: MultiUser) -> Actor:
    return multi.actor("doc@clinic.org", Role.CLINICIAN)


# statements per request ---------------------------------------------------------------------


def add_people(world: MultiUser, clinician: User, first: int, last: int) -> None:
    """People `first` to `last - 1`: one in three without an intake, the rest with a program
    started 10 days ago, two mornings and one day of sessions."""
    for n in range(first, last):
        person = linked_person(world, clinician, f"p{n:03d}@home.org", -1 if n % 3 == 0 else 10)
        if person.profile is not None and n % 3:
            mornings(world, person, {1: 3, 0: 4})
            every_session(world, person, range(1, 2))


def test_the_dashboards_statements_do_not_grow_with_the_people(multi, clinician):
    """At 10 and at 200 people: the first look (every summary built) and the next (all read
    from the table) send the same number of statements, for the page and the API alike."""
    counts = {}
    for first, last in ((0, 10), (10, 200)):
        add_people(multi, clinician.user, first, last)
        counts[last] = {
            "building": count_statements(multi, clinician, "/clinic"),
            "page": count_statements(multi, clinician, "/clinic"),
            "api": count_statements(multi, clinician, "/api/v1/clinic/people"),
            "second page": count_statements(multi, clinician, "/clinic?page=2"),
        }
    assert counts[10] == counts[200], counts
    assert counts[200]["page"] <= 8, counts  # session, people, details, invites and the like


def test_a_write_makes_the_next_look_build_that_summary_alone(multi, clinician):
    add_people(multi, clinician.user, 0, 6)
    clinician.client.get("/clinic")
    person = multi.services.accounts.users()[-1]
    assert person.profile is not None
    multi.services.tracking.checkin(person.profile, 9, TODAY - timedelta(days=3))
    before = count_statements(multi, clinician, "/clinic")
    after = count_statements(multi, clinician, "/clinic")
    assert before > after  # the one summary behind is built and stored, then read
    assert multi.services.clinic.dashboard(clinician.user.id, DashboardQuery()).built == 0


# order, search, filter and pages ----------------------------------------------------------


@pytest.fixture
def caseload(multi: MultiUser, clinician: Actor) -> dict[str, User]:
    """Five people, one for each place in the order."""
    doc = clinician.user
    people = {
        "steady": linked_person(multi, doc, "steady@home.org", 20),
        "hurting": linked_person(multi, doc, "hurting@home.org", 20),
        "idle": linked_person(multi, doc, "idle_one@home.org", 20),
        "prompted": linked_person(multi, doc, "prompted@home.org", 20, weeks_of_symptoms=60),
        "new": linked_person(multi, doc, "New.Person@home.org", -1),
    }
    mornings(multi, people["steady"], dict.fromkeys(range(14), 3))
    every_session(multi, people["steady"], range(14))
    mornings(
        multi, people["hurting"], {**dict.fromkeys(range(7, 14), 2), **dict.fromkeys(range(7), 5)}
    )
    every_session(multi, people["hurting"], range(14))
    mornings(multi, people["idle"], dict.fromkeys(range(14), 3))
    mornings(multi, people["prompted"], dict.fromkeys(range(14), 3))
    every_session(multi, people["prompted"], range(14))
    return people


def emails(answer) -> list[str]:
    return [p["email"] for p in answer.json()["people"]]


def test_the_order_is_the_attention_order_of_the_persons_own_views(multi, clinician, caseload):
    reference = by_attention(
        person_row(multi.services.tracking, p, TODAY) for p in caseload.values()
    )
    expected = [r.email for r in reference]
    assert expected[:3] == ["prompted@home.org", "hurting@home.org", "idle_one@home.org"]
    api = clinician.client.get("/api/v1/clinic/people")
    PeopleDoc.model_validate(api.json())
    assert emails(api) == expected
    assert ROW.findall(clinician.client.get("/clinic").text) == expected
    concerns = [p["attention"]["concerns"] for p in api.json()["people"]]
    assert concerns[:3] == [["see_clinician"], ["rising_pain"], ["missed_sessions"]]


def test_search_finds_addresses_in_any_case_and_takes_wildcards_literally(
    multi, clinician, caseload
):
    assert emails(clinician.client.get("/api/v1/clinic/people?q=NEW.p")) == ["new.person@home.org"]
    assert emails(clinician.client.get("/api/v1/clinic/people?q=_")) == ["idle_one@home.org"]
    assert emails(clinician.client.get("/api/v1/clinic/people?q=%25")) == []
    page = clinician.client.get("/clinic?q=hurt")
    assert ROW.findall(page.text) == ["hurting@home.org"]
    assert 'value="hurt"' in page.text
    nobody = clinician.client.get("/clinic?q=nobody")
    assert "No one whose address holds “nobody”" in nobody.text


def test_a_concern_filter_keeps_those_people_and_counts_every_concern(multi, clinician, caseload):
    answer = clinician.client.get("/api/v1/clinic/people?concern=missed_sessions").json()
    assert [p["email"] for p in answer["people"]] == ["idle_one@home.org"]
    assert answer["total"] == 1
    assert answer["counts"] == {
        "see_clinician": 1,
        "rising_pain": 1,
        "missed_sessions": 1,
        "no_data": 1,
        "on_track": 1,
    }
    on_track = clinician.client.get("/api/v1/clinic/people?concern=on_track")
    assert emails(on_track) == ["steady@home.org"]
    page = clinician.client.get("/clinic?concern=see_clinician")
    assert ROW.findall(page.text) == ["prompted@home.org"]
    assert '<option value="see_clinician" selected>' in page.text
    both = clinician.client.get("/api/v1/clinic/people?q=home&concern=no_data")
    assert emails(both) == ["new.person@home.org"]


def test_an_unknown_concern_or_page_is_refused(multi, clinician, caseload):
    for path in (
        "/api/v1/clinic/people?concern=grumpy",
        "/api/v1/clinic/people?page=0",
        "/api/v1/clinic/people?per_page=201",
        "/clinic?concern=grumpy",
    ):
        assert clinician.client.get(path).status_code == 422, path


def test_pages_follow_the_order_with_links_to_their_neighbours(multi, clinician, caseload):
    everyone = emails(clinician.client.get("/api/v1/clinic/people"))
    seen: list[str] = []
    path: str | None = "/api/v1/clinic/people?per_page=2"
    pages = []
    while path is not None:
        answer = clinician.client.get(path).json()
        pages.append((answer["page"], answer["pages"], answer["previous"] is not None))
        seen += [p["email"] for p in answer["people"]]
        path = answer["next"]
    assert seen == everyone
    assert pages == [(1, 3, False), (2, 3, True), (3, 3, True)]
    past = clinician.client.get("/api/v1/clinic/people?per_page=2&page=9").json()
    assert (past["page"], [p["email"] for p in past["people"]]) == (3, everyone[4:])
    filtered = clinician.client.get("/api/v1/clinic/people?per_page=1&concern=no_data&q=e")
    assert filtered.json()["next"] is None and filtered.json()["total"] == 1


def test_the_page_lists_fifty_people_at_a_time(multi, clinician):
    for n in range(53):
        linked_person(multi, clinician.user, f"w{n:02d}@home.org", -1)
    first = clinician.client.get("/clinic")
    assert len(ROW.findall(first.text)) == 50
    assert "1 to 50 of 53 people" in first.text
    assert 'href="/clinic?page=2" rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    second = clinician.client.get("/clinic?page=2")
    assert ROW.findall(second.text) == ["w50@home.org", "w51@home.org", "w52@home.org"]
    assert 'href="/clinic?page=1" rel="prev"' in second.text
    searched = clinician.client.get("/clinic?q=w&concern=no_data")
    assert 'href="/clinic?q=w&amp;concern=no_data&amp;page=2"' in searched.text
