"""Two app processes on one database, many people saving session logs at once: every save
acknowledged is stored, exactly once, and nothing is stored that was not acknowledged.

Each of 12 people (an account with an API token and a program starting today) has 8 unfinished
sessions of today's daytime slot; each item of each session is posted to one of the two
servers, and about a third of them again at the same moment to the other one, as a phone
retrying after a dropped connection would. Runs on PostgreSQL (the clinic's set-up) and SQLite.
"""

from __future__ import annotations

import json
import os
import random
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from footcoach.adapters.db.tables import ItemRow
from footcoach.bootstrap import build_services
from footcoach.config import Settings
from footcoach.services import sessions as use
from tests.factories import intake
from tests.support.servers import footcoach_server

SECRET = "two-processes-test-secret-0123456789abcdef"
PEOPLE = 12
SESSIONS_EACH = 8


@pytest.fixture
def servers(database_url) -> Iterator[list[str]]:
    """Two `footcoach serve --multi-user` processes on the database; their base URLs."""
    env = {**os.environ, "FOOTCOACH_SECRET_KEY": SECRET, "FOOTCOACH_DATABASE_URL": database_url}
    env.pop("FOOTCOACH_PROFILE", None)
    with (
        footcoach_server(["--multi-user"], env) as one,
        footcoach_server(["--multi-user"], env) as two,
    ):
        yield [one, two]


def _post(url: str, token: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_concurrent_session_logs_of_many_people_on_two_processes_lose_nothing(
    database_url, servers
):
    services = build_services(Settings(database_url=database_url))
    try:
        posts = []
        for n in range(PEOPLE):
            user = services.accounts.register(f"person{n}@example.org", "a long passphrase here")
            assert user.profile is not None
            services.tracking.init(user.profile, intake())
            token = services.accounts.create_api_token(user.id, "load").secret
            planned = use.start(
                services.tracking, services.library.catalog, user.profile, "daytime"
            ).planned
            with services.database.unit_of_work() as uow:
                profile_id = uow.profiles.id_of(user.profile)
                assert profile_id is not None
                now = services.clock.now()
                ids = [
                    uow.diary.start_session(profile_id, services.clock.today(), "daytime", now)
                    for _ in range(SESSIONS_EACH)
                ]
                uow.commit()
            for session_id in ids:
                for position, item in enumerate(planned.items):
                    posts.append((token, session_id, position, item))
    finally:
        services.close()

    rng = random.Random(7)
    sends = []
    for token, session_id, position, item in posts:
        first = rng.randrange(2)
        body = {
            "position": position,
            "exercise": item.exercise,
            "sets_done": 1,
            "reps_done": 1,
            "seconds_done": 1,
            "skipped": False,
        }
        url = f"/api/v1/sessions/{session_id}/items"
        sends.append((servers[first] + url, token, body, (session_id, position)))
        if rng.random() < 0.35:  # the same save again, at once, through the other process
            sends.append((servers[1 - first] + url, token, body, (session_id, position)))
    rng.shuffle(sends)

    with ThreadPoolExecutor(max_workers=24) as pool:
        answers = list(pool.map(lambda s: (s[3], *_post(s[0], s[1], s[2])), sends))

    statuses = Counter(status for _, status, _ in answers)
    assert set(statuses) <= {200, 201}, statuses
    created = Counter(key for key, status, _ in answers if status == 201)
    assert all(count == 1 for count in created.values())  # never acknowledged as new twice
    assert len(created) == len(posts)  # every save was acknowledged as new exactly once

    check = build_services(Settings(database_url=database_url))
    try:
        with check.database.unit_of_work() as uow:
            stored = uow.session.execute(
                select(ItemRow.session_id, ItemRow.position, func.count()).group_by(
                    ItemRow.session_id, ItemRow.position
                )
            ).all()
    finally:
        check.close()
    assert len(stored) == len(posts)  # count written = count acknowledged
    assert all(count == 1 for _, _, count in stored)
    assert {(s, p) for s, p, _ in stored} == set(created)
