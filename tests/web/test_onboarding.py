"""The welcome form: a program (to /today), a referral (nothing stored), or inline errors."""

from __future__ import annotations

import re

import pytest

from footcoach.domain.errors import Problem
from footcoach.domain.intake import PainSite, RedFlag
from footcoach.domain.screening import SOON_FLAGS, URGENT_FLAGS
from footcoach.services.intake_questions import (
    EQUIPMENT_WORDS,
    INJECTION_QUESTION,
    INJECTION_WEEKS_QUESTION,
    MAIN_SITE_QUESTION,
    PREGNANT_QUESTION,
    RED_FLAG_QUESTIONS,
)
from footcoach.web.routes.onboarding import FLAG_GROUPS, _key
from tests.web.conftest import TODAY


def answers(**changes: object) -> dict[str, object]:
    """A complete, valid form post (the example intake); keyword changes override fields."""
    data: dict[str, object] = {
        "goal": "heel_pain",
        "feet": "left",
        "pain_site": ["plantar_heel", "arch"],
        "first_step_pain": "6",
        "weeks_of_symptoms": "10",
        "equipment": ["towel", "golf_ball", "step", "wall", "chair"],
        "minutes_per_day": "25",
        "wake_time": "06:30",
        "bed_time": "22:30",
        "age": "47",
        "main_pain_site": "plantar_heel",
        "pregnant": "no",
        "steroid_injection": "no",
    }
    data.update({f"flag-{f.value}": "no" for f in RedFlag})
    data.update({k.replace("__", "-"): v for k, v in changes.items()})
    return {k: v for k, v in data.items() if v is not None}


def message_of(page: str, key: str) -> str:
    """The text of the error slot beside one field."""
    match = re.search(rf'<div id="{key}-msg" class="field-msg">(.*?)</div>', page, re.S)
    assert match, f"no error slot for {key}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;")


def test_the_shared_wording_is_the_terminals_wording():
    from footcoach.cli import intake_prompt

    assert intake_prompt.RED_FLAG_QUESTIONS == RED_FLAG_QUESTIONS
    assert intake_prompt.EQUIPMENT_WORDS == EQUIPMENT_WORDS


def test_every_safety_question_is_asked_once():
    asked = [f for g in FLAG_GROUPS for f in g.flags]
    assert sorted(asked) == sorted(RedFlag)


def test_a_newcomer_sees_the_whole_form(web):
    page = web.get("/welcome")
    assert page.status_code == 200
    text = page.text
    assert text.count("<h1") == 1 and "Welcome to footcoach" in text
    for question in RED_FLAG_QUESTIONS.values():
        assert escaped(question) in text
    for words in EQUIPMENT_WORDS.values():
        assert escaped(words[0].upper() + words[1:]) in text
    assert "back of the heel" in text and "Achilles" in text
    assert 'name="replace"' not in text
    assert "Why we ask" in text
    assert 'hx-post="/welcome/check"' in text and "novalidate" in text


def test_good_answers_make_a_program_starting_today(web):
    response = web.post("/welcome", data=answers())
    assert response.status_code == 303 and response.headers["location"] == "/today"
    profile, _ = web.services.tracking.export("default")
    assert profile.start == TODAY and profile.intake.age == 47
    assert [s.value for s in profile.intake.pain_site] == ["plantar_heel", "arch"]
    assert profile.intake.wake_time.strftime("%H:%M") == "06:30"
    assert web.get("/today").status_code == 200


def test_a_goal_of_stronger_feet_may_leave_where_it_hurts_empty(web):
    response = web.post(
        "/welcome",
        data=answers(
            goal="foot_strength", pain_site=None, first_step_pain="0", weeks_of_symptoms="0"
        ),
    )
    assert response.status_code == 303


def _no_program_content(web, text: str) -> None:
    for exercise in web.services.catalog.exercises():
        assert exercise.name.lower() not in text.lower(), exercise.name
    assert "/library/" not in text and "/session/" not in text and "Start" not in text


