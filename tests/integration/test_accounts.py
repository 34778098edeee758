"""The account service on real databases (SQLite, and PostgreSQL when its URL is set)."""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from argon2 import profiles
from sqlalchemy import select

from footcoach.adapters.db.tables import ApiTokenRow, InviteRow, UserRow, WebSessionRow
from footcoach.adapters.db.unit_of_work import Database
from footcoach.adapters.passwords import Argon2Hasher
from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.accounts import INVITE_DAYS, Role, normalise_invite_code
from footcoach.domain.errors import InvalidInputError, UnknownIdError
from footcoach.services.accounts import (
    ACCOUNT_SLOW_AFTER,
    ACCOUNT_SLOW_EVERY,
    ADDRESS_FAILURES_MAX,
    LOGIN_WINDOW,
    PAIR_FAILURES_MAX,
    REGISTRATIONS_MAX,
    SPENT_INVITES_KEPT,
    AccountService,
    HashingBusyError,
    LockedOutError,
    LoginFailedError,
    NotAllowedError,
    RegistrationRefusedError,
)
from tests.factories import intake
from tests.support.clock import FixedClock

PASSWORD = "correct horse battery"
HOME = "198.51.100.7"
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


class SteppingClock(FixedClock):
    """A FixedClock that tests can move forward by any amount."""

    def __init__(self, day: date) -> None:
        super().__init__(day)
        self.offset = timedelta()

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

    def now(self):
        return super().now() + self.offset

    def today(self):
        return self.now().date()


@pytest.fixture
def clock():
    return SteppingClock(date(2026, 11, 23))


@pytest.fixture
def database(database_url):
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture(params=["unit of work", "bare read"])
def accounts(request, database, clock):
    """The service as the app builds it (sessions resolved by the database's bare read) and
    without that (a unit of work resolves them): every session test runs on both."""
    # argon2id with the cheapest parameters: the service is under test here, not the cost
    sessions = database if request.param == "bare read" else None
    return AccountService(database.unit_of_work, Argon2Hasher(profiles.CHEAPEST), clock, sessions)


@pytest.fixture
def ana(accounts):
    return accounts.register("Ana@Clinic.Example", PASSWORD)


@pytest.fixture
def doc(accounts):
    return accounts.register("doc@clinic.example", "stethoscope on a hook", Role.CLINICIAN)


def rows(database, table):
    with database.engine.connect() as conn:
        return conn.execute(select(table)).mappings().all()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# registration and login --------------------------------------------------------------------


def test_register_then_login_with_any_case_of_the_address(accounts, ana):
    assert ana.email == "ana@clinic.example" and ana.role is Role.PERSON
    assert ana.profile == f"u-{ana.id}"
    session = accounts.login(" ANA@clinic.example", PASSWORD, HOME)
    assert session.user == ana
    assert accounts.resolve_session(session.token) == ana


def test_control_characters_in_an_address_are_refused_not_a_crash(accounts, ana):
    """A NUL byte cannot be stored as text on PostgreSQL: registering with one is a plain
    refusal of the address, and logging in with one a failed login, counted, on both."""
    with pytest.raises(InvalidInputError) as refused:
        accounts.register("mallory\x00@clinic.example", PASSWORD)
    assert refused.value.problems[0].field == "email"
    for typed in ("ana@clinic.example\x00", "\x00\x1f"):
        with pytest.raises(LoginFailedError):
            accounts.login(typed, PASSWORD, HOME)
    assert accounts.login("ana@clinic.example", PASSWORD, HOME).user == ana


def test_clinicians_and_admins_get_no_profile_name(accounts, doc):
    admin = accounts.create_admin("root@clinic.example", "a sturdy admin secret")
    assert admin.role is Role.ADMIN and admin.profile is None and doc.profile is None
    assert [u.email for u in accounts.users()] == ["doc@clinic.example", "root@clinic.example"]


