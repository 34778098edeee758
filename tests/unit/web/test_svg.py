"""Server-side SVG charts: valid XML, named and described, and points where the data puts them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from footcoach.domain.diary import Instrument, QuestionnaireResponse
from footcoach.domain.progress import FirstStepPain, PainDay, outcomes
from footcoach.web.svg import (
    Band,
    DateScale,
    Frame,
    LinearScale,
    Rule,
    Series,
    Style,
    date_ticks,
    legend,
    pain_chart,
    scores_chart,
    time_chart,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
D0 = date(2026, 11, 23)
FRAME = Frame()  # 400 x 250; plot from x 34 to 386, y 30 (top) to 204 (bottom)


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def circles(root: ET.Element, label: str | None = None) -> list[tuple[float, float]]:
    groups = root.findall(".//svg:g[@class='series']", NS)
    if label is not None:
        groups = [g for g in groups if g.get("data-label") == label]
    return [
        (float(c.get("cx", "nan")), float(c.get("cy", "nan")))
        for g in groups
        for c in g.findall("svg:circle", NS)
    ]


def chart(**changes) -> str:
    arguments = {
        "chart_id": "test-chart",
        "title": "Pain & more",
        "desc": "What it shows <in words>",
        "y_domain": (0, 10),
        "y_ticks": [(0, "0"), (5, "5"), (10, "10")],
        "y_label": "Pain (0 none, 10 worst)",
        "x_label": "Day",
        "series": [
            Series(
                "mornings",
                ((D0, 0), (D0 + timedelta(days=5), 5), (D0 + timedelta(days=10), 10)),
                Style("#000000"),
            )
        ],
    }
    arguments.update(changes)
    return time_chart(**arguments)


# Scales ---------------------------------------------------------------------------------------


def test_a_linear_scale_maps_ends_and_middle_and_runs_backwards_for_y():
    y = LinearScale((0, 10), (204, 30))
    assert y(0) == 204 and y(10) == 30 and y(5) == 117
    assert LinearScale((3, 3), (0, 100))(3) == 50  # one value: the middle


def test_a_date_scale_puts_one_day_per_step_and_a_lone_day_in_the_middle():
    x = DateScale(D0, D0 + timedelta(days=10), (34, 386))
    assert x(D0) == 34 and x(D0 + timedelta(days=10)) == 386
    assert x(D0 + timedelta(days=1)) == pytest.approx(34 + 35.2)
    assert DateScale(D0, D0, (34, 386))(D0) == 210


def test_date_ticks_spread_evenly_and_include_both_ends():
    assert date_ticks(D0, D0) == [D0]
    assert date_ticks(D0, D0 + timedelta(days=1)) == [D0, D0 + timedelta(days=1)]
    ticks = date_ticks(D0, D0 + timedelta(days=9))
    assert ticks == [D0 + timedelta(days=n) for n in (0, 3, 6, 9)]


# The chart ------------------------------------------------------------------------------------


def test_a_chart_is_valid_svg_named_by_its_title_and_described():
    root = parse(chart())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "test-chart-title test-chart-desc"
    assert root.find("svg:title", NS).get("id") == "test-chart-title"
    assert root.find("svg:title", NS).text == "Pain & more"  # escaped in the markup
    assert root.find("svg:desc", NS).text == "What it shows <in words>"
    assert "Pain &amp; more" in str(chart())


def test_points_land_where_the_scales_put_them():
    points = circles(parse(chart()), "mornings")
    assert points == [(34.0, 204.0), (210.0, 117.0), (386.0, 30.0)]


def test_points_of_a_line_are_joined_in_order():
    line = parse(chart()).find(".//svg:polyline", NS)
    assert line.get("points") == "34,204 210,117 386,30"


def test_the_axes_are_labelled_in_words_with_ticks():
    texts = [t.text for t in parse(chart()).iter("{http://www.w3.org/2000/svg}text")]
    assert "Pain (0 none, 10 worst)" in texts and "Day" in texts
    assert {"0", "5", "10"} <= set(texts)
    assert "23 Nov" in texts and "3 Dec" in texts


def test_ticks_name_the_year_when_the_chart_spans_two():
    series = [Series("s", ((date(2026, 12, 20), 1), (date(2027, 1, 10), 2)), Style("#000"))]
    texts = [t.text for t in parse(chart(series=series)).iter("{http://www.w3.org/2000/svg}text")]
    assert "20 Dec 2026" in texts and "10 Jan 2027" in texts


def test_a_band_and_a_rule_sit_at_their_values():
    root = parse(chart(bands=[Band(4, 8, "band")], rules=[Rule(6, "start")]))
    rect = root.find(".//svg:g[@class='band']/svg:rect", NS)
    assert float(rect.get("y")) == pytest.approx(30 + 174 * 0.2)  # 8 of 10
    assert float(rect.get("height")) == pytest.approx(174 * 0.4)  # 4 points of 10
    rule = root.find(".//svg:line[@class='rule']", NS)
    assert float(rule.get("y1")) == pytest.approx(204 - 174 * 0.6)


def test_an_x_domain_widens_the_axis_beyond_the_data():
    series = [Series("s", ((D0 + timedelta(days=10), 10),), Style("#000"))]
    root = parse(chart(series=series, x_domain=(D0, D0 + timedelta(days=20))))
    assert circles(root) == [(210.0, 30.0)]


def test_a_chart_without_data_says_so_and_is_still_valid():
    root = parse(chart(series=[Series("s", (), Style("#000"))], empty="No check-ins yet"))
    assert circles(root) == []
    assert root.find(".//svg:text[@class='empty']", NS).text == "No check-ins yet"


@pytest.mark.parametrize(
    ("shape", "tag"),
    [("circle", "circle"), ("square", "rect"), ("triangle", "polygon"), ("diamond", "polygon")],
)
def test_series_are_told_apart_by_shape(shape, tag):
    series = [Series("s", ((D0, 5),), Style("#000", shape))]
    group = parse(chart(series=series)).find(".//svg:g[@class='series']", NS)
    assert [child.tag.split("}")[1] for child in group] == [tag]


def test_the_legend_names_every_series_band_and_rule_in_words():
    html = str(
        legend(
            [Series("Each morning", (), Style("#000")), Series("Mean", (), Style("#000", None))],
            [Band(4, 8, "Within 2 points")],
            [Rule(6, "Starting level")],
        )
    )
    assert html.count("<li>") == 4
    assert 'aria-hidden="true"' in html
    for words in ("Each morning", "Mean", "Within 2 points", "Starting level"):
        assert words in html


# footcoach's charts ---------------------------------------------------------------------------


def test_the_pain_chart_has_mornings_mean_baseline_and_mid_band():
    pain = FirstStepPain(
        baseline=6,
        days=(PainDay(D0, 6, 6.0), PainDay(D0 + timedelta(days=1), 4, 5.0)),
        change=None,
    )
    drawn = pain_chart(pain, chart_id="pain")
    root = parse(drawn.svg)
    assert root.find("svg:title", NS).text == "First-step pain over time"
    assert "starting level of 6" in root.find("svg:desc", NS).text
    y = LinearScale((0, 10), (FRAME.y1, FRAME.y0))
    assert circles(root, "Each morning's first-step pain") == [(34.0, y(6)), (386.0, y(4))]
    mean = root.find(".//svg:g[@data-label='7-day mean']/svg:polyline", NS)
    assert mean.get("points") == f"34,{y(6):g} 386,{y(5):g}"
    band = root.find(".//svg:g[@class='band']/svg:rect", NS)
    assert float(band.get("y")) == pytest.approx(y(8))  # baseline 6 + MID 2
    assert float(band.get("y")) + float(band.get("height")) == pytest.approx(y(4))
    assert "Within 2 points of your starting level" in str(drawn.legend)


def test_the_pain_band_stops_at_the_ends_of_the_scale():
    root = parse(pain_chart(FirstStepPain(baseline=9, days=(), change=None)).svg)
    band = root.find(".//svg:g[@class='band']/svg:rect", NS)
    assert float(band.get("y")) == pytest.approx(FRAME.y0)  # 9 + 2 is cut at 10
    assert root.find(".//svg:text[@class='empty']", NS).text == "No check-ins yet"


def test_the_scores_chart_draws_each_score_and_a_band_around_the_first_total():
    items = [5] * 23
    later = [2] * 23
    responses = (
        QuestionnaireResponse(Instrument.FFI, D0, tuple(items)),
        QuestionnaireResponse(Instrument.FFI, D0 + timedelta(days=28), tuple(later)),
    )
    entries = outcomes(responses, Instrument.FFI, D0 + timedelta(days=28))
    drawn = scores_chart(Instrument.FFI, entries, chart_id="ffi")
    root = parse(drawn.svg)
    y = LinearScale((0, 100), (FRAME.y1, FRAME.y0))
    assert circles(root) == [(34.0, y(50)), (386.0, y(20))]  # pain: 50, then 20
    labels = [g.get("data-label") for g in root.findall(".//svg:g[@class='series']", NS)]
    assert labels == [
        "Pain (change that matters: 12 points)",
        "Disability (change that matters: 7 points)",
        "Activity limitation (no published value)",
        "Total (change that matters: 7 points)",
    ]
    band = root.find(".//svg:g[@class='band']/svg:rect", NS)
    assert float(band.get("y")) == pytest.approx(y(57), abs=0.05)  # first total 50 + MID 7
    assert "Lower is better" in root.find("svg:desc", NS).text


def test_a_faam_score_that_was_not_reported_is_left_out_of_its_line():
    responses = (
        QuestionnaireResponse(Instrument.FAAM, D0, (4,) * 21, (None,) * 8),
        QuestionnaireResponse(Instrument.FAAM, D0 + timedelta(days=1), (2,) * 21, (3,) * 8),
    )
    entries = outcomes(responses, Instrument.FAAM, D0 + timedelta(days=1))
    root = parse(scores_chart(Instrument.FAAM, entries, chart_id="faam").svg)
    sports = root.find(".//svg:g[@data-label='Sports (change that matters: 9 points)']", NS)
    assert len(list(sports)) == 1  # one point, so no line either
    assert "Higher is better" in root.find("svg:desc", NS).text
