"""Server-side SVG charts for the progress page: plain markup, no JavaScript, no matplotlib.

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`; the
page puts a one-sentence summary and a table beside it, so nothing lives only in the picture.
Series are told apart by marker shape and dash pattern as well as colour, and the legend is
HTML under the chart (it wraps on a phone, and reads as text).

The low-level `time_chart` knows nothing of footcoach: dates along the bottom, numbers up the
side, series of points and lines, shaded bands and dashed rules. `pain_chart` and
`scores_chart` turn progress figures into those. Coordinates are rounded to 0.1 px.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from footcoach.domain.diary import Instrument
from footcoach.domain.progress import FirstStepPain, Outcome
from footcoach.domain.questionnaires import Subscale
from footcoach.domain.scoring import FIRST_STEP_PAIN_MID, mid_for
from footcoach.services.diary_view import NAMES, SCORES, SUBSCALE_WORDS
from footcoach.services.progress_view import HEADLINE, long_date, points

INK = "#1b1f23"
MUTED = "#4a5560"
ACCENT = "#0b5cad"
AMBER = "#8a5a00"
GRID = "#d5dbe1"
BAND = "#e2ebf5"

SVG_NS = "http://www.w3.org/2000/svg"


# Geometry -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Frame:
    """The drawing: its size (viewBox units) and the margins around the plot area."""

    width: float = 400.0
    height: float = 250.0
    left: float = 34.0
    right: float = 14.0
    top: float = 30.0
    bottom: float = 46.0

    @property
    def x0(self) -> float:
        return self.left

    @property
    def x1(self) -> float:
        return self.width - self.right

    @property
    def y0(self) -> float:
        """The top of the plot area."""
        return self.top

    @property
    def y1(self) -> float:
        """The bottom of the plot area."""
        return self.height - self.bottom


@dataclass(frozen=True, slots=True)
class LinearScale:
    """Maps numbers in `domain` linearly onto `span` (a span may run backwards, as y does)."""

    domain: tuple[float, float]
    span: tuple[float, float]

    def __call__(self, value: float) -> float:
        low, high = self.domain
        start, end = self.span
        if high == low:
            return (start + end) / 2
        return start + (value - low) * (end - start) / (high - low)


@dataclass(frozen=True, slots=True)
class DateScale:
    """Maps days onto `span`, one day being one step; a single day sits in the middle."""

    first: date
    last: date
    span: tuple[float, float]

    def __call__(self, day: date) -> float:
        return LinearScale((self.first.toordinal(), self.last.toordinal()), self.span)(
            day.toordinal()
        )


def date_ticks(first: date, last: date, count: int = 4) -> list[date]:
    """Up to `count` days spread evenly from first to last, both included."""
    days = (last - first).days
    if days <= 0:
        return [first]
    steps = min(count - 1, days)
    return [date.fromordinal(first.toordinal() + round(i * days / steps)) for i in range(steps + 1)]


def day_label(day: date, with_year: bool = False) -> str:
    return f"{day.day} {day:%b}" + (f" {day.year}" if with_year else "")


# What a chart holds -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Style:
    colour: str
    marker: str | None = "circle"
    """circle, square, triangle, diamond, or None for a bare line."""
    dash: str | None = None
    """An SVG stroke-dasharray, or None for a solid line."""
    width: float = 2.0
    """The line's width; 0 draws the points only."""


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    points: tuple[tuple[date, float], ...]
    style: Style


