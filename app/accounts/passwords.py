"""Password hashing with Argon2id; a fast hasher only when settings ask for it (tests)."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


@lru_cache(maxsize=2)
def password_hasher(*, fast: bool = False) -> PasswordHash:
    if fast:
        # Minimal cost parameters: same algorithm and format, milliseconds instead of ~50 ms per hash.
        return PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))
    return PasswordHash((Argon2Hasher(),))


def hash_password(password: str, *, fast: bool = False) -> str:
    return password_hasher(fast=fast).hash(password)


def verify_password(password: str, password_hash: str, *, fast: bool = False) -> tuple[bool, str | None]:
    """Whether the password matches, and a new hash when the stored one's parameters are outdated."""
    return password_hasher(fast=fast).verify_and_update(password, password_hash)
