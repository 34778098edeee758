"""The hottest reads, on a bare driver connection: a profile's (id, revision), which every
cached page checks, and a session's day and slot, which every saved item is checked against.

They skip the ORM session and the statement compiler: one prepared statement each, on a pooled
connection of the database driver. On PostgreSQL the read has a
pool of its own, in autocommit (no BEGIN and ROLLBACK around it) and without a ping before each
use; a connection the server dropped is replaced and the read tried once more.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

REVISION = "SELECT id, revision FROM profiles WHERE name = {0}"
SESSION_SLOT = "SELECT day, slot FROM sessions WHERE id = {0} AND profile_id = {1}"
SESSION_USER = (
    "SELECT u.id, u.email, u.role, u.profile, u.created_at, s.expires_at, s.revoked_at "
    "FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_digest = {0}"
)
PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


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
        self._disconnects: tuple[type[BaseException], ...] = (
            engine.dialect.loaded_dbapi.OperationalError,
            engine.dialect.loaded_dbapi.InterfaceError,
        )

    def revision(self, name: str) -> tuple[int, int] | None:
        row = self._one(self._revision, (name,))
        return None if row is None else (int(row[0]), int(row[1]))

    def session_slot(self, profile_id: int, session_id: int) -> tuple[date, str] | None:
        row = self._one(self._session_slot, (session_id, profile_id))
        if row is None:
            return None
        day = row[0]
        return (date.fromisoformat(day) if isinstance(day, str) else day), str(row[1])

    def session_user(self, token_digest: str) -> tuple[Any, ...] | None:
        """(user id, email, role, profile, created_at, expires_at, revoked_at) of a web session,
        the times as the driver gives them (SQLite: text)."""
        row = self._one(self._session_user, (token_digest,))
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
        if self._own:
            self.engine.dispose()
