"""Migration 0008 (private calendar links) on a database holding a profile: the table comes and
goes, one link per profile, each secret's digest once, and a link leaves with its profile.

Runs on SQLite and, when FOOTCOACH_TEST_POSTGRES_URL is set, on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import delete, inspect, select
from sqlalchemy.exc import IntegrityError

from footcoach.adapters.db.engine import make_engine
from footcoach.adapters.db.migrate import MIGRATIONS
from footcoach.adapters.db.tables import CalendarLinkRow, ProfileRow

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
LINKS = CalendarLinkRow.__table__


def migrate(engine, target: str, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)


def add_profile(conn, name: str) -> int:
    return conn.execute(
        ProfileRow.__table__.insert().values(
            name=name,
            intake={},
            protocol="footcoach",
            start=date(2026, 10, 1),
            weeks=12,
            voice=True,
            large_text=False,
            created_at=NOW,
        )
    ).inserted_primary_key[0]


@pytest.fixture
def at_0007(database_url):
    engine = make_engine(database_url)
    migrate(engine, "0007")
    with engine.begin() as conn:
        add_profile(conn, "ana")
    yield engine
    engine.dispose()


def test_upgrade_adds_the_links_table_and_downgrade_removes_it(at_0007):
    assert not inspect(at_0007).has_table("calendar_links")
    migrate(at_0007, "0008")
    assert inspect(at_0007).has_table("calendar_links")
    migrate(at_0007, "0007", down=True)
    assert not inspect(at_0007).has_table("calendar_links")
    with at_0007.connect() as conn:  # the profile is untouched
        assert conn.execute(select(ProfileRow.__table__.c.name)).scalars().all() == ["ana"]


def test_one_link_per_profile_and_each_digest_once(at_0007):
    migrate(at_0007, "0008")
    with at_0007.begin() as conn:
        ana = conn.execute(select(ProfileRow.__table__.c.id)).scalar_one()
        bo = add_profile(conn, "bo")
        conn.execute(LINKS.insert().values(profile_id=ana, token_digest="a" * 64, created_at=NOW))
    with pytest.raises(IntegrityError), at_0007.begin() as conn:
        conn.execute(LINKS.insert().values(profile_id=ana, token_digest="b" * 64, created_at=NOW))
    with pytest.raises(IntegrityError), at_0007.begin() as conn:
        conn.execute(LINKS.insert().values(profile_id=bo, token_digest="a" * 64, created_at=NOW))
    with at_0007.begin() as conn:
        conn.execute(LINKS.insert().values(profile_id=bo, token_digest="b" * 64, created_at=NOW))
        conn.execute(delete(ProfileRow.__table__).where(ProfileRow.__table__.c.id == ana))
    with at_0007.connect() as conn:
        left = conn.execute(select(LINKS.c.profile_id, LINKS.c.token_digest)).all()
    assert [tuple(row) for row in left] == [(bo, "b" * 64)]
