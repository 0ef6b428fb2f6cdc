"""One webhook attempt: sign the body (Standard Webhooks), resolve and check the address, POST
to that address with the whole attempt under one deadline, redirects not followed.

A 2xx answer is a delivery; anything else (another status, a refused address, a timeout, a
connection error) is a failed attempt, recorded with what is known.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from standardwebhooks.webhooks import Webhook

from gqlnews.webhooks.addresses import (
    AddressRefused,
    IPAddress,
    Resolver,
    parse_url,
    resolve,
    system_resolver,
)

EXCERPT_BYTES = 1024
"""Most bytes of an answer's body kept with its attempt."""
USER_AGENT = "gqlnews-webhooks"


@dataclass(frozen=True, slots=True)
class Result:
    """What one attempt came to."""

    status_code: int | None
    duration_ms: int
    excerpt: str = ""
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signed_headers(secret: str, message_id: str, body: str, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers of ``body`` signed with ``secret`` at ``at``."""
    signature = Webhook(secret).sign(message_id, at, body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def _pinned(url: str, address: IPAddress) -> tuple[str, dict[str, str], dict[str, str]]:
    """The URL with its host replaced by ``address``, the ``Host`` header, and the request
    extensions that keep TLS checking the name (SNI and certificate)."""
    target = parse_url(url)
    host = f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)
    netloc = f"{host}:{target.port}"
    pinned = target.parts._replace(netloc=netloc).geturl()
    named = target.parts.netloc.rsplit("@", 1)[-1]
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    return pinned, {"host": named}, extensions


async def send(
    client: httpx.AsyncClient,
    url: str,
    message_id: str,
    body: str,
    secret: str,
    *,
    timeout: float,
    allow_private: bool,
    resolver: Resolver = system_resolver,
) -> Result:
    """One attempt to deliver ``body`` to ``url``, all of it (resolving, connecting, the
    answer) within ``timeout`` seconds."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        async with asyncio.timeout(timeout):
            address = await resolve(parse_url(url), allow_private, resolver)
            pinned, host, extensions = _pinned(url, address)
            headers = {**signed_headers(secret, message_id, body, datetime.now(UTC)), **host}
            request = client.build_request(
                "POST", pinned, content=body.encode(), headers=headers, extensions=extensions
            )
            response = await client.send(request, stream=True, follow_redirects=False)
            try:
                excerpt = b""
                async for chunk in response.aiter_bytes():
                    excerpt += chunk
                    if len(excerpt) >= EXCERPT_BYTES:
                        break
            finally:
                await response.aclose()
    except AddressRefused as exc:
        return Result(None, took(), error=f"refused: {exc}")
    except (TimeoutError, httpx.TimeoutException):
        return Result(None, took(), error=f"timeout: no answer within {timeout:g} s")
    except httpx.HTTPError as exc:
        return Result(None, took(), error=f"{type(exc).__name__}: {exc}"[:500])
    text = excerpt[:EXCERPT_BYTES].decode("utf-8", "replace")
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    if 300 <= response.status_code < 400:
        error += " (redirects are not followed)"
    return Result(response.status_code, took(), text, error)


def client(timeout: float) -> httpx.AsyncClient:
    """The dispatcher's HTTP client: no proxies or netrc from the environment, no redirects."""
    return httpx.AsyncClient(
        timeout=timeout, follow_redirects=False, trust_env=False, headers={"accept": "*/*"}
    )
