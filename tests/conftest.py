"""Shared fixtures: the shipped library, loaded once per session (it is read-only)."""

from __future__ import annotations

import pytest

from footcoach.adapters.catalog_files import FileCatalogSource
from footcoach.domain.library import Library

pytest_plugins = ["tests.support.databases"]


@pytest.fixture(scope="session")
def library() -> Library:
    return FileCatalogSource().load()