def test_a_reserved_profile_name_works_with_the_intake(database_url, clock):
    services = build_services(Settings(database_url=database_url), clock=clock)
    try:
        user = services.accounts.register("bo@clinic.example", PASSWORD)
        assert services.accounts.authenticate("bo@clinic.example", PASSWORD, HOME) == user
        services.tracking.init(user.profile, intake(), start=clock.today())
        assert services.tracking.profiles() == [user.profile]
    finally:
        services.close()


def test_the_same_address_cannot_register_twice(accounts, ana):
    with pytest.raises(InvalidInputError) as caught:
        accounts.register("ana@CLINIC.example", "some other long password")
    assert caught.value.problems[0].field == "email"


def test_a_weak_password_is_refused_and_nothing_is_stored(accounts, database):
    with pytest.raises(InvalidInputError):
        accounts.register("cyd@clinic.example", "password123")
    with pytest.raises(InvalidInputError):
        accounts.register("cyd@clinic.example", "i am Cyd at the clinic")
    assert rows(database, UserRow.__table__) == []


def test_passwords_are_stored_as_argon2id_hashes_only(accounts, ana, database):
    (row,) = rows(database, UserRow.__table__)
    assert row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]


def test_a_wrong_password_or_unknown_address_fails_alike(accounts, ana):
    with pytest.raises(LoginFailedError) as wrong:
        accounts.authenticate("ana@clinic.example", "correct horse batteries", HOME)
    with pytest.raises(LoginFailedError) as unknown:
        accounts.authenticate("nobody@clinic.example", PASSWORD, HOME)
    assert str(wrong.value) == str(unknown.value)


def test_change_password_needs_the_current_one_and_ends_sessions(accounts, ana):
    session = accounts.login(ana.email, PASSWORD, HOME)
    with pytest.raises(InvalidInputError) as caught:
        accounts.change_password(ana.id, "not my password", "a brand new passphrase")
    assert caught.value.problems[0].field == "current_password"
    assert accounts.resolve_session(session.token) == ana  # a failed change ends nothing
    accounts.change_password(ana.id, PASSWORD, "a brand new passphrase")
    assert accounts.resolve_session(session.token) is None
    with pytest.raises(LoginFailedError):
        accounts.authenticate(ana.email, PASSWORD, HOME)
    assert accounts.authenticate(ana.email, "a brand new passphrase", HOME) == ana


def test_a_hash_with_old_parameters_is_replaced_at_login(database, clock, ana, accounts):
    stronger = AccountService(
        database.unit_of_work, Argon2Hasher(profiles.PRE_21_2), clock
    )  # as after an upgrade of argon2-cffi's defaults
    before = rows(database, UserRow.__table__)[0]["password_hash"]
    stronger.authenticate(ana.email, PASSWORD, HOME)
    after = rows(database, UserRow.__table__)[0]["password_hash"]
    assert after != before and "m=102400" in after
    assert stronger.authenticate(ana.email, PASSWORD, HOME) == ana


# rate limits -------------------------------------------------------------------------------


def fail_logins(accounts, email, address, times):
    for _ in range(times):
        with pytest.raises(LoginFailedError):
            accounts.authenticate(email, "wrong wrong wrong", address)


def test_an_account_locks_from_one_address_after_repeated_failures_even_for_the_right_password(
    accounts, ana, clock
):
    first = clock.now()
    fail_logins(accounts, ana.email, HOME, 1)
    clock.advance(timedelta(minutes=5))
    fail_logins(accounts, ana.email, HOME, PAIR_FAILURES_MAX - 1)
    with pytest.raises(LockedOutError) as caught:
        accounts.authenticate(ana.email, PASSWORD, HOME)
    locked = caught.value
    assert locked.scope == "account"
    assert locked.retry_at == first + LOGIN_WINDOW  # when the oldest failure leaves the window
    assert locked.retry_after == 10 * 60
    assert "try again after" in str(locked)
    # just before the window ends: still locked; at its end: in
    clock.advance(timedelta(minutes=10) - timedelta(seconds=1))
    with pytest.raises(LockedOutError):
        accounts.authenticate(ana.email, PASSWORD, HOME)
    clock.advance(timedelta(seconds=1))
    assert accounts.authenticate(ana.email, PASSWORD, HOME) == ana