@dataclass(frozen=True, slots=True)
class Band:
    """A shaded stretch of the y axis across the whole plot."""

    low: float
    high: float
    label: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A dashed horizontal line across the whole plot."""

    value: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    svg: Markup
    legend: Markup


# Drawing ------------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate: 0.1 px is finer than any screen needs."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def marker(shape: str, x: float, y: float, size: float, colour: str) -> str:
    """One data point: a shape centred on (x, y), `size` across."""
    half = size / 2
    fill = f'fill="{colour}"'
    if shape == "square":
        side = size * 0.9
        return (
            f'<rect class="point" x="{_n(x - side / 2)}" y="{_n(y - side / 2)}" '
            f'width="{_n(side)}" height="{_n(side)}" {fill}/>'
        )
    if shape == "triangle":
        pts = f"{_n(x)},{_n(y - half * 1.15)} {_n(x + half * 1.1)},{_n(y + half * 0.85)} "
        pts += f"{_n(x - half * 1.1)},{_n(y + half * 0.85)}"
        return f'<polygon class="point" points="{pts}" {fill}/>'
    if shape == "diamond":
        r = half * 1.3
        pts = f"{_n(x)},{_n(y - r)} {_n(x + r)},{_n(y)} {_n(x)},{_n(y + r)} {_n(x - r)},{_n(y)}"
        return f'<polygon class="point" points="{pts}" {fill}/>'
    return f'<circle class="point" cx="{_n(x)}" cy="{_n(y)}" r="{_n(half)}" {fill}/>'


def _line(style: Style) -> str:
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    return (
        f'fill="none" stroke="{style.colour}" stroke-width="{_n(style.width)}"'
        f' stroke-linejoin="round" stroke-linecap="round"{dash}'
    )


def time_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    y_domain: tuple[float, float],
    y_ticks: Sequence[tuple[float, str]],
    y_label: str,
    x_label: str,
    series: Sequence[Series] = (),
    bands: Sequence[Band] = (),
    rules: Sequence[Rule] = (),
    x_domain: tuple[date, date] | None = None,
    empty: str = "Nothing to show yet",
    frame: Frame | None = None,
) -> Markup:
    """A chart of values over days, as one accessible <svg> element.

    The x axis runs from the earliest to the latest day of the series, widened to `x_domain`
    when given; with no day at all, `empty` is written across the plot.
    """
    f = frame or Frame()
    y = LinearScale(y_domain, (f.y1, f.y0))
    days = [d for s in series for d, _ in s.points]
    if x_domain is not None:
        days += list(x_domain)
    out = [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {_n(f.width)} {_n(f.height)}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}" class="chart-svg" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="12" '
        f'fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    # bands first, so grid lines and data stay visible on top of them
    for band in bands:
        top, bottom = y(max(band.low, band.high)), y(min(band.low, band.high))
        out.append(
            f'<g class="band"><rect x="{_n(f.x0)}" y="{_n(top)}" width="{_n(f.x1 - f.x0)}" '
            f'height="{_n(bottom - top)}" fill="{BAND}"/>'
            f'<line x1="{_n(f.x0)}" x2="{_n(f.x1)}" y1="{_n(top)}" y2="{_n(top)}" '
            f'stroke="{ACCENT}" stroke-width="1" stroke-dasharray="2 2"/>'
            f'<line x1="{_n(f.x0)}" x2="{_n(f.x1)}" y1="{_n(bottom)}" y2="{_n(bottom)}" '
            f'stroke="{ACCENT}" stroke-width="1" stroke-dasharray="2 2"/></g>'
        )
    out.append('<g class="y-axis">')
    for value, label in y_ticks:
        at = _n(y(value))
        out.append(
            f'<line x1="{_n(f.x0)}" x2="{_n(f.x1)}" y1="{at}" y2="{at}" stroke="{GRID}" '
            f'stroke-width="1"/>'
            f'<text x="{_n(f.x0 - 6)}" y="{at}" text-anchor="end" dominant-baseline="middle">'
            f"{escape(label)}</text>"
        )
    out.append(
        f'<text class="axis-label" x="{_n(f.x0)}" y="{_n(f.y0 - 14)}" font-weight="600">'
        f"{escape(y_label)}</text></g>"
    )
    out.append('<g class="x-axis">')
    out.append(
        f'<line x1="{_n(f.x0)}" x2="{_n(f.x1)}" y1="{_n(f.y1)}" y2="{_n(f.y1)}" stroke="{MUTED}" '
        f'stroke-width="1.5"/>'
    )
    x: DateScale | None = None
    if days:
        first, last = min(days), max(days)
        x = DateScale(first, last, (f.x0, f.x1))
        ticks = date_ticks(first, last)
        with_year = first.year != last.year
        for i, tick in enumerate(ticks):
            anchor = "middle"
            if len(ticks) > 1 and i == 0:
                anchor = "start"
            elif len(ticks) > 1 and i == len(ticks) - 1:
                anchor = "end"
            at = _n(x(tick))
            out.append(
                f'<line x1="{at}" x2="{at}" y1="{_n(f.y1)}" y2="{_n(f.y1 + 5)}" '
                f'stroke="{MUTED}" stroke-width="1"/>'
                f'<text x="{at}" y="{_n(f.y1 + 18)}" text-anchor="{anchor}">'
                f"{escape(day_label(tick, with_year))}</text>"
            )
    out.append(
        f'<text class="axis-label" x="{_n((f.x0 + f.x1) / 2)}" y="{_n(f.height - 6)}" '
        f'text-anchor="middle" font-weight="600">{escape(x_label)}</text></g>'
    )
    for rule in rules:
        at = _n(y(rule.value))
        out.append(
            f'<line class="rule" x1="{_n(f.x0)}" x2="{_n(f.x1)}" y1="{at}" y2="{at}" '
            f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="7 4"/>'
        )
    if x is None or not any(s.points for s in series):
        out.append(
            f'<text class="empty" x="{_n((f.x0 + f.x1) / 2)}" y="{_n((f.y0 + f.y1) / 2)}" '
            f'text-anchor="middle" dominant-baseline="middle" font-size="14">'
            f"{escape(empty)}</text>"
        )
    else:
        for s in series:
            coords = [(x(d), y(v)) for d, v in s.points]
            out.append(f'<g class="series" data-label="{escape(s.label)}">')
            if s.style.width > 0 and len(coords) > 1:
                path = " ".join(f"{_n(cx)},{_n(cy)}" for cx, cy in coords)
                out.append(f'<polyline points="{path}" {_line(s.style)}/>')
            if s.style.marker:
                size = 4.0 if len(coords) > 120 else 7.0
                out.extend(
                    marker(s.style.marker, cx, cy, size, s.style.colour) for cx, cy in coords
                )
            out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))


def swatch(style: Style | Band | Rule) -> Markup:
    """A small picture of a series, band or rule, for the legend (hidden from screen readers)."""
    parts = [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 36 16" width="36" height="16" aria-hidden="true" '
        'focusable="false" class="swatch">'
    ]
    if isinstance(style, Band):
        parts.append(
            f'<rect x="1" y="2" width="34" height="12" fill="{BAND}" stroke="{ACCENT}" '
            'stroke-width="1" stroke-dasharray="2 2"/>'
        )
    elif isinstance(style, Rule):
        parts.append(
            f'<line x1="1" x2="35" y1="8" y2="8" stroke="{MUTED}" stroke-width="1.5" '
            'stroke-dasharray="7 4"/>'
        )
    else:
        if style.width > 0:
            parts.append(f'<line x1="2" x2="34" y1="8" y2="8" {_line(style)}/>')
        if style.marker:
            parts.append(marker(style.marker, 18, 8, 8, style.colour))
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(
    series: Sequence[Series] = (), bands: Sequence[Band] = (), rules: Sequence[Rule] = ()
) -> Markup:
    """The chart's key as an HTML list: a swatch and words for each thing drawn."""
    entries: list[tuple[Style | Band | Rule, str]] = [(s.style, s.label) for s in series]
    entries += [(r, r.label) for r in rules]
    entries += [(b, b.label) for b in bands]
    items = "".join(f"<li>{swatch(thing)} {escape(label)}</li>" for thing, label in entries)
    return Markup(f'<ul class="chart-legend">{items}</ul>')


