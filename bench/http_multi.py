"""footcoach in multi-user mode on PostgreSQL under load, logged-in requests, 2 and 4 workers.

What a clinic runs (`footcoach serve --multi-user --workers N` on PostgreSQL), measured as
bench/http.py measures the local mode, with its wrk settings, its Watch of the server and its
ceiling. For each worker count in turn (WORKER_COUNTS: 2, then 4), on a throwaway database of
its own (bench.http's `_postgresql()`: the server at FOOTCOACH_TEST_POSTGRES_URL, or
postgresql+psycopg://postgres@127.0.0.1:5432/test, dropped afterwards), so both counts see the
same data:

1. 100 people (PEOPLE) are registered through services.accounts (role person; their password
   hashed with argon2's cheapest parameters, since nobody logs in with it during the run and
   the default ones cost 0.5 s a person here), each gets a profile (the intake of
   docs/examples/intake.json, starting today, through services.tracking.init) and a web session
   (AccountService.start_session). Their cookie (`sign_session`) and CSRF token (`csrf_for`) are
   computed with the run's secret key, a new one each run;
2. `footcoach serve --multi-user --workers N --port FREE --db URL` starts with that key in
   FOOTCOACH_SECRET_KEY, and the benchmark waits until GET /login answers 200;
3. probes, before any load: each GET endpoint once as the first person (it must answer 200) and
   once with no cookie (it must not: 401 for the API, 303 to the login page for /today), and
   one item saved as that person (201), after one refused without its CSRF token (403);
4. each endpoint in turn: 1 s of untimed wrk warm-up, then `wrk -t2 -c64 -d20s --latency
   --timeout 10s` against 127.0.0.1, then a wait until the server is idle (bench.http's `_load`).
   Every request is made as one of the 100 people in turn: a Lua script (SCRIPT) reads a file
   with one line a person and sends their session cookie (and on the POST their X-CSRF-Token);
   wrk's thread k takes lines k, k + 2, ... It counts the answers by status: for the GETs `ok`
   (2xx) and `other`, for the session log `created` (201), `replayed` (200: a position saved
   before) and `other`; any `other` (a 401, 403 or a 303 to /login: the cookie was not taken) is
   an error, as are wrk's socket errors. The endpoints: GET /today (HTML), GET /api/v1/today,
   GET /api/v1/program, then the session log, POST /api/v1/sessions/{id}/items. With token
   clients (the default), each API GET is run again right after its cookie run with each
   person's personal API token (`Authorization: Bearer fct_...`, made for them in step 1;
   probed first: 200 with it, 401 with a made-up one), and `token_vs_cookie` gives the token
   run's requests/s as a share of the cookie run's (target: at least TOKEN_TARGET, 80%) and
   both p99s;
5. the session log saves a new item with every request, as in bench/http.py: unfinished
   sessions of today's slots are written straight into the database beforehand (one
   transaction, the profiles' revisions raised), for all the people alike, with room for
   POOL_RATE (400) saves a second over the warm-up and the run; the entries are interleaved
   over the people (entry i is person i mod 100's), so the requests in flight are different
   people's. That is about 52 sessions of today a person, each request reading its person's
   diary: a small diary each, unlike bench/http.py's one big one. The warm-up walks the first
   entries, its share of the time's (over again once they are saved), the run the ones not
   saved by then; should the pool run out, the requests become retries (200, no write),
   counted apart (`statuses.replayed`).

Each worker process keeps each person's day and program once computed (until their revision
changes), so the first request for a person in a process costs more (about 12 ms more, sent
alone, in one try here);
the 1 s warm-up reaches only part of the 100 people x N processes, so the runs include some of
those first requests, more of them with 4 workers than with 2.

The ceiling is bench.http.ceiling(), measured once before the worker counts (a bare ASGI app
under uvicorn with 2 workers and the same wrk settings); each endpoint's requests/s is given as a
share of it. The machine's load average is recorded before and after. No targets: the figures
are reported, with each endpoint's requests/s and p99 at 4 workers against 2 (`scaling`), and
beside them the server's CPU per request and the CPUs it kept busy (`server_cpu_share`): on a
machine where other work competes for the CPUs, 4 processes get a larger share of them than 2,
which raises their requests/s without any change in the cost of a request.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import http, http_wrk
from bench.cold_start import footcoach_command
from bench.http_server import Server, free_port, wait_idle

PEOPLE = 100
WORKER_COUNTS = (2, 4)
DURATION_S = http.DURATION_S
CONNECTIONS = http.CONNECTIONS
THREADS = http.THREADS
WARMUP_S = http.WARMUP_S
POOL_RATE = 400
"""Saves a second the session log's pool has room for over the warm-up and the run: with small
diaries the saves go faster than in bench/http.py (whose 100 a second ran out there already),
so four times as many; about 52 sessions of today a person for a 20 s run."""
PASSWORD = "a long passphrase for the benchmark"
READY_PATH = "/login"

GET_ENDPOINTS = http.GET_ENDPOINTS
SESSION_LOG = http.SESSION_LOG
TOKEN_ENDPOINTS = (
    ("api_today_token", "/api/v1/today", "GET /api/v1/today (API token)"),
    ("api_program_token", "/api/v1/program", "GET /api/v1/program (API token)"),
)
"""The API's GETs again, each request with its person's API token (`Authorization: Bearer
fct_...`) instead of the session cookie; each is compared with its cookie twin."""
TOKEN_TWINS = {"api_today_token": "api_today", "api_program_token": "api_program"}
TOKEN_TARGET = 0.8
"""Token requests should reach at least this share of their cookie twin's requests/s."""
LABELS = {**http.LABELS, **{key: label for key, _, label in TOKEN_ENDPOINTS}}