def test_a_strangers_guesses_do_not_lock_the_owner_out_from_elsewhere(accounts, ana):
    stranger = "203.0.113.9"
    fail_logins(accounts, ana.email, stranger, PAIR_FAILURES_MAX)
    with pytest.raises(LockedOutError) as caught:
        accounts.authenticate(ana.email, PASSWORD, stranger)
    assert caught.value.scope == "account"
    assert accounts.authenticate(ana.email, PASSWORD, HOME) == ana
    # the owner's login does not give the stranger's address its guesses back
    with pytest.raises(LockedOutError):
        accounts.authenticate(ana.email, PASSWORD, stranger)


def test_guesses_from_many_addresses_slow_an_account_down_without_locking_it(accounts, ana, clock):
    for n in range(ACCOUNT_SLOW_AFTER):  # one guess from each of many addresses
        fail_logins(accounts, ana.email, f"203.0.113.{n + 1}", 1)
    with pytest.raises(LockedOutError) as caught:
        accounts.authenticate(ana.email, PASSWORD, HOME)
    assert caught.value.scope == "slowed"
    assert caught.value.retry_after == ACCOUNT_SLOW_EVERY.total_seconds()
    clock.advance(ACCOUNT_SLOW_EVERY)
    fail_logins(accounts, ana.email, "203.0.113.99", 1)  # one more guess: slowed again
    with pytest.raises(LockedOutError):
        accounts.authenticate(ana.email, PASSWORD, HOME)
    clock.advance(ACCOUNT_SLOW_EVERY)
    assert accounts.authenticate(ana.email, PASSWORD, HOME) == ana  # seconds, not 15 minutes


def test_a_locked_out_attempt_is_not_counted(accounts, ana, clock, database):
    from footcoach.adapters.db.tables import LoginAttemptRow

    fail_logins(accounts, ana.email, HOME, PAIR_FAILURES_MAX)
    for _ in range(3):
        with pytest.raises(LockedOutError):
            accounts.authenticate(ana.email, PASSWORD, HOME)
    assert len(rows(database, LoginAttemptRow.__table__)) == PAIR_FAILURES_MAX


def test_a_successful_login_clears_the_account_count(accounts, ana):
    fail_logins(accounts, ana.email, HOME, PAIR_FAILURES_MAX - 1)
    accounts.authenticate(ana.email, PASSWORD, HOME)
    fail_logins(accounts, ana.email, HOME, PAIR_FAILURES_MAX - 1)
    assert accounts.authenticate(ana.email, PASSWORD, HOME) == ana


def test_other_accounts_are_not_locked_by_one_accounts_failures(accounts, ana, doc):
    fail_logins(accounts, ana.email, "203.0.113.9", PAIR_FAILURES_MAX)
    assert accounts.authenticate(doc.email, "stethoscope on a hook", "203.0.113.9") == doc


def test_an_address_locks_after_failures_across_many_accounts(accounts, ana, clock):
    attacker = "2001:db8:bad:1::1"
    for n in range(ADDRESS_FAILURES_MAX):  # four accounts, never one locked by itself
        fail_logins(accounts, f"guess{n % 4}@clinic.example", attacker, 1)
    with pytest.raises(LockedOutError) as caught:
        accounts.authenticate(ana.email, PASSWORD, "2001:db8:bad:1::ffff")  # same /64
    assert caught.value.scope == "address"
    assert accounts.authenticate(ana.email, PASSWORD, HOME) == ana  # elsewhere: fine
    clock.advance(LOGIN_WINDOW)
    assert accounts.authenticate(ana.email, PASSWORD, attacker) == ana


