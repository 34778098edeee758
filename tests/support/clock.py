"""A clock that stands still at 08:00 UTC on a given day, for services under test."""

from __future__ import annotations

from datetime import UTC, date, datetime


class FixedClock:
    def __init__(self, day: date) -> None:
        self.day = day

    def now(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, 8, 0, tzinfo=UTC)

    def today(self) -> date:
        return self.day
