"""Security headers (web/headers.py) on every kind of answer, HSTS only over HTTPS, and the
pages free of what the Content-Security-Policy would block."""

from __future__ import annotations

import os
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.schemas.intake import parse_intake
from footcoach.web.app import create_app
from tests.support.clock import FixedClock
from tests.support.servers import footcoach_server
from tests.web.conftest import LOCAL, TODAY
from tests.web.test_api_sessions import full_item, start

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "footcoach" / "web" / "templates"
STATIC = TEMPLATES.parent / "static"


@pytest.fixture
def local(tmp_path, intake_doc) -> Iterator[TestClient]:
    """Local mode with a profile, answering its hottest requests before routing."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'headers.db'}")
    services = build_services(settings, clock=FixedClock(TODAY))
    services.tracking.init("default", parse_intake(intake_doc), start=TODAY)
    app = create_app(settings, services)

    @app.get("/boom-for-the-test")
    def boom() -> None:
        raise RuntimeError("a bug, on purpose")

    with TestClient(
        app, base_url=LOCAL, follow_redirects=False, raise_server_exceptions=False
    ) as client:
        client.services = services  # type: ignore[attr-defined]
        yield client
    services.close()


def assert_secured(response) -> None:
    policy = response.headers.get("content-security-policy", "")
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'", policy
    assert directives["style-src"] == "'self'", policy
    assert directives["frame-ancestors"] == "'none'", policy
    assert directives["object-src"] == "'none'", policy
    assert "unsafe" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers  # plain HTTP


def test_pages_api_static_and_errors_all_carry_the_headers(local):
    answers = {
        "page": local.get("/today"),
        "api": local.get("/api/v1/exercises"),
        "static": local.get("/static/pwa.js"),
        "service worker": local.get("/sw.js"),
        "openapi": local.get("/openapi.json"),
        "404 page": local.get("/no-such-page"),
        "404 static": local.get("/static/no-such-file.js"),
        "422": local.post("/api/v1/checkins", json={"first_step_pain": 99}),
        "405": local.delete("/today"),
        "500": local.get("/boom-for-the-test"),
    }
    assert answers["500"].status_code == 500
    for name, response in answers.items():
        try:
            assert_secured(response)
        except (AssertionError, KeyError, ValueError) as exc:
            raise AssertionError(f"{name} ({response.status_code}): {exc!r}") from None


def test_the_answers_local_mode_gives_before_routing_carry_them_too(local):
    first = local.get("/api/v1/today")  # routed, and kept
    again = local.get("/api/v1/today")  # the kept answer, sent before routing
    assert again.content == first.content
    assert_secured(again)
    session = start(local)
    saved = local.post(f"/api/v1/sessions/{session['id']}/items", json=full_item(session, 0))
    assert saved.status_code == 201
    assert_secured(saved)


def test_hsts_only_when_the_request_came_over_https(local):
    assert "strict-transport-security" not in local.get("/today").headers
    # a header anyone can send is not HTTPS: only uvicorn, trusting the proxy, changes the scheme
    forged = local.get("/today", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in forged.headers
    over_tls = TestClient(local.app, base_url="https://127.0.0.1", follow_redirects=False)
    with over_tls:
        answer = over_tls.get("/today")
    assert answer.status_code == 200
    assert answer.headers["strict-transport-security"] == "max-age=31536000"
    assert answer.headers["x-frame-options"] == "DENY"


def _hsts_from(base: str) -> str | None:
    request = urllib.request.Request(base + "/openapi.json", headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.headers.get("strict-transport-security")


@pytest.mark.parametrize(("trusted", "hsts"), [("127.0.0.1", True), ("192.0.2.7", False)])
def test_a_served_app_believes_x_forwarded_proto_only_from_a_trusted_proxy(tmp_path, trusted, hsts):
    env = {k: v for k, v in os.environ.items() if k != "FORWARDED_ALLOW_IPS"}
    env["FOOTCOACH_DATABASE_URL"] = f"sqlite:///{tmp_path / 'served.db'}"
    with footcoach_server(["--forwarded-allow-ips", trusted], env) as base:
        assert (_hsts_from(base) is not None) is hsts


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=|<style\b", re.IGNORECASE)


PRINTED = TEMPLATES / "print"
"""Templates WeasyPrint lays out into a PDF (adapters/handout_pdf.py): never served to a
browser, so no Content-Security-Policy applies to them, and their styles are inline."""


@pytest.mark.parametrize(
    "path",
    [
        *sorted(p for p in TEMPLATES.rglob("*.html") if PRINTED not in p.parents),
        *sorted(STATIC.glob("*.html")),
    ],
    ids=lambda p: str(p.relative_to(TEMPLATES.parent)),
)
def test_no_page_has_inline_script_handlers_or_styles(path):
    text = path.read_text()
    for attributes in SCRIPT_TAG.findall(text):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    assert not HANDLER.search(text)
    assert not STYLE_ATTRIBUTE.search(text)


def test_htmx_is_told_not_to_inject_its_style_nor_to_evaluate_code(local):
    page = local.get("/today").text
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page)
    assert config is not None
    assert '"includeIndicatorStyles":false' in config.group(1)
    assert '"allowEval":false' in config.group(1)
