"""A multi-user server purges old sessions and attempts when it starts and then every hour
(web/housekeeping.py); a failed purge is logged and tried again."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import func, select

from footcoach.adapters.db.tables import WebSessionRow
from footcoach.web import housekeeping
from tests.support.loops import run_async
from tests.web.multi_user import multi_fixture  # noqa: F401


def _sessions(services) -> int:
    with services.database.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(WebSessionRow)).scalar_one()


def test_a_multi_user_server_purges_ended_sessions_when_it_starts(multi):
    ann = multi.actor("ann@example.org")
    assert ann.client.post("/logout", data={"csrf_token": ann.csrf}).status_code == 303
    assert _sessions(multi.services) == 1  # ended, still stored
    multi.client()  # another worker starting: its lifespan runs
    assert _sessions(multi.services) == 0


class _Stop(Exception):
    """Ends the loop in place of the cancellation a shutdown brings."""


def test_the_purge_runs_every_hour_and_survives_a_failure(caplog, monkeypatch):
    # a server started in process by an earlier test may have configured logging (uvicorn's
    # dictConfig disables loggers that exist): this test reads the logger's own records
    logger = logging.getLogger("footcoach.web")
    monkeypatch.setattr(logger, "disabled", False)
    monkeypatch.setattr(logger, "propagate", True)
    calls: list[str] = []
    waits: list[float] = []

    def purge() -> int:
        calls.append("purge")
        if len(calls) == 2:
            raise RuntimeError("the database is away")
        return 3

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) > 3:
            raise _Stop

    with caplog.at_level(logging.INFO, "footcoach.web"), pytest.raises(_Stop):
        run_async(lambda: housekeeping.purge_periodically(purge, sleep=sleep))
    assert calls == ["purge"] * 3  # after each of the first three waits; the failure too
    assert waits == [housekeeping.PURGE_EVERY_S] * 4
    assert "the purge of old sessions and attempts failed" in caplog.text
    assert "purged 3 old sessions" in caplog.text


def test_stopping_cancels_the_hourly_task():
    async def scenario() -> bool:
        task = await housekeeping.start(lambda: 0)
        await asyncio.sleep(0)
        await housekeeping.stop(task)
        return task.cancelled()

    assert run_async(scenario)
