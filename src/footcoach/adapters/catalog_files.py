"""Reads the catalog, its sources and its conflicts from TOML package data into domain objects."""

from __future__ import annotations

import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from footcoach.adapters.toml_fields import Fields
from footcoach.domain.catalog import (
    Catalog,
    Category,
    Dose,
    Equipment,
    EquipmentNeeds,
    Exercise,
    Position,
    Relevance,
    Sides,
    SourceClaim,
    Stance,
    Target,
    Tempo,
)
from footcoach.domain.errors import CatalogDataError
from footcoach.domain.evidence import (
    Conflict,
    ConflictPosition,
    Source,
    SourceKind,
    Sources,
    Strength,
)
from footcoach.domain.figure import (
    Figure,
    Hands,
    Mark,
    Pose,
    Posture,
    Prop,
    PropItem,
    PropPlace,
    Tissue,
    View,
    WorkingFoot,
)
from footcoach.domain.library import Library

DataDir = Path | Traversable


def package_data() -> Traversable:
    return resources.files("footcoach") / "data"


def read_toml(path: Traversable | Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogDataError(path.name, "(file)", f"valid TOML ({exc})") from None
    except FileNotFoundError:
        raise CatalogDataError(
            path.name, "(file)", "the file to exist in the data folder"
        ) from None


def _tempo(f: Fields) -> Tempo:
    tempo = Tempo(
        up_s=f.integer("up_s", high=10),
        hold_s=f.integer("hold_s", high=60),
        down_s=f.integer("down_s", high=10),
    )
    f.done()
    return tempo


def _dose(f: Fields) -> Dose:
    tempo = _tempo(f.table("tempo")) if "tempo" in f.data else None
    f.seen.add("tempo")
    dose = Dose(
        sets=f.integer("sets", 1, low=1, high=10),
        reps=f.integer("reps", 1, low=1, high=100),
        hold_s=f.integer("hold_s", 0, high=600),
        duration_s=f.integer("duration_s", 0, high=3600),
        rest_s=f.integer("rest_s", 0, high=600),
        times_per_day=f.integer("times_per_day", 1, low=1, high=10),
        tempo=tempo,
    )
    f.done()
    return dose


def _equipment(f: Fields) -> EquipmentNeeds:
    required = f.choices("required", Equipment, non_empty=True)
    subs_table = f.table("substitutes", {})
    substitutes: dict[Equipment, tuple[str, ...]] = {}
    for key in subs_table.data:
        try:
            item = Equipment(key)
        except ValueError:
            raise subs_table.fail(key, "an equipment item from the vocabulary", key) from None
        if item not in required:
            raise subs_table.fail(key, "a substitute for an item listed in 'required'", key)
        substitutes[item] = subs_table.texts(key, non_empty=True)
    f.done()
    return EquipmentNeeds(required=required, substitutes=substitutes)


def _claim(f: Fields) -> SourceClaim:
    claim = SourceClaim(
        source=f.text("source"),
        stance=f.choice("stance", Stance),
        says=f.text("says"),
        for_whom=f.text("for_whom", "", allow_empty=True),
        dose=f.text("dose", "", allow_empty=True),
    )
    f.done()
    return claim


def _pose(f: Fields) -> Pose:
    def other(key: str) -> int | None:
        return f.integer(key, low=-90, high=150) if key in f.data else None

    pose = Pose(
        trunk=f.integer("trunk", 0, low=-90, high=90),
        hip=f.integer("hip", 0, low=-45, high=150),
        knee=f.integer("knee", 0, low=0, high=150),
        ankle=f.integer("ankle", 0, low=-60, high=45),
        big_toe=f.integer("big_toe", 0, low=-45, high=90),
        toes=f.integer("toes", 0, low=-45, high=90),
        tips=f.integer("tips", 0, low=-60, high=45),
        arch=f.integer("arch", 0, low=0, high=100),
        splay=f.integer("splay", 0, low=0, high=30),
        other_hip=other("other_hip"),
        other_knee=other("other_knee"),
        other_ankle=other("other_ankle"),
        hands=f.choice("hands", Hands, "rest"),
        wrist=f.integer("wrist", 0, low=-90, high=90),
    )
    f.done()
    return pose


def _prop(f: Fields) -> Prop:
    prop = Prop(item=f.choice("item", PropItem), at=f.choice("at", PropPlace))
    f.done()
    return prop


def _figure(f: Fields) -> Figure:
    figure = Figure(
        view=f.choice("view", View),
        posture=f.choice("posture", Posture),
        foot=f.choice("foot", WorkingFoot),
        props=tuple(f.each("props", _prop, [])),
        tissues=f.choices("tissues", Tissue, ()),
        start=_pose(f.table("start")),
        middle=_pose(f.table("middle")) if "middle" in f.data else None,
        end=_pose(f.table("end")),
        arrow=f.choice("arrow", Mark) if "arrow" in f.data else None,
    )
    f.done()
    if len(set(figure.poses)) < 2:
        raise f.fail("end", "a pose that differs from the start pose", "the same angles")
    return figure


def parse_exercise(data: dict[str, Any], file: str) -> Exercise:
    """One exercise record; raises CatalogDataError naming the file and field on any fault."""
    f = Fields(data, file)
    ex = Exercise(
        id=f.slug("id"),
        name=f.text("name"),
        aliases=f.texts("aliases", ()),
        category=f.choice("category", Category),
        position=f.choice("position", Position),
        weight_bearing=f.boolean("weight_bearing"),
        in_bed=f.boolean("in_bed"),
        equipment=_equipment(f.table("equipment")),
        targets=f.choices("targets", Target, non_empty=True),
        sides=f.choice("sides", Sides),
        dose=_dose(f.table("dose")),
        steps=f.texts("steps", non_empty=True),
        cues=f.texts("cues", ()),
        why=f.text("why"),
        cautions=f.texts("cautions", ()),
        progressions=f.slugs("progressions", ()),
        regressions=f.slugs("regressions", ()),
        substitute_exercises=f.slugs("substitute_exercises", ()),
        sources=tuple(f.each("sources", _claim)),
        foot_relevance=f.choice("foot_relevance", Relevance),
        relevance_note=f.text("relevance_note", "", allow_empty=True),
        figure=_figure(f.table("figure")),
    )
    f.done()
    stem = Path(file).stem
    if stem != ex.id:
        raise CatalogDataError(file, "id", f"the file name's stem {stem!r}", ex.id)
    if not ex.sources:
        raise CatalogDataError(file, "sources", "at least one [[sources]] entry", [])
    if ex.in_bed and ex.weight_bearing:
        raise CatalogDataError(file, "in_bed", "false for a weight-bearing exercise", True)
    if ex.foot_relevance is not Relevance.CORE and not ex.relevance_note:
        raise CatalogDataError(
            file, "relevance_note", "a reason when foot_relevance is not core", ""
        )
    return ex


def load_exercises(folder: DataDir) -> list[Exercise]:
    files = sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    if not files:
        raise CatalogDataError(str(folder), "(folder)", "at least one exercise file")
    return [parse_exercise(read_toml(p), p.name) for p in files]


def _source(f: Fields) -> Source:
    strength_label = f.text("strength")
    try:
        strength = Strength.from_label(strength_label)
    except ValueError:
        allowed = ", ".join(s.label for s in Strength)
        raise f.fail("strength", f"one of {allowed}", strength_label) from None
    src = Source(
        id=f.text("id"),
        kind=f.choice("kind", SourceKind),
        title=f.text("title"),
        citation=f.text("citation"),
        strength=strength,
        summary=f.text("summary"),
        confidence=f.text("confidence", "", allow_empty=True),
    )
    f.done()
    return src


def load_sources(path: Traversable | Path) -> Sources:
    f = Fields(read_toml(path), path.name)
    sources = Sources(f.each("source", _source))
    f.done()
    return sources


def _conflict(f: Fields) -> Conflict:
    def position(p: Fields) -> ConflictPosition:
        out = ConflictPosition(source=p.text("source"), position=p.text("position"))
        p.done()
        return out

    conflict = Conflict(
        id=f.slug("id"),
        topic=f.text("topic"),
        exercises=f.slugs("exercises"),
        positions=tuple(f.each("positions", position)),
        resolution=f.text("resolution"),
        reason=f.text("reason"),
        evidence=f.texts("evidence", ()),
    )
    f.done()
    if len(conflict.positions) < 2:
        raise f.fail("positions", "at least two positions from different sources")
    return conflict


def load_conflicts(path: Traversable | Path) -> list[Conflict]:
    f = Fields(read_toml(path), path.name)
    conflicts = f.each("conflict", _conflict)
    f.done()
    return conflicts


def check_references(catalog: Catalog, sources: Sources, conflicts: list[Conflict]) -> None:
    """Every id a record or conflict names must exist, and variant edges must be mirrored."""
    known = set(catalog.ids)
    for ex in catalog:
        file = f"{ex.id}.toml"
        for key, ids in (
            ("progressions", ex.progressions),
            ("regressions", ex.regressions),
            ("substitute_exercises", ex.substitute_exercises),
        ):
            for other in ids:
                if other not in known or other == ex.id:
                    raise CatalogDataError(
                        file, key, "ids of other exercises in the catalog", other
                    )
        for harder in ex.progressions:
            if ex.id not in catalog.get(harder).regressions:
                raise CatalogDataError(
                    f"{harder}.toml", "regressions", f"to list {ex.id!r}, which progresses to it"
                )
        for easier in ex.regressions:
            if ex.id not in catalog.get(easier).progressions:
                raise CatalogDataError(
                    f"{easier}.toml", "progressions", f"to list {ex.id!r}, which regresses to it"
                )
        for claim in ex.sources:
            if claim.source not in sources:
                raise CatalogDataError(
                    file, "sources.source", "an id from sources.toml", claim.source
                )
    for c in conflicts:
        for other in c.exercises:
            if other not in known:
                raise CatalogDataError("conflicts.toml", f"{c.id}.exercises", "catalog ids", other)
        for src in (*(p.source for p in c.positions), *c.evidence):
            if src not in sources:
                raise CatalogDataError("conflicts.toml", f"{c.id}.positions", "source ids", src)


class FileCatalogSource:
    """The catalog port over a data folder (the package's own by default)."""

    def __init__(self, root: DataDir | None = None) -> None:
        self.root = root if root is not None else package_data()

    def load(self) -> Library:
        catalog = Catalog(load_exercises(self.root / "exercises"))
        sources = load_sources(self.root / "sources.toml")
        conflicts = load_conflicts(self.root / "conflicts.toml")
        check_references(catalog, sources, conflicts)
        return Library(catalog=catalog, sources=sources, conflicts=tuple(conflicts))
