"""Accounts in multi-user mode: registration, logins, web sessions, invites, links, API tokens.

Everything another process needs lives in the database (sessions, login attempts), so any number
of app processes can serve the same people. Secrets are random (secrets module), shown once, and
stored only as SHA-256 digests; passwords only as hashes from the PasswordHasher port.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from footcoach.domain.accounts import (
    ACCOUNT_SLOW_AFTER,
    ACCOUNT_SLOW_EVERY,
    ADDRESS_FAILURES_MAX,
    EMAIL_MAX,
    INVITE_ALPHABET,
    INVITE_DAYS,
    INVITE_LENGTH,
    LOGIN_WINDOW,
    PAIR_FAILURES_MAX,
    REGISTRATIONS_MAX,
    ApiToken,
    Invite,
    Limit,
    NewApiToken,
    NewInvite,
    Refusal,
    Role,
    User,
    address_key,
    check_password,
    check_token_name,
    login_refusal,
    normalise_email,
    normalise_invite_code,
    registration_refusal,
)
from footcoach.domain.errors import FootcoachError, InvalidInputError, Problem, UnknownIdError
from footcoach.domain.validation import control_characters_replaced
from footcoach.services.account_ports import (
    AccountUnitOfWork,
    HashingBusyError,
    PasswordHasher,
    SessionLookup,
    TokenUse,
)
from footcoach.services.ports import Clock

__all__ = [
    "ACCOUNT_SLOW_AFTER",
    "ACCOUNT_SLOW_EVERY",
    "ADDRESS_FAILURES_MAX",
    "LOGIN_WINDOW",
    "PAIR_FAILURES_MAX",
    "REGISTRATIONS_MAX",
    "AccountService",
    "HashingBusyError",
    "LockedOutError",
    "LoginFailedError",
    "NotAllowedError",
    "RegistrationRefusedError",
    "WebSession",
]

SESSION_DAYS = 14
"""A web session lasts this long from login (not renewed by use); then log in again."""
SECRET_MAX = 256
"""Longer presented tokens are refused unhashed: none footcoach makes is near this long."""
API_TOKEN_PREFIX = "fct_"
"""Marks footcoach's API tokens so that secret scanners and people can recognise a leaked one."""
SPENT_INVITES_KEPT = timedelta(days=30)
"""A redeemed or expired invite is forgotten this long after (the link it made stays): until
then, its code is still told apart from a mistyped one ("ask for a new one")."""
TOKEN_USE_RECORDED_EVERY = timedelta(minutes=1)
"""An API token's last use is written at most this often, not on every request (and never on
the request's path when a SessionLookup is given)."""


class LoginFailedError(FootcoachError):
    """Wrong e-mail or password; deliberately does not say which."""

    def __init__(self) -> None:
        super().__init__("the e-mail address or the password is wrong")


_REFUSED = {
    Limit.ACCOUNT: "too many failed logins to this account from this network address",
    Limit.ADDRESS: "too many failed logins from this network address",
    Limit.SLOWED: "many failed logins to this account lately, so it takes one try at a time",
    Limit.REGISTRATION: "too many registrations from this network address",
}


class LockedOutError(FootcoachError):
    """A limit refused the attempt, even with the right password, until retry_at; no password
    was checked or hashed."""

    def __init__(self, refusal: Refusal, now: datetime) -> None:
        self.scope = refusal.limit
        """Which limit was reached (a Limit: 'account', 'address', 'slowed', 'registration')."""
        self.retry_at = refusal.retry_at
        self.retry_after = max(1, int((refusal.retry_at - now).total_seconds() + 0.999))
        """Seconds until retry_at, rounded up (for a Retry-After header)."""
        super().__init__(
            f"{_REFUSED[refusal.limit]}; try again after "
            f"{refusal.retry_at.strftime('%Y-%m-%d %H:%M:%S %Z').strip()}"
        )


class RegistrationRefusedError(FootcoachError):
    """A registration from the web that could not be made, deliberately without saying why:
    the one reason left once the details are valid is that the address has an account, and
    strangers must not learn that from footcoach."""

    def __init__(self) -> None:
        super().__init__("could not create an account with these details")


class NotAllowedError(FootcoachError):
    """The user's role does not allow this."""


