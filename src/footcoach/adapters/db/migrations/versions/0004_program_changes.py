"""A clinician's changes to a person's program, with their audit trail.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "program_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "profile_id",
            sa.Integer,
            sa.ForeignKey("profiles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("exercise", sa.String(64), nullable=True),
        sa.Column("to_exercise", sa.String(64), nullable=True),
        sa.Column("dose", sa.JSON, nullable=True),
        sa.Column("note", sa.String(1000), nullable=True),
        sa.Column("why", sa.String(500), nullable=False),
        sa.Column("starts", sa.Date, nullable=False),
        sa.Column("who", sa.String(254), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("profile_id", "version", name="uq_program_change_version"),
    )


def downgrade() -> None:
    op.drop_table("program_changes")
