"""Export then import loses nothing: generated profiles with diaries, sessions and questionnaires
go through the backup document and a fresh database and come back equal."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.backup import Backup
from footcoach.domain.changes import DOSE_RANGES, ROLES, ChangeKind, DoseChange, ProgramChange
from footcoach.domain.diary import (
    Diary,
    Instrument,
    ItemRecord,
    QuestionnaireResponse,
    SessionRecord,
)
from footcoach.domain.intake import CheckIn, Feet, Goal, Intake, PainSite
from footcoach.domain.profile import Preferences, Profile
from footcoach.schemas.backup import parse_backup
from footcoach.services.documents import backup_document
from tests.program.strategies import intakes

START = date(2026, 1, 5)
SLOTS = ["before_first_step", "daytime", "evening"]
moments = st.integers(0, 400 * 24 * 3600).map(
    lambda s: datetime(2026, 1, 5, tzinfo=UTC) + timedelta(seconds=s)
)
pain = st.none() | st.integers(0, 10)


@st.composite
def sessions(draw) -> SessionRecord:
    count = draw(st.integers(0, 4))
    started = draw(moments)
    items = tuple(
        ItemRecord(
            position=i,
            exercise=draw(st.sampled_from(["plantar-fascia-stretch", "heel-raise", "toe-splay"])),
            sets_done=draw(st.integers(0, 5)),
            reps_done=draw(st.integers(0, 60)),
            seconds_done=draw(st.integers(0, 900)),
            skipped=draw(st.booleans()),
            finished_at=started + timedelta(seconds=60 * (i + 1)),
        )
        for i in range(count)
    )
    finished = draw(st.booleans())
    return SessionRecord(
        day=started.date(),
        slot=draw(st.sampled_from(SLOTS)),
        started_at=started,
        items=items,
        completed=finished and draw(st.booleans()),
        pain_during=draw(pain),
        effort=draw(pain),
        finished_at=started + timedelta(minutes=30) if finished else None,
    )


@st.composite
def questionnaires(draw) -> QuestionnaireResponse:
    day = START + timedelta(days=draw(st.integers(0, 400)))
    if draw(st.booleans()):
        answers = tuple(draw(st.lists(st.none() | st.integers(0, 10), min_size=23, max_size=23)))
        return QuestionnaireResponse(Instrument.FFI, day, answers)
    adl = tuple(draw(st.lists(st.none() | st.integers(0, 4), min_size=21, max_size=21)))
    sports = tuple(draw(st.lists(st.none() | st.integers(0, 4), min_size=8, max_size=8)))
    return QuestionnaireResponse(Instrument.FAAM, day, adl, sports)


words = st.text(alphabet="abcdefghij ,.", min_size=1, max_size=40).filter(str.strip)
exercises = st.sampled_from(["plantar-fascia-stretch", "heel-raise", "toe-splay"])


@st.composite
def doses(draw) -> DoseChange:
    def field(name: str):
        low, high = DOSE_RANGES[name]
        return draw(st.none() | st.integers(low, high))

    return DoseChange(**{name: field(name) for name in DOSE_RANGES})


@st.composite
def changes(draw) -> ProgramChange:
    kind = draw(st.sampled_from(list(ChangeKind)))
    return ProgramChange(
        kind=kind,
        who=draw(st.sampled_from(["you", "pt@clinic.example"])),
        role=draw(st.sampled_from(ROLES)),
        when=draw(moments),
        why=draw(words),
        starts=START + timedelta(days=draw(st.integers(0, 400))),
        exercise=draw(exercises) if kind is not ChangeKind.NOTE else draw(st.none() | exercises),
        to=draw(exercises) if kind is ChangeKind.SWAP else None,
        dose=draw(doses())
        if kind is ChangeKind.DOSE
        else (draw(st.none() | doses()) if kind is ChangeKind.SWAP else None),
        note=draw(words) if kind is ChangeKind.NOTE else None,
    )


@st.composite
def backups(draw) -> Backup:
    intake = draw(intakes().filter(lambda i: not i.red_flags))
    profile = Profile(
        name="someone",
        intake=intake,
        protocol=draw(st.sampled_from(["footcoach", "high-load-strength", "foot-trainer-rehab"])),
        start=START,
        weeks=draw(st.integers(1, 52)),
        preferences=Preferences(voice=draw(st.booleans()), large_text=draw(st.booleans())),
    )
    days = draw(st.lists(st.integers(0, 400), unique=True, max_size=25))
    diary = Diary(
        checkins=tuple(
            CheckIn(START + timedelta(days=d), draw(st.integers(0, 10))) for d in sorted(days)
        ),
        sessions=tuple(
            sorted(draw(st.lists(sessions(), max_size=8)), key=lambda s: (s.day, s.started_at))
        ),
        questionnaires=tuple(
            sorted(draw(st.lists(questionnaires(), max_size=4)), key=lambda q: q.taken_on)
        ),
    )
    return Backup(profile, diary, tuple(draw(st.lists(changes(), max_size=4))))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(backup=backups())
def test_export_then_import_is_lossless(tmp_path_factory, backup):
    document = json.loads(json.dumps(backup_document(backup)))
    assert ("program_changes" in document) == bool(backup.changes)  # left out when none
    assert parse_backup(document) == backup
    folder = tmp_path_factory.mktemp("roundtrip")
    services = build_services(Settings(database_url=f"sqlite:///{folder / 'fc.db'}"))
    try:
        services.tracking.restore(backup.profile, backup.diary, backup.changes)
        again = services.tracking.backup(backup.profile.name)
        assert again == backup
        assert backup_document(again) == document
    finally:
        services.close()


def _one_intake_backup(**fields) -> Backup:
    intake = Intake(
        age=47,
        feet=Feet.BOTH,
        goal=Goal.HEEL_PAIN,
        pain_site=(PainSite.PLANTAR_HEEL, PainSite.ARCH),
        first_step_pain=6,
        weeks_of_symptoms=10,
        red_flags=(),
        equipment=(),
        minutes_per_day=25,
        **fields,
    )
    profile = Profile("someone", intake, "footcoach", START, 12, Preferences())
    return Backup(profile, Diary(), ())


def test_pregnancy_injection_and_main_site_survive_export_store_and_import(tmp_path):
    backup = _one_intake_backup(
        pregnant=True, steroid_injection_weeks_ago=1, main_pain_site=PainSite.PLANTAR_HEEL
    )
    document = json.loads(json.dumps(backup_document(backup)))
    intake_doc = document["profile"]["intake"]
    assert intake_doc["pregnant"] is True
    assert intake_doc["steroid_injection_weeks_ago"] == 1
    assert intake_doc["main_pain_site"] == "plantar_heel"
    assert parse_backup(document) == backup
    services = build_services(Settings(database_url=f"sqlite:///{tmp_path / 'fc.db'}"))
    try:
        services.tracking.restore(backup.profile, backup.diary, backup.changes)
        assert services.tracking.backup("someone") == backup
    finally:
        services.close()


def test_an_intake_kept_before_the_new_fields_still_loads(tmp_path):
    backup = _one_intake_backup()
    document = json.loads(json.dumps(backup_document(backup)))
    for key in ("pregnant", "steroid_injection_weeks_ago", "main_pain_site"):
        del document["profile"]["intake"][key]
    assert parse_backup(document) == backup
    url = f"sqlite:///{tmp_path / 'fc.db'}"
    services = build_services(Settings(database_url=url))
    try:
        services.tracking.restore(backup.profile, backup.diary, backup.changes)
    finally:
        services.close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE profiles SET intake = :doc"),
            {"doc": json.dumps(document["profile"]["intake"])},
        )
        stored = connection.execute(text("SELECT intake FROM profiles")).scalar_one()
    assert "pregnant" not in (stored if isinstance(stored, dict) else json.loads(stored))
    engine.dispose()
    services = build_services(Settings(database_url=url))
    try:
        intake = services.tracking.backup("someone").profile.intake
        assert intake.pregnant is False
        assert intake.steroid_injection_weeks_ago is None and intake.main_pain_site is None
    finally:
        services.close()