def test_an_urgent_flag_refers_today_and_stores_nothing(web):
    response = web.post("/welcome", data=answers(flag__trauma="yes"))
    assert response.status_code == 200
    text = response.text
    assert text.count("<h1") == 1 and "Please see a doctor today" in text
    assert "today" in text and 'class="referral"' in text
    assert escaped(URGENT_FLAGS[RedFlag.TRAUMA]) in text
    assert "emergency department" in text
    assert "not saved" in text
    _no_program_content(web, text)
    assert web.services.tracking.profiles() == []


def test_a_soon_flag_refers_within_a_week_or_two(web):
    response = web.post("/welcome", data=answers(flag__numbness_tingling="yes"))
    assert response.status_code == 200
    text = response.text
    assert "in the next week or two" in text
    assert escaped(SOON_FLAGS[RedFlag.NUMBNESS_TINGLING]) in text
    assert "physiotherapist" in text and "podiatrist" in text
    _no_program_content(web, text)
    assert web.services.tracking.profiles() == []


def test_an_urgent_and_a_soon_flag_together_are_urgent_with_both_reasons(web):
    response = web.post("/welcome", data=answers(flag__fever="yes", flag__cancer_history="yes"))
    assert "Please see a doctor today" in response.text
    assert escaped(SOON_FLAGS[RedFlag.CANCER_HISTORY]) in response.text


def test_a_child_is_referred(web):
    response = web.post("/welcome", data=answers(age="12"))
    assert response.status_code == 200
    assert "in the next week or two" in response.text and "under 16" in response.text
    _no_program_content(web, response.text)
    assert web.services.tracking.profiles() == []


def test_pain_at_the_back_of_the_heel_is_referred(web):
    response = web.post("/welcome", data=answers(pain_site=["back_of_heel"]))
    assert response.status_code == 200
    assert "Achilles" in response.text and "next week or two" in response.text
    _no_program_content(web, response.text)
    assert web.services.tracking.profiles() == []


def test_the_referral_page_leads_back_to_the_form_with_the_answers_kept(web):
    referral = web.post("/welcome", data=answers(flag__trauma="yes", age="52"))
    hidden = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', referral.text)
    )
    assert hidden["flag-trauma"] == "yes" and hidden["age"] == "52"
    sites = re.findall(r'name="pain_site" value="([^"]+)"', referral.text)
    form = {**hidden, "pain_site": sites}
    page = web.post("/welcome/edit", data=form)
    assert page.status_code == 200
    assert re.search(r'id="flag-trauma-yes"[^>]*checked', page.text)
    assert re.search(r'id="pain_site-arch"[^>]*checked', page.text)
    assert 'value="52"' in page.text
    assert web.services.tracking.profiles() == []


