"""The database behind the services: an engine made on first use, and units of work over it."""

from __future__ import annotations

import threading
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from footcoach.adapters.db.account_repositories import SqlAccounts
from footcoach.adapters.db.change_repositories import SqlProgramChanges
from footcoach.adapters.db.engine import make_engine
from footcoach.adapters.db.migrate import upgrade
from footcoach.adapters.db.repositories import SqlDiary, SqlProfiles
from footcoach.adapters.db.stored import stored_moment
from footcoach.domain.accounts import Role, User
from footcoach.services.account_ports import TokenUse

if TYPE_CHECKING:
    from footcoach.adapters.db.bare_reads import BareReads
    from footcoach.adapters.db.group_commit import GroupCommit
    from footcoach.adapters.db.loop_reads import LoopReads
    from footcoach.adapters.db.state_reads import State, StateReads
    from footcoach.adapters.db.token_uses import TokenUses
    from footcoach.domain.diary import ItemRecord
    from footcoach.services.ports import ProfileRead


class SqlUnitOfWork:
    """One transaction: everything done inside commits together, or not at all."""

    profiles: SqlProfiles
    diary: SqlDiary
    accounts: SqlAccounts
    changes: SqlProgramChanges

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._factory()
        self.profiles = SqlProfiles(self.session)
        self.diary = SqlDiary(self.session)
        self.accounts = SqlAccounts(self.session)
        self.changes = SqlProgramChanges(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


class Database:
    """A database URL made usable: migrated on first use, then handing out units of work."""

    def __init__(self, url: str, migrate: bool = True) -> None:
        self.url = url
        self._migrate = migrate
        self._engine: Engine | None = None
        self._factory: sessionmaker[Session] | None = None
        self._opening = threading.Lock()
        self._reads: BareReads | None = None
        self._state_reads: StateReads | None = None
        self._loop_reads: LoopReads | None = None
        self._group: GroupCommit | None = None
        self._uses: TokenUses | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._open()
        assert self._engine is not None
        return self._engine

    def _open(self) -> None:
        """Make the engine once, even when the first requests of a server arrive together: the
        engine is published only once it is migrated and its session factory exists."""
        with self._opening:
            if self._engine is not None:
                return
            engine = make_engine(self.url)
            if self._migrate:
                upgrade(engine)
            self._factory = sessionmaker(engine, expire_on_commit=False)
            self._engine = engine

    def unit_of_work(self) -> SqlUnitOfWork:
        if self._factory is None:
            self._open()
        assert self._factory is not None
        return SqlUnitOfWork(self._factory)

    def revision(self, name: str) -> tuple[int, int] | None:
        """A profile's (id, revision): the cheap read that cached views are checked on."""
        return self._bare().revision(name)

    def session_slot(self, profile_id: int, session_id: int) -> tuple[date, str] | None:
        """(day, slot) of a session when it is this profile's: what a saved item is checked on."""
        return self._bare().session_slot(profile_id, session_id)

    def profile_state(self, name: str) -> State | None:
        """The profile, its diary without items and its program changes, in one read
        transaction on a bare connection (state_reads.py); None when there is no such profile
        or when this database is left to the units of work."""
        state_reads = self._state_reads
        if state_reads is None:
            from footcoach.adapters.db.state_reads import StateReads

            reads = self._bare()
            with self._opening:
                if self._state_reads is None:
                    self._state_reads = StateReads(reads)
                state_reads = self._state_reads
        return state_reads.read(name)

    def session_user(self, token_digest: str, now: datetime) -> User | None:
        """The user of a live web session, in one bare read (SessionLookup)."""
        row = self._bare().session_user(token_digest)
        if row is None:
            return None
        user_id, email, role, profile, created_at, expires_at, revoked_at = row
        if revoked_at is not None or stored_moment(expires_at) <= now:
            return None
        return User(int(user_id), str(email), Role(role), profile, stored_moment(created_at))

    def token_user(self, token_digest: str) -> TokenUse | None:
        """The user of a live API token, the token's id and its last use, in one bare read
        (SessionLookup)."""
        return _token_use(self._bare().token_user(token_digest))

    async def token_user_async(self, token_digest: str) -> TokenUse | None:
        """token_user for an event loop: SQLite reads at once (the loop thread's own
        connection); PostgreSQL on the loop's connection, one statement for the requests
        waiting together (loop_reads.py)."""
        if self.engine.dialect.name != "postgresql":
            return self.token_user(token_digest)
        return _token_use(await self._loop().token_user(token_digest))

    def record_token_use(self, token_id: int, now: datetime, due: datetime) -> None:
        """Have a token's last use written as `now`, by a thread of its own (token_uses.py),
        unless one after `due` is written or queued already; returns at once."""
        uses = self._uses
        if uses is None:
            from footcoach.adapters.db.token_uses import TokenUses

            engine = self.engine
            with self._opening:
                if self._uses is None:
                    self._uses = TokenUses(engine)
                uses = self._uses
        uses.record(token_id, now, due)

    def token_uses_written(self, timeout: float = 10.0) -> bool:
        """Wait until the token uses recorded so far are written (True when they are)."""
        return True if self._uses is None else self._uses.wait(timeout)

    def save_item(self, session_id: int, item: ItemRecord) -> bool:
        """Insert an item record, committed before this returns (True when new), through one
        writer per process that commits the saves waiting together (group_commit.py)."""
        return self._writer().save(session_id, item)

    def correct_checkin(
        self, profile_id: int, day: date, pain: int, who: str, now: datetime
    ) -> int | None:
        """DiaryStore.correct_checkin, committed before this returns, through the same writer
        as the item saves (group_commit.py)."""
        from footcoach.adapters.db.group_commit import Correction

        return self._writer().correct(Correction(profile_id, day, pain, who, now))

    # the same, for an event loop: nothing here blocks it for longer than a local read ----------

    async def revision_async(self, name: str) -> tuple[int, int] | None:
        found = await self._profile_read(name, None)
        return None if found is None else found[0]

    async def session_slot_async(self, name: str, session_id: int) -> ProfileRead | None:
        return await self._profile_read(name, session_id)

    async def save_item_async(self, session_id: int, item: ItemRecord) -> bool:
        return await self._writer().save_async(session_id, item)

    async def correct_checkin_async(
        self, profile_id: int, day: date, pain: int, who: str, now: datetime
    ) -> int | None:
        from footcoach.adapters.db.group_commit import Correction

        return await self._writer().correct_async(Correction(profile_id, day, pain, who, now))

    async def _profile_read(self, name: str, session_id: int | None) -> ProfileRead | None:
        """SQLite: read at once (a local read of an indexed row, microseconds). PostgreSQL: on
        the event loop's own connection, once for all the requests waiting (loop_reads.py)."""
        if self.engine.dialect.name != "postgresql":
            return self._bare().profile_read(name, session_id)
        return await self._loop().read(name, session_id)

    def _loop(self) -> LoopReads:
        loop_reads = self._loop_reads
        if loop_reads is None:
            from footcoach.adapters.db.loop_reads import LoopReads

            engine = self.engine
            _, connect_kwargs = engine.dialect.create_connect_args(engine.url)
            with self._opening:
                if self._loop_reads is None:
                    self._loop_reads = LoopReads(connect_kwargs)
                loop_reads = self._loop_reads
        return loop_reads

    async def aclose(self) -> None:
        """Close what the running event loop holds (a server's shutdown, on its loop)."""
        if self._loop_reads is not None:
            await self._loop_reads.aclose()

    def _writer(self) -> GroupCommit:
        writer = self._group
        if writer is None:
            from footcoach.adapters.db.group_commit import GroupCommit

            engine = self.engine
            with self._opening:
                if self._group is None:
                    self._group = GroupCommit(self.unit_of_work, _writer_lock(engine))
                writer = self._group
        return writer

    def _bare(self) -> BareReads:
        reads = self._reads
        if reads is None:
            from footcoach.adapters.db.bare_reads import BareReads

            engine = self.engine
            with self._opening:
                if self._reads is None:
                    self._reads = BareReads(engine)
                reads = self._reads
        return reads

    def dispose(self) -> None:
        if self._uses is not None:
            self._uses.close()  # what is queued is written first
            self._uses = None
        if self._group is not None:
            self._group.close()
            self._group = None
        if self._reads is not None:
            self._reads.dispose()
            self._reads = None
        self._state_reads = None
        if self._engine is not None:
            self._engine.dispose()


def _writer_lock(engine: Engine) -> str | None:
    """For a SQLite file: the lock file its item writers in every process take in turn."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return f"{database}.writer-lock"


def _token_use(row: tuple[object, ...] | None) -> TokenUse | None:
    """A row of bare_reads.TOKEN_USER as the port gives it."""
    if row is None:
        return None
    user_id, email, role, profile, created_at, token_id, last_used_at = row
    user = User(
        int(str(user_id)), str(email), Role(role), _text(profile), stored_moment(created_at)
    )
    return user, int(str(token_id)), None if last_used_at is None else stored_moment(last_used_at)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
