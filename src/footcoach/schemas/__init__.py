"""JSON Schemas of footcoach's public documents, as pydantic models (the edge, never the domain)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

SUBJECTS = ("exercise",)


def model_for(subject: str) -> type[BaseModel]:
    if subject == "exercise":
        from footcoach.schemas.exercise import ExerciseDoc

        return ExerciseDoc
    raise KeyError(subject)


def json_schema(subject: str) -> dict[str, Any]:
    schema = model_for(subject).model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def json_schema_text(subject: str) -> str:
    return json.dumps(json_schema(subject), indent=2, sort_keys=False)
