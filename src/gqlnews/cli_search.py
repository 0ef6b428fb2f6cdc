"""``gqlnews search …``: the full-text index.

``gqlnews search reindex`` recomputes every article's search terms (:mod:`gqlnews.analysis`)
from its stored text; the index follows. Migration ``0009_search_analysis`` does the same once;
run the command again after an upgrade that changes the analysis (a new PyStemmer release, a
new rule), on a live database if need be: readers keep searching the old terms of an article
until its batch is written.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer

from gqlnews.command_database import run_on_database
from gqlnews.settings import Settings

search_app = typer.Typer(
    help="The full-text search index: reindex after the analysis changed.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@search_app.command("reindex")
def reindex_command(
    ctx: typer.Context,
    batch: Annotated[
        int, typer.Option(min=1, max=10_000, help="Articles read and written per batch.")
    ] = 500,
) -> None:
    """Recompute the search terms of every article (French and Arabic analysis)."""
    settings: Settings = ctx.obj

    async def work() -> tuple[int, int]:
        from gqlnews import db, search_index

        return await search_index.reindex(db.connection(), batch=batch)

    started = time.perf_counter()
    analysed, changed = run_on_database(settings, work)
    seconds = time.perf_counter() - started
    typer.echo(f"analysed {analysed} articles, {changed} with new terms, in {seconds:.1f} s")


def register(app: typer.Typer) -> None:
    """Add ``search`` to the ``gqlnews`` command."""
    app.add_typer(search_app, name="search")
