"""GET /api/v1/exercises/{id}/figure.svg: every exercise's drawing, or a clear problem."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from tests.web.test_api import fields, problem

SVG = "{http://www.w3.org/2000/svg}"


def test_every_exercise_figure_is_an_svg_image(web):
    for ex in web.services.catalog.exercises():
        response = web.get(f"/api/v1/exercises/{ex.id}/figure.svg")
        assert response.status_code == 200, ex.id
        assert response.headers["content-type"] == "image/svg+xml"
        root = ET.fromstring(response.text)
        assert root.find(f"{SVG}title").text == ex.name
        assert len(response.content) < 15 * 1024


def test_the_figure_carries_its_own_narrow_policy(web):
    response = web.get("/api/v1/exercises/heel-raise/figure.svg")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_animated_false_is_the_labelled_still_pair(web):
    moving = web.get("/api/v1/exercises/heel-raise/figure.svg").text
    still = web.get("/api/v1/exercises/heel-raise/figure.svg?animated=false").text
    assert "@keyframes" in moving
    assert "@keyframes" not in still and ">Start</text>" in still and ">End</text>" in still


def test_one_pose_alone(web):
    start = web.get("/api/v1/exercises/heel-raise/figure.svg?pose=start")
    end = web.get("/api/v1/exercises/heel-raise/figure.svg?pose=end")
    assert start.status_code == end.status_code == 200
    assert start.text != end.text and ">Start</text>" not in end.text


def test_an_alias_draws_the_exercise_it_names(web):
    by_alias = web.get("/api/v1/exercises/Calf%20raise/figure.svg")
    assert by_alias.status_code == 200
    assert by_alias.text == web.get("/api/v1/exercises/heel-raise/figure.svg").text


def test_an_unknown_exercise_is_a_404_problem(web):
    body = problem(web.get("/api/v1/exercises/heel-rase/figure.svg"), 404)
    assert "heel-raise" in body["detail"]


def test_a_bad_pose_or_flag_is_a_422_naming_it(web):
    errors = fields(web.get("/api/v1/exercises/heel-raise/figure.svg?pose=middle"))
    assert "pose" in errors
    errors = fields(web.get("/api/v1/exercises/heel-raise/figure.svg?animated=maybe"))
    assert "animated" in errors


def _figure_sources(html: str) -> list[str]:
    return re.findall(r'<img class="figure[^"]*" src="([^"]+)"', html)


def test_the_exercise_card_shows_the_movement_and_the_labelled_pair(web):
    page = web.get("/library/heel-raise").text
    assert _figure_sources(page) == [
        "/api/v1/exercises/heel-raise/figure.svg",
        "/api/v1/exercises/heel-raise/figure.svg?animated=false",
    ]
    assert 'alt="Moving drawing of Heel raise (both legs)' in page
    assert "where it starts (left) and where it ends (right)" in page


def test_the_library_shows_a_thumbnail_for_every_exercise(web):
    page = web.get("/library").text
    shown = _figure_sources(page)
    assert len(shown) == len(web.services.catalog.exercises())
    assert "/api/v1/exercises/toe-splay/figure.svg?pose=end" in shown


def test_the_program_page_shows_each_item_drawn(person):
    page = person.get("/program").text
    shown = _figure_sources(page)
    linked = set(re.findall(r'<a href="/library/([a-z0-9-]+)">', page))
    assert shown and {s.split("/")[4] for s in shown} <= linked


def test_the_session_page_has_a_place_for_the_current_pose(person):
    page = person.get("/session/daytime").text
    assert 'id="step-figure"' in page and 'data-testid="step-figure"' in page
    assert "style=" not in page.split('id="step-figure"')[1].split(">")[0]