@dataclass(frozen=True, slots=True)
class WebSession:
    """A new web session: the token goes into the cookie and is stored nowhere else."""

    user: User
    token: str
    expires_at: datetime


def digest(secret: str) -> str:
    """The SHA-256 of a secret, in hex: what the database keeps instead of the secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class AccountService:
    def __init__(
        self,
        unit_of_work: Callable[[], AccountUnitOfWork],
        hasher: PasswordHasher,
        clock: Clock,
        sessions: SessionLookup | None = None,
    ) -> None:
        """`sessions` answers resolve_session without a unit of work (the database adapter's
        bare read); without it a unit of work does."""
        self.unit_of_work = unit_of_work
        self.hasher = hasher
        self.clock = clock
        self._sessions = sessions
        self._dummy_hash: str | None = None

    # users ------------------------------------------------------------------------------
    def register(self, email: str, password: str, role: Role = Role.PERSON) -> User:
        """A new account. A person's profile name (u-<id>) is reserved now; the profile itself
        is made by the intake (TrackingService.init with that name)."""
        address = normalise_email(email)
        check_password(password, address)
        password_hash = self.hasher.hash(password)  # slow on purpose: outside the transaction
        with self.unit_of_work() as uow:
            if uow.accounts.users.by_email(address) is not None:
                raise _taken(address)
            user = uow.accounts.users.add(address, password_hash, role, self.clock.now())
            uow.commit()
        return user

    def register_person(self, email: str, password: str, address: str) -> User:
        """A person's own registration from the web, from network `address`.

        Limited per address (REGISTRATIONS_MAX per LOGIN_WINDOW, made or refused alike), and
        discreet: an address that has an account gets RegistrationRefusedError, after the same
        slow hash a new account costs, never an answer naming the address as taken.
        """
        account = normalise_email(email)
        check_password(password, account)
        where = address_key(address)
        now = self.clock.now()
        with self.unit_of_work() as uow:
            uow.accounts.limit_guards.hold([f"register:{where}"], now)
            since = uow.accounts.registrations.since(where, now - LOGIN_WINDOW)
            refusal = registration_refusal(now, since)
            if refusal is not None:
                raise LockedOutError(refusal, now)
            attempt = uow.accounts.registrations.record(where, now)
            uow.commit()
        try:
            password_hash = self.hasher.hash(password)
        except HashingBusyError:
            with self.unit_of_work() as uow:  # not tried after all: it does not count
                uow.accounts.registrations.forget(attempt)
                uow.commit()
            raise
        with self.unit_of_work() as uow:
            if uow.accounts.users.by_email(account) is not None:
                raise RegistrationRefusedError()
            try:
                user = uow.accounts.users.add(account, password_hash, Role.PERSON, now)
            except InvalidInputError:  # registered by another request since the check
                raise RegistrationRefusedError() from None
            uow.commit()
        return user

    def create_admin(self, email: str, password: str) -> User:
        return self.register(email, password, Role.ADMIN)

    def user(self, user_id: int) -> User | None:
        with self.unit_of_work() as uow:
            return uow.accounts.users.get(user_id)

    def user_by_email(self, email: str) -> User | None:
        with self.unit_of_work() as uow:
            return uow.accounts.users.by_email(email.strip().lower())

    def users(self) -> list[User]:
        """Every account, oldest first."""
        with self.unit_of_work() as uow:
            return uow.accounts.users.all()

    def change_password(self, user_id: int, current: str, new: str) -> None:
        """Change one's own password, proving the current one; every web session of the user
        ends (start a new one for the browser in use), every API token is revoked and the
        private calendar link stops working (make a new one in the settings)."""
        with self.unit_of_work() as uow:
            user = _existing(uow, user_id)
            found = uow.accounts.users.credentials(user.email)
        assert found is not None
        if not self.hasher.verify(found[1], current):
            raise InvalidInputError(
                [Problem("current_password", "(hidden)", "your current password")]
            )
        self._set_password(user, new)

    def set_password(self, email: str, new: str) -> User:
        """Set an account's password without the old one (the command line, for admins); every
        web session of the user ends, every API token is revoked and the private calendar
        link stops working."""
        address = email.strip().lower()
        with self.unit_of_work() as uow:
            user = uow.accounts.users.by_email(address)
        if user is None:
            raise UnknownIdError("user", address)
        self._set_password(user, new)
        return user

    def _set_password(self, user: User, new: str) -> None:
        check_password(new, user.email)
        password_hash = self.hasher.hash(new)
        with self.unit_of_work() as uow:
            now = self.clock.now()
            uow.accounts.users.set_password_hash(user.id, password_hash)
            uow.accounts.web_sessions.revoke_all(user.id, now)
            uow.accounts.api_tokens.revoke_all(user.id, now)
            if user.profile is not None:
                uow.accounts.calendar_links.forget(user.profile)
            uow.commit()

    # logins and web sessions ------------------------------------------------------------
    def authenticate(self, email: str, password: str, address: str) -> User:
        """The user with these credentials, or LoginFailedError / LockedOutError.

        Each attempt is counted before its password is checked, in the transaction that checks
        the limits while holding their keys (the account, the network address), so however
        many guesses arrive at once, in however many processes, no more than the limits allow
        are ever hashed. A refused attempt is neither checked nor counted. A success turns its
        own attempt into a success, which starts the account's and that address's counts anew.
        """
        return self._login(email, password, address, start_session=False)[0]

    def login(self, email: str, password: str, address: str) -> WebSession:
        """authenticate() and start a web session, in one transaction."""
        session = self._login(email, password, address, start_session=True)[1]
        assert session is not None
        return session

    def _login(
        self, email: str, password: str, address: str, start_session: bool
    ) -> tuple[User, WebSession | None]:
        now = self.clock.now()
        # as typed, but with control characters replaced: no account has them (registration
        # refuses them), and a NUL byte could not be stored (PostgreSQL) to count the attempt
        account = control_characters_replaced(email.strip().lower())[:EMAIL_MAX]
        where = address_key(address)
        attempt, found = self._reserve(account, where, now)
        try:
            if found is None:  # take as long as a real check, so timing does not tell who exists
                self.hasher.verify(self._dummy(), password)
                ok = False
            else:
                ok = self.hasher.verify(found[1], password)
        except HashingBusyError:
            with self.unit_of_work() as uow:  # never checked: it does not count
                uow.accounts.login_attempts.forget(attempt)
                uow.commit()
            raise
        if not ok or found is None:  # the attempt is already counted as a failure
            raise LoginFailedError()
        user, stored_hash = found
        rehashed: str | None = None
        if self.hasher.needs_rehash(stored_hash):
            try:
                rehashed = self.hasher.hash(password)
            except HashingBusyError:  # the next login will do it
                rehashed = None
        with self.unit_of_work() as uow:
            uow.accounts.login_attempts.mark_succeeded(attempt)
            if rehashed is not None:
                uow.accounts.users.set_password_hash(user.id, rehashed)
            session = self._new_session(uow, user, now) if start_session else None
            uow.commit()
        return user, session

    def _reserve(
        self, account: str, where: str, now: datetime
    ) -> tuple[int, tuple[User, str] | None]:
        """Check the limits and count the attempt as failed, in one transaction holding the
        account's and the address's keys; LockedOutError when a limit refuses it. The attempt's
        id, and the account's user and password hash when it exists."""
        since = now - LOGIN_WINDOW
        with self.unit_of_work() as uow:
            uow.accounts.limit_guards.hold([f"account:{account}", f"address:{where}"], now)
            attempts = uow.accounts.login_attempts
            refusal = login_refusal(
                now,
                pair=attempts.pair_failures(account, where, since),
                address=attempts.address_failures(where, since),
                account=attempts.account_failures(account, since),
            )
            if refusal is not None:
                raise LockedOutError(refusal, now)
            attempt = attempts.record(account, where, False, now)
            found = uow.accounts.users.credentials(account)
            uow.commit()
        return attempt, found

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def start_session(self, user_id: int) -> WebSession:
        """A web session for a user already proven (e.g. right after registering)."""
        with self.unit_of_work() as uow:
            user = _existing(uow, user_id)
            session = self._new_session(uow, user, self.clock.now())
            uow.commit()
        return session

    @staticmethod
    def _new_session(uow: AccountUnitOfWork, user: User, now: datetime) -> WebSession:
        token = secrets.token_urlsafe(32)
        expires_at = now + timedelta(days=SESSION_DAYS)
        uow.accounts.web_sessions.add(user.id, digest(token), now, expires_at)
        return WebSession(user, token, expires_at)

    def resolve_session(self, token: str) -> User | None:
        """The user of a web session token, or None when it is unknown, expired or ended."""
        if not token or len(token) > SECRET_MAX:
            return None
        if self._sessions is not None:
            return self._sessions.session_user(digest(token), self.clock.now())
        with self.unit_of_work() as uow:
            return uow.accounts.web_sessions.user_for(digest(token), self.clock.now())

    def logout(self, token: str) -> None:
        """End one web session (unknown tokens are ignored)."""
        if not token or len(token) > SECRET_MAX:
            return
        with self.unit_of_work() as uow:
            uow.accounts.web_sessions.revoke(digest(token), self.clock.now())
            uow.commit()

    def logout_everywhere(self, user_id: int) -> int:
        """End every web session of the user, revoke every API token and stop the private
        calendar link; how many sessions were live."""
        with self.unit_of_work() as uow:
            now = self.clock.now()
            user = uow.accounts.users.get(user_id)
            ended = uow.accounts.web_sessions.revoke_all(user_id, now)
            uow.accounts.api_tokens.revoke_all(user_id, now)
            if user is not None and user.profile is not None:
                uow.accounts.calendar_links.forget(user.profile)
            uow.commit()
        return ended

    def purge(self) -> int:
        """Forget what no longer matters: ended sessions, login and registration attempts
        and limit keys past the window, invites spent SPENT_INVITES_KEPT ago. Safe to run at
        any time, from any process (a server runs it when it starts and every hour, see
        web/housekeeping.py); returns how many rows went."""
        now = self.clock.now()
        with self.unit_of_work() as uow:
            gone = uow.accounts.web_sessions.purge(now)
            gone += uow.accounts.login_attempts.purge(now - LOGIN_WINDOW)
            gone += uow.accounts.registrations.purge(now - LOGIN_WINDOW)
            gone += uow.accounts.limit_guards.purge(now - LOGIN_WINDOW)
            gone += uow.accounts.invites.purge(now - SPENT_INVITES_KEPT)
            uow.commit()
        return gone

    # invites and links ------------------------------------------------------------------
    def create_invite(self, clinician_id: int) -> NewInvite:
        """A single-use code for one person to link to this clinician within INVITE_DAYS."""
        code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))
        with self.unit_of_work() as uow:
            _with_role(_existing(uow, clinician_id), Role.CLINICIAN, "create invites")
            now = self.clock.now()
            invite = uow.accounts.invites.add(
                clinician_id, digest(code), now, now + timedelta(days=INVITE_DAYS)
            )
            uow.commit()
        return NewInvite(invite, code)

    def invites(self, clinician_id: int) -> list[Invite]:
        """The clinician's invites, newest first (their codes are not kept)."""
        with self.unit_of_work() as uow:
            return uow.accounts.invites.of_clinician(clinician_id)

    def withdraw_invite(self, clinician_id: int, invite_id: int) -> bool:
        """Withdraw one of the clinician's own invites not yet redeemed; False when there is
        no such invite."""
        with self.unit_of_work() as uow:
            removed = uow.accounts.invites.remove(clinician_id, invite_id)
            uow.commit()
        return removed

    def redeem_invite(self, person_id: int, code: str) -> User:
        """Link the person to the clinician who made the code; returns the clinician.

        A code works once: two people redeeming it at the same moment cannot both succeed. A
        person already linked to that clinician is told so, and the code stays unused.
        """
        canonical = normalise_invite_code(code)
        key = digest(canonical)
        with self.unit_of_work() as uow:
            _with_role(_existing(uow, person_id), Role.PERSON, "redeem invites")
            now = self.clock.now()
            invite = uow.accounts.invites.find(key)
            if invite is None:
                raise _bad_code(code, "a code a clinician gave you (this one is unknown)")
            if uow.accounts.links.exists(invite.clinician_id, person_id):
                clinician = _existing(uow, invite.clinician_id)
                return clinician
            if invite.redeemed_by is not None:
                raise _bad_code(code, "a code not used yet (this one was); ask for a new one")
            if now >= invite.expires_at:
                raise _bad_code(code, f"a code less than {INVITE_DAYS} days old; ask for a new one")
            if uow.accounts.invites.redeem(key, person_id, now) is None:  # lost a race
                raise _bad_code(code, "a code not used yet (this one was); ask for a new one")
            uow.accounts.links.add(invite.clinician_id, person_id, now)
            clinician = _existing(uow, invite.clinician_id)
            uow.commit()
        return clinician

    def unlink(self, person_id: int, clinician_id: int) -> bool:
        """End the link between a person and a clinician; False when there was none."""
        with self.unit_of_work() as uow:
            removed = uow.accounts.links.remove(clinician_id, person_id)
            uow.commit()
        return removed

    def linked(self, clinician_id: int, person_user_id: int) -> bool:
        """Whether the clinician may see and change this person's data (for access checks)."""
        with self.unit_of_work() as uow:
            return uow.accounts.links.exists(clinician_id, person_user_id)

    def linked_people(self, clinician_id: int) -> list[User]:
        """The people linked to a clinician, by e-mail address."""
        with self.unit_of_work() as uow:
            return uow.accounts.links.people_of(clinician_id)

    def clinicians_of(self, person_id: int) -> list[User]:
        """The clinicians a person is linked to, by e-mail address."""
        with self.unit_of_work() as uow:
            return uow.accounts.links.clinicians_of(person_id)

    # personal API tokens ----------------------------------------------------------------
    def create_api_token(self, user_id: int, name: str) -> NewApiToken:
        """A token for scripts; its secret is returned now and cannot be shown again."""
        label = check_token_name(name)
        secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.unit_of_work() as uow:
            _existing(uow, user_id)
            token = uow.accounts.api_tokens.add(user_id, label, digest(secret), self.clock.now())
            uow.commit()
        return NewApiToken(token, secret)

    def api_tokens(self, user_id: int) -> list[ApiToken]:
        """The user's live tokens, oldest first."""
        with self.unit_of_work() as uow:
            return uow.accounts.api_tokens.of_user(user_id)

    def revoke_api_token(self, user_id: int, token_id: int) -> bool:
        """Revoke one of the user's own tokens; False when they have no such live token."""
        with self.unit_of_work() as uow:
            revoked = uow.accounts.api_tokens.revoke(user_id, token_id, self.clock.now())
            uow.commit()
        return revoked

    def resolve_api_token(self, secret: str) -> User | None:
        """The user a token secret belongs to, or None when it is unknown or revoked. With a
        SessionLookup: one bare read, the last use handed to it to write later."""
        if not secret.startswith(API_TOKEN_PREFIX) or len(secret) > SECRET_MAX:
            return None
        if self._sessions is not None:
            return self._token_used(self._sessions.token_user(digest(secret)))
        now = self.clock.now()
        with self.unit_of_work() as uow:
            found = uow.accounts.api_tokens.find(digest(secret))
            if found is None:
                return None
            user, token = found
            if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RECORDED_EVERY:
                uow.accounts.api_tokens.touch(token.id, now)
                uow.commit()
        return user

    async def resolve_api_token_async(self, secret: str) -> User | None:
        """resolve_api_token, awaited on an event loop: the read is batched with the other
        requests waiting (PostgreSQL), and nothing is written on the request's path."""
        if self._sessions is None or not secret.startswith(API_TOKEN_PREFIX):
            return self.resolve_api_token(secret)
        if len(secret) > SECRET_MAX:
            return None
        return self._token_used(await self._sessions.token_user_async(digest(secret)))

    def _token_used(self, found: TokenUse | None) -> User | None:
        if found is None or self._sessions is None:
            return None
        user, token_id, last_used_at = found
        now = self.clock.now()
        due = now - TOKEN_USE_RECORDED_EVERY
        if last_used_at is None or last_used_at <= due:
            self._sessions.record_token_use(token_id, now, due)
        return user


def _existing(uow: AccountUnitOfWork, user_id: int) -> User:
    user = uow.accounts.users.get(user_id)
    if user is None:
        raise UnknownIdError("user", str(user_id))
    return user


def _with_role(user: User, role: Role, action: str) -> User:
    if user.role is not role:
        raise NotAllowedError(f"only a {role.value} can {action}; this account is a {user.role}")
    return user


def _taken(email: str) -> InvalidInputError:
    return InvalidInputError([Problem("email", email, "an address with no account yet")])


def _bad_code(code: str, allowed: str) -> InvalidInputError:
    return InvalidInputError([Problem("code", code, allowed)])
