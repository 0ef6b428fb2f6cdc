"""CPU per request of the example pages with the catalog look-ups answering light rows
(:mod:`gqlnews.graphql.rows`, as shipped) or Tortoise's model instances (as before), in the
same process, requests alternating between the two, each page sent executed (as text) and
planned (with its APQ hash). Only this process's CPU time is counted (the aiosqlite thread
included), so other work on the cores moves the figures less than it moves the wall clock:

    cd bench && ../.venv/bin/python rows_cpu.py [--requests 60] [--database-url U] [--cases …]
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from run import both_ways, in_process_client, table_main, timed

VARIANTS = ("rows", "instances")
MODES = ("executed", "planned")


def _pairs(prepared: Any, target: str) -> Any:
    """A link look-up's ``fetch`` through Tortoise's instances (the link and its related
    instance, ``select_related``), as the loaders take them: (article id, instance)."""
    from gqlnews.graphql.prepared import Prepared

    async def fetch(viewer: Any, now: Any, keys: Any) -> list[tuple[int, Any]]:
        links = await Prepared.fetch(prepared, viewer, now, keys)
        return [(link.article_id, getattr(link, target)) for link in links]

    return fetch


@contextmanager
def variant(name: str) -> Iterator[None]:
    """With ``instances``, the loaders' look-ups make model instances (no reader) inside, as
    before light rows."""
    from gqlnews.graphql import loaders
    from gqlnews.graphql.prepared import Prepared
    from gqlnews.graphql.rows import Links

    looked_up = [p for p in vars(loaders).values() if isinstance(p, Prepared)]
    readers = {id(p): p._reader for p in looked_up}
    if name == "instances":
        for prepared in looked_up:
            if isinstance(prepared._reader, Links):
                prepared.fetch = _pairs(prepared, prepared._reader.target)  # type: ignore[method-assign]
            prepared._reader = None
    try:
        yield
    finally:
        for prepared in looked_up:
            prepared._reader = readers[id(prepared)]
            vars(prepared).pop("fetch", None)


async def measure(database_url: str, pages: list[str], requests: int) -> list[str]:
    """Rows of the results table: per page and mode, the median CPU ms of each variant."""
    rows = []
    async with in_process_client(database_url) as client:
        for page in pages:
            bodies = both_ways(page)
            answers = set()
            for name in VARIANTS:
                with variant(name):
                    for body in bodies.values():
                        answers.add((await client.post("/graphql", json=body)).content)
            if len(answers) != 1:
                raise SystemExit(f"{page}: the variants or modes answer differently")
            cpu: dict[tuple[str, str], list[float]] = {
                (mode, name): [] for mode in MODES for name in VARIANTS
            }
            for _ in range(requests):
                for mode, body in bodies.items():
                    for name in VARIANTS:
                        with variant(name):
                            cpu[mode, name].append((await timed(client, body))[0])
            for mode in MODES:
                rows_ms, models_ms = (statistics.median(cpu[mode, n]) for n in VARIANTS)
                rows.append(
                    f"| {page} | {mode} | {rows_ms:.2f} | {models_ms:.2f} | "
                    f"×{models_ms / rows_ms:.2f} |"
                )
                print(rows[-1], flush=True)
    return rows


def main() -> None:
    table_main(
        __doc__,
        "rows_cpu.py",
        measure,
        (
            "| page | mode | rows (ms) | instances (ms) | instances / rows |"
            "\n|---|---|---:|---:|---:|"
        ),
        requests=60,
    )


if __name__ == "__main__":
    main()
