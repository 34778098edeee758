"""Domain exceptions; every one names what was wrong so a face can explain it."""

from __future__ import annotations

from dataclasses import dataclass


class FootcoachError(Exception):
    """Base of every error footcoach raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where, what was given, and what is allowed."""

    field: str
    value: object
    allowed: str

    def __str__(self) -> str:
        return f"{self.field}: got {self.value!r}; {self.allowed}"


class InvalidInputError(FootcoachError):
    """One or more problems with an input document or option; nothing was written."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class UnknownIdError(FootcoachError):
    """An id that names nothing, with the closest valid ones."""

    LIST_AT_MOST = 12
    """With no close match, the valid ids are listed when there are at most this many."""

    def __init__(
        self, kind: str, key: str, suggestions: tuple[str, ...] = (), allowed: tuple[str, ...] = ()
    ) -> None:
        self.kind = kind
        self.key = key
        self.suggestions = suggestions
        if suggestions:
            hint = f"; did you mean {', '.join(suggestions)}?"
        elif allowed and len(allowed) <= self.LIST_AT_MOST:
            hint = f"; allowed: {', '.join(allowed)}"
        else:
            hint = ""
        super().__init__(f"unknown {kind} {key!r}{hint}")


class CatalogDataError(FootcoachError):
    """A catalog or protocol data file is malformed; the message names file and field."""

    def __init__(self, file: str, field: str, expected: str, got: object = None) -> None:
        self.file = file
        self.field = field
        self.expected = expected
        got_text = "" if got is None else f", got {got!r}"
        super().__init__(f"{file}: field {field!r}: expected {expected}{got_text}")
