"""`footcoach users create|list|set-password` against a SQLite file."""

from __future__ import annotations

import json
from datetime import date

import pytest

from footcoach.adapters.db.unit_of_work import Database
from footcoach.adapters.passwords import Argon2Hasher
from footcoach.services.accounts import AccountService, LoginFailedError
from tests.support.clock import FixedClock

PASSWORD = "correct horse battery"


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'footcoach.db'}"


@pytest.fixture
def env(db_url):
    return {"FOOTCOACH_DATABASE_URL": db_url, "FOOTCOACH_CACHE_DIR": "off"}


@pytest.fixture
def service(db_url):
    """The account service on the same database the commands use (migrated on first use)."""
    database = Database(db_url)
    yield AccountService(database.unit_of_work, Argon2Hasher(), FixedClock(date.today()))
    database.dispose()


def test_create_an_admin_from_stdin_and_log_in(run, env, service):
    result = run(
        "users create Root@Clinic.Example --admin --password-stdin", env=env, input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.stderr
    assert "Created admin root@clinic.example" in result.stdout
    user = service.authenticate("root@clinic.example", PASSWORD, "127.0.0.1")
    assert user.role == "admin"


def test_create_asks_for_the_password_twice_hidden(run, env, service):
    result = run("users create ana@clinic.example", env=env, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.stderr
    assert PASSWORD not in result.stdout  # hidden input is not echoed
    assert service.authenticate("ana@clinic.example", PASSWORD, "::1").role == "person"


def test_create_asks_again_when_the_two_entries_differ(run, env, service):
    result = run(
        "users create ana@clinic.example --clinician",
        env=env,
        input=f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.stderr
    assert service.users()[0].role == "clinician"


@pytest.mark.parametrize(
    ("command", "stdin", "message"),
    [
        (
            "users create ana@clinic.example --password-stdin",
            "short\n",
            "footcoach: password: got '(hidden, 5 characters)'; at least 10 characters",
        ),
        (
            "users create not-an-address --password-stdin",
            PASSWORD + "\n",
            "footcoach: email: got 'not-an-address'; an e-mail address like name@example.org",
        ),
        (
            "users create ana@clinic.example --admin --clinician --password-stdin",
            PASSWORD + "\n",
            "footcoach: role: got '--admin --clinician'; one of --admin or --clinician, not both",
        ),
        (
            "users create ana@clinic.example --password-stdin",
            "\n",
            "footcoach: password: got '(empty)'; a password on the first line of stdin",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(run, env, service, command, stdin, message):
    result = run(command, env=env, input=stdin)
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert service.users() == []


def test_a_registered_address_is_refused(run, env):
    run("users create ana@clinic.example --password-stdin", env=env, input=PASSWORD + "\n")
    result = run("users create ANA@clinic.example --password-stdin", env=env, input=PASSWORD + "\n")
    assert result.exit_code == 2
    assert "email: got 'ana@clinic.example'; an address with no account yet" in result.stderr


def test_list_shows_every_account_oldest_first(run, env):
    assert "No accounts yet" in run("users list", env=env).stdout
    run("users create root@clinic.example --admin --password-stdin", env=env, input=PASSWORD + "\n")
    run("users create ana@clinic.example --password-stdin", env=env, input=PASSWORD + "\n")
    lines = run("users list", env=env).stdout.splitlines()
    assert len(lines) == 2
    assert "root@clinic.example" in lines[0] and "admin" in lines[0]
    assert "ana@clinic.example" in lines[1] and "person" in lines[1] and "u-2" in lines[1]
    listed = json.loads(run("users list --json", env=env).stdout)
    assert [(u["email"], u["role"], u["profile"]) for u in listed] == [
        ("root@clinic.example", "admin", None),
        ("ana@clinic.example", "person", "u-2"),
    ]


def test_list_takes_the_database_from_db(run, env, db_url, tmp_path):
    run("users create ana@clinic.example --password-stdin", env=env, input=PASSWORD + "\n")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert "No accounts yet" in run(f"users list --db {other}", env=env).stdout
    assert "ana@clinic.example" in run(f"users list --db {db_url}", env={}).stdout


def test_set_password_replaces_it_and_ends_web_sessions(run, env, service):
    run("users create ana@clinic.example --password-stdin", env=env, input=PASSWORD + "\n")
    session = service.login("ana@clinic.example", PASSWORD, "127.0.0.1")
    result = run(
        "users set-password Ana@clinic.example --password-stdin",
        env=env,
        input="a brand new passphrase\n",
    )
    assert result.exit_code == 0, result.stderr
    assert service.resolve_session(session.token) is None
    with pytest.raises(LoginFailedError):
        service.authenticate("ana@clinic.example", PASSWORD, "127.0.0.1")
    assert service.authenticate("ana@clinic.example", "a brand new passphrase", "127.0.0.1")


def test_set_password_revokes_the_accounts_api_tokens(run, env, service):
    run("users create ana@clinic.example --password-stdin", env=env, input=PASSWORD + "\n")
    ana = service.user_by_email("ana@clinic.example")
    token = service.create_api_token(ana.id, "scripts")
    assert service.resolve_api_token(token.secret) == ana
    result = run(
        "users set-password ana@clinic.example --password-stdin",
        env=env,
        input="a brand new passphrase\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "API tokens are revoked" in result.stdout
    assert service.resolve_api_token(token.secret) is None
    assert service.api_tokens(ana.id) == []


@pytest.mark.parametrize("weak", ["iloveyou12", "Summer2024!", "passwordpassword", "0000000001"])
def test_create_refuses_common_and_low_variety_passwords_with_exit_2(run, env, service, weak):
    result = run("users create ana@clinic.example --password-stdin", env=env, input=weak + "\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("footcoach: password: got '(hidden,")
    assert weak not in result.stderr and "Traceback" not in result.stderr
    assert service.users() == []


def test_set_password_of_an_unknown_account_exits_2_before_asking(run, env):
    result = run("users set-password nobody@clinic.example", env=env, input="")
    assert result.exit_code == 2
    assert "email: got 'nobody@clinic.example'" in result.stderr
    assert "Password" not in result.stdout


def test_set_password_applies_the_policy(run, env):
    run("users create ana@clinic.example --password-stdin", env=env, input=PASSWORD + "\n")
    result = run(
        "users set-password ana@clinic.example --password-stdin", env=env, input="qwertyuiop\n"
    )
    assert result.exit_code == 2
    assert "not one of the commonest passwords" in result.stderr
