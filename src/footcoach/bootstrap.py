"""The composition root: builds services from settings, wiring adapters into ports."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from footcoach.adapters.catalog_files import FileCatalogSource
from footcoach.adapters.protocol_files import FileProtocolSource
from footcoach.config import Settings
from footcoach.domain.library import Library
from footcoach.domain.protocol import Protocols
from footcoach.services.catalog import CatalogService
from footcoach.services.planning import PlanningService
from footcoach.services.ports import LibrarySource, ProtocolSource


@dataclass
class Services:
    """Services built lazily, so a command pays only for what it uses."""

    settings: Settings
    library_source: LibrarySource
    protocol_source: ProtocolSource

    @cached_property
    def library(self) -> Library:
        return self.library_source.load()

    @cached_property
    def protocols(self) -> Protocols:
        return self.protocol_source.load(self.library)

    @cached_property
    def catalog(self) -> CatalogService:
        return CatalogService(self.library)

    @cached_property
    def planning(self) -> PlanningService:
        return PlanningService(self.library, self.protocols)


def build_services(
    settings: Settings,
    library_source: LibrarySource | None = None,
    protocol_source: ProtocolSource | None = None,
) -> Services:
    return Services(
        settings=settings,
        library_source=library_source or FileCatalogSource(settings.data_dir),
        protocol_source=protocol_source or FileProtocolSource(settings.data_dir),
    )