ERRORS = [
    ({"goal": None}, "goal", "less heel pain, or stronger feet"),
    ({"goal": "dancing"}, "goal", "less heel pain, or stronger feet"),
    ({"feet": None}, "feet", "left, right or both"),
    ({"pain_site": None}, "pain_site", "at least one place"),
    ({"pain_site": ["knee"]}, "pain_site", "at least one place"),
    ({"first_step_pain": None}, "first_step_pain", "from 0 (no pain) to 10"),
    ({"first_step_pain": "11"}, "first_step_pain", "from 0 (no pain) to 10"),
    ({"weeks_of_symptoms": "lots"}, "weeks_of_symptoms", "from 0 to 520"),
    ({"weeks_of_symptoms": "600"}, "weeks_of_symptoms", "from 0 to 520"),
    ({"flag__fever": None}, "flag-fever", "yes or no"),
    ({"flag__cancer_history": "maybe"}, "flag-cancer_history", "yes or no"),
    ({"equipment": ["jetpack"]}, "equipment", "only things from the list"),
    ({"minutes_per_day": "2"}, "minutes_per_day", "from 5 to 120"),
    ({"minutes_per_day": ""}, "minutes_per_day", "from 5 to 120"),
    ({"wake_time": "7am"}, "wake_time", "such as 06:30"),
    ({"bed_time": "25:00"}, "bed_time", "such as 06:30"),
    ({"bed_time": "06:30"}, "bed_time", "different from the time you get up"),
    ({"age": "0"}, "age", "from 1 to 120"),
    ({"age": ""}, "age", "from 1 to 120"),
    ({"age": "forty"}, "age", "from 1 to 120"),
    ({"main_pain_site": None}, "main_pain_site", "hurts most from the places you ticked"),
    ({"main_pain_site": "calf"}, "main_pain_site", "hurts most from the places you ticked"),
    ({"main_pain_site": "knee"}, "main_pain_site", "hurts most from the places you ticked"),
    ({"pregnant": None}, "pregnant", "yes or no"),
    ({"pregnant": "perhaps"}, "pregnant", "yes or no"),
    ({"steroid_injection": None}, "steroid_injection", "yes or no"),
    (
        {"steroid_injection": "yes"},
        "steroid_injection_weeks_ago",
        "from 0 to 520. Type 0 if it was less than a week ago",
    ),
    (
        {"steroid_injection": "yes", "steroid_injection_weeks_ago": "600"},
        "steroid_injection_weeks_ago",
        "from 0 to 520",
    ),
    (
        {"steroid_injection": "yes", "steroid_injection_weeks_ago": "-1"},
        "steroid_injection_weeks_ago",
        "from 0 to 520",
    ),
    (
        {"steroid_injection": "yes", "steroid_injection_weeks_ago": "a month"},
        "steroid_injection_weeks_ago",
        "from 0 to 520",
    ),
]


@pytest.mark.parametrize(("changes", "key", "words"), ERRORS)
def test_a_bad_answer_is_shown_beside_its_field_and_nothing_is_written(web, changes, key, words):
    response = web.post("/welcome", data=answers(**changes))
    assert response.status_code == 422
    text = response.text
    assert words in message_of(text, key)
    assert 'role="alert"' in text and f'href="#{key}' in text  # the summary links to the field
    assert re.search(rf'id="{key}"[^>]*aria-invalid="true"', text)
    assert f'aria-describedby="{key}-msg"' in text or f"{key}-hint {key}-msg" in text
    # every other answer is kept
    assert re.search(r'id="feet-left"[^>]*checked', text) or key == "feet"
    assert re.search(r'id="equipment-towel"[^>]*checked', text) or key == "equipment"
    assert web.services.tracking.profiles() == []


def test_several_bad_answers_are_all_reported_at_once(web):
    response = web.post("/welcome", data=answers(age="0", minutes_per_day="1", flag__fever=None))
    assert response.status_code == 422
    for key in ("age", "minutes_per_day", "flag-fever"):
        assert message_of(response.text, key)
    assert "3 answers need a look" in response.text
    assert message_of(response.text, "goal") == ""


def test_a_problem_on_a_listed_red_flag_points_at_that_question():
    fields = ["fever", "cancer_history"]
    assert _key(Problem("red_flags[1]", "x", "allowed"), fields) == "flag-cancer_history"
    assert _key(Problem("red_flags[5]", "x", "allowed"), fields) == "form"
    assert _key(Problem("equipment[0]", "x", "allowed"), fields) == "equipment"
    assert _key(Problem("age", 0, "allowed"), fields) == "age"
    assert _key(Problem("schema", "x", "allowed"), fields) == "form"


