"""Send the attack queries of issue #11 (items 1 and 2) to a running server; print the time of
each and its error code, and how long ``/healthz`` took to answer while they ran.

    .venv/bin/python bench/attacks.py http://127.0.0.1:8000 [--rounds 1] [--timeout 120]

Run it against the old code and the new one (e.g. ``make demo`` in each checkout). Queries:

- ``fanout-N``: fragments that each spread the next one twice, N levels (item 1), with fresh
  fragment names each round so that no validation cache helps;
- ``nested-20x3``: ``articles(first: 20)`` → sections → ``articles(first: 20)`` with
  ``totalCount`` → tags → ``articles(first: 20)`` (item 2);
- ``nested-100``: about 3.4 KB of nested connections with ``first: 100`` at each level;
- ``nested-20x2``: two levels of ``first: 20``, the heaviest of these a reader may still send.

Each query is sent alone while a second task polls ``/healthz`` every 50 ms; the line shows the
query's time, its ``extensions.code`` (``-`` when it ran without errors) and the slowest
``/healthz`` answer seen meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import time
from dataclasses import dataclass

import httpx


def fan_out(levels: int) -> str:
    prefix = "F" + secrets.token_hex(3)
    parts = [f"query {{ articles(first: 1) {{ nodes {{ ...{prefix}0 }} }} }}"]
    for i in range(levels):
        spreads = f"...{prefix}{i + 1} ...{prefix}{i + 1}" if i + 1 < levels else "title"
        parts.append(f"fragment {prefix}{i} on Article {{ id {spreads} }}")
    return "\n".join(parts)


NESTED_20X3 = """{ articles(first: 20) { nodes { sections { articles(first: 20) { totalCount nodes {
  tags { articles(first: 20) { totalCount nodes { title slug excerpt } } } } } } } } }"""

NESTED_20X2 = """{ articles(first: 20) { nodes { sections { articles(first: 20) { totalCount
  nodes { title slug } } } } } }"""

_TEASER = "id slug title subtitle excerpt publishedAt readingTimeMinutes image { url credit }"


def nested_100() -> str:
    """Nested connections with ``first: 100`` at each level, about 3.4 KB."""
    level3 = f"articles(first: 100) {{ totalCount nodes {{ {_TEASER} authors {{ name }} }} }}"
    level2 = (
        f"articles(first: 100) {{ totalCount nodes {{ {_TEASER} "
        f"tags {{ slug {level3} }} authors {{ slug {level3} }} }} }}"
    )
    level1 = (
        f"articles(first: 100) {{ totalCount nodes {{ {_TEASER} "
        f"sections {{ slug {level2} }} tags {{ slug {level2} }} authors {{ slug {level2} }} "
        f"primarySection {{ slug {level2} }} }} }}"
    )
    return (
        f"{{ a: {level1} s: sections {{ slug {level2} children {{ slug {level2} }} }} "
        f"e: latestEdition {{ {level2} }} }}"
    )


@dataclass
class Outcome:
    name: str
    size: int
    seconds: float
    code: str
    healthz_max_ms: float
    healthz_count: int


async def _poll_healthz(client: httpx.AsyncClient, stop: asyncio.Event) -> list[float]:
    times: list[float] = []
    while not stop.is_set():
        started = time.perf_counter()
        with contextlib.suppress(httpx.HTTPError):
            await client.get("/healthz")
        times.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.05)
    return times


async def _send(url: str, name: str, query: str, timeout: float) -> Outcome:
    limits = httpx.Timeout(timeout)
    async with (
        httpx.AsyncClient(base_url=url, timeout=limits) as attacker,
        httpx.AsyncClient(base_url=url, timeout=limits) as prober,
    ):
        stop = asyncio.Event()
        poller = asyncio.create_task(_poll_healthz(prober, stop))
        await asyncio.sleep(0.1)
        started = time.perf_counter()
        try:
            response = await attacker.post("/graphql", json={"query": query})
            body = response.json()
            errors = body.get("errors") if isinstance(body, dict) else None
            code = str(errors[0].get("extensions", {}).get("code")) if errors else "-"
            if response.status_code != 200:
                code = f"HTTP {response.status_code} {code}"
        except httpx.HTTPError as exc:
            code = f"{type(exc).__name__}"
        seconds = time.perf_counter() - started
        stop.set()
        healthz = await poller
    return Outcome(name, len(query), seconds, code, max(healthz, default=0.0), len(healthz))


def _queries() -> list[tuple[str, str]]:
    return [
        ("fanout-17", fan_out(17)),
        ("fanout-20", fan_out(20)),
        ("nested-20x2", NESTED_20X2),
        ("nested-20x3", NESTED_20X3),
        ("nested-100", nested_100()),
    ]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per query")
    args = parser.parse_args()
    print(f"{'query':<12} {'bytes':>6} {'seconds':>9} {'healthz max ms':>15} {'polls':>6}  code")
    for _ in range(args.rounds):
        for name, query in _queries():
            outcome = await _send(args.url.rstrip("/"), name, query, args.timeout)
            print(
                f"{outcome.name:<12} {outcome.size:>6} {outcome.seconds:>9.3f} "
                f"{outcome.healthz_max_ms:>15.1f} {outcome.healthz_count:>6}  {outcome.code}"
            )


if __name__ == "__main__":
    asyncio.run(main())
