"""Settings: one declarative registry, read from an injected environment mapping, on call."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from footcoach.domain.errors import InvalidInputError, Problem


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        "FOOTCOACH_DATA_DIR",
        "",
        "Folder holding the catalog data (exercises/, sources.toml, conflicts.toml, protocols/). "
        "Empty means the data shipped with footcoach.",
    ),
    Setting(
        "database_url",
        "FOOTCOACH_DATABASE_URL",
        "",
        "SQLAlchemy URL of the database, e.g. postgresql+psycopg://user@host/footcoach. Empty "
        "means a SQLite file, footcoach.db, in the user's data folder.",
    ),
    Setting(
        "cache_dir",
        "FOOTCOACH_CACHE_DIR",
        "",
        "Folder for the parsed-catalog cache that makes commands start fast. Empty means the "
        "user's cache folder; 'off' turns the cache off.",
    ),
    Setting(
        "speed",
        "FOOTCOACH_SPEED",
        "1",
        "How many times faster than real time guided-session timers run (1 = real time); for "
        "demonstrations and automated tests.",
    ),
    Setting(
        "profile",
        "FOOTCOACH_PROFILE",
        "default",
        "The profile commands act on when --profile is not given.",
    ),
    Setting(
        "secret_key",
        "FOOTCOACH_SECRET_KEY",
        "",
        "Secret for signing cookies in multi-user mode, at least 32 characters; required there. "
        'Make one with: python -c "import secrets; print(secrets.token_urlsafe(48))"',
    ),
    Setting(
        "multi_user",
        "FOOTCOACH_MULTI_USER",
        "0",
        "1 turns accounts on (multi-user mode); 0 serves one person on this machine, no login.",
    ),
    Setting(
        "allowed_hosts",
        "FOOTCOACH_ALLOWED_HOSTS",
        "",
        "Multi-user mode: the host names people reach footcoach by, comma-separated (e.g. "
        "footcoach.clinic.example); requests for any other Host are refused. This machine's "
        "own names (127.0.0.1, localhost, ::1) are always accepted; '*' accepts any name. "
        "Local mode ignores it and accepts this machine's names only.",
    ),
    Setting(
        "max_body_bytes",
        "FOOTCOACH_MAX_BODY_BYTES",
        str(64 * 1024),
        "The largest request body, in bytes, the web app reads for any route but the imports; "
        "a larger one is refused with 413.",
    ),
    Setting(
        "max_import_bytes",
        "FOOTCOACH_MAX_IMPORT_BYTES",
        str(8 * 1024 * 1024),
        "The largest request body, in bytes, of an import (POST /api/v1/import and the "
        "settings page's restore form); a larger one is refused with 413.",
    ),
)

BODY_BYTES_RANGE = (1024, 1024 * 1024 * 1024)
"""What FOOTCOACH_MAX_BODY_BYTES and FOOTCOACH_MAX_IMPORT_BYTES may be: 1 KiB to 1 GiB."""


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path | None = None
    database_url: str = ""
    profile: str = "default"
    speed: float = 1.0
    cache_dir: str = ""
    secret_key: str = ""
    multi_user: bool = False
    allowed_hosts: tuple[str, ...] = ()
    """Multi-user mode's host names besides this machine's own, lowercase; ('*',) for any."""
    max_body_bytes: int = 64 * 1024
    max_import_bytes: int = 8 * 1024 * 1024

    def resolved_cache_dir(self) -> Path | None:
        if self.cache_dir == "off":
            return None
        if self.cache_dir:
            return Path(self.cache_dir)
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("footcoach"))

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        from platformdirs import user_data_dir

        return f"sqlite:///{Path(user_data_dir('footcoach')) / 'footcoach.db'}"


def load_settings(environ: Mapping[str, str] | None = None, **overrides: str | None) -> Settings:
    """Settings from the environment; explicit overrides (command-line options) win."""
    env = os.environ if environ is None else environ
    values = {s.name: env.get(s.env, s.default) for s in SETTINGS}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(
        data_dir=Path(values["data_dir"]) if values["data_dir"] else None,
        database_url=values["database_url"],
        profile=values["profile"] or "default",
        speed=_speed(values["speed"]),
        cache_dir=values["cache_dir"],
        secret_key=values["secret_key"],
        multi_user=_flag(values["multi_user"]),
        allowed_hosts=_hosts(values["allowed_hosts"]),
        max_body_bytes=_bytes("FOOTCOACH_MAX_BODY_BYTES", values["max_body_bytes"]),
        max_import_bytes=_bytes("FOOTCOACH_MAX_IMPORT_BYTES", values["max_import_bytes"]),
    )


def _flag(text: str | None) -> bool:
    return (text or "").strip().lower() in {"1", "true", "yes", "on"}


def _bytes(env: str, text: str | None) -> int:
    """A size in bytes within BODY_BYTES_RANGE; anything else names the setting (exit 2)."""
    low, high = BODY_BYTES_RANGE
    raw = (text or "").strip().replace("_", "")
    if raw.isascii() and raw.isdigit() and low <= int(raw) <= high:
        return int(raw)
    raise InvalidInputError(
        [Problem(env, text, f"a whole number of bytes from {low} to {high}, e.g. 65536")]
    )


def _hosts(text: str | None) -> tuple[str, ...]:
    """The comma-separated host names, lowercase, IPv6 addresses without brackets."""
    names = tuple(
        n.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")
        for n in (text or "").split(",")
        if n.strip()
    )
    wrong = [n for n in names if not _host_name(n)]
    if wrong:
        raise InvalidInputError(
            [
                Problem(
                    "FOOTCOACH_ALLOWED_HOSTS",
                    name,
                    "host names or IP addresses without scheme, port or path, comma-separated, "
                    "e.g. footcoach.clinic.example,192.0.2.10; or * for any",
                )
                for name in wrong
            ]
        )
    return names


_DNS_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")


def _host_name(name: str) -> bool:
    """A DNS name, an IPv4 or IPv6 address, or '*'."""
    if name == "*" or _DNS_NAME.fullmatch(name):
        return True
    try:
        ipaddress.IPv6Address(name)
    except ValueError:
        return False
    return True


def _speed(text: str | None) -> float:
    try:
        value = float(text or 1)
    except ValueError:
        return 1.0
    return min(max(value, 1.0), 1000.0)
