"""The storage shape, as SQLAlchemy 2 typed tables; translation to the domain is in repositories."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ProfileRow(Base):
    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    intake: Mapped[dict[str, object]] = mapped_column(JSON)
    """The footcoach.intake/1 document as validated, so it can be shown and exported as given."""
    protocol: Mapped[str] = mapped_column(String(64))
    start: Mapped[date] = mapped_column(Date)
    weeks: Mapped[int] = mapped_column(Integer)
    voice: Mapped[bool] = mapped_column(Boolean, default=True)
    large_text: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Raised by every write that changes what the planner or the day's view reads (item saves
    within a session do not), so a reader can tell cheaply whether a cached view still holds."""


class CheckInRow(Base):
    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("profile_id", "day", name="uq_checkin_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    first_step_pain: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_profile_day", "profile_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    pain_during: Mapped[int | None] = mapped_column(Integer, nullable=True)
    effort: Mapped[int | None] = mapped_column(Integer, nullable=True)
    planned_items: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """How many items the program planned when the session started (None: started before
    footcoach kept it)."""


class CheckInCorrectionRow(Base):
    """One change to a stored check-in, for the audit trail."""

    __tablename__ = "checkin_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    was: Mapped[int] = mapped_column(Integer)
    now: Mapped[int] = mapped_column(Integer)
    who: Mapped[str] = mapped_column(String(320))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ItemRow(Base):
    __tablename__ = "session_items"
    __table_args__ = (UniqueConstraint("session_id", "position", name="uq_item_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    exercise: Mapped[str] = mapped_column(String(64))
    sets_done: Mapped[int] = mapped_column(Integer)
    reps_done: Mapped[int] = mapped_column(Integer)
    seconds_done: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[bool] = mapped_column(Boolean)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QuestionnaireRow(Base):
    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    instrument: Mapped[str] = mapped_column(String(16))
    version: Mapped[str] = mapped_column(String(32))
    """Which form was used, e.g. 'ffi-nrs-23' (0-10 items) or 'faam-29'."""
    taken_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[list[int | None]] = mapped_column(JSON)
    sports: Mapped[list[int | None]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# accounts (multi-user mode) ------------------------------------------------------------------
# Secrets (session tokens, invite codes, API tokens) are stored only as SHA-256 hex digests.


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    """Trimmed and lower-case (domain.accounts.normalise_email)."""
    password_hash: Mapped[str] = mapped_column(String(255))
    """An argon2id hash in PHC string form."""
    role: Mapped[str] = mapped_column(String(16))
    profile: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    """A person's profile name (profiles.name once they have done the intake)."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginAttemptRow(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    """The address tried, as typed (trimmed, lower-case), whether or not it has an account."""
    address: Mapped[str] = mapped_column(String(64))
    """The network address it came from (IPv6: its /64), see domain.accounts.address_key."""
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LimitGuardRow(Base):
    """A row per rate-limit key ('account:<email>', 'address:<key>', 'register:<key>') that a
    login or registration writes first: its transaction then holds the key until it ends, so
    the check of a limit and the attempt it lets through are one step in every process."""

    __tablename__ = "limit_guards"

    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegistrationAttemptRow(Base):
    """A registration tried from a network address (made or refused), for its limit."""

    __tablename__ = "registration_attempts"
    __table_args__ = (Index("ix_registration_attempts_address_at", "address", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InviteRow(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    redeemed_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    redeemed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LinkRow(Base):
    """A person linked to a clinician (by redeeming the clinician's invite)."""

    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("clinician_id", "person_id", name="uq_link"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ProgramChangeRow(Base):
    """One change to a profile's program, kept for good as its audit trail.

    `version` numbers a profile's changes 1, 2, 3...: the newest is the program's version, and
    the unique constraint makes two saves based on the same version unable to both succeed.
    """

    __tablename__ = "program_changes"
    __table_args__ = (UniqueConstraint("profile_id", "version", name="uq_program_change_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    exercise: Mapped[str | None] = mapped_column(String(64), nullable=True)
    to_exercise: Mapped[str | None] = mapped_column(String(64), nullable=True)
    dose: Mapped[dict[str, int] | None] = mapped_column(JSON, nullable=True)
    note: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    why: Mapped[str] = mapped_column(String(500))
    starts: Mapped[date] = mapped_column(Date)
    who: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CalendarLinkRow(Base):
    """A profile's private calendar link (at most one): a phone's calendar follows it without a
    login. Only the SHA-256 digest of its secret is kept; a new link replaces the row."""

    __tablename__ = "calendar_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), unique=True
    )
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PersonSummaryRow(Base):
    """What the clinic dashboard keeps of one profile, as of one of its revisions: the facts of
    its program and diary that do not depend on the day (services.clinic_summary.Summary).

    A row holds only while `revision` equals the profile's and `basis` the running code's; any
    other row is built again from the diary before it is shown, so a summary never disagrees
    with the person's own pages. Text columns keep one character per day (planned and done
    sessions from `start`, first-step pain from `pain_from`), reasons apart by a separator, and
    JSON for the weeks and the scores."""

    __tablename__ = "person_summaries"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(64))
    referral: Mapped[str] = mapped_column(Text)
    prompt: Mapped[str] = mapped_column(Text)
    start: Mapped[date | None] = mapped_column(Date, nullable=True)
    planned: Mapped[str] = mapped_column(Text)
    done: Mapped[str] = mapped_column(Text)
    pain_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    pains: Mapped[str] = mapped_column(Text)
    last_activity: Mapped[date | None] = mapped_column(Date, nullable=True)
    details: Mapped[str] = mapped_column(Text)
    """JSON: the program's weeks (number, phase, phase name) and every questionnaire's headline
    score, read only for the people a page shows."""
