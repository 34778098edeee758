"""footcoach exercise ID --figure FILE.svg writes the drawing; a bad path is exit code 2."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def test_figure_writes_the_drawing(run, tmp_path):
    target = tmp_path / "heel.svg"
    result = run(f"exercise heel-raise --figure {target}")
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Heel raise (both legs)"
    assert "@keyframes" in target.read_text(encoding="utf-8")
    assert str(target) in result.stdout


def test_still_writes_the_start_and_end_side_by_side(run, tmp_path):
    target = tmp_path / "heel.svg"
    assert run(f"exercise heel-raise --figure {target} --still").exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "@keyframes" not in text and ">Start</text>" in text


def test_a_folder_that_does_not_exist_is_exit_2(run, tmp_path):
    target = tmp_path / "no-such-folder" / "heel.svg"
    result = run(f"exercise heel-raise --figure {target}")
    assert result.exit_code == 2
    assert "--figure" in result.stderr and "no-such-folder" in result.stderr
    assert "Traceback" not in result.stderr and not target.exists()


def test_a_name_not_ending_in_svg_is_exit_2(run, tmp_path):
    target = tmp_path / "heel.png"
    result = run(f"exercise heel-raise --figure {target}")
    assert result.exit_code == 2
    assert ".svg" in result.stderr and not target.exists()


def test_an_unknown_exercise_is_exit_2(run, tmp_path):
    result = run(f"exercise heel-rase --figure {tmp_path / 'x.svg'}")
    assert result.exit_code == 2
    assert "heel-raise" in result.stderr
