"""Accounts in multi-user mode: roles, the password policy, e-mail addresses, invites, tokens.

Pure rules and values; hashing, randomness and storage are the services' and adapters' business.
"""

from __future__ import annotations

import gzip
import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources
from itertools import pairwise

from footcoach.domain.errors import InvalidInputError, Problem


class Role(StrEnum):
    PERSON = "person"
    """Follows their own program; sees only their own data."""
    CLINICIAN = "clinician"
    """Invites people, and sees and changes the programs of the people linked to them."""
    ADMIN = "admin"
    """Runs the installation; created from the command line only."""


# passwords ---------------------------------------------------------------------------------

PASSWORD_MIN = 10
"""Length is what makes a password hard to guess; ten characters rules out most of what
attackers try first, and a passphrase of three short words passes easily."""
PASSWORD_MAX = 128
"""Long enough for any passphrase or password manager, short enough that hashing stays cheap."""
EMAIL_PART_MIN = 3
"""The e-mail's local part counts as guessable inside a password only from this length on, so
that a short one ('al@...') does not forbid every password containing 'al'."""

COMMON_PASSWORDS_FILE = "common-passwords.txt.gz"
"""Beside the catalog in footcoach/data: the 20,000 commonest passwords of real breaches, one a
line, lower-case (Royce Williams' list, as Django ships it under its BSD licence; see
common-passwords.LICENSE there)."""
APP_WORDS = ("footcoach", "heelpain", "plantarfasciitis", "plantar", "fasciitis")
"""What anyone would try first on this app, refused like the breached passwords."""
DISTINCT_MIN = 5
"""A password needs at least this many different characters: '0000000001' and 'ababababab'
have two, which no length makes hard to guess."""


def _strip_ends(text: str) -> str:
    """`text` without the digits and symbols at its start and end ('!Summer2024' -> 'summer')."""
    start, end = 0, len(text)
    while start < end and not text[start].isalpha():
        start += 1
    while end > start and not text[end - 1].isalpha():
        end -= 1
    return text[start:end]


def password_base(password: str) -> str:
    """The guessable core of a password: case-folded, without spaces, and without the digits
    and symbols people add at either end to pass a rule ('Summer2024!' and 'summer' alike)."""
    return _strip_ends("".join(password.casefold().split()))


@cache
def common_passwords() -> tuple[frozenset[str], frozenset[str]]:
    """The breached passwords as listed, and their bases (password_base), read once."""
    listed = resources.files("footcoach") / "data" / COMMON_PASSWORDS_FILE
    with listed.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        words = frozenset(w for w in (line.strip() for line in lines) if w)
    bases = frozenset(b for b in map(password_base, words) if b) | frozenset(APP_WORDS)
    return words, bases


def is_common(password: str) -> bool:
    """Whether an attacker would try this early: a breached password as it is, or one of them
    (or the app's own words) with only case, spaces, digits or symbols around it."""
    words, bases = common_passwords()
    folded = password.casefold()
    base = password_base(password)
    return folded in words or "".join(folded.split()) in words or base in bases