SCRIPT = r"""
-- Each request is made as one of the people in turn. args: [1] a file of lines, one a
-- request: "cookie" for the GETs, "session position exercise sets reps seconds cookie csrf"
-- for the session log; [2] wrk's thread count (thread k takes lines k, k + threads, ...);
-- [3] the path to GET, or "items" to post the session log's items; [4] "token" to send each
-- line's first field as an API token (Authorization: Bearer) instead of a session cookie.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_no", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  for line in io.lines(args[1]) do
    local fields = {}
    for word in line:gmatch("%S+") do table.insert(fields, word) end
    if #fields > 0 then table.insert(lines, fields) end
  end
  if #lines == 0 then error("the pool " .. args[1] .. " is empty: nothing to request") end
  step = tonumber(args[2])
  target = args[3]
  mode = args[4] or "cookie"
  index = thread_no
  ok, created, replayed, other, wrapped, other_status = 0, 0, 0, 0, 0, 0
end

function request()
  if index >= #lines then
    index = index % #lines
    wrapped = 1
  end
  local e = lines[index + 1]
  index = index + step
  if target ~= "items" and mode == "token" then
    return wrk.format("GET", target, {["Authorization"] = "Bearer " .. e[1]})
  elseif target ~= "items" then
    return wrk.format("GET", target, {["Cookie"] = "@COOKIE@=" .. e[1]})
  end
  local body = string.format(
    '{"position":%s,"exercise":"%s","sets_done":%s,"reps_done":%s,"seconds_done":%s,'
      .. '"skipped":false,"key":"%s:%s"}',
    e[2], e[3], e[4], e[5], e[6], e[1], e[2])
  return wrk.format("POST", "/api/v1/sessions/" .. e[1] .. "/items", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "@COOKIE@=" .. e[7],
    ["@CSRF@"] = e[8],
  }, body)
end

function response(status, headers, body)
  if target == "items" and status == 201 then
    created = created + 1
  elseif target == "items" and status == 200 then
    replayed = replayed + 1
  elseif target ~= "items" and status >= 200 and status < 300 then
    ok = ok + 1
  else
    other = other + 1
    other_status = status
  end
end

function done(summary, latency, requests)
  -- done() runs in the main Lua state: what init() set is read from the threads
  local k, c, r, o, w, s, items = 0, 0, 0, 0, 0, 0, false
  for _, t in ipairs(threads) do
    items = t:get("target") == "items"
    k = k + t:get("ok")
    c = c + t:get("created")
    r = r + t:get("replayed")
    o = o + t:get("other")
    w = w + t:get("wrapped")
    if t:get("other_status") ~= 0 then s = t:get("other_status") end
  end
  if items then
    io.write(string.format(
      "FOOTCOACH_STATUS created=%d replayed=%d other=%d wrapped=%d other_status=%d\n",
      c, r, o, w, s))
  else
    io.write(string.format("FOOTCOACH_STATUS ok=%d other=%d other_status=%d\n", k, o, s))
  end
end
"""


