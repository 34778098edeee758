"""Changing a person's program on real databases: the audit trail, versions and conflicts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from footcoach.adapters.db.tables import ProfileRow, ProgramChangeRow
from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.changes import ChangeKind, ConflictError, DoseChange, ProgramChange
from footcoach.domain.errors import InvalidInputError
from footcoach.services.tracking import NoProfileError
from tests.factories import intake
from tests.support.clock import FixedClock

START = date(2026, 11, 23)
TODAY = START + timedelta(days=2)


@pytest.fixture
def services(database_url):
    svc = build_services(Settings(database_url=database_url), clock=FixedClock(TODAY))
    svc.tracking.init("anna", intake(first_step_pain=6), start=START)
    yield svc
    svc.close()


def swap(**fields: object) -> ProgramChange:
    base: dict[str, object] = {
        "kind": ChangeKind.SWAP,
        "who": "dr.lee@clinic.example",
        "role": "clinician",
        "when": datetime(2000, 1, 1, tzinfo=UTC),  # the service records its own clock's time
        "why": "The towel stretch hurts her wrist.",
        "starts": TODAY,
        "exercise": "plantar-fascia-stretch",
        "to": "seated-foot-pull-stretch",
    }
    base.update(fields)
    return ProgramChange(**base)  # type: ignore[arg-type]


def note(text: str = "Ease off if the morning pain rises.", **fields: object) -> ProgramChange:
    return swap(kind=ChangeKind.NOTE, exercise=None, to=None, note=text, **fields)


def revision(services) -> int:
    with services.database.unit_of_work() as uow:
        return uow.session.scalar(select(ProfileRow.revision).where(ProfileRow.name == "anna"))


def rows(services) -> int:
    with services.database.unit_of_work() as uow:
        return len(uow.session.scalars(select(ProgramChangeRow.id)).all())


def test_a_change_is_stored_with_who_when_what_and_why(services):
    rx = services.prescriptions
    assert rx.version("anna") == 0 and rx.changes("anna") == []
    assert rx.change("anna", swap(), based_on_version=0) == 1
    [stored] = rx.changes("anna")
    assert stored == swap(when=datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    assert stored.when.tzinfo is not None


def test_each_change_raises_the_version_and_the_profile_revision(services):
    rx = services.prescriptions
    before = revision(services)
    rx.change("anna", swap(), 0)
    assert (rx.version("anna"), revision(services)) == (1, before + 1)
    # the dose is checked against the program as changed: the swapped-in exercise is there now
    dose = swap(
        kind=ChangeKind.DOSE,
        exercise="seated-foot-pull-stretch",
        to=None,
        dose=DoseChange(reps=4, hold_s=30),
        role="person",
        who="you",
    )
    assert rx.change("anna", dose, 1) == 2
    rx.change("anna", note(), 2)
    assert (rx.version("anna"), revision(services)) == (3, before + 3)
    assert [c.kind for c in rx.changes("anna")] == [
        ChangeKind.SWAP,
        ChangeKind.DOSE,
        ChangeKind.NOTE,
    ]
    assert rx.changes("anna")[1].dose == DoseChange(reps=4, hold_s=30)


def test_a_save_based_on_an_old_version_is_refused_with_the_changes_since(services):
    rx = services.prescriptions
    rx.change("anna", swap(), 0)
    rx.change("anna", note(who="you", role="person"), 1)
    before = revision(services)
    with pytest.raises(ConflictError) as err:
        rx.change("anna", note("My own note."), based_on_version=0)
    assert (err.value.based_on, err.value.current) == (0, 2)
    assert [c.kind for c in err.value.since] == [ChangeKind.SWAP, ChangeKind.NOTE]
    assert err.value.since[1].who == "you"
    with pytest.raises(ConflictError) as err:
        rx.change("anna", note("My own note."), based_on_version=1)
    assert [c.who for c in err.value.since] == ["you"]
    assert (rx.version("anna"), revision(services), rows(services)) == (2, before, 2)


def test_of_two_saves_racing_on_one_version_one_wins_and_the_other_is_told(services):
    """The second save reads version 0, then another save commits before its insert."""
    rx = services.prescriptions
    database = services.database
    raced = []

    class Racing:
        def __init__(self) -> None:
            self.uow = database.unit_of_work()

        def __enter__(self):
            inner = self.uow.__enter__()
            add = inner.changes.add

            def add_after_a_rival(profile_id, version, change):
                if not raced:
                    raced.append(rx.change("anna", note("The rival's note."), version - 1))
                return add(profile_id, version, change)

            inner.changes.add = add_after_a_rival
            return inner

        def __exit__(self, *exc):
            return self.uow.__exit__(*exc)

    racing = type(rx)(rx.planning, Racing, rx.clock)
    before = revision(services)
    with pytest.raises(ConflictError) as err:
        racing.change("anna", swap(), 0)
    assert raced == [1]
    assert [c.note for c in err.value.since] == ["The rival's note."]
    assert [c.kind for c in rx.changes("anna")] == [ChangeKind.NOTE]
    assert revision(services) == before + 1  # the rival's save only


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (swap(to="heel-drop"), "to"),
        (swap(to="standing-calf-stretch"), "to"),  # not linked to the plantar fascia stretch
        (swap(why=""), "why"),
        (swap(kind=ChangeKind.DOSE, to=None, dose=DoseChange(sets=40)), "dose.sets"),
        (swap(starts=TODAY - timedelta(days=1)), "starts"),
        (note("x" * 1001), "note"),
    ],
)
def test_a_change_that_fails_validation_writes_nothing(services, change, field):
    before = revision(services)
    with pytest.raises(InvalidInputError) as err:
        services.prescriptions.change("anna", change, 0)
    assert field in {p.field for p in err.value.problems}
    assert services.prescriptions.version("anna") == 0
    assert (revision(services), rows(services)) == (before, 0)


def test_a_version_from_the_future_or_an_unknown_profile_is_refused(services):
    with pytest.raises(InvalidInputError) as err:
        services.prescriptions.change("anna", note(), based_on_version=3)
    assert err.value.problems[0].field == "based_on_version"
    with pytest.raises(NoProfileError):
        services.prescriptions.change("bo", note(), 0)
    with pytest.raises(NoProfileError):
        services.prescriptions.changes("bo")


def test_aliases_are_stored_as_catalog_ids(services):
    services.prescriptions.change("anna", swap(exercise="DiGiovanni stretch"), 0)
    [stored] = services.prescriptions.changes("anna")
    assert stored.exercise == "plantar-fascia-stretch"


def test_apply_shows_the_changes_in_the_program_from_their_day_on(services):
    rx = services.prescriptions
    rx.change("anna", swap(), 0)
    rx.change("anna", note(), 1)
    program = services.tracking.snapshot("anna").program  # the trail applied to the plan
    days = {d.day: d for w in program.weeks for d in w.days}
    names = {
        day: [i.exercise for s in days[day].sessions for i in s.items]
        for day in (START, START + timedelta(days=1), TODAY, TODAY + timedelta(days=5))
    }
    assert "plantar-fascia-stretch" in names[START]
    assert "plantar-fascia-stretch" in names[START + timedelta(days=1)]
    for day in (TODAY, TODAY + timedelta(days=5)):
        assert "plantar-fascia-stretch" not in names[day]
        assert "seated-foot-pull-stretch" in names[day]
    swapped = [
        i for s in days[TODAY].sessions for i in s.items if i.exercise == "seated-foot-pull-stretch"
    ]
    assert swapped and all("The towel stretch hurts her wrist." in i.why for i in swapped)
    assert any("Ease off if the morning pain rises." in n for n in program.notes)


def test_the_persons_program_shows_a_change_made_in_another_process(services, database_url):
    other = build_services(Settings(database_url=database_url), clock=FixedClock(TODAY))
    try:
        before = services.tracking.snapshot("anna").program
        exercises = {
            i.exercise for w in before.weeks for d in w.days for s in d.sessions for i in s.items
        }
        assert "plantar-fascia-stretch" in exercises
        other.prescriptions.change("anna", swap(), based_on_version=0)
        after = services.tracking.snapshot("anna").program
        from_today = [
            i
            for w in after.weeks
            for d in w.days
            if d.day >= TODAY
            for s in d.sessions
            for i in s.items
        ]
        assert all(i.exercise != "plantar-fascia-stretch" for i in from_today)
        swapped = [i for i in from_today if i.exercise == "seated-foot-pull-stretch"]
        assert swapped and "towel stretch hurts her wrist" in swapped[0].why
    finally:
        other.close()