def test_rate_limits_are_shared_between_processes(database_url, clock, ana, accounts):
    other_process = Database(database_url)
    try:
        other = AccountService(other_process.unit_of_work, Argon2Hasher(profiles.CHEAPEST), clock)
        fail_logins(other, ana.email, HOME, PAIR_FAILURES_MAX)
        with pytest.raises(LockedOutError):
            accounts.authenticate(ana.email, PASSWORD, HOME)
    finally:
        other_process.dispose()


class GatedHasher:
    """A cheap hasher whose checks wait at a gate the test opens, counting how many ran."""

    def __init__(self) -> None:
        self.inner = Argon2Hasher(profiles.CHEAPEST)
        self.gate = threading.Event()
        self.changed = threading.Condition()
        self.waiting = 0

    def hash(self, password):
        return self.inner.hash(password)

    def needs_rehash(self, hashed):
        return self.inner.needs_rehash(hashed)

    def verify(self, hashed, password):
        with self.changed:
            self.waiting += 1
            self.changed.notify_all()
        self.gate.wait()
        return self.inner.verify(hashed, password)


def test_parallel_guesses_in_two_processes_hash_no_more_than_the_limit(database_url, clock, ana):
    """Twenty guesses at once, through two databases' connections: every one that passes the
    limit waits inside its password check until all twenty have got that far or been refused.
    Had the limit been checked before the hash and the failure recorded after it, all twenty
    would be inside at once."""
    hasher = GatedHasher()
    processes = [Database(database_url), Database(database_url)]
    guesses = 20
    refused = []
    finished = threading.Condition()

    def guess(n: int) -> None:
        service = AccountService(processes[n % 2].unit_of_work, hasher, clock)
        try:
            service.authenticate(ana.email, "wrong wrong wrong", HOME)
        except LockedOutError:
            with finished:
                refused.append(n)
                finished.notify_all()
        except LoginFailedError:
            pass

    try:
        with ThreadPoolExecutor(max_workers=guesses) as pool:
            done = [pool.submit(guess, n) for n in range(guesses)]
            with finished:  # every guess is either refused or waiting inside its check
                finished.wait_for(lambda: len(refused) + hasher.waiting == guesses)
            checked = hasher.waiting
            hasher.gate.set()
            for future in done:
                future.result()
        assert checked == PAIR_FAILURES_MAX
        assert len(refused) == guesses - PAIR_FAILURES_MAX
        with pytest.raises(LockedOutError):
            AccountService(processes[0].unit_of_work, hasher, clock).authenticate(
                ana.email, PASSWORD, HOME
            )
    finally:
        hasher.gate.set()
        for process in processes:
            process.dispose()


def test_a_login_refused_for_want_of_a_hashing_slot_is_not_counted(database, clock, ana):
    hasher = Argon2Hasher(profiles.CHEAPEST, slots=1, wait_s=0)
    accounts = AccountService(database.unit_of_work, hasher, clock)
    from footcoach.adapters.db.tables import LoginAttemptRow

    with hasher.slot():  # another login is hashing
        for _ in range(PAIR_FAILURES_MAX + 1):
            with pytest.raises(HashingBusyError) as caught:
                accounts.authenticate(ana.email, PASSWORD, HOME)
    assert caught.value.retry_after > 0
    assert rows(database, LoginAttemptRow.__table__) == []
    assert accounts.authenticate(ana.email, PASSWORD, HOME) == ana


def test_a_hash_with_the_former_default_parameters_is_replaced_by_todays(database, clock):
    former = AccountService(
        database.unit_of_work, Argon2Hasher(profiles.RFC_9106_LOW_MEMORY), clock
    )  # 64 MiB, t=3, p=4: what footcoach used before
    bo = former.register("bo@clinic.example", PASSWORD)
    assert "m=65536,t=3,p=4" in rows(database, UserRow.__table__)[0]["password_hash"]
    today = AccountService(database.unit_of_work, Argon2Hasher(), clock)
    assert today.authenticate(bo.email, PASSWORD, HOME) == bo
    assert "m=19456,t=2,p=1" in rows(database, UserRow.__table__)[0]["password_hash"]
    assert today.authenticate(bo.email, PASSWORD, HOME) == bo


