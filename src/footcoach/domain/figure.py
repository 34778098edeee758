"""How an exercise is drawn: the view, the posture, the props and a few key poses as angles.

A figure is data, read from the exercise's own file, so that one renderer can draw every
exercise the same way. Angles are whole degrees, measured the way a physiotherapist would:

- trunk: the trunk's lean from upright, added to the posture's own (lying is already flat on
  the back, a plank already face down); forward is positive.
- hip: flexion, the thigh against the line of the trunk (0 in line, 90 sitting).
- knee: flexion (0 straight).
- ankle: dorsiflexion from a right angle between shin and sole; pointing the foot is negative.
- big_toe and toes: the big toe and the four lesser toes apart, bent up (extension) positive,
  curled (flexion) negative, at the joints where they meet the foot.
- tips: the joints nearer the ends of the toes (all five together), bent up positive, curled
  negative; a toe-tip lift bends here, a toe lift keeps the toes straight.
- arch: how far the arch is lifted, 0 (resting) to 100 (the full short-foot dome).
- splay: how far the toes fan apart, in degrees (seen from above).
- other_hip, other_knee, other_ankle: the other leg; when absent it copies the working leg.
- wrist: the working wrist's bend (for the one arm stretch in the catalog).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class View(StrEnum):
    SIDE = "side"
    """The whole body from the side."""
    FOOT = "foot"
    """A close-up of the lower leg and foot from the side."""
    TOP = "top"
    """The foot from above (toe spreading)."""


class Posture(StrEnum):
    LYING = "lying"
    LONG_SITTING = "long_sitting"
    CHAIR = "chair"
    FLOOR = "floor"
    STANDING = "standing"
    STEP_EDGE = "step_edge"
    PLANK = "plank"


class WorkingFoot(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Hands(StrEnum):
    """Where the hands are; the renderer reaches the arms there."""

    REST = "rest"
    TOES = "toes"
    BALL = "ball"
    SOLE = "sole"
    CALF = "calf"
    STRAP = "strap"
    WALL = "wall"
    CHAIR = "chair"
    RAIL = "rail"
    FLOOR_BEHIND = "floor_behind"
    FLOOR_FRONT = "floor_front"
    SHINS = "shins"
    ARM_OUT = "arm_out"


class PropItem(StrEnum):
    TOWEL = "towel"
    BAND = "band"
    FOOT_TRAINER = "foot_trainer"
    BALL = "ball"
    GOLF_BALL = "golf_ball"
    STEP = "step"
    CHAIR = "chair"
    WALL = "wall"
    ICE_PACK = "ice_pack"
    BACKPACK = "backpack"
    PILLOW = "pillow"
    RAIL = "rail"


class PropPlace(StrEnum):
    """Where a prop touches the body or stands."""

    UNDER_TOES = "under_toes"
    TOE_BASE = "toe_base"
    TOE_TIPS = "toe_tips"
    BALL = "ball"
    ARCH = "arch"
    HEEL = "heel"
    FLOOR = "floor"
    BACK = "back"
    FRONT = "front"
    SEAT = "seat"


class Tissue(StrEnum):
    """What the exercise loads or stretches, marked on the drawing."""

    PLANTAR_FASCIA = "plantar_fascia"
    INTRINSIC = "intrinsic"
    CALF = "calf"
    SOLEUS = "soleus"
    ACHILLES = "achilles"
    SHIN = "shin"
    TOE_EXTENSORS = "toe_extensors"
    TOE_FLEXORS = "toe_flexors"
    HEEL = "heel"
    THIGH = "thigh"
    HAMSTRINGS = "hamstrings"
    HIPS = "hips"
    CORE = "core"
    FOREARM = "forearm"


class Mark(StrEnum):
    """A point of the body whose path from the start pose to the end pose the arrow shows."""

    TOES = "toes"
    BALL = "ball"
    HEEL = "heel"
    ANKLE = "ankle"
    KNEE = "knee"
    HIPS = "hips"
    SHOULDER = "shoulder"
    HAND = "hand"
    ARCH = "arch"


@dataclass(frozen=True, slots=True)
class Pose:
    trunk: int = 0
    hip: int = 0
    knee: int = 0
    ankle: int = 0
    big_toe: int = 0
    toes: int = 0
    tips: int = 0
    arch: int = 0
    splay: int = 0
    other_hip: int | None = None
    other_knee: int | None = None
    other_ankle: int | None = None
    hands: Hands = Hands.REST
    wrist: int = 0


@dataclass(frozen=True, slots=True)
class Prop:
    item: PropItem
    at: PropPlace


@dataclass(frozen=True, slots=True)
class Figure:
    """Everything the renderer needs; `middle`, when given, comes between start and end."""

    view: View
    posture: Posture
    foot: WorkingFoot
    props: tuple[Prop, ...]
    tissues: tuple[Tissue, ...]
    start: Pose
    end: Pose
    middle: Pose | None = None
    arrow: Mark | None = None

    @property
    def poses(self) -> tuple[Pose, ...]:
        """The key poses in the order the movement passes through them."""
        if self.middle is None:
            return (self.start, self.end)
        return (self.start, self.middle, self.end)
