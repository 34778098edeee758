"""`footcoach serve`: when it refuses to start, and what it starts with (no server is started)."""

from __future__ import annotations

import os

import pytest

from footcoach.cli.serve_commands import serve_refusal

KEY = "k" * 64
POSTGRES = "postgresql+psycopg://footcoach@db.example/footcoach"
SETTINGS_ENV = (
    "FOOTCOACH_SECRET_KEY",
    "FOOTCOACH_DATABASE_URL",
    "FOOTCOACH_MULTI_USER",
    "FOOTCOACH_ALLOWED_HOSTS",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """No setting from the machine running the tests; whatever serve sets is undone after."""
    for name in SETTINGS_ENV:
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("FOOTCOACH_CACHE_DIR", "off")


@pytest.fixture
def started(monkeypatch):
    """uvicorn.run and the forked workers' serve replaced: what serve would have started, and
    the environment it set."""
    calls: list[dict] = []

    def run(app, **options):
        calls.append({"app": app, **options, "multi_user": os.environ["FOOTCOACH_MULTI_USER"]})

    def forked(workers, **options):  # several workers are forked from one loaded app
        run("footcoach.web.workers", workers=workers, **options)
        return 0

    import uvicorn

    from footcoach.web import workers

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setattr(workers, "serve", forked)
    return calls


def test_multi_user_without_a_secret_key_or_a_database_refuses_saying_how(run, started):
    result = run("serve --multi-user")
    assert result.exit_code == 2
    assert "multi-user mode cannot start" in result.stderr
    assert "FOOTCOACH_SECRET_KEY: got (not set)" in result.stderr
    assert "secrets.token_urlsafe(48)" in result.stderr
    assert "FOOTCOACH_DATABASE_URL: got (not set)" in result.stderr
    assert started == []


def test_multi_user_on_the_default_database_refuses(run, started):
    result = run("serve --multi-user --host 0.0.0.0", env={"FOOTCOACH_SECRET_KEY": KEY})
    assert result.exit_code == 2
    assert "FOOTCOACH_DATABASE_URL" in result.stderr
    assert "FOOTCOACH_SECRET_KEY" not in result.stderr
    assert started == []


def test_a_short_secret_key_is_refused_without_showing_it(run, started, tmp_path):
    db = f"sqlite:///{tmp_path / 'footcoach.db'}"
    result = run(f"serve --multi-user --db {db}", env={"FOOTCOACH_SECRET_KEY": "hunter2hunter2"})
    assert result.exit_code == 2
    assert "(hidden, 14 characters)" in result.stderr
    assert "hunter2" not in result.stderr
    assert started == []


def test_the_setting_turns_multi_user_mode_on_like_the_option(run, started):
    result = run("serve", env={"FOOTCOACH_MULTI_USER": "1"})
    assert result.exit_code == 2
    assert "multi-user mode cannot start" in result.stderr


def test_local_mode_listens_on_this_machine_only(run, started):
    result = run("serve --host 0.0.0.0")
    assert result.exit_code == 2
    assert "this machine only" in result.stderr
    assert "--multi-user" in result.stderr
    assert started == []


def test_multi_user_with_its_checks_passing_starts_on_any_address(run, started, tmp_path):
    db = f"sqlite:///{tmp_path / 'footcoach.db'}"
    env = {"FOOTCOACH_SECRET_KEY": KEY, "FOOTCOACH_ALLOWED_HOSTS": "footcoach.clinic.example"}
    result = run(f"serve --multi-user --host 0.0.0.0 --db {db} --workers 2", env=env)
    assert result.exit_code == 0, result.stderr
    (call,) = started
    assert call["host"] == "0.0.0.0"
    assert call["workers"] == 2
    assert call["app"] == "footcoach.web.workers"  # forked from one app loaded in the parent
    assert call["multi_user"] == "1"  # the workers build their app in multi-user mode
    assert "for many people with accounts" in result.stdout


def test_stopping_waits_for_running_requests_a_few_seconds_at_most(run, started, tmp_path):
    """uvicorn's default waits for every open request however long it takes (an import of a
    huge backup kept a server from stopping for 50 s); serve bounds the wait."""
    result = run(f"serve --db sqlite:///{tmp_path / 'footcoach.db'}")
    assert result.exit_code == 0, result.stderr
    (call,) = started
    assert 0 < call["timeout_graceful_shutdown"] <= 10


@pytest.mark.parametrize(
    ("host", "multi_user", "key", "database", "refused"),
    [
        ("127.0.0.1", False, "", "", False),
        ("::1", False, "", "", False),
        ("localhost", False, "", "", False),
        ("0.0.0.0", False, KEY, POSTGRES, True),
        ("192.168.1.20", False, "", "", True),
        ("0.0.0.0", True, KEY, POSTGRES, False),
        ("::", True, KEY, "sqlite:////srv/footcoach/footcoach.db", False),
        ("127.0.0.1", True, KEY, "", True),
        ("0.0.0.0", True, "", POSTGRES, True),
        ("0.0.0.0", True, KEY, "sqlite://", True),
    ],
)
def test_the_decision(host, multi_user, key, database, refused):
    assert (serve_refusal(host, multi_user, key, database) is not None) is refused


def test_multi_user_on_another_address_needs_its_host_names(run, started, tmp_path):
    """Else every request from another machine would be refused as for an unknown host."""
    db = f"sqlite:///{tmp_path / 'footcoach.db'}"
    result = run(f"serve --multi-user --host 0.0.0.0 --db {db}", env={"FOOTCOACH_SECRET_KEY": KEY})
    assert result.exit_code == 2
    assert "FOOTCOACH_ALLOWED_HOSTS: got (not set)" in result.stderr
    assert started == []
    on_loopback = run(f"serve --multi-user --db {db}", env={"FOOTCOACH_SECRET_KEY": KEY})
    assert on_loopback.exit_code == 0, on_loopback.stderr  # behind a proxy on this machine


def test_a_wrong_allowed_host_is_named_before_starting(run, started, tmp_path):
    db = f"sqlite:///{tmp_path / 'footcoach.db'}"
    env = {"FOOTCOACH_SECRET_KEY": KEY, "FOOTCOACH_ALLOWED_HOSTS": "https://clinic.example"}
    result = run(f"serve --multi-user --host 0.0.0.0 --db {db}", env=env)
    assert result.exit_code == 2
    assert "FOOTCOACH_ALLOWED_HOSTS: got 'https://clinic.example'" in result.stderr
    assert "Traceback" not in result.stderr
    assert started == []
