"""The clinician's side over HTTP, in multi-user mode: the dashboard, invites, a person's page
with the forms that change their program, conflicts, the audit trail the person sees, the API."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from datetime import timedelta

import pytest

from footcoach.domain.accounts import Role, User
from footcoach.domain.changes import ChangeKind, DoseChange, ProgramChange
from footcoach.schemas.intake import parse_intake
from footcoach.web.routes.api_clinic import PeopleDoc, PersonProgramDoc, SavedChangeDoc, TrailDoc
from tests.support.clock import FixedClock
from tests.web.conftest import EXAMPLES, TODAY
from tests.web.multi_user import Actor, MultiUser, multi_fixture  # noqa: F401

VERSION = re.compile(r'name="based_on_version" value="(\d+)"')
"""The program version a change form was based on (every form of a page carries it)."""
NOW = FixedClock(TODAY).now()


def link(world: MultiUser, clinician: User, person: User) -> None:
    code = world.services.accounts.create_invite(clinician.id).code
    world.services.accounts.redeem_invite(person.id, code)


def person_since(world: MultiUser, email: str, days: int) -> User:
    """A person whose program started `days` days ago."""
    person = world.user(email, profile=False)
    intake = parse_intake(json.loads((EXAMPLES / "intake.json").read_text()))
    assert person.profile is not None
    world.services.tracking.init(person.profile, intake, start=TODAY - timedelta(days=days))
    return person


def checkins(world: MultiUser, person: User, pains: dict[int, int]) -> None:
    """First-step pain by days ago."""
    assert person.profile is not None
    for ago, pain in pains.items():
        world.services.tracking.checkin(person.profile, pain, TODAY - timedelta(days=ago))


def sessions_done(world: MultiUser, person: User, days_ago: range) -> None:
    """Every planned session done on each of these days."""
    tracking = world.services.tracking
    assert person.profile is not None
    for ago in days_ago:
        day = TODAY - timedelta(days=ago)
        for s in tracking.today(person.profile, day).sessions:
            opened = tracking.start_session(person.profile, s.session.slot.value, day)
            tracking.finish_session(opened.id, True, 2, 4)


def dose_change(who: str = "p@x.org", role: str = "person", reps: int = 8) -> ProgramChange:
    return ProgramChange(
        kind=ChangeKind.DOSE,
        who=who,
        role=role,
        when=NOW,
        why="It hurt.",
        starts=TODAY,
        exercise="heel-toe-walk",
        dose=DoseChange(reps=reps),
    )


@pytest.fixture
def clinic(multi: MultiUser) -> tuple[Actor, User]:
    """A logged-in clinician and one linked person (program starting today)."""
    clinician = multi.actor("doc@clinic.org", Role.CLINICIAN)
    person = multi.user("pat@home.org", profile=False)
    # first steps at 3: the heel raises are planned from the start (at 4 or more they wait)
    intake = replace(
        parse_intake(json.loads((EXAMPLES / "intake.json").read_text())), first_step_pain=3
    )
    assert person.profile is not None
    multi.services.tracking.init(person.profile, intake, start=TODAY)
    link(multi, clinician.user, person)
    return clinician, person


# who may see what --------------------------------------------------------------------------


def test_the_clinic_is_for_clinicians(multi: MultiUser) -> None:
    anonymous = multi.client()
    answer = anonymous.get("/clinic")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")
    person = multi.actor("pat@home.org")
    assert person.client.get("/clinic").status_code == 403
    assert person.client.get("/api/v1/clinic/people").status_code == 403


def test_a_clinician_sees_only_their_own_people(multi: MultiUser, clinic) -> None:
    clinician, person = clinic
    stranger = multi.user("stranger@home.org")
    other = multi.actor("other@clinic.org", Role.CLINICIAN)
    page = clinician.client.get("/clinic")
    assert page.status_code == 200
    assert "pat@home.org" in page.text
    assert "stranger@home.org" not in page.text
    assert f'href="/clinic/people/{person.id}"' in page.text
    assert clinician.client.get(f"/clinic/people/{stranger.id}").status_code == 404
    assert other.client.get(f"/clinic/people/{person.id}").status_code == 404
    assert other.client.get(f"/api/v1/clinic/people/{person.id}/program").status_code == 404
    answer = other.post(
        f"/clinic/people/{person.id}/changes",
        data={"kind": "note", "note": "x", "why": "y", "based_on_version": "0"},
    )
    assert answer.status_code == 404
    assert multi.services.prescriptions.changes(person.profile) == []
    assert "pat@home.org" not in other.client.get("/clinic").text


def test_an_admin_sees_every_person_and_makes_no_invites(multi: MultiUser, clinic) -> None:
    _, person = clinic
    multi.user("stranger@home.org")
    admin = multi.actor("root@clinic.org", Role.ADMIN)
    page = admin.client.get("/clinic")
    assert "pat@home.org" in page.text and "stranger@home.org" in page.text
    assert "Create an invite code" not in page.text
    assert admin.client.get(f"/clinic/people/{person.id}").status_code == 200


# the dashboard -----------------------------------------------------------------------------


def test_the_dashboard_puts_who_needs_attention_first(multi: MultiUser) -> None:
    clinician = multi.actor("doc@clinic.org", Role.CLINICIAN)
    steady = person_since(multi, "steady@home.org", 20)
    checkins(multi, steady, dict.fromkeys(range(14), 3))
    sessions_done(multi, steady, range(14))
    hurting = person_since(multi, "hurting@home.org", 20)
    checkins(multi, hurting, {**dict.fromkeys(range(7, 14), 2), **dict.fromkeys(range(7), 5)})
    sessions_done(multi, hurting, range(14))
    idle = person_since(multi, "idle@home.org", 20)
    checkins(multi, idle, dict.fromkeys(range(14), 3))  # checks in, but no session done
    newcomer = multi.user("new@home.org", profile=False)
    for p in (steady, hurting, idle, newcomer):
        link(multi, clinician.user, p)

    page = clinician.client.get("/clinic").text
    order = list(re.findall(r"(\w+)@home\.org</a>", page))
    assert order == ["hurting", "idle", "new", "steady"]
    assert "First-step pain rising: 2 to 5" in page
    assert "Missed sessions: 0 of" in page
    assert "the intake questions are not answered yet" in page

    api = clinician.client.get("/api/v1/clinic/people").json()
    PeopleDoc.model_validate(api)  # as OpenAPI describes it
    assert [p["email"] for p in api["people"]] == [
        "hurting@home.org",
        "idle@home.org",
        "new@home.org",
        "steady@home.org",
    ]
    first = api["people"][0]
    assert first["attention"]["concerns"] == ["rising_pain"]
    assert first["first_step_pain"] == {
        "mean_last_7d": 5.0,
        "mean_previous_7d": 2.0,
        "change": 3.0,
        "trend": "rising",
    }
    assert first["adherence"]["done"] == first["adherence"]["planned"] > 0
    assert api["people"][3]["attention"] == {"score": 0, "concerns": [], "reasons": []}


def test_the_dashboard_reads_summaries_not_snapshots(
    multi: MultiUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinician = multi.actor("doc@clinic.org", Role.CLINICIAN)
    for n in range(4):
        link(multi, clinician.user, multi.user(f"p{n}@home.org"))
    link(multi, clinician.user, multi.user("new@home.org", profile=False))
    tracking = multi.services.tracking
    read: list[str] = []
    real = tracking.snapshot

    def counted(name: str):
        read.append(name)
        return real(name)

    monkeypatch.setattr(tracking, "snapshot", counted)
    clinic = multi.services.clinic
    built: list[int] = []
    build = clinic.build

    def counted_build(profile_ids):
        built.extend(profile_ids)
        return build(profile_ids)

    monkeypatch.setattr(clinic, "build", counted_build)
    assert clinician.client.get("/clinic").status_code == 200
    assert read == []  # no person's program is planned on the way to the dashboard
    assert len(built) == 4  # one summary each, none for the newcomer without an intake
    assert clinician.client.get("/clinic").status_code == 200
    assert len(built) == 4  # kept: nobody wrote since


def test_an_invite_code_is_shown_once_and_links_the_person(multi: MultiUser) -> None:
    clinician = multi.actor("doc@clinic.org", Role.CLINICIAN)
    made = clinician.post("/clinic/invites")
    assert made.status_code == 201
    assert made.headers["cache-control"] == "no-store"
    code = re.search(r'data-testid="invite-code">([A-Z0-9-]+)<', made.text)
    assert code is not None
    page = clinician.client.get("/clinic").text
    assert code.group(1) not in page  # never shown again
    assert "Open invites" in page and "Withdraw" in page

    person = multi.actor("pat@home.org")
    joined = person.post("/settings/account/invite", data={"code": code.group(1)})
    assert joined.status_code == 303
    assert "pat@home.org" in clinician.client.get("/clinic").text


def test_a_withdrawn_invite_no_longer_works(multi: MultiUser) -> None:
    clinician = multi.actor("doc@clinic.org", Role.CLINICIAN)
    code = re.search(
        r'data-testid="invite-code">([A-Z0-9-]+)<', clinician.post("/clinic/invites").text
    )
    assert code is not None
    invite = multi.services.accounts.invites(clinician.user.id)[0]
    other = multi.actor("other@clinic.org", Role.CLINICIAN)
    assert other.post(f"/clinic/invites/{invite.id}/withdraw").status_code == 404
    gone = clinician.post(f"/clinic/invites/{invite.id}/withdraw")
    assert (gone.status_code, gone.headers["location"]) == (303, "/clinic?withdrawn=true")
    assert "None: every code you made" in clinician.client.get("/clinic").text
    person = multi.actor("pat@home.org")
    refused = person.post("/settings/account/invite", data={"code": code.group(1)})
    assert refused.status_code == 422


def test_a_request_without_the_csrf_token_is_refused(clinic) -> None:
    clinician, person = clinic
    answer = clinician.client.post(
        f"/clinic/people/{person.id}/changes",
        data={"kind": "note", "note": "x", "why": "y", "based_on_version": "0"},
    )
    assert answer.status_code == 403
    assert clinician.client.post("/clinic/invites").status_code == 403


# a person's page and its forms -------------------------------------------------------------


def test_the_person_page_shows_progress_program_and_allowed_swaps(clinic) -> None:
    clinician, person = clinic
    page = clinician.client.get(f"/clinic/people/{person.id}")
    assert page.status_code == 200
    text = page.text
    assert "How it is going" in text and "The weeks ahead" in text
    assert "Audit trail" in text and "No changes yet." in text
    assert VERSION.findall(text) and set(VERSION.findall(text)) == {"0"}
    swap = re.search(
        r'<select id="swap-high-load-heel-raise-to" name="to"[^>]*>(.*?)</select>', text, re.S
    )
    assert swap is not None
    assert re.findall(r'value="([^"]+)"', swap.group(1)) == ["high-load-heel-raise-two-leg"]
    assert 'id="swap-heel-toe-walk-to"' not in text  # nothing linked to swap it for


def test_the_person_page_shows_two_weeks_and_folds_the_rest(clinic) -> None:
    clinician, person = clinic
    text = clinician.client.get(f"/clinic/people/{person.id}").text
    weeks = text.split('id="weeks-title"')[1].split("</section>")[0]
    shown, folded = weeks.split('data-testid="later-weeks"')
    assert re.findall(r"<strong>Week (\d+)</strong>", shown) == ["1", "2"]
    assert "<summary>Weeks 3 to 12</summary>" in folded
    assert re.findall(r"<strong>Week (\d+)</strong>", folded) == [str(n) for n in range(3, 13)]


def test_a_newcomer_without_intake_has_no_program_to_change(multi: MultiUser) -> None:
    clinician = multi.actor("doc@clinic.org", Role.CLINICIAN)
    newcomer = multi.user("new@home.org", profile=False)
    link(multi, clinician.user, newcomer)
    page = clinician.client.get(f"/clinic/people/{newcomer.id}")
    assert page.status_code == 200
    assert "not answered the intake questions yet" in page.text
    assert "Change the program" not in page.text
    answer = clinician.post(
        f"/clinic/people/{newcomer.id}/changes",
        data={"kind": "note", "note": "x", "why": "y", "based_on_version": "0"},
    )
    assert answer.status_code == 404
    api = clinician.client.get(f"/api/v1/clinic/people/{newcomer.id}/program")
    assert api.status_code == 404


def test_a_dose_change_is_saved_and_the_person_sees_it_with_its_reason(
    multi: MultiUser,
    clinic,
) -> None:
    clinician, person = clinic
    saved = clinician.post(
        f"/clinic/people/{person.id}/changes",
        data={
            "kind": "dose",
            "exercise": "high-load-heel-raise",
            "sets": "3",
            "reps": "",
            "why": "Ready for more volume.",
            "based_on_version": "0",
        },
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/clinic/people/{person.id}?saved=true#trail"
    page = clinician.client.get(saved.headers["location"]).text
    assert "dose of high-load-heel-raise: 3 sets" in page
    assert "By doc@clinic.org (clinician)" in page
    assert set(VERSION.findall(page)) == {"1"}

    trail = multi.services.prescriptions.changes(person.profile)
    assert [(c.kind, c.exercise, c.dose, c.why) for c in trail] == [
        (ChangeKind.DOSE, "high-load-heel-raise", DoseChange(sets=3), "Ready for more volume.")
    ]
    own = multi.login(person).client.get("/program").text
    assert "Changes by your clinician" in own
    assert "Reason: Ready for more volume." in own
    assert "doc@clinic.org" in own
    assert "3 x 12" in own  # the program itself has the new dose


def test_a_swap_offers_and_accepts_only_linked_exercises(multi: MultiUser, clinic) -> None:
    clinician, person = clinic
    refused = clinician.post(
        f"/clinic/people/{person.id}/changes",
        data={
            "kind": "swap",
            "exercise": "high-load-heel-raise",
            "to": "soleus-stretch",
            "why": "Try this.",
            "based_on_version": "0",
        },
    )
    assert refused.status_code == 422
    assert "Swap to: one of high-load-heel-raise" in html.unescape(refused.text)
    assert 'aria-invalid="true"' in refused.text
    saved = clinician.post(
        f"/clinic/people/{person.id}/changes",
        data={
            "kind": "swap",
            "exercise": "high-load-heel-raise",
            "to": "high-load-heel-raise-two-leg",
            "why": "Too hard on one leg.",
            "based_on_version": "0",
        },
    )
    assert saved.status_code == 303
    program = multi.services.tracking.snapshot(person.profile).program
    names = {i.exercise for w in program.weeks for d in w.days for s in d.sessions for i in s.items}
    assert "high-load-heel-raise-two-leg" in names and "high-load-heel-raise" not in names


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"sets": "99"}, "dose-high-load-heel-raise-sets", "Sets: a whole number from 1 to 10"),
        ({"sets": "lots"}, "dose-high-load-heel-raise-sets", "Sets: a whole number from 1 to 10"),
        (
            {"sets": "2", "why": ""},
            "dose-high-load-heel-raise-why",
            "Reason: text of 1 to 500 characters",
        ),
        (
            {"duration_s": "60"},
            None,  # no field of this exercise's form: the summary at its top names it
            "Duration per set (seconds): no duration_s: high-load-heel-raise is done in "
            "repetitions",
        ),
    ],
)
def test_invalid_input_is_named_inline_and_kept(
    clinic, data: dict[str, str], field: str | None, message: str
) -> None:
    clinician, person = clinic
    form = {
        "kind": "dose",
        "exercise": "high-load-heel-raise",
        "why": "Because.",
        "based_on_version": "0",
        **data,
    }
    answer = clinician.post(f"/clinic/people/{person.id}/changes", data=form)
    assert answer.status_code == 422
    text = html.unescape(answer.text)
    assert message in text
    summary = re.search(r'<div class="error-summary" role="alert">(.*?)</div>', text, re.S)
    assert summary is not None and message in summary.group(1)
    if field is not None:
        assert f'<div id="{field}-msg" class="field-msg"><p class="field-error"' in text
        for value in data.values():
            if value:
                assert f'value="{value}"' in text
    assert "Please check" in text


def test_a_save_on_an_older_version_is_refused_and_shows_the_difference(
    multi: MultiUser,
    clinic,
) -> None:
    clinician, person = clinic
    opened = clinician.client.get(f"/clinic/people/{person.id}").text
    version = VERSION.findall(opened)[0]
    # the person changes their own program while the clinician's page is open
    multi.services.prescriptions.change(person.profile, dose_change(), 0)

    answer = clinician.post(
        f"/clinic/people/{person.id}/changes",
        data={
            "kind": "dose",
            "exercise": "high-load-heel-raise",
            "sets": "3",
            "why": "Ready for more volume.",
            "based_on_version": version,
        },
    )
    assert answer.status_code == 409
    text = html.unescape(answer.text)
    assert "Someone changed this program since you opened it" in text
    assert "dose of heel-toe-walk: 8 reps" in text  # the difference
    assert "Reason: It hurt." in text
    assert (
        "What you tried to save:</strong> dose of high-load-heel-raise: 3 sets from "
        "Monday 23 November 2026 (reason: Ready for more volume.)"
    ) in text
    assert ">Ready for more volume.</textarea>" in text  # the form as it was filled in
    assert 'value="3"' in text
    assert set(VERSION.findall(text)) == {"1"}  # to save again on what was shown
    assert len(multi.services.prescriptions.changes(person.profile)) == 1
    again = clinician.post(
        f"/clinic/people/{person.id}/changes",
        data={
            "kind": "dose",
            "exercise": "high-load-heel-raise",
            "sets": "3",
            "why": "Ready for more volume.",
            "based_on_version": "1",
        },
    )
    assert again.status_code == 303


def test_a_note_is_added_to_the_program(multi: MultiUser, clinic) -> None:
    clinician, person = clinic
    saved = clinician.post(
        f"/clinic/people/{person.id}/changes",
        data={
            "kind": "note",
            "exercise": "",
            "note": "Wear cushioned shoes.",
            "why": "Hard floors at work.",
            "based_on_version": "0",
        },
    )
    assert saved.status_code == 303
    own = multi.login(person).client.get("/program").text
    assert "Wear cushioned shoes." in own and "Hard floors at work." in own


# the person's own changes ------------------------------------------------------------------


def test_the_person_changes_a_dose_and_adds_a_note_themself(multi: MultiUser, clinic) -> None:
    _, person = clinic
    me = multi.login(person)
    page = me.client.get("/program").text
    assert "No one has changed your program yet." in page
    saved = me.post(
        "/program/changes",
        data={
            "kind": "dose",
            "exercise": "heel-toe-walk",
            "reps": "6",
            "why": "Sore today.",
            "based_on_version": "0",
        },
    )
    assert saved.status_code == 303
    trail = multi.services.prescriptions.changes(person.profile)
    assert [(c.who, c.role, c.dose) for c in trail] == [
        ("pat@home.org", "person", DoseChange(reps=6))
    ]
    swap = me.post(
        "/program/changes",
        data={
            "kind": "swap",
            "exercise": "high-load-heel-raise",
            "to": "high-load-heel-raise-two-leg",
            "why": "Easier.",
            "based_on_version": "1",
        },
    )
    assert swap.status_code == 422
    assert "swapping exercises is for your clinician" in html.unescape(swap.text)
    assert len(multi.services.prescriptions.changes(person.profile)) == 1


def test_the_person_is_told_when_their_clinician_changed_the_program_meanwhile(
    multi: MultiUser,
    clinic,
) -> None:
    _clinician, person = clinic
    me = multi.login(person)
    me.client.get("/program")
    multi.services.prescriptions.change(
        person.profile, dose_change("doc@clinic.org", "clinician", 12), 0
    )
    answer = me.post(
        "/program/changes",
        data={
            "kind": "note",
            "note": "Felt fine.",
            "why": "For the record.",
            "based_on_version": "0",
        },
    )
    assert answer.status_code == 409
    text = html.unescape(answer.text)
    assert "Someone changed this program since you opened it" in text
    assert "dose of heel-toe-walk: 12 reps" in text
    assert "Felt fine." in text


# the JSON API ------------------------------------------------------------------------------


def test_the_api_reads_and_changes_a_linked_persons_program(multi: MultiUser, clinic) -> None:
    clinician, person = clinic
    client = clinician.client
    headers = {"X-CSRF-Token": clinician.csrf}
    url = f"/api/v1/clinic/people/{person.id}/program"
    got = client.get(url).json()
    PersonProgramDoc.model_validate(got)
    assert (got["person"], got["version"], got["changes"]) == (
        {"id": person.id, "email": "pat@home.org"},
        0,
        [],
    )
    assert got["program"]["status"] == "ok"
    body = {
        "schema": "footcoach.program-change/1",
        "kind": "dose",
        "exercise": "high-load-heel-raise",
        "dose": {"sets": 3},
        "why": "More volume.",
        "based_on_version": 0,
    }
    made = client.post(f"{url}/changes", json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["version"] == 1
    SavedChangeDoc.model_validate(made.json())
    record = made.json()["change"]
    assert (record["who"], record["role"], record["dose"], record["version"]) == (
        "doc@clinic.org",
        "clinician",
        {"sets": 3},
        1,
    )
    assert record["at"] == NOW.isoformat()

    stale = client.post(f"{url}/changes", json={**body, "dose": {"sets": 2}}, headers=headers)
    assert stale.status_code == 409
    assert stale.headers["content-type"] == "application/problem+json"
    problem = stale.json()
    assert (problem["type"], problem["based_on_version"], problem["current_version"]) == (
        "/problems/conflict",
        0,
        1,
    )
    assert [c["summary"] for c in problem["changes_since"]] == [
        "dose of high-load-heel-raise: 3 sets from Monday 23 November 2026"
    ]

    bad = client.post(
        f"{url}/changes",
        json={**body, "based_on_version": 1, "dose": {"sets": 99}, "why": ""},
        headers=headers,
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"dose.sets", "why"}
    assert len(client.get(url).json()["changes"]) == 1


def test_the_person_reads_and_adds_to_their_own_trail_by_api(multi: MultiUser, clinic) -> None:
    clinician, person = clinic
    me = multi.login(person)
    headers = {"X-CSRF-Token": me.csrf}
    assert me.client.get("/api/v1/program/changes").json() == {"version": 0, "changes": []}
    note = {"kind": "note", "note": "Busy week.", "why": "Travel.", "based_on_version": 0}
    made = me.client.post("/api/v1/program/changes", json=note, headers=headers)
    assert made.status_code == 201
    assert made.json()["change"]["role"] == "person"
    swap = {
        "kind": "swap",
        "exercise": "high-load-heel-raise",
        "to": "high-load-heel-raise-two-leg",
        "why": "Easier.",
        "based_on_version": 1,
    }
    refused = me.client.post("/api/v1/program/changes", json=swap, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "kind"
    trail = me.client.get("/api/v1/program/changes").json()
    TrailDoc.model_validate(trail)
    assert trail["version"] == 1 and trail["changes"][0]["note"] == "Busy week."
    # the clinician reads the same trail
    theirs = clinician.client.get(f"/api/v1/clinic/people/{person.id}/program").json()
    assert theirs["changes"] == trail["changes"]
    # and a person cannot use the clinician's side of the API
    assert me.client.get(f"/api/v1/clinic/people/{person.id}/program").status_code == 403
