"""CPU per request of queries sent as text, executed vs run as plans (the server's default),
in process: for a text seen for the first time (each request's text made new by a comment,
so its parsing, validation and shape are paid each time) and for the same text repeated.

Loads the demo newsroom into a temporary SQLite file (or uses ``--database-url``), builds the
app with the response cache off, then for each page alternates the two ways request by
request (plans for text turned off and on in the view between requests), first with new
texts, then with one text, and prints median CPU milliseconds per request:

    .venv/bin/python bench/text_plans.py [--requests 60] [--database-url U] [--cases …]

The answers of both ways are compared first (the same bytes), as the tests do.
"""

from __future__ import annotations

import dataclasses
import statistics
from pathlib import Path
from typing import Any

import httpx
from run import case_body, in_process_client, table_main, timed

WAYS = ("executed", "planned")


def _view(client: httpx.AsyncClient) -> Any:
    app: Any = client._transport.app  # type: ignore[attr-defined]
    return next(r.endpoint for r in app.routes if getattr(r, "path", "") == "/graphql")


async def _cpu(client: httpx.AsyncClient, body: dict[str, Any]) -> float:
    spent, answer = await timed(client, body)
    if answer.status_code != 200 or b'"errors"' in answer.content:
        raise SystemExit(f"an error: {answer.text[:300]}")
    return spent


async def measure(database_url: str, pages: list[str], requests: int) -> list[str]:
    rows = []
    async with in_process_client(database_url, plans_for_text=True) as client:
        view = _view(client)
        settings = {
            way: dataclasses.replace(view.settings, plans_for_text=way == "planned") for way in WAYS
        }
        for page in pages:
            body = case_body(page)
            answers = set()
            for way in WAYS:
                view.settings = settings[way]
                answers.add((await client.post("/graphql", json=body)).content)
            if len(answers) != 1:
                raise SystemExit(f"{page}: the answers differ")
            new: dict[str, list[float]] = {way: [] for way in WAYS}
            same: dict[str, list[float]] = {way: [] for way in WAYS}
            for index in range(requests):
                for way in WAYS:
                    view.settings = settings[way]
                    fresh = {**body, "query": f"# {way} {index}\n{body['query']}"}
                    new[way].append(await _cpu(client, fresh))
            for _ in range(requests):
                for way in WAYS:
                    view.settings = settings[way]
                    same[way].append(await _cpu(client, body))
            med_new = {way: statistics.median(new[way]) for way in WAYS}
            med_same = {way: statistics.median(same[way]) for way in WAYS}
            rows.append(
                f"| {Path(page).stem} | {med_new['executed']:.1f} | {med_new['planned']:.1f} | "
                f"{med_same['executed']:.1f} | {med_same['planned']:.1f} |"
            )
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    table_main(
        __doc__,
        "text_plans.py",
        measure,
        (
            "| page | new text executed | new text planned | same text executed | "
            "same text planned |\n|---|---:|---:|---:|---:|"
        ),
        requests=60,
    )


if __name__ == "__main__":
    main()
