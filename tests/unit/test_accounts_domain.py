"""Accounts, pure: the password policy, e-mail addresses, invite codes, rate-limit keys, and the
start-up checks of multi-user mode."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from footcoach.domain.accounts import (
    ACCOUNT_SLOW_AFTER,
    ACCOUNT_SLOW_EVERY,
    ADDRESS_FAILURES_MAX,
    INVITE_ALPHABET,
    INVITE_LENGTH,
    LOGIN_WINDOW,
    PAIR_FAILURES_MAX,
    PASSWORD_MAX,
    PASSWORD_MIN,
    REGISTRATIONS_MAX,
    Invite,
    InviteState,
    Limit,
    Refusal,
    address_key,
    check_password,
    check_token_name,
    common_passwords,
    format_invite_code,
    is_common,
    login_refusal,
    low_variety,
    normalise_email,
    normalise_invite_code,
    password_base,
    password_problems,
    registration_refusal,
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
    at_max = " ".join(f"word{n}" for n in range(30))[:PASSWORD_MAX]
    assert password_problems(at_max, "") == []
    assert allowed(password_problems(at_max + "g", "")) == [f"at most {PASSWORD_MAX} characters"]


COMMON = "not one of the commonest passwords, even with digits or symbols added"
VARIETY = (
    "more variety: at least 5 different characters, and no pattern repeated or run like 'abcdef'"
)


def test_common_passwords_are_refused_whatever_their_case():
    for common in ("password123", "Password123", "QWERTYUIOP", "1234567890"):
        assert COMMON in allowed(password_problems(common, ""))


def test_the_list_is_the_shipped_breach_list_of_twenty_thousand():
    words, bases = common_passwords()
    assert len(words) > 19_000
    assert {"iloveyou", "summer", "password", "123456"} <= words
    assert "footcoach" in bases  # and the app's own words


@pytest.mark.parametrize(
    ("password", "base"),
    [
        ("iloveyou12", "iloveyou"),
        ("Summer2024!", "summer"),
        ("!!Monkey99", "monkey"),
        ("I Love You 4ever", "iloveyou4ever"),
        ("2024", ""),
    ],
)
def test_the_base_of_a_password_drops_case_spaces_and_what_is_tacked_on(password, base):
    assert password_base(password) == base


@pytest.mark.parametrize(
    "password", ["iloveyou12", "Summer2024!", "Football#1!!", "I love you 123", "FootCoach2026"]
)
def test_a_common_password_with_digits_or_symbols_added_is_refused(password):
    assert is_common(password)
    assert COMMON in allowed(password_problems(password, ""))


@pytest.mark.parametrize(
    "password", [GOOD, "stethoscope on a hook", "Tr0ub4dor&3-kettle", "summer in the garden"]
)
def test_passphrases_and_unusual_passwords_are_not_common(password):
    assert not is_common(password)
    assert password_problems(password, "") == []


@pytest.mark.parametrize(
    "password",
    [
        "passwordpassword",
        "0000000001",
        "ababababab",
        "abcabcabcab",
        "zzzzzzzzzzzz",
        "abcdefghijkl",
        "9876543210",
        "aabbccddaabb",
        "blueskyblueskybluesky2024",
    ],
)
def test_low_variety_strings_are_refused(password):
    assert low_variety(password)
    assert VARIETY in allowed(password_problems(password, ""))


def test_variety_is_not_asked_of_passwords_the_length_rule_refuses():
    assert allowed(password_problems("aaaa", "")) == [f"at least {PASSWORD_MIN} characters"]
    long_and_dull = "a" * (PASSWORD_MAX + 1)
    assert allowed(password_problems(long_and_dull, "")) == [f"at most {PASSWORD_MAX} characters"]


def test_a_password_containing_the_email_name_is_refused():
    problems = password_problems("my Ana.Silva secret", "ana.silva@clinic.example")
    assert allowed(problems) == ["not containing your e-mail name"]
    # a different name passes, and a very short local part does not forbid its letters
    assert password_problems("my Ana.Silva secret", "bo.lind@clinic.example") == []
    assert password_problems("alpha beta gamma", "al@clinic.example") == []


def test_one_character_repeated_is_refused():
    assert VARIETY in allowed(password_problems("zzzzzzzzzzzz", ""))


def test_problems_never_show_the_password():
    with pytest.raises(InvalidInputError) as caught:
        check_password("hunter2", "")
    assert "hunter2" not in str(caught.value)
    assert "7 characters" in str(caught.value)


def test_every_problem_is_reported_at_once():
    problems = password_problems("ana", "ana@x.org")
    assert len(problems) == 2  # too short, and contains the e-mail name


# login and registration limits -------------------------------------------------------------

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def ago(*minutes: float) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes]


def test_no_failures_no_refusal():
    assert login_refusal(NOW, [], [], []) is None


def test_the_pair_limit_locks_until_the_oldest_counted_failure_leaves_the_window():
    pair = ago(*range(PAIR_FAILURES_MAX))  # 0, 1, 2, 3, 4 minutes ago
    assert login_refusal(NOW, pair[:-1], pair[:-1], pair[:-1]) is None
    refused = login_refusal(NOW, pair, pair, pair)
    assert refused == Refusal(Limit.ACCOUNT, pair[-1] + LOGIN_WINDOW)
    # an older failure outside the window does not count
    assert login_refusal(NOW, ago(0, 1, 2, 3, 15), [], []) is None


def test_the_address_limit_counts_every_account():
    address = ago(*(n / 2 for n in range(ADDRESS_FAILURES_MAX)))
    refused = login_refusal(NOW, [], address, [])
    assert refused is not None and refused.limit is Limit.ADDRESS
    assert login_refusal(NOW, [], address[:-1], []) is None


def test_an_account_tried_from_many_places_is_slowed_not_locked():
    account = ago(*range(ACCOUNT_SLOW_AFTER))  # the latest just now
    refused = login_refusal(NOW, [], [], account)
    assert refused == Refusal(Limit.SLOWED, NOW + ACCOUNT_SLOW_EVERY)
    assert login_refusal(NOW, [], [], account[:-1]) is None
    later = NOW + ACCOUNT_SLOW_EVERY
    assert login_refusal(later, [], [], account) is None  # one try every ACCOUNT_SLOW_EVERY


def test_the_slow_down_bounds_guesses_per_window_whatever_the_addresses():
    """Simulate an attacker with a new address for every guess, trying every second."""
    guesses: list[datetime] = []
    moment = NOW
    while moment < NOW + LOGIN_WINDOW:
        if login_refusal(moment, [], [], guesses) is None:
            guesses.append(moment)
        moment += timedelta(seconds=1)
    per_window = ACCOUNT_SLOW_AFTER + LOGIN_WINDOW / ACCOUNT_SLOW_EVERY
    assert ACCOUNT_SLOW_AFTER < len(guesses) <= per_window


def test_registrations_are_limited_per_address():
    attempts = ago(*range(REGISTRATIONS_MAX))
    assert registration_refusal(NOW, attempts[:-1]) is None
    refused = registration_refusal(NOW, attempts)
    assert refused == Refusal(Limit.REGISTRATION, attempts[-1] + LOGIN_WINDOW)


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
