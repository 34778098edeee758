"""Plain-words renderings of domain values, shared by every face (terminal, web, handouts)."""

from __future__ import annotations

from datetime import date

from footcoach.domain.catalog import Dose, Equipment, Sides

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


def short_day_text(day: date, year: bool = False) -> str:
    """A date in a table cell or a chart's axis: 'Mon 7 Dec', or 'Mon 7 Dec 2026' with the year."""
    return f"{day:%a} {day.day} {day:%b}" + (f" {day:%Y}" if year else "")


def day_month_text(day: date) -> str:
    """A date within the current year or program: 'Monday 7 December'."""
    return f"{day:%A} {day.day} {day:%B}"


def days_text(days: list[date] | tuple[date, ...]) -> str:
    """Several dates in words: 'Tuesday 1 December 2026, Tuesday 29 December 2026 and ...'."""
    return words_list([day_text(d) for d in days])


_IRREGULAR = {"day": "days", "copy": "copies", "activity": "activities"}


def count_text(count: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: '1 check-in', '2 check-ins', '0 sessions'."""
    if count == 1:
        return f"{count} {singular}"
    many = plural or _IRREGULAR.get(singular) or f"{singular}s"
    return f"{count} {many}"


def count_of_text(done: int, total: int, singular: str, plural: str | None = None) -> str:
    """'1 of 1 exercise', '2 of 3 exercises': the noun agrees with the total."""
    return f"{done} of {count_text(total, singular, plural)}"


EQUIPMENT_WORDS: dict[Equipment, str] = {
    Equipment.NONE: "no equipment",
    Equipment.FOOT_TRAINER: "a foot trainer",
    Equipment.RESISTANCE_BAND: "a resistance band",
    Equipment.TOWEL: "a towel",
    Equipment.MASSAGE_BALL: "a massage, lacrosse or tennis ball",
    Equipment.GOLF_BALL: "a golf ball",
    Equipment.STEP: "a step or stair",
    Equipment.CHAIR: "a sturdy chair",
    Equipment.WALL: "a clear piece of wall",
    Equipment.ICE_PACK: "an ice or gel pack",
    Equipment.BACKPACK: "a backpack (for extra load)",
}
"""Each piece of equipment as a person names it, with its article."""


ADJUSTMENT_WORDS: dict[str, str] = {
    "progress": "Stepped up",
    "repeat": "Kept the same",
    "regress": "Stepped back",
    "pause": "Loading paused",
}
"""The pain monitor's actions (monitor.Action values) as headings a person reads."""


def adjustment_text(action: str) -> str:
    """The pain monitor's action as a heading: 'Kept the same' for repeat."""
    return ADJUSTMENT_WORDS.get(action, action.replace("_", " ").capitalize())


def words_list(items: list[str] | tuple[str, ...]) -> str:
    """'a, b and c'; semicolons between items that hold commas themselves."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    comma = "; " if any("," in i for i in items) else ", "
    return comma.join(items[:-1]) + " and " + items[-1]
