"""A cache of the parsed catalog and protocols, so a command starts in milliseconds.

Parsing some fifty TOML files and checking them costs about 45 ms; unpickling the result about
2 ms. The cache key covers footcoach's version and every data file's path, size and change time,
so an edited file is always read afresh. A missing, stale or unreadable cache is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from footcoach import __version__
from footcoach.adapters.catalog_files import FileCatalogSource
from footcoach.adapters.protocol_files import FileProtocolSource
from footcoach.domain.library import Library
from footcoach.domain.protocol import Protocols


def _fingerprint(root: Path) -> str:
    digest = hashlib.sha256(__version__.encode())
    for folder, _dirs, files in sorted(os.walk(root)):
        for name in sorted(files):
            if name.endswith(".toml"):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:24]


class CachedData:
    """Both ports (LibrarySource and ProtocolSource) over one cached parse of the data folder."""

    def __init__(self, root: Path, cache_dir: Path) -> None:
        self.root = root
        self.cache_dir = cache_dir
        self._loaded: tuple[Library, Protocols] | None = None

    def _load(self) -> tuple[Library, Protocols]:
        if self._loaded is not None:
            return self._loaded
        path = self.cache_dir / f"data-{_fingerprint(self.root)}.pickle"
        try:
            with path.open("rb") as fh:
                loaded = pickle.load(fh)
            if isinstance(loaded, tuple) and isinstance(loaded[0], Library):
                self._loaded = loaded
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError):
            pass
        library = FileCatalogSource(self.root).load()
        protocols = FileProtocolSource(self.root).load(library)
        self._loaded = (library, protocols)
        self._store(path)
        return self._loaded

    def _store(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob("data-*.pickle"):
                old.unlink(missing_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(pickle.dumps(self._loaded, protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(path)
        except OSError:
            pass  # a read-only cache folder only costs speed

    def load(self) -> Library:
        return self._load()[0]

    @property
    def protocols(self) -> ProtocolsPort:
        return ProtocolsPort(self)


class ProtocolsPort:
    def __init__(self, cache: CachedData) -> None:
        self.cache = cache

    def load(self, library: Library) -> Protocols:
        return self.cache._load()[1]