def test_htmx_checks_one_field_as_it_changes(web):
    bad = web.post(
        "/welcome/check",
        data={**answers(age="200"), "check": "age"},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text and "from 1 to 120" in bad.text and "<html" not in bad.text
    good = web.post(
        "/welcome/check", data={**answers(), "check": "age"}, headers={"HX-Request": "true"}
    )
    assert good.status_code == 200 and good.text.strip() == ""
    partial = web.post("/welcome/check", data={"age": "30", "check": "age"})
    assert partial.status_code == 200 and partial.text.strip() == ""  # other fields not judged
    assert web.post("/welcome/check", data={"check": "goal"}).status_code == 204
    assert web.services.tracking.profiles() == []


def test_someone_with_a_program_is_offered_to_answer_again(person):
    page = person.get("/welcome")
    assert page.status_code == 200
    assert "You already have a program" in page.text
    assert '<input type="hidden" name="replace" value="1">' in page.text
    assert re.search(r'id="age"[^>]*value="47"', page.text)
    assert re.search(r'id="flag-fever-no"[^>]*checked', page.text)
    assert re.search(r'id="equipment-golf_ball"[^>]*checked', page.text)
    assert "Save and plan again" in page.text


def test_answering_again_replaces_the_answers_and_keeps_the_diary(person, clock):
    person.post("/checkin", data={"first_step_pain": "5"})
    clock.day = TODAY.replace(day=TODAY.day + 2)
    response = person.post("/welcome", data={**answers(minutes_per_day="40"), "replace": "1"})
    assert response.status_code == 303 and response.headers["location"] == "/today"
    profile, diary = person.services.tracking.export("default")
    assert profile.intake.minutes_per_day == 40 and profile.start == clock.day
    assert [c.first_step_pain for c in diary.checkins] == [5]


def test_a_post_without_replace_never_overwrites_a_program(person):
    before, _ = person.services.tracking.export("default")
    response = person.post("/welcome", data=answers(minutes_per_day="40"))
    assert response.status_code == 409
    assert "has not been changed" in response.text
    assert '<input type="hidden" name="replace" value="1">' in response.text
    assert person.services.tracking.export("default")[0] == before


def test_a_referral_when_answering_again_pauses_the_program_and_keeps_the_diary(person):
    person.services.tracking.checkin("default", 5)
    _, diary_before = person.services.tracking.export("default")
    response = person.post("/welcome", data={**answers(flag__sudden_pop="yes"), "replace": "1"})
    assert response.status_code == 200 and "Please see a doctor today" in response.text
    assert "paused your program" in response.text
    _, diary_after = person.services.tracking.export("default")
    assert diary_after == diary_before
    today = person.get("/today").text
    assert "See a clinician first" in today and "Start" not in today


def test_the_welcome_texts_are_our_own_words(web):
    from tests.support.own_words import digest, runs, stored_digests

    seeds = stored_digests()
    pages = [
        web.get("/welcome").text,
        web.post("/welcome", data=answers(flag__trauma="yes")).text,
        web.post("/welcome", data=answers(flag__numbness_tingling="yes")).text,
    ]
    for page in pages:
        text = re.sub(r"<[^>]+>", " ", page)
        assert not [r for r in runs(text) if digest(r) in seeds]


def test_unanswered_safety_questions_share_one_line_in_the_summary(web):
    one = web.post("/welcome", data=answers(flag__fever=None))
    assert "Do you have a fever? Please answer yes or no." in one.text
    blank = web.post("/welcome", data={})
    assert blank.status_code == 422
    assert "Please answer yes or no to 17 safety questions" in blank.text
    assert 'href="#flag-trauma-yes"' in blank.text  # the first one on the page
    assert all(message_of(blank.text, f"flag-{f.value}") for f in RedFlag)
    assert web.services.tracking.profiles() == []


def test_the_new_questions_are_on_the_page(web):
    text = web.get("/welcome").text
    for question in (
        MAIN_SITE_QUESTION,
        PREGNANT_QUESTION,
        INJECTION_QUESTION,
        INJECTION_WEEKS_QUESTION,
        RED_FLAG_QUESTIONS[RedFlag.NIGHT_OR_REST_PAIN],
    ):
        assert escaped(question) in text
    assert "not only when you first stand up" in text
    assert 'href="/static/welcome.css"' in text
    for name in ("main_pain_site", "pregnant", "steroid_injection"):
        assert re.search(rf'<fieldset id="{name}"', text)
    assert re.search(r'id="steroid_injection_weeks_ago"[^>]*min="0" max="520"', text)


def test_pregnancy_injection_and_main_site_are_saved(web):
    response = web.post(
        "/welcome",
        data=answers(pregnant="yes", steroid_injection="yes", steroid_injection_weeks_ago="3"),
    )
    assert response.status_code == 303
    intake = web.services.tracking.export("default")[0].intake
    assert intake.pregnant is True and intake.steroid_injection_weeks_ago == 3
    assert intake.main_pain_site is PainSite.PLANTAR_HEEL
    again = web.get("/welcome").text
    assert re.search(r'id="pregnant-yes"[^>]*checked', again)
    assert re.search(r'id="steroid_injection-yes"[^>]*checked', again)
    assert re.search(r'id="steroid_injection_weeks_ago"[^>]*value="3"', again)
    assert re.search(r'id="main_pain_site-plantar_heel"[^>]*checked', again)


def test_follow_up_answers_are_ignored_when_their_question_does_not_apply(web):
    response = web.post(
        "/welcome",
        data=answers(
            pain_site=["plantar_heel"],
            main_pain_site="arch",
            steroid_injection="no",
            steroid_injection_weeks_ago="600",
        ),
    )
    assert response.status_code == 303
    intake = web.services.tracking.export("default")[0].intake
    assert intake.main_pain_site is None and intake.steroid_injection_weeks_ago is None


def test_a_main_site_away_from_the_heel_is_referred(web):
    response = web.post("/welcome", data=answers(main_pain_site="arch"))
    assert response.status_code == 200
    assert "main pain is somewhere else" in response.text
    assert "in the next week or two" in response.text
    _no_program_content(web, response.text)
    assert web.services.tracking.profiles() == []


@pytest.mark.parametrize(
    ("flag", "heading"),
    [
        ("calf_swollen_warm_or_tender", "Please see a doctor today"),
        ("psoriasis_bowel_or_eye_inflammation", "in the next week or two"),
        ("calf_pain_walking_eases_at_rest", "in the next week or two"),
    ],
)
def test_each_new_safety_question_refers(web, flag, heading):
    response = web.post("/welcome", data=answers(**{f"flag__{flag}": "yes"}))
    assert response.status_code == 200 and heading in response.text
    table = URGENT_FLAGS if flag == "calf_swollen_warm_or_tender" else SOON_FLAGS
    assert escaped(table[RedFlag(flag)]) in response.text
    assert web.services.tracking.profiles() == []


def test_the_referral_page_keeps_the_new_answers_for_editing(web):
    referral = web.post(
        "/welcome",
        data=answers(
            flag__trauma="yes",
            pregnant="yes",
            steroid_injection="yes",
            steroid_injection_weeks_ago="5",
        ),
    )
    hidden = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', referral.text)
    )
    assert hidden["pregnant"] == "yes" and hidden["steroid_injection"] == "yes"
    assert hidden["steroid_injection_weeks_ago"] == "5"
    assert hidden["main_pain_site"] == "plantar_heel"
    page = web.post("/welcome/edit", data={**hidden, "pain_site": ["plantar_heel", "arch"]})
    assert re.search(r'id="pregnant-yes"[^>]*checked', page.text)
    assert re.search(r'id="main_pain_site-plantar_heel"[^>]*checked', page.text)


def test_htmx_checks_the_injection_weeks_as_they_change(web):
    bad = web.post(
        "/welcome/check",
        data={
            **answers(steroid_injection="yes", steroid_injection_weeks_ago="999"),
            "check": "steroid_injection_weeks_ago",
        },
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422 and "from 0 to 520" in bad.text
