"""Multi-user mode for in-process web tests: an app with accounts, and a client per person.

A test module that imports multi_fixture (with `# noqa: F401`) gets the fixture `multi`;
multi_https_fixture gives `multi_https`.
Passwords are hashed with argon2's cheapest parameters, so logins cost microseconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from argon2 import profiles
from fastapi import FastAPI
from fastapi.testclient import TestClient

from footcoach.adapters.passwords import Argon2Hasher
from footcoach.bootstrap import Services, build_services
from footcoach.config import Settings
from footcoach.domain.accounts import Role, User
from footcoach.services.accounts import AccountService
from footcoach.web.app import create_app
from tests.support.clock import FixedClock

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
SECRET = "test-secret-key-for-multi-user-mode-0123456789"
PASSWORD = "correct horse battery"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass
class Actor:
    """One person (or clinician, or admin) with their own browser: a client and its cookies."""

    client: TestClient
    user: User
    password: str = PASSWORD
    csrf: str = ""

    def post(self, url: str, **kwargs):
        """A form post with this session's CSRF token, as the pages send it."""
        data = {"csrf_token": self.csrf, **kwargs.pop("data", {})}
        return self.client.post(url, data=data, **kwargs)


@dataclass
class MultiUser:
    """An app in multi-user mode, its services, and a way to make logged-in actors."""

    app: FastAPI
    services: Services
    base_url: str = "http://testserver"
    clients: list[TestClient] = field(default_factory=list)

    def client(self, **options) -> TestClient:
        """A new browser; options go to TestClient (e.g. client=(address, port))."""
        client = TestClient(self.app, base_url=self.base_url, follow_redirects=False, **options)
        client.__enter__()
        self.clients.append(client)
        return client

    def user(self, email: str, role: Role = Role.PERSON, profile: bool = True) -> User:
        """A new account; a person's profile starts today from the example intake."""
        user = self.services.accounts.register(email, PASSWORD, role)
        if role is Role.PERSON and profile:
            from footcoach.schemas.intake import parse_intake

            intake = parse_intake(json.loads((EXAMPLES / "intake.json").read_text()))
            assert user.profile is not None
            self.services.tracking.init(user.profile, intake, start=self.services.clock.today())
        return user

    def login(self, user: User, password: str = PASSWORD) -> Actor:
        """A fresh browser logged in as the user through the login form."""
        client = self.client()
        answer = client.post("/login", data={"email": user.email, "password": password})
        assert answer.status_code == 303, answer.text
        return Actor(client, user, password, csrf_of(client))

    def actor(self, email: str, role: Role = Role.PERSON, profile: bool = True) -> Actor:
        return self.login(self.user(email, role, profile))

    def close(self) -> None:
        for client in self.clients:
            client.__exit__(None, None, None)


def csrf_of(client: TestClient) -> str:
    """The CSRF token the pages give this browser (from the account page's <meta>)."""
    page = client.get("/settings/account")
    assert page.status_code == 200, page.text
    found = CSRF_META.search(page.text)
    assert found, "no csrf-token meta on the account page"
    return found.group(1)


def build(database_url: str, clock: FixedClock, base_url: str = "http://testserver") -> MultiUser:
    # the test client's host name, as a clinic lists its own in FOOTCOACH_ALLOWED_HOSTS
    settings = Settings(
        database_url=database_url,
        multi_user=True,
        secret_key=SECRET,
        allowed_hosts=(urlsplit(base_url).hostname or "",),
    )
    services = build_services(settings, clock=clock)
    # cached_property: set the cheap-hashing account service before anything asks for one
    services.__dict__["accounts"] = AccountService(
        services.database.unit_of_work, Argon2Hasher(profiles.CHEAPEST), clock
    )
    return MultiUser(create_app(settings, services), services, base_url)


@pytest.fixture(name="multi")
def multi_fixture(database_url, clock) -> Iterator[MultiUser]:
    """A multi-user footcoach over http, on each kind of database."""
    world = build(database_url, clock)
    yield world
    world.close()
    world.services.close()


@pytest.fixture(name="multi_https")
def multi_https_fixture(database_url, clock) -> Iterator[MultiUser]:
    """The same, reached over https (for the Secure cookie flag)."""
    world = build(database_url, clock, "https://testserver")
    yield world
    world.close()
    world.services.close()
