"""The installable, offline web app: the service worker at /sw.js and the web app manifest.

The worker is served from the root, not /static, so that its scope covers every page. Its first
line is written here: the version of its caches (footcoach's version and a hash of every file it
precaches, so any change to one of them installs a new worker whose caches replace the old) and
the list of files to precache. See static/sw.js for what it caches and how.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from footcoach import __version__

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).resolve().parents[1] / "static"
WORKER = STATIC / "sw.js"
MANIFEST = STATIC / "manifest.webmanifest"
MANIFEST_TYPE = "application/manifest+json"
PRECACHE = (
    "/static/footcoach.css",
    "/static/pwa.js",
    "/static/session.js",
    "/static/vendor/htmx.min.js",
    "/static/offline.html",
    "/static/icons/icon.svg",
    "/static/icons/icon-192.png",
    "/static/icons/icon-512.png",
    "/static/icons/icon-maskable-512.png",
    "/manifest.webmanifest",
)
"""Fetched and kept when the worker installs; served from the cache first."""
NO_CACHE = {"Cache-Control": "no-cache"}
"""Revalidated on every load, so a new release reaches the browser at once."""


def precached_file(url: str) -> Path:
    """The file behind one precached URL."""
    return MANIFEST if url == "/manifest.webmanifest" else STATIC / url.removeprefix("/static/")


def _stamp(files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)


@lru_cache(maxsize=4)
def _worker(stamp: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _, _ in stamp:
        digest.update(name.encode())
        digest.update(Path(name).read_bytes())
    config = {"version": f"{__version__}-{digest.hexdigest()[:12]}", "precache": list(PRECACHE)}
    return f"self.FOOTCOACH = {json.dumps(config)};\n" + WORKER.read_text(encoding="utf-8")


def worker_source() -> str:
    """sw.js with its configuration line; recomputed only when one of the files changed."""
    files = [WORKER, *(precached_file(url) for url in PRECACHE)]
    return _worker(_stamp(files))


@router.get("/sw.js")
def service_worker() -> Response:
    return Response(
        worker_source(),
        media_type="text/javascript",
        headers={**NO_CACHE, "Service-Worker-Allowed": "/"},
    )


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    return Response(MANIFEST.read_bytes(), media_type=MANIFEST_TYPE, headers=NO_CACHE)
