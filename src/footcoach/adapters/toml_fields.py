"""Typed, loud access to the fields of a parsed TOML table: every failure names file and field."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from footcoach.domain.errors import CatalogDataError

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MISSING = object()


class Fields:
    """A TOML table read field by field; unknown keys are errors, so typos cannot hide."""

    def __init__(self, data: dict[str, Any], file: str, prefix: str = "") -> None:
        self.data = data
        self.file = file
        self.prefix = prefix
        self.seen: set[str] = set()

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def fail(self, key: str, expected: str, got: object = None) -> CatalogDataError:
        return CatalogDataError(self.file, self._name(key), expected, got)

    def _get(self, key: str, default: object) -> object:
        self.seen.add(key)
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                raise self.fail(key, "a value (the field is required)")
            return default
        return value

    def text(self, key: str, default: object = _MISSING, *, allow_empty: bool = False) -> str:
        value = self._get(key, default)
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise self.fail(key, "a non-empty string", value)
        return value.strip()

    def slug(self, key: str) -> str:
        value = self.text(key)
        if not KEBAB.match(value):
            raise self.fail(key, "a kebab-case id such as 'heel-raise'", value)
        return value

    def boolean(self, key: str, default: object = _MISSING) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "true or false", value)
        return value

    def integer(self, key: str, default: object = _MISSING, *, low: int = 0, high: int) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(key, f"a whole number from {low} to {high}", value)
        return value

    def choice(self, key: str, enum: type[E], default: object = _MISSING) -> E:
        value = self._get(key, default)
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            raise self.fail(key, f"one of {allowed}", value) from None

    def texts(
        self, key: str, default: object = _MISSING, *, non_empty: bool = False
    ) -> tuple[str, ...]:
        value = self._get(key, default)
        if not isinstance(value, list | tuple) or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            raise self.fail(key, "a list of non-empty strings", value)
        if non_empty and not value:
            raise self.fail(key, "at least one entry", value)
        return tuple(v.strip() for v in value)

    def slugs(self, key: str, default: object = _MISSING) -> tuple[str, ...]:
        values = self.texts(key, default)
        for v in values:
            if not KEBAB.match(v):
                raise self.fail(key, "kebab-case ids such as 'heel-raise'", v)
        return values

    def choices(
        self, key: str, enum: type[E], default: object = _MISSING, *, non_empty: bool = False
    ) -> tuple[E, ...]:
        values = self.texts(key, default, non_empty=non_empty)
        out: list[E] = []
        for v in values:
            try:
                out.append(enum(v))
            except ValueError:
                allowed = ", ".join(m.value for m in enum)
                raise self.fail(key, f"entries from {allowed}", v) from None
        return tuple(out)

    def table(self, key: str, default: object = _MISSING) -> Fields:
        value = self._get(key, default)
        if not isinstance(value, dict):
            raise self.fail(key, "a table", value)
        return Fields(value, self.file, f"{self._name(key)}.")

    def tables(
        self, key: str, default: object = _MISSING, *, non_empty: bool = False
    ) -> list[Fields]:
        value = self._get(key, default)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "an array of tables ([[...]])", value)
        if non_empty and not value:
            raise self.fail(key, "at least one entry", value)
        return [Fields(v, self.file, f"{self._name(key)}[{i}].") for i, v in enumerate(value)]

    def each(self, key: str, read: Callable[[Fields], T], default: object = _MISSING) -> list[T]:
        return [read(f) for f in self.tables(key, default)]

    def done(self) -> None:
        """Fail on any key nobody read: a misspelt field must not be silently ignored."""
        extra = sorted(set(self.data) - self.seen)
        if extra:
            raise self.fail(extra[0], "no such field (check the spelling)", extra[0])
