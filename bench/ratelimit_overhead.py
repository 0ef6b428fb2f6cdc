"""CPU cost of the rate-limit middleware per request, on a bare ASGI app (no GraphQL), with
in-process buckets and with Redis buckets. Run: .venv/bin/python bench/ratelimit_overhead.py
[redis://127.0.0.1:6379/2]"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

from gqlnews.ratelimit import RateLimits
from gqlnews.ratelimit.middleware import RateLimitMiddleware
from gqlnews.settings import Settings

N = 50_000


async def bare(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def noop_send(message: Any) -> None:
    return None


async def receive() -> Any:
    return {"type": "http.request", "body": b""}


def scope(n: int, token: bool) -> dict[str, Any]:
    headers = [(b"content-type", b"application/json"), (b"user-agent", b"bench")]
    if token:
        headers.append((b"authorization", b"Bearer gqna_0123456789ab_" + b"x" * 43))
    return {
        "type": "http",
        "path": "/graphql",
        "headers": headers,
        "client": (f"10.0.{n % 250}.{n % 200}", 1),
    }


async def run(app: Any, n: int, token: bool = False) -> float:
    scopes = [scope(i, token) for i in range(1000)]
    started = time.perf_counter()
    for i in range(n):
        await app(scopes[i % 1000], receive, noop_send)
    return (time.perf_counter() - started) / n * 1e6


async def main() -> None:
    huge = dict(rate_limit_per_minute=10**9, token_rate_limit_per_minute=10**9)
    base = await run(bare, N)
    local = RateLimitMiddleware(bare, RateLimits(Settings(**huge)))  # type: ignore[arg-type]
    print(f"bare ASGI app:                 {base:6.1f} µs/request")
    print(f"+ limiter, in-process, by IP:  {await run(local, N) - base:6.1f} µs/request added")
    print(
        f"+ limiter, in-process, token:  {await run(local, N, True) - base:6.1f} µs/request added"
    )
    if len(sys.argv) > 1:
        limits = RateLimits(Settings(redis_url=sys.argv[1], **huge))
        shared = RateLimitMiddleware(bare, limits)  # type: ignore[arg-type]
        print(
            f"+ limiter, Redis, by IP:       {await run(shared, 5000) - base:6.1f} µs/request added"
        )
        await limits.aclose()


asyncio.run(main())