# registration from the web -----------------------------------------------------------------


class CountingHasher(Argon2Hasher):
    def __init__(self) -> None:
        super().__init__(profiles.CHEAPEST)
        self.hashed = 0

    def hash(self, password):
        self.hashed += 1
        return super().hash(password)


def test_registering_a_taken_address_costs_a_hash_and_does_not_say_why(database, clock, ana):
    hasher = CountingHasher()
    accounts = AccountService(database.unit_of_work, hasher, clock)
    new = accounts.register_person("new@clinic.example", "another long passphrase", HOME)
    assert new.role is Role.PERSON and hasher.hashed == 1
    with pytest.raises(RegistrationRefusedError) as caught:
        accounts.register_person("ANA@clinic.example", "another long passphrase", HOME)
    assert hasher.hashed == 2  # as much work as making an account
    assert "could not create an account" in str(caught.value)
    assert "ana@" not in str(caught.value)
    assert len(rows(database, UserRow.__table__)) == 2


def test_registrations_are_limited_per_network_address(accounts, clock, database):
    for n in range(REGISTRATIONS_MAX - 1):
        accounts.register_person(f"p{n}@clinic.example", "another long passphrase", HOME)
    with pytest.raises(RegistrationRefusedError):  # a refused one counts too
        accounts.register_person("p0@clinic.example", "another long passphrase", HOME)
    with pytest.raises(LockedOutError) as caught:
        accounts.register_person("late@clinic.example", "another long passphrase", HOME)
    assert caught.value.scope == "registration"
    assert accounts.user_by_email("late@clinic.example") is None
    elsewhere = accounts.register_person("late@clinic.example", "another long passphrase", "::1")
    assert elsewhere.email == "late@clinic.example"
    clock.advance(LOGIN_WINDOW)
    assert accounts.register_person("later@clinic.example", "another long passphrase", HOME)


def test_bad_details_are_refused_before_they_count_against_the_limit(accounts):
    for _ in range(REGISTRATIONS_MAX + 1):
        with pytest.raises(InvalidInputError):
            accounts.register_person("p@clinic.example", "password123", HOME)
    assert accounts.register_person("p@clinic.example", "another long passphrase", HOME)


# API tokens end with the password ----------------------------------------------------------


@pytest.mark.parametrize("how", ["change password", "admin reset", "log out everywhere"])
def test_api_tokens_are_revoked_by_a_new_password_or_logging_out_everywhere(
    accounts, ana, doc, how
):
    scripts = accounts.create_api_token(ana.id, "scripts")
    theirs = accounts.create_api_token(doc.id, "theirs")
    assert accounts.resolve_api_token(scripts.secret) == ana
    if how == "change password":
        accounts.change_password(ana.id, PASSWORD, "a brand new passphrase")
    elif how == "admin reset":
        accounts.set_password(ana.email, "a brand new passphrase")
    else:
        accounts.logout_everywhere(ana.id)
    assert accounts.resolve_api_token(scripts.secret) is None
    assert accounts.api_tokens(ana.id) == []
    assert accounts.resolve_api_token(theirs.secret) == doc  # someone else's stays


def test_a_failed_password_change_revokes_nothing(accounts, ana):
    scripts = accounts.create_api_token(ana.id, "scripts")
    with pytest.raises(InvalidInputError):
        accounts.change_password(ana.id, "not my password", "a brand new passphrase")
    with pytest.raises(InvalidInputError):
        accounts.change_password(ana.id, PASSWORD, "password123")
    assert accounts.resolve_api_token(scripts.secret) == ana


# web sessions ------------------------------------------------------------------------------


