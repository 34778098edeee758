"""Settings: one declarative registry, read from an injected environment mapping, on call."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


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
)


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path | None = None
    database_url: str = ""
    profile: str = "default"
    speed: float = 1.0
    cache_dir: str = ""
    secret_key: str = ""
    multi_user: bool = False

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
    )


def _flag(text: str | None) -> bool:
    return (text or "").strip().lower() in {"1", "true", "yes", "on"}


def _speed(text: str | None) -> float:
    try:
        value = float(text or 1)
    except ValueError:
        return 1.0
    return min(max(value, 1.0), 1000.0)
