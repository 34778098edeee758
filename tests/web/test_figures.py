"""GET /api/v1/exercises/{id}/figure.svg: every exercise's drawing, or a clear problem."""

from __future__ import annotations

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
