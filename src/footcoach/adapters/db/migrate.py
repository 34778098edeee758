"""Bring a database to the newest schema; cheap when it already is (no Alembic import then)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

HEAD = "0009"
"""The newest revision in migrations/versions; a test checks it against Alembic's own view."""

MIGRATIONS = Path(__file__).parent / "migrations"


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, force: bool = False) -> bool:
    """Run pending migrations; True when something ran."""
    if not force and current_revision(engine) == HEAD:
        return False
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return True
