"""Accounts in the database: explicit translation between account rows and domain values."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from footcoach.adapters.db.repositories import aware, upsert_insert
from footcoach.adapters.db.tables import (
    ApiTokenRow,
    CalendarLinkRow,
    InviteRow,
    LimitGuardRow,
    LinkRow,
    LoginAttemptRow,
    ProfileRow,
    RegistrationAttemptRow,
    UserRow,
    WebSessionRow,
)
from footcoach.domain.accounts import ApiToken, Invite, Role, User
from footcoach.domain.errors import InvalidInputError, Problem


def _maybe(moment: datetime | None) -> datetime | None:
    return None if moment is None else aware(moment)


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        role=Role(row.role),
        profile=row.profile,
        created_at=aware(row.created_at),
    )


def _invite(row: InviteRow) -> Invite:
    return Invite(
        id=row.id,
        clinician_id=row.clinician_id,
        created_at=aware(row.created_at),
        expires_at=aware(row.expires_at),
        redeemed_by=row.redeemed_by,
        redeemed_at=_maybe(row.redeemed_at),
    )


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        created_at=aware(row.created_at),
        last_used_at=_maybe(row.last_used_at),
    )


def _count(result: object) -> int:
    rowcount = getattr(result, "rowcount", 0)
    return int(rowcount or 0)


class SqlUsers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, email: str, password_hash: str, role: Role, now: datetime) -> User:
        row = UserRow(email=email, password_hash=password_hash, role=role.value, created_at=now)
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError:  # registered by another request since the check
            raise InvalidInputError(
                [Problem("email", email, "an address with no account yet")]
            ) from None
        if role is Role.PERSON:
            row.profile = f"u-{row.id}"
            self.session.flush()
        return _user(row)

    def get(self, user_id: int) -> User | None:
        row = self.session.get(UserRow, user_id)
        return None if row is None else _user(row)

    def by_email(self, email: str) -> User | None:
        row = self.session.scalars(select(UserRow).where(UserRow.email == email)).one_or_none()
        return None if row is None else _user(row)

    def credentials(self, email: str) -> tuple[User, str] | None:
        row = self.session.scalars(select(UserRow).where(UserRow.email == email)).one_or_none()
        return None if row is None else (_user(row), row.password_hash)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self.session.execute(
            update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
        )

    def all(self) -> list[User]:
        return [_user(r) for r in self.session.scalars(select(UserRow).order_by(UserRow.id))]


class SqlWebSessions:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: int, token_digest: str, now: datetime, expires_at: datetime) -> None:
        self.session.add(
            WebSessionRow(
                user_id=user_id, token_digest=token_digest, created_at=now, expires_at=expires_at
            )
        )
        self.session.flush()

    def user_for(self, token_digest: str, now: datetime) -> User | None:
        row = self.session.scalars(
            select(UserRow)
            .join(WebSessionRow, WebSessionRow.user_id == UserRow.id)
            .where(
                WebSessionRow.token_digest == token_digest,
                WebSessionRow.expires_at > now,
                WebSessionRow.revoked_at.is_(None),
            )
        ).one_or_none()
        return None if row is None else _user(row)

    def revoke(self, token_digest: str, now: datetime) -> bool:
        result = self.session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.token_digest == token_digest, WebSessionRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return _count(result) > 0

    def revoke_all(self, user_id: int, now: datetime) -> int:
        result = self.session.execute(
            update(WebSessionRow)
            .where(
                WebSessionRow.user_id == user_id,
                WebSessionRow.revoked_at.is_(None),
                WebSessionRow.expires_at > now,
            )
            .values(revoked_at=now)
        )
        return _count(result)

    def purge(self, before: datetime) -> int:
        result = self.session.execute(
            delete(WebSessionRow).where(
                or_(WebSessionRow.expires_at <= before, WebSessionRow.revoked_at <= before)
            )
        )
        return _count(result)


class SqlLimitGuards:
    def __init__(self, session: Session) -> None:
        self.session = session

    def hold(self, keys: list[str], now: datetime) -> None:
        """Write each key's row (an upsert), in sorted order so that two holders of the same
        keys cannot wait for each other. PostgreSQL then locks those rows until the transaction
        ends; SQLite has one writer at a time, so the first write holds the whole database.
        Either way, what this transaction reads afterwards includes every earlier holder's
        committed attempts."""
        insert = upsert_insert(self.session)
        for key in sorted(set(keys)):
            self.session.execute(
                insert(LimitGuardRow)
                .values(key=key, at=now)
                .on_conflict_do_update(index_elements=[LimitGuardRow.key], set_={"at": now})
            )

    def purge(self, before: datetime) -> int:
        result = self.session.execute(delete(LimitGuardRow).where(LimitGuardRow.at <= before))
        return _count(result)


class SqlLoginAttempts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, email: str, address: str, succeeded: bool, now: datetime) -> int:
        row = LoginAttemptRow(email=email, address=address, succeeded=succeeded, at=now)
        self.session.add(row)
        self.session.flush()
        return row.id

    def mark_succeeded(self, attempt_id: int) -> None:
        self.session.execute(
            update(LoginAttemptRow).where(LoginAttemptRow.id == attempt_id).values(succeeded=True)
        )

    def forget(self, attempt_id: int) -> None:
        self.session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.id == attempt_id))

    def _failures(self, since: datetime, *where: Any) -> list[datetime]:
        """Failed attempts matching `where` since then, after the latest success matching it."""
        last_success = (
            select(func.max(LoginAttemptRow.at))
            .where(*where, LoginAttemptRow.succeeded.is_(True))
            .scalar_subquery()
        )
        rows = self.session.scalars(
            select(LoginAttemptRow.at).where(
                *where,
                LoginAttemptRow.succeeded.is_(False),
                LoginAttemptRow.at > since,
                or_(last_success.is_(None), LoginAttemptRow.at > last_success),
            )
        )
        return [aware(at) for at in rows]

    def account_failures(self, email: str, since: datetime) -> list[datetime]:
        return self._failures(since, LoginAttemptRow.email == email)

    def pair_failures(self, email: str, address: str, since: datetime) -> list[datetime]:
        return self._failures(
            since, LoginAttemptRow.email == email, LoginAttemptRow.address == address
        )

    def address_failures(self, address: str, since: datetime) -> list[datetime]:
        rows = self.session.scalars(
            select(LoginAttemptRow.at).where(
                LoginAttemptRow.address == address,
                LoginAttemptRow.succeeded.is_(False),
                LoginAttemptRow.at > since,
            )
        )
        return [aware(at) for at in rows]

    def purge(self, before: datetime) -> int:
        result = self.session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at <= before))
        return _count(result)


class SqlRegistrations:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, address: str, now: datetime) -> int:
        row = RegistrationAttemptRow(address=address, at=now)
        self.session.add(row)
        self.session.flush()
        return row.id

    def forget(self, attempt_id: int) -> None:
        self.session.execute(
            delete(RegistrationAttemptRow).where(RegistrationAttemptRow.id == attempt_id)
        )

    def since(self, address: str, since: datetime) -> list[datetime]:
        rows = self.session.scalars(
            select(RegistrationAttemptRow.at).where(
                RegistrationAttemptRow.address == address, RegistrationAttemptRow.at > since
            )
        )
        return [aware(at) for at in rows]

    def purge(self, before: datetime) -> int:
        result = self.session.execute(
            delete(RegistrationAttemptRow).where(RegistrationAttemptRow.at <= before)
        )
        return _count(result)


class SqlInvites:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, clinician_id: int, code_digest: str, now: datetime, expires_at: datetime
    ) -> Invite:
        row = InviteRow(
            clinician_id=clinician_id,
            code_digest=code_digest,
            created_at=now,
            expires_at=expires_at,
        )
        self.session.add(row)
        self.session.flush()
        return _invite(row)

    def find(self, code_digest: str) -> Invite | None:
        row = self.session.scalars(
            select(InviteRow).where(InviteRow.code_digest == code_digest)
        ).one_or_none()
        return None if row is None else _invite(row)

    def redeem(self, code_digest: str, person_id: int, now: datetime) -> Invite | None:
        """One UPDATE with the conditions in it, so that of two racing redemptions one wins."""
        result = self.session.execute(
            update(InviteRow)
            .where(
                InviteRow.code_digest == code_digest,
                InviteRow.redeemed_by.is_(None),
                InviteRow.expires_at > now,
            )
            .values(redeemed_by=person_id, redeemed_at=now)
            .execution_options(synchronize_session=False)
        )
        if _count(result) != 1:
            return None
        self.session.expire_all()
        return self.find(code_digest)

    def of_clinician(self, clinician_id: int) -> list[Invite]:
        rows = self.session.scalars(
            select(InviteRow)
            .where(InviteRow.clinician_id == clinician_id)
            .order_by(InviteRow.created_at.desc(), InviteRow.id.desc())
        )
        return [_invite(r) for r in rows]

    def remove(self, clinician_id: int, invite_id: int) -> bool:
        result = self.session.execute(
            delete(InviteRow).where(
                InviteRow.id == invite_id,
                InviteRow.clinician_id == clinician_id,
                InviteRow.redeemed_by.is_(None),
            )
        )
        return _count(result) > 0

    def purge(self, before: datetime) -> int:
        result = self.session.execute(
            delete(InviteRow).where(
                or_(
                    InviteRow.redeemed_at <= before,
                    and_(InviteRow.redeemed_by.is_(None), InviteRow.expires_at <= before),
                )
            )
        )
        return _count(result)


class SqlLinks:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, clinician_id: int, person_id: int, now: datetime) -> bool:
        if self.exists(clinician_id, person_id):
            return False
        try:
            with self.session.begin_nested():
                self.session.add(
                    LinkRow(clinician_id=clinician_id, person_id=person_id, created_at=now)
                )
                self.session.flush()
        except IntegrityError:  # linked by a concurrent request
            return False
        return True

    def remove(self, clinician_id: int, person_id: int) -> bool:
        result = self.session.execute(
            delete(LinkRow).where(
                LinkRow.clinician_id == clinician_id, LinkRow.person_id == person_id
            )
        )
        return _count(result) > 0

    def exists(self, clinician_id: int, person_id: int) -> bool:
        found = self.session.scalars(
            select(LinkRow.id).where(
                LinkRow.clinician_id == clinician_id, LinkRow.person_id == person_id
            )
        ).first()
        return found is not None

    def people_of(self, clinician_id: int) -> list[User]:
        rows = self.session.scalars(
            select(UserRow)
            .join(LinkRow, LinkRow.person_id == UserRow.id)
            .where(LinkRow.clinician_id == clinician_id)
            .order_by(UserRow.email)
        )
        return [_user(r) for r in rows]

    def clinicians_of(self, person_id: int) -> list[User]:
        rows = self.session.scalars(
            select(UserRow)
            .join(LinkRow, LinkRow.clinician_id == UserRow.id)
            .where(LinkRow.person_id == person_id)
            .order_by(UserRow.email)
        )
        return [_user(r) for r in rows]


class SqlApiTokens:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: int, name: str, token_digest: str, now: datetime) -> ApiToken:
        row = ApiTokenRow(user_id=user_id, name=name, token_digest=token_digest, created_at=now)
        self.session.add(row)
        self.session.flush()
        return _token(row)

    def of_user(self, user_id: int) -> list[ApiToken]:
        rows = self.session.scalars(
            select(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
            .order_by(ApiTokenRow.id)
        )
        return [_token(r) for r in rows]

    def revoke(self, user_id: int, token_id: int, now: datetime) -> bool:
        result = self.session.execute(
            update(ApiTokenRow)
            .where(
                ApiTokenRow.id == token_id,
                ApiTokenRow.user_id == user_id,
                ApiTokenRow.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        return _count(result) > 0

    def find(self, token_digest: str) -> tuple[User, ApiToken] | None:
        found = self.session.execute(
            select(UserRow, ApiTokenRow)
            .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_digest == token_digest, ApiTokenRow.revoked_at.is_(None))
        ).one_or_none()
        return None if found is None else (_user(found[0]), _token(found[1]))

    def touch(self, token_id: int, now: datetime) -> None:
        self.session.execute(
            update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=now)
        )

    def revoke_all(self, user_id: int, now: datetime) -> int:
        result = self.session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return _count(result)


class SqlCalendarLinkRevocation:
    """The account side of private calendar links: ending one with the account's secrets."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def forget(self, profile: str) -> bool:
        profile_id = select(ProfileRow.id).where(ProfileRow.name == profile).scalar_subquery()
        result = self.session.execute(
            delete(CalendarLinkRow).where(CalendarLinkRow.profile_id == profile_id)
        )
        return _count(result) > 0


class SqlAccounts:
    """The account stores of one unit of work, each made on first use."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @cached_property
    def users(self) -> SqlUsers:
        return SqlUsers(self.session)

    @cached_property
    def web_sessions(self) -> SqlWebSessions:
        return SqlWebSessions(self.session)

    @cached_property
    def login_attempts(self) -> SqlLoginAttempts:
        return SqlLoginAttempts(self.session)

    @cached_property
    def limit_guards(self) -> SqlLimitGuards:
        return SqlLimitGuards(self.session)

    @cached_property
    def registrations(self) -> SqlRegistrations:
        return SqlRegistrations(self.session)

    @cached_property
    def invites(self) -> SqlInvites:
        return SqlInvites(self.session)

    @cached_property
    def links(self) -> SqlLinks:
        return SqlLinks(self.session)

    @cached_property
    def api_tokens(self) -> SqlApiTokens:
        return SqlApiTokens(self.session)

    @cached_property
    def calendar_links(self) -> SqlCalendarLinkRevocation:
        return SqlCalendarLinkRevocation(self.session)
