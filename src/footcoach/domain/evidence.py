"""Where footcoach's advice comes from, how strong each source is, and where sources disagree."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from footcoach.domain.catalog import suggest
from footcoach.domain.errors import UnknownIdError


class SourceKind(StrEnum):
    SEED = "seed"
    PAPER = "paper"
    GUIDELINE = "guideline"
    FOOTCOACH = "footcoach"


class Strength(IntEnum):
    """How much weight a source can bear; higher is stronger. Never shown stronger than it is."""

    DESIGN = 0
    OPINION = 1
    SMALL_STUDY = 2
    TRIAL = 3
    SYSTEMATIC_REVIEW = 4
    GUIDELINE = 5

    @property
    def label(self) -> str:
        return _STRENGTH_LABELS[self][0]

    @property
    def explanation(self) -> str:
        return _STRENGTH_LABELS[self][1]

    @classmethod
    def from_label(cls, label: str) -> Strength:
        for member, (text, _) in _STRENGTH_LABELS.items():
            if text == label:
                return member
        raise ValueError(label)


_STRENGTH_LABELS: dict[Strength, tuple[str, str]] = {
    Strength.DESIGN: (
        "footcoach_design",
        "a choice footcoach made where the sources are silent; not evidence",
    ),
    Strength.OPINION: (
        "opinion",
        "an article or vendor page; experience and opinion, not tested in a trial",
    ),
    Strength.SMALL_STUDY: (
        "small_study",
        "a small or indirect study (healthy people, flat feet); weak support for heel pain",
    ),
    Strength.TRIAL: (
        "randomised_trial",
        "a randomised controlled trial in people with heel pain",
    ),
    Strength.SYSTEMATIC_REVIEW: (
        "systematic_review",
        "a review that pooled several studies",
    ),
    Strength.GUIDELINE: (
        "clinical_guideline",
        "a clinical practice guideline that grades the whole body of evidence",
    ),
}


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    kind: SourceKind
    title: str
    citation: str
    strength: Strength
    summary: str
    confidence: str = ""
    """How well footcoach checked the citation: V verified, S secondary, U unverified."""


@dataclass(frozen=True, slots=True)
class ConflictPosition:
    source: str
    position: str


@dataclass(frozen=True, slots=True)
class Conflict:
    """A point where sources disagree, each side with its source, and how footcoach resolves it."""

    id: str
    topic: str
    exercises: tuple[str, ...]
    positions: tuple[ConflictPosition, ...]
    resolution: str
    reason: str
    evidence: tuple[str, ...]


class Sources:
    """Every source by id."""

    def __init__(self, sources: Iterable[Source]) -> None:
        self._by_id = {s.id: s for s in sorted(sources, key=lambda s: (s.kind, s.id))}

    def __iter__(self) -> Iterator[Source]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, key: object) -> bool:
        return key in self._by_id

    def get(self, key: str) -> Source:
        try:
            return self._by_id[key]
        except KeyError:
            raise UnknownIdError("source", key, suggest(key, self._by_id)) from None
