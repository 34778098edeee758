"""The ports the account service needs: stores for accounts and their secrets, and a hasher.

Secrets (session tokens, invite codes, API tokens) reach the stores only as SHA-256 digests.
"""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Protocol

from footcoach.domain.accounts import ApiToken, Invite, Role, User
from footcoach.domain.errors import FootcoachError


class HashingBusyError(FootcoachError):
    """Every password-hashing slot of this process stayed busy while the caller waited: try
    again after retry_after seconds. Nothing was hashed or checked."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(
            f"the server is checking many passwords at once; try again in {retry_after} seconds"
        )


class PasswordHasher(Protocol):
    """Deliberately slow, and bounded: hash and verify may raise HashingBusyError."""

    def hash(self, password: str) -> str: ...

    def verify(self, hashed: str, password: str) -> bool:
        """True when the password matches; False when it does not (or the hash is unreadable)."""
        ...

    def needs_rehash(self, hashed: str) -> bool:
        """True when the hash was made with other parameters than today's."""
        ...


TokenUse = tuple[User, int, datetime | None]
"""The user of a live API token, the token's id, and when it was last used (None: never)."""


class SessionLookup(Protocol):
    """Who a web session or an API token belongs to, read more cheaply than a unit of work can
    (every request of a logged-in person asks it), and tokens' uses recorded off the request's
    path."""

    def session_user(self, token_digest: str, now: datetime) -> User | None:
        """The user of a live session (not expired at `now`, not revoked), else None."""
        ...

    def token_user(self, token_digest: str) -> TokenUse | None:
        """The live (not revoked) API token with this digest, else None."""
        ...

    async def token_user_async(self, token_digest: str) -> TokenUse | None:
        """token_user, awaited on an event loop without blocking it for a network round trip."""
        ...

    def record_token_use(self, token_id: int, now: datetime, due: datetime) -> None:
        """Have the token's last use written as `now`, later and elsewhere (this returns at
        once), unless a use after `due` is written or on its way already."""
        ...


class UserStore(Protocol):
    def add(self, email: str, password_hash: str, role: Role, now: datetime) -> User:
        """A new user; a person gets their profile name reserved as u-<id>."""
        ...

    def get(self, user_id: int) -> User | None: ...

    def by_email(self, email: str) -> User | None: ...

    def credentials(self, email: str) -> tuple[User, str] | None:
        """The user with this address and their password hash."""
        ...

    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    def all(self) -> list[User]: ...


class WebSessionStore(Protocol):
    def add(self, user_id: int, token_digest: str, now: datetime, expires_at: datetime) -> None: ...

    def user_for(self, token_digest: str, now: datetime) -> User | None:
        """The user of a session neither expired nor revoked."""
        ...

    def revoke(self, token_digest: str, now: datetime) -> bool: ...

    def revoke_all(self, user_id: int, now: datetime) -> int: ...

    def purge(self, before: datetime) -> int:
        """Forget sessions that expired or were revoked before this moment."""
        ...


class LimitGuards(Protocol):
    def hold(self, keys: list[str], now: datetime) -> None:
        """Take these rate-limit keys until the unit of work ends: another unit of work holding
        any of them, in any process, waits here until this one commits or rolls back."""
        ...

    def purge(self, before: datetime) -> int:
        """Forget keys last taken before this moment."""
        ...


class LoginAttemptStore(Protocol):
    def record(self, email: str, address: str, succeeded: bool, now: datetime) -> int:
        """Store an attempt; its id."""
        ...

    def mark_succeeded(self, attempt_id: int) -> None:
        """The attempt (recorded as failed while its password was being checked) succeeded."""
        ...

    def forget(self, attempt_id: int) -> None:
        """Remove an attempt whose password was never checked."""
        ...

    def account_failures(self, email: str, since: datetime) -> list[datetime]:
        """When logins to this account failed since then, and after its latest success."""
        ...

    def pair_failures(self, email: str, address: str, since: datetime) -> list[datetime]:
        """When logins to this account from this network address failed since then, and after
        the latest success from that address."""
        ...

    def address_failures(self, address: str, since: datetime) -> list[datetime]:
        """When logins from this network address failed since then."""
        ...

    def purge(self, before: datetime) -> int: ...


class RegistrationAttemptStore(Protocol):
    def record(self, address: str, now: datetime) -> int:
        """Store a registration tried from this network address; its id."""
        ...

    def forget(self, attempt_id: int) -> None: ...

    def since(self, address: str, since: datetime) -> list[datetime]:
        """When registrations were tried from this network address since then."""
        ...

    def purge(self, before: datetime) -> int: ...


class InviteStore(Protocol):
    def add(
        self, clinician_id: int, code_digest: str, now: datetime, expires_at: datetime
    ) -> Invite: ...

    def find(self, code_digest: str) -> Invite | None: ...

    def redeem(self, code_digest: str, person_id: int, now: datetime) -> Invite | None:
        """Mark an open, unexpired invite redeemed, atomically; None when none was."""
        ...

    def of_clinician(self, clinician_id: int) -> list[Invite]: ...

    def remove(self, clinician_id: int, invite_id: int) -> bool:
        """Withdraw an invite not yet redeemed."""
        ...

    def purge(self, before: datetime) -> int:
        """Forget the invites redeemed, or expired unredeemed, before this time (the links
        they made are kept)."""
        ...


class LinkStore(Protocol):
    def add(self, clinician_id: int, person_id: int, now: datetime) -> bool:
        """Link them; False when they were linked already."""
        ...

    def remove(self, clinician_id: int, person_id: int) -> bool: ...

    def exists(self, clinician_id: int, person_id: int) -> bool: ...

    def people_of(self, clinician_id: int) -> list[User]: ...

    def clinicians_of(self, person_id: int) -> list[User]: ...


class ApiTokenStore(Protocol):
    def add(self, user_id: int, name: str, token_digest: str, now: datetime) -> ApiToken: ...

    def of_user(self, user_id: int) -> list[ApiToken]:
        """The user's tokens not revoked."""
        ...

    def revoke(self, user_id: int, token_id: int, now: datetime) -> bool: ...

    def find(self, token_digest: str) -> tuple[User, ApiToken] | None:
        """The token, not revoked, and its user."""
        ...

    def touch(self, token_id: int, now: datetime) -> None: ...

    def revoke_all(self, user_id: int, now: datetime) -> int:
        """Revoke every live token of the user; how many were."""
        ...


class CalendarLinkStore(Protocol):
    def forget(self, profile: str) -> bool:
        """Delete the profile's private calendar link; whether it had one."""
        ...


class AccountStores(Protocol):
    @property
    def users(self) -> UserStore: ...

    @property
    def web_sessions(self) -> WebSessionStore: ...

    @property
    def login_attempts(self) -> LoginAttemptStore: ...

    @property
    def limit_guards(self) -> LimitGuards: ...

    @property
    def registrations(self) -> RegistrationAttemptStore: ...

    @property
    def invites(self) -> InviteStore: ...

    @property
    def links(self) -> LinkStore: ...

    @property
    def api_tokens(self) -> ApiTokenStore: ...

    @property
    def calendar_links(self) -> CalendarLinkStore: ...


class AccountUnitOfWork(Protocol):
    """One transaction over the account stores; leaving without commit() rolls back."""

    @property
    def accounts(self) -> AccountStores: ...

    def __enter__(self) -> AccountUnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...