# footcoach's charts --------------------------------------------------------------------------


MORNING = Style(ACCENT, "circle", None, 0)
MEAN = Style(INK, None, None, 2.5)


def pain_chart(
    pain: FirstStepPain, *, chart_id: str = "pain-chart", x_domain: tuple[date, date] | None = None
) -> Chart:
    """First-step pain each morning (points), its 7-day mean (a line), the baseline (a dashed
    rule) and the band of changes smaller than the MID around it."""
    mid = FIRST_STEP_PAIN_MID
    base = pain.baseline
    low, high = max(0.0, base - mid), min(10.0, base + mid)
    series = (
        Series(
            "Each morning's first-step pain", tuple((d.day, d.value) for d in pain.days), MORNING
        ),
        Series("7-day mean", tuple((d.day, d.mean_7d) for d in pain.days), MEAN),
    )
    rules = (Rule(base, f"Your starting level: {base} out of 10"),)
    bands = (
        Band(
            low,
            high,
            f"Within {points(mid)} points of your starting level: not a change that matters",
        ),
    )
    if pain.days:
        span = f"from {long_date(pain.days[0].day)} to {long_date(pain.days[-1].day)}"
        desc = (
            f"Each morning's first-step pain, from 0 (none) to 10 (worst), as dots, and its 7-day "
            f"mean as a line, {span}; the latest 7-day mean is {points(pain.days[-1].mean_7d)}. "
            f"The dashed line is your starting level of {base}. The shaded band, from "
            f"{points(low)} to {points(high)}, holds changes smaller than {points(mid)} points."
        )
    else:
        desc = (
            f"No check-ins yet. The dashed line is your starting level of {base} out of 10, in "
            f"a shaded band from {points(low)} to {points(high)}."
        )
    svg = time_chart(
        chart_id=chart_id,
        title="First-step pain over time",
        desc=desc,
        y_domain=(0, 10),
        y_ticks=[(v, str(v)) for v in range(0, 11, 2)],
        y_label="Pain on first steps (0 none, 10 worst)",
        x_label="Day of the check-in",
        series=series,
        bands=bands,
        rules=rules,
        x_domain=x_domain,
        empty="No check-ins yet",
    )
    return Chart(svg, legend(series, bands, rules))


