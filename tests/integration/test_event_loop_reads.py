"""The reads an event loop awaits (a profile's revision, a session's slot): the same answers as
the blocking reads, never older than the request, and on PostgreSQL one statement for the
requests waiting together, on a connection the loop keeps and replaces when it breaks."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from footcoach.adapters.db.unit_of_work import Database
from footcoach.domain.profile import Profile
from tests.factories import intake
from tests.support.loops import run_async

DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def database(database_url):
    db = Database(database_url)
    with db.unit_of_work() as uow:
        for name in ("anna", "ben"):
            uow.profiles.save(Profile(name, intake(), "footcoach", DAY, 12), NOW)
        anna, ben = uow.profiles.id_of("anna"), uow.profiles.id_of("ben")
        db.anna_session = uow.diary.start_session(anna, DAY, "evening", NOW)  # type: ignore[attr-defined]
        db.ben_session = uow.diary.start_session(ben, DAY, "daytime", NOW)  # type: ignore[attr-defined]
        uow.commit()
    yield db
    db.dispose()


def _on_a_loop(database: Database, work):
    """Run work(database) on a new event loop, closing what the loop kept at its end."""

    async def scenario():
        try:
            return await work(database)
        finally:
            await database.aclose()

    return run_async(scenario)


def test_the_answers_are_those_of_the_blocking_reads(database):
    async def work(db: Database):
        return (
            await db.revision_async("anna"),
            await db.revision_async("nobody"),
            await db.session_slot_async("anna", db.anna_session),
            await db.session_slot_async("anna", db.ben_session),  # someone else's
            await db.session_slot_async("anna", 999_999),
            await db.session_slot_async("nobody", db.anna_session),
        )

    mine, nobody, slot, others, unknown, no_profile = _on_a_loop(database, work)
    assert mine == database.revision("anna")
    assert nobody is None and no_profile is None
    anna_id = mine[0]
    assert slot == (mine, (DAY, "evening"))
    assert slot[1] == database.session_slot(anna_id, database.anna_session)
    assert others == (mine, None) and unknown == (mine, None)


def test_a_write_committed_before_a_read_is_seen_by_it(database):
    async def work(db: Database):
        before = await db.revision_async("anna")
        with db.unit_of_work() as uow:  # any write a view reads raises the revision
            profile = uow.profiles.get("anna")
            uow.profiles.save(profile, NOW)
            uow.commit()
        return before, await db.revision_async("anna")

    before, after = _on_a_loop(database, work)
    assert after[0] == before[0] and after[1] > before[1]


def test_many_reads_waiting_together_answer_each_its_own(database):
    async def work(db: Database):
        asks = [db.revision_async(name) for name in ("anna", "ben", "nobody") * 20]
        return await asyncio.gather(*asks)

    answers = _on_a_loop(database, work)
    expected = [database.revision("anna"), database.revision("ben"), None] * 20
    assert answers == expected


POSTGRESQL_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
"""A SQLite file is read at once, on the loop's thread: nothing to batch or reconnect."""


@POSTGRESQL_ONLY
def test_postgresql_asks_once_for_the_reads_waiting_together(database, monkeypatch):
    from footcoach.adapters.db import loop_reads

    statements: list[int] = []
    real = loop_reads._Reader._statement

    async def counted(self, asks):
        statements.append(len(asks))
        return await real(self, asks)

    monkeypatch.setattr(loop_reads._Reader, "_statement", counted)

    async def work(db: Database):
        return await asyncio.gather(*(db.revision_async("anna") for _ in range(40)))

    answers = _on_a_loop(database, work)
    assert answers == [database.revision("anna")] * 40
    assert sum(statements) == 40 and len(statements) < 40


@POSTGRESQL_ONLY
def test_postgresql_replaces_a_connection_the_server_dropped(database):
    from sqlalchemy import text

    async def work(db: Database):
        first = await db.revision_async("anna")
        reader = next(iter(db._loop_reads._readers.values()))  # this loop's reader
        pid = reader._connection.info.backend_pid
        with db.engine.connect() as conn:  # the server ends that connection
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            conn.commit()
        again = await db.revision_async("anna")
        return first, again, reader._connection.info.backend_pid != pid

    first, again, replaced = _on_a_loop(database, work)
    assert first == again and replaced
