"""Multi-user mode in the web app: accounts, cookies, CSRF, API tokens, invites, and privacy."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import pytest

from footcoach.domain.accounts import Role
from footcoach.services.accounts import (
    ACCOUNT_SLOW_AFTER,
    LOGIN_WINDOW,
    PAIR_FAILURES_MAX,
    REGISTRATIONS_MAX,
    SESSION_DAYS,
)
from footcoach.web.auth import SESSION_COOKIE
from tests.web.multi_user import PASSWORD, multi_fixture, multi_https_fixture  # noqa: F401

SECRET_ON_PAGE = re.compile(r'id="new-token-secret" value="(fct_[^"]+)"')


def _session_cookie(response) -> SimpleCookie:
    (header,) = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    cookie = SimpleCookie()
    cookie.load(header)
    assert SESSION_COOKIE in cookie
    return cookie


def _field_error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error" role="alert">(.*?)</p>', page, re.S)
    assert found, f"no inline error for {field}"
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page, re.S), field
    return re.sub(r"<[^>]+>", "", found.group(1))


# registering and logging in ---------------------------------------------------------------------


def test_a_newcomer_registers_and_lands_on_the_intake_logged_in(multi):
    browser = multi.client()
    assert browser.get("/register").status_code == 200
    answer = browser.post(
        "/register", data={"email": "Ann@Example.org", "password": "a long passphrase"}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/welcome"
    welcome = browser.get("/welcome")
    assert welcome.status_code == 200
    assert "Log out" in welcome.text
    user = multi.services.accounts.user_by_email("ann@example.org")
    assert user is not None and user.role is Role.PERSON


def test_a_new_person_answers_the_intake_into_their_own_profile(multi):
    from tests.web.test_onboarding import answers

    browser = multi.client()
    browser.post("/register", data={"email": "dee@example.org", "password": "a long passphrase"})
    assert browser.get("/").headers["location"] == "/welcome"
    page = browser.get("/welcome").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    done = browser.post("/welcome", data={**answers(), "csrf_token": token})
    assert done.status_code == 303 and done.headers["location"] == "/today"
    user = multi.services.accounts.user_by_email("dee@example.org")
    assert user.profile in multi.services.tracking.profiles()
    assert "default" not in multi.services.tracking.profiles()
    assert browser.get("/today").status_code == 200


@pytest.mark.parametrize(
    ("email", "password", "field", "words"),
    [
        ("not an address", "a long passphrase", "email", "e-mail address like"),
        ("bo@example.org", "short", "password", "at least 10 characters"),
        ("bo@example.org", "password123", "password", "commonest"),
    ],
)
def test_registration_errors_name_the_field(multi, email, password, field, words):
    answer = multi.client().post("/register", data={"email": email, "password": password})
    assert answer.status_code == 422
    assert words in _field_error(answer.text, field)
    assert multi.services.accounts.user_by_email("bo@example.org") is None


def _form_error(page: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*id="form-error".*?</div>', page, re.S)
    assert found, "no error for the whole form"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split())


def test_registering_a_taken_address_does_not_say_it_is_taken(multi):
    multi.user("cy@example.org")
    answer = multi.client().post(
        "/register", data={"email": "CY@example.org", "password": "another passphrase"}
    )
    assert answer.status_code == 422
    assert "could not make an account with these details" in _form_error(answer.text)
    assert 'id="email-error"' not in answer.text
    for telling in ("no account yet", "already registered", "taken", "exists"):
        assert telling not in answer.text
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
    assert len(multi.services.accounts.users()) == 1


def test_registrations_from_one_address_are_limited(multi):
    browser = multi.client()
    for n in range(REGISTRATIONS_MAX):
        made = browser.post(
            "/register", data={"email": f"p{n}@example.org", "password": "another passphrase"}
        )
        assert made.status_code == 303
        browser.cookies.clear()
    refused = browser.post(
        "/register", data={"email": "late@example.org", "password": "another passphrase"}
    )
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) == int(LOGIN_WINDOW.total_seconds())
    assert "try again in 15 minutes" in _form_error(refused.text)
    assert multi.services.accounts.user_by_email("late@example.org") is None
    elsewhere = multi.client(client=("203.0.113.5", 50000)).post(
        "/register", data={"email": "late@example.org", "password": "another passphrase"}
    )
    assert elsewhere.status_code == 303


@pytest.mark.parametrize(
    "password", ["iloveyou12", "Summer2024!", "passwordpassword", "0000000001", "ababababab"]
)
def test_common_and_low_variety_passwords_are_refused_at_registration(multi, password):
    form = {"email": "bo@example.org", "password": password}
    answer = multi.client().post("/register", data=form)
    assert answer.status_code == 422
    assert _field_error(answer.text, "password")
    assert multi.services.accounts.user_by_email("bo@example.org") is None


def test_login_goes_to_the_page_asked_for_and_never_to_another_site(multi):
    ann = multi.user("ann@example.org")
    browser = multi.client()
    first = browser.get("/progress?weeks=4")
    assert first.status_code == 303
    assert first.headers["location"] == "/login?next=/progress%3Fweeks%3D4"
    form = browser.get(first.headers["location"])
    assert 'name="next" value="/progress?weeks=4"' in form.text
    answer = browser.post(
        "/login", data={"email": ann.email, "password": PASSWORD, "next": "/progress?weeks=4"}
    )
    assert answer.headers["location"] == "/progress?weeks=4"
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        other = multi.client().post(
            "/login", data={"email": ann.email, "password": PASSWORD, "next": evil}
        )
        assert other.status_code == 303
        assert other.headers["location"] == "/"


def test_a_clinician_lands_on_the_clinic_and_person_pages_send_them_there(multi):
    doc = multi.actor("doc@example.org", Role.CLINICIAN)
    answer = multi.client().post("/login", data={"email": doc.user.email, "password": PASSWORD})
    assert answer.headers["location"] == "/clinic"
    for page in ("/", "/today", "/settings"):
        sent = doc.client.get(page)
        assert (sent.status_code, sent.headers.get("location")) == (303, "/clinic"), page
    refused = doc.client.get("/api/v1/today")
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert 'href="/clinic"' in doc.client.get("/settings/account").text


def test_a_wrong_password_or_address_gets_the_same_inline_message(multi):
    ann = multi.user("ann@example.org")
    browser = multi.client()
    wrong = browser.post("/login", data={"email": ann.email, "password": "not my password"})
    nobody = browser.post("/login", data={"email": "zed@example.org", "password": "whatever1234"})
    assert wrong.status_code == nobody.status_code == 422
    assert _field_error(wrong.text, "password") == _field_error(nobody.text, "password")
    assert "wrong" in _field_error(wrong.text, "password")
    assert 'value="ann@example.org"' in wrong.text
    assert SESSION_COOKIE not in browser.cookies
    empty = browser.post("/login", data={"email": "", "password": ""})
    assert empty.status_code == 422
    assert _field_error(empty.text, "email") and _field_error(empty.text, "password")


def test_too_many_wrong_passwords_lock_the_account_with_retry_after(multi):
    ann = multi.user("ann@example.org")
    browser = multi.client()
    for _ in range(PAIR_FAILURES_MAX):
        assert (
            browser.post("/login", data={"email": ann.email, "password": "nope nope 1"}).status_code
            == 422
        )
    locked = browser.post("/login", data={"email": ann.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) == int(LOGIN_WINDOW.total_seconds())
    assert "try again in 15 minutes" in locked.text
    assert "for this account from here" in locked.text
    assert 'role="alert"' in locked.text
    assert SESSION_COOKIE not in browser.cookies
    # the owner, elsewhere, is not locked out by those guesses
    home = multi.client(client=("198.51.100.7", 50000))
    assert home.post("/login", data={"email": ann.email, "password": PASSWORD}).status_code == 303


def test_guesses_from_many_addresses_slow_the_account_for_seconds(multi):
    ann = multi.user("ann@example.org")
    for n in range(ACCOUNT_SLOW_AFTER):
        guesser = multi.client(client=(f"203.0.113.{n + 1}", 50000))
        wrong = guesser.post("/login", data={"email": ann.email, "password": "nope nope 1"})
        assert wrong.status_code == 422
    slowed = multi.client().post("/login", data={"email": ann.email, "password": PASSWORD})
    assert slowed.status_code == 429
    assert int(slowed.headers["retry-after"]) == 30
    assert "one try at a time" in slowed.text and "try again in 30 seconds" in slowed.text


def test_a_login_finding_every_hashing_slot_busy_is_told_to_retry(multi):
    from argon2 import profiles

    from footcoach.adapters.passwords import Argon2Hasher

    ann = multi.user("ann@example.org")
    hasher = Argon2Hasher(profiles.CHEAPEST, slots=1, wait_s=0)
    multi.services.accounts.hasher = hasher
    browser = multi.client()
    with hasher.slot():  # another login is hashing
        busy = browser.post("/login", data={"email": ann.email, "password": PASSWORD})
        registering = multi.client().post(
            "/register", data={"email": "bo@example.org", "password": "another passphrase"}
        )
    assert busy.status_code == registering.status_code == 429
    assert int(busy.headers["retry-after"]) > 0 and registering.headers["retry-after"]
    assert "checking many passwords" in busy.text
    assert multi.services.accounts.user_by_email("bo@example.org") is None
    again = browser.post("/login", data={"email": ann.email, "password": PASSWORD})
    assert again.status_code == 303


# cookies -------------------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_lax_and_lasts_the_session(multi):
    ann = multi.user("ann@example.org")
    answer = multi.client().post("/login", data={"email": ann.email, "password": PASSWORD})
    morsel = _session_cookie(answer)[SESSION_COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "lax"
    assert morsel["path"] == "/"
    assert int(morsel["max-age"]) == SESSION_DAYS * 24 * 3600
    assert not morsel["secure"]


def test_over_https_the_cookie_is_secure(multi_https):
    ann = multi_https.user("ann@example.org")
    answer = multi_https.client().post("/login", data={"email": ann.email, "password": PASSWORD})
    morsel = _session_cookie(answer)[SESSION_COOKIE]
    assert morsel["secure"] is True
    assert morsel["httponly"] is True


def test_a_tampered_or_unsigned_cookie_is_nobody(multi):
    ann = multi.actor("ann@example.org")
    value = ann.client.cookies[SESSION_COOKIE]
    token, _, mac = value.rpartition(".")
    for forged in (token, f"{token}.{mac[:-2]}xx", f"x{token}.{mac}"):
        browser = multi.client()
        browser.cookies.set(SESSION_COOKIE, forged)
        assert browser.get("/today").status_code == 303
    browser = multi.client()
    browser.cookies.set(SESSION_COOKIE, value)  # the genuine one works in another client
    assert browser.get("/today").status_code == 200


# CSRF ---------------------------------------------------------------------------------------


def test_a_form_post_without_or_with_a_wrong_csrf_token_is_refused(multi):
    ann = multi.actor("ann@example.org")
    for data in ({"first_step_pain": "3"}, {"first_step_pain": "3", "csrf_token": "forged"}):
        refused = ann.client.post("/checkin", data=data)
        assert refused.status_code == 403
        assert "out of date" in refused.text
    json_refused = ann.client.post(
        "/checkin", data={"first_step_pain": "3"}, headers={"Accept": "application/json"}
    )
    assert json_refused.headers["content-type"] == "application/problem+json"
    assert json_refused.json()["type"] == "/problems/csrf"
    assert multi.services.tracking.today(ann.user.profile).checkin is None
    ok = ann.post("/checkin", data={"first_step_pain": "3"})
    assert ok.status_code == 303
    assert multi.services.tracking.today(ann.user.profile).checkin is not None


def test_htmx_sends_the_token_in_a_header_from_the_body(multi):
    ann = multi.actor("ann@example.org")
    page = ann.client.get("/today").text
    assert f'hx-headers=\'{{"X-CSRF-Token": "{ann.csrf}"}}\'' in page
    assert f'<input type="hidden" name="csrf_token" value="{ann.csrf}">' in page
    answer = ann.client.post(
        "/checkin",
        data={"first_step_pain": "2"},
        headers={"HX-Request": "true", "X-CSRF-Token": ann.csrf},
    )
    assert answer.status_code == 200


def test_the_api_with_the_cookie_needs_the_csrf_header(multi):
    ann = multi.actor("ann@example.org")
    body = {"first_step_pain": 4}
    refused = ann.client.post("/api/v1/checkins", json=body)
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/csrf"
    ok = ann.client.post("/api/v1/checkins", json=body, headers={"X-CSRF-Token": ann.csrf})
    assert ok.status_code == 201


def test_the_csrf_token_is_per_session(multi):
    ann = multi.actor("ann@example.org")
    other_browser = multi.login(ann.user)
    assert other_browser.csrf != ann.csrf
    refused = ann.client.post(
        "/checkin", data={"first_step_pain": "3", "csrf_token": other_browser.csrf}
    )
    assert refused.status_code == 403


def test_a_cross_site_post_is_refused_even_without_a_session(multi):
    refused = multi.client().post(
        "/login",
        data={"email": "a@example.org", "password": "whatever1234"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert refused.status_code == 403


# logging out ----------------------------------------------------------------------------------


def test_logout_ends_the_session_clears_the_cookie_and_the_cache(multi):
    ann = multi.actor("ann@example.org")
    old_cookie = ann.client.cookies[SESSION_COOKIE]
    refused = ann.client.post("/logout")  # no token: not even logging out is forgeable
    assert refused.status_code == 403
    answer = ann.post("/logout")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?out=1"
    assert answer.headers["clear-site-data"] == '"cache"'
    morsel = _session_cookie(answer)[SESSION_COOKIE]
    assert morsel.value == "" or int(morsel["max-age"]) == 0
    assert "data-clear-offline" in multi.client().get("/login?out=1").text
    replay = multi.client()
    replay.cookies.set(SESSION_COOKIE, old_cookie)
    assert replay.get("/today").status_code == 303


def test_logout_everywhere_ends_every_other_session(multi):
    phone = multi.actor("ann@example.org")
    laptop = multi.login(phone.user)
    assert laptop.client.get("/today").status_code == 200
    answer = phone.post("/logout-everywhere")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?out=all"
    assert answer.headers["clear-site-data"] == '"cache"'
    assert laptop.client.get("/today").status_code == 303
    assert laptop.client.get("/api/v1/today").status_code == 401


def _token_secret(actor) -> str:
    made = actor.post("/settings/account/tokens", data={"name": "my spreadsheet"})
    return SECRET_ON_PAGE.search(made.text).group(1)


def _bearer(multi, secret: str) -> int:
    answer = multi.client().get("/api/v1/today", headers={"Authorization": f"Bearer {secret}"})
    return answer.status_code


@pytest.mark.parametrize("how", ["change password", "log out everywhere"])
def test_api_tokens_stop_working_after_a_password_change_or_logging_out_everywhere(multi, how):
    ann = multi.actor("ann@example.org")
    bo = multi.actor("bo@example.org")
    secret, others = _token_secret(ann), _token_secret(bo)
    assert _bearer(multi, secret) == 200
    page = ann.client.get("/settings/account").text
    assert "Changing your password, having it reset, or logging out everywhere revokes" in page
    if how == "change password":
        answer = ann.post(
            "/settings/account/password",
            data={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        )
        assert answer.status_code == 303
        after = ann.client.get(answer.headers["location"]).text
        assert "Your API tokens are revoked" in after
        assert "You have no tokens." in after
    else:
        assert ann.post("/logout-everywhere").status_code == 303
    assert _bearer(multi, secret) == 401
    assert _bearer(multi, others) == 200  # someone else's token stays


def test_each_tokens_last_use_is_shown_to_the_minute(multi):
    from datetime import UTC, datetime

    ann = multi.actor("ann@example.org")
    ann.post("/settings/account/tokens", data={"name": "spreadsheet"})
    ann.post("/settings/account/tokens", data={"name": "unused"})
    used, _ = multi.services.accounts.api_tokens(ann.user.id)
    with multi.services.database.unit_of_work() as uow:
        uow.accounts.api_tokens.touch(used.id, datetime(2026, 11, 22, 17, 42, tzinfo=UTC))
        uow.commit()
    page = ann.client.get("/settings/account").text
    item = re.search(r"spreadsheet <span.*?</span></span>", page, re.S).group(0)
    assert '<time datetime="2026-11-22T17:42+00:00">22 November 2026, 17:42 UTC</time>' in item
    never = re.search(r"unused <span.*?</span></span>", page, re.S).group(0)
    assert "never used" in never


def test_changing_the_password_keeps_this_browser_and_ends_the_others(multi):
    phone = multi.actor("ann@example.org")
    laptop = multi.login(phone.user)
    wrong = phone.post(
        "/settings/account/password",
        data={"current_password": "not it at all", "new_password": "a brand new passphrase"},
    )
    assert wrong.status_code == 422
    assert "not your current password" in _field_error(wrong.text, "current_password")
    weak = phone.post(
        "/settings/account/password",
        data={"current_password": PASSWORD, "new_password": "short"},
    )
    assert "at least 10 characters" in _field_error(weak.text, "new_password")
    changed = phone.post(
        "/settings/account/password",
        data={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert changed.status_code == 303
    assert SESSION_COOKIE in changed.headers["set-cookie"]
    assert phone.client.get("/today").status_code == 200
    assert laptop.client.get("/today").status_code == 303
    again = multi.client().post(
        "/login", data={"email": phone.user.email, "password": "a brand new passphrase"}
    )
    assert again.status_code == 303


# personal API tokens --------------------------------------------------------------------------


def test_an_api_token_is_shown_once_works_for_the_api_only_and_can_be_revoked(multi):
    ann = multi.actor("ann@example.org")
    made = ann.post("/settings/account/tokens", data={"name": "my spreadsheet"})
    assert made.status_code == 200
    assert made.headers["cache-control"] == "no-store"
    secret = SECRET_ON_PAGE.search(made.text).group(1)
    listed = ann.client.get("/settings/account").text
    assert "my spreadsheet" in listed and secret not in listed

    script = multi.client()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert script.get("/api/v1/today", headers=bearer).status_code == 200
    posted = script.post("/api/v1/checkins", json={"first_step_pain": 2}, headers=bearer)
    assert posted.status_code == 201  # no CSRF token: a header no browser adds by itself
    assert script.get("/today", headers=bearer).status_code == 303  # pages need a login
    assert SESSION_COOKIE not in script.cookies

    (token,) = multi.services.accounts.api_tokens(ann.user.id)
    revoked = ann.post(f"/settings/account/tokens/{token.id}/revoke")
    assert revoked.status_code == 303
    gone = script.get("/api/v1/today", headers=bearer)
    assert gone.status_code == 401
    assert gone.headers["content-type"] == "application/problem+json"
    assert gone.headers["www-authenticate"].startswith("Bearer")
    assert ann.post(f"/settings/account/tokens/{token.id}/revoke").status_code == 404


def test_an_api_token_needs_a_name(multi):
    ann = multi.actor("ann@example.org")
    answer = ann.post("/settings/account/tokens", data={"name": "  "})
    assert answer.status_code == 422
    assert "label" in _field_error(answer.text, "name")


# invites and links ----------------------------------------------------------------------------


def test_a_person_redeems_an_invite_and_unlinks_through_the_pages(multi):
    doc = multi.user("doc@example.org", Role.CLINICIAN)
    ann = multi.actor("ann@example.org")
    invite = multi.services.accounts.create_invite(doc.id)
    linked = ann.post("/settings/account/invite", data={"code": invite.display_code.lower()})
    assert linked.status_code == 303
    assert multi.services.accounts.linked(doc.id, ann.user.id)
    page = ann.client.get(linked.headers["location"]).text
    assert "You are now linked" in page and "doc@example.org" in page
    assert f'action="/settings/account/clinicians/{doc.id}/unlink"' in page

    used = ann.post("/settings/account/invite", data={"code": "ABCDE-FGH23"})
    assert used.status_code == 422
    assert "unknown" in _field_error(used.text, "code")

    unlinked = ann.post(f"/settings/account/clinicians/{doc.id}/unlink")
    assert unlinked.status_code == 303
    assert not multi.services.accounts.linked(doc.id, ann.user.id)
    assert ann.post(f"/settings/account/clinicians/{doc.id}/unlink").status_code == 404


def test_an_empty_or_malformed_code_is_named(multi):
    ann = multi.actor("ann@example.org")
    empty = ann.post("/settings/account/invite", data={"code": ""})
    assert empty.status_code == 422
    assert "code your clinician gave you" in _field_error(empty.text, "code")
    bad = ann.post("/settings/account/invite", data={"code": "0000"})
    assert "10 letters and digits" in _field_error(bad.text, "code")


def test_only_a_person_redeems_codes_or_unlinks(multi):
    doc = multi.actor("doc@example.org", Role.CLINICIAN)
    other = multi.user("other@example.org", Role.CLINICIAN)
    code = multi.services.accounts.create_invite(other.id).code
    assert doc.post("/settings/account/invite", data={"code": code}).status_code == 403
    assert doc.post(f"/settings/account/clinicians/{other.id}/unlink").status_code == 403
    assert 'action="/settings/account/invite"' not in doc.client.get("/settings/account").text


# privacy --------------------------------------------------------------------------------------


def test_a_person_never_reaches_another_persons_data_by_guessing_ids(multi):
    ann = multi.actor("ann@example.org")
    bob = multi.actor("bob@example.org")
    doc = multi.user("doc@example.org", Role.CLINICIAN)
    started = ann.client.post(
        "/api/v1/sessions", json={"slot": "daytime"}, headers={"X-CSRF-Token": ann.csrf}
    )
    assert started.status_code == 201
    session_id = started.json()["id"]
    assert ann.client.get(f"/api/v1/sessions/{session_id}").status_code == 200
    assert bob.client.get(f"/api/v1/sessions/{session_id}").status_code == 404
    saved = bob.client.post(
        f"/api/v1/sessions/{session_id}/finish",
        json={"completed": True, "pain_during": 3, "effort": 5},
        headers={"X-CSRF-Token": bob.csrf},
    )
    assert saved.status_code == 404
    assert ann.client.get(f"/api/v1/sessions/{session_id}").json()["finished"] is False
    assert ann.post("/checkin", data={"first_step_pain": "6"}).status_code == 303
    assert ann.client.get("/api/v1/today").json()["checkin"]["first_step_pain"] == 6
    assert bob.client.get("/api/v1/today").json()["checkin"] is None

    ann_token = multi.services.accounts.create_api_token(ann.user.id, "scripts").token
    assert bob.post(f"/settings/account/tokens/{ann_token.id}/revoke").status_code == 404
    assert multi.services.accounts.api_tokens(ann.user.id) == [ann_token]
    multi.services.accounts.redeem_invite(
        ann.user.id, multi.services.accounts.create_invite(doc.id).code
    )
    assert bob.post(f"/settings/account/clinicians/{doc.id}/unlink").status_code == 404
    assert multi.services.accounts.linked(doc.id, ann.user.id)


def test_each_person_gets_their_own_cached_today_page(multi):
    ann = multi.actor("ann@example.org")
    ann_phone = multi.login(ann.user)
    bob = multi.actor("bob@example.org")
    pages = {
        name: actor.client.get("/today").text
        for name, actor in (("ann", ann), ("ann_phone", ann_phone), ("bob", bob))
    }
    pages_again = {
        name: actor.client.get("/today").text
        for name, actor in (("ann", ann), ("ann_phone", ann_phone), ("bob", bob))
    }
    assert pages == pages_again
    assert ann.csrf in pages["ann"] and ann.csrf not in pages["ann_phone"]
    assert bob.csrf in pages["bob"] and ann.csrf not in pages["bob"]


# local mode ----------------------------------------------------------------------------------


def test_local_mode_has_no_account_pages_and_needs_no_token(web, intake_doc):
    for path in ("/login", "/register", "/settings/account"):
        assert web.get(path).status_code == 404, path
    assert web.post("/logout").status_code == 404
    from footcoach.schemas.intake import parse_intake

    web.services.tracking.init("default", parse_intake(intake_doc))
    assert web.post("/checkin", data={"first_step_pain": "3"}).status_code == 303
    assert 'name="csrf_token"' not in web.get("/today").text


def test_local_mode_refuses_what_another_site_posts(web, intake_doc):
    from footcoach.schemas.intake import parse_intake

    web.services.tracking.init("default", parse_intake(intake_doc))
    refused = web.post(
        "/checkin", data={"first_step_pain": "3"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert refused.status_code == 403
    same = web.post(
        "/checkin", data={"first_step_pain": "3"}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert same.status_code == 303


# speed ------------------------------------------------------------------------------------------


def test_a_cached_today_page_costs_the_session_read_and_the_revision_read(multi):
    from tests.web.test_query_counts import statements

    ann = multi.actor("ann@example.org")
    first = ann.client.get("/today")
    assert first.status_code == 200
    with statements(multi.services.database.engine) as seen:
        again = ann.client.get("/today")
    assert again.text == first.text
    assert len([s for s in seen if "web_sessions" in s]) == 1, seen
    assert len(seen) <= 2, seen  # the revision read may use a bare driver connection, unseen


def test_answers_about_a_person_are_private_to_shared_caches(multi):
    ann = multi.actor("ann@example.org")
    assert ann.client.get("/today").headers["cache-control"] == "private"
    assert ann.client.get("/api/v1/today").headers["cache-control"] == "private"
    assert ann.client.get("/settings/account").headers["cache-control"] == "no-store"
    assert "private" not in ann.client.get("/static/footcoach.css").headers.get("cache-control", "")


def test_htmx_without_a_login_sends_the_whole_page_to_the_login(multi):
    answer = multi.client().post(
        "/checkin", data={"first_step_pain": "3"}, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 401
    assert answer.headers["hx-redirect"] == "/login"


def _owner(page: str) -> str:
    found = re.search(r'<meta name="footcoach-owner" content="([^"]*)">', page)
    assert found is not None
    return found[1]


def test_each_page_names_whose_waiting_saves_it_may_send(multi):
    """The outbox (static/pwa.js) sends only its own person's saves; a logged-out page none."""
    anna = multi.actor("anna@example.org")
    ben = multi.actor("ben@example.org")
    assert _owner(anna.client.get("/today").text) == f"user-{anna.user.id}"
    assert _owner(ben.client.get("/today").text) == f"user-{ben.user.id}"
    assert _owner(multi.client().get("/login").text) == ""


def test_local_mode_pages_are_its_one_persons(person):
    assert _owner(person.get("/today").text) == "local"
