"""PostgreSQL's profile reads for an event loop: one statement for all the requests waiting
together, on the loop's own connection (psycopg's asyncio connection).

Every cached page and every saved item first reads the profile's revision. On PostgreSQL each
read is a network round trip; made one by one on the loop they would hold it up, and handed to
a thread they would cost two hand-overs between threads each. Here each event loop keeps one
autocommit connection and one reader: a request adds its ask to the waiting list and, when no
statement is in flight, starts one for everything waiting. Asks that arrive while a statement
is in flight wait for the next one, so every answer is read after its request arrived (a write
acknowledged before a request is always seen by it). A connection the server dropped is
replaced and the statement sent again once; a second failure is the waiting requests' error.

The same reader answers who an API token belongs to (TOKEN_USERS), which every request made
with a token asks before its route: asks of each kind wait in their own list, and each round
sends one statement per kind that has any.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from typing import Any

from footcoach.adapters.db.bare_reads import PROFILE_READS, TOKEN_USERS, profile_read
from footcoach.services.ports import ProfileRead

MOST = 256
"""The most asks one statement takes."""

Ask = tuple[str, int | None]
"""A profile read: (profile name, session id or None)."""
PROFILES = "profiles"
TOKENS = "tokens"
"""The kinds of asks: profile reads, and API token reads (a token's digest)."""


class LoopReads:
    """The readers of one database, one per event loop that asks."""

    def __init__(self, connect_kwargs: dict[str, Any]) -> None:
        self._connect_kwargs = connect_kwargs
        self._readers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Reader] = (
            weakref.WeakKeyDictionary()
        )

    async def read(self, name: str, session_id: int | None) -> ProfileRead | None:
        found: ProfileRead | None = await self._reader().read(PROFILES, (name, session_id))
        return found

    async def token_user(self, token_digest: str) -> tuple[Any, ...] | None:
        """The row of bare_reads.TOKEN_USER for this digest (None: no live token)."""
        found: tuple[Any, ...] | None = await self._reader().read(TOKENS, token_digest)
        return found

    def _reader(self) -> _Reader:
        loop = asyncio.get_running_loop()
        reader = self._readers.get(loop)
        if reader is None:
            reader = self._readers[loop] = _Reader(self._connect_kwargs)
        return reader

    async def aclose(self) -> None:
        """Close the running loop's connection (a server's shutdown, on its loop)."""
        reader = self._readers.pop(asyncio.get_running_loop(), None)
        if reader is not None:
            await reader.aclose()


class _Reader:
    def __init__(self, connect_kwargs: dict[str, Any]) -> None:
        self._connect_kwargs = connect_kwargs
        self._waiting: dict[str, list[tuple[Any, asyncio.Future[Any]]]] = {
            PROFILES: [],
            TOKENS: [],
        }
        self._draining: asyncio.Task[None] | None = None
        self._connection: Any = None

    async def read(self, kind: str, ask: Any) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting[kind].append((ask, future))
        if self._draining is None:
            self._draining = asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while any(self._waiting.values()):
                for kind in (PROFILES, TOKENS):
                    waiting = self._waiting[kind]
                    if not waiting:
                        continue
                    batch, self._waiting[kind] = waiting[:MOST], waiting[MOST:]
                    try:
                        found = await self._read(kind, [ask for ask, _ in batch])
                    except Exception as exc:
                        for _, future in batch:
                            if not future.done():
                                future.set_exception(exc)
                        continue
                    for (_, future), answer in zip(batch, found, strict=True):
                        if not future.done():  # not cancelled meanwhile
                            future.set_result(answer)
        finally:
            self._draining = None

    async def _read(self, kind: str, asks: list[Any]) -> list[Any]:
        import psycopg

        statement = self._statement if kind == PROFILES else self._tokens
        try:
            return await statement(asks)
        except (psycopg.OperationalError, psycopg.InterfaceError):
            await self._drop()
            return await statement(asks)  # on a new connection, once

    async def _statement(self, asks: list[Ask]) -> list[Any]:
        connection = await self._connected()
        names = [name for name, _ in asks]
        sessions = [session_id for _, session_id in asks]
        found: list[Any] = [None] * len(asks)
        cursor = await connection.execute(PROFILE_READS, (names, sessions))
        for i, profile_id, revision, day, slot in await cursor.fetchall():
            found[int(i) - 1] = profile_read(profile_id, revision, day, slot)
        return found

    async def _tokens(self, digests: list[str]) -> list[Any]:
        connection = await self._connected()
        found: list[Any] = [None] * len(digests)
        cursor = await connection.execute(TOKEN_USERS, (digests,))
        for row in await cursor.fetchall():
            found[int(row[0]) - 1] = tuple(row[1:])
        return found

    async def _connected(self) -> Any:
        connection = self._connection
        if connection is None or connection.closed:
            import psycopg

            connection = await psycopg.AsyncConnection.connect(
                **self._connect_kwargs, autocommit=True
            )
            self._connection = connection
        return connection

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # it is being thrown away
                await connection.close()

    async def aclose(self) -> None:
        await self._drop()
