"""Every catalog exercise is drawn: valid, titled, small, self-contained, and unlike the others."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from footcoach.domain.figure import WorkingFoot
from footcoach.services.catalog import CatalogService
from footcoach.services.figure_svg import render, tempo_of

SVG = "{http://www.w3.org/2000/svg}"
LIMIT = 15 * 1024


@pytest.fixture(scope="module")
def drawings(library):
    return {ex.id: render(ex) for ex in library.catalog}


def _drawing_only(svg: str) -> str:
    """The SVG without its title and description, so names cannot make two drawings differ."""
    svg = re.sub(r"<title[^>]*>.*?</title>", "", svg)
    return re.sub(r"<desc[^>]*>.*?</desc>", "", svg)


def test_every_exercise_in_the_catalog_has_a_figure(library):
    missing = [ex.id for ex in library.catalog if ex.figure is None]
    assert missing == []
    assert len(library.catalog) >= 41


def test_each_drawing_is_valid_titled_described_and_small(library, drawings):
    for ex in library.catalog:
        svg = drawings[ex.id]
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.get("viewBox")
        assert root.get("width") is None, "the page sets the size: it must scale"
        assert root.find(f"{SVG}title").text == ex.name
        assert root.find(f"{SVG}desc").text.startswith(ex.steps[0])
        assert len(svg.encode()) < LIMIT, f"{ex.id}: {len(svg.encode())} bytes"


def test_the_still_pair_and_single_poses_are_valid_and_small(library):
    for ex in library.catalog:
        for svg in (
            render(ex, animated=False),
            render(ex, pose="start"),
            render(ex, pose="end"),
        ):
            root = ET.fromstring(svg)
            assert root.find(f"{SVG}title").text == ex.name
            assert len(svg.encode()) < LIMIT
            assert "@keyframes" not in svg and "<animate" not in svg
        pair = render(ex, animated=False)
        assert ">Start</text>" in pair and ">End</text>" in pair


def test_no_two_exercises_share_a_drawing(library):
    for variant in ({}, {"animated": False}):
        seen: dict[str, str] = {}
        for ex in library.catalog:
            drawing = _drawing_only(render(ex, **variant))
            assert drawing not in seen, f"{ex.id} is drawn exactly like {seen.get(drawing)}"
            seen[drawing] = ex.id


def test_start_and_end_poses_differ_for_every_exercise(library):
    for ex in library.catalog:
        assert render(ex, pose="start") != render(ex, pose="end"), ex.id


def test_nothing_is_fetched_and_nothing_runs(drawings):
    for exercise_id, svg in drawings.items():
        assert "<script" not in svg and "javascript:" not in svg, exercise_id
        for ref in re.findall(r'href="([^"]*)"', svg):
            assert ref.startswith("#"), f"{exercise_id} refers outside itself: {ref}"
        for ref in re.findall(r"url\(([^)]*)\)", svg):
            assert ref.startswith("#"), f"{exercise_id} refers outside itself: {ref}"
        assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_reduced_motion_hides_the_movement_and_shows_both_poses(library, drawings):
    svg = drawings["heel-raise"]
    assert "@media(prefers-reduced-motion:reduce){.n{display:none}.q{display:inline}}" in svg
    root = ET.fromstring(svg)
    moving = [g for g in root.iter(f"{SVG}g") if g.get("class") == "n"]
    still = [g for g in root.iter(f"{SVG}g") if g.get("class") == "q"]
    assert len(moving) == 1 and len(still) == 1
    panels = [g for g in still[0] if g.tag == f"{SVG}g"]
    assert len(panels) == 2, "the start and the end pose, side by side"
    assert "animation" not in ET.tostring(still[0], encoding="unicode")


def test_light_and_dark_are_both_styled(drawings):
    for exercise_id, svg in drawings.items():
        assert "@media(prefers-color-scheme:dark)" in svg, exercise_id


def test_the_animation_runs_at_the_exercise_tempo(library):
    ex = library.catalog.get("heel-raise-towel")
    tempo = tempo_of(ex)
    assert (tempo.up_s, tempo.hold_s, tempo.down_s) == (2, 1, 2)
    seconds = tempo.up_s + tempo.hold_s + tempo.down_s + 1
    assert "infinite" in render(ex) and f" {seconds}s infinite" in render(ex)


def test_without_a_tempo_a_long_hold_is_shortened_to_keep_moving(library):
    ex = library.catalog.get("standing-calf-stretch")
    assert ex.dose.tempo is None and ex.dose.hold_s == 30
    tempo = tempo_of(ex)
    assert (tempo.up_s, tempo.hold_s, tempo.down_s) == (2, 5, 2)


def test_a_left_foot_figure_is_the_mirror_image(library):
    ex = library.catalog.get("standing-calf-stretch")
    left = replace(ex, figure=replace(ex.figure, foot=WorkingFoot.LEFT))
    assert "scale(-1 1)" in render(left)
    assert "scale(-1 1)" not in render(ex)


def test_the_service_keeps_each_drawing_once_drawn(library):
    service = CatalogService(library)
    first = service.figure("heel-raise", animated=False)
    assert service.figure("Calf raise", animated=False) is first
    assert service.figure("heel-raise", pose="end") != first


def test_the_service_names_a_bad_pose(library):
    from footcoach.domain.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as err:
        CatalogService(library).figure("heel-raise", pose="middle")
    (problem,) = err.value.problems
    assert problem.field == "pose" and problem.value == "middle"
    assert "start" in problem.allowed and "end" in problem.allowed


def _head_share(svg: str) -> float:
    """The arrowhead's length as a share of the drawing's larger side."""
    box = [float(v) for v in ET.fromstring(svg).get("viewBox").split()]
    head = re.search(
        r'<path class="h" d="M([-\d.]+) ([-\d.]+)L([-\d.]+) ([-\d.]+)L([-\d.]+) ([-\d.]+)Z', svg
    )
    assert head, "no arrowhead"
    x0, y0, x1, y1, x2, y2 = (float(v) for v in head.groups())
    back = ((x1 + x2) / 2, (y1 + y2) / 2)
    return ((x0 - back[0]) ** 2 + (y0 - back[1]) ** 2) ** 0.5 / max(box[2], box[3])


def test_arrowheads_are_sized_to_the_drawing_in_close_ups_and_whole_bodies(library):
    shares = {
        ex.id: _head_share(render(ex, pose="start"))
        for ex in library.catalog
        if ex.figure.arrow is not None and ex.id != "short-foot"
    }
    close_up = shares["foot-trainer-toe-extension"]
    whole = shares["heel-raise"]
    assert abs(close_up - whole) < 0.005, (close_up, whole)
    assert all(0.02 < share < 0.045 for share in shares.values()), shares


def test_arrows_stay_in_the_drawing_and_off_the_foot_in_close_ups(library):
    from footcoach.services import figure_svg as fs

    for ex in library.catalog:
        fig = ex.figure
        if fig.arrow is None or fig.view.value == "top" or fig.arrow.value == "arch":
            continue
        fx = fs._stand(fig)
        first, last = fs._frames(fig, fx, (fig.start, fig.end))
        svg = fs._arrow(fig, first, last, fs._box(fig, [first, last], fx))
        ends = re.findall(fs.ARROW_POINTS, svg)
        points = [(float(x), float(y)) for x, y in ends]
        x0, y0, w, h = (float(v) for v in ET.fromstring(render(ex)).get("viewBox").split())
        assert all(x0 <= x <= x0 + w and y0 <= y <= y0 + h for x, y in points), ex.id
        if fig.view.value == "foot":
            assert fs._gap(points, fs._bones(fig, (first, last))) > 0, ex.id


def test_a_toe_lift_keeps_the_toes_straight_and_a_toe_tip_lift_bends_their_ends(library):
    lift = render(library.catalog.get("foot-trainer-toe-extension"), animated=False)
    tip_lift = render(library.catalog.get("foot-trainer-toe-tip-extension"), animated=False)
    assert 'id="big_tip"' not in lift and 'id="big_tip"' in tip_lift
    # the trainer's pad rides on the end of the toe for the tips, on its base otherwise
    assert re.search(r'href="#big_tip"/><rect class="k"', tip_lift)
    assert re.search(r'href="#big_toe"/><rect class="k"', lift)
    assert _drawing_only(lift) != _drawing_only(tip_lift)


def test_the_towel_bunches_as_the_toes_curl(library):
    ex = library.catalog.get("towel-toe-curl")
    towels = re.findall(r'<path class="r" d="([^"]+)"', render(ex, animated=False))
    assert len(towels) == 2 and towels[0] != towels[1]
    assert "<animate" in render(ex) and 'values="M' in render(ex)


def test_the_standing_short_foot_shows_its_foot_magnified_with_the_arch_rising(library):
    ex = library.catalog.get("short-foot")
    svg = render(ex, animated=False)
    assert '<clipPath id="i"><circle' in svg and 'clip-path="url(#i)"' in svg
    assert "scale(" in svg.split('clip-path="url(#i)"')[1]
    assert 'class="h"' in svg, "the arrow under the arch, in the inset"
    assert '<clipPath id="i">' not in render(library.catalog.get("heel-raise"))
