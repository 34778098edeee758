def test_a_newcomer_lands_on_onboarding(web):
    response = web.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/welcome"


def test_a_known_person_lands_on_today(person):
    response = person.get("/")
    assert response.headers["location"] == "/today"
    page = person.get("/today")
    assert page.status_code == 200
    assert "After your first steps" in page.text and "Plantar fascia stretch" in page.text


def test_checkin_by_plain_form_post_redirects_to_today(person):
    response = person.post("/checkin", data={"first_step_pain": "4"})
    assert response.status_code == 303
    assert "4/10" in person.get("/today").text


def test_checkin_by_htmx_swaps_the_card(person):
    response = person.post(
        "/checkin", data={"first_step_pain": "4"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "4/10" in response.text and "<html" not in response.text


def test_a_bad_checkin_shows_an_inline_error_and_writes_nothing(person):
    response = person.post(
        "/checkin", data={"first_step_pain": "12"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "0 to 10" in response.text
    assert person.services.tracking.today("default").checkin is None


def test_unknown_api_routes_answer_problem_json(web):
    response = web.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_unknown_pages_answer_an_html_page(web):
    response = web.get("/nothing-here")
    assert response.status_code == 404 and "<html" in response.text
