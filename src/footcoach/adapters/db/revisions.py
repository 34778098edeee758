"""The hottest read of all, a profile's (id, revision), on a bare driver connection.

Every cached page checks it, so it skips the ORM session and the statement compiler: one
prepared statement, on a pooled connection of the database driver. On PostgreSQL the read has a
pool of its own, in autocommit (no BEGIN and ROLLBACK around it) and without a ping before each
use; a connection the server dropped is replaced and the read tried once more.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

SQL = "SELECT id, revision FROM profiles WHERE name = {}"
PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":1", "named": ":name"}


class RevisionReader:
    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name == "postgresql":
            engine = create_engine(
                make_url(engine.url), isolation_level="AUTOCOMMIT", pool_size=5, max_overflow=10
            )
            self._own = True
        else:
            self._own = False
        self.engine = engine
        placeholder = PLACEHOLDERS[engine.dialect.paramstyle]
        self._sql = SQL.format(placeholder)
        self._named = placeholder == ":name"
        self._disconnects: tuple[type[BaseException], ...] = (
            engine.dialect.loaded_dbapi.OperationalError,
            engine.dialect.loaded_dbapi.InterfaceError,
        )

    def __call__(self, name: str) -> tuple[int, int] | None:
        try:
            return self._read(name)
        except self._disconnects:
            return self._read(name)  # the broken connection was thrown away: one more try

    def _read(self, name: str) -> tuple[int, int] | None:
        params: Any = {"name": name} if self._named else (name,)
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self._sql, params)
                row = cursor.fetchone()
            finally:
                cursor.close()
        except self._disconnects:
            connection.invalidate()
            raise
        finally:
            connection.close()
        return None if row is None else (int(row[0]), int(row[1]))

    def dispose(self) -> None:
        if self._own:
            self.engine.dispose()
