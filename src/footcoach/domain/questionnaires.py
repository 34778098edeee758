"""The two outcome questionnaires footcoach can administer and score, as data.

- The Foot Function Index, 0-10 numeric-rating version (Budiman-Mak, Conrad & Roach,
  J Clin Epidemiol 1991;44:561): 23 items about the past week, 9 pain, 9 disability and
  5 activity limitation. 0 is best, 10 worst. Items are asked in the published form's order:
  item 1 is pain at its worst and item 2 pain on the first steps in the morning (as DiGiovanni
  et al., J Bone Joint Surg Am 2003, number them), then each situation walking before standing.
- The Foot and Ankle Ability Measure (Martin RL et al., Foot Ankle Int 2005): 21 activities of
  daily living and 8 sports items, each 4 (no difficulty) down to 0 (unable). Higher is better.

The labels are footcoach's own short paraphrases of what each item asks about, never the
questionnaires' wording. An item id names what the item asks about, not where it stands: ids are
stored with answers and sent by forms, so never renumber or reuse one. Answers are stored by
position, so the order of the items is part of the data format too: a change of order needs a
data migration (see FFI_FIRST_ORDER).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from footcoach.domain.diary import Instrument


class Subscale(StrEnum):
    """A scored part of a questionnaire (TOTAL is the FFI's overall score, not a group of items)."""

    PAIN = "pain"
    DISABILITY = "disability"
    ACTIVITY_LIMITATION = "activity_limitation"
    TOTAL = "total"
    ADL = "adl"
    SPORTS = "sports"


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    """Stable id, stored with answers, e.g. "ffi-pain-1"."""
    subscale: Subscale
    label: str
    """A short paraphrase of what the item asks about, in footcoach's own words."""


@dataclass(frozen=True, slots=True)
class AnswerScale:
    """The answers an item takes: whole numbers from low to high, with words for some of them."""

    low: int
    high: int
    labels: tuple[tuple[int, str], ...]
    """(value, what it means), for the anchors worth showing."""
    higher_is_better: bool
    not_applicable: str
    """What a null answer means for this questionnaire."""

    def label(self, value: int) -> str | None:
        return dict(self.labels).get(value)


@dataclass(frozen=True, slots=True)
class Section:
    """The items of one subscale, asked together under one question and one answer scale."""

    subscale: Subscale
    question: str
    """What to think about while answering the section's items, in our words."""
    scale: AnswerScale
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Questionnaire:
    instrument: Instrument
    name: str
    period: str
    """The time the answers are about."""
    sections: tuple[Section, ...]
    """One per subscale made of items, in the order they are asked and stored."""
    source: str

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item, in the order asked and stored."""
        return tuple(item for section in self.sections for item in section.items)

    @property
    def subscales(self) -> tuple[Subscale, ...]:
        return tuple(section.subscale for section in self.sections)

    def section(self, subscale: Subscale) -> Section:
        for section in self.sections:
            if section.subscale is subscale:
                return section
        raise KeyError(subscale)

    def items_in(self, subscale: Subscale) -> tuple[Item, ...]:
        return self.section(subscale).items

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


def _items(prefix: str, subscale: Subscale, labels: tuple[str, ...]) -> tuple[Item, ...]:
    return tuple(Item(f"{prefix}-{n}", subscale, label) for n, label in enumerate(labels, start=1))


def _named(prefix: str, subscale: Subscale, items: tuple[tuple[int, str], ...]) -> tuple[Item, ...]:
    """Items whose ids were given before their order was corrected: (id number, label), in order."""
    return tuple(Item(f"{prefix}-{n}", subscale, label) for n, label in items)


# In the published form's order. The id numbers are those of footcoach's first order, kept
# because ids never change: ffi-pain-1 is still the first-step item, now asked second.
_FFI_PAIN = (
    (2, "Pain at its worst"),
    (1, "Pain on the first steps in the morning"),
    (4, "Pain walking without shoes"),
    (3, "Pain standing without shoes"),
    (6, "Pain walking in shoes"),
    (5, "Pain standing in shoes"),
    (8, "Pain walking with insoles or orthoses"),
    (7, "Pain standing with insoles or orthoses"),
    (9, "Pain by the end of the day"),
)
# The disability and activity items keep the order footcoach has always asked them in; the
# disability order agrees with the published form as far as we could check it, the activity
# order could not be checked against the form itself (docs/cli-scores.md says which is which).
_FFI_DISABILITY = (
    "Walking around indoors",
    "Walking outdoors",
    "Walking four blocks",
    "Going up stairs",
    "Going down stairs",
    "Rising onto tiptoe",
    "Standing up from a chair",
    "Stepping up a kerb",
    "Walking briskly",
)
_FFI_ACTIVITY = (
    "Using a walking aid indoors",
    "Using a walking aid outdoors",
    "Staying home all day because of the feet",
    "Staying in bed all day because of the feet",
    "Cutting back on activities because of the feet",
)

_FAAM_ADL = (
    "Standing",
    "Walking on level ground",
    "Walking on level ground barefoot",
    "Walking uphill",
    "Walking downhill",
    "Going up stairs",
    "Going down stairs",
    "Walking on rough or uneven ground",
    "Stepping on and off kerbs",
    "Squatting down",
    "Rising onto the toes",
    "The first steps after rest",
    "A walk of up to 5 minutes",
    "A walk of about 10 minutes",
    "A walk of 15 minutes or longer",
    "Housework and chores",
    "Everyday tasks",
    "Washing, dressing and self-care",
    "Light or moderate work on your feet",
    "Heavy work: pushing, pulling, climbing, carrying",
    "Leisure activities",
)
_FAAM_SPORTS = (
    "Running",
    "Jumping",
    "Landing from a jump",
    "Quick starts and stops",
    "Side-steps and sharp turns",
    "Low-impact exercise",
    "Your usual technique in your sport or activity",
    "Your sport for as long as you want",
)

FFI = Questionnaire(
    instrument=Instrument.FFI,
    name="Foot Function Index (0-10 rating version)",
    period="the past week",
    sections=(
        Section(
            Subscale.PAIN,
            "How bad was your foot pain, over the past week, in each situation?",
            AnswerScale(
                0,
                10,
                ((0, "no pain"), (10, "the worst pain you can imagine")),
                higher_is_better=False,
                not_applicable="not applicable: you were never in that situation",
            ),
            _named("ffi-pain", Subscale.PAIN, _FFI_PAIN),
        ),
        Section(
            Subscale.DISABILITY,
            "How hard was each of these for you, over the past week, because of your feet?",
            AnswerScale(
                0,
                10,
                ((0, "no difficulty"), (10, "so hard you needed help")),
                higher_is_better=False,
                not_applicable="not applicable: you never needed to do it",
            ),
            _items("ffi-disability", Subscale.DISABILITY, _FFI_DISABILITY),
        ),
        Section(
            Subscale.ACTIVITY_LIMITATION,
            "How much of the time, over the past week, did this happen because of your feet?",
            AnswerScale(
                0,
                10,
                ((0, "none of the time"), (10, "all of the time")),
                higher_is_better=False,
                not_applicable="not applicable: it does not apply to you",
            ),
            _items("ffi-activity", Subscale.ACTIVITY_LIMITATION, _FFI_ACTIVITY),
        ),
    ),
    source="Budiman-Mak E, Conrad KJ, Roach KE. J Clin Epidemiol 1991;44(6):561-570",
)

_FAAM_SCALE = AnswerScale(
    0,
    4,
    (
        (4, "no difficulty"),
        (3, "slight difficulty"),
        (2, "moderate difficulty"),
        (1, "extreme difficulty"),
        (0, "unable to do it"),
    ),
    higher_is_better=True,
    not_applicable="not applicable: something other than your foot or ankle limits it",
)

FAAM = Questionnaire(
    instrument=Instrument.FAAM,
    name="Foot and Ankle Ability Measure",
    period="the past week",
    sections=(
        Section(
            Subscale.ADL,
            "Over the past week, how hard was each everyday activity because of your foot "
            "or ankle?",
            _FAAM_SCALE,
            _items("faam-adl", Subscale.ADL, _FAAM_ADL),
        ),
        Section(
            Subscale.SPORTS,
            "Over the past week, how hard was each sports activity because of your foot or ankle?",
            _FAAM_SCALE,
            _items("faam-sports", Subscale.SPORTS, _FAAM_SPORTS),
        ),
    ),
    source="Martin RL, Irrgang JJ, Burdett RG, Conti SF, Van Swearingen JM. "
    "Foot Ankle Int 2005;26(11):968-983",
)

FIRST_STEP_ITEM = "ffi-pain-1"
"""The FFI item about pain on the first steps in the morning (item 2 of the published form)."""

ITEM_ORDER = 2
"""Which item order answers are written in, as backups record it: 1 was footcoach's first FFI
order (FFI_FIRST_ORDER), 2 the published form's. The FAAM's order is the same in both."""

FFI_FIRST_ORDER: tuple[str, ...] = (
    *(f"ffi-pain-{n}" for n in range(1, 10)),
    *(f"ffi-disability-{n}" for n in range(1, 10)),
    *(f"ffi-activity-{n}" for n in range(1, 6)),
)
"""The FFI item ids in the order footcoach first asked and stored them (until migration 0005):
first-step pain before worst pain, and each situation standing before walking. Stored answers
and older backups in this order are put in the published order by ffi_from_first_order."""


def ffi_from_first_order(answers: Sequence[int | None]) -> tuple[int | None, ...]:
    """23 FFI answers stored in footcoach's first order, in the order FFI.items asks them now.

    Only the pain items move, within their subscale, so every score stays the same."""
    if len(answers) != len(FFI_FIRST_ORDER):
        raise ValueError(f"{len(FFI_FIRST_ORDER)} FFI answers, not {len(answers)}")
    by_id = dict(zip(FFI_FIRST_ORDER, answers, strict=True))
    return tuple(by_id[item.id] for item in FFI.items)


def ffi_to_first_order(answers: Sequence[int | None]) -> tuple[int | None, ...]:
    """The reverse of ffi_from_first_order: answers in today's order, in footcoach's first."""
    if len(answers) != len(FFI.items):
        raise ValueError(f"{len(FFI.items)} FFI answers, not {len(answers)}")
    by_id = {item.id: answer for item, answer in zip(FFI.items, answers, strict=True)}
    return tuple(by_id[item_id] for item_id in FFI_FIRST_ORDER)


QUESTIONNAIRES: dict[Instrument, Questionnaire] = {Instrument.FFI: FFI, Instrument.FAAM: FAAM}


def questionnaire(instrument: Instrument) -> Questionnaire:
    return QUESTIONNAIRES[instrument]
