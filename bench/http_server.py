"""Servers for the HTTP benchmark: started as subprocesses, waited for, watched, stopped.

The memory of a server is the sum of the resident set size (VmRSS in /proc/PID/status) of the
parent that `footcoach serve` (or uvicorn) runs as, which supervises, and of its worker processes,
found through /proc/PID/task/TID/children. A `Watch` samples it every 100 ms in a thread while wrk
runs and keeps the peak, with each process's share at that moment. RSS counts a page shared by
several processes (a forked worker's share of its parent) once in each, so the Watch also keeps
the peak PSS of the whole tree, which counts every page once. CPU time (utime + stime from
/proc/PID/stat) is read over the same tree before and after, so a run also says how much CPU the
server used.
Linux only (/proc); no psutil.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

SAMPLE_EVERY_S = 0.1
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
        except OSError:
            continue
        found.extend(int(c) for c in text.split())
    return found


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants that are alive now."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(_children(current))
    return tree


def rss_kib(pid: int) -> int | None:
    """VmRSS of a process in KiB, or None when it is gone (or a zombie)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def pss_kib(pid: int) -> int | None:
    """Pss of a process in KiB (/proc/PID/smaps_rollup): its own pages, plus each page it shares
    divided by the number of processes sharing it, so the PSS of a process tree adds up to the
    memory it holds; None when it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pids: Sequence[int]) -> float:
    """utime + stime of these processes, in seconds (their own, not their children's)."""
    ticks = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / CLOCK_TICKS


def _name(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    words = [w.decode(errors="replace") for w in raw.split(b"\0") if w]
    text = " ".join(Path(words[0]).name if i == 0 else w for i, w in enumerate(words))
    return text[:80]


class Watch:
    """Samples the RSS of a process tree every 100 ms in a thread, keeping the peak.

    `peak_rss_mb` is the parent and its workers together (the server); multiprocessing's
    resource tracker, a small helper process the parent starts, is counted only in
    `peak_tree_rss_mb`, the whole tree."""

    def __init__(self, pid: int, every_s: float = SAMPLE_EVERY_S) -> None:
        self.pid = pid
        self.every_s = every_s
        self.samples = 0
        self.peak_kib = 0
        self.peak_tree_kib = 0
        self.peak_pss_kib = 0
        self._roles: dict[int, str] = {}
        self.peak_parts: list[tuple[int, int]] = []
        self.pids_seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rss-watch", daemon=True)
        self._cpu_before = 0.0
        self._cpu_after = 0.0
        self._began = 0.0
        self._ended = 0.0

    def _role(self, pid: int) -> str:
        if pid == self.pid:
            return "parent"
        if pid not in self._roles:
            helper = "multiprocessing.resource_tracker" in _name(pid)
            self._roles[pid] = "helper" if helper else "worker"
        return self._roles[pid]

    def sample(self) -> int:
        """One sample: the RSS of the parent and its workers, in KiB (helpers kept apart)."""
        parts = [(p, rss_kib(p)) for p in process_tree(self.pid)]
        alive = [(p, kib) for p, kib in parts if kib is not None]
        served = sum(kib for p, kib in alive if self._role(p) != "helper")
        tree = sum(kib for _, kib in alive)
        self.samples += 1
        self.pids_seen.update(p for p, _ in alive)
        if served > self.peak_kib:
            self.peak_kib, self.peak_parts = served, alive
        self.peak_tree_kib = max(self.peak_tree_kib, tree)
        pss = sum(pss_kib(p) or 0 for p, _ in alive)
        self.peak_pss_kib = max(self.peak_pss_kib, pss)
        return served

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every_s)

    def __enter__(self) -> Watch:
        self._cpu_before = cpu_seconds(process_tree(self.pid))
        self._began = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()
        self._cpu_after = cpu_seconds(process_tree(self.pid))
        self._ended = time.perf_counter()

    def result(self) -> dict[str, Any]:
        cpu = self._cpu_after - self._cpu_before
        wall = self._ended - self._began
        return {
            "peak_rss_mb": round(self.peak_kib / 1024, 1),
            "peak_tree_rss_mb": round(self.peak_tree_kib / 1024, 1),
            "peak_pss_mb": round(self.peak_pss_kib / 1024, 1),
            "peak_processes": [
                {"pid": p, "role": self._role(p), "rss_mb": round(kib / 1024, 1)}
                for p, kib in self.peak_parts
            ],
            "processes": len(self.pids_seen),
            "samples": self.samples,
            "server_cpu_s": round(cpu, 2),
            "server_cpu_share": round(cpu / wall, 2) if wall > 0 else None,
        }


def wait_idle(
    pid: int, quiet_share: float = 0.1, window_s: float = 0.3, timeout_s: float = 15.0
) -> float:
    """Wait until the process tree uses under `quiet_share` of a CPU over `window_s` (wrk
    leaves up to one request per connection behind it, which the server still works through);
    returns the seconds waited."""
    began = time.perf_counter()
    before = cpu_seconds(process_tree(pid))
    while time.perf_counter() - began < timeout_s:
        time.sleep(window_s)
        now = cpu_seconds(process_tree(pid))
        if (now - before) / window_s < quiet_share:
            break
        before = now
    return round(time.perf_counter() - began, 2)


def lone_requests(
    port: int, requests: Sequence[tuple[str, str, bytes | None]], untimed: int = 1
) -> dict[str, Any]:
    """Send (method, path, JSON body) requests one at a time on one kept-alive connection, the
    first `untimed` of them untimed: what a request costs when nothing else is running."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings: list[int] = []
    statuses: Counter[int] = Counter()
    try:
        for n, (method, path, body) in enumerate(requests):
            headers = {"Content-Type": "application/json"} if body is not None else {}
            t0 = time.perf_counter_ns()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter_ns() - t0
            statuses[response.status] += 1
            if n >= untimed:
                timings.append(elapsed)
    finally:
        connection.close()
    return {
        "count": len(timings),
        "median_ms": round(statistics.median(timings) / 1e6, 3) if timings else None,
        "max_ms": round(max(timings) / 1e6, 3) if timings else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


class Server:
    """A server subprocess in its own process group, its output kept in temporary files."""

    def __init__(
        self,
        command: list[str],
        port: int,
        ready_path: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.command = command
        self.port = port
        self.ready_path = ready_path
        self.cwd = cwd
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self._out: IO[bytes] | None = None
        self._err: IO[bytes] | None = None
        self.startup_s = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stderr_tail(self, size: int = 2000) -> str:
        if self._err is None:
            return ""
        self._err.flush()
        self._err.seek(0)
        return self._err.read().decode(errors="replace")[-size:]

    def start(self, timeout_s: float = START_TIMEOUT_S) -> Server:
        """Start it and wait until GET ready_path answers 200 (raises RuntimeError if not)."""
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self._err = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        began = time.perf_counter()
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=self._err,
            start_new_session=True,  # its own process group, so it can be stopped as a whole
        )
        deadline = began + timeout_s
        last = "no answer"
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{' '.join(self.command)} exited with {self.process.returncode}: "
                    f"{self.stderr_tail()}"
                )
            try:
                status, _ = http_get(self.base + self.ready_path, timeout=2.0)
                if status == 200:
                    self.startup_s = round(time.perf_counter() - began, 2)
                    return self
                last = f"status {status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            f"{' '.join(self.command)} did not answer {self.ready_path} in {timeout_s} s "
            f"({last}): {self.stderr_tail()}"
        )

    def stop(self) -> None:
        """SIGINT to the parent (uvicorn shuts its workers down and waits for them); then
        SIGKILL to any process of its tree that is still there."""
        process = self.process
        if process is not None:
            tree = process_tree(process.pid) if process.poll() is None else []
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)  # still alive: the group is ours
                    process.wait(timeout=STOP_TIMEOUT_S)
            for pid in tree[1:]:  # workers seen while the parent ran, if any outlived it
                try:
                    if os.getpgid(pid) == process.pid:
                        os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.process = None
        for handle in (self._out, self._err):
            if handle is not None:
                handle.close()
        self._out = self._err = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