def test_only_the_tokens_digest_is_stored(accounts, ana, database):
    session = accounts.login(ana.email, PASSWORD, HOME)
    (row,) = rows(database, WebSessionRow.__table__)
    assert row["token_digest"] == sha256(session.token)
    assert session.token not in str(dict(row))
    assert len(session.token) >= 43  # token_urlsafe(32)


def test_sessions_expire_after_fourteen_days(accounts, ana, clock):
    session = accounts.login(ana.email, PASSWORD, HOME)
    assert session.expires_at == clock.now() + timedelta(days=14)
    clock.advance(timedelta(days=14) - timedelta(seconds=1))
    assert accounts.resolve_session(session.token) == ana
    clock.advance(timedelta(seconds=1))
    assert accounts.resolve_session(session.token) is None


def test_logout_ends_one_session_and_logout_everywhere_all(accounts, ana, doc):
    phone = accounts.login(ana.email, PASSWORD, HOME)
    laptop = accounts.login(ana.email, PASSWORD, HOME)
    desk = accounts.login(doc.email, "stethoscope on a hook", HOME)
    accounts.logout(phone.token)
    assert accounts.resolve_session(phone.token) is None
    assert accounts.resolve_session(laptop.token) == ana
    tablet = accounts.start_session(ana.id)
    assert accounts.logout_everywhere(ana.id) == 2
    assert accounts.resolve_session(laptop.token) is None
    assert accounts.resolve_session(tablet.token) is None
    assert accounts.resolve_session(desk.token) == doc  # someone else's stays


def test_made_up_tokens_resolve_to_nobody(accounts, ana):
    accounts.login(ana.email, PASSWORD, HOME)
    for token in ("", "x", "A" * 43, "A" * 10_000):
        assert accounts.resolve_session(token) is None
    accounts.logout("not a token")  # ignored


def test_purge_forgets_ended_sessions_and_old_attempts(accounts, ana, clock, database):
    from footcoach.adapters.db.tables import LoginAttemptRow

    fail_logins(accounts, ana.email, HOME, 1)
    ended = accounts.login(ana.email, PASSWORD, HOME)
    accounts.logout(ended.token)
    live = accounts.login(ana.email, PASSWORD, HOME)
    clock.advance(LOGIN_WINDOW)
    # one ended session, three attempts past the window, the keys of ana's and HOME's limits
    assert accounts.purge() == 1 + 3 + 2
    assert accounts.resolve_session(live.token) == ana
    assert rows(database, LoginAttemptRow.__table__) == []


def test_purge_forgets_spent_invites_a_month_on_and_keeps_their_links(accounts, ana, doc, clock):
    redeemed = accounts.create_invite(doc.id)
    accounts.redeem_invite(ana.id, redeemed.code)
    expiring = accounts.create_invite(doc.id)  # never redeemed: it expires in INVITE_DAYS
    clock.advance(SPENT_INVITES_KEPT - timedelta(minutes=1))
    accounts.purge()
    assert {i.id for i in accounts.invites(doc.id)} == {redeemed.invite.id, expiring.invite.id}
    clock.advance(timedelta(minutes=1))
    fresh = accounts.create_invite(doc.id)
    accounts.purge()  # redeemed a month ago: gone; expired only since INVITE_DAYS: kept
    assert {i.id for i in accounts.invites(doc.id)} == {expiring.invite.id, fresh.invite.id}
    assert accounts.linked(doc.id, ana.id) is True
    clock.advance(timedelta(days=INVITE_DAYS))
    accounts.purge()
    assert [i.id for i in accounts.invites(doc.id)] == [fresh.invite.id]


# invites and links -------------------------------------------------------------------------


def test_an_invite_links_a_person_to_the_clinician(accounts, ana, doc, database):
    made = accounts.create_invite(doc.id)
    assert len(made.code) == 10 and made.display_code[5] == "-"
    assert accounts.linked(doc.id, ana.id) is False
    clinician = accounts.redeem_invite(ana.id, made.display_code.lower())
    assert clinician == doc
    assert accounts.linked(doc.id, ana.id) is True
    assert accounts.linked_people(doc.id) == [ana]
    assert accounts.clinicians_of(ana.id) == [doc]
    (invite,) = accounts.invites(doc.id)
    assert invite.redeemed_by == ana.id
    (row,) = rows(database, InviteRow.__table__)
    assert row["code_digest"] == sha256(made.code) and made.code not in str(dict(row))


