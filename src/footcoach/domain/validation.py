"""Small validators that turn raw values into domain values or precise Problems."""

from __future__ import annotations

import difflib
import re
from enum import StrEnum
from typing import TypeVar

from footcoach.domain.errors import InvalidInputError, Problem

E = TypeVar("E", bound=StrEnum)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters no text a person types holds (tabs and line breaks are allowed): a NUL
byte, above all, which PostgreSQL cannot store in text."""


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def control_characters_replaced(text: str) -> str:
    """The text with each control character replaced by U+FFFD, the replacement character."""
    return _CONTROL.sub("\ufffd", text)


def allowed_values(enum: type[StrEnum]) -> str:
    return ", ".join(m.value for m in enum)


def choice_problem(field: str, value: object, enum: type[StrEnum]) -> Problem:
    """A Problem for a value outside an enum, with the closest allowed values first."""
    options = [m.value for m in enum]
    close = difflib.get_close_matches(str(value), options, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return Problem(field, value, f"{hint}allowed: {allowed_values(enum)}")


def parse_choice(field: str, value: str, enum: type[E]) -> E:
    try:
        return enum(value)
    except ValueError:
        raise InvalidInputError([choice_problem(field, value, enum)]) from None
