"""Checks on a FHIR Bundle: valid against the R4B models of fhir.resources, references that
resolve inside it, and codes from the value sets FHIR R4 binds them to."""

from __future__ import annotations

from typing import Any

ALLOWED = {
    ("CarePlan", "status"): {"draft", "active", "on-hold", "revoked", "completed", "unknown"},
    ("CarePlan", "intent"): {"proposal", "plan", "order", "option"},
    ("Observation", "status"): {"registered", "preliminary", "final", "amended"},
    ("QuestionnaireResponse", "status"): {"in-progress", "completed", "amended", "stopped"},
    ("Procedure", "status"): {
        "preparation",
        "in-progress",
        "not-done",
        "on-hold",
        "stopped",
        "completed",
        "unknown",
    },
}
ACTIVITY_STATUS = {
    "not-started",
    "scheduled",
    "in-progress",
    "on-hold",
    "completed",
    "cancelled",
    "stopped",
    "unknown",
}
EVENT_TIMING = {"MORN", "AFT", "EVE", "NIGHT", "PHS", "HS", "WAKE"}


def validate(bundle: dict[str, Any]) -> None:
    """Raises pydantic's ValidationError when the bundle or any resource in it is not R4."""
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(bundle)


def references(node: Any) -> list[str]:
    """Every Reference.reference anywhere in a resource."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(references(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(references(value))
    return found


def unresolved(bundle: dict[str, Any]) -> list[str]:
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    return [r for e in bundle["entry"] for r in references(e["resource"]) if r not in full_urls]


def bad_codes(bundle: dict[str, Any]) -> list[str]:
    """Codes outside FHIR R4's required value sets (the models check structure, not codes)."""
    wrong = []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        for (of, name), allowed in ALLOWED.items():
            if of == kind and resource[name] not in allowed:
                wrong.append(f"{kind}.{name} = {resource[name]}")
        for activity in resource.get("activity", []):
            detail = activity["detail"]
            if detail["status"] not in ACTIVITY_STATUS:
                wrong.append(f"activity status {detail['status']}")
            for when in detail["scheduledTiming"]["repeat"].get("when", []):
                if when not in EVENT_TIMING:
                    wrong.append(f"timing {when}")
    return wrong


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]
