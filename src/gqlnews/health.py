"""Dependency checks for /readyz and ``gqlnews check``: each answers "ok" or what is wrong,
and the readiness they add up to."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from gqlnews import db

log = logging.getLogger("gqlnews.health")
TIMEOUT_SECONDS = 2.0


async def check_database() -> str:
    """``ok`` when the database answers ``SELECT 1`` within the timeout."""
    try:
        await asyncio.wait_for(db.connection().execute_query("SELECT 1"), TIMEOUT_SECONDS)
    except Exception as exc:  # any driver or network error means "not ready"
        log.warning("database check failed: %s", exc)
        return "unreachable"
    return "ok"


async def check_redis(url: str) -> str:
    """``ok`` when Redis at ``url`` answers PING within the timeout (a fresh connection)."""
    import redis.asyncio as redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        await asyncio.wait_for(client.ping(), TIMEOUT_SECONDS)
    except Exception as exc:  # connection refused, timeout, auth…
        log.warning("redis check failed: %s", exc)
        return "unreachable"
    finally:
        await client.aclose()
    return "ok"


DEGRADED = "degraded"
"""Redis's state in /readyz while it does not answer: the process still serves (the response
cache and the rate limits work in this process only), so it stays ready."""


@dataclass(frozen=True, slots=True)
class Readiness:
    """``ready``: the process can answer reads (the database answers); ``status`` sums it up
    (``ok``, ``degraded`` or ``unavailable``); ``checks`` has each dependency's state."""

    ready: bool
    status: str
    checks: dict[str, str] = field(default_factory=dict)


async def readiness(redis_url: str) -> Readiness:
    """The database must answer; Redis (when ``redis_url``) only degrades the process: the
    response cache and the rate limits work in this process alone while it is away, and
    reads are served as usual."""
    checks = {"database": await check_database()}
    if redis_url:
        checks["redis"] = "ok" if await check_redis(redis_url) == "ok" else DEGRADED
    if checks["database"] != "ok":
        return Readiness(False, "unavailable", checks)
    if checks.get("redis", "ok") != "ok":
        return Readiness(True, DEGRADED, checks)
    return Readiness(True, "ok", checks)
