"""Where an uncached request's time goes, per example page: parse, validate (with the cost check),
execution (resolvers, DataLoaders, SQL awaited), SQL alone, and the rest (HTTP view, JSON
encoding, middleware), with the resolved fields of the answer and the µs each costs.

Loads the demo newsroom into a temporary SQLite file (or uses ``--database-url``), builds the
app with the response cache and rate limits off, sends each page once to warm the parser and
validation caches, then sends it ``--requests`` times in process (no HTTP server) and prints
the mean of each phase:

    .venv/bin/python bench/profile_pages.py [--requests 200] [--page front-page] [--database-url U]

Phases are timed by a schema extension (its hooks run once per phase, not per field, so the
timing costs a few µs per request); SQL is the wall time during which at least one of the
database client's statements was awaited (side-by-side statements of DataLoader batches count
once; on SQLite they queue behind the one connection, so this includes that wait). "Resolved
fields" counts the keys of the answer's ``data``, which is what a resolver produced, nested
objects included. For a per-function breakdown, see profile_cache_hit.py's cProfile approach or
py-spy.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from example_pages import QUERIES, page_scope

PHASES = ("parse", "validate", "execute", "sql", "rest", "total")


@dataclasses.dataclass
class Clock:
    """Seconds per phase, summed over the requests sent."""

    seconds: dict[str, float] = dataclasses.field(default_factory=lambda: dict.fromkeys(PHASES, 0))
    statements: int = 0
    in_flight: int = 0
    since: float = 0.0


CLOCK = Clock()


def _timing_extension() -> type[Any]:
    from strawberry.extensions import SchemaExtension

    class PhaseTimer(SchemaExtension):
        def _timed(self, phase: str) -> Iterator[None]:
            started = time.perf_counter()
            yield
            CLOCK.seconds[phase] += time.perf_counter() - started

        def on_parse(self) -> Iterator[None]:
            yield from self._timed("parse")

        def on_validate(self) -> Iterator[None]:
            yield from self._timed("validate")

        def on_execute(self) -> Iterator[None]:
            yield from self._timed("execute")

    return PhaseTimer


def _time_sql(client_class: type[Any]) -> None:
    """Wrap the statement methods of the app's database client class to sum their awaited
    time (once, at the class the app uses: its parents' methods run inside)."""

    def wrap(original: Any) -> Any:
        async def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
            if CLOCK.in_flight == 0:
                CLOCK.since = time.perf_counter()
            CLOCK.in_flight += 1
            try:
                return await original(self, *args, **kwargs)
            finally:
                CLOCK.in_flight -= 1
                CLOCK.statements += 1
                if CLOCK.in_flight == 0:
                    CLOCK.seconds["sql"] += time.perf_counter() - CLOCK.since

        return timed

    for name in ("execute_query", "execute_query_dict", "execute_insert", "execute_many"):
        setattr(client_class, name, wrap(getattr(client_class, name)))


def _fields(value: Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(_fields(item) for item in value.values())
    if isinstance(value, list):
        return sum(_fields(item) for item in value)
    return 0


async def profile(database_url: str, pages: list[str], requests: int) -> None:
    from gqlnews.server import create_app
    from gqlnews.settings import Settings

    settings = Settings(
        database_url=database_url,
        log_level="WARNING",
        cache=False,
        rate_limit_per_minute=0,
        token_rate_limit_per_minute=0,
        scheduler_interval=0,
    )
    app = create_app(settings)
    schema = app.state.schema
    schema.extensions = (*schema.extensions, _timing_extension())
    body = bytearray()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    print(
        f"{'page':<16}{'fields':>7}{'SQL':>5}"
        + "".join(f"{phase + ' ms':>12}" for phase in PHASES)
        + f"{'µs/field':>10}"
    )
    async with app.router.lifespan_context(app):
        from tortoise import connections

        _time_sql(type(connections.get("default")))
        for page in pages:
            scope = page_scope(page)
            body.clear()
            await app(dict(scope), receive, send)  # warms the parser and validation caches
            answer = orjson.loads(bytes(body))
            assert "errors" not in answer, answer
            fields = _fields(answer["data"])
            global CLOCK
            CLOCK = Clock()
            started = time.perf_counter()
            for _ in range(requests):
                body.clear()
                await app(dict(scope), receive, send)
            CLOCK.seconds["total"] = time.perf_counter() - started
            spent = CLOCK.seconds
            spent["rest"] = spent["total"] - spent["parse"] - spent["validate"] - spent["execute"]
            mean = {phase: spent[phase] / requests * 1000 for phase in PHASES}
            print(
                f"{page:<16}{fields:>7}{CLOCK.statements // requests:>5}"
                + "".join(f"{mean[phase]:>12.2f}" for phase in PHASES)
                + f"{mean['total'] * 1000 / fields:>10.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", action="append", help="an example in examples/queries")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", help="a database with data (default: a fresh demo)")
    args = parser.parse_args()
    pages = args.page or sorted(path.stem for path in QUERIES.glob("*.graphql"))
    if args.database_url:
        asyncio.run(profile(args.database_url, pages, args.requests))
        return
    with tempfile.TemporaryDirectory(prefix="gqlnews-profile-") as folder:
        url = f"sqlite://{Path(folder) / 'demo.sqlite3'}"
        command = Path(sys.executable).with_name("gqlnews")
        subprocess.run(
            [str(command), "--database-url", url, "demo"], check=True, capture_output=True
        )
        asyncio.run(profile(url, pages, args.requests))


if __name__ == "__main__":
    main()
