"""In-process HTTP tests: the app built by create_app on a fresh database of each kind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.schemas.intake import parse_intake
from footcoach.web.app import create_app
from tests.support.clock import FixedClock

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TODAY = date(2026, 11, 23)
LOCAL = "http://127.0.0.1"
"""Where local-mode clients send their requests: local mode answers this machine's names only
(web/hosts.py), and the test client's own name, testserver, is not one of them."""


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture
def web(database_url, clock) -> Iterator[TestClient]:
    """A client on an app with no profile yet (the newcomer's view), today = 2026-11-23."""
    settings = Settings(database_url=database_url)
    services = build_services(settings, clock=clock)
    with TestClient(
        create_app(settings, services), base_url=LOCAL, follow_redirects=False
    ) as client:
        client.services = services  # type: ignore[attr-defined]
        yield client
    services.close()


@pytest.fixture
def intake_doc() -> dict:
    return json.loads((EXAMPLES / "intake.json").read_text())


@pytest.fixture
def person(web, intake_doc) -> TestClient:
    """A client whose profile exists: the example intake, starting today."""
    web.services.tracking.init("default", parse_intake(intake_doc), start=TODAY)
    return web


# two apps of one person, one answering before routing (web/quick_saves.py, cached_reads.py)


def twin_client(tmp_path, name: str, intake_doc: dict | None, quick: bool) -> TestClient:
    """An app on a database of its own; with an intake, its person starts today."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / name}")
    services = build_services(settings, clock=FixedClock(TODAY))
    if intake_doc is not None:
        services.tracking.init("default", parse_intake(intake_doc), start=TODAY)
    client = TestClient(
        create_app(settings, services, quick=quick), base_url=LOCAL, follow_redirects=False
    )
    client.services = services  # type: ignore[attr-defined]
    return client


@pytest.fixture
def twins(tmp_path, intake_doc) -> Iterator[tuple[TestClient, TestClient]]:
    """The same person twice: one app answers saves, corrections and its hottest reads before
    routing, the other routes everything."""
    quick = twin_client(tmp_path, "quick.db", intake_doc, quick=True)
    routed = twin_client(tmp_path, "routed.db", intake_doc, quick=False)
    with quick, routed:
        yield quick, routed
    quick.services.close()
    routed.services.close()