def _repeats_a_pattern(text: str) -> bool:
    """Whether `text` is a shorter piece said over and over ('ababab', 'passwordpassword')."""
    size = len(text)
    return any(
        all(text[i] == text[i - period] for i in range(period, size))
        for period in range(1, size // 2 + 1)
    )


def _is_run(text: str) -> bool:
    """Whether the characters go up or down one step at a time ('abcdefghij', '9876543210')."""
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    return len(steps) == 1 and steps <= {1, -1}


def low_variety(password: str) -> bool:
    """Whether a password is too uniform to be hard to guess, whatever its length: fewer than
    DISTINCT_MIN different characters, a short pattern repeated, or a run like 'abcdefghij'
    (its core, password_base, counts too: 'passwordpassword99' is still a repetition)."""
    folded = password.casefold()
    if len(set(folded)) < DISTINCT_MIN:
        return True
    return any(
        len(text) >= 2 and (_repeats_a_pattern(text) or _is_run(text))
        for text in {folded, password_base(password)}
    )


def _hidden(password: str) -> str:
    """What a Problem shows instead of a password, which must never reach a log or a screen."""
    return f"(hidden, {len(password)} characters)"


def password_problems(password: str, email: str = "") -> list[Problem]:
    """What is wrong with a new password; empty when it may be used.

    The policy follows current advice (NIST SP 800-63B): a minimum length, no composition rules
    (a long passphrase of lower-case words is fine), and refusing what attackers try first:
    breached passwords (also with digits or symbols tacked on), the account's own e-mail name,
    and strings of little variety. Spaces and any Unicode are allowed.
    """
    problems: list[Problem] = []
    length = len(password)
    if length < PASSWORD_MIN:
        problems.append(
            Problem("password", _hidden(password), f"at least {PASSWORD_MIN} characters")
        )
    elif length > PASSWORD_MAX:
        problems.append(
            Problem("password", _hidden(password), f"at most {PASSWORD_MAX} characters")
        )
    checked = PASSWORD_MIN <= length <= PASSWORD_MAX  # else the length is the problem to fix
    if checked and is_common(password):
        problems.append(
            Problem(
                "password",
                _hidden(password),
                "not one of the commonest passwords, even with digits or symbols added",
            )
        )
    folded = password.casefold()
    local = email.strip().casefold().partition("@")[0]
    if len(local) >= EMAIL_PART_MIN and local in folded:
        problems.append(Problem("password", _hidden(password), "not containing your e-mail name"))
    if checked and low_variety(password):
        problems.append(
            Problem(
                "password",
                _hidden(password),
                f"more variety: at least {DISTINCT_MIN} different characters, and no pattern "
                "repeated or run like 'abcdef'",
            )
        )
    return problems


def check_password(password: str, email: str = "") -> None:
    """Raise InvalidInputError naming every problem with a new password."""
    problems = password_problems(password, email)
    if problems:
        raise InvalidInputError(problems)


# e-mail addresses --------------------------------------------------------------------------

EMAIL_MAX = 254
"""The longest address SMTP carries."""
EMAIL_LOCAL_MAX = 64
_EMAIL = re.compile(
    r"^[^\s\x00-\x1f\x7f@\"(),:;<>\[\\\]]+"  # the local part: no spaces, controls or quotes
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$"
)
EMAIL_ALLOWED = "an e-mail address like name@example.org"


def normalise_email(text: str) -> str:
    """The address as stored and compared: trimmed and lower-case, or InvalidInputError.

    Deliberately simple: one '@', a local part without spaces or quotes, and a domain of dotted
    labels. Whether mail reaches it is not checked (footcoach sends none). Lower-casing the local
    part is not what the standard says, but it is what people expect when they log in.
    """
    email = text.strip().lower()
    local = email.partition("@")[0]
    if len(email) > EMAIL_MAX or len(local) > EMAIL_LOCAL_MAX or not _EMAIL.match(email):
        raise InvalidInputError([Problem("email", text, EMAIL_ALLOWED)])
    return email


# rate limiting -----------------------------------------------------------------------------

ADDRESS_MAX = 64
IPV6_PREFIX = 64
"""One IPv6 subscriber usually holds a whole /64, so limits count per /64, not per address."""


def address_key(address: str) -> str:
    """The key login attempts from a network address are counted under.

    IPv4 addresses count one by one; IPv6 ones by their /64 network. Anything else (a proxy's
    label, an empty string) is counted as given, cut to ADDRESS_MAX characters.
    """
    text = address.strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text[:ADDRESS_MAX] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


LOGIN_WINDOW = timedelta(minutes=15)
"""Failed logins and registrations count against the limits below for this long."""
PAIR_FAILURES_MAX = 5
"""Failed logins to one account from one network address within LOGIN_WINDOW (since that
address last logged in to it) before that address may not try that account again until the
oldest of them leaves the window. Other addresses are not affected, so a stranger's guesses
cannot lock the owner (or the admin) out from everywhere."""
ADDRESS_FAILURES_MAX = 20
"""Failed logins from one network address within LOGIN_WINDOW, whichever accounts they tried,
before that address is paused likewise."""
ACCOUNT_SLOW_AFTER = 10
"""Failed logins to one account within LOGIN_WINDOW (since its last login), from all addresses
together, after which that account is slowed down rather than locked ..."""
ACCOUNT_SLOW_EVERY = timedelta(seconds=30)
"""... to one try every this long. So an account gets at most 10 + 15 * 60 / 30 = 40 guesses
in any LOGIN_WINDOW whatever the number of addresses, and its owner waits seconds, not minutes."""
REGISTRATIONS_MAX = 10
"""Registrations (made or refused) from one network address within LOGIN_WINDOW."""


class Limit(StrEnum):
    """Which limit refused an attempt."""

    ACCOUNT = "account"
    """This account, from this network address (PAIR_FAILURES_MAX)."""
    ADDRESS = "address"
    """This network address, whatever the accounts (ADDRESS_FAILURES_MAX)."""
    SLOWED = "slowed"
    """This account, from all addresses (ACCOUNT_SLOW_AFTER, ACCOUNT_SLOW_EVERY)."""
    REGISTRATION = "registration"
    """Registrations from this network address (REGISTRATIONS_MAX)."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """An attempt refused by a limit, without a password being checked, until retry_at."""

    limit: Limit
    retry_at: datetime


def _over(moments: Sequence[datetime], most: int, now: datetime) -> datetime | None:
    """When `most` attempts in the window end at `now` will again be below the limit, or None
    when they are below it already."""
    recent = sorted(m for m in moments if m > now - LOGIN_WINDOW)
    if len(recent) < most:
        return None
    return recent[len(recent) - most] + LOGIN_WINDOW


def login_refusal(
    now: datetime,
    pair: Sequence[datetime],
    address: Sequence[datetime],
    account: Sequence[datetime],
) -> Refusal | None:
    """Whether a login attempt must be refused before its password is looked at.

    Each list holds the failed (or still running) attempts that count: `pair` to this account
    from this address since that address last logged in to it, `address` from this address to
    any account, `account` to this account from anywhere since its last login. None: go ahead.
    """
    for moments, most, limit in (
        (pair, PAIR_FAILURES_MAX, Limit.ACCOUNT),
        (address, ADDRESS_FAILURES_MAX, Limit.ADDRESS),
    ):
        retry_at = _over(moments, most, now)
        if retry_at is not None:
            return Refusal(limit, retry_at)
    recent = [m for m in account if m > now - LOGIN_WINDOW]
    if len(recent) >= ACCOUNT_SLOW_AFTER:
        retry_at = max(recent) + ACCOUNT_SLOW_EVERY
        if retry_at > now:
            return Refusal(Limit.SLOWED, retry_at)
    return None


def registration_refusal(now: datetime, attempts: Sequence[datetime]) -> Refusal | None:
    """Whether a registration from an address that made `attempts` must wait (None: go ahead)."""
    retry_at = _over(attempts, REGISTRATIONS_MAX, now)
    return None if retry_at is None else Refusal(Limit.REGISTRATION, retry_at)


# invites -----------------------------------------------------------------------------------

INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Letters and digits that cannot be mistaken for one another when read aloud or off paper
(no 0/O, 1/I/L)."""
INVITE_LENGTH = 10
"""31^10 is about 8 * 10^14 codes (50 bits): far beyond guessing, yet quick to type."""
INVITE_DAYS = 14
"""An invite code works for this many days, once."""


def format_invite_code(code: str) -> str:
    """The code as shown to people: two groups of five, e.g. 'ABCDE-FGH23'."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_invite_code(text: str) -> str:
    """The code as typed, made canonical (upper case, no spaces or dashes), or InvalidInputError."""
    code = re.sub(r"[\s-]", "", text).upper()
    if len(code) != INVITE_LENGTH or any(c not in INVITE_ALPHABET for c in code):
        raise InvalidInputError(
            [
                Problem(
                    "code",
                    text,
                    f"an invite code of {INVITE_LENGTH} letters and digits, e.g. ABCDE-FGH23",
                )
            ]
        )
    return code


class InviteState(StrEnum):
    OPEN = "open"
    REDEEMED = "redeemed"
    EXPIRED = "expired"


# values ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    role: Role
    profile: str | None
    """The name of the profile a person's program lives in (reserved at registration, created
    at the intake); None for clinicians and admins."""
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Invite:
    """An invite as a clinician sees it later; the code itself is shown only once."""

    id: int
    clinician_id: int
    created_at: datetime
    expires_at: datetime
    redeemed_by: int | None = None
    redeemed_at: datetime | None = None

    def state(self, now: datetime) -> InviteState:
        if self.redeemed_by is not None:
            return InviteState.REDEEMED
        return InviteState.OPEN if now < self.expires_at else InviteState.EXPIRED


@dataclass(frozen=True, slots=True)
class NewInvite:
    """A freshly made invite with its code, which is shown now and never again."""

    invite: Invite
    code: str

    @property
    def display_code(self) -> str:
        return format_invite_code(self.code)


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A personal API token as listed in settings; its secret is not part of it."""

    id: int
    user_id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewApiToken:
    """A freshly made token with its secret, which is shown now and never again."""

    token: ApiToken
    secret: str


API_TOKEN_NAME_MAX = 64


def check_token_name(name: str) -> str:
    """A token's label, trimmed: 1-64 printable characters."""
    label = name.strip()
    if not label or len(label) > API_TOKEN_NAME_MAX or not label.isprintable():
        raise InvalidInputError(
            [Problem("name", name, f"a label of 1-{API_TOKEN_NAME_MAX} printable characters")]
        )
    return label