@dataclass(frozen=True, slots=True)
class Person:
    user_id: int
    profile: str
    cookie: str
    """The value of the session cookie (auth.SESSION_COOKIE)."""
    csrf: str
    token: str = ""
    """The secret of a personal API token of theirs."""


Entry = tuple[http_wrk.PoolEntry, Person]
"""An item to save, and the person whose session it is."""


# Set-up ------------------------------------------------------------------------------------


def _environment(secret: str) -> dict[str, str]:
    """bench.http's environment for the children, with the secret key and no profile."""
    env = http._environment()
    env.pop("FOOTCOACH_PROFILE", None)
    env["FOOTCOACH_SECRET_KEY"] = secret
    return env


def _people(url: str, secret: str, count: int) -> tuple[list[Person], dict[str, Any]]:
    """`count` people with a profile starting today and a live web session each."""
    from argon2 import profiles

    from footcoach.adapters.passwords import Argon2Hasher
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings
    from footcoach.domain.accounts import Role
    from footcoach.schemas.intake import parse_intake
    from footcoach.services.accounts import AccountService
    from footcoach.web.auth import csrf_for, sign_session

    key = secret.encode("utf-8")
    intake = parse_intake(json.loads(http.EXAMPLE_INTAKE.read_text(encoding="utf-8")))
    services = build_services(Settings(database_url=url))
    try:
        accounts = AccountService(
            services.database.unit_of_work, Argon2Hasher(profiles.CHEAPEST), services.clock
        )
        today = services.clock.today()
        people: list[Person] = []
        t0 = time.perf_counter()
        for n in range(count):
            user = accounts.register(f"person{n:03d}@bench.example", PASSWORD, Role.PERSON)
            if user.profile is None:
                raise RuntimeError(f"{user.email} has no profile name")
            services.tracking.init(user.profile, intake, start=today)
            session = accounts.start_session(user.id)
            people.append(
                Person(
                    user.id,
                    user.profile,
                    sign_session(key, session.token),
                    csrf_for(key, session.token),
                    accounts.create_api_token(user.id, "bench").secret,
                )
            )
        return people, {
            "people": count,
            "role": Role.PERSON.value,
            "intake": "docs/examples/intake.json",
            "start": today.isoformat(),
            "created_in_s": round(time.perf_counter() - t0, 2),
        }
    finally:
        services.close()


def _session_pool(
    url: str, people: Sequence[Person], positions: int
) -> tuple[list[Entry], dict[str, Any]]:
    """At least `positions` items to save, interleaved over the people: new unfinished sessions
    of today's slots, one per person a round (the same slot for all of them in a round), written
    in one transaction with SQLAlchemy Core, each entry the item done in full (as in
    bench.http._session_pool). Everybody has the same intake and start, so the same sessions
    are planned for each: they are read from the first person's day."""
    from sqlalchemy import func, insert, select, update

    from footcoach.adapters.db.tables import ProfileRow, SessionRow
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings

    services = build_services(Settings(database_url=url))
    try:
        view, slots = http.slot_items(services, people[0].profile)
        order = list(slots)
        rounds: list[str] = []
        count = 0
        while count < positions:
            slot = order[len(rounds) % len(order)]
            rounds.append(slot)
            count += len(slots[slot]) * len(people)
        now = datetime.now(UTC)
        t0 = time.perf_counter()
        engine = services.database.engine
        with engine.begin() as conn:
            ids = dict(
                conn.execute(
                    select(ProfileRow.name, ProfileRow.id).where(
                        ProfileRow.name.in_([p.profile for p in people])
                    )
                )
                .tuples()
                .all()
            )
            rows = [
                {
                    "profile_id": ids[person.profile],
                    "day": view.day,
                    "slot": slot,
                    "started_at": now,
                    "finished_at": None,
                    "completed": False,
                    "pain_during": None,
                    "effort": None,
                }
                for slot in rounds
                for person in people
            ]
            created = (
                conn.execute(
                    insert(SessionRow).returning(SessionRow.id, sort_by_parameter_order=True),
                    rows,
                )
                .scalars()
                .all()
            )
            conn.execute(
                update(ProfileRow)
                .where(ProfileRow.id.in_(list(ids.values())))
                .values(revision=ProfileRow.revision + 1)
            )
            in_diaries = conn.execute(select(func.count()).select_from(SessionRow)).scalar_one()
        pool: list[Entry] = []
        for r, slot in enumerate(rounds):
            for position, exercise, sets, reps, seconds in slots[slot]:
                for p, person in enumerate(people):
                    session_id = created[r * len(people) + p]
                    pool.append(((session_id, position, exercise, sets, reps, seconds), person))
        return pool, {
            "capacity_rps": POOL_RATE,
            "sessions_created": len(created),
            "sessions_per_person": len(rounds),
            "sessions_in_diaries": in_diaries,
            "items_per_slot": {slot: len(items) for slot, items in slots.items()},
            "positions_created": len(pool),
            "created_in_s": round(time.perf_counter() - t0, 2),
        }
    finally:
        services.close()


