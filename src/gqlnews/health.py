"""Dependency checks for /readyz and ``gqlnews check``: each answers "ok" or what is wrong."""

from __future__ import annotations

import asyncio
import logging

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
