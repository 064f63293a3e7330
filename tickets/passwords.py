"""Staff passwords hashed with Argon2id, at the cost `[web]` sets (docs/operations.md).

Argon2id is memory-hard on purpose: a stolen hash costs an attacker as much memory and time per
guess as a sign-in costs us. The defaults are RFC 9106's low-memory profile (64 MiB, 3 passes);
a small server may lower them to OWASP's floor (19 MiB, 2 passes), never below it. A stored hash
made at another cost is rehashed at the account's next sign-in.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from tickets.config import WebConfig
from tickets.models import User

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@dataclass(frozen=True)
class Passwords:
    """Hashes and checks passwords at one cost; the composition root builds it from the config."""

    memory_kib: int = WebConfig.password_hash_memory_kib
    iterations: int = WebConfig.password_hash_iterations

    @classmethod
    def for_config(cls, web: WebConfig) -> Passwords:
        return cls(memory_kib=web.password_hash_memory_kib, iterations=web.password_hash_iterations)

    @cached_property
    def _hasher(self) -> PasswordHasher:
        from argon2 import PasswordHasher  # loaded by the first sign-in, not by every command

        return PasswordHasher(time_cost=self.iterations, memory_cost=self.memory_kib)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, user: User, password: str) -> bool:
        """True when `password` matches; a hash made at another cost is upgraded in place."""
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            self._hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if self._hasher.check_needs_rehash(user.password_hash):
            user.password_hash = self.hash(password)
        return True

    @cached_property
    def decoy(self) -> User:
        """A user whose hash no password matches, checked when the account does not exist: an
        unknown address costs the same time as a wrong password."""
        return User(password_hash=self.hash("decoy password, never matches"))
