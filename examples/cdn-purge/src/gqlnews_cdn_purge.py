"""A gqlnews plugin: when gqlnews purges cached answers, purge the same surrogate keys from a
CDN.

gqlnews tags every cacheable answer with the keys it depends on (``Surrogate-Key`` and
``Cache-Tag`` headers) and calls ``gqlnews_cache_purged(keys, background)`` once per purge,
after the write that caused it has committed. This plugin POSTs ``{"surrogate_keys": [...]}`` to
``GQLNEWS_CDN_PURGE_URL`` (with ``Authorization: Bearer GQLNEWS_CDN_PURGE_TOKEN`` when set), at
most :data:`KEYS_PER_REQUEST` keys per request, in a background task: the write's answer never
waits for the CDN, and a failure is logged, never raised. Adapt :func:`purge_request` to your
CDN's API (the README shows Fastly and Cloudflare).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from gqlnews.api import PluginSetting, hookimpl

__version__ = "0.1.0"

URL_ENV = "GQLNEWS_CDN_PURGE_URL"
TOKEN_ENV = "GQLNEWS_CDN_PURGE_TOKEN"
TIMEOUT_SECONDS = 5.0
"""How long one purge request may take (connecting included) before it is given up."""
KEYS_PER_REQUEST = 256
"""Keys sent in one request at most (Fastly's batch limit); more go in several requests."""
EVERYTHING = "*"
"""The key gqlnews purges when every answer must go (a restore, an import)."""

log = logging.getLogger("gqlnews_cdn_purge")

_pending: set[asyncio.Task[None]] = set()
"""Purges under way (a task must be referenced until it ends, or it may be collected)."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where purges go, and the token that allows them."""

    url: str
    token: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Endpoint | None:
        """The endpoint the environment names; None when ``GQLNEWS_CDN_PURGE_URL`` is empty
        (purging the CDN is off). A URL that is not http(s) is refused, naming the variable."""
        source = os.environ if env is None else env
        url = source.get(URL_ENV, "").strip()
        if not url:
            return None
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"{URL_ENV} must be an http:// or https:// URL, not {url!r}")
        return cls(url, source.get(TOKEN_ENV, "").strip())


def purge_request(endpoint: Endpoint, keys: Sequence[str]) -> tuple[dict[str, str], Any]:
    """The headers and JSON body of one purge request. Change this for your CDN's API.

    ``keys`` are gqlnews's surrogate keys (``Article:42``, ``Section:3:articles``…), as its
    answers' ``Surrogate-Key`` header lists them; ``[EVERYTHING]`` means purge everything.
    """
    headers = {"Authorization": f"Bearer {endpoint.token}"} if endpoint.token else {}
    return headers, {"surrogate_keys": list(keys)}


async def send(endpoint: Endpoint, keys: Sequence[str]) -> bool:
    """POST the purge of ``keys``, :data:`KEYS_PER_REQUEST` at a time; whether every request
    succeeded. Failures (unreachable, slow, an error status) are logged, never raised."""
    ok = True
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
        for start in range(0, len(keys), KEYS_PER_REQUEST):
            batch = keys[start : start + KEYS_PER_REQUEST]
            headers, body = purge_request(endpoint, batch)
            try:
                response = await client.post(endpoint.url, json=body, headers=headers)
                response.raise_for_status()
            except httpx.HTTPError as exc:
                ok = False
                log.warning(
                    "CDN purge of %d key(s) failed (%s: %s); the CDN serves them until their "
                    "s-maxage ends",
                    len(batch),
                    type(exc).__name__,
                    exc,
                )
    return ok


async def _send_logged(endpoint: Endpoint, keys: Sequence[str]) -> None:
    try:
        await send(endpoint, keys)
    except Exception:  # a bug here must not end as "Task exception was never retrieved"
        log.exception("CDN purge of %d key(s) failed", len(keys))


async def drain(timeout: float = TIMEOUT_SECONDS + 1) -> None:
    """Wait (at most ``timeout`` seconds) for the purges under way to end."""
    if _pending:
        await asyncio.wait(set(_pending), timeout=timeout)


@hookimpl
def gqlnews_settings() -> list[PluginSetting]:
    return [
        PluginSetting(
            URL_ENV,
            "",
            "The CDN's purge endpoint: every cache purge POSTs its surrogate keys there as "
            '{"surrogate_keys": [...]}; empty: the CDN is not purged.',
        ),
        PluginSetting(TOKEN_ENV, "", "Sent as `Authorization: Bearer …` with each purge."),
    ]


@hookimpl
def gqlnews_startup() -> None:
    """Refuse a bad URL as the server starts (named in the log), not at the first purge."""
    endpoint = Endpoint.from_env()
    if endpoint is None:
        log.warning("%s is not set: the CDN will not be purged", URL_ENV)


@hookimpl
async def gqlnews_cache_purged(keys: list[str], background: bool) -> None:
    """Purge the CDN: in a server, in the background (the write's answer does not wait for
    it); in a command, which exits right after, before returning."""
    endpoint = Endpoint.from_env()
    if endpoint is None or not keys:
        return
    if not background:
        await _send_logged(endpoint, list(keys))
        return
    task = asyncio.get_running_loop().create_task(_send_logged(endpoint, list(keys)))
    _pending.add(task)
    task.add_done_callback(_pending.discard)


@hookimpl
async def gqlnews_shutdown() -> None:
    """Let the purges under way finish (each request is bounded by the timeout)."""
    await drain()
