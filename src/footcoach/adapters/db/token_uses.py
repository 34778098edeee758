"""API tokens' last uses, written by a thread of their own, never on a request's path.

A request made with a token is answered after one read (who the token belongs to, and when it
was last used); when that use is due to be recorded, the request hands (token id, now, due) to
this writer and goes on. The writer keeps one pending use per token and writes what is pending
in one transaction: `last_used_at = now` where the stored one is still at or before `due`, so
two processes (or two writers) recording the same minute write it once. A use this process has
queued already after `due` is not queued again, so a busy token costs one write a minute,
however many requests it makes.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from sqlalchemy import Engine, bindparam, or_

from footcoach.adapters.db.tables import ApiTokenRow

log = logging.getLogger("footcoach.db")

KEPT_MOST = 10_000
"""Tokens whose queued use is remembered before the ones no longer due are forgotten."""


class TokenUses:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._queued: dict[int, datetime] = {}
        """Token id -> the use this process queued last."""
        self._pending: dict[int, tuple[datetime, datetime]] = {}
        """Token id -> (now, due), waiting for the writer."""
        self._writing = False
        self._worker: threading.Thread | None = None
        self._closing = False
        table = ApiTokenRow.__table__
        stamp = table.c.last_used_at.type
        self._statement = (
            table.update()
            .where(
                table.c.id == bindparam("token_id"),
                or_(
                    table.c.last_used_at.is_(None),
                    table.c.last_used_at <= bindparam("due", type_=stamp),
                ),
            )
            .values(last_used_at=bindparam("now", type_=stamp))
        )

    def record(self, token_id: int, now: datetime, due: datetime) -> None:
        """Have the token's last use written as `now` unless one after `due` is written or
        queued already; returns at once."""
        with self._lock:
            queued = self._queued.get(token_id)
            if queued is not None and queued > due:
                return
            if len(self._queued) >= KEPT_MOST:
                self._queued = {t: at for t, at in self._queued.items() if at > due}
            self._queued[token_id] = now
            self._pending[token_id] = (now, due)
            if self._worker is None:
                self._closing = False
                worker = threading.Thread(target=self._work, name="footcoach-token-uses")
                worker.daemon = True  # a use not yet written is worth no wait at exit
                worker.start()
                self._worker = worker
            self._changed.notify_all()

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until every use queued so far is written (tests, and closing)."""
        with self._lock:
            return self._changed.wait_for(
                lambda: not self._pending and not self._writing, timeout=timeout
            )

    def close(self) -> None:
        """Write what is pending, then stop the writer (a later use starts a new one)."""
        with self._lock:
            worker = self._worker
            self._worker = None
            self._closing = True
            self._changed.notify_all()
        if worker is not None:
            worker.join(timeout=10)

    def _work(self) -> None:
        while True:
            with self._lock:
                self._changed.wait_for(lambda: bool(self._pending) or self._closing)
                if not self._pending:
                    return  # closing, nothing left
                batch, self._pending = self._pending, {}
                self._writing = True
            try:
                self._write(batch)
            except Exception:  # a lost last-use time is no reason to stop serving
                log.exception("could not record the last use of %d API tokens", len(batch))
            finally:
                with self._lock:
                    self._writing = False
                    self._changed.notify_all()

    def _write(self, batch: dict[int, tuple[datetime, datetime]]) -> None:
        rows = [{"token_id": t, "now": now, "due": due} for t, (now, due) in batch.items()]
        with self._engine.begin() as connection:
            connection.execute(self._statement, rows)
