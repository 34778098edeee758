"""The exercise catalog: frozen records of every exercise footcoach knows, and lookups over them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from footcoach.domain.errors import UnknownIdError
from footcoach.domain.figure import Figure


class Category(StrEnum):
    STRENGTH = "strength"
    MOBILITY = "mobility"
    STRETCH = "stretch"
    BALANCE = "balance"
    MASSAGE = "massage"
    RECOVERY = "recovery"
    GAIT = "gait"


class Position(StrEnum):
    LYING = "lying"
    SITTING = "sitting"
    STANDING = "standing"
    WALKING = "walking"


class Equipment(StrEnum):
    NONE = "none"
    FOOT_TRAINER = "foot_trainer"
    RESISTANCE_BAND = "resistance_band"
    TOWEL = "towel"
    MASSAGE_BALL = "massage_ball"
    GOLF_BALL = "golf_ball"
    STEP = "step"
    CHAIR = "chair"
    WALL = "wall"
    ICE_PACK = "ice_pack"
    BACKPACK = "backpack"


class Target(StrEnum):
    """Regions and muscle groups an exercise works or eases."""

    TOE_FLEXORS = "toe_flexors"
    TOE_EXTENSORS = "toe_extensors"
    INTRINSIC_FOOT = "intrinsic_foot"
    PLANTAR_FASCIA = "plantar_fascia"
    ARCH = "arch"
    HEEL = "heel"
    GASTROCNEMIUS = "gastrocnemius"
    SOLEUS = "soleus"
    ACHILLES = "achilles"
    ANKLE_DORSIFLEXORS = "ankle_dorsiflexors"
    ANKLE_STABILISERS = "ankle_stabilisers"
    BALANCE_CONTROL = "balance_control"
    HIPS = "hips"
    THIGHS = "thighs"
    HAMSTRINGS = "hamstrings"
    CORE = "core"
    WRIST_FOREARM = "wrist_forearm"


class Sides(StrEnum):
    EACH = "each"
    BOTH = "both"


class Relevance(StrEnum):
    CORE = "core"
    SUPPORTING = "supporting"
    NONE = "none"


class Stance(StrEnum):
    """What a source says of an exercise."""

    RECOMMENDS = "recommends"
    ADVISES_AGAINST = "advises_against"
    MENTIONS = "mentions"
    FOOTCOACH_DEFAULT = "footcoach_default"


@dataclass(frozen=True, slots=True)
class Tempo:
    """Seconds for the lifting, holding and lowering parts of one repetition."""

    up_s: int
    hold_s: int
    down_s: int

    @property
    def rep_s(self) -> int:
        return self.up_s + self.hold_s + self.down_s


@dataclass(frozen=True, slots=True)
class Dose:
    """A default dose; zero means the field does not apply (no hold, no timed duration)."""

    sets: int = 1
    reps: int = 1
    hold_s: int = 0
    duration_s: int = 0
    rest_s: int = 0
    times_per_day: int = 1
    tempo: Tempo | None = None


@dataclass(frozen=True, slots=True)
class EquipmentNeeds:
    """The items an exercise needs, and what else can stand in for each of them."""

    required: tuple[Equipment, ...]
    substitutes: Mapping[Equipment, tuple[str, ...]] = field(default_factory=dict)

    def usable_with(self, owned: Iterable[Equipment]) -> bool:
        """True when every required item, or a substitute from the vocabulary, is owned."""
        have = set(owned) | {Equipment.NONE}
        for item in self.required:
            if item in have:
                continue
            if not any(alt in have for alt in self.substitutes.get(item, ())):
                return False
        return True


@dataclass(frozen=True, slots=True)
class SourceClaim:
    """One source's position on one exercise."""

    source: str
    stance: Stance
    says: str
    for_whom: str = ""
    dose: str = ""


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    name: str
    aliases: tuple[str, ...]
    category: Category
    position: Position
    weight_bearing: bool
    in_bed: bool
    equipment: EquipmentNeeds
    targets: tuple[Target, ...]
    sides: Sides
    dose: Dose
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    why: str
    cautions: tuple[str, ...]
    progressions: tuple[str, ...]
    regressions: tuple[str, ...]
    substitute_exercises: tuple[str, ...]
    sources: tuple[SourceClaim, ...]
    foot_relevance: Relevance
    relevance_note: str = ""
    figure: Figure | None = None
    """How the exercise is drawn; the catalog files always give one."""

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(claim.source for claim in self.sources))

    def advised_against_by(self) -> tuple[SourceClaim, ...]:
        return tuple(c for c in self.sources if c.stance is Stance.ADVISES_AGAINST)


def slugify(text: str) -> str:
    """Lower-case kebab form of a name, used to match aliases typed by people."""
    out: list[str] = []
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


@dataclass(frozen=True, slots=True)
class CatalogFilter:
    category: Category | None = None
    equipment: Equipment | None = None
    position: Position | None = None

    def matches(self, exercise: Exercise) -> bool:
        if self.category is not None and exercise.category is not self.category:
            return False
        if self.position is not None and exercise.position is not self.position:
            return False
        return self.equipment is None or self.equipment in exercise.equipment.required


class Catalog:
    """All exercises by id, with alias resolution and suggestions for near misses."""

    def __init__(self, exercises: Iterable[Exercise]) -> None:
        self._by_id: dict[str, Exercise] = {}
        for ex in sorted(exercises, key=lambda e: e.id):
            if ex.id in self._by_id:
                raise ValueError(f"duplicate exercise id {ex.id!r}")
            self._by_id[ex.id] = ex
        self._alias: dict[str, str] = {}
        for ex in self._by_id.values():
            for alias in ex.aliases:
                slug = slugify(alias)
                if slug in self._by_id and slug != ex.id:
                    raise ValueError(f"alias {alias!r} of {ex.id!r} shadows the exercise {slug!r}")
                other = self._alias.get(slug)
                if other is not None and other != ex.id:
                    raise ValueError(f"alias {alias!r} names both {other!r} and {ex.id!r}")
                self._alias[slug] = ex.id

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.resolve_id(key) is not None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def resolve_id(self, key: str) -> str | None:
        """The record id for an id or alias, or None."""
        if key in self._by_id:
            return key
        return self._alias.get(slugify(key))

    def get(self, key: str) -> Exercise:
        """The exercise with this id or alias; UnknownIdError with suggestions otherwise."""
        resolved = self.resolve_id(key)
        if resolved is None:
            raise UnknownIdError(
                "exercise", key, suggest(key, [*self._by_id, *self._alias]), self.ids
            )
        return self._by_id[resolved]

    def filter(self, criteria: CatalogFilter) -> list[Exercise]:
        return [ex for ex in self._by_id.values() if criteria.matches(ex)]


def suggest(key: str, candidates: Iterable[str], limit: int = 3) -> tuple[str, ...]:
    """The closest valid names to a mistyped one."""
    return tuple(difflib.get_close_matches(key, list(candidates), n=limit, cutoff=0.5))
