"""Reads protocol TOML files into domain Protocols and checks them against the catalog."""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path

from footcoach.adapters.catalog_files import DataDir, package_data, read_toml
from footcoach.adapters.toml_fields import Fields
from footcoach.domain.catalog import Relevance, Tempo
from footcoach.domain.errors import CatalogDataError
from footcoach.domain.intake import Goal
from footcoach.domain.library import Library
from footcoach.domain.protocol import (
    DoseStep,
    ExcludedNote,
    Phase,
    Priority,
    Protocol,
    ProtocolItem,
    Protocols,
    Schedule,
    Slot,
)
from footcoach.domain.safety import NEVER_PRESCRIBED


def _optional_int(f: Fields, key: str, low: int, high: int) -> int | None:
    if key not in f.data:
        f.seen.add(key)
        return None
    return f.integer(key, low=low, high=high)


def _optional_text(f: Fields, key: str) -> str | None:
    value = f.text(key, "", allow_empty=True)
    return value or None


def _dose_step(f: Fields) -> DoseStep:
    step = DoseStep(
        from_week=f.integer("from_week", low=1, high=52),
        sets=_optional_int(f, "sets", 1, 10),
        reps=_optional_int(f, "reps", 1, 100),
        hold_s=_optional_int(f, "hold_s", 1, 600),
        duration_s=_optional_int(f, "duration_s", 1, 3600),
        load=_optional_text(f, "load"),
        adds_weight=f.boolean("adds_weight", False),
    )
    f.done()
    return step


def _item(f: Fields) -> ProtocolItem:
    tempo = None
    if "tempo" in f.data:
        t = f.table("tempo")
        tempo = Tempo(
            up_s=t.integer("up_s", high=10),
            hold_s=t.integer("hold_s", high=60),
            down_s=t.integer("down_s", high=10),
        )
        t.done()
    f.seen.add("tempo")
    item = ProtocolItem(
        exercise=f.slug("exercise"),
        slot=f.choice("slot", Slot),
        why=f.text("why"),
        priority=f.choice("priority", Priority, "core"),
        schedule=f.choice("schedule", Schedule, "daily"),
        sets=_optional_int(f, "sets", 1, 10),
        reps=_optional_int(f, "reps", 1, 100),
        hold_s=_optional_int(f, "hold_s", 1, 600),
        duration_s=_optional_int(f, "duration_s", 1, 3600),
        rest_s=_optional_int(f, "rest_s", 0, 600),
        load=_optional_text(f, "load"),
        tempo=tempo,
        sources=f.texts("sources", ()),
        dose_steps=tuple(f.each("dose_steps", _dose_step, [])),
        follows=f.slug("follows") if "follows" in f.data else None,
    )
    f.seen.add("follows")
    f.done()
    weeks = [s.from_week for s in item.dose_steps]
    if weeks and (weeks[0] != 1 or weeks != sorted(set(weeks))):
        raise f.fail("dose_steps", "steps starting at from_week = 1, in increasing order", weeks)
    return item


def _phase(f: Fields) -> Phase:
    phase = Phase(
        id=f.slug("id"),
        name=f.text("name"),
        weeks=f.integer("weeks", low=1, high=52),
        summary=f.text("summary"),
        entry=f.text("entry"),
        exit=f.text("exit"),
        enter_at_pain=f.integer("enter_at_pain", 0, high=10),
        items=tuple(f.each("items", _item)),
    )
    f.done()
    if not phase.items:
        raise f.fail("items", "at least one item")
    for i, item in enumerate(phase.items):
        if item.follows is not None and phase.predecessor(i) is None:
            raise f.fail(
                f"items.{item.exercise}.follows",
                "the exercise of an earlier item in the same phase",
                item.follows,
            )
    return phase


def _excluded(f: Fields) -> ExcludedNote:
    note = ExcludedNote(
        exercise=f.slug("exercise"), reason=f.text("reason"), sources=f.texts("sources", ())
    )
    f.done()
    return note


def parse_protocol(data: dict[str, object], file: str) -> Protocol:
    f = Fields(dict(data), file)
    protocol = Protocol(
        id=f.slug("id"),
        name=f.text("name"),
        summary=f.text("summary"),
        sources=f.texts("sources", non_empty=True),
        evidence=f.text("evidence"),
        goals=f.choices("goals", Goal, non_empty=True),
        default_weeks=f.integer("default_weeks", low=1, high=52),
        reassess_every_weeks=f.integer("reassess_every_weeks", low=1, high=12),
        non_weight_bearing=f.boolean("non_weight_bearing", False),
        phases=tuple(f.each("phases", _phase)),
        excluded=tuple(f.each("excluded", _excluded, [])),
        notes=f.texts("notes", ()),
    )
    f.done()
    if Path(file).stem != protocol.id:
        raise CatalogDataError(file, "id", f"the file name's stem {Path(file).stem!r}", protocol.id)
    if not protocol.phases:
        raise CatalogDataError(file, "phases", "at least one [[phases]] entry")
    return protocol


def check_protocol(protocol: Protocol, library: Library) -> None:
    """The safety rules no protocol may break, checked when it is loaded."""
    file = f"{protocol.id}.toml"
    for src in protocol.sources:
        if src not in library.sources:
            raise CatalogDataError(file, "sources", "ids from sources.toml", src)
    for phase in protocol.phases:
        for item in phase.items:
            where = f"phases.{phase.id}.items.{item.exercise}"
            if item.exercise not in library.catalog.ids:
                raise CatalogDataError(
                    file, where, "an exercise id from the catalog", item.exercise
                )
            ex = library.catalog.get(item.exercise)
            if ex.id in NEVER_PRESCRIBED or ex.foot_relevance is Relevance.NONE:
                raise CatalogDataError(file, where, "an exercise footcoach may prescribe", ex.id)
            if item.slot is Slot.BEFORE_FIRST_STEP and not (ex.in_bed and not ex.weight_bearing):
                raise CatalogDataError(
                    file,
                    where,
                    "an in-bed, non-weight-bearing exercise before the first step",
                    ex.id,
                )
            if protocol.non_weight_bearing and ex.weight_bearing:
                raise CatalogDataError(
                    file, where, "a non-weight-bearing exercise in this protocol", ex.id
                )
            for src in item.sources:
                if src not in library.sources:
                    raise CatalogDataError(file, f"{where}.sources", "ids from sources.toml", src)
    for note in protocol.excluded:
        if note.exercise not in library.catalog.ids:
            raise CatalogDataError(file, "excluded.exercise", "an exercise id", note.exercise)


def load_protocols(folder: DataDir | Traversable, library: Library) -> Protocols:
    files = sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    protocols = [parse_protocol(read_toml(p), p.name) for p in files]
    for protocol in protocols:
        check_protocol(protocol, library)
    return Protocols(protocols)


class FileProtocolSource:
    """The protocol port over a data folder (the package's own by default)."""

    def __init__(self, root: DataDir | None = None) -> None:
        self.root = root if root is not None else package_data()

    def load(self, library: Library) -> Protocols:
        return load_protocols(self.root / "protocols", library)
