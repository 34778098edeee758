"""Plain-words renderings of domain values, shared by every face (terminal, web, handouts)."""

from __future__ import annotations

from datetime import date

from footcoach.domain.catalog import Dose, Sides

_TIMES = {1: "once a day", 2: "twice a day"}


def seconds_text(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} min"
    if seconds > 60:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds} s"


def dose_text(dose: Dose, sides: Sides | None = None) -> str:
    """E.g. '3 sets x 12 reps, tempo 3-2-3 s, rest 2 min, once a day, each side'."""
    parts: list[str] = []
    if dose.duration_s:
        amount = seconds_text(dose.duration_s)
        parts.append(amount if dose.sets == 1 else f"{dose.sets} x {amount}")
    else:
        reps = f"{dose.reps} rep" + ("" if dose.reps == 1 else "s")
        parts.append(reps if dose.sets == 1 else f"{dose.sets} sets x {reps}")
    if dose.hold_s:
        parts.append(f"hold {seconds_text(dose.hold_s)}")
    if dose.tempo is not None:
        t = dose.tempo
        parts.append(f"tempo {t.up_s}-{t.hold_s}-{t.down_s} s (up-hold-down)")
    if dose.rest_s:
        parts.append(f"rest {seconds_text(dose.rest_s)}")
    parts.append(_TIMES.get(dose.times_per_day, f"{dose.times_per_day} times a day"))
    if sides is Sides.EACH:
        parts.append("each side")
    elif sides is Sides.BOTH:
        parts.append("both feet together")
    return ", ".join(parts)


def day_text(day: date) -> str:
    """A date in words, as people say it: 'Monday 7 December 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"
