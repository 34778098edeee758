"""The library: browsing and filtering the catalog, and one exercise's card."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from footcoach.domain.wording import dose_text
from footcoach.services.catalog import parse_filter


def listed(page: str) -> set[str]:
    """The exercise ids the results list links to."""
    results = page.split('id="library-results"')[1]
    return set(re.findall(r'<h3><a href="/library/([a-z0-9-]+)">', results))


def expected(client, **criteria: str) -> set[str]:
    return {ex.id for ex in client.services.catalog.exercises(parse_filter(**criteria))}


def test_the_library_lists_every_exercise_without_a_profile(web):
    page = web.get("/library")
    assert page.status_code == 200
    assert page.text.count("<h1") == 1
    everything = {ex.id for ex in web.services.catalog.exercises()}
    assert listed(page.text) == everything
    assert f"{len(everything)} of {len(everything)} exercises" in page.text
    assert 'aria-current="page">Library<' in page.text


def test_the_filter_form_works_without_javascript(web):
    page = web.get("/library").text
    form = page.split("<form")[1].split("</form>")[0]
    assert 'method="get"' in form and 'action="/library"' in form
    assert 'type="submit"' in form
    for name in ("category", "equipment", "position"):
        assert f'<label class="field" for="filter-{name}">' in form
        assert f'<select id="filter-{name}" name="{name}"' in form
    assert "<legend>" in form


def test_each_exercise_shows_its_facts(web):
    page = web.get("/library").text
    entry = page.split('href="/library/high-load-heel-raise">')[1].split("</li>")[0]
    assert "Strength · standing" in entry and "weight-bearing" in entry
    assert "Equipment: step, towel" in entry
    assert "Contested: a source advises against it" in entry
    in_bed = page.split('href="/library/plantar-fascia-stretch">')[1].split("</li>")[0]
    assert "can be done in bed" in in_bed and "off your feet" in in_bed


def test_a_non_foot_exercise_stays_visible_and_is_labelled(web):
    page = web.get("/library").text
    entry = page.split('href="/library/knee-tuck">')[1].split("</li>")[0]
    assert "Never scheduled: not a foot exercise" in entry
    heel_drop = page.split('href="/library/heel-drop">')[1].split("</li>")[0]
    assert "Never scheduled: left out of every program on purpose, for safety" in heel_drop


@pytest.mark.parametrize(
    "criteria",
    [
        {"category": "stretch"},
        {"equipment": "towel"},
        {"position": "lying"},
        {"category": "stretch", "position": "sitting"},
        {"category": "strength", "equipment": "step", "position": "standing"},
    ],
)
def test_filters_narrow_the_list(web, criteria):
    page = web.get("/library", params=criteria)
    assert page.status_code == 200
    wanted = expected(web, **criteria)
    assert wanted and listed(page.text) == wanted
    assert len(wanted) < len(web.services.catalog.exercises())
    for name, value in criteria.items():
        select = page.text.split(f'name="{name}"')[1].split("</select>")[0]
        assert f'<option value="{value}" selected>' in select


def test_empty_filters_mean_any(web):
    page = web.get("/library", params={"category": "", "equipment": "", "position": "lying"})
    assert page.status_code == 200
    assert listed(page.text) == expected(web, position="lying")


def test_a_filter_with_no_match_says_so(web):
    page = web.get("/library", params={"category": "massage", "equipment": "step"})
    assert page.status_code == 200
    assert "No exercise matches all of these filters" in page.text


def test_a_bad_filter_value_gives_422_with_the_allowed_values(web):
    page = web.get("/library", params={"category": "strenth", "position": "lying"})
    assert page.status_code == 422
    html = page.text
    assert 'aria-invalid="true" aria-describedby="filter-category-error"' in html
    error = html.split('id="filter-category-error"')[1].split("</p>")[0]
    assert 'role="alert"' in error
    assert "strenth" in error
    assert "Allowed: strength, mobility, stretch, balance, massage, recovery, gait." in error
    # the good value is kept, and no list is shown for a filter footcoach cannot read
    position = html.split('name="position"')[1].split("</select>")[0]
    assert '<option value="lying" selected>' in position
    assert listed(html) == set()
    assert web.services.tracking.profiles() == []


def test_every_bad_filter_is_reported_at_once(web):
    page = web.get("/library", params={"equipment": "rope", "position": "upside-down"})
    assert page.status_code == 422
    assert 'id="filter-equipment-error"' in page.text
    assert 'id="filter-position-error"' in page.text
    assert "Allowed: lying, sitting, standing, walking." in page.text
    assert "foot trainer, resistance band" in page.text
    assert 'id="filter-category-error"' not in page.text


def test_htmx_gets_only_the_results(web):
    headers = {"HX-Request": "true"}
    page = web.get("/library", params={"category": "stretch"}, headers=headers)
    assert page.status_code == 200
    assert "<html" not in page.text and "<form" not in page.text
    assert listed(page.text) == expected(web, category="stretch")
    assert 'hx-swap-oob="innerHTML"' in page.text
    bad = web.get("/library", params={"category": "nope"}, headers=headers)
    assert bad.status_code == 422 and 'role="alert"' in bad.text and "Allowed:" in bad.text
    restore = web.get("/library", headers={**headers, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_the_card_has_every_section(web):
    page = web.get("/library/high-load-heel-raise")
    assert page.status_code == 200
    html = page.text
    card = web.services.catalog.card("high-load-heel-raise")
    ex = card.exercise
    assert html.count("<h1") == 1 and escape(ex.name) in html
    for heading in (
        "Take care",
        "How much",
        "How to do it",
        "Why",
        "Equipment",
        "Other versions",
        "What the sources say",
        "Where the sources disagree",
    ):
        assert f">{heading}</h2>" in html
    for line in (*ex.steps, *ex.cues, *ex.cautions, ex.why):
        assert escape(line) in html
    assert escape(dose_text(ex.dose, ex.sides)) in html
    assert "a sturdy stair with a rail" in html
    assert "Works on: gastrocnemius, soleus, plantar fascia, achilles." in html
    assert 'href="/library/high-load-heel-raise-two-leg"' in html
    assert "Contested" in html
    for claim in ex.sources:
        assert escape(claim.says) in html
        if claim.for_whom:
            assert escape(claim.for_whom) in html
        if claim.dose:
            assert escape(claim.dose) in html
    for src in card.sources:
        assert escape(src.title) in html
    assert "Advises against it" in html and "Recommends it" in html
    assert "Strength: </span>randomised trial" in html
    assert "Strength: </span>opinion" in html
    for conflict in card.conflicts:
        assert escape(conflict.topic) in html and escape(conflict.resolution) in html
    # cautions come before the steps: they are the first thing to read
    assert html.index("Take care") < html.index("How to do it")


def test_substitutes_link_to_their_cards(web):
    html = web.get("/library/heel-drop").text
    versions = html.split('id="versions-title"')[1].split("</section>")[0]
    assert "Instead" in versions and 'href="/library/high-load-heel-raise"' in versions


def test_a_non_foot_exercise_card_shows_its_label(web):
    page = web.get("/library/knee-tuck")
    assert page.status_code == 200
    ex = web.services.catalog.card("knee-tuck").exercise
    assert "Never scheduled: not a foot exercise" in page.text
    assert escape(ex.relevance_note) in page.text


def test_an_alias_redirects_to_the_id(web):
    response = web.get("/library/rathleff-heel-raise")
    assert response.status_code == 307
    assert response.headers["location"] == "/library/high-load-heel-raise"
    spaced = web.get("/library/Rathleff heel raise")
    assert spaced.status_code == 307
    assert spaced.headers["location"] == "/library/high-load-heel-raise"


def test_an_unknown_id_gives_404_with_suggestions(web):
    page = web.get("/library/heel-rais")
    assert page.status_code == 404
    assert "<html" in page.text and page.text.count("<h1") == 1
    assert "No exercise called" in page.text
    assert "Did you mean" in page.text
    assert '<a href="/library/heel-raise">' in page.text


def test_an_unknown_id_far_from_anything_still_helps(web):
    page = web.get("/library/zzzzzz")
    assert page.status_code == 404
    assert 'href="/library"' in page.text
