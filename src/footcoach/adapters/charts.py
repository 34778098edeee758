"""Progress as a PNG: first-step pain with its 7-day mean and MID band, FFI and FAAM over time.

matplotlib (the `charts` extra) is imported only when a chart is drawn, with the Agg backend, so
no display is needed and nothing else pays for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from footcoach.domain.errors import FootcoachError
from footcoach.domain.progress import Outcome, Progress
from footcoach.domain.questionnaires import Subscale
from footcoach.domain.scoring import FIRST_STEP_PAIN_MID, mid_for

_LABELS = {
    Subscale.PAIN: "pain",
    Subscale.DISABILITY: "disability",
    Subscale.ACTIVITY_LIMITATION: "activity limitation",
    Subscale.TOTAL: "total",
    Subscale.ADL: "daily living (ADL)",
    Subscale.SPORTS: "sports",
}
_FFI = (Subscale.PAIN, Subscale.DISABILITY, Subscale.ACTIVITY_LIMITATION, Subscale.TOTAL)
_FAAM = (Subscale.ADL, Subscale.SPORTS)


class ChartsUnavailableError(FootcoachError):
    def __init__(self) -> None:
        super().__init__(
            "--png needs matplotlib, which is not installed; install it with: "
            "pip install 'footcoach[charts]'"
        )


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ChartsUnavailableError() from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _pain(ax: Any, result: Progress) -> None:
    pain = result.first_step_pain
    days = [d.day for d in pain.days]
    low = max(0.0, pain.baseline - FIRST_STEP_PAIN_MID)
    high = min(10.0, pain.baseline + FIRST_STEP_PAIN_MID)
    ax.axhspan(
        low,
        high,
        color="0.9",
        label=f"baseline {pain.baseline} ± MID {FIRST_STEP_PAIN_MID:g} (no meaningful change)",
    )
    ax.axhline(pain.baseline, color="0.5", linewidth=1, linestyle="--")
    if days:
        ax.plot(
            days,
            [d.value for d in pain.days],
            linestyle="none",
            marker=".",
            markersize=3 if len(days) > 120 else 7,
            color="tab:blue",
            alpha=0.5,
            label="each morning",
        )
        ax.plot(
            days, [d.mean_7d for d in pain.days], color="tab:blue", linewidth=2, label="7-day mean"
        )
    else:
        ax.text(0.5, 0.5, "no check-ins yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylim(-0.3, 10.3)
    ax.set_ylabel("0 = none, 10 = worst")
    ax.set_title("First-step pain")
    ax.legend(loc="upper right", fontsize="small")


def _scores(
    ax: Any, entries: Sequence[Outcome], subscales: Sequence[Subscale], title: str, empty: str
) -> None:
    if not entries:
        ax.text(0.5, 0.5, empty, ha="center", va="center", transform=ax.transAxes)
    for subscale in subscales:
        points: list[tuple[date, float]] = []
        for e in entries:
            value = e.scores.value(subscale)
            if value is not None:
                points.append((e.taken_on, value))
        if not points:
            continue
        mid = mid_for(entries[0].instrument, subscale)
        label = _LABELS[subscale] + (f" (MID {mid:g})" if mid is not None else " (no MID)")
        ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            marker="o",
            linewidth=2.5 if subscale is Subscale.TOTAL else 1.2,
            label=label,
        )
    ax.set_ylim(-2, 102)
    ax.set_title(title)
    if entries:
        ax.legend(loc="best", fontsize="small")


def progress_chart(result: Progress, path: Path) -> None:
    """Draw the three charts one above the other and save them as a PNG at `path`."""
    plt = _pyplot()
    figure, (pain_ax, ffi_ax, faam_ax) = plt.subplots(3, 1, figsize=(10, 11), sharex=True)
    try:
        _pain(pain_ax, result)
        _scores(
            ffi_ax, result.ffi, _FFI, "Foot Function Index (0 = best, 100 = worst)", "no FFI yet"
        )
        _scores(
            faam_ax,
            result.faam,
            _FAAM,
            "Foot and Ankle Ability Measure (0 = worst, 100 = best)",
            "no FAAM yet",
        )
        figure.suptitle(f"footcoach progress: {result.profile}, as of {result.day.isoformat()}")
        figure.autofmt_xdate()
        figure.tight_layout()
        figure.savefig(path, format="png", dpi=100)
    finally:
        plt.close(figure)
