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
