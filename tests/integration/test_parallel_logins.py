"""Sixty wrong passwords for one account at once, through two app processes on one database:
no more than the limit are ever checked (hashed), and then even the right password is refused.

The limit is reserved before the slow hash, in the transaction that checks it, so the guesses
that arrive while others are still being hashed find the count already taken. Runs on SQLite
and on PostgreSQL (when FOOTCOACH_TEST_POSTGRES_URL is set).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from footcoach.adapters.db.tables import LoginAttemptRow
from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.services.accounts import PAIR_FAILURES_MAX
from tests.support.servers import footcoach_server

SECRET = "parallel-logins-test-secret-0123456789abcdef"
EMAIL = "admin@clinic.example"
PASSWORD = "the right long passphrase"
GUESSES = 60


@pytest.fixture
def servers(database_url) -> Iterator[list[str]]:
    """Two `footcoach serve --multi-user` processes on the database; their base URLs."""
    env = {**os.environ, "FOOTCOACH_SECRET_KEY": SECRET, "FOOTCOACH_DATABASE_URL": database_url}
    env.pop("FOOTCOACH_PROFILE", None)
    with (
        footcoach_server(["--multi-user"], env) as one,
        footcoach_server(["--multi-user"], env) as two,
    ):
        yield [one, two]


def _login(base: str, password: str) -> int:
    body = urllib.parse.urlencode({"email": EMAIL, "password": password}).encode()
    request = urllib.request.Request(base + "/login", data=body, method="POST")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # a 303 is the answer, not a next step
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=120) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        error.close()
        return int(error.code)


def _recorded_failures(database_url: str) -> int:
    services = build_services(Settings(database_url=database_url))
    try:
        with services.database.unit_of_work() as uow:
            return int(
                uow.session.scalar(
                    select(func.count()).where(
                        LoginAttemptRow.email == EMAIL, LoginAttemptRow.succeeded.is_(False)
                    )
                )
                or 0
            )
    finally:
        services.close()


def test_sixty_parallel_guesses_on_two_processes_hash_at_most_the_limit(database_url, servers):
    services = build_services(Settings(database_url=database_url))
    try:
        services.accounts.create_admin(EMAIL, PASSWORD)
    finally:
        services.close()

    sends = [(servers[n % 2], f"wrong guess number {n}") for n in range(GUESSES)]
    with ThreadPoolExecutor(max_workers=GUESSES) as pool:
        statuses = Counter(pool.map(lambda s: _login(*s), sends))

    hashed = _recorded_failures(database_url)
    assert set(statuses) <= {422, 429}, statuses
    assert statuses[422] == hashed  # each checked guess answered "wrong", and was counted
    assert 0 < hashed <= PAIR_FAILURES_MAX, statuses
    # a guess refused for want of a free hashing slot is neither checked nor counted: should
    # any have been, the remaining ones are spent one by one
    for extra in range(PAIR_FAILURES_MAX - hashed):
        assert _login(servers[extra % 2], "one more wrong guess") == 422
    assert _recorded_failures(database_url) == PAIR_FAILURES_MAX
    for base in servers:  # locked, in both processes, even for the right password
        assert _login(base, PASSWORD) == 429
