"""Accounts, pure: the password policy, e-mail addresses, invite codes, rate-limit keys, and the
start-up checks of multi-user mode."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from footcoach.domain.accounts import (
    INVITE_ALPHABET,
    INVITE_LENGTH,
    PASSWORD_MAX,
    PASSWORD_MIN,
    Invite,
    InviteState,
    address_key,
    check_password,
    check_token_name,
    format_invite_code,
    normalise_email,
    normalise_invite_code,
    password_problems,
)
from footcoach.domain.errors import InvalidInputError
from footcoach.services.serving import check_multi_user

GOOD = "correct horse battery"


def allowed(problems):
    return [p.allowed for p in problems]


# passwords ---------------------------------------------------------------------------------


def test_a_long_passphrase_passes_without_digits_or_symbols():
    assert password_problems(GOOD, "ana@clinic.example") == []


def test_length_bounds_are_exact():
    assert password_problems("x1y2z3w4v" + "u", "") == []  # exactly PASSWORD_MIN
    assert allowed(password_problems("x1y2z3w4v", "")) == [f"at least {PASSWORD_MIN} characters"]
    at_max = ("abc def " * 20)[:PASSWORD_MAX]
    assert password_problems(at_max, "") == []
    assert allowed(password_problems(at_max + "g", "")) == [f"at most {PASSWORD_MAX} characters"]


def test_common_passwords_are_refused_whatever_their_case():
    for common in ("password123", "Password123", "QWERTYUIOP", "1234567890"):
        assert "not one of the commonest passwords" in allowed(password_problems(common, ""))


def test_a_password_containing_the_email_name_is_refused():
    problems = password_problems("my Ana.Silva secret", "ana.silva@clinic.example")
    assert allowed(problems) == ["not containing your e-mail name"]
    # a different name passes, and a very short local part does not forbid its letters
    assert password_problems("my Ana.Silva secret", "bo.lind@clinic.example") == []
    assert password_problems("alpha beta gamma", "al@clinic.example") == []


def test_one_character_repeated_is_refused():
    assert "not one character repeated" in allowed(password_problems("zzzzzzzzzzzz", ""))


def test_problems_never_show_the_password():
    with pytest.raises(InvalidInputError) as caught:
        check_password("hunter2", "")
    assert "hunter2" not in str(caught.value)
    assert "7 characters" in str(caught.value)


def test_every_problem_is_reported_at_once():
    problems = password_problems("ana", "ana@x.org")
    assert len(problems) == 2  # too short, and contains the e-mail name


# e-mail ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("  Ana.Silva@Clinic.Example ", "ana.silva@clinic.example"),
        ("bo+feet@mail.co.uk", "bo+feet@mail.co.uk"),
        ("x@xn--bcher-kva.example", "x@xn--bcher-kva.example"),
    ],
)
def test_emails_are_trimmed_and_lower_cased(given, stored):
    assert normalise_email(given) == stored


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "ana",
        "ana@",
        "@clinic.example",
        "ana@clinic",
        "ana@@clinic.example",
        "ana silva@clinic.example",
        "ana@clinic..example",
        "ana@-clinic.example",
        "a" * 65 + "@clinic.example",
        "a@" + "b" * 250 + ".org",
    ],
)
def test_malformed_emails_name_the_field_and_what_is_allowed(bad):
    with pytest.raises(InvalidInputError) as caught:
        normalise_email(bad)
    (problem,) = caught.value.problems
    assert problem.field == "email" and problem.value == bad
    assert "e-mail address" in problem.allowed


# invite codes ------------------------------------------------------------------------------


def test_invite_codes_are_read_forgivingly():
    assert normalise_invite_code(" abcde-fgh23 ") == "ABCDEFGH23"
    assert normalise_invite_code("ABCDE FGH23") == "ABCDEFGH23"
    assert format_invite_code("ABCDEFGH23") == "ABCDE-FGH23"


@pytest.mark.parametrize("bad", ["ABCDE-FGH2", "ABCDE-FGH234", "ABCDE-FGH2O", "ABCDE-FGH21"])
def test_invite_codes_of_wrong_length_or_look_alike_characters_are_refused(bad):
    with pytest.raises(InvalidInputError) as caught:
        normalise_invite_code(bad)
    assert caught.value.problems[0].field == "code"


def test_the_invite_alphabet_has_no_look_alikes():
    assert not set("01OIL") & set(INVITE_ALPHABET)
    assert len(set(INVITE_ALPHABET)) ** INVITE_LENGTH > 2**49


def test_invite_state_follows_redemption_then_expiry():
    made = datetime(2026, 1, 1, tzinfo=UTC)
    invite = Invite(1, 7, made, made + timedelta(days=14))
    assert invite.state(made) is InviteState.OPEN
    assert invite.state(made + timedelta(days=14)) is InviteState.EXPIRED
    used = Invite(1, 7, made, made + timedelta(days=14), redeemed_by=9, redeemed_at=made)
    assert used.state(made + timedelta(days=30)) is InviteState.REDEEMED


def test_token_names_are_trimmed_and_bounded():
    assert check_token_name("  backup script ") == "backup script"
    for bad in ("", "   ", "x" * 65, "tab\there"):
        with pytest.raises(InvalidInputError):
            check_token_name(bad)


# rate-limit keys ---------------------------------------------------------------------------


def test_ipv6_addresses_count_per_64_network_and_ipv4_one_by_one():
    a = address_key("2001:db8:1:2:aaaa::1")
    assert a == address_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert a != address_key("2001:db8:1:3::1")
    assert address_key("10.0.0.1") != address_key("10.0.0.2")
    assert address_key("::ffff:10.0.0.1") == "10.0.0.1"
    assert address_key("") == "unknown"
    assert len(address_key("x" * 500)) == 64


# start-up checks of multi-user mode --------------------------------------------------------

KEY = "k" * 32


def test_multi_user_mode_starts_with_a_key_and_a_chosen_database():
    assert check_multi_user(KEY, "postgresql+psycopg://app@db/footcoach") == []
    assert check_multi_user(KEY, "sqlite:////srv/footcoach/footcoach.db") == []


def test_a_missing_or_short_secret_key_is_refused_with_how_to_make_one():
    for key in ("", "k" * 31):
        (problem,) = check_multi_user(key, "sqlite:////srv/f.db")
        assert problem.field == "FOOTCOACH_SECRET_KEY"
        assert "secrets.token_urlsafe(48)" in problem.allowed
        assert "k" * 5 not in str(problem)  # the key itself is not shown


def test_the_default_database_is_not_enough():
    (problem,) = check_multi_user(KEY, "")
    assert problem.field == "FOOTCOACH_DATABASE_URL" and "--db" in problem.allowed


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "sqlite://", "sqlite:///:memory:", "footcoach.db"]
)
def test_other_databases_and_memory_sqlite_are_refused(url):
    (problem,) = check_multi_user(KEY, url)
    assert problem.field == "FOOTCOACH_DATABASE_URL"


def test_a_refused_url_does_not_show_its_password():
    (problem,) = check_multi_user(KEY, "mysql://app:s3cret@db/footcoach")
    assert "s3cret" not in str(problem)


def test_the_settings_of_multi_user_mode_are_read_from_the_environment():
    from footcoach.config import load_settings

    assert load_settings({}).multi_user is False
    assert load_settings({}).secret_key == ""
    on = load_settings({"FOOTCOACH_MULTI_USER": "1", "FOOTCOACH_SECRET_KEY": KEY})
    assert on.multi_user is True and on.secret_key == KEY
    assert load_settings({"FOOTCOACH_MULTI_USER": "0"}).multi_user is False
