"""The diary page and the FFI and FAAM as forms: render, answer, validate, store, explain."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from footcoach.domain.diary import Instrument, QuestionnaireResponse, SessionRecord
from footcoach.domain.questionnaires import FAAM, FFI, Subscale
from footcoach.domain.scoring import score_faam, score_ffi
from tests.web.conftest import TODAY

FFI_ANSWERS: list[int | None] = [7, 9, 6, 5, 4, 3, None, None, 6, 3, 4, 5, 6, 5, 2, 4, 3, 6, 0, 0]
FFI_ANSWERS += [1, 0, 4]
FFI_FORM = {
    item.id: "na" if v is None else str(v) for item, v in zip(FFI.items, FFI_ANSWERS, strict=True)
}


def faam_form(adl: list[int | None], sports: list[int | None]) -> dict[str, str]:
    answers = dict(zip(FAAM.items, [*adl, *sports], strict=True))
    return {item.id: "na" if v is None else str(v) for item, v in answers.items()}


def stored(client) -> tuple[QuestionnaireResponse, ...]:
    return client.services.tracking.export("default")[1].questionnaires


def one_decimal(value: float | None) -> str:
    text = f"{round(value or 0, 1):.1f}".removesuffix(".0")
    return text


def fieldset(html: str, item_id: str) -> str:
    """The markup of one item's fieldset."""
    found = re.search(rf'<fieldset id="{item_id}".*?</fieldset>', html, re.S)
    assert found, item_id
    return found.group(0)


def checked(html: str, item_id: str) -> list[str]:
    """The values checked in one item's fieldset."""
    return re.findall(r'value="([^"]+)" checked', fieldset(html, item_id))


# The diary ------------------------------------------------------------------------------------


def test_the_diary_needs_a_profile(web):
    response = web.get("/diary")
    assert response.status_code == 303 and response.headers["location"] == "/welcome"


def test_an_empty_diary_offers_the_check_in_and_both_questionnaires(person):
    page = person.get("/diary")
    assert page.status_code == 200
    html = page.text
    assert html.count("<h1>") == 1
    assert 'action="/checkin"' in html and 'name="first_step_pain"' in html
    assert "No check-ins in the last 14 days." in html
    assert "No sessions in the last 14 days." in html
    assert html.count("not answered yet, so it is due now") == 2
    assert 'href="/questionnaires/ffi"' in html and 'href="/questionnaires/faam"' in html
    assert "Answer the FFI" in html and "Answer the FAAM" in html
    assert "None yet." in html
    assert 'aria-current="page"' in html and 'href="/diary" aria-current="page"' in html


def test_the_diary_lists_the_last_14_days_and_the_questionnaires_with_scores(web, intake_doc):
    from footcoach.schemas.intake import parse_intake

    tracking = web.services.tracking
    start = TODAY - timedelta(days=20)
    tracking.init("default", parse_intake(intake_doc), start=start)
    tracking.checkin("default", 7, TODAY - timedelta(days=20))  # too old to list
    tracking.checkin("default", 5, TODAY - timedelta(days=13))
    tracking.checkin("default", 4, TODAY)
    with tracking.unit_of_work() as uow:
        pid = uow.profiles.id_of("default")
        at = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
        uow.diary.add_session(
            pid,
            SessionRecord(
                TODAY - timedelta(days=1), "evening", at, completed=True, pain_during=3, effort=6
            ),
        )
        uow.diary.add_session(pid, SessionRecord(TODAY - timedelta(days=1), "daytime", at))
        uow.commit()
    tracking.record_questionnaire(
        "default", QuestionnaireResponse(Instrument.FFI, TODAY, tuple(FFI_ANSWERS))
    )
    html = web.get("/diary").text
    assert "First-step pain this morning: <strong>4/10</strong>" in html  # the card, filled in
    shown = (TODAY - timedelta(days=13)).strftime("%a %d %b")
    too_old = (TODAY - timedelta(days=20)).strftime("%a %d %b")
    assert f'<th scope="row">{shown}</th><td>5/10</td>' in html
    assert too_old not in html and "7/10" not in html
    assert "In the evening" in html and "3/10" in html and "6/10" in html
    assert "During the day" in html and "Not given" in html
    scores = score_ffi(FFI_ANSWERS)
    assert f"Total: {one_decimal(scores.total)}" in html
    assert f"Pain: {one_decimal(scores.value(Subscale.PAIN))}" in html
    assert "next due on 18 December 2026" in html  # 25 days after 23 November
    assert "Answer the FFI now anyway" in html
    assert 'href="/questionnaires/ffi/result"' in html
    assert html.count("not answered yet, so it is due now") == 1  # the FAAM


