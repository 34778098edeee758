"""Requests made with a personal API token: one read resolves the token (as a session cookie is
resolved), nothing is written on the request's path, the token's last use is written at most
once a minute by a thread of its own, and a revoked token is refused at once. On SQLite and
PostgreSQL, with the database adapter's bare reads (as `footcoach serve` runs)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from argon2 import profiles
from sqlalchemy import event, select

from footcoach.adapters.db.tables import ApiTokenRow
from footcoach.adapters.passwords import Argon2Hasher
from footcoach.services.accounts import TOKEN_USE_RECORDED_EVERY, AccountService
from tests.support.clock import FixedClock
from tests.web.conftest import TODAY
from tests.web.multi_user import build

WRITES = ("INSERT", "UPDATE", "DELETE")


class MovingClock(FixedClock):
    """The tests' fixed clock, moved on by hand: `later` is added to its 08:00."""

    def __init__(self) -> None:
        super().__init__(TODAY)
        self.later = timedelta()

    def now(self) -> datetime:
        return super().now() + self.later


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock()


@pytest.fixture
def world(database_url, clock):
    """Multi-user mode whose account service reads sessions and tokens as a server's does."""
    built = build(database_url, clock)
    database = built.services.database
    built.services.__dict__["accounts"] = AccountService(
        database.unit_of_work, Argon2Hasher(profiles.CHEAPEST), clock, database
    )
    yield built
    built.close()
    built.services.close()


@pytest.fixture
def token(world):
    """(a person's token secret, its id, a client without cookies)."""
    user = world.user("ann@example.org")
    made = world.services.accounts.create_api_token(user.id, "scripts")
    return made.secret, made.token.id, world.client()


def get(client, secret: str, path: str = "/api/v1/today"):
    return client.get(path, headers={"Authorization": f"Bearer {secret}"})


def statements(engine) -> list[tuple[str, str]]:
    """(thread name, SQL) of every statement the engine sends from now on."""
    seen: list[tuple[str, str]] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append((threading.current_thread().name, statement))

    event.listen(engine, "before_cursor_execute", count)
    return seen


def last_used(world, token_id: int) -> datetime | None:
    assert world.services.database.token_uses_written()
    with world.services.database.engine.connect() as conn:
        found = conn.execute(
            select(ApiTokenRow.last_used_at).where(ApiTokenRow.id == token_id)
        ).scalar_one()
    return None if found is None else found.replace(tzinfo=None)


def test_a_token_request_writes_nothing_on_its_path(world, token):
    """Before, every token request ran a unit of work on the event loop, and its first use in
    five minutes an UPDATE and a COMMIT there too."""
    secret, _, client = token
    engine = world.services.database.engine
    seen = statements(engine)
    answer = get(client, secret)
    assert answer.status_code == 200, answer.text
    assert world.services.database.token_uses_written()
    writes = [(thread, sql) for thread, sql in seen if sql.lstrip().upper().startswith(WRITES)]
    assert writes, "the use is written"
    assert {thread for thread, _ in writes} == {"footcoach-token-uses"}, writes
    assert not any("api_tokens" in sql for _, sql in seen if not sql.startswith("UPDATE"))


def test_the_last_use_is_written_at_most_once_a_minute(world, token, clock):
    secret, token_id, client = token
    engine = world.services.database.engine
    seen = statements(engine)
    start = clock.now().replace(tzinfo=None)
    assert get(client, secret).status_code == 200
    assert last_used(world, token_id) == start
    for seconds in (1, 20, 59):
        clock.later = timedelta(seconds=seconds)
        assert get(client, secret).status_code == 200
    assert last_used(world, token_id) == start  # within the minute: not written again
    clock.later = TOKEN_USE_RECORDED_EVERY
    assert get(client, secret).status_code == 200
    assert get(client, secret).status_code == 200
    assert last_used(world, token_id) == start + TOKEN_USE_RECORDED_EVERY
    updates = [sql for _, sql in seen if sql.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 2


def test_two_processes_record_one_minute_once(database_url, world, token, clock):
    """Each process remembers what it queued; between processes, the write itself is
    conditional on the stored time being due."""
    from footcoach.adapters.db.unit_of_work import Database

    _, token_id, _ = token
    other = Database(database_url)
    try:
        now = clock.now()
        due = now - TOKEN_USE_RECORDED_EVERY
        world.services.database.record_token_use(token_id, now, due)
        assert world.services.database.token_uses_written()
        later = now + timedelta(seconds=30)  # the other process read the token before
        other.record_token_use(token_id, later, later - TOKEN_USE_RECORDED_EVERY)
        assert other.token_uses_written()
        assert last_used(world, token_id) == now.replace(tzinfo=None)
    finally:
        other.dispose()


def test_a_revoked_token_is_refused_at_once(world, token):
    secret, token_id, client = token
    assert get(client, secret).status_code == 200
    user_id = world.services.accounts.user_by_email("ann@example.org").id
    assert world.services.accounts.revoke_api_token(user_id, token_id)
    refused = get(client, secret)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"


def test_an_unknown_or_malformed_token_is_nobody(world, token):
    secret, _, client = token
    for wrong in (secret[:-2] + "xx", "fct_", "not-a-token", "fct_" + "a" * 300):
        assert get(client, wrong).status_code == 401, wrong


def test_many_token_requests_at_once_are_each_answered_as_their_person(world):
    """On PostgreSQL the token reads of requests waiting together share one statement."""
    people = [world.user(f"p{n}@example.org") for n in range(6)]
    secrets = [world.services.accounts.create_api_token(p.id, "s").secret for p in people]
    client = world.client()
    answers: dict[int, int] = {}

    def ask(n: int) -> None:
        answers[n] = get(client, secrets[n], "/api/v1/profile").status_code

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(6) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(answers.values()) == {200}
    for n, person in enumerate(people):
        profile = get(client, secrets[n], "/api/v1/profile").json()
        assert profile["name"] == person.profile