def test_an_invite_works_once(accounts, ana, doc):
    made = accounts.create_invite(doc.id)
    accounts.redeem_invite(ana.id, made.code)
    bo = accounts.register("bo@clinic.example", PASSWORD)
    with pytest.raises(InvalidInputError) as caught:
        accounts.redeem_invite(bo.id, made.code)
    assert "not used yet" in caught.value.problems[0].allowed
    assert accounts.linked(doc.id, bo.id) is False


def test_an_invite_expires_after_fourteen_days(accounts, ana, doc, clock):
    made = accounts.create_invite(doc.id)
    clock.advance(timedelta(days=14))
    with pytest.raises(InvalidInputError) as caught:
        accounts.redeem_invite(ana.id, made.code)
    assert "14 days" in caught.value.problems[0].allowed
    assert accounts.linked(doc.id, ana.id) is False


def test_an_unknown_or_malformed_code_is_refused(accounts, ana, doc):
    accounts.create_invite(doc.id)
    for code in ("ABCDE-FGH23", "nonsense"):
        with pytest.raises(InvalidInputError):
            accounts.redeem_invite(ana.id, code)
    assert accounts.clinicians_of(ana.id) == []


def test_only_clinicians_invite_and_only_people_redeem(accounts, ana, doc):
    with pytest.raises(NotAllowedError):
        accounts.create_invite(ana.id)
    made = accounts.create_invite(doc.id)
    other = accounts.register("doc2@clinic.example", "another clinician pass", Role.CLINICIAN)
    with pytest.raises(NotAllowedError):
        accounts.redeem_invite(other.id, made.code)
    with pytest.raises(UnknownIdError):
        accounts.create_invite(9999)


def test_a_second_code_of_the_same_clinician_is_left_unused(accounts, ana, doc):
    accounts.redeem_invite(ana.id, accounts.create_invite(doc.id).code)
    second = accounts.create_invite(doc.id)
    assert accounts.redeem_invite(ana.id, second.code) == doc
    bo = accounts.register("bo@clinic.example", PASSWORD)
    assert accounts.redeem_invite(bo.id, second.code) == doc  # still usable by someone new
    assert accounts.linked_people(doc.id) == [ana, bo]


def test_the_person_can_unlink(accounts, ana, doc):
    accounts.redeem_invite(ana.id, accounts.create_invite(doc.id).code)
    assert accounts.unlink(ana.id, doc.id) is True
    assert accounts.linked(doc.id, ana.id) is False
    assert accounts.linked_people(doc.id) == []
    assert accounts.unlink(ana.id, doc.id) is False
    # a new invite links them again
    accounts.redeem_invite(ana.id, accounts.create_invite(doc.id).code)
    assert accounts.linked(doc.id, ana.id) is True


def test_a_clinician_withdraws_an_open_invite_only(accounts, ana, doc):
    open_one = accounts.create_invite(doc.id)
    used = accounts.create_invite(doc.id)
    accounts.redeem_invite(ana.id, used.code)
    other = accounts.register("doc2@clinic.example", "another clinician pass", Role.CLINICIAN)
    assert accounts.withdraw_invite(other.id, open_one.invite.id) is False  # not theirs
    assert accounts.withdraw_invite(doc.id, used.invite.id) is False  # already redeemed
    assert accounts.withdraw_invite(doc.id, open_one.invite.id) is True
    bo = accounts.register("bo@clinic.example", PASSWORD)
    with pytest.raises(InvalidInputError):
        accounts.redeem_invite(bo.id, normalise_invite_code(open_one.code))


# personal API tokens -----------------------------------------------------------------------


