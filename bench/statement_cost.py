"""What one small read costs this process on PostgreSQL, by the way it is sent: through
Tortoise's own ``execute_query``, through gqlnews's client (its short way for reads: an idle
connection of the read lane, :mod:`gqlnews.db_clients.lanes`), through a connection taken from
the pool and given back around the statement (by hand), and on a connection held for many.

    .venv/bin/python bench/statement_cost.py --database-url postgres://…/bench_10k \\
        [--statements 1000] [--rounds 5]

Starts the app in process (its lifespan opens Tortoise's pool), then for each round sends
``--statements`` times the same catalog look-up (three sections by key, the shape of a
request's loader statements) each way, one way after the other, and prints the median CPU
microseconds of this process per statement (PostgreSQL's own work is not counted). The
difference between the first and the third is Tortoise's wrapping (its lock, log line and
error translation); between the last two, taking and giving back a pooled connection.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

from run import in_process_client
from tortoise import connections
from tortoise.backends.asyncpg.client import AsyncpgDBClient

SQL = 'SELECT "id","slug","name","parent_id" FROM "section" WHERE "id" = ANY($1)'


async def measure(database_url: str, statements: int, rounds: int) -> dict[str, float]:
    async with in_process_client(database_url, request_timeout_ms=0):
        db = connections.get("default")
        if db.capabilities.dialect != "postgres":
            raise SystemExit("a PostgreSQL --database-url is needed")
        params = [[1, 2, 3]]
        held = await db._pool.acquire()

        async def tortoise() -> None:
            await AsyncpgDBClient.execute_query(db, SQL, params)

        async def gqlnews() -> None:
            await db.execute_query(SQL, params)

        async def pooled() -> None:
            async with db._pool.acquire() as connection:
                await connection.fetch(SQL, *params)

        async def on_held() -> None:
            await held.fetch(SQL, *params)

        ways: dict[str, Callable[[], Awaitable[None]]] = {
            "Tortoise's execute_query": tortoise,
            "gqlnews's execute_query": gqlnews,
            "pool, acquire and release": pooled,
            "held connection": on_held,
        }
        spent: dict[str, list[float]] = {name: [] for name in ways}
        try:
            for _ in range(rounds):
                for name, way in ways.items():
                    started = time.process_time()
                    for _ in range(statements):
                        await way()
                    spent[name].append((time.process_time() - started) / statements * 1e6)
        finally:
            await db._pool.release(held)
    return {name: statistics.median(values) for name, values in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    medians = asyncio.run(measure(args.database_url, args.statements, args.rounds))
    print("| way | µs of CPU per statement (median) |\n|---|---:|")
    for name, value in medians.items():
        print(f"| {name} | {value:.1f} |")


if __name__ == "__main__":
    main()
