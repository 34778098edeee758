"""The clinic dashboard's stored summaries never disagree with what a person's own pages show.

Hypothesis writes random diaries through the services a person's pages use (check-ins and their
corrections, sessions done by saving every item or by finishing them, half-done sessions, ratings
given later, questionnaires, a dose change, new answers that refer), asks the dashboard for its
rows (which builds and stores summaries), writes more, asks again, and compares every row with
services.clinic.person_row, which reads the person's own snapshot, on days before, during and
after the writes. On SQLite, and on PostgreSQL when its URL is set.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import timedelta

import pytest
from argon2 import profiles
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footcoach.adapters.passwords import Argon2Hasher
from footcoach.bootstrap import Services, build_services
from footcoach.config import Settings
from footcoach.domain.accounts import Role, User
from footcoach.domain.changes import ChangeKind, DoseChange, ProgramChange
from footcoach.domain.diary import Instrument, ItemRecord, QuestionnaireResponse
from footcoach.domain.errors import FootcoachError
from footcoach.schemas.intake import parse_intake
from footcoach.services.accounts import AccountService
from footcoach.services.clinic import person_row
from footcoach.services.clinic_summary import DashboardQuery, row_of
from tests.support.clock import FixedClock
from tests.web.conftest import EXAMPLES, TODAY

INTAKE = json.loads((EXAMPLES / "intake.json").read_text())
EMAILS = itertools.count()

checkin = st.tuples(st.just("checkin"), st.integers(0, 40), st.integers(0, 10))
correct = st.tuples(st.just("correct"), st.integers(0, 40), st.integers(0, 10))
session = st.tuples(
    st.just("session"),
    st.integers(0, 40),
    st.integers(0, 3),
    st.sampled_from(["all_items", "some_items", "finish_done", "finish_open", "rate_later"]),
)
instrument = st.sampled_from(list(Instrument))
level = st.integers(0, 4)
questionnaire = st.tuples(st.just("questionnaire"), st.integers(0, 40), instrument, level)
dose = st.tuples(st.just("dose"), st.integers(0, 10), st.integers(3, 12))
refer = st.tuples(st.just("refer"), st.booleans())
action = st.one_of(checkin, correct, session, questionnaire, dose, refer)
"""Days are counted back from TODAY."""


@pytest.fixture
def world(database_url):
    clock = FixedClock(TODAY)
    services = build_services(Settings(database_url=database_url), clock=clock)
    services.__dict__["accounts"] = AccountService(
        services.database.unit_of_work, Argon2Hasher(profiles.CHEAPEST), clock
    )
    clinician = services.accounts.register("doc@clinic.org", "a long pass phrase", Role.CLINICIAN)
    yield services, clock, clinician
    services.close()


def newcomer(services: Services, clinician: User, start_ago: int) -> User:
    user = services.accounts.register(
        f"p{next(EMAILS)}@home.org", "a long pass phrase", Role.PERSON
    )
    services.accounts.redeem_invite(user.id, services.accounts.create_invite(clinician.id).code)
    assert user.profile is not None
    services.tracking.init(
        user.profile, parse_intake(INTAKE), start=TODAY - timedelta(days=start_ago)
    )
    return user


def write(services: Services, clock: FixedClock, name: str, step: tuple) -> None:
    """One write as a person's pages make it; a write the services refuse is left out."""
    tracking = services.tracking
    kind, *rest = step
    try:
        if kind == "checkin":
            tracking.checkin(name, rest[1], TODAY - timedelta(days=rest[0]))
        elif kind == "correct":
            tracking.correct_checkin(name, rest[1], TODAY - timedelta(days=rest[0]))
        elif kind == "session":
            ago, which, how = rest
            day = TODAY - timedelta(days=ago)
            clock.day = day
            planned = tracking.today(name, day).sessions
            if not planned:
                return
            slot = planned[which % len(planned)].session
            opened = tracking.start_session(name, slot.slot.value, day)
            items = list(enumerate(slot.items))
            if how == "some_items":
                items = items[: max(0, len(items) - 1)]
            if how in ("all_items", "some_items", "rate_later"):
                for position, item in items:
                    record = ItemRecord(position, item.exercise, 1, 1, 0, False, clock.now())
                    tracking.record_item(opened.id, record)
            if how == "finish_done":
                tracking.finish_session(opened.id, True, 2, 3)
            elif how == "finish_open":
                tracking.finish_session(opened.id, False, None, None)
            elif how == "rate_later":
                tracking.rate_session(name, slot.slot.value, 4, 5, day)
        elif kind == "questionnaire":
            ago, instrument, level = rest
            day = TODAY - timedelta(days=ago)
            if instrument is Instrument.FFI:
                answers: tuple[int | None, ...] = (level * 2, None, *([level] * 21))
                response = QuestionnaireResponse(instrument, day, answers)
            else:
                response = QuestionnaireResponse(instrument, day, (level,) * 21, (level,) * 8)
            tracking.record_questionnaire(name, response)
        elif kind == "dose":
            ago, reps = rest
            program = tracking.snapshot(name).program
            items = [i for w in program.weeks for d in w.days for s in d.sessions for i in s.items]
            if not items:
                return
            change = ProgramChange(
                kind=ChangeKind.DOSE,
                who="doc@clinic.org",
                role="clinician",
                when=clock.now(),
                why="Easier for now.",
                starts=TODAY - timedelta(days=ago),
                exercise=items[0].exercise,
                dose=DoseChange(reps=reps),
            )
            version = services.prescriptions.version(name)
            services.prescriptions.change(name, change, version)
        elif kind == "refer":
            doc = dict(INTAKE)
            if rest[0]:
                doc["red_flags"] = ["numbness_tingling"]
            profile = tracking.profile(name)
            tracking.init(
                name, parse_intake(doc), start=profile.start, weeks=profile.weeks,
                replace_existing=True,
            )  # fmt: skip
    except (FootcoachError, ValueError):
        pass
    finally:
        clock.day = TODAY


