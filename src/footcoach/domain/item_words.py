"""A prescribed item's dose in whole words, for paper and for records read by people: "2 sets of
15, holding each for 1 second, each side (left first)"."""

from __future__ import annotations

from footcoach.domain.program import Item


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def duration_words(seconds: int) -> str:
    """E.g. '1 second', '45 seconds', '2 minutes', '1 minute 30 seconds'."""
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return _count(rest, "second", "seconds")
    whole = _count(minutes, "minute", "minutes")
    return whole if rest == 0 else f"{whole} {_count(rest, 'second', 'seconds')}"


def item_words(item: Item) -> str:
    """The dose of one item, in words."""
    if item.duration_s:
        amount = duration_words(item.duration_s)
        parts = [amount if item.sets == 1 else f"{item.sets} times {amount}"]
    else:
        reps = _count(item.reps, "time", "times") if item.sets == 1 else str(item.reps)
        parts = [reps if item.sets == 1 else f"{item.sets} sets of {reps}"]
    if item.hold_s:
        parts.append(f"holding each for {duration_words(item.hold_s)}")
    if item.tempo is not None:
        t = item.tempo
        steps = [f"{duration_words(t.up_s)} up"]
        if t.hold_s:
            steps.append(f"{duration_words(t.hold_s)} still")
        steps.append(f"{duration_words(t.down_s)} down")
        parts.append(", ".join(steps))
    if item.rest_s and item.sets > 1:
        parts.append(f"resting {duration_words(item.rest_s)} between sets")
    if item.per_side:
        parts.append("each side" + (f" ({item.first_side} first)" if item.first_side else ""))
    if item.load:
        parts.append(item.load)
    return ", ".join(parts)
