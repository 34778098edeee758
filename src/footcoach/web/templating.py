"""Jinja2 filters and globals shared by every page."""

from __future__ import annotations

from fastapi.templating import Jinja2Templates

from footcoach.bootstrap import Services
from footcoach.domain.program import Item
from footcoach.domain.wording import (
    adjustment_text,
    count_of_text,
    count_text,
    day_month_text,
    day_text,
    seconds_text,
    short_day_text,
)

SLOT_WORDS = {
    "before_first_step": "In bed, before your first step",
    "daytime": "During the day",
    "evening": "In the evening",
}


def item_dose(item: Item) -> str:
    """E.g. '3 x 12, tempo 3-2-3 s, each side (left first), body weight'."""
    parts = [seconds_text(item.duration_s) if item.duration_s else f"{item.sets} x {item.reps}"]
    if item.hold_s:
        parts.append(f"hold {seconds_text(item.hold_s)}")
    if item.tempo:
        parts.append(f"tempo {item.tempo.up_s}-{item.tempo.hold_s}-{item.tempo.down_s} s")
    if item.per_side:
        parts.append("each side" + (f" ({item.first_side} first)" if item.first_side else ""))
    if item.load:
        parts.append(item.load)
    return ", ".join(parts)


def install_filters(templates: Jinja2Templates, services: Services) -> None:
    env = templates.env
    env.filters["seconds"] = seconds_text
    env.filters["slot_words"] = lambda slot: SLOT_WORDS.get(str(slot), str(slot))
    env.filters["day"] = day_text  # Monday 7 December 2026
    env.filters["day_month"] = day_month_text  # Monday 7 December
    env.filters["short_day"] = short_day_text  # Mon 7 Dec
    env.filters["adjustment"] = adjustment_text  # the pain monitor's action as a heading
    env.globals["count"] = count_text  # count(1, "check-in") -> 1 check-in
    env.globals["count_of"] = count_of_text  # count_of(1, 1, "exercise") -> 1 of 1 exercise
    env.globals["dose"] = item_dose
    env.globals["exercise_name"] = lambda key: services.library.catalog.get(key).name
    env.globals["exercise_steps"] = lambda key: services.library.catalog.get(key).steps
