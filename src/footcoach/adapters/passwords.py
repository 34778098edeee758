"""Password hashes with argon2id (argon2-cffi), the PasswordHasher port's implementation."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2Hasher:
    """argon2id with argon2-cffi's defaults (RFC 9106's low-memory choice: 64 MiB, t=3, p=4).

    Tests pass cheaper parameters; a hash made with weaker ones than today's is reported by
    needs_rehash, and the account service then stores a fresh one at the next login.
    """

    def __init__(self, parameters: Parameters | None = None) -> None:
        self._hasher = (
            PasswordHasher() if parameters is None else PasswordHasher.from_parameters(parameters)
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        try:
            return self._hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(hashed)
        except (InvalidHashError, ValueError):
            return True