def compare(services: Services, clinician: User, user: User) -> None:
    """The dashboard's row for `user` equals person_row on days around the writes, whether its
    summary was just built or read back from the table."""
    clinic = services.clinic
    listed = [e for e in clinic.store.people(clinician.id, user.email) if e.user.id == user.id]
    summaries, built = clinic.summaries(listed)
    stored = clinic.store.details(list(summaries))
    entry = listed[0]
    summary = None if entry.profile_id is None else summaries.get(entry.profile_id)
    kept = None
    if summary is not None:
        kept = clinic.store.stored([summary.profile_id])[summary.profile_id]
        kept = kept.with_details(stored[summary.profile_id])
        assert kept == summary or summary.profile_id not in built
    for ago in (-20, -3, 0, 1, 6, 7, 13, 14, 30, 60):
        day = TODAY - timedelta(days=ago)
        expected = person_row(services.tracking, user, day)
        assert row_of(user, kept, day) == expected, day


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start_ago=st.integers(0, 35),
    first=st.lists(action, max_size=14),
    then=st.lists(action, max_size=6),
)
def test_the_summary_agrees_with_the_persons_own_views(world, start_ago, first, then):
    services, clock, clinician = world
    user = newcomer(services, clinician, start_ago)
    assert user.profile is not None
    for step in first:
        write(services, clock, user.profile, step)
    compare(services, clinician, user)
    for step in then:  # the stored summary falls behind: the next look builds it again
        write(services, clock, user.profile, step)
    compare(services, clinician, user)


def test_a_person_without_intake_and_a_newcomer_agree_too(world):
    services, _, clinician = world
    waiting = services.accounts.register("waiting@home.org", "a long pass phrase", Role.PERSON)
    services.accounts.redeem_invite(waiting.id, services.accounts.create_invite(clinician.id).code)
    fresh = newcomer(services, clinician, 0)
    page = services.clinic.dashboard(clinician.id, DashboardQuery())
    rows = {r.user_id: r for r in page.rows}
    for user in (waiting, fresh):
        assert rows[user.id] == person_row(services.tracking, user, TODAY)


def test_a_summary_is_built_once_then_read_until_the_person_writes(world):
    services, _, clinician = world
    user = newcomer(services, clinician, 10)
    assert user.profile is not None
    first = services.clinic.dashboard(clinician.id, DashboardQuery())
    again = services.clinic.dashboard(clinician.id, DashboardQuery())
    services.tracking.checkin(user.profile, 7)
    after = services.clinic.dashboard(clinician.id, DashboardQuery())
    assert (first.built, again.built, after.built) == (1, 0, 1)
    assert after.rows[0].signals.last_activity == TODAY
    assert replace(after.rows[0]) == person_row(services.tracking, user, TODAY)
