"""docs/fhir.md's example bundle is valid R4, self-contained, and what footcoach makes: each of
its resources is one of a real export's, with some lists cut short to keep the page small."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from footcoach.adapters.fhir_bundle import fhir_bundle
from footcoach.domain.diary import (
    Diary,
    Instrument,
    ItemRecord,
    QuestionnaireResponse,
    SessionRecord,
)
from footcoach.domain.intake import CheckIn
from footcoach.domain.profile import Preferences, Profile
from footcoach.services.tracking import Snapshot
from tests.support.fhir_checks import bad_codes, unresolved, validate

DOC = Path(__file__).resolve().parents[1] / "docs" / "fhir.md"
EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
START = date(2026, 11, 23)
AT = datetime(2026, 11, 23, 6, 40, tzinfo=UTC)
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def example_bundle(library) -> dict[str, Any]:
    """The export the page's example was cut from: a day of a program started on 23 November."""
    from footcoach.adapters.protocol_files import FileProtocolSource
    from footcoach.schemas.intake import parse_intake
    from footcoach.services.planning import PlanningService

    intake = parse_intake(json.loads((EXAMPLES / "intake.json").read_text()))
    profile = Profile("sam", intake, "footcoach", START, 12, Preferences())
    item = ItemRecord(0, "plantar-fascia-stretch", 1, 10, 100, False, AT.replace(minute=44))
    session = SessionRecord(
        START, "before_first_step", AT, (item,), True, 2, 3, AT.replace(minute=46)
    )
    ffi = QuestionnaireResponse(Instrument.FFI, START, (6, 7, *([4] * 21)))
    diary = Diary((CheckIn(START, 6),), (session,), (ffi,))
    planning = PlanningService(library, FileProtocolSource().load(library))
    program = planning.plan(intake, START, diary.history(), "footcoach", 12)
    return fhir_bundle(Snapshot(profile, diary, program), library.catalog, NOW.date(), NOW)


def documented() -> dict[str, Any]:
    found = re.search(r"```json\n(.*?)\n```", DOC.read_text(), re.S)
    assert found, "docs/fhir.md has no ```json block"
    return json.loads(found.group(1))


def cut_from(part: Any, whole: Any, where: str = "") -> list[str]:
    """Where `part` differs from `whole`, other than lists cut short (the same first items)."""
    if isinstance(part, dict) and isinstance(whole, dict):
        if part.keys() != whole.keys():
            return [f"{where}: keys {sorted(part)} != {sorted(whole)}"]
        return [d for k in part for d in cut_from(part[k], whole[k], f"{where}.{k}")]
    if isinstance(part, list) and isinstance(whole, list):
        if not part or len(part) > len(whole):
            return [f"{where}: {len(part)} items of {len(whole)}"]
        return [d for i, p in enumerate(part) for d in cut_from(p, whole[i], f"{where}[{i}]")]
    return [] if part == whole else [f"{where}: {part!r} != {whole!r}"]


def test_the_example_is_valid_and_self_contained():
    bundle = documented()
    validate(bundle)
    assert unresolved(bundle) == []
    assert bad_codes(bundle) == []


def test_the_example_is_cut_from_a_real_export(library):
    real = example_bundle(library)
    validate(real)
    entries = {e["fullUrl"]: e for e in real["entry"]}
    shown = documented()
    assert {k: v for k, v in shown.items() if k != "entry"} == {
        k: v for k, v in real.items() if k != "entry"
    }
    kinds = set()
    for entry in shown["entry"]:
        assert entry["fullUrl"] in entries, entry["fullUrl"]
        assert cut_from(entry, entries[entry["fullUrl"]]) == []
        kinds.add(entry["resource"]["resourceType"])
    assert kinds == {"Patient", "CarePlan", "Observation", "QuestionnaireResponse", "Procedure"}
