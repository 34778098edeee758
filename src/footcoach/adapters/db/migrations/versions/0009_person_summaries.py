"""The clinic dashboard's summaries: one row per profile, kept as of a revision of it.

The table starts empty. Building a row needs the planner and the exercise library, which a
migration does not load; a row that is missing (or older than its profile's revision) is built
from the diary the first time a dashboard lists the person, many in one go, so existing data is
summarised by the first look at the dashboard after the upgrade.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_summaries",
        sa.Column(
            "profile_id",
            sa.Integer,
            sa.ForeignKey("profiles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("basis", sa.String(64), nullable=False),
        sa.Column("referral", sa.Text, nullable=False),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("start", sa.Date, nullable=True),
        sa.Column("planned", sa.Text, nullable=False),
        sa.Column("done", sa.Text, nullable=False),
        sa.Column("pain_from", sa.Date, nullable=True),
        sa.Column("pains", sa.Text, nullable=False),
        sa.Column("last_activity", sa.Date, nullable=True),
        sa.Column("details", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("person_summaries")
