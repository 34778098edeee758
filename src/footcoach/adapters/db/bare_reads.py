"""The hottest reads, on a bare driver connection: a profile's (id, revision), which every
cached page checks, a session's day and slot, which every saved item is checked against, and
who a web session or an API token belongs to, which every logged-in request asks.

They skip the ORM session and the statement compiler: one prepared statement each, on a pooled
connection of the database driver. On PostgreSQL the read has a pool of its own, in autocommit
(no BEGIN and ROLLBACK around it) and without a ping before each use; a connection the server
dropped is replaced and the read tried once more. On a SQLite file, the read an event loop
makes itself (profile_read) goes through a connection that loop's thread keeps, not the pool.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from datetime import date
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from footcoach.adapters.db.stored import stored_day
from footcoach.services.ports import ProfileRead

REVISION = "SELECT id, revision FROM profiles WHERE name = {0}"
SESSION_SLOT = "SELECT day, slot FROM sessions WHERE id = {0} AND profile_id = {1}"
SESSION_USER = (
    "SELECT u.id, u.email, u.role, u.profile, u.created_at, s.expires_at, s.revoked_at "
    "FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_digest = {0}"
)
TOKEN_USER = (
    "SELECT u.id, u.email, u.role, u.profile, u.created_at, t.id, t.last_used_at "
    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
    "WHERE t.token_digest = {0} AND t.revoked_at IS NULL"
)
"""The user of a live (not revoked) API token, the token's id and its last use."""
TOKEN_USERS = (
    "SELECT q.i, u.id, u.email, u.role, u.profile, u.created_at, t.id, t.last_used_at "
    "FROM unnest(%s::text[]) WITH ORDINALITY AS q(digest, i) "
    "JOIN api_tokens t ON t.token_digest = q.digest AND t.revoked_at IS NULL "
    "JOIN users u ON u.id = t.user_id"
)
"""PostgreSQL: TOKEN_USER for many requests in one statement (i counts from 1)."""
PROFILE_READ = (
    "SELECT p.id, p.revision, s.day, s.slot FROM profiles p "
    "LEFT JOIN sessions s ON s.id = {0} AND s.profile_id = p.id WHERE p.name = {1}"
)
PROFILE_READS = (
    "SELECT q.i, p.id, p.revision, s.day, s.slot "
    "FROM unnest(%s::text[], %s::bigint[]) WITH ORDINALITY AS q(name, sid, i) "
    "JOIN profiles p ON p.name = q.name "
    "LEFT JOIN sessions s ON s.id = q.sid AND s.profile_id = p.id"
)
"""PostgreSQL: the profile reads of many requests in one statement (i counts from 1; see
loop_reads.py)."""
PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


class _KeptConnection(sqlite3.Connection):
    """A thread's own connection (a subclass, so that dispose() can hold it weakly: closed by
    dispose(), or when its thread ends)."""


class BareReads:
    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name == "postgresql":
            engine = create_engine(
                make_url(engine.url), isolation_level="AUTOCOMMIT", pool_size=5, max_overflow=10
            )
            self._own = True
        else:
            self._own = False
        self.engine = engine
        mark = PLACEHOLDERS[engine.dialect.paramstyle]
        self._revision = REVISION.format(mark)
        self._session_slot = SESSION_SLOT.format(mark, mark)
        self._session_user = SESSION_USER.format(mark)
        self._token_user = TOKEN_USER.format(mark)
        self._profile_read = PROFILE_READ.format(mark, mark)
        database = engine.url.database
        self._file = (
            database
            if engine.dialect.name == "sqlite"
            and database
            and database != ":memory:"
            and not engine.url.query  # a plain file, as footcoach names them
            else None
        )
        self._local = threading.local()
        self._kept_connections: weakref.WeakSet[_KeptConnection] = weakref.WeakSet()
        self._disconnects: tuple[type[BaseException], ...] = (
            engine.dialect.loaded_dbapi.OperationalError,
            engine.dialect.loaded_dbapi.InterfaceError,
        )

    def revision(self, name: str) -> tuple[int, int] | None:
        row = self._one(self._revision, (name,))
        return None if row is None else (int(row[0]), int(row[1]))

    def session_slot(self, profile_id: int, session_id: int) -> tuple[date, str] | None:
        row = self._one(self._session_slot, (session_id, profile_id))
        return None if row is None else (stored_day(row[0]), str(row[1]))

    def profile_read(self, name: str, session_id: int | None) -> ProfileRead | None:
        """A profile's revision and, when the session is that profile's, its day and slot;
        None when there is no such profile."""
        params = (session_id, name)
        if self._file is None:
            row = self._one(self._profile_read, params)
        else:
            row = self._kept().execute(self._profile_read, params).fetchone()
        return None if row is None else profile_read(*row)

    @property
    def file(self) -> str | None:
        """The SQLite file read through each thread's own connection (None: the pool's)."""
        return self._file

    @property
    def disconnects(self) -> tuple[type[BaseException], ...]:
        """The driver's errors for a connection that is broken or was dropped."""
        return self._disconnects

    def kept(self) -> sqlite3.Connection:
        """This thread's own connection to the SQLite file (for state_reads.py)."""
        return self._kept()

    def _kept(self) -> _KeptConnection:
        """This thread's own connection to the SQLite file: a read on it costs a few
        microseconds, a pool checkout and return (with its rollback) several times that. It
        reads in autocommit: each statement sees the last commit, and holds no snapshot."""
        connection: _KeptConnection | None = getattr(self._local, "connection", None)
        if connection is None:
            assert self._file is not None
            connection = sqlite3.connect(
                self._file,
                timeout=30,
                check_same_thread=False,
                isolation_level=None,
                factory=_KeptConnection,
            )
            self._local.connection = connection
            self._kept_connections.add(connection)
        return connection

    def session_user(self, token_digest: str) -> tuple[Any, ...] | None:
        """(user id, email, role, profile, created_at, expires_at, revoked_at) of a web session,
        the times as the driver gives them (SQLite: text)."""
        row = self._one(self._session_user, (token_digest,))
        return None if row is None else tuple(row)

    def token_user(self, token_digest: str) -> tuple[Any, ...] | None:
        """(user id, email, role, profile, created_at, token id, last_used_at) of a live API
        token, the times as the driver gives them. On a SQLite file, through the thread's own
        connection, as profile_read."""
        params = (token_digest,)
        if self._file is None:
            row = self._one(self._token_user, params)
        else:
            row = self._kept().execute(self._token_user, params).fetchone()
        return None if row is None else tuple(row)

    def _one(self, sql: str, params: tuple[Any, ...]) -> Any:
        try:
            return self._read(sql, params)
        except self._disconnects:
            return self._read(sql, params)  # the broken connection was thrown away: again

    def _read(self, sql: str, params: tuple[Any, ...]) -> Any:
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(sql, params)
                return cursor.fetchone()
            finally:
                cursor.close()
        except self._disconnects:
            connection.invalidate()
            raise
        finally:
            connection.close()

    def dispose(self) -> None:
        for connection in list(self._kept_connections):
            connection.close()
        self._kept_connections.clear()
        self._local = threading.local()
        if self._own:
            self.engine.dispose()


def profile_read(profile_id: Any, revision: Any, day: Any, slot: Any) -> ProfileRead:
    """A row of PROFILE_READ(S) as the port gives it."""
    revision_of = (int(profile_id), int(revision))
    return revision_of, (None if day is None else (stored_day(day), str(slot)))
