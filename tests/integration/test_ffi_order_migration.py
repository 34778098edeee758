"""Migration 0005 on a database holding answers: FFI answers move to the published item order.

Runs on SQLite and, when FOOTCOACH_TEST_POSTGRES_URL is set, on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, select

from footcoach.adapters.db.migrate import MIGRATIONS
from footcoach.adapters.db.tables import ProfileRow, QuestionnaireRow
from footcoach.domain.questionnaires import FFI, FFI_FIRST_ORDER, FIRST_STEP_ITEM
from footcoach.domain.scoring import score_faam, score_ffi

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)

# Stored in footcoach's first order: first-step pain 1, worst pain 2, standing without shoes 3,
# walking without shoes 4, standing in shoes 5, walking in shoes 6, standing with orthoses
# not applicable, walking with orthoses 8, end of the day 9; then disability and activity.
FIRST = [1, 2, 3, 4, 5, 6, None, 8, 9, *range(1, 10), 0, 1, None, 3, 4]
PUBLISHED = [2, 1, 4, 3, 6, 5, 8, None, 9, *range(1, 10), 0, 1, None, 3, 4]
OTHER = [7, 10, 0, None, 2, 2, 5, 9, 6, *([3] * 9), None, None, 0, 0, 10]
ADL = [4, 3, 2, 1, 0, None, 4, 3, 2, 1, 0, 4, 3, 2, 1, 0, 4, 3, 2, 1, 4]
SPORTS = [1, 2, 3, 4, None, 0, 1, 2]


def migrate(engine, target: str, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)


def stored(engine) -> dict[int, tuple[str, list, list]]:
    q = QuestionnaireRow.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(q.c.id, q.c.instrument, q.c.answers, q.c.sports)).all()
    return {row_id: (kind, answers, sports) for row_id, kind, answers, sports in rows}


def scores(rows: dict[int, tuple[str, list, list]]) -> dict[int, object]:
    return {
        row_id: score_ffi(answers) if kind == "ffi" else score_faam(answers, sports)
        for row_id, (kind, answers, sports) in rows.items()
    }


@pytest.fixture
def at_0004(database_url):
    """A database at revision 0004 holding two FFI responses and a FAAM one."""
    engine = create_engine(database_url)
    migrate(engine, "0004")
    with engine.begin() as conn:
        profile_id = conn.execute(
            ProfileRow.__table__.insert().values(
                name="ana",
                intake={},
                protocol="footcoach",
                start=date(2026, 10, 1),
                weeks=12,
                voice=True,
                large_text=False,
                created_at=NOW,
            )
        ).inserted_primary_key[0]
        for kind, answers, sports, version in (
            ("ffi", FIRST, [], "ffi-nrs-23"),
            ("faam", ADL, SPORTS, "faam-29"),
            ("ffi", OTHER, [], "ffi-nrs-23"),
        ):
            conn.execute(
                QuestionnaireRow.__table__.insert().values(
                    profile_id=profile_id,
                    instrument=kind,
                    version=version,
                    taken_on=date(2026, 10, 2),
                    answers=answers,
                    sports=sports,
                    recorded_at=NOW,
                )
            )
    yield engine
    engine.dispose()


def test_upgrade_moves_each_ffi_answer_to_its_item_and_keeps_every_score(at_0004):
    before = stored(at_0004)
    migrate(at_0004, "0005")
    after = stored(at_0004)

    ffi = [answers for kind, answers, _ in after.values() if kind == "ffi"]
    assert ffi[0] == PUBLISHED
    # the first-step answer (1 in the first order's first place) is now where the form asks it
    assert ffi[0][[i.id for i in FFI.items].index(FIRST_STEP_ITEM)] == 1
    for row_id, (kind, answers, _) in before.items():
        if kind == "ffi":  # every answer is now where its item is asked
            moved = after[row_id][1]
            by_id = dict(zip(FFI_FIRST_ORDER, answers, strict=True))
            assert moved == [by_id[item.id] for item in FFI.items]
    faam = [(answers, sports) for kind, answers, sports in after.values() if kind == "faam"]
    assert faam == [(ADL, SPORTS)]
    assert scores(after) == scores(before)


def test_downgrade_puts_the_answers_back(at_0004):
    before = stored(at_0004)
    migrate(at_0004, "0005")
    migrate(at_0004, "0004", down=True)
    assert stored(at_0004) == before
