"""Draws an exercise's figure as line-art SVG, from the angles in its catalog file.

The body is a chain of rigid parts (trunk, thighs, shins, feet, toes, arms), each drawn once in
its own coordinates and placed by a translation and a rotation. A pose gives the joint angles;
`_place` turns them into where each part sits. The animated drawing moves every part between the
key poses with CSS keyframes at the exercise's tempo; straps and bands, whose ends move apart,
are SMIL paths on the same clock. No script, nothing fetched.

Inside every SVG: `prefers-reduced-motion` hides the moving drawing and shows the start and end
poses side by side; `prefers-color-scheme: dark` swaps the colours. Coordinates are in units of
the viewBox, so the drawing scales from a thumbnail to a full-width phone view; strokes keep
their width on screen (`vector-effect: non-scaling-stroke`).

Angles follow domain.figure. Internally a direction is an angle from straight down, turning
towards the front (the way the figure faces) as it grows, in degrees.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from html import escape

from footcoach.domain.catalog import Exercise, Tempo
from footcoach.domain.figure import (
    Figure,
    Hands,
    Mark,
    Pose,
    Posture,
    PropItem,
    PropPlace,
    Tissue,
    View,
    WorkingFoot,
)

Point = tuple[float, float]
DEGREE = math.pi / 180

TRUNK = 78.0
THIGH = 66.0
SHANK = 62.0
UPPER_ARM = 40.0
FOREARM = 36.0
MTP = (29.0, 4.0)
"""Where the toes join the foot, in the foot's own coordinates (x to the toes, y to the sole)."""
BIG_TIP = 7.0
TOE_TIP = 5.5
"""Where the joint nearer the end of the big toe and of the lesser toes sits along each toe."""
REST_S = 1
"""The pause at the start pose before the next repetition."""

BASE_LEAN = {
    Posture.LYING: -90,
    Posture.PLANK: 90,
}
"""The trunk's lean that a posture already has before the pose adds its own."""

# Parts, each in its own coordinates: x runs from the proximal joint to the distal one; y is the
# back of the limb (the sole, for the foot and toes; the front, for the trunk).
SHAPES: dict[str, str] = {
    "trunk": "M-4-14C-10 0-6 12 2 15L40 13C52 13 62 15 70 12L74 0C74-8 70-12 64-12"
    "L40-10C24-11 10-17-4-14ZM84 0a11 11 0 1 0 22 0a11 11 0 1 0-22 0",
    "thigh": "M-8-2C-8-10 0-11 10-10L62-6C70-6 71 6 62 7L10 10C0 11-8 8-8-2Z",
    "shank": "M-3-6C0-8 20-7 58-5L60 6 44 7C28 13 12 13 0 8-5 5-5-3-3-6Z",
    "foot": "M6-8C10-4 18-1 27 0C32 2 33 10 26 11Q12 {a} -3 11C-10 11-13 7-12 1C-11-4-9-7-7-11",
    "big_toe": "M-3-4L10-4C15-4 15 5 10 5L-2 6M6-2.6Q9-3.4 11-1.6",
    "toes": "M-3-3L8-2C12-2 12 4 8 5L-2 5",
    # toes in two parts, for figures whose toe tips bend on their own (`tips`)
    "big_base": "M-3-4L7-4C10.5-4 10.5 5 7 5L-2 6",
    "big_tip": "M0-4L3-4C8-4 8 5 3 5L0 5C-4 5-4-4 0-4ZM0-2.6Q3-3.4 5-1.6",
    "toes_base": "M-3-3L5.5-2.5C8.5-2.5 8.5 4.5 5.5 4.5L-2 5",
    "toe_tip": "M0-3L2-3C6-3 6 4 2 4L0 4C-3.5 4-3.5-3 0-3Z",
    "upper_arm": "M-5-4L36-3C41-3 41 4 36 4L-5 5C-8 5-8-4-5-4Z",
    "forearm": "M-4-3L32-3C37-3 37 4 32 4L-4 4C-7 4-7-3-4-3Z",
    "hand": "M-2-5L13-5C21-5 21 5 13 5L-2 5M3 4L10 9",
}
"""The foot's `{a}` is the height of the arch's curve under the sole (lower is higher)."""

TISSUE_MARKS: dict[Tissue, tuple[str, str]] = {
    Tissue.PLANTAR_FASCIA: ("foot", "M-6 10Q12 {a} 26 10"),
    Tissue.INTRINSIC: ("foot", "M2 6Q12 3 22 6"),
    Tissue.HEEL: ("foot", "M-11 5Q-10 11-3 11"),
    Tissue.CALF: ("shank", "M4 10C14 15 28 13 40 8"),
    Tissue.SOLEUS: ("shank", "M28 10C36 10 44 8 54 7"),
    Tissue.ACHILLES: ("shank", "M46 7L61 7"),
    Tissue.SHIN: ("shank", "M8-8L54-6"),
    Tissue.TOE_EXTENSORS: ("foot", "M10-8C16-5 21-3.5 28-3"),
    Tissue.TOE_FLEXORS: ("big_toe", "M0 8L7 7.5"),
    Tissue.THIGH: ("thigh", "M4-12L58-8"),
    Tissue.HAMSTRINGS: ("thigh", "M4 12L58 9"),
    Tissue.HIPS: ("trunk", "M-6-16C4-20 14-16 18-13"),
    Tissue.CORE: ("trunk", "M14 16L48 14"),
    Tissue.FOREARM: ("forearm", "M2-5L30-5"),
}

STYLE = (
    "svg{{--i:#1f2933;--f:#f3f5f7;--m:#8794a1;--t:#d9480f;--a:#0b5cad;--p:#e4e8ec}}"
    "@media(prefers-color-scheme:dark){{svg{{--i:#e6edf3;--f:#2a323b;--m:#7c8894;"
    "--t:#ff8f5e;--a:#74b9ff;--p:#3a444f}}}}"
    "path,line,circle,rect,ellipse{{vector-effect:non-scaling-stroke;stroke-linejoin:round;"
    "stroke-linecap:round}}"
    ".b{{fill:var(--f);stroke:var(--i);stroke-width:1.6}}"
    ".o .b{{stroke:var(--m)}}"
    ".o{{opacity:.85}}"
    ".t{{fill:none;stroke:var(--t);stroke-width:4;opacity:.75}}"
    ".r{{fill:var(--p);stroke:var(--m);stroke-width:1.4}}"
    ".s{{fill:none;stroke:var(--m);stroke-width:2.2}}"
    ".w{{fill:none;stroke:var(--a);stroke-width:2}}"
    ".h{{fill:var(--a)}}"
    ".z{{fill:var(--p);opacity:.35}}"
    ".k{{fill:var(--m);stroke:var(--i);stroke-width:1.2}}"
    ".g{{fill:none;stroke:var(--m);stroke-width:1.2}}"
    ".l{{fill:var(--i);font:600 {font}px sans-serif;text-anchor:middle}}"
    "{anim}"
)


