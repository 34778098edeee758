"""What multi-user mode needs before it may start; pure checks, so every face can run them."""

from __future__ import annotations

from footcoach.domain.errors import Problem

SECRET_KEY_MIN = 32
"""Characters of FOOTCOACH_SECRET_KEY at least; token_urlsafe(48) gives 64."""
MAKE_SECRET_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
DATABASE_SCHEMES = ("postgresql", "sqlite")
"""URL schemes (before any '+driver') multi-user mode runs on."""


def check_multi_user(secret_key: str, database_url: str) -> list[Problem]:
    """Why multi-user mode cannot start with these settings; empty when it can.

    secret_key is FOOTCOACH_SECRET_KEY as given. database_url is the URL chosen explicitly
    (FOOTCOACH_DATABASE_URL or --db), or "" when none was: the default local SQLite file belongs
    to one person on one machine, so a shared footcoach must name its database on purpose.
    """
    problems: list[Problem] = []
    key = secret_key.strip()
    if len(key) < SECRET_KEY_MIN:
        shown = "(not set)" if not key else f"(hidden, {len(key)} characters)"
        problems.append(
            Problem(
                "FOOTCOACH_SECRET_KEY",
                shown,
                f"a secret of at least {SECRET_KEY_MIN} characters; make one with: "
                f"{MAKE_SECRET_KEY}",
            )
        )
    url = database_url.strip()
    scheme = url.partition(":")[0].partition("+")[0].lower()
    if not url:
        problems.append(
            Problem(
                "FOOTCOACH_DATABASE_URL",
                "(not set)",
                "a database chosen on purpose in multi-user mode, with FOOTCOACH_DATABASE_URL "
                "or --db, e.g. postgresql+psycopg://footcoach@localhost/footcoach",
            )
        )
    elif scheme not in DATABASE_SCHEMES or "://" not in url:
        problems.append(
            Problem(
                "FOOTCOACH_DATABASE_URL",
                _without_password(url),
                "a PostgreSQL or SQLite URL (postgresql+psycopg://... or sqlite:///path)",
            )
        )
    elif scheme == "sqlite" and _sqlite_in_memory(url):
        problems.append(
            Problem(
                "FOOTCOACH_DATABASE_URL",
                url,
                "a SQLite file (sqlite:///path/footcoach.db): an in-memory database is lost "
                "on restart and not shared between workers",
            )
        )
    return problems


def _sqlite_in_memory(url: str) -> bool:
    path = url.split("://", 1)[1].lstrip("/").partition("?")[0]
    return path in {"", ":memory:"} or "mode=memory" in url


def _without_password(url: str) -> str:
    """The URL as it may be shown: any password replaced by ***."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
