"""The JSON API against its own OpenAPI description, by schemathesis (all its checks).

Two real servers on 127.0.0.1, started as `footcoach serve` starts them: local mode with a
profile (SQLite), and multi-user mode (on PostgreSQL when FOOTCOACH_TEST_POSTGRES_URL names a
server, as a clinic runs it; SQLite otherwise), where a person and the clinician they are linked
to each send a personal API token.
Every operation gets valid and invalid inputs (schemathesis's examples, coverage and fuzzing
phases, a bounded number of examples each), and every answer must be what the description
says: no 5xx, a declared status, content type, headers and body, valid input accepted,
invalid input refused, Allow on every 405.
"""

from __future__ import annotations

import json
import os
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.domain.accounts import Role
from footcoach.web.app import create_app
from tests.support.databases import POSTGRES_ENV
from tests.support.servers import footcoach_server

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
SECRET = "schemathesis-secret-key-for-multi-user-mode-0123456789"
PASSWORD = "a long enough passphrase for tests"
EXAMPLES_PER_OPERATION = 6
"""For the generated phases; the coverage phase adds its boundary and wrong-type cases and
unexpected methods to each operation (but those of LEFT_TO_THEIR_OWN_TESTS)."""

RULES_BEYOND_THE_SCHEMA = {
    ("POST", "/api/v1/screen"): "main_pain_site is one of pain_site, bed_time is not "
    "wake_time: JSON Schema cannot compare two fields (the descriptions say so)",
    ("POST", "/api/v1/plan"): "the intake's rules as for /screen; protocol is a known id",
    ("PUT", "/api/v1/profile"): "the intake's rules as for /screen; protocol is a known id",
    ("POST", "/api/v1/import"): "the intake's rules, and program changes that follow "
    "each other by version",
    ("PUT", "/api/v1/checkins/{date}"): "a date in the body must be the path's (JSON "
    "Schema cannot compare the body with the path), and that day must have a check-in",
    ("POST", "/api/v1/sessions"): "the slot must be one of that day's sessions, and a "
    "person whose answers need a clinician has none (400)",
    ("POST", "/api/v1/sessions/{session_id}/items"): "the exercise and the counts must be "
    "those planned at that position of the stored session",
    ("POST", "/api/v1/program/changes"): "based_on_version is the program's current "
    "version; the exercise must be in the program",
    ("POST", "/api/v1/clinic/people/{user_id}/program/changes"): "as POST "
    "/api/v1/program/changes, on the person's program",
}
"""Operations whose valid-looking bodies can still be refused for what is stored, or for a
rule that JSON Schema cannot state: schema-valid input may get 400 or 422 there (and only
there); everywhere else it must be accepted."""

LEFT_TO_THEIR_OWN_TESTS = {
    ("POST", "/api/v1/import"): "the coverage phase makes hundreds of variants of a whole "
    "backup, some 60% of this file's run time; the generated phases still send it valid and "
    "invalid backups, and tests/web/test_api_diary.py and test_limits.py take it apart",
}
"""Operations the coverage phase leaves out, and why."""


def _operation(method: str, path: str) -> dict[str, Any]:
    # by name, "METHOD /path": an include-method and an include-path would each match alone
    found: dict[str, Any] = {"include-name": f"{method} {path}"}
    if (method, path) in RULES_BEYOND_THE_SCHEMA:
        accepted = ["2XX", 400, 401, 403, 404, 409, 422, 429]
        found["checks"] = {"positive_data_acceptance": {"expected-statuses": accepted}}
    if (method, path) in LEFT_TO_THEIR_OWN_TESTS:
        found["phases"] = {"coverage": {"enabled": False}}
    return found


CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 16,  # the same cases on every run: a failure can be replayed
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES_PER_OPERATION,
            "database": "none",
        },
        "phases": {"stateful": {"enabled": False}},
        "checks": {"enabled": True},  # all of them; no response-time limit (none is set)
        "request-timeout": 20,
        "operations": [
            _operation(method, path)
            for method, path in {**RULES_BEYOND_THE_SCHEMA, **LEFT_TO_THEIR_OWN_TESTS}
        ],
    }
)


@dataclass(frozen=True)
class Server:
    base: str
    headers: dict[str, str]


