"""The plugin module registered under the ``gqlnews`` entry-point group."""

from datetime import datetime

import typer
from starlette.applications import Starlette

from gqlnews import hookimpl
from gqlnews.db import ModelApp
from gqlnews.models import Article
from gqlnews.plugins.strategies import RelatedStrategy
from gqlnews.settings import Settings
from gqlnews_related.blend import Blend
from gqlnews_related.indexer import BackgroundIndexer, interval_from_env
from gqlnews_related.section_time import SectionTime
from gqlnews_related.shared_tags import SharedTags
from gqlnews_related.text_index import index_now, index_stale
from gqlnews_related.text_similarity import TextSimilarity


@hookimpl
def gqlnews_related_strategies() -> list[RelatedStrategy]:
    text, tags, section = TextSimilarity(), SharedTags(), SectionTime()
    return [Blend([(text, 0.5), (tags, 0.35), (section, 0.15)]), text, tags, section]


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
    await index_now([article.pk])


@hookimpl
def gqlnews_register_commands(cli: typer.Typer) -> None:
    from gqlnews_related.commands import related_cli

    cli.add_typer(related_cli, name="related")


@hookimpl
async def gqlnews_demo_loaded(now: datetime) -> None:
    """Index the demo at once, so its first page already has related articles."""
    await index_stale()
