"""Accounts in multi-user mode: roles, the password policy, e-mail addresses, invites, tokens.

Pure rules and values; hashing, randomness and storage are the services' and adapters' business.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

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

COMMON_PASSWORDS: frozenset[str] = frozenset(
    {
        "0000000000",
        "0123456789",
        "0987654321",
        "1111111111",
        "1122334455",
        "1234512345",
        "1234567890",
        "12345678910",
        "123456789a",
        "123456789q",
        "1234567890a",
        "1234567890q",
        "1q2w3e4r5t",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "a123456789",
        "aaaaaaaaaa",
        "abc1234567",
        "abcd123456",
        "abcdefghij",
        "asdfghjkl1",
        "asdfghjkl;",
        "baseball123",
        "blink182182",
        "changeme123",
        "football123",
        "iloveyou123",
        "letmein123",
        "letmein1234",
        "monkey12345",
        "p@ssw0rd123",
        "passw0rd123",
        "password01",
        "password1!",
        "password12",
        "password123",
        "password1234",
        "password!!",
        "princess123",
        "q1w2e3r4t5",
        "q1w2e3r4t5y6",
        "qazwsxedc123",
        "qazwsxedcrfv",
        "qwer123456",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "qwertyuiop",
        "qwertyuiop1",
        "sunshine123",
        "superman123",
        "trustno1234",
        "welcome123",
        "welcome1234",
        "zaq12wsxcde",
        "zxcvbnm123",
        "zxcvbnmasd",
        "footcoach1",
        "footcoach123",
        "heelpain123",
        "plantarfasciitis",
    }
)
"""The commonest leaked passwords of at least PASSWORD_MIN characters (shorter ones fail the
length rule anyway), plus the obvious ones for this app. Compared without regard to case."""


def _hidden(password: str) -> str:
    """What a Problem shows instead of a password, which must never reach a log or a screen."""
    return f"(hidden, {len(password)} characters)"


def password_problems(password: str, email: str = "") -> list[Problem]:
    """What is wrong with a new password; empty when it may be used.

    The policy follows current advice (NIST SP 800-63B): a minimum length, no composition rules
    (a long passphrase of lower-case words is fine), and refusing what attackers try first: the
    commonest passwords and the account's own e-mail name. Spaces and any Unicode are allowed.
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
    folded = password.casefold()
    if folded in COMMON_PASSWORDS:
        problems.append(
            Problem("password", _hidden(password), "not one of the commonest passwords")
        )
    local = email.strip().casefold().partition("@")[0]
    if len(local) >= EMAIL_PART_MIN and local in folded:
        problems.append(Problem("password", _hidden(password), "not containing your e-mail name"))
    if password and len(set(password)) == 1:
        problems.append(Problem("password", _hidden(password), "not one character repeated"))
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
    r"^[^\s@\"(),:;<>\[\\\]]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$"
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
