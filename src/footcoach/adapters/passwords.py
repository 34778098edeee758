"""Password hashes with argon2id (argon2-cffi), the PasswordHasher port's implementation.

The parameters are OWASP's recommended minimum for argon2id (19 MiB of memory, 2 passes, 1
lane), chosen for small servers like the 2-core machine footcoach is measured on: a hash takes
about 30 ms there, and costs an attacker with a stolen database the same 19 MiB per guess. What
makes a login flood harmless is the bound on top: at most one hash per CPU at a time in each
process (so 2 x 19 MiB, instead of 64 MiB for every login in flight as before); a request that
cannot get a slot within HASH_WAIT_S is refused with HashingBusyError, and nothing is checked.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import Parameters, PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from footcoach.services.account_ports import HashingBusyError

PARAMETERS = Parameters(
    type=Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=2,
    memory_cost=19 * 1024,
    parallelism=1,
)
"""argon2id, m=19456 KiB, t=2, p=1: the floor OWASP's Password Storage Cheat Sheet sets."""
HASH_WAIT_S = 2.0
"""How long a request waits for a free hashing slot before it is refused."""
RETRY_AFTER_S = 2
"""What a refused request is told to wait before trying again."""


def hashing_slots() -> int:
    """One hashing slot per CPU this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Argon2Hasher:
    """argon2id with PARAMETERS (tests pass cheaper ones), at most `slots` hashes at a time.

    A hash made with other parameters (such as argon2-cffi's former default of 64 MiB, t=3,
    p=4) still verifies; needs_rehash reports it, and the account service stores a fresh hash
    at the next login.
    """

    def __init__(
        self,
        parameters: Parameters | None = None,
        slots: int | None = None,
        wait_s: float = HASH_WAIT_S,
    ) -> None:
        self._hasher = PasswordHasher.from_parameters(parameters or PARAMETERS)
        self.slots = slots if slots is not None else hashing_slots()
        self._free = threading.BoundedSemaphore(self.slots)
        self._wait_s = wait_s

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one hashing slot; HashingBusyError when none frees up within the wait."""
        if not self._free.acquire(timeout=self._wait_s):
            raise HashingBusyError(RETRY_AFTER_S)
        try:
            yield
        finally:
            self._free.release()

    def hash(self, password: str) -> str:
        with self.slot():
            return self._hasher.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        with self.slot():
            try:
                return self._hasher.verify(hashed, password)
            except (VerificationError, InvalidHashError):
                return False

    def needs_rehash(self, hashed: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(hashed)
        except (InvalidHashError, ValueError):
            return True
