"""The composition root: builds services from settings, wiring adapters into ports.

Every adapter is imported where it is first needed, so a command pays only for what it uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from footcoach.config import Settings

if TYPE_CHECKING:
    from footcoach.adapters.db.unit_of_work import Database
    from footcoach.domain.library import Library
    from footcoach.domain.protocol import Protocols
    from footcoach.services.accounts import AccountService
    from footcoach.services.calendar import CalendarService
    from footcoach.services.catalog import CatalogService
    from footcoach.services.clinic_summary import ClinicService
    from footcoach.services.planning import PlanningService
    from footcoach.services.ports import Clock, LibrarySource, ProtocolSource, UnitOfWork
    from footcoach.services.prescriptions import PrescriptionService
    from footcoach.services.tracking import TrackingService


@dataclass
class Services:
    settings: Settings
    library_source: LibrarySource
    protocol_source: ProtocolSource
    clock: Clock
    unit_of_work: Callable[[], UnitOfWork] | None = None
    _database: Database | None = field(default=None, repr=False)

    @cached_property
    def library(self) -> Library:
        return self.library_source.load()

    @cached_property
    def protocols(self) -> Protocols:
        return self.protocol_source.load(self.library)

    @cached_property
    def catalog(self) -> CatalogService:
        from footcoach.services.catalog import CatalogService

        return CatalogService(self.library)

    @cached_property
    def planning(self) -> PlanningService:
        from footcoach.services.planning import PlanningService

        return PlanningService(self.library, self.protocols)

    @property
    def database(self) -> Database:
        if self._database is None:
            from footcoach.adapters.db.unit_of_work import Database

            self._database = Database(self.settings.resolved_database_url())
        return self._database

    @cached_property
    def tracking(self) -> TrackingService:
        from footcoach.services.tracking import TrackingService

        if self.unit_of_work is not None:
            return TrackingService(self.planning, self.unit_of_work, self.clock)
        database = self.database
        return TrackingService(self.planning, database.unit_of_work, self.clock, hot=database)

    @cached_property
    def accounts(self) -> AccountService:
        """Accounts live in the database itself (never an injected unit of work)."""
        from footcoach.adapters.passwords import Argon2Hasher
        from footcoach.services.accounts import AccountService

        database = self.database
        return AccountService(database.unit_of_work, Argon2Hasher(), self.clock, database)

    @cached_property
    def prescriptions(self) -> PrescriptionService:
        """Program changes live in the database itself (never an injected unit of work)."""
        from footcoach.services.prescriptions import PrescriptionService

        return PrescriptionService(self.planning, self.database.unit_of_work, self.clock)

    @cached_property
    def calendar(self) -> CalendarService:
        """Calendar links live in the database itself (never an injected unit of work)."""
        from footcoach.adapters.db.calendar_links import SqlCalendarLinks
        from footcoach.services.calendar import CalendarService

        links = SqlCalendarLinks(lambda: self.database.engine)
        return CalendarService(self.tracking, self.library.catalog, links, self.clock)

    @cached_property
    def clinic(self) -> ClinicService:
        """The clinic dashboard's summaries live in the database itself (never an injected unit
        of work)."""
        from footcoach.adapters.catalog_files import package_data
        from footcoach.adapters.db.clinic_summaries import SqlClinicSummaries, data_digest
        from footcoach.services.clinic_summary import ClinicService

        root = self.settings.data_dir or package_data()
        summaries = SqlClinicSummaries(lambda: self.database.engine)
        digest = (lambda: data_digest(root)) if isinstance(root, Path) else (lambda: "")
        return ClinicService(self.planning, summaries, self.clock, digest)

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()

    async def aclose(self) -> None:
        """Close what the running event loop holds (a web server's shutdown)."""
        if self._database is not None:
            await self._database.aclose()


def build_services(
    settings: Settings,
    library_source: LibrarySource | None = None,
    protocol_source: ProtocolSource | None = None,
    clock: Clock | None = None,
    unit_of_work: Callable[[], UnitOfWork] | None = None,
) -> Services:
    cache_dir = settings.resolved_cache_dir()
    if library_source is None and protocol_source is None and cache_dir is not None:
        from footcoach.adapters.catalog_files import package_data
        from footcoach.adapters.data_cache import CachedData

        root = settings.data_dir or package_data()
        if isinstance(root, Path):
            cached = CachedData(root, cache_dir)
            library_source, protocol_source = cached, cached.protocols
    if library_source is None:
        from footcoach.adapters.catalog_files import FileCatalogSource

        library_source = FileCatalogSource(settings.data_dir)
    if protocol_source is None:
        from footcoach.adapters.protocol_files import FileProtocolSource

        protocol_source = FileProtocolSource(settings.data_dir)
    if clock is None:
        from footcoach.adapters.clock import SystemClock

        clock = SystemClock()
    return Services(settings, library_source, protocol_source, clock, unit_of_work)
