"""Purges from a command (``gqlnews import``, ``gqlnews documents remove``): the running
servers hear them through Redis, as they hear each other's.

Without Redis a command cannot reach a server's memory: its answers then refresh within
``GQLNEWS_CACHE_TTL`` seconds (the servers' setting), or at once on a restart.
"""

from __future__ import annotations

from collections.abc import Iterable

from gqlnews.cache.shared import SharedTier, namespace
from gqlnews.settings import Settings

COMMAND_ORIGIN = "command"


async def purge_servers(settings: Settings, keys: Iterable[str]) -> str:
    """Purge ``keys`` from the Redis tier and every server process of ``settings``'s
    database; returns a line saying what happened (never raises: the command's work is done
    whatever Redis says)."""
    if not settings.redis_url:
        return (
            f"running servers' cached answers refresh within GQLNEWS_CACHE_TTL "
            f"({settings.cache_ttl} s here) or on restart (no GQLNEWS_REDIS_URL to tell them)"
        )
    import redis.asyncio as redis

    client = redis.from_url(settings.redis_url, socket_timeout=3, socket_connect_timeout=3)
    try:
        shared = SharedTier(client, namespace(settings.database_url))
        keys = sorted(set(keys))
        dropped = await shared.purge(keys)
        await shared.announce(COMMAND_ORIGIN, keys)
    except Exception as exc:
        return f"warning: could not tell running servers through Redis ({exc})"
    finally:
        await client.aclose()
    return f"running servers' caches purged through Redis ({dropped} shared answers dropped)"
