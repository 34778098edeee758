"""JSON Schemas of footcoach's public documents, as pydantic models (the edge, never the domain)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

SUBJECTS = (
    "exercise",
    "intake",
    "history",
    "program",
    "protocol",
    "backup",
    "ffi-answers",
    "faam-answers",
    "program-change",
)


def model_for(subject: str) -> type[BaseModel]:
    from footcoach.schemas.backup import BackupDoc
    from footcoach.schemas.changes import ProgramChangeDoc
    from footcoach.schemas.exercise import ExerciseDoc
    from footcoach.schemas.intake import HistoryDoc, IntakeDoc
    from footcoach.schemas.program import ProgramDoc, ProtocolDoc
    from footcoach.schemas.scores import FaamAnswersDoc, FfiAnswersDoc

    models: dict[str, type[BaseModel]] = {
        "exercise": ExerciseDoc,
        "intake": IntakeDoc,
        "history": HistoryDoc,
        "program": ProgramDoc,
        "protocol": ProtocolDoc,
        "backup": BackupDoc,
        "ffi-answers": FfiAnswersDoc,
        "faam-answers": FaamAnswersDoc,
        "program-change": ProgramChangeDoc,
    }
    return models[subject]


def json_schema(subject: str) -> dict[str, Any]:
    schema = model_for(subject).model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def json_schema_text(subject: str) -> str:
    return json.dumps(json_schema(subject), indent=2, sort_keys=False)
