"""A server worker's start: load what every request needs, then set the heap aside.

Python's cycle collector now and then walks every object the process holds. A footcoach worker
holds some 120,000 (the catalog, the templates, the routes and their schemas, the database
metadata), and one such walk takes about 70 ms: under load, every request in the worker waits
for it, and 1 % of answers take 70 ms instead of 5. So a served app, once loaded, moves what it
holds into the collector's permanent generation (gc.freeze), where walks no longer visit it.
What requests build later (a person's program and diary, kept answers) stays collectable; so
that it is walked rarely, the collector's thresholds are raised too (COLLECTOR_THRESHOLDS): the
youngest objects are looked at every 20,000 allocations instead of 700, and a walk of
everything is considered after 100 times 50 of those (about once a minute under full load)
instead of 10 times 10. Almost everything footcoach allocates is freed by reference counting
the moment it is done with; what waits for the collector is small.

Loaded first, so that it is frozen too: the catalog and protocols, every template compiled, the
database engine (migrated). Only the `footcoach serve` entry point does this; an app built for
tests is left as it is.

Then what loading freed goes back to the system (give_back_freed_memory): glibc keeps freed
memory in its heap, resident, and loading frees a lot (the modules' import-time scratch, the
schemas pydantic builds and drops): about 4 MB a worker.

The OpenAPI description is not built here: it costs a worker 3-10 MB that only a request for
/openapi.json needs, and that request builds it, once a worker (openapi_document.py).
"""

from __future__ import annotations

import ctypes
import gc

from fastapi import FastAPI

COLLECTOR_THRESHOLDS = (20_000, 50, 100)
"""gc.set_threshold() of a served worker (Python's defaults: 700, 10, 10)."""
PRINTED = "print/"
"""Templates the handout's PDF maker compiles in its own environment, with its own filters
(adapters/handout_pdf.py): the pages' environment cannot compile them."""


def load_unchanging(app: FastAPI) -> None:
    """What every request may read and none changes: the library, the protocols and the planner
    built on them, the catalog, and every page's template compiled."""
    services = app.state.services
    _ = services.planning
    _ = services.catalog
    templates = app.state.templates
    for name in templates.env.list_templates(extensions=["html"]):
        if not name.startswith(PRINTED):
            templates.env.get_template(name)


def set_aside() -> None:
    """What the process holds now moves out of the collector's walks; what loading freed goes
    back to the system."""
    gc.collect()
    gc.freeze()
    give_back_freed_memory()


def give_back_freed_memory() -> None:
    """glibc's malloc_trim(0): the free pages of its heap are returned to the system. Where the
    C library has no such function (not glibc), nothing happens."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return
    trim(0)


def warm_start(app: FastAPI) -> None:
    load_unchanging(app)
    services = app.state.services
    if services.unit_of_work is None:
        _ = services.database.engine
    set_aside()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