def test_a_check_in_from_the_diary_swaps_the_card(person):
    response = person.post(
        "/checkin", data={"first_step_pain": "3"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "3/10" in response.text
    assert "First-step pain this morning: <strong>3/10</strong>" in person.get("/diary").text


# The forms ------------------------------------------------------------------------------------


def test_the_ffi_form_has_a_fieldset_per_item_grouped_by_subscale(person):
    page = person.get("/questionnaires/ffi")
    assert page.status_code == 200
    html = page.text
    assert html.count("<h1>") == 1
    assert html.count('<fieldset id="ffi-') == 23
    assert html.count("<legend>") == 23
    for heading in ("Pain", "Disability", "Activity limitation"):
        assert f">{heading}</h2>" in html
    assert "Item 1 of 23</span> Pain at its worst" in html
    assert "Item 2 of 23</span> Pain on the first steps in the morning" in html
    assert "Item 3 of 23</span> Pain walking without shoes" in html
    assert "Item 23 of 23</span> Cutting back on activities because of the feet" in html
    first = fieldset(html, "ffi-pain-1")
    values = re.findall(r'name="ffi-pain-1" value="([^"]+)"', first)
    assert values == [str(n) for n in range(11)] + ["na"]
    assert "Not applicable: you were never in that situation" in first
    for value in values:  # every radio has its own label
        assert (
            f'<label for="ffi-pain-1-{value}"><input type="radio" id="ffi-pain-1-{value}"' in first
        )
    assert 'aria-describedby="ffi-pain-1-scale"' in first
    assert 'id="ffi-pain-1-scale">0 is no pain, 10 is the worst pain you can imagine.' in first
    assert 'method="post" action="/questionnaires/ffi"' in html


def test_the_faam_form_names_each_answer_in_words(person):
    html = person.get("/questionnaires/faam").text
    assert html.count('<fieldset id="faam-') == 29
    assert ">Everyday activities</h2>" in html and ">Sports</h2>" in html
    assert "Item 22 of 29</span> Running" in html
    running = fieldset(html, "faam-sports-1")
    assert re.findall(r'name="faam-sports-1" value="([^"]+)"', running) == [
        "4", "3", "2", "1", "0", "na"
    ]  # fmt: skip
    for words in ("No difficulty", "Slight difficulty", "Unable to do it"):
        assert words in running
    assert "Not applicable: something other than your foot or ankle limits it" in running


def test_an_unknown_questionnaire_is_a_404_page(person):
    for response in (
        person.get("/questionnaires/sf36"),
        person.post("/questionnaires/sf36", data={}),
        person.get("/questionnaires/sf36/result"),
    ):
        assert response.status_code == 404
        assert "<html" in response.text and "No such instrument" in response.text
    assert stored(person) == ()


def test_the_form_needs_a_profile(web):
    assert web.get("/questionnaires/ffi").headers["location"] == "/welcome"
    response = web.post("/questionnaires/ffi", data=FFI_FORM)
    assert response.status_code == 303 and response.headers["location"] == "/welcome"
    assert web.services.tracking.profiles() == []


# Round trips ----------------------------------------------------------------------------------


def test_ffi_answers_are_stored_raw_and_the_scores_explained(person):
    response = person.post("/questionnaires/ffi", data=FFI_FORM)
    assert response.status_code == 303
    assert response.headers["location"] == "/questionnaires/ffi/result?saved=1"
    [saved] = stored(person)
    assert saved.instrument is Instrument.FFI and saved.taken_on == TODAY
    assert saved.answers == tuple(FFI_ANSWERS)  # not applicable is kept as None
    page = person.get(response.headers["location"])
    assert page.status_code == 200
    html = page.text
    assert "Your answers are saved." in html
    scores = score_ffi(FFI_ANSWERS)
    for subscale in (Subscale.PAIN, Subscale.DISABILITY, Subscale.ACTIVITY_LIMITATION):
        assert f"<strong>{one_decimal(scores.value(subscale))}</strong>" in html
    assert f"<strong>{one_decimal(scores.total)}</strong>" in html
    assert "7 of 9 applied" in html  # two pain items were not applicable
    assert "Lower is better" in html
    assert "Pain: 12 points" in html and "Disability: 7 points" in html
    assert "Total: 7 points" in html and "Activity limitation: no published value" in html
    assert "Change since" not in html  # nothing to compare with yet


def test_a_second_ffi_shows_the_change_against_the_minimal_important_difference(person):
    person.post("/questionnaires/ffi", data={item.id: "6" for item in FFI.items})
    person.services.clock.day = TODAY + timedelta(days=28)
    person.post("/questionnaires/ffi", data={item.id: "3" for item in FFI.items})
    html = person.get("/questionnaires/ffi/result").text
    assert "Change since Monday 23 November 2026" in html
    assert "\u221230 points:\n  a meaningful improvement" in html
    assert "Your answers are saved." not in html  # only right after saving


def test_faam_answers_round_trip_and_a_thin_sports_score_is_not_reported(person):
    adl: list[int | None] = [4, 3, 3, 2, 3, 2, 2, 3, 3, 1, 2, 3, 4, 3, 2, 3, 4, 4, 3, 1, None]
    sports: list[int | None] = [None, None, None, 2, 3, 4, None, None]
    response = person.post("/questionnaires/faam", data=faam_form(adl, sports))
    assert response.headers["location"] == "/questionnaires/faam/result?saved=1"
    [saved] = stored(person)
    assert saved.answers == tuple(adl) and saved.sports == tuple(sports)
    html = person.get(response.headers["location"]).text
    scores = score_faam(adl, sports)
    assert scores.value(Subscale.SPORTS) is None
    assert f"<strong>{one_decimal(scores.value(Subscale.ADL))}</strong>" in html
    assert "20 of 21 answered" in html
    assert "Not reported" in html and "3 of 8 answered; at least 7 needed" in html
    assert "When a score is not reported" in html
    assert "the sports score is not reported this time" in html
    assert "Higher is better" in html
    assert "the study that tested the FAAM (Martin and colleagues, 2005)" in html
    assert "not yet been checked" not in html


def test_the_result_page_before_any_answer_points_to_the_form(person):
    html = person.get("/questionnaires/faam/result").text
    assert "You have not answered the Foot and Ankle Ability Measure yet." in html
    assert 'href="/questionnaires/faam"' in html


# Validation -----------------------------------------------------------------------------------


def test_an_empty_form_names_every_item_and_writes_nothing(person):
    response = person.post("/questionnaires/ffi", data={})
    assert response.status_code == 422
    html = response.text
    assert "23 answers need a look" in html and 'role="alert"' in html
    assert html.count('aria-invalid="true"') == 23
    assert html.count("This one has no answer yet.") == 23  # inline, with what is allowed
    last = "Item 23, Cutting back on activities because of the feet: no answer yet"
    assert f'<a href="#ffi-activity-5">{last}</a>' in html
    assert stored(person) == ()


def test_one_missing_answer_keeps_the_others_and_is_tied_to_its_item(person):
    data = dict(FFI_FORM)
    del data["ffi-disability-4"]
    response = person.post("/questionnaires/ffi", data=data)
    assert response.status_code == 422
    html = response.text
    assert "One answer needs a look" in html
    bad = fieldset(html, "ffi-disability-4")
    assert 'aria-invalid="true"' in bad
    assert 'aria-describedby="ffi-disability-4-scale ffi-disability-4-error"' in bad
    assert 'id="ffi-disability-4-error"' in bad
    assert "Choose a number from 0 (no pain) to 10" not in bad  # the section's own words
    assert "Choose a number from 0 (no difficulty) to 10 (so hard you needed help)" in bad
    assert checked(html, "ffi-pain-2") == ["7"]  # worst pain, asked first
    assert checked(html, "ffi-pain-8") == ["na"]  # not applicable is kept too
    assert html.count('aria-invalid="true"') == 1
    assert stored(person) == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11", "“11” is not one of the answers."),
        ("-1", "“-1” is not one of the answers."),
        ("abc", "“abc” is not one of the answers."),
        ("3.5", "“3.5” is not one of the answers."),
        ("", "This one has no answer yet."),
    ],
)
def test_a_value_off_the_scale_is_named_with_what_is_allowed(person, value, message):
    data = dict(FFI_FORM, **{"ffi-pain-2": value})
    response = person.post("/questionnaires/ffi", data=data)
    assert response.status_code == 422
    bad = fieldset(response.text, "ffi-pain-2")
    assert message in bad
    assert "Choose a number from 0 (no pain) to 10 (the worst pain you can imagine)" in bad
    assert "or “Not applicable”" in bad
    assert stored(person) == ()


def test_a_faam_value_above_four_is_refused(person):
    data = faam_form([4] * 21, [4] * 8)
    data["faam-adl-3"] = "5"
    response = person.post("/questionnaires/faam", data=data)
    assert response.status_code == 422
    bad = fieldset(response.text, "faam-adl-3")
    assert "“5” is not one of the answers." in bad
    assert "from “No difficulty” to “Unable to do it”, or “Not applicable”" in bad
    assert checked(response.text, "faam-adl-2") == ["4"]
    assert stored(person) == ()


def test_two_answers_to_one_item_are_refused(person):
    body = "&".join(f"{key}={value}" for key, value in FFI_FORM.items()) + "&ffi-pain-1=2"
    response = person.post(
        "/questionnaires/ffi",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422
    assert "Choose only one answer." in fieldset(response.text, "ffi-pain-1")
    assert stored(person) == ()