STYLES: dict[Subscale, Style] = {
    Subscale.PAIN: Style(ACCENT, "circle", None, 2),
    Subscale.DISABILITY: Style(AMBER, "square", "6 3", 2),
    Subscale.ACTIVITY_LIMITATION: Style(MUTED, "triangle", "2 3", 2),
    Subscale.TOTAL: Style(INK, "diamond", None, 3),
    Subscale.ADL: Style(ACCENT, "circle", None, 2.5),
    Subscale.SPORTS: Style(AMBER, "square", "6 3", 2),
}
_HEADLINE_WORDS = {Subscale.TOTAL: "total", Subscale.ADL: "everyday activities"}
_Y_LABELS = {
    Instrument.FFI: "FFI score (0 best, 100 worst)",
    Instrument.FAAM: "FAAM score (0 worst, 100 best)",
}


def scores_chart(instrument: Instrument, entries: Sequence[Outcome], *, chart_id: str) -> Chart:
    """One questionnaire's scores over time, a line per score, with a band around the first
    headline score (FFI total, FAAM ADL) as wide as its minimal important difference."""
    series: list[Series] = []
    for subscale in SCORES[instrument]:
        marks = tuple(
            (e.taken_on, value) for e in entries if (value := e.scores.value(subscale)) is not None
        )
        mid = mid_for(instrument, subscale)
        note = f"change that matters: {points(mid)} points" if mid else "no published value"
        series.append(Series(f"{SUBSCALE_WORDS[subscale]} ({note})", marks, STYLES[subscale]))
    headline = HEADLINE[instrument]
    first = next((value for e in entries if (value := e.scores.value(headline)) is not None), None)
    mid = mid_for(instrument, headline) or 0.0
    bands: list[Band] = []
    name, y_label = NAMES[instrument][1], _Y_LABELS[instrument]
    words = _HEADLINE_WORDS[headline]
    if first is not None:
        low, high = max(0.0, first - mid), min(100.0, first + mid)
        bands.append(
            Band(
                low,
                high,
                f"Within {points(mid)} points of your first {words} score "
                f"({points(first)}): not a change that matters",
            )
        )
    better = "Lower is better." if instrument is Instrument.FFI else "Higher is better."
    if entries:
        span = (
            f"on {long_date(entries[0].taken_on)}"
            if len(entries) == 1
            else f"from {long_date(entries[0].taken_on)} to {long_date(entries[-1].taken_on)}"
        )
        desc = (
            f"{len(entries)} {name} questionnaire{'s' if len(entries) > 1 else ''} {span}, "
            f"each score from 0 to 100, one line per score. {better}"
        )
        if first is not None:
            desc += (
                f" The shaded band spans {points(mid)} points either side of your first "
                f"{words} score of {points(first)}."
            )
    else:
        desc = f"No {name} answered yet. {better}"
    svg = time_chart(
        chart_id=chart_id,
        title=f"{name} scores over time",
        desc=desc,
        y_domain=(0, 100),
        y_ticks=[(v, str(v)) for v in range(0, 101, 25)],
        y_label=y_label,
        x_label="Day it was answered",
        series=series,
        bands=bands,
        empty="Not answered yet",
    )
    return Chart(svg, legend(series, bands))
