"""CPU per executed request of the example pages, with each prebuilt-statement lever turned
on or off in the same process, requests alternating between the variants.

Variants: ``all`` (as shipped), ``no-loaders`` (the DataLoaders' look-ups built by Tortoise
each time: :class:`gqlnews.graphql.prepared.Prepared` runs its queryset), ``no-pages`` (the
article lists' pages built by Tortoise each time: :class:`~gqlnews.graphql.prepared.Template`
runs its queryset) and ``none`` (both). Only this process's CPU time is counted, so other work
on the cores moves the figures less than it moves the wall clock:

    cd bench && ../.venv/bin/python executed_cpu.py [--requests 60] [--cases front-page …]
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from run import _payload, in_process_client, table_main, timed

VARIANTS = ("all", "no-loaders", "no-pages", "none")


@contextmanager
def variant(name: str) -> Iterator[None]:
    """Turn the levers ``name`` leaves out off (the queryset runs instead) while inside."""
    from gqlnews.graphql.prepared import Prepared, Template

    saved = (Prepared.fetch, Template.fetch)

    async def built(self: Prepared, viewer: Any, now: datetime, keys: Sequence[int]) -> Any:
        return await self.built(viewer, now, keys) if keys else []

    async def built_page(self: Template, shape: Any, values: Sequence[Any], build: Any) -> Any:
        return list(await build(values))

    if name in ("no-loaders", "none"):
        Prepared.fetch = built  # type: ignore[method-assign]
    if name in ("no-pages", "none"):
        Template.fetch = built_page  # type: ignore[method-assign]
    try:
        yield
    finally:
        Prepared.fetch, Template.fetch = saved  # type: ignore[method-assign]


async def measure(database_url: str, pages: list[str], requests: int) -> list[str]:
    """Rows of the results table: per page, the median CPU ms of each variant."""
    rows = []
    async with in_process_client(database_url) as client:
        for page in pages:
            body = _payload(page)
            answers = set()
            for name in VARIANTS:
                with variant(name):
                    for _ in range(3):
                        answers.add((await client.post("/graphql", json=body)).content)
            if len(answers) != 1:
                raise SystemExit(f"{page}: the variants answer differently")
            cpu: dict[str, list[float]] = {name: [] for name in VARIANTS}
            for _ in range(requests):
                for name in VARIANTS:
                    with variant(name):
                        cpu[name].append((await timed(client, body))[0])
            med = {name: statistics.median(values) for name, values in cpu.items()}
            cells = " | ".join(f"{med[name]:.1f}" for name in VARIANTS)
            rows.append(f"| {page} | {cells} | ×{med['none'] / med['all']:.2f} |")
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    table_main(
        __doc__,
        "executed_cpu.py",
        measure,
        (
            "| page | " + " | ".join(f"{name} (ms)" for name in VARIANTS) + " | none / all |"
            "\n|---|---:|---:|---:|---:|---:|"
        ),
        requests=60,
    )


if __name__ == "__main__":
    main()
