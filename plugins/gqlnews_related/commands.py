"""``gqlnews related index|evaluate``: the text index and the strategies' quality."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gqlnews.api import Settings, run_on_database

if TYPE_CHECKING:
    from gqlnews_related.evaluation import Precision

# ``gqlnews --help`` imports this module to list ``related``: what the commands need (the
# models, the text index, the evaluation, the app) is imported when they run.

related_cli = typer.Typer(
    help="The related-articles plugin.", no_args_is_help=True, rich_markup_mode=None
)


@related_cli.command("index")
def index_command(
    ctx: typer.Context,
    rebuild: Annotated[
        bool,
        typer.Option(
            help="Drop the index and build it again from every article, and count the "
            "articles again."
        ),
    ] = False,
) -> None:
    """Index new and changed articles now (the server also does it in the background).

    Run it after a large import so the first requests find every article.
    """
    settings: Settings = ctx.obj
    started = time.perf_counter()
    count = run_on_database(settings, lambda: _index(rebuild))
    typer.echo(f"text index: {count} article(s) indexed in {time.perf_counter() - started:.1f} s")


async def _index(rebuild: bool) -> int:
    from gqlnews_related import tallies
    from gqlnews_related.models import TextDocument
    from gqlnews_related.text_index import index_stale

    if rebuild:
        await TextDocument.all().delete()
        await tallies.recount()
    return await index_stale()


@related_cli.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    archive: Annotated[
        Path, typer.Argument(help="The archive the database was imported from (.jsonl).")
    ],
    strategy: Annotated[
        list[str] | None, typer.Option(help="A strategy to measure (repeat; default: all).")
    ] = None,
    k: Annotated[int, typer.Option(min=1, max=20, help="Suggestions per article.")] = 4,
) -> None:
    """Precision@k of the related strategies against the stories of ARCHIVE.

    Stories are recovered from the archive's text (see gqlnews_related.evaluation); the
    suggestions are asked from the API, as a reader's browser would.
    """
    from gqlnews_related.evaluation import read_articles, story_labels

    settings: Settings = ctx.obj
    try:
        labels = story_labels(read_articles(archive))
    except (OSError, ValueError, KeyError) as exc:
        typer.echo(f"error: cannot read {archive}: {exc}", err=True)
        raise typer.Exit(2) from None
    run_on_database(settings, _nothing)  # a database that cannot serve: error, fix, exit 2
    results = asyncio.run(_evaluate(settings, labels, strategy, k))
    typer.echo(f"{len(set(labels.values()))} stories in {archive.name}")
    typer.echo(f"{'strategy':<16} precision@{k}  articles")
    for result in results:
        typer.echo(f"{result.strategy:<16} {result.precision:>11.3f}  {result.articles:>8}")


async def _nothing() -> None:
    """The work of a command that only checks that its database can be used."""


async def _evaluate(
    settings: Settings, labels: dict[str, int], names: list[str] | None, k: int
) -> list[Precision]:
    from gqlnews.api import in_process_client  # the whole app, asked through httpx
    from gqlnews_related.evaluation import precision_at_k

    async with in_process_client(settings) as api:
        offered = await api.data("{ relatedStrategies { name } }")
        known = [s["name"] for s in offered["relatedStrategies"]]
        unknown = sorted(set(names or []) - set(known))
        if unknown:
            typer.echo(f"error: unknown strategies {unknown} (known: {known})", err=True)
            raise typer.Exit(2)
        return await precision_at_k(api, names or known, labels, k)
