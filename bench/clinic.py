"""The clinic at a glance: GET /clinic for a clinician with 1,000 linked people, on PostgreSQL.

1. A throwaway database on the server at FOOTCOACH_TEST_POSTGRES_URL (bench.http's
   `_postgresql()`, dropped afterwards). Without that variable, or when the server does not
   answer, the benchmark is skipped with a note saying why.
2. One clinician and PEOPLE people, each registered through services.accounts (argon2's
   cheapest parameters: nobody logs in with the password), linked by redeeming one of the
   clinician's invites, given a profile (docs/examples/intake.json, started DAYS - 1 days ago,
   WEEKS weeks long, so the program is still running) and DAYS days of diary restored in one
   transaction each (services.tracking.restore): a check-in every morning, following one of
   four courses (better, steady, worse for the last fortnight, a flare), the planned sessions
   done on most days or on few, and an FFI and a FAAM every four weeks. Generated from a fixed
   seed, so every run writes the same diaries.
3. A clinician's web session (AccountService.start_session), its cookie signed with the run's
   secret key.
4. `footcoach serve --multi-user --workers 1` is started, and its first GET /clinic timed
   (`first_look_ms`: the first look after the data was written, when no summary exists yet and
   every person's is built). Then the server is started COLD_RUNS more times; each time, once
   GET /login answers, the first GET /clinic is timed (`cold`: a worker that has just started,
   templates compiled by its warm start, nothing of the people read yet by it). After the last
   start, WARM_RUNS more GET /clinic are timed one after the other (`warm`).
5. `after_writes`: WRITERS of the people check in this morning (through services.tracking, in
   this process), then the next GET /clinic and the one after it are timed on the running
   server: what a clinician's first look after a busy morning costs.

Every answer must be 200 and list the people; the load average is recorded before and after.
Targets: cold p50 under 150 ms, warm p50 under 50 ms.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench import http
from bench.cold_start import footcoach_command
from bench.http_server import Server, free_port
from bench.stats import distribution

PEOPLE = int(os.environ.get("FOOTCOACH_BENCH_CLINIC_PEOPLE", "1000"))
"""How many people are linked to the clinician (the environment variable is for quick tries)."""
DAYS = 90
WEEKS = 16
COLD_RUNS = int(os.environ.get("FOOTCOACH_BENCH_CLINIC_COLD", "7"))
WARM_RUNS = int(os.environ.get("FOOTCOACH_BENCH_CLINIC_WARM", "30"))
WRITERS = 100
SEED = 15
PASSWORD = "a long passphrase for the benchmark"
TARGETS_MS = {"cold": 150.0, "warm": 50.0}
COURSES = ("better", "steady", "worse", "flare")


def _pain(course: str, day: int, rng: random.Random) -> int:
    """A morning's first-step pain on day `day` (0 = the first) of a course."""
    if course == "better":
        base = 6 - 4 * day / DAYS
    elif course == "steady":
        base = 4.0
    elif course == "worse":
        base = 3.0 if day < DAYS - 14 else 6.0
    else:
        base = 3.0 if day % 30 < 25 else 7.0
    return max(0, min(10, round(base + rng.uniform(-1, 1))))


def _diary(services: Any, profile: str, start: date, rng: random.Random) -> Any:
    """DAYS days of diary from `start`, following the program planned without a history."""
    from footcoach.domain.diary import Diary, Instrument, QuestionnaireResponse, SessionRecord
    from footcoach.domain.intake import CheckIn

    program = services.tracking.snapshot(profile).program
    planned = {d.day: d.sessions for w in program.weeks for d in w.days}
    course = COURSES[rng.randrange(len(COURSES))]
    keen = rng.random() < 0.7
    checkins, sessions, questionnaires = [], [], []
    for n in range(DAYS):
        day = start + timedelta(days=n)
        if rng.random() < 0.95:
            checkins.append(CheckIn(day, _pain(course, n, rng)))
        for session in planned.get(day, ()):
            if rng.random() < (0.9 if keen else 0.3):
                at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
                sessions.append(
                    SessionRecord(
                        day,
                        session.slot.value,
                        at,
                        completed=True,
                        pain_during=rng.randint(0, 4),
                        effort=rng.randint(2, 6),
                        finished_at=at + timedelta(minutes=session.minutes),
                        planned_items=len(session.items),
                    )
                )
        if n % 28 == 3:
            level = rng.randint(1, 3)
            questionnaires.append(QuestionnaireResponse(Instrument.FFI, day, (level * 2,) * 23))
            questionnaires.append(
                QuestionnaireResponse(Instrument.FAAM, day, (4 - level,) * 21, (4 - level,) * 8)
            )
    return Diary(tuple(checkins), tuple(sessions), tuple(questionnaires))


def _clinic(url: str, key: bytes, people: int) -> tuple[str, dict[str, Any]]:
    """The clinician and `people` linked people with their diaries; the clinician's cookie."""
    from argon2 import profiles

    from footcoach.adapters.passwords import Argon2Hasher
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings
    from footcoach.domain.accounts import Role
    from footcoach.schemas.intake import parse_intake
    from footcoach.services.accounts import AccountService
    from footcoach.web.auth import sign_session

    intake = parse_intake(json.loads(http.EXAMPLE_INTAKE.read_text(encoding="utf-8")))
    services = build_services(Settings(database_url=url))
    rng = random.Random(SEED)
    try:
        accounts = AccountService(
            services.database.unit_of_work, Argon2Hasher(profiles.CHEAPEST), services.clock
        )
        today = services.clock.today()
        start = today - timedelta(days=DAYS - 1)
        clinician = accounts.register("physio@bench.example", PASSWORD, Role.CLINICIAN)
        t0 = time.perf_counter()
        for n in range(people):
            user = accounts.register(f"person{n:04d}@bench.example", PASSWORD, Role.PERSON)
            assert user.profile is not None
            accounts.redeem_invite(user.id, accounts.create_invite(clinician.id).code)
            services.tracking.init(user.profile, intake, start=start, weeks=WEEKS)
            profile = services.tracking.profile(user.profile)
            diary = _diary(services, user.profile, start, rng)
            services.tracking.restore(profile, diary)
        seeded_s = round(time.perf_counter() - t0, 1)
        session = accounts.start_session(clinician.id)
        return sign_session(key, session.token), {
            "people": people,
            "days": DAYS,
            "weeks": WEEKS,
            "start": start.isoformat(),
            "seeded_in_s": seeded_s,
        }
    finally:
        services.close()