def test_api_tokens_resolve_until_revoked_and_are_stored_hashed(accounts, ana, database, clock):
    made = accounts.create_api_token(ana.id, " nightly export ")
    assert made.secret.startswith("fct_") and made.token.name == "nightly export"
    assert accounts.resolve_api_token(made.secret) == ana
    (row,) = rows(database, ApiTokenRow.__table__)
    assert row["token_digest"] == sha256(made.secret)
    assert made.secret not in str(dict(row))
    assert database.token_uses_written()  # the bare read leaves the write to a thread
    (listed,) = accounts.api_tokens(ana.id)
    assert listed.id == made.token.id and listed.last_used_at == clock.now()
    assert accounts.revoke_api_token(ana.id, made.token.id) is True
    assert accounts.resolve_api_token(made.secret) is None
    assert accounts.api_tokens(ana.id) == []
    assert accounts.revoke_api_token(ana.id, made.token.id) is False


def test_nobody_revokes_another_persons_token(accounts, ana, doc):
    made = accounts.create_api_token(ana.id, "script")
    assert accounts.revoke_api_token(doc.id, made.token.id) is False
    assert accounts.resolve_api_token(made.secret) == ana


def test_api_token_use_is_recorded_at_most_once_a_minute(accounts, ana, clock, database):
    made = accounts.create_api_token(ana.id, "script")
    first = clock.now()
    accounts.resolve_api_token(made.secret)
    clock.advance(timedelta(seconds=59))
    accounts.resolve_api_token(made.secret)
    assert database.token_uses_written()
    assert accounts.api_tokens(ana.id)[0].last_used_at == first
    clock.advance(timedelta(seconds=1))
    accounts.resolve_api_token(made.secret)
    assert database.token_uses_written()
    assert accounts.api_tokens(ana.id)[0].last_used_at == clock.now()


def test_made_up_api_tokens_resolve_to_nobody(accounts, ana):
    accounts.create_api_token(ana.id, "script")
    for secret in ("", "fct_", "fct_" + "A" * 43, "A" * 47):
        assert accounts.resolve_api_token(secret) is None


def test_a_web_session_token_is_not_an_api_token(accounts, ana):
    session = accounts.login(ana.email, PASSWORD, HOME)
    assert accounts.resolve_api_token(session.token) is None
    made = accounts.create_api_token(ana.id, "script")
    assert accounts.resolve_session(made.secret) is None


def test_the_store_redeems_a_code_once_even_when_both_checks_passed(database, accounts, ana, doc):
    """Two redemptions that both saw the invite open: the conditional UPDATE lets one win."""
    made = accounts.create_invite(doc.id)
    bo = accounts.register("bo@clinic.example", PASSWORD)
    with database.unit_of_work() as uow:
        first = uow.accounts.invites.redeem(sha256(made.code), ana.id, accounts.clock.now())
        second = uow.accounts.invites.redeem(sha256(made.code), bo.id, accounts.clock.now())
        uow.commit()
    assert first is not None and first.redeemed_by == ana.id
    assert second is None


def test_a_duplicate_insert_is_refused_and_the_transaction_goes_on(database, accounts):
    """Two registrations of one address racing past the service's check: the unique index
    refuses the second with a Problem, and the rest of the transaction still commits."""
    with database.unit_of_work() as uow:
        first = uow.accounts.users.add("ana@clinic.example", "$argon2id$x", Role.PERSON, NOW)
        with pytest.raises(InvalidInputError) as caught:
            uow.accounts.users.add("ana@clinic.example", "$argon2id$y", Role.PERSON, NOW)
        assert caught.value.problems[0].field == "email"
        assert uow.accounts.links.add(first.id, first.id, NOW) is True
        assert uow.accounts.links.add(first.id, first.id, NOW) is False
        uow.commit()
    assert [u.email for u in accounts.users()] == ["ana@clinic.example"]
    assert accounts.linked(first.id, first.id) is True