def _unsaved(url: str, entries: Sequence[Entry]) -> list[Entry]:
    """The entries whose position is not saved yet, in their order."""
    from sqlalchemy import select

    from footcoach.adapters.db.tables import ItemRow
    from footcoach.bootstrap import build_services
    from footcoach.config import Settings

    services = build_services(Settings(database_url=url))
    try:
        with services.database.engine.connect() as conn:
            saved = set(
                conn.execute(
                    select(ItemRow.session_id, ItemRow.position).where(
                        ItemRow.session_id.in_({e[0][0] for e in entries})
                    )
                ).tuples()
            )
    finally:
        services.close()
    return [e for e in entries if (e[0][0], e[0][1]) not in saved]


# Requests ----------------------------------------------------------------------------------


def _request(
    base: str,
    method: str,
    path: str,
    person: Person | None = None,
    body: bytes | None = None,
    csrf: bool = True,
    token: str | None = None,
) -> tuple[int, bytes]:
    """One request, as `person` (None: anonymous), or with an API token; redirects are
    answered, not followed."""
    from footcoach.web.auth import CSRF_HEADER, SESSION_COOKIE

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *_args: object, **_kwargs: object) -> None:
            return None

    headers = {"Accept": "*/*"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if person is not None:
        headers["Cookie"] = f"{SESSION_COOKIE}={person.cookie}"
        if csrf and method != "GET":
            headers[CSRF_HEADER] = person.csrf
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


def _probe_gets(server: Server, person: Person) -> dict[str, Any]:
    """Each GET as `person` (must answer 200) and with no cookie (must not answer 2xx)."""
    found: dict[str, Any] = {}
    for key, path, _ in GET_ENDPOINTS:
        status, body = _request(server.base, "GET", path, person)
        anonymous, _ = _request(server.base, "GET", path)
        found[key] = {"status": status, "bytes": len(body), "anonymous_status": anonymous}
        if status != 200:
            raise RuntimeError(f"GET {path} as a person answered {status}: {body[:300]!r}")
        if 200 <= anonymous < 300:
            raise RuntimeError(f"GET {path} with no cookie answered {anonymous}: no login needed")
    return found


def _probe_tokens(server: Server, person: Person) -> dict[str, Any]:
    """Each token GET with the person's token (must answer 200) and with a made-up one (must
    answer 401)."""
    found: dict[str, Any] = {}
    for key, path, _ in TOKEN_ENDPOINTS:
        status, body = _request(server.base, "GET", path, token=person.token)
        forged, _ = _request(server.base, "GET", path, token=person.token[:-4] + "xxxx")
        found[key] = {"status": status, "bytes": len(body), "forged_token_status": forged}
        if status != 200 or forged != 401:
            raise RuntimeError(
                f"GET {path}: {status} with the token (200 expected), {forged} with a made-up "
                f"one (401 expected): {body[:300]!r}"
            )
    return found


def _probe_item(server: Server, person: Person, entry: http_wrk.PoolEntry) -> dict[str, Any]:
    """One item posted as `person` without the CSRF token (must answer 403), then with it (must
    answer 201)."""
    path, body = http_wrk.item_path(entry), http_wrk.item_body(entry)
    refused, _ = _request(server.base, "POST", path, person, body, csrf=False)
    status, answer = _request(server.base, "POST", path, person, body)
    if status != 201 or refused != 403:
        raise RuntimeError(
            f"POST {path}: {refused} without the CSRF token (403 expected), {status} with it "
            f"(201 expected): {answer[:300]!r}"
        )
    return {"status": status, "without_csrf_status": refused}


def write_script(folder: Path) -> Path:
    from footcoach.web.auth import CSRF_HEADER, SESSION_COOKIE

    script = folder / "people.lua"
    text = SCRIPT.replace("@COOKIE@", SESSION_COOKIE).replace("@CSRF@", CSRF_HEADER)
    script.write_text(text, encoding="utf-8")
    return script


def write_tokens(folder: Path, people: Sequence[Person]) -> Path:
    path = folder / "tokens.txt"
    path.write_text("".join(f"{p.token}\n" for p in people), encoding="utf-8")
    return path


def write_cookies(folder: Path, people: Sequence[Person]) -> Path:
    path = folder / "cookies.txt"
    path.write_text("".join(f"{p.cookie}\n" for p in people), encoding="utf-8")
    return path


def write_pool(folder: Path, name: str, entries: Sequence[Entry]) -> Path:
    path = folder / f"{name}.pool"
    path.write_text(
        "".join(
            f"{s} {p} {e} {sets} {reps} {secs} {person.cookie} {person.csrf}\n"
            for (s, p, e, sets, reps, secs), person in entries
        ),
        encoding="utf-8",
    )
    return path


def _checked(run: dict[str, Any]) -> dict[str, Any]:
    """The run with its errors and whether every request was answered 2xx."""
    errors = http._errors(run)
    statuses = run.get("statuses", {})
    answered = statuses.get("ok", 0) + statuses.get("created", 0) + statuses.get("replayed", 0)
    run["errors"] = errors
    run["all_2xx"] = (
        statuses.get("other", 0) == 0
        and run["non_2xx_3xx"] == 0
        and run["socket_errors_total"] == 0
        and answered == run["requests"]
    )
    run["server_cpu_ms_per_request"] = round(
        1000 * run["server_cpu_s"] / max(1, run["requests"]), 2
    )
    return run


def _session_log(
    server: Server,
    url: str,
    folder: Path,
    script: Path,
    pool: list[Entry],
    duration_s: int,
    connections: int,
    threads: int,
    warmup_s: int,
) -> dict[str, Any]:
    # the warm-up walks its share of the pool only (over again once it is saved), so that a
    # server faster than POOL_RATE cannot leave the measured run without an item to save
    share = max(1, len(pool) * warmup_s // (warmup_s + duration_s))
    warm = write_pool(folder, "warmup", pool[:share])
    http_wrk.run(
        server.base + "/",
        warmup_s,
        connections,
        threads,
        script,
        [str(warm), str(threads), "items"],
    )
    wait_idle(server.pid)
    left = _unsaved(url, pool)
    measured_pool = write_pool(folder, "measured", left)
    before = http._items_saved(url)
    measured = http._load(
        server,
        "/",
        duration_s,
        connections,
        threads,
        script,
        [str(measured_pool), str(threads), "items"],
    )
    measured["items_written"] = http._items_saved(url) - before  # with those in flight at the end
    measured["positions_for_the_run"] = len(left)
    return measured


def workers(
    count: int,
    people_count: int,
    duration_s: int,
    connections: int,
    threads: int,
    warmup_s: int,
    tokens: bool = True,
) -> dict[str, Any]:
    """One worker count on a new database: people, server, probes, the endpoints (with
    `tokens`, the API's GETs made with API tokens too, each after its cookie twin)."""
    secret = secrets.token_urlsafe(48)
    with (
        http._postgresql() as db,
        tempfile.TemporaryDirectory(prefix="footcoach-bench-multi-") as scratch,
    ):
        if "skipped" in db:
            return {"workers": count, "skipped": db["skipped"]}
        url, folder = db["url"], Path(scratch)
        people, made = _people(url, secret, people_count)
        script = write_script(folder)
        cookies = write_cookies(folder, people)
        token_lines = write_tokens(folder, people)
        port = free_port()
        command = [
            *footcoach_command(),
            "serve",
            "--multi-user",
            "--workers",
            str(count),
            "--port",
            str(port),
            "--db",
            url,
        ]
        runs: dict[str, Any] = {}
        env = _environment(secret)
        with Server(command, port, READY_PATH, cwd=http.ROOT, env=env) as server:
            probes = _probe_gets(server, people[0])
            gets = [(key, path, cookies, "cookie") for key, path, _ in GET_ENDPOINTS]
            if tokens:
                probes.update(_probe_tokens(server, people[0]))
                for key, path, _ in TOKEN_ENDPOINTS:  # right after its cookie twin
                    twin = [g[0] for g in gets].index(TOKEN_TWINS[key])
                    gets.insert(twin + 1, (key, path, token_lines, "token"))
            for key, path, lines, mode in gets:
                args = [str(lines), str(threads), path, mode]
                http_wrk.run(server.base + path, warmup_s, connections, threads, script, args)
                wait_idle(server.pid)
                measured = http._load(server, path, duration_s, connections, threads, script, args)
                runs[key] = _checked(
                    {
                        "path": path,
                        "client": mode,
                        "response_bytes": probes[key]["bytes"],
                        **measured,
                    }
                )
            size = POOL_RATE * (warmup_s + duration_s) + 4 * connections + 1
            pool, facts = _session_pool(url, people, size)
            probes["session_log"] = _probe_item(server, pool[0][1], pool[0][0])
            log = _session_log(
                server, url, folder, script, pool[1:], duration_s, connections, threads, warmup_s
            )
            runs["session_log"] = _checked({"path": SESSION_LOG[1], **log, "pool": facts})
            startup_s = server.startup_s
        return {
            "workers": count,
            "url": db["shown"],
            "people": made,
            "server": f"footcoach serve --multi-user --workers {count}",
            "startup_s": startup_s,
            "probes": probes,
            "endpoints": runs,
            "token_vs_cookie": _token_vs_cookie(runs),
            "all_2xx": all(r["all_2xx"] for r in runs.values()),
        }


def _token_vs_cookie(runs: dict[str, Any]) -> dict[str, Any]:
    """Each token run against its cookie twin: requests/s as a share of the cookie's (the
    target: at least TOKEN_TARGET), and both p99s."""
    found: dict[str, Any] = {}
    for key, twin in TOKEN_TWINS.items():
        if key not in runs or twin not in runs:
            continue
        token, cookie = runs[key], runs[twin]
        share = (
            token["requests_per_s"] / cookie["requests_per_s"] if cookie["requests_per_s"] else 0
        )
        found[key] = {
            "cookie": twin,
            "requests_per_s": [cookie["requests_per_s"], token["requests_per_s"]],
            "p99_ms": [cookie["p99_ms"], token["p99_ms"]],
            "token_share_of_cookie_rps": round(share, 3),
            "within_target": share >= TOKEN_TARGET,
        }
    return found


def _scaling(results: dict[str, Any]) -> dict[str, Any] | None:
    """Each endpoint at the last worker count against the first: the ratios of requests/s and
    p99, and side by side the server's CPU per request, the CPUs it kept busy (on a machine
    where other work competes, more processes get a larger share of it) and its peak RSS."""
    done = [r for r in results.values() if "skipped" not in r]
    if len(done) < 2:
        return None
    low, high = done[0], done[-1]
    return {
        "from_workers": low["workers"],
        "to_workers": high["workers"],
        "endpoints": {
            key: {
                "requests_per_s_ratio": round(
                    high["endpoints"][key]["requests_per_s"] / run["requests_per_s"], 3
                ),
                "p99_ms_ratio": round(high["endpoints"][key]["p99_ms"] / run["p99_ms"], 3)
                if run["p99_ms"]
                else None,
                "server_cpu_ms_per_request": [
                    run["server_cpu_ms_per_request"],
                    high["endpoints"][key]["server_cpu_ms_per_request"],
                ],
                "server_cpu_share": [
                    run["server_cpu_share"],
                    high["endpoints"][key]["server_cpu_share"],
                ],
                "peak_rss_mb": [run["peak_rss_mb"], high["endpoints"][key]["peak_rss_mb"]],
            }
            for key, run in low["endpoints"].items()
        },
    }


def run(
    duration_s: int = DURATION_S,
    connections: int = CONNECTIONS,
    threads: int = THREADS,
    warmup_s: int = WARMUP_S,
    worker_counts: tuple[int, ...] = WORKER_COUNTS,
    people: int = PEOPLE,
    tokens: bool = True,
) -> dict[str, Any]:
    """The ceiling, then each worker count; a short `duration_s` (and fewer people and worker
    counts) makes a smoke run."""
    settings = {
        "duration_s": duration_s,
        "warmup_s": warmup_s,
        "connections": connections,
        "threads": threads,
        "worker_counts": list(worker_counts),
        "people": people,
        "token_clients": tokens,
        "wrk_timeout_s": http_wrk.TIMEOUT_S,
        "memory_sample_every_s": 0.1,
    }
    if http_wrk.wrk_path() is None:
        return {
            "skipped": "wrk is not installed (Debian: apt-get install wrk)",
            "settings": settings,
        }
    with http._postgresql() as db:  # is the server there at all? (a database made and dropped)
        if "skipped" in db:
            return {"skipped": db["skipped"], "settings": settings}
    settings["wrk"] = http_wrk.wrk_version()
    load_before = [round(x, 2) for x in os.getloadavg()]
    top = http.ceiling(duration_s, connections, threads, warmup_s)
    results: dict[str, Any] = {}
    for count in worker_counts:
        measured = workers(count, people, duration_s, connections, threads, warmup_s, tokens)
        for one in measured.get("endpoints", {}).values():
            one["share_of_ceiling"] = round(one["requests_per_s"] / top["requests_per_s"], 4)
        results[str(count)] = measured
    return {
        "settings": settings,
        "load_average": {
            "before": load_before,
            "after": [round(x, 2) for x in os.getloadavg()],
            "note": "1, 5 and 15 min load averages of the machine; above its CPU count, "
            "something else competed with the server and wrk",
        },
        "ceiling": top,
        "workers": results,
        "scaling": _scaling(results),
        "all_2xx": all(r.get("all_2xx", False) for r in results.values()),
    }


def summary(result: dict[str, Any]) -> list[str]:
    if "skipped" in result:
        return [f"skipped: {result['skipped']}"]
    s, top = result["settings"], result["ceiling"]
    lines = [
        f"wrk -t{s['threads']} -c{s['connections']} -d{s['duration_s']}s "
        f"({s['warmup_s']} s warm-up each), multi-user on PostgreSQL, {s['people']} people "
        f"logged in (cookies in turn); load average {result['load_average']['before'][0]} "
        f"before, {result['load_average']['after'][0]} after",
        f"ceiling (bare ASGI b'ok', 2 workers): {top['requests_per_s']:.0f} req/s, "
        f"p50 {top['p50_ms']} ms, p99 {top['p99_ms']} ms",
    ]
    for count, one in result["workers"].items():
        if "skipped" in one:
            lines.append(f"{count} workers: skipped: {one['skipped']}")
            continue
        lines.append(f"{count} workers (every answer 2xx: {'yes' if one['all_2xx'] else 'NO'}):")
        for key, run in one["endpoints"].items():
            errors = run["errors"]
            slow = (
                f" ({errors['timeout']} of them timeouts, >= {http_wrk.TIMEOUT_S} s)"
                if errors["timeout"]
                else ""
            )
            other = run.get("statuses", {}).get("other_status", 0)
            shown = f" (last non-2xx status {other})" if other else ""
            lines.append(
                f"  {LABELS[key]}: {run['requests_per_s']:.0f} req/s "
                f"({100 * run['share_of_ceiling']:.1f}% of ceiling), p50 {run['p50_ms']} ms, "
                f"p99 {run['p99_ms']} ms, {sum(errors.values())} errors{slow}{shown}, "
                f"peak RSS {run['peak_rss_mb']} MB, server CPU "
                f"{run['server_cpu_ms_per_request']:.1f} ms/request "
                f"({run['server_cpu_share']} CPUs busy)"
            )
        log = one["endpoints"]["session_log"]
        st = log.get("statuses", {})
        lines.append(
            f"    session log: {st.get('created', 0)} items saved (201), {st.get('replayed', 0)} "
            f"retries (200), {st.get('other', 0)} other; "
            f"{log['pool']['sessions_per_person']} sessions of today a person"
        )
        for key, pair in one.get("token_vs_cookie", {}).items():
            lines.append(
                f"    {LABELS[key]}: {100 * pair['token_share_of_cookie_rps']:.0f}% of the "
                f"cookie's requests/s, p99 {pair['p99_ms'][1]} ms against {pair['p99_ms'][0]} ms "
                f"(within {100 - 100 * TOKEN_TARGET:.0f}%: "
                f"{'yes' if pair['within_target'] else 'NO'})"
            )
    scaling = result.get("scaling")
    if scaling:
        ratios = ", ".join(
            f"{LABELS[key]} x{e['requests_per_s_ratio']:.2f}"
            for key, e in scaling["endpoints"].items()
        )
        lines.append(
            f"{scaling['to_workers']} workers against {scaling['from_workers']}, requests/s: "
            + ratios
        )
    return lines


if __name__ == "__main__":  # python -m bench.http_multi [SECONDS]: a look without the registry
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else DURATION_S
    outcome = run(duration_s=seconds)
    print(json.dumps(outcome, indent=2))
    print("\n".join(summary(outcome)))
