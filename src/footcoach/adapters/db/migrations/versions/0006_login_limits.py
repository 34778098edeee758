"""Login limits that hold under parallel guesses, and a limit on registrations.

limit_guards has one row per rate-limit key; a login or registration writes its keys' rows
before counting, which makes every other attempt on the same keys wait until it has counted and
recorded itself. registration_attempts counts registrations per network address.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "limit_guards",
        sa.Column("key", sa.String(320), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "registration_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_registration_attempts_address_at", "registration_attempts", ["address", "at"]
    )


def downgrade() -> None:
    op.drop_table("registration_attempts")
    op.drop_table("limit_guards")
