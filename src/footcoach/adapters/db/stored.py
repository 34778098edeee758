"""Stored values as the drivers hand them back to a bare read: SQLite gives dates and times as
text (times without a zone, as footcoach stores them in UTC), PostgreSQL as Python objects."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any


def stored_day(value: Any) -> date:
    """A stored day."""
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


def stored_moment(value: Any) -> datetime:
    """A stored time, aware."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        raise TypeError(f"not a stored time: {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
