"""`footcoach serve` as a subprocess on a free loopback port, for tests that need a real server."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def footcoach_server(args: list[str], env: Mapping[str, str]) -> Iterator[str]:
    """`python -m footcoach serve ARGS --port FREE` until the block ends; yields its base URL
    once /openapi.json answers (the server's output is shown if it does not start)."""
    port = free_port()
    # the output goes to a file, not a pipe: a server that logs more than a pipe holds (64 KiB
    # of tracebacks, say) would block on its next write, since nobody reads it while it runs
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "footcoach", "serve", *args, "--port", str(port)],
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT_S
        try:
            while True:
                try:
                    urllib.request.urlopen(base + "/openapi.json", timeout=2)
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        process.kill()
                        process.wait()
                        output.seek(0)
                        out = output.read().decode(errors="replace")
                        raise RuntimeError(f"footcoach serve did not start:\n{out}") from None
                    time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
