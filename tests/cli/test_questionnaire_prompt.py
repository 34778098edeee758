"""Administering a questionnaire item by item, driven by scripted input."""

from __future__ import annotations

import io
from datetime import date

import pytest
from rich.console import Console

from footcoach.cli.questionnaire_prompt import (
    Answers,
    QuestionnaireStopped,
    ask,
    parse_answer,
)
from footcoach.domain.diary import Instrument, QuestionnaireResponse
from footcoach.domain.questionnaires import FAAM, FFI
from footcoach.domain.scoring import score_response


class Script:
    """An input function that answers from a list and remembers the prompts it was shown."""

    def __init__(self, *lines: str) -> None:
        self.lines = list(lines)
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)


def console() -> Console:
    return Console(file=io.StringIO(), width=120, record=True, color_system=None)


def run(instrument: Instrument, *lines: str) -> tuple[Answers, str, Script]:
    out = console()
    script = Script(*lines)
    answers = ask(instrument, out, script)
    assert script.lines == [], "the questionnaire ended before the script"
    return answers, out.export_text(), script


def test_ffi_in_order_with_not_applicable():
    lines = ["5", "7", "n", "N/A", " 3 ", "4", "na", "0", "10"] + ["2"] * 9 + ["0"] * 5
    answers, text, script = run(Instrument.FFI, *lines)
    assert answers == Answers(
        Instrument.FFI, (5, 7, None, None, 3, 4, None, 0, 10) + (2,) * 9 + (0,) * 5
    )
    assert len(script.prompts) == 23
    assert "item 1 of 23" in text and "item 4 of 23" in text and "item 23 of 23" in text
    assert FFI.items[0].label in text and FFI.items[22].label in text
    for section in FFI.sections:
        assert section.question in text
    assert "0 = no pain" in text


def test_bad_answers_are_explained_and_asked_again():
    lines = ["", "11", "-1", "2.5", "x", "4"] + ["0"] * 22
    answers, text, script = run(Instrument.FFI, *lines)
    assert answers.answers[0] == 4
    assert len(script.prompts) == 28
    assert text.count("item 1 of 23") == 6
    assert "got nothing" in text and "got '11'" in text and "got '2.5'" in text
    assert "whole number from 0 to 10" in text


def test_back_returns_to_the_previous_item_and_shows_its_answer():
    lines = ["5", "6", "b", "b", "b", "1", "2"] + ["0"] * 21
    answers, text, _ = run(Instrument.FFI, *lines)
    assert answers.answers[:2] == (1, 2)
    assert "This is the first item." in text
    assert "(was 5)" in text


def test_faam_splits_adl_and_sports_like_a_stored_response():
    lines = ["4"] * 19 + ["n", "n"] + ["3", "2", "1", "0", "4", "3", "n", "2"]
    answers, text, _ = run(Instrument.FAAM, *lines)
    assert answers.answers == (4,) * 19 + (None, None)
    assert answers.sports == (3, 2, 1, 0, 4, 3, None, 2)
    assert "item 29 of 29" in text and "4 = no difficulty" in text
    assert FAAM.items[-1].label in text
    response = answers.response(date(2026, 11, 23))
    assert response == QuestionnaireResponse(
        Instrument.FAAM, date(2026, 11, 23), answers.answers, answers.sports
    )
    scores = score_response(response)
    assert [s.score for s in scores.subscales] == [100.0, pytest.approx(1500 / 28)]


def test_faam_answers_above_4_are_refused():
    lines = ["5", "4"] + ["4"] * 28
    answers, text, _ = run(Instrument.FAAM, *lines)
    assert answers.answers[0] == 4
    assert "whole number from 0 to 4" in text


@pytest.mark.parametrize(("lines", "at"), [(["3", "q"], 2), (["3", "4"], 3), ([], 1)])
def test_quitting_or_running_out_of_input_stops_without_answers(lines, at):
    with pytest.raises(QuestionnaireStopped) as err:
        ask(Instrument.FFI, console(), Script(*lines))
    assert err.value.position == at
    assert f"item {at} of 23" in str(err.value)


def test_parse_answer_reads_numbers_and_not_applicable():
    scale = FFI.sections[0].scale
    assert parse_answer("7", scale) == 7
    assert parse_answer(" n ", scale) is None
    with pytest.raises(ValueError, match="from 0 to 10"):
        parse_answer("12", scale)
