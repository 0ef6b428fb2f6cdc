"""The plugin module registered under the ``gqlnews`` entry-point group.

It stays light (``gqlnews --help`` imports it to list ``gqlnews related``): the models, the
strategies, the text index and Starlette are imported by the hooks that use them.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from gqlnews.api import ModelApp, PluginSetting, Settings, hookimpl
from gqlnews_related.indexer import (
    DEFAULT_INTERVAL,
    INTERVAL_ENV,
    BackgroundIndexer,
    interval_from_env,
)

if TYPE_CHECKING:
    from datetime import datetime

    import typer
    from starlette.applications import Starlette

    from gqlnews.api import Article, RelatedStrategy


@hookimpl
def gqlnews_related_strategies() -> list[RelatedStrategy]:
    from gqlnews_related.blend import Blend
    from gqlnews_related.section_time import SectionTime
    from gqlnews_related.shared_tags import SharedTags
    from gqlnews_related.text_similarity import TextSimilarity

    text, tags, section = TextSimilarity(), SharedTags(), SectionTime()
    return [Blend([(text, 0.5), (tags, 0.35), (section, 0.15)]), text, tags, section]


@hookimpl
def gqlnews_settings() -> list[PluginSetting]:
    return [
        PluginSetting(
            INTERVAL_ENV,
            f"{DEFAULT_INTERVAL:g}",
            "Seconds between the rounds of each server process's text indexer (articles "
            "written outside the publishing path); 0 turns it off.",
        )
    ]


@hookimpl
def gqlnews_models() -> list[ModelApp]:
    return [ModelApp("related", ("gqlnews_related.models",), "gqlnews_related.migrations")]


@hookimpl
def gqlnews_startup(app: Starlette, settings: Settings) -> None:
    indexer = BackgroundIndexer(interval_from_env())
    app.state.related_indexer = indexer
    indexer.start()


@hookimpl
async def gqlnews_shutdown(app: Starlette) -> None:
    indexer: BackgroundIndexer | None = getattr(app.state, "related_indexer", None)
    if indexer is not None:
        await indexer.stop()


@hookimpl
async def gqlnews_after_publish(article: Article) -> None:
    """A published article is similar to others at once, not at the next round."""
    from gqlnews_related.text_index import index_now

    await index_now([article.pk])


@hookimpl
def gqlnews_register_commands(cli: typer.Typer) -> None:
    from gqlnews_related.commands import related_cli

    cli.add_typer(related_cli, name="related")


@hookimpl
async def gqlnews_demo_loaded(now: datetime) -> None:
    """Index the demo at once, so its first page already has related articles."""
    from gqlnews_related.text_index import index_stale

    await index_stale()


@hookimpl
async def gqlnews_archive_imported(article_ids: list[int]) -> str:
    """Index what ``gqlnews import`` wrote before it returns, not in the server's next rounds."""
    from gqlnews_related.text_index import index_imported

    started = time.perf_counter()
    count = await index_imported(article_ids)
    return f"text index: {count} article(s) indexed in {time.perf_counter() - started:.1f} s"