def _checkins(url: str, writers: int) -> float:
    """This morning's check-in for the first `writers` people; seconds taken."""
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings

    services = build_services(Settings(database_url=url))
    try:
        t0 = time.perf_counter()
        for user in services.accounts.users()[: writers + 1]:
            if user.profile is None:
                continue
            try:
                services.tracking.correct_checkin(user.profile, 5)
            except Exception:  # no check-in this morning yet: record one
                services.tracking.checkin(user.profile, 5)
        return round(time.perf_counter() - t0, 1)
    finally:
        services.close()


def _get_clinic(server: Server, cookie: str) -> int:
    """One GET /clinic, timed in ns; it must answer 200 and list people."""
    from footcoach.web.auth import SESSION_COOKIE

    request = urllib.request.Request(
        server.base + "/clinic", headers={"Cookie": f"{SESSION_COOKIE}={cookie}"}
    )
    t0 = time.perf_counter_ns()
    with urllib.request.urlopen(request, timeout=300) as answer:
        body = answer.read()
        status = answer.status
    elapsed = time.perf_counter_ns() - t0
    if status != 200 or b"/clinic/people/" not in body:
        raise RuntimeError(f"GET /clinic answered {status} without people")
    return elapsed


def _serve(url: str, secret: str) -> Server:
    env = http._environment()
    env.pop("FOOTCOACH_PROFILE", None)
    env["FOOTCOACH_SECRET_KEY"] = secret
    port = free_port()
    command = [
        *footcoach_command(),
        "serve",
        "--multi-user",
        "--workers",
        "1",
        "--port",
        str(port),
        "--db",
        url,
    ]
    return Server(command, port, "/login", env=env)


def _p50(timings: list[int]) -> dict[str, Any]:
    return distribution(timings)


def run() -> dict[str, Any]:
    if not os.environ.get(http.POSTGRES_ENV):
        return {"skipped": f"no PostgreSQL: set {http.POSTGRES_ENV} to a server's URL"}
    result: dict[str, Any] = {"load_before": os.getloadavg()}
    with http._postgresql() as db:
        if "skipped" in db:
            return {**result, "skipped": db["skipped"]}
        secret = secrets.token_urlsafe(32)
        cookie, seeded = _clinic(db["url"], secret.encode("utf-8"), PEOPLE)
        result["data"] = seeded
        result["database"] = db["shown"]
        cold: list[int] = []
        warm: list[int] = []
        server = _serve(db["url"], secret).start()
        try:  # nothing summarised yet: every person's summary is built by this first look
            result["first_look_ms"] = round(_get_clinic(server, cookie) / 1e6, 1)
        finally:
            server.stop()
        for n in range(COLD_RUNS):
            server = _serve(db["url"], secret).start()
            try:
                cold.append(_get_clinic(server, cookie))
                if n == COLD_RUNS - 1:
                    warm = [_get_clinic(server, cookie) for _ in range(WARM_RUNS)]
                    result["after_writes"] = {
                        "writers": WRITERS,
                        "written_in_s": _checkins(db["url"], WRITERS),
                    }
                    first = _get_clinic(server, cookie)
                    second = _get_clinic(server, cookie)
                    result["after_writes"]["first_ms"] = round(first / 1e6, 1)
                    result["after_writes"]["next_ms"] = round(second / 1e6, 1)
            finally:
                server.stop()
        result["cold"] = _p50(cold)
        result["warm"] = _p50(warm)
    result["load_after"] = os.getloadavg()
    result["targets"] = {
        name: {"p50_under_ms": limit, "met": result[name]["median_ms"] < limit}
        for name, limit in TARGETS_MS.items()
    }
    return result


def summary(result: dict[str, Any]) -> list[str]:
    if "skipped" in result:
        return [f"skipped: {result['skipped']}"]
    lines = [
        f"{result['data']['people']} people x {result['data']['days']} days "
        f"(seeded in {result['data']['seeded_in_s']} s); load "
        f"{' '.join(f'{x:.2f}' for x in result['load_before'])} before, "
        f"{' '.join(f'{x:.2f}' for x in result['load_after'])} after"
    ]
    for name in ("cold", "warm"):
        d = result[name]
        target = result["targets"][name]
        lines.append(
            f"GET /clinic {name}: p50 {d['median_ms']} ms, p90 {d['p90_ms']} ms, "
            f"max {d['max_ms']} ms over {d['count']} (target under {target['p50_under_ms']} ms: "
            f"{'met' if target['met'] else 'not met'})"
        )
    if "first_look_ms" in result:
        lines.append(f"first look after seeding: {result['first_look_ms']} ms")
    after = result.get("after_writes")
    if after:
        lines.append(
            f"after {after['writers']} check-ins: first view {after['first_ms']} ms, "
            f"next {after['next_ms']} ms"
        )
    return lines