def _f(value: float) -> str:
    """A coordinate to one decimal, without a trailing '.0'."""
    tenths = round(value * 10)
    if tenths % 10 == 0:
        return str(tenths // 10)
    return f"{tenths / 10:.1f}"


def _dir(angle: float) -> Point:
    rad = angle * DEGREE
    return (math.sin(rad), math.cos(rad))


def _along(origin: Point, angle: float, length: float) -> Point:
    rad = angle * DEGREE
    return (origin[0] + math.sin(rad) * length, origin[1] + math.cos(rad) * length)


def _local(origin: Point, angle: float, x: float, y: float) -> Point:
    """A point given in a part's own coordinates, in the drawing's (y turned 90° from x)."""
    rad = angle * DEGREE
    sin, cos = math.sin(rad), math.cos(rad)
    return (origin[0] + sin * x - cos * y, origin[1] + cos * x + sin * y)


@dataclass(frozen=True, slots=True)
class Placed:
    """Where a part sits: its origin and the SVG rotation of its own x axis."""

    x: float
    y: float
    turn: float


@dataclass(frozen=True, slots=True)
class Layout:
    parts: dict[str, Placed]
    points: dict[str, Point]


def _blend(a: Pose, b: Pose, share: float) -> Pose:
    """The pose a share of the way from a to b (angles by straight lines)."""

    def mix(x: int | None, y: int | None, fallback_x: int, fallback_y: int) -> int:
        xa = fallback_x if x is None else x
        yb = fallback_y if y is None else y
        return round(xa + (yb - xa) * share)

    return replace(
        a,
        trunk=mix(a.trunk, b.trunk, 0, 0),
        hip=mix(a.hip, b.hip, 0, 0),
        knee=mix(a.knee, b.knee, 0, 0),
        ankle=mix(a.ankle, b.ankle, 0, 0),
        big_toe=mix(a.big_toe, b.big_toe, 0, 0),
        toes=mix(a.toes, b.toes, 0, 0),
        tips=mix(a.tips, b.tips, 0, 0),
        arch=mix(a.arch, b.arch, 0, 0),
        splay=mix(a.splay, b.splay, 0, 0),
        other_hip=mix(a.other_hip, b.other_hip, a.hip, b.hip),
        other_knee=mix(a.other_knee, b.other_knee, a.knee, b.knee),
        other_ankle=mix(a.other_ankle, b.other_ankle, a.ankle, b.ankle),
        hands=a.hands if share < 0.5 else b.hands,
        wrist=mix(a.wrist, b.wrist, 0, 0),
    )


def _leg(
    parts: dict[str, Placed],
    points: dict[str, Point],
    prefix: str,
    hip_at: Point,
    lean: float,
    hip: float,
    knee: float,
    ankle: float,
    big_toe: float,
    toes: float,
    tips: float,
) -> None:
    thigh = -lean + hip
    shank = thigh - knee
    foot = shank + 90 + ankle
    knee_at = _along(hip_at, thigh, THIGH)
    ankle_at = _along(knee_at, shank, SHANK)
    mtp = _local(ankle_at, foot, *MTP)
    lesser = _local(ankle_at, foot, MTP[0] - 1, MTP[1] - 1)
    tip_at = _local(mtp, foot + big_toe, BIG_TIP, 0)
    tip = foot + big_toe + tips
    for name, origin, angle in (
        ("thigh", hip_at, thigh),
        ("shank", knee_at, shank),
        ("foot", ankle_at, foot),
        ("toes", lesser, foot + toes),
        ("toe_tip", _local(lesser, foot + toes, TOE_TIP, 0), foot + toes + tips),
        ("big_toe", mtp, foot + big_toe),
        ("big_tip", tip_at, tip),
    ):
        parts[prefix + name] = Placed(origin[0], origin[1], 90 - angle)
    points[prefix + "knee"] = knee_at
    points[prefix + "ankle"] = ankle_at
    points[prefix + "heel"] = _local(ankle_at, foot, -8, 11)
    points[prefix + "ball"] = _local(ankle_at, foot, MTP[0], 11)
    points[prefix + "arch"] = _local(ankle_at, foot, 12, 10)
    points[prefix + "sole"] = _local(ankle_at, foot, 10, 13)
    points[prefix + "mtp"] = mtp
    points[prefix + "toes"] = _local(tip_at, tip, 6, 0)
    points[prefix + "toe_top"] = _local(mtp, foot + big_toe, 6, -6)
    points[prefix + "toe_base"] = _local(mtp, foot + big_toe, 2, -5)
    points[prefix + "toe_tips"] = _local(tip_at, tip, 4, -4)
    points[prefix + "toe_under"] = _local(tip_at, tip, 1, 6)
    points[prefix + "calf"] = _local(knee_at, shank, 26, 14)
    points[prefix + "shin"] = _local(knee_at, shank, 44, -8)
    points[prefix + "thigh_top"] = _local(hip_at, thigh, 40, -12)


def _arm(
    parts: dict[str, Placed], prefix: str, shoulder: Point, target: Point, wrist: float
) -> Point:
    """Reaches the wrist to the target (elbow below the line), or points at it when too far."""
    dx, dy = target[0] - shoulder[0], target[1] - shoulder[1]
    dist = math.hypot(dx, dy) or 1.0
    to_target = math.degrees(math.atan2(dx, dy))
    reach = UPPER_ARM + FOREARM
    if dist >= reach - 0.5:
        upper = fore = to_target
    else:
        cos_a = (UPPER_ARM**2 + dist**2 - FOREARM**2) / (2 * UPPER_ARM * dist)
        bend = math.degrees(math.acos(max(-1.0, min(1.0, cos_a))))
        # of the two elbows, the lower one (larger y)
        options = [to_target + bend, to_target - bend]
        upper = max(options, key=lambda a: _along(shoulder, a, UPPER_ARM)[1])
        elbow = _along(shoulder, upper, UPPER_ARM)
        fore = math.degrees(math.atan2(target[0] - elbow[0], target[1] - elbow[1]))
    elbow = _along(shoulder, upper, UPPER_ARM)
    hand_at = _along(elbow, fore, FOREARM)
    parts[prefix + "upper_arm"] = Placed(shoulder[0], shoulder[1], 90 - upper)
    parts[prefix + "forearm"] = Placed(elbow[0], elbow[1], 90 - fore)
    parts[prefix + "hand"] = Placed(hand_at[0], hand_at[1], 90 - fore - wrist)
    return _along(hand_at, fore - wrist, 12)


def _body(fig: Figure, pose: Pose) -> Layout:
    """Every part for one pose, with the pelvis at the origin (before anchoring)."""
    parts: dict[str, Placed] = {}
    points: dict[str, Point] = {}
    lean = BASE_LEAN.get(fig.posture, 0) + pose.trunk
    trunk = 180 - lean
    pelvis = (0.0, 0.0)
    parts["trunk"] = Placed(0, 0, 90 - trunk)
    shoulder = _along(pelvis, trunk, TRUNK - 6)
    points["hips"] = pelvis
    points["shoulder"] = shoulder
    _leg(
        parts,
        points,
        "o_",
        pelvis,
        lean,
        pose.hip if pose.other_hip is None else pose.other_hip,
        pose.knee if pose.other_knee is None else pose.other_knee,
        pose.ankle if pose.other_ankle is None else pose.other_ankle,
        0 if pose.other_ankle is not None else pose.big_toe,
        0 if pose.other_ankle is not None else pose.toes,
        0 if pose.other_ankle is not None else pose.tips,
    )
    _leg(
        parts,
        points,
        "",
        pelvis,
        lean,
        pose.hip,
        pose.knee,
        pose.ankle,
        pose.big_toe,
        pose.toes,
        pose.tips,
    )
    return Layout(parts, points)


def _shift(layout: Layout, dx: float, dy: float) -> Layout:
    return Layout(
        {k: Placed(p.x + dx, p.y + dy, p.turn) for k, p in layout.parts.items()},
        {k: (p[0] + dx, p[1] + dy) for k, p in layout.points.items()},
    )


@dataclass(frozen=True, slots=True)
class Fixtures:
    """What stays put while the body moves: floor, wall, chair, step, anchors for bands."""

    floor: float
    wall: float
    support: Point
    ball_at_start: Point
    toes_at_start: Point
    arch_at_start: Point
    heel_at_start: Point
    calf_at_start: Point
    foot_turn: float


STANDS = (Posture.STANDING, Posture.STEP_EDGE, Posture.PLANK)


def _contact(layout: Layout, fig: Figure) -> tuple[str, Point]:
    """The lowest of the working foot's heel, ball and toe tip: the point carrying the weight.

    On a step's edge it is always the ball: the heel hangs free below the step.
    """
    if fig.posture is Posture.STEP_EDGE:
        return "ball", layout.points["ball"]
    names = ("heel", "ball", "toes")
    name = max(names, key=lambda n: layout.points[n][1] + (0.01 if n == "ball" else 0))
    return name, layout.points[name]


def _fixtures(fig: Figure, start: Layout) -> Fixtures:
    p = start.points
    feet = [p[n][1] for n in ("heel", "ball", "o_heel", "o_ball")]
    if fig.posture in (Posture.LYING, Posture.LONG_SITTING, Posture.FLOOR):
        floor = 15.0
    else:
        floor = max(feet)
    at_toes = any(q.item is PropItem.WALL and q.at is PropPlace.TOE_TIPS for q in fig.props)
    wall_x = p["shoulder"][0] + 62 if not at_toes else p["toes"][0] + 1.5
    return Fixtures(
        floor=floor,
        wall=wall_x,
        support=_contact(start, fig)[1],
        ball_at_start=p["ball"],
        toes_at_start=p["toes"],
        arch_at_start=p["arch"],
        heel_at_start=p["heel"],
        calf_at_start=p["calf"],
        foot_turn=start.parts["foot"].turn,
    )


def _hand_target(fig: Figure, pose: Pose, lay: Layout, fx: Fixtures, far: bool) -> Point:
    p = lay.points
    sx, sy = p["shoulder"]
    hx, hy = p["hips"]
    side = -4.0 if far else 0.0
    hands = pose.hands
    if hands is Hands.REST:
        if fig.posture is Posture.CHAIR:
            return (p["knee"][0] - 22 + side, p["knee"][1] - 10)
        if fig.posture in (Posture.LONG_SITTING, Posture.FLOOR):
            return (hx - 14 + side, fx.floor - 2)
        if fig.posture is Posture.LYING:
            # along the body, just out of reach, so the arm lies straight
            return (sx + (hx - sx) * 1.15 + side, sy + (hy - sy) * 1.15 + 4)
        return (sx + 4 + side, sy + 70)
    named: dict[Hands, Point] = {
        Hands.TOES: p["toe_top"],
        Hands.BALL: p["ball"],
        Hands.SOLE: p["sole"],
        Hands.CALF: p["calf"],
        Hands.SHINS: p["shin"],
    }
    if hands in named:
        x, y = named[hands]
        return (x + side, y + (6 if far else 0))
    if hands is Hands.STRAP:
        return (sx + (p["toes"][0] - sx) * 0.35 + side, sy + 18)
    if hands is Hands.WALL:
        return (fx.wall, sy + (4 if far else 0))
    if hands in (Hands.CHAIR, Hands.RAIL):
        return (fx.support[0] + 40 + side, fx.floor - 125)
    if hands is Hands.FLOOR_BEHIND:
        return (hx - 28 + side, fx.floor)
    if hands is Hands.FLOOR_FRONT:
        return (sx + 2 + side, fx.floor)
    # ARM_OUT: the working arm straight ahead; the other hand comes to its fingers
    return (sx + 70, sy + 2) if far else (sx + 76, sy + 16)


def _layout(fig: Figure, pose: Pose, fx: Fixtures | None) -> Layout:
    lay = _body(fig, pose)
    if fx is not None and fig.posture in STANDS:
        name, at = _contact(lay, fig)
        start_at = _start_point(fx, name)
        lay = _shift(lay, start_at[0] - at[0], fx.floor - at[1])
    return lay


def _start_point(fx: Fixtures, name: str) -> Point:
    if name == "heel":
        return fx.heel_at_start
    if name == "toes":
        return fx.toes_at_start
    return fx.ball_at_start


def _with_arms(fig: Figure, pose: Pose, lay: Layout, fx: Fixtures) -> Layout:
    parts = dict(lay.parts)
    points = dict(lay.points)
    shoulder = points["shoulder"]
    points["o_hand"] = _arm(parts, "o_", shoulder, _hand_target(fig, pose, lay, fx, True), 0)
    wrist = pose.wrist if pose.hands is Hands.ARM_OUT else 0
    points["hand"] = _arm(parts, "", shoulder, _hand_target(fig, pose, lay, fx, False), 0)
    if fig.view is View.FOOT:
        # the close-up shows the hands only: each lies on its spot, coming from the shoulder
        for prefix, far in (("o_", True), ("", False)):
            tx, ty = _hand_target(fig, pose, lay, fx, far)
            angle = math.degrees(math.atan2(tx - shoulder[0], ty - shoulder[1]))
            tx, ty = _along((tx, ty), angle, -8)
            parts[prefix + "hand"] = Placed(tx, ty, 90 - angle)
            points[prefix + "hand"] = (tx, ty)
    if pose.hands is Hands.ARM_OUT:
        points["o_hand"] = _arm(parts, "o_", shoulder, (shoulder[0] + 78, shoulder[1]), wrist)
        tip = points["o_hand"]
        points["hand"] = _arm(parts, "", shoulder, (tip[0] - 4, tip[1] - 4), 0)
    return Layout(parts, points)


def _stand(fig: Figure) -> Fixtures:
    start = _body(fig, fig.start)
    fx = _fixtures(fig, start)
    if fig.posture not in STANDS:
        return fx
    # the floor runs under the standing foot: the first layout's contact point defines it
    support = _contact(start, fig)[1]
    return replace(fx, support=support, floor=support[1])


def _frames(fig: Figure, fx: Fixtures, poses: Sequence[Pose]) -> list[Layout]:
    """The layout of each pose; a pose that comes back is laid out once."""
    done: dict[Pose, Layout] = {}
    out: list[Layout] = []
    for p in poses:
        lay = done.get(p)
        if lay is None:
            lay = done[p] = _with_arms(fig, p, _layout(fig, p, fx), fx)
        out.append(lay)
    return out


# Drawing -----------------------------------------------------------------------------------

NEAR = ("thigh", "shank", "foot", "toes", "big_toe")
ARM = ("upper_arm", "forearm", "hand")


def _split(fig: Figure) -> bool:
    """Whether the toes are drawn in two parts: when a pose bends the joints near their ends."""
    return any(p.tips for p in fig.poses)


def _order(fig: Figure) -> list[str]:
    """The parts to draw, farthest first; the close-up leaves out what is off the picture."""
    near: tuple[str, ...] = NEAR
    if _split(fig):
        near = ("thigh", "shank", "foot", "toes", "toe_tip", "big_toe", "big_tip")
    if fig.view is View.FOOT:
        if all(p.hands is Hands.REST for p in fig.poses):
            return [*near[1:]]
        return ["o_hand", *near[1:], "hand"]
    far_leg = [f"o_{n}" for n in NEAR]
    far_arm = [f"o_{n}" for n in ARM]
    return [*far_arm, *far_leg, "trunk", *near, *ARM]


def _arch_y(arch: int) -> float:
    """The control point of the curve under the sole: the higher the arch, the higher it goes."""
    return 4 - arch * 0.13


def _shape(name: str, fig: Figure, arch: int) -> str:
    base = name.removeprefix("o_")
    if _split(fig) and base in ("big_toe", "toes") and not name.startswith("o_"):
        base = {"big_toe": "big_base", "toes": "toes_base"}[base]
    path = SHAPES[base]
    if base == "foot":
        path = path.replace("{a}", _f(_arch_y(arch)))
    return path


def _part_defs(fig: Figure, arches: Sequence[int]) -> str:
    """Each part once, with the tissue marks that ride on it."""
    out: list[str] = []
    marks: dict[str, list[str]] = {}
    for tissue in fig.tissues:
        part, path = TISSUE_MARKS[tissue]
        marks.setdefault(part, []).append(path)
    for name in _order(fig):
        base = name.removeprefix("o_")
        if base == "foot":
            continue
        inner = f'<path class="b" d="{_shape(name, fig, 0)}"/>'
        if not name.startswith("o_") and base in marks:
            inner += "".join(f'<path class="t" d="{m}"/>' for m in marks[base])
        out.append(f'<g id="{name}">{inner}</g>')
    for name in ("o_foot", "foot"):
        if name not in _order(fig):
            continue
        for i, arch in enumerate(dict.fromkeys(arches)):
            inner = f'<path class="b" d="{_shape(name, fig, arch)}"/>'
            inner += '<path class="g" d="M-9 6Q-6 4-2 8"/>'
            if name == "foot":
                for m in marks.get("foot", []):
                    inner += f'<path class="t" d="{m.replace("{a}", _f(_arch_y(arch)))}"/>'
            out.append(f'<g id="{name}{i}">{inner}</g>')
    return "".join(out)


def _transform(p: Placed) -> str:
    return f"translate({_f(p.x)} {_f(p.y)}) rotate({_f(p.turn)})"


def _css_transform(p: Placed) -> str:
    return f"translate({_f(p.x)}px,{_f(p.y)}px) rotate({_f(p.turn)}deg)"


def _unwrap(turns: list[float]) -> list[float]:
    out = [turns[0]]
    for t in turns[1:]:
        prev = out[-1]
        t += 360 * round((prev - t) / 360)
        out.append(t)
    return out


@dataclass(frozen=True, slots=True)
class Timeline:
    """Key poses and when (as a share of one repetition) each is reached."""

    times: list[float]
    poses: list[Pose]
    seconds: float


def _timeline(fig: Figure, tempo: Tempo) -> Timeline:
    up, hold, down = max(tempo.up_s, 1), tempo.hold_s, max(tempo.down_s, 1)
    total = up + hold + down + REST_S
    start, end = fig.start, fig.end
    seq: list[tuple[float, Pose]] = [(0.0, start)]
    if fig.middle is not None:
        seq += [(up / 2, fig.middle), (up, end)]
    else:
        seq += [(up / 2, _blend(start, end, 0.5)), (up, end)]
    if hold:
        seq.append((up + hold, end))
    seq += [(up + hold + down / 2, _blend(end, start, 0.5)), (up + hold + down, start)]
    seq.append((float(total), start))
    return Timeline([t / total for t, _ in seq], [p for _, p in seq], float(total))


def tempo_of(ex: Exercise) -> Tempo:
    """The exercise's tempo; else 2 s up, its hold (at most 5 s, so it keeps moving), 2 s down."""
    if ex.dose.tempo is not None:
        return ex.dose.tempo
    return Tempo(up_s=2, hold_s=min(max(ex.dose.hold_s, 1), 5), down_s=2)


@dataclass(frozen=True, slots=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def grow(self, pad: float) -> Box:
        return Box(self.x0 - pad, self.y0 - pad, self.x1 + pad, self.y1 + pad)

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0


def _box(fig: Figure, layouts: Sequence[Layout], fx: Fixtures) -> Box:
    xs: list[float] = []
    ys: list[float] = []
    keep = set(_order(fig))
    for lay in layouts:
        for name, part in lay.parts.items():
            if name not in keep:
                continue
            reach = {"trunk": TRUNK + 28, "thigh": THIGH, "shank": SHANK, "foot": 30.0}
            length = reach.get(name.removeprefix("o_"), 12.0)
            for x in (-8.0, length):
                for y in (-12.0, 12.0):
                    px, py = _local((part.x, part.y), 90 - part.turn, x, y)
                    xs.append(px)
                    ys.append(py)
    if fig.view is View.FOOT:
        # the close-up shows the lower half of the shin and the foot
        names = ("ankle", "heel", "toes", "ball", "toe_top")
        xs = [lay.points[n][0] for lay in layouts for n in names]
        ys = [lay.points[n][1] for lay in layouts for n in names]
        box = Box(min(xs), min(ys), max(xs), max(ys)).grow(22)
        if any(p.item is PropItem.TOWEL and p.at is PropPlace.FLOOR for p in fig.props):
            box = Box(box.x0, box.y0, max(box.x1, fx.toes_at_start[0] + 66), box.y1)
    else:
        box = Box(min(xs), min(ys), max(xs), max(ys, default=0.0))
        if fig.posture not in (Posture.LYING,):
            box = Box(box.x0, box.y0, box.x1, max(box.y1, fx.floor + 4))
        if any(p.item is PropItem.STEP for p in fig.props):
            box = Box(box.x0, box.y0, box.x1, max(box.y1, fx.floor + 30))
        if any(p.item is PropItem.WALL for p in fig.props):
            box = Box(box.x0, box.y0, max(box.x1, fx.wall + 6), box.y1)
        box = box.grow(6)
    # never narrower than two thirds of its height, nor flatter than twice as wide as high
    if box.w < box.h * 0.66:
        extra = (box.h * 0.66 - box.w) / 2
        box = Box(box.x0 - extra, box.y0, box.x1 + extra, box.y1)
    if box.w > box.h * 2:
        extra = box.w / 2 - box.h
        box = Box(box.x0, box.y0 - extra * 0.7, box.x1, box.y1 + extra * 0.3)
    return box


# Props: fixed ones are drawn once; those fastened to a part ride with it --------------------


def _fixed_props(fig: Figure, fx: Fixtures, box: Box, first: Layout) -> str:
    out: list[str] = []
    floor_y = fx.floor
    items = {p.item: p.at for p in fig.props}
    on_floor = fig.posture in STANDS or (fig.posture is Posture.CHAIR and fig.start.knee >= 60)
    if fig.view is View.FOOT and on_floor and PropItem.STEP not in items:
        out.append(f'<path class="s" d="M{_f(box.x0)} {_f(floor_y)}H{_f(box.x1)}"/>')
    if fig.view is not View.FOOT and PropItem.STEP not in items:
        out.append(f'<path class="s" d="M{_f(box.x0)} {_f(floor_y)}H{_f(box.x1)}"/>')
    if fig.posture is Posture.CHAIR and fig.view is not View.FOOT:
        hx, hy = first.points["hips"]
        seat = hy + 14
        out.append(
            f'<path class="r" d="M{_f(hx - 24)} {_f(seat)}h58v5h-58z"/>'
            f'<path class="s" d="M{_f(hx - 22)} {_f(seat - 70)}V{_f(floor_y)}'
            f'M{_f(hx + 30)} {_f(seat + 5)}V{_f(floor_y)}"/>'
        )
    for item, at in items.items():
        if item is PropItem.WALL:
            out.append(f'<path class="s" d="M{_f(fx.wall)} {_f(box.y0)}V{_f(floor_y)}"/>')
        elif item is PropItem.STEP:
            sx = fx.support[0] - 7
            out.append(
                f'<path class="r" d="M{_f(sx)} {_f(floor_y)}h70v26h-70z"/>'
                f'<path class="s" d="M{_f(box.x0)} {_f(floor_y + 26)}H{_f(box.x1)}"/>'
            )
        elif item is PropItem.CHAIR and fig.posture is not Posture.CHAIR:
            cx = fx.support[0] + 42
            top = floor_y - 125
            out.append(
                f'<path class="s" d="M{_f(cx)} {_f(top)}V{_f(floor_y)}'
                f'M{_f(cx)} {_f(floor_y - 62)}h40V{_f(floor_y)}"/>'
            )
        elif item is PropItem.RAIL:
            rx = fx.support[0] + 42
            out.append(f'<path class="s" d="M{_f(rx)} {_f(floor_y - 135)}V{_f(floor_y)}"/>')
        elif item in (PropItem.BALL, PropItem.GOLF_BALL):
            r = 8 if item is PropItem.BALL else 4.5
            ax = fx.arch_at_start[0]
            out.append(f'<circle class="r" cx="{_f(ax)}" cy="{_f(floor_y - r)}" r="{_f(r)}"/>')
        elif item is PropItem.TOWEL and at is PropPlace.UNDER_TOES:
            tx = _local(fx.toes_at_start, 90 - fx.foot_turn, -5, 0)[0]
            out.append(f'<circle class="r" cx="{_f(tx)}" cy="{_f(floor_y - 5)}" r="5"/>')
        elif item is PropItem.PILLOW:
            cx, cy = fx.heel_at_start
            out.append(f'<ellipse class="r" cx="{_f(cx - 6)}" cy="{_f(cy + 7)}" rx="26" ry="7"/>')
    return "".join(out)


def _towel_share(fig: Figure, pose: Pose) -> float:
    """How far the toes have curled from the start pose towards the end pose, 0 to 1."""

    def curl(p: Pose) -> int:
        return p.big_toe + p.toes + p.tips

    span = curl(fig.end) - curl(fig.start)
    if span == 0:
        return 0.0
    return max(0.0, min(1.0, (curl(pose) - curl(fig.start)) / span))


def _floor_towel(fig: Figure, fx: Fixtures, share: float) -> str:
    """A towel flat on the floor under the feet, gathered into folds as the toes pull it in.

    Every share draws the same commands, so the animation can move between them.
    """
    if not any(p.item is PropItem.TOWEL and p.at is PropPlace.FLOOR for p in fig.props):
        return ""
    hx = fx.heel_at_start[0] - 10
    tx = fx.toes_at_start[0]
    rise = 2 + 20 * share
    width = 9 - 2 * share
    start = tx + 1 - 3 * share
    far = start + 3 * width + 34 - 22 * share
    folds = "".join(f"q{_f(width / 2)}-{_f(rise * (1 - 0.25 * i))} {_f(width)} 0" for i in range(3))
    return f"M{_f(hx)} {_f(fx.floor)}H{_f(start)}{folds}H{_f(far)}v2H{_f(hx)}z"


def _riding_props(fig: Figure) -> dict[str, str]:
    """Props fastened to a part, drawn in that part's coordinates.

    A band or a trainer's pad at the tips of the toes rides on the end of the big toe, at its
    base on the part nearest the foot, so the two read apart even when the toes move alike.
    """
    extra: dict[str, str] = {}
    split = _split(fig)
    for prop in fig.props:
        at_tip = prop.at is PropPlace.TOE_TIPS
        part = "big_tip" if at_tip and split else "big_toe"
        x = 0.0 if part == "big_tip" else (7.0 if at_tip else -0.5)
        if prop.item is PropItem.BAND and prop.at in (PropPlace.TOE_BASE, PropPlace.TOE_TIPS):
            extra[part] = extra.get(part, "") + (
                f'<ellipse class="s" cx="{_f(x + 3)}" cy="0.5" rx="2.6" ry="6.5"/>'
            )
        elif prop.item is PropItem.FOOT_TRAINER:
            extra[part] = extra.get(part, "") + (
                f'<rect class="k" x="{_f(x - 1)}" y="-11" width="8" height="6.5" rx="3"/>'
            )
            extra["foot"] = extra.get("foot", "") + '<path class="s" d="M-10 15H42V-8"/>'
        elif prop.item is PropItem.ICE_PACK:
            extra["foot"] = extra.get("foot", "") + (
                '<rect class="r" x="-12" y="11" width="22" height="7" rx="3"/>'
            )
        elif prop.item is PropItem.BACKPACK:
            extra["trunk"] = extra.get("trunk", "") + (
                '<rect class="r" x="22" y="-30" width="40" height="18" rx="5"/>'
            )
    return extra


def _strap_ends(fig: Figure) -> list[tuple[str, Callable[[Layout], Point]]]:
    """Lines whose ends move apart: a towel or band held in the hands, a band to its anchor."""
    ends: list[tuple[str, Callable[[Layout], Point]]] = []
    for prop in fig.props:
        if prop.item in (PropItem.TOWEL, PropItem.BAND) and fig.start.hands is Hands.STRAP:
            spot = {PropPlace.BALL: "ball", PropPlace.TOE_TIPS: "toe_under"}.get(
                prop.at, "toe_under"
            )
            ends.append((spot, lambda lay: lay.points["hand"]))
        elif prop.item is PropItem.BAND:
            spot = "toe_tips" if prop.at is PropPlace.TOE_TIPS else "toe_base"
            ends.append(
                (spot, lambda lay: (lay.points["ankle"][0] + 74, lay.points["ankle"][1] + 4))
            )
        elif prop.item is PropItem.FOOT_TRAINER:
            spot = "toe_tips" if prop.at is PropPlace.TOE_TIPS else "toe_base"
            ends.append(
                (
                    spot,
                    lambda lay: _local(
                        (lay.parts["foot"].x, lay.parts["foot"].y),
                        90 - lay.parts["foot"].turn,
                        42,
                        -8,
                    ),
                )
            )
    return ends


def _band_anchor(lay: Layout) -> Point:
    """Where a band over the toes is tied: ahead of the foot, at the height of the ankle."""
    return (lay.points["ankle"][0] + 74, lay.points["ankle"][1] + 4)


def _strap_path(lay: Layout, spot: str, other: Callable[[Layout], Point]) -> str:
    ax, ay = lay.points[spot]
    bx, by = other(lay)
    return f"M{_f(ax)} {_f(ay)}L{_f(bx)} {_f(by)}"


PIVOTS: dict[Mark, tuple[str, ...]] = {
    Mark.TOES: ("mtp", "ankle", "knee", "hips"),
    Mark.BALL: ("ankle", "heel", "knee", "hips"),
    Mark.HEEL: ("ankle", "ball", "toes", "knee", "hips"),
    Mark.ANKLE: ("knee", "hips"),
    Mark.KNEE: ("hips", "ankle", "ball"),
    Mark.HIPS: ("knee", "ankle", "ball"),
    Mark.SHOULDER: ("hips", "ankle", "ball"),
    Mark.HAND: (),
}
"""The joints a marked point may turn about, nearest first: the arrow curves around the first
one that stays put between the start and the end pose."""

BONES: tuple[tuple[str, str, float], ...] = (
    ("shoulder", "hips", 15.0),
    ("hips", "knee", 10.0),
    ("knee", "ankle", 8.0),
    ("ankle", "heel", 6.0),
    ("heel", "ball", 5.0),
    ("ankle", "mtp", 8.0),
    ("mtp", "toes", 5.0),
    ("shoulder", "hand", 5.0),
)
"""The body as segments with their half-widths, which an arrow must keep clear of."""
CLEAR = 3.0
"""The gap, in body units, an arrow leaves between itself and the body."""


def _bones(fig: Figure, lays: Sequence[Layout]) -> list[tuple[Point, Point, float]]:
    shown = set(_order(fig))
    out: list[tuple[Point, Point, float]] = []
    for lay in lays:
        p = lay.points
        for prefix in ("", "o_"):
            for a, b, width in BONES:
                if a == "shoulder" and fig.view is View.FOOT:
                    continue
                if prefix and a in ("shoulder", "hips") and b != "hand":
                    continue
                if prefix + a in p and prefix + b in p:
                    out.append((p[prefix + a], p[prefix + b], width))
        if "hand" in shown and fig.view is View.FOOT:
            out.append((p["hand"], p["hand"], 6.0))
            out.append((p["o_hand"], p["o_hand"], 6.0))
    return out


def _gap(
    points: Sequence[Point],
    bones: Sequence[tuple[Point, Point, float]],
    enough: float = -math.inf,
) -> float:
    """How far the nearest of the points lies outside the body (negative: inside it), counted
    up to CLEAR: a bone farther than that from every point is not measured.

    Stops once the answer is at or below `enough`: a caller comparing options needs no more.
    """
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    best = CLEAR
    for (ax, ay), (bx, by), width in bones:
        reach = width + CLEAR
        if (
            min(ax, bx) - reach > x1
            or max(ax, bx) + reach < x0
            or min(ay, by) - reach > y1
            or max(ay, by) + reach < y0
        ):
            continue
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        for px, py in points:
            t = 0.0 if length == 0 else ((px - ax) * dx + (py - ay) * dy) / length
            t = 0.0 if t < 0 else 1.0 if t > 1 else t
            gap = math.hypot(px - ax - t * dx, py - ay - t * dy) - width
            if gap < best:
                best = gap
        if best <= enough:
            return best
    return best


def _arc_points(centre: Point, radius: float, a0: float, a1: float, n: int = 8) -> list[Point]:
    return [
        (
            centre[0] + radius * math.cos(a0 + (a1 - a0) * i / n),
            centre[1] + radius * math.sin(a0 + (a1 - a0) * i / n),
        )
        for i in range(n + 1)
    ]


def _arrow(fig: Figure, a: Layout, b: Layout, box: Box) -> str:
    """An arrow beside the path the marked point takes, sized to the drawing, clear of the body.

    When a joint the point turns about stays put, the arrow is an arc around that joint just
    outside the point's own path; otherwise it runs alongside the path, on whichever side keeps
    it off the body. The head is a fixed share of the drawing's size, so a close-up's arrow is as
    big on screen as a whole body's.
    """
    if fig.arrow is None:
        return ""
    head = max(box.w, box.h) * 0.032
    if fig.arrow is Mark.ARCH:
        return _arch_arrow(a, head)
    name = fig.arrow.value
    (x0, y0), (x1, y1) = a.points[name], b.points[name]
    dist = math.hypot(x1 - x0, y1 - y0)
    if dist < 2:
        return ""
    bones = _bones(fig, (a, b))
    least = head * 3.2
    """The shortest arrow worth drawing: a short movement still gets a readable arrow."""
    options: list[tuple[list[Point], str]] = []
    for pivot in PIVOTS[fig.arrow]:
        if pivot not in a.points or math.dist(a.points[pivot], b.points[pivot]) > 1.5:
            continue
        cx, cy = a.points[pivot]
        r = math.hypot(x0 - cx, y0 - cy)
        a0 = math.atan2(y0 - cy, x0 - cx)
        sweep = math.atan2(y1 - cy, x1 - cx) - a0
        sweep = (sweep + math.pi) % (2 * math.pi) - math.pi
        if abs(sweep) < 0.3 or r < 4:
            break
        for extra in (5.0, 9.0, 14.0, 20.0):
            radius = r + extra
            grow = max(0.0, least / radius - abs(sweep)) / 2
            sign = 1.0 if sweep > 0 else -1.0
            start, stop = a0 - sign * grow, a0 + sweep + sign * grow
            pts = _arc_points((cx, cy), radius, start, stop)
            # the line stops short of the tip, which the head covers
            back = stop - sign * head * 0.8 / radius
            ex, ey = cx + radius * math.cos(back), cy + radius * math.sin(back)
            large = 1 if abs(stop - start) > math.pi else 0
            line = (
                f"M{_f(pts[0][0])} {_f(pts[0][1])}A{_f(radius)} {_f(radius)} 0 {large} "
                f"{1 if sign > 0 else 0} {_f(ex)} {_f(ey)}"
            )
            options.append((pts, line))
        break
    ux, uy = (x1 - x0) / dist, (y1 - y0) / dist
    grow = max(0.0, least - dist) / 2
    sx, sy, tx, ty = x0 - ux * grow, y0 - uy * grow, x1 + ux * grow, y1 + uy * grow
    for extra in (8.0, 13.0, 19.0, 26.0, 36.0, 48.0, 62.0):
        for side in (1.0, -1.0):
            nx, ny = -uy * extra * side, ux * extra * side
            pts = [(sx + (tx - sx) * i / 5 + nx, sy + (ty - sy) * i / 5 + ny) for i in range(6)]
            ex, ey = tx + nx - ux * head * 0.8, ty + ny - uy * head * 0.8
            options.append((pts, f"M{_f(pts[0][0])} {_f(pts[0][1])}L{_f(ex)} {_f(ey)}"))

    # the first option clear of the body and inside the frame; else the least bad one
    best, best_score = options[0], -math.inf
    for option in options:
        pts = option[0]
        # an arrow reaching past the drawing's edge is worse than one touching the body
        out = 0.0 if all(box.x0 < x < box.x1 and box.y0 < y < box.y1 for x, y in pts) else 20.0
        score = min(_gap(pts, bones, best_score + out), CLEAR) - out
        if score > best_score:
            best, best_score = option, score
        if score >= CLEAR:
            break
    pts, line = best
    return _arrow_svg(line, pts[-2], pts[-1], head)


ARROW_POINTS = r"(?:[ML]|A[-\d.]+ [-\d.]+ 0 [01] [01] )([-\d.]+) ([-\d.]+)"
"""The points an arrow's markup passes through (an arc's radii and flags left out)."""


def _arrow_svg(line: str, before: Point, tip: Point, head: float) -> str:
    tx, ty = tip[0] - before[0], tip[1] - before[1]
    tl = math.hypot(tx, ty) or 1.0
    tx, ty = tx / tl, ty / tl
    half = head * 0.62
    p1 = (tip[0] - tx * head + ty * half, tip[1] - ty * head - tx * half)
    p2 = (tip[0] - tx * head - ty * half, tip[1] - ty * head + tx * half)
    return (
        f'<path class="w" d="{line}"/><path class="h" d="M{_f(tip[0])} {_f(tip[1])}'
        f'L{_f(p1[0])} {_f(p1[1])}L{_f(p2[0])} {_f(p2[1])}Z"/>'
    )


def _arch_arrow(a: Layout, head: float) -> str:
    """Under the arch, pointing up into it: the arch rises while heel and ball stay down."""
    turn = a.parts["foot"]
    origin = (turn.x, turn.y)
    angle = 90 - turn.turn
    low = _local(origin, angle, 12, 13.5)
    high = _local(origin, angle, 12, 13.5 - max(head * 2.6, 9))
    line = f"M{_f(low[0])} {_f(low[1])}L{_f(high[0])} {_f(high[1])}"
    return _arrow_svg(line, low, high, head)


def _arch_index(fig: Figure, pose: Pose) -> int:
    return (
        list(dict.fromkeys(p.arch for p in fig.poses)).index(pose.arch)
        if any(p.arch for p in fig.poses)
        else 0
    )


def _still(fig: Figure, lay: Layout, pose: Pose, riding: dict[str, str]) -> str:
    out: list[str] = []
    for name in _order(fig):
        p = lay.parts[name]
        ref = name
        if name.removeprefix("o_") == "foot":
            ref = f"{name}{_arch_index(fig, pose)}"
        extra = riding.get(name, "") if not name.startswith("o_") else ""
        cls = ' class="o"' if name.startswith("o_") else ""
        if extra:
            out.append(f'<g transform="{_transform(p)}"{cls}><use href="#{ref}"/>{extra}</g>')
        else:
            out.append(f'<use href="#{ref}" transform="{_transform(p)}"{cls}/>')
    return "".join(out)


# Top view: the foot from above, toes fanning ------------------------------------------------

TOE_BASES = (
    (-13.0, -40.0, 6.0, 16.0),
    (-3.0, -44.0, 4.2, 12.0),
    (5.0, -42.0, 3.8, 11.0),
    (12.0, -38.0, 3.5, 10.0),
    (18.0, -33.0, 3.2, 8.0),
)
"""Each toe of a right foot seen from above: base x, base y, half-width, length."""
SPREAD = (-0.7, 0.1, 0.45, 0.8, 1.1)
"""How much of the splay angle each toe turns (the big toe inwards, the others outwards)."""


# The document -------------------------------------------------------------------------------


INSET_REACH = 27.0
"""How far around the foot's middle the magnified inset reaches, in body units."""
INSET_PARTS = frozenset({"shank", "foot", "toes", "toe_tip", "big_toe", "big_tip"})


@dataclass(frozen=True, slots=True)
class Inset:
    """A circle beside the body showing the working foot magnified."""

    x: float
    y: float
    r: float
    focus: Point

    @property
    def scale(self) -> float:
        return self.r / INSET_REACH


def _inset_for(fig: Figure, box: Box, first: Layout) -> Inset | None:
    """An inset when the whole body is drawn but only the arch moves (the standing short foot).

    The arch rising is a few units in a whole body; magnified beside it, it shows.
    """
    if fig.view is not View.SIDE:
        return None
    still = replace(fig.start, arch=0)
    if any(replace(p, arch=0) != still for p in fig.poses):
        return None
    heel, toes = first.points["heel"], first.points["toes"]
    focus = ((heel[0] + toes[0]) / 2, max(heel[1], toes[1]) - 9)
    r = box.h * 0.3
    right = max(x for x, _ in first.points.values()) + INSET_REACH * 0.6
    return Inset(right + r, box.y1 - r - 6, r, focus)


def _inset(fig: Figure, inset: Inset, lay: Layout, foot: str) -> str:
    """The inset's drawing: the floor, the shin's end and the foot, magnified, and the arrow."""
    k = inset.scale
    fx, fy = inset.focus
    floor = max(lay.points["heel"][1], lay.points["ball"][1])
    parts: list[str] = []
    for name in _order(fig):
        if name not in INSET_PARTS:
            continue
        p = lay.parts[name]
        inner = foot if name == "foot" else f'<use href="#{name}"/>'
        parts.append(f'<g transform="{_transform(p)}">{inner}</g>')
    lens = INSET_REACH
    return (
        f'<circle class="g" cx="{_f(fx)}" cy="{_f(fy)}" r="{_f(lens)}"/>'
        f'<circle class="z" cx="{_f(inset.x)}" cy="{_f(inset.y)}" r="{_f(inset.r)}"/>'
        f'<g clip-path="url(#i)"><g transform="translate({_f(inset.x)} {_f(inset.y)}) '
        f'scale({_f(k)}) translate({_f(-fx)} {_f(-fy)})">'
        f'<path class="s" d="M{_f(fx - lens)} {_f(floor)}H{_f(fx + lens)}"/>'
        f"{''.join(parts)}{_arch_arrow(lay, 2.6)}</g></g>"
        f'<circle class="g" cx="{_f(inset.x)}" cy="{_f(inset.y)}" r="{_f(inset.r)}"/>'
    )


def describe(ex: Exercise) -> str:
    """Words for the drawing, from the exercise's own steps."""
    return " ".join(ex.steps[:3])


def render(ex: Exercise, *, animated: bool = True, pose: str | None = None) -> str:
    """The figure as an SVG document.

    animated: moving at the tempo, with the still pair for reduced motion; otherwise the start
    and end poses side by side, labelled. pose ("start" or "end"): that pose alone, still.
    """
    fig = ex.figure
    if fig is None:
        raise ValueError(f"exercise {ex.id!r} has no figure")
    if fig.view is View.TOP:
        return _render_top(ex, fig, animated=animated, pose=pose)
    fx = _stand(fig)
    keys = _frames(fig, fx, fig.poses)
    first, last = keys[0], keys[-1]
    box = _box(fig, keys, fx)
    arches = [p.arch for p in fig.poses]
    riding = _riding_props(fig)
    defs = _part_defs(fig, arches)
    fixed = _fixed_props(fig, fx, box, first)
    straps = _strap_ends(fig)
    arrow = _arrow(fig, first, last, box)
    # the frame takes in the whole arrow, so no edge cuts it off
    marks = [(float(x), float(y)) for x, y in re.findall(ARROW_POINTS, arrow)]
    if marks:
        pad = max(box.w, box.h) * 0.035
        box = Box(
            min(box.x0, min(x for x, _ in marks) - pad),
            min(box.y0, min(y for _, y in marks) - pad),
            max(box.x1, max(x for x, _ in marks) + pad),
            max(box.y1, max(y for _, y in marks) + pad),
        )
    inset = _inset_for(fig, box, first)
    if inset is not None:
        # the arrow goes in the inset, where the movement shows
        arrow = ""
        box = Box(box.x0, box.y0, max(box.x1, inset.x + inset.r + 4), box.y1)
        defs += (
            f'<clipPath id="i"><circle cx="{_f(inset.x)}" cy="{_f(inset.y)}" '
            f'r="{_f(inset.r)}"/></clipPath>'
        )

    def towel(p: Pose) -> str:
        path = _floor_towel(fig, fx, _towel_share(fig, p))
        return f'<path class="r" d="{path}"/>' if path else ""

    def still(lay: Layout, p: Pose) -> str:
        lines = "".join(f'<path class="s" d="{_strap_path(lay, s, o)}"/>' for s, o in straps)
        out = fixed + towel(p) + _still(fig, lay, p, riding) + lines
        if inset is not None:
            out += _inset(fig, inset, lay, f'<use href="#foot{_arch_index(fig, p)}"/>')
        return out

    title = escape(ex.name)
    desc = escape(describe(ex))
    flip = fig.foot is WorkingFoot.LEFT
    if pose is not None or not animated:
        if pose is not None:
            lay, p = (first, fig.start) if pose == "start" else (last, fig.end)
            body = still(lay, p) + arrow
            vb = box
            return _doc(title, desc, vb, body, defs, "", flip)
        gap = box.w * 0.08
        label_h = max(box.w, box.h) * 0.09
        vb = Box(box.x0, box.y0, box.x1 + box.w + gap, box.y1 + label_h)
        font = max(box.w, box.h) * 0.06
        body = (
            f'<g clip-path="url(#c)">{still(first, fig.start)}{arrow}</g>'
            f'<g transform="translate({_f(box.w + gap)} 0)"><g clip-path="url(#c)">'
            f"{still(last, fig.end)}</g></g>"
            f'<text class="l" x="{_f(box.x0 + box.w / 2)}" y="{_f(box.y1 + label_h * 0.8)}">'
            "Start</text>"
            f'<text class="l" x="{_f(box.x1 + gap + box.w / 2)}" '
            f'y="{_f(box.y1 + label_h * 0.8)}">End</text>'
        )
        return _doc(title, desc, vb, body, defs + _clip(box), "", flip, font=font)
    line = _timeline(fig, tempo_of(ex))
    layouts = _frames(fig, fx, line.poses)
    css: list[str] = []
    moving: list[str] = []
    pct = [f"{t * 100:.1f}".rstrip("0").rstrip(".") + "%" for t in line.times]
    dur = f"{_f(line.seconds)}s"
    for i, name in enumerate(_order(fig)):
        places = [lay.parts[name] for lay in layouts]
        turns = _unwrap([p.turn for p in places])
        places = [Placed(p.x, p.y, t) for p, t in zip(places, turns, strict=True)]
        frames: dict[str, list[str]] = {}
        for at, place in zip(pct, places, strict=True):
            frames.setdefault(_css_transform(place), []).append(at)
        steps = "".join(f"{','.join(ats)}{{transform:{tf}}}" for tf, ats in frames.items())
        css.append(f"@keyframes k{i}{{{steps}}}.m{i}{{animation:k{i} {dur} infinite}}")
        ref = name
        base = name.removeprefix("o_")
        if base == "foot" and len(set(arches)) > 1:
            # the arch lifts: the domed foot fades in over the flat one
            fade = "".join(
                f"{a}{{opacity:{1 if p.arch else 0}}}" for a, p in zip(pct, line.poses, strict=True)
            )
            css.append(f"@keyframes d{i}{{{fade}}}.d{i}{{animation:d{i} {dur} infinite}}")
            inner = f'<use href="#{name}0"/><use href="#{name}1" class="d{i}"/>'
        else:
            if base == "foot":
                ref = f"{name}0"
            inner = f'<use href="#{ref}"/>'
        extra = riding.get(name, "") if not name.startswith("o_") else ""
        cls = f"m{i} o" if name.startswith("o_") else f"m{i}"
        moving.append(f'<g class="{cls}">{inner}{extra}</g>')
        if inset is not None and name == "foot":
            moving.append(_inset(fig, inset, first, inner))
    smil: list[str] = []
    key_times = ";".join(f"{t:.3f}".rstrip("0").rstrip(".") for t in line.times)
    for spot, other in straps:
        values = ";".join(_strap_path(lay, spot, other) for lay in layouts)
        smil.append(
            f'<path class="s" d="{_strap_path(layouts[0], spot, other)}"><animate '
            f'attributeName="d" dur="{_f(line.seconds)}s" repeatCount="indefinite" '
            f'keyTimes="{key_times}" values="{values}"/></path>'
        )
    under = ""
    if _floor_towel(fig, fx, 0):
        values = ";".join(_floor_towel(fig, fx, _towel_share(fig, p)) for p in line.poses)
        under = (
            f'<path class="r" d="{_floor_towel(fig, fx, 0)}"><animate attributeName="d" '
            f'dur="{_f(line.seconds)}s" repeatCount="indefinite" keyTimes="{key_times}" '
            f'values="{values}"/></path>'
        )
    half = (
        f'<g class="q"><g transform="translate({_f(box.x0)} {_f(box.y0 + box.h / 4)}) scale(.5)'
        f' translate({_f(-box.x0)} {_f(-box.y0)})"><g clip-path="url(#c)">'
        f"{still(first, fig.start)}{arrow}</g></g>"
        f'<g transform="translate({_f(box.x0 + box.w / 2)} {_f(box.y0 + box.h / 4)}) scale(.5)'
        f' translate({_f(-box.x0)} {_f(-box.y0)})"><g clip-path="url(#c)">'
        f"{still(last, fig.end)}</g></g></g>"
    )
    body = f'<g class="n">{fixed}{under}{"".join(moving)}{"".join(smil)}{arrow}</g>{half}'
    anim = (
        "".join(css) + ".q{display:none}@media(prefers-reduced-motion:reduce){.n{display:none}"
        ".q{display:inline}}"
    )
    return _doc(title, desc, box, body, defs + _clip(box), anim, flip)


def _clip(box: Box) -> str:
    """One pose's frame, so that side by side neither spills into the other."""
    return (
        f'<clipPath id="c"><rect x="{_f(box.x0)}" y="{_f(box.y0)}" width="{_f(box.w)}" '
        f'height="{_f(box.h)}"/></clipPath>'
    )


def _doc(
    title: str,
    desc: str,
    box: Box,
    body: str,
    defs: str,
    anim: str,
    flip: bool,
    *,
    font: float = 10.0,
) -> str:
    style = STYLE.format(anim=anim, font=_f(font))
    if flip:
        body = f'<g transform="translate({_f(box.x0 * 2 + box.w)} 0) scale(-1 1)">{body}</g>'
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="t d" '
        f'viewBox="{_f(box.x0)} {_f(box.y0)} {_f(box.w)} {_f(box.h)}">'
        f'<title id="t">{title}</title><desc id="d">{desc}</desc>'
        f"<style>{style}</style><defs>{defs}</defs>{body}</svg>"
    )


def _render_top(ex: Exercise, fig: Figure, *, animated: bool, pose: str | None) -> str:
    """Both feet from above, toes fanning out and back."""
    title = escape(ex.name)
    desc = escape(describe(ex))
    marks = Tissue.INTRINSIC in fig.tissues

    def feet(splay: float, cls: bool) -> str:
        out: list[str] = []
        for dx, mirror in ((-30.0, True), (30.0, False)):
            toes: list[str] = []
            for i, (x, y, half, length) in enumerate(TOE_BASES):
                turn = splay * SPREAD[i]
                toe = (
                    f"M{_f(-half)} 2L{_f(-half)} {_f(-length + half)}"
                    f"A{_f(half)} {_f(half)} 0 0 1 {_f(half)} {_f(-length + half)}L{_f(half)} 2"
                )
                attr = f' class="e{i}"' if cls else f' transform="rotate({_f(turn)})"'
                toes.append(
                    f'<g transform="translate({_f(x)} {_f(y + 2)})"><g{attr}>'
                    f'<path class="b" d="{toe}"/></g></g>'
                )
            sole = (
                "M-16-34C-24-20-20 0-16 20C-14 34-6 42 2 42C10 42 16 34 16 20C16 6 20-10 24-30"
                "C22-38 10-40-16-34Z"
            )
            mark = '<path class="t" d="M-8-22L-6 12M2-24L2 12M10-22L8 8"/>' if marks else ""
            flip = " scale(-1 1)" if mirror else ""
            out.append(
                f'<g transform="translate({_f(dx)} 0){flip}"><path class="b" d="{sole}"/>'
                f"{mark}{''.join(toes)}</g>"
            )
        return "".join(out)

    box = Box(-62, -66, 62, 50)
    a, b = fig.start.splay, fig.end.splay
    if pose is not None:
        return _doc(title, desc, box, feet(a if pose == "start" else b, False), "", "", False)
    if not animated:
        vb = Box(-62, -66, 200, 66)
        body = (
            f'{feet(a, False)}<g transform="translate(138 0)">{feet(b, False)}</g>'
            '<text class="l" x="0" y="62">Start</text><text class="l" x="138" y="62">End</text>'
        )
        return _doc(title, desc, vb, body, "", "", False, font=12)
    line = _timeline(fig, tempo_of(ex))
    pct = [f"{t * 100:.1f}".rstrip("0").rstrip(".") + "%" for t in line.times]
    dur = f"{_f(line.seconds)}s"
    css = []
    for i in range(5):
        steps = "".join(
            f"{at}{{transform:rotate({_f(p.splay * SPREAD[i])}deg)}}"
            for at, p in zip(pct, line.poses, strict=True)
        )
        css.append(f"@keyframes e{i}{{{steps}}}.e{i}{{animation:e{i} {dur} infinite}}")
    half = (
        f'<g class="q"><g transform="translate(-31 -8) scale(.5)">{feet(a, False)}</g>'
        f'<g transform="translate(31 -8) scale(.5)">{feet(b, False)}</g></g>'
    )
    anim = (
        "".join(css) + ".q{display:none}@media(prefers-reduced-motion:reduce){.n{display:none}"
        ".q{display:inline}}"
    )
    body = f'<g class="n">{feet(0, True)}</g>{half}'
    return _doc(title, desc, box, body, "", anim, False)
