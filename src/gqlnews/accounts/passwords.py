"""Password hashing with argon2id (argon2-cffi's ``PasswordHasher``), off the event loop.

A hash records its own parameters, so old hashes keep verifying after the parameters change;
:func:`verify` then hands back a new hash for the caller to store. Hashing takes tens of
milliseconds of CPU on purpose: it runs in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 1024

HASHER = PasswordHasher()
"""The parameters of new hashes (argon2-cffi's defaults, RFC 9106 low-memory profile)."""


class WeakPassword(ValueError):
    """A new password is too short or too long; the message says what is allowed."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of checking a password: ``ok``, and a fresh hash to store when the stored one
    was made with other parameters."""

    ok: bool
    new_hash: str | None = None


def check_strength(password: str) -> None:
    """Raise :class:`WeakPassword` unless ``password`` is an acceptable new password."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"a password must have at most {MAX_LENGTH} characters")


async def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (checked with :func:`check_strength` first)."""
    check_strength(password)
    return await asyncio.to_thread(HASHER.hash, password)


def _verify_sync(stored: str, password: str) -> Verdict:
    try:
        HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return Verdict(ok=False)
    if HASHER.check_needs_rehash(stored):
        return Verdict(ok=True, new_hash=HASHER.hash(password))
    return Verdict(ok=True)


async def verify(stored: str, password: str) -> Verdict:
    """Check ``password`` against the ``stored`` hash (constant work whatever the outcome)."""
    return await asyncio.to_thread(_verify_sync, stored, password)


@cache
def _dummy_hash() -> str:
    return HASHER.hash("gqlnews: a password nobody has")


async def waste_time(password: str) -> None:
    """Verify ``password`` against a dummy hash made with the current parameters: signing in
    as an unknown account then costs what a wrong password costs (no user enumeration)."""
    await asyncio.to_thread(_verify_sync, _dummy_hash(), password)
