"""The first schema: profiles, check-ins, sessions and their items, questionnaires.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("intake", sa.JSON, nullable=False),
        sa.Column("protocol", sa.String(64), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("weeks", sa.Integer, nullable=False),
        sa.Column("voice", sa.Boolean, nullable=False),
        sa.Column("large_text", sa.Boolean, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "profile_id",
            sa.Integer,
            sa.ForeignKey("profiles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("first_step_pain", sa.Integer, nullable=False),
        _when("recorded_at"),
        sa.UniqueConstraint("profile_id", "day", name="uq_checkin_day"),
    )
    op.create_index("ix_checkins_profile_id", "checkins", ["profile_id"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "profile_id",
            sa.Integer,
            sa.ForeignKey("profiles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("slot", sa.String(32), nullable=False),
        _when("started_at"),
        _when("finished_at", nullable=True),
        sa.Column("completed", sa.Boolean, nullable=False),
        sa.Column("pain_during", sa.Integer, nullable=True),
        sa.Column("effort", sa.Integer, nullable=True),
    )
    op.create_index("ix_sessions_profile_day", "sessions", ["profile_id", "day"])
    op.create_table(
        "session_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("exercise", sa.String(64), nullable=False),
        sa.Column("sets_done", sa.Integer, nullable=False),
        sa.Column("reps_done", sa.Integer, nullable=False),
        sa.Column("seconds_done", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Boolean, nullable=False),
        _when("finished_at"),
        sa.UniqueConstraint("session_id", "position", name="uq_item_position"),
    )
    op.create_index("ix_session_items_session_id", "session_items", ["session_id"])
    op.create_table(
        "questionnaires",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "profile_id",
            sa.Integer,
            sa.ForeignKey("profiles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("instrument", sa.String(16), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("sports", sa.JSON, nullable=False),
        _when("recorded_at"),
    )
    op.create_index("ix_questionnaires_profile_id", "questionnaires", ["profile_id"])


def downgrade() -> None:
    for table in ("questionnaires", "session_items", "sessions", "checkins", "profiles"):
        op.drop_table(table)