def _environment(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTCOACH_")}
    env.update(FOOTCOACH_DATABASE_URL=database_url, FOOTCOACH_CACHE_DIR="off", **extra)
    return env


@contextmanager
def _multi_user_database(folder: Path) -> Iterator[str]:
    """A throwaway PostgreSQL database when the tests have a server, else a SQLite file."""
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        yield f"sqlite:///{folder / 'multi.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"footcoach_schemathesis_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _intake() -> Any:
    from footcoach.schemas.intake import parse_intake

    return parse_intake(json.loads((EXAMPLES / "intake.json").read_text()))


@pytest.fixture(scope="module")
def local_server(tmp_path_factory) -> Iterator[Server]:
    url = f"sqlite:///{tmp_path_factory.mktemp('schemathesis-local') / 'local.db'}"
    services = build_services(Settings(database_url=url))
    services.tracking.init("default", _intake(), start=services.clock.today())
    services.close()
    with footcoach_server([], _environment(url)) as base:
        yield Server(base, {})


@pytest.fixture(scope="module")
def multi_users(tmp_path_factory) -> Iterator[dict[str, Server]]:
    """One multi-user server; a person's and their clinician's token, each a Server to call."""
    with _multi_user_database(tmp_path_factory.mktemp("schemathesis-multi")) as url:
        settings = Settings(database_url=url, multi_user=True, secret_key=SECRET)
        services = build_services(settings)
        accounts = services.accounts
        person = accounts.register("person@example.org", PASSWORD)
        assert person.profile is not None
        services.tracking.init(person.profile, _intake(), start=services.clock.today())
        clinician = accounts.register("clinician@example.org", PASSWORD, Role.CLINICIAN)
        accounts.redeem_invite(person.id, accounts.create_invite(clinician.id).code)
        tokens = {
            "person": accounts.create_api_token(person.id, "schemathesis").secret,
            "clinician": accounts.create_api_token(clinician.id, "schemathesis").secret,
        }
        services.close()
        env = _environment(url, FOOTCOACH_MULTI_USER="1", FOOTCOACH_SECRET_KEY=SECRET)
        with footcoach_server(["--multi-user"], env) as base:
            yield {
                who: Server(base, {"Authorization": f"Bearer {token}"})
                for who, token in tokens.items()
            }


def _description(multi_user: bool) -> dict[str, Any]:
    """The OpenAPI description an app of that mode serves at /openapi.json, built in-process
    (schemathesis's lazy fixture loader does not work with this pytest); the servers are
    checked to serve the same."""
    settings = Settings(database_url="sqlite://", multi_user=multi_user, secret_key=SECRET)
    services = build_services(settings)
    try:
        return create_app(settings, services).openapi()
    finally:
        services.close()


LOCAL = _description(multi_user=False)
MULTI = _description(multi_user=True)
local = schemathesis.openapi.from_dict(LOCAL, config=CONFIG)
multi = schemathesis.openapi.from_dict(MULTI, config=CONFIG)


def test_the_servers_serve_the_description_under_test(local_server, multi_users):
    for base, described in ((local_server.base, LOCAL), (multi_users["person"].base, MULTI)):
        with urllib.request.urlopen(f"{base}/openapi.json", timeout=10) as answer:
            assert json.load(answer) == described


@local.parametrize()
def test_local_mode_answers_as_described(case, local_server):
    case.call_and_validate(base_url=local_server.base, headers=local_server.headers)


@multi.parametrize()
def test_multi_user_mode_answers_a_person_as_described(case, multi_users):
    person = multi_users["person"]
    case.call_and_validate(base_url=person.base, headers=person.headers)


@multi.parametrize()
def test_multi_user_mode_answers_a_clinician_as_described(case, multi_users):
    clinician = multi_users["clinician"]
    case.call_and_validate(base_url=clinician.base, headers=clinician.headers)


def test_only_the_listed_operations_are_let_off_anything():
    """Schemathesis ORs an include-method with an include-path: each must name one operation."""
    for schema in (local, multi):
        for result in schema.get_all_operations():
            operation = result.ok()
            key = (operation.method.upper(), operation.path)
            config = schema.config.operations.get_for_operation(operation)
            acceptance = config.checks.positive_data_acceptance.expected_statuses
            assert ("422" in acceptance) is (key in RULES_BEYOND_THE_SCHEMA), key
            assert config.phases.coverage.enabled is (key not in LEFT_TO_THEIR_OWN_TESTS), key
