"""The installable, offline web app: the service worker at /sw.js, the web app manifest, the
icons, and the links every page carries to them."""

from __future__ import annotations

import json
import re

from footcoach import __version__
from footcoach.web.routes import pwa

REQUIRED = ("name", "short_name", "start_url", "display", "theme_color", "background_color")


def _config(text: str) -> dict:
    first, _, _ = text.partition("\n")
    match = re.fullmatch(r"self\.FOOTCOACH = (\{.*\});", first)
    assert match, first
    return json.loads(match.group(1))


def test_the_service_worker_is_served_from_the_root_uncached(web):
    response = web.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == "/"
    assert response.headers["cache-control"] == "no-cache"
    text = response.text
    for handler in ("install", "activate", "fetch", "message"):
        assert f'addEventListener("{handler}"' in text
    assert '"clear"' in text and 'method !== "GET"' in text


def test_the_worker_precaches_files_that_exist_under_a_versioned_name(web):
    config = _config(web.get("/sw.js").text)
    assert config["version"].startswith(f"{__version__}-") and len(config["version"]) > 12
    assert config["precache"] == list(pwa.PRECACHE)
    for url in config["precache"]:
        response = web.get(url)
        assert response.status_code == 200, url
        assert response.content == pwa.precached_file(url).read_bytes(), url
    assert {"/static/session.js", "/static/pwa.js", "/static/footcoach.css"} <= set(
        config["precache"]
    )


def test_the_cache_version_follows_the_precached_files(tmp_path, monkeypatch):
    before = _config(pwa.worker_source())["version"]
    css = tmp_path / "footcoach.css"
    css.write_text("body { color: black; }\n")
    real = pwa.precached_file
    monkeypatch.setattr(
        pwa, "precached_file", lambda url: css if url.endswith("footcoach.css") else real(url)
    )
    after = _config(pwa.worker_source())["version"]
    assert after != before and after.startswith(f"{__version__}-")


def test_the_manifest_is_valid_json_with_what_an_install_needs(web):
    response = web.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text)
    for field in REQUIRED:
        assert manifest.get(field), field
    assert manifest["start_url"] == "/today" and manifest["display"] == "standalone"
    css = web.get("/static/footcoach.css").text
    assert f"--accent: {manifest['theme_color']};" in css
    assert f"--paper: {manifest['background_color']};" in css


def test_every_icon_of_the_manifest_exists_and_is_served(web):
    manifest = web.get("/manifest.webmanifest").json()
    icons = manifest["icons"]
    sizes = {icon["sizes"] for icon in icons}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon["type"] == "image/svg+xml" for icon in icons)
    assert any(icon.get("purpose") == "maskable" for icon in icons)
    for icon in icons:
        response = web.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response.headers["content-type"].startswith(icon["type"]), icon["src"]
        if icon["type"] == "image/png":
            body = response.content
            assert body[:8] == b"\x89PNG\r\n\x1a\n"
            width, height = int.from_bytes(body[16:20], "big"), int.from_bytes(body[20:24], "big")
            assert f"{width}x{height}" == icon["sizes"], icon["src"]


def test_every_page_links_the_manifest_and_loads_the_offline_layer(person):
    for path in ("/today", "/session/daytime", "/library", "/settings"):
        html = person.get(path).text
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html, path
        assert '<meta name="theme-color" content="#0b5cad">' in html, path
        assert '<script src="/static/pwa.js" defer></script>' in html, path
    session = person.get("/session/daytime").text
    assert session.index("/static/pwa.js") < session.index("/static/session.js")


def test_the_offline_page_is_a_page_of_its_own(web):
    response = web.get("/static/offline.html")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    assert "You are offline" in response.text and 'href="/today"' in response.text


def test_the_pwa_routes_stay_out_of_the_api_description(web):
    paths = web.get("/openapi.json").json()["paths"]
    assert "/sw.js" not in paths and "/manifest.webmanifest" not in paths
