"""Accounts, web sessions, rate limits, invites and API tokens (multi-user mode).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _user_id(name: str, ondelete: str = "CASCADE", nullable: bool = False) -> sa.Column:
    return sa.Column(
        name, sa.Integer, sa.ForeignKey("users.id", ondelete=ondelete), nullable=nullable
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("profile", sa.String(64), nullable=True, unique=True),
        _when("created_at"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        _user_id("user_id"),
        sa.Column("token_digest", sa.String(64), nullable=False, unique=True),
        _when("created_at"),
        _when("expires_at"),
        _when("revoked_at", nullable=True),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Boolean, nullable=False),
        _when("at"),
    )
    op.create_index("ix_login_attempts_email_at", "login_attempts", ["email", "at"])
    op.create_index("ix_login_attempts_address_at", "login_attempts", ["address", "at"])
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer, primary_key=True),
        _user_id("clinician_id"),
        sa.Column("code_digest", sa.String(64), nullable=False, unique=True),
        _when("created_at"),
        _when("expires_at"),
        _user_id("redeemed_by", ondelete="SET NULL", nullable=True),
        _when("redeemed_at", nullable=True),
    )
    op.create_index("ix_invites_clinician_id", "invites", ["clinician_id"])
    op.create_table(
        "links",
        sa.Column("id", sa.Integer, primary_key=True),
        _user_id("clinician_id"),
        _user_id("person_id"),
        _when("created_at"),
        sa.UniqueConstraint("clinician_id", "person_id", name="uq_link"),
    )
    op.create_index("ix_links_person_id", "links", ["person_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        _user_id("user_id"),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False, unique=True),
        _when("created_at"),
        _when("last_used_at", nullable=True),
        _when("revoked_at", nullable=True),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])


def downgrade() -> None:
    for table in ("api_tokens", "links", "invites", "login_attempts", "web_sessions", "users"):
        op.drop_table(table)
