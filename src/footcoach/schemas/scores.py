"""`footcoach.ffi-answers/1`, `footcoach.faam-answers/1` in; `footcoach.score/1` out.

The pydantic models describe the answer documents for `footcoach schema`; parsing is done by
hand and by the domain (footcoach.domain.scoring), so a file, stdin and a stored response all
get the same Problems, one per fault, naming the field ("items[3]", "adl[20]").
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from footcoach.domain.diary import Instrument
from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.questionnaires import FAAM, FFI, Subscale
from footcoach.domain.scoring import Scores, faam_answers, ffi_answers

FFI_ANSWERS_SCHEMA: Final = "footcoach.ffi-answers/1"
FAAM_ANSWERS_SCHEMA: Final = "footcoach.faam-answers/1"
SCORE_SCHEMA = "footcoach.score/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _ids(subscale: Subscale | None = None) -> str:
    items = FFI.items if subscale is None else FAAM.section(subscale).items
    return ", ".join(item.id for item in items)


FfiAnswer = Annotated[int, Field(ge=0, le=10, strict=True)]
FaamAnswer = Annotated[int, Field(ge=0, le=4, strict=True)]


class FfiAnswersDoc(_Strict):
    """Answers to the Foot Function Index (0-10 version), about the past week."""

    schema_: Literal["footcoach.ffi-answers/1"] = Field(
        FFI_ANSWERS_SCHEMA, alias="schema", description="optional; when present, exactly this value"
    )
    items: list[FfiAnswer | None] = Field(
        min_length=23,
        max_length=23,
        description="the 23 items in order, each 0 (best) to 10 (worst), or null when not "
        f"applicable: {_ids()}",
    )


class FaamAnswersDoc(_Strict):
    """Answers to the Foot and Ankle Ability Measure."""

    schema_: Literal["footcoach.faam-answers/1"] = Field(
        FAAM_ANSWERS_SCHEMA,
        alias="schema",
        description="optional; when present, exactly this value",
    )
    adl: list[FaamAnswer | None] = Field(
        min_length=21,
        max_length=21,
        description="the 21 activities of daily living in order, each 4 (no difficulty) to "
        f"0 (unable), or null when not applicable or left blank: {_ids(Subscale.ADL)}",
    )
    sports: list[FaamAnswer | None] = Field(
        min_length=8,
        max_length=8,
        description="the 8 sports items in order, each 4 (no difficulty) to 0 (unable), or "
        f"null when not applicable or left blank: {_ids(Subscale.SPORTS)}",
    )


def _envelope(data: object, schema: str, fields: tuple[str, ...]) -> list[Problem]:
    """Problems with the document around the answers: its type, schema and field names."""
    if not isinstance(data, dict):
        return [Problem("(document)", type(data).__name__, "a JSON object")]
    problems: list[Problem] = []
    if "schema" in data and data["schema"] != schema:
        problems.append(Problem("schema", data["schema"], f"exactly {schema!r}, or no schema"))
    names = ", ".join(("schema", *fields))
    problems += [
        Problem(key, data[key], f"no such field; the fields are {names}")
        for key in sorted(set(data) - {"schema", *fields}, key=str)
    ]
    problems += [
        Problem(name, None, "a value: this field is required")
        for name in fields
        if name not in data
    ]
    return problems


def parse_ffi_answers(data: object) -> tuple[int | None, ...]:
    """The 23 validated FFI answers of a footcoach.ffi-answers/1 document."""
    problems = _envelope(data, FFI_ANSWERS_SCHEMA, ("items",))
    if isinstance(data, dict) and "items" in data:
        try:
            answers = ffi_answers(data["items"])
        except InvalidInputError as exc:
            problems += exc.problems
    if problems:
        raise InvalidInputError(problems)
    return answers


def parse_faam_answers(data: object) -> tuple[tuple[int | None, ...], tuple[int | None, ...]]:
    """The 21 ADL and 8 Sports validated answers of a footcoach.faam-answers/1 document."""
    problems = _envelope(data, FAAM_ANSWERS_SCHEMA, ("adl", "sports"))
    if isinstance(data, dict):
        # a missing list is reported above; a blank stand-in lets the other one be checked
        adl = data.get("adl", [None] * len(FAAM.section(Subscale.ADL).items))
        sports = data.get("sports", [None] * len(FAAM.section(Subscale.SPORTS).items))
        try:
            answers = faam_answers(adl, sports)
        except InvalidInputError as exc:
            problems += exc.problems
    if problems:
        raise InvalidInputError(problems)
    return answers


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def score_document(scores: Scores) -> dict[str, Any]:
    """The footcoach.score/1 document: scores rounded to one decimal, null when not scored."""
    document: dict[str, Any] = {"schema": SCORE_SCHEMA, "instrument": scores.instrument.value}
    for subscale in scores.subscales:
        document[subscale.subscale.value] = _rounded(subscale.score)
    if scores.instrument is Instrument.FFI:
        document["total"] = _rounded(scores.total)
    return document
