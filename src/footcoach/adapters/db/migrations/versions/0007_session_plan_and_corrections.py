"""Sessions remember how many items were planned; check-in corrections are kept.

sessions.planned_items is the number of items the program planned for the session when it was
started, so a session whose planned items are all saved counts as done without a rating (NULL
for sessions started before: they count as done only when finished as completed).
checkin_corrections keeps every change to a check-in: the day, the value before and after, who
made it and when, for the audit trail a clinician sees.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("planned_items", sa.Integer, nullable=True))
    op.create_table(
        "checkin_corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "profile_id",
            sa.Integer,
            sa.ForeignKey("profiles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("was", sa.Integer, nullable=False),
        sa.Column("now", sa.Integer, nullable=False),
        sa.Column("who", sa.String(320), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_checkin_corrections_profile_id", "checkin_corrections", ["profile_id"])


def downgrade() -> None:
    op.drop_index("ix_checkin_corrections_profile_id", table_name="checkin_corrections")
    op.drop_table("checkin_corrections")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("planned_items")
