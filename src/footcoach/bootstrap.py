"""The composition root: builds services from settings, wiring adapters into ports."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from footcoach.adapters.catalog_files import FileCatalogSource
from footcoach.config import Settings
from footcoach.domain.library import Library
from footcoach.services.catalog import CatalogService
from footcoach.services.ports import LibrarySource


@dataclass
class Services:
    """Services built lazily, so a command pays only for what it uses."""

    settings: Settings
    library_source: LibrarySource

    @cached_property
    def library(self) -> Library:
        return self.library_source.load()

    @cached_property
    def catalog(self) -> CatalogService:
        return CatalogService(self.library)


def build_services(settings: Settings, library_source: LibrarySource | None = None) -> Services:
    return Services(
        settings=settings,
        library_source=library_source or FileCatalogSource(settings.data_dir),
    )
