"""A person's profile: their intake, the protocol they follow, and their preferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from footcoach.domain.intake import Intake


@dataclass(frozen=True, slots=True)
class Preferences:
    voice: bool = True
    large_text: bool = False


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    intake: Intake
    protocol: str
    start: date
    weeks: int
    preferences: Preferences = Preferences()
