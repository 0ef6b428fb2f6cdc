"""The plugin module registered under the ``gqlnews`` entry-point group: its table, its
strategies, ``recordView``, the view recorder's life and ``gqlnews views``.

It stays light (``gqlnews --help`` imports it to list ``gqlnews views``): the strategies, the
GraphQL types, the recorder (Redis, Starlette) and the history are imported by the hooks that
use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gqlnews.api import FieldCost, ModelApp, PluginSetting, Settings, TypeExtension, hookimpl
from gqlnews_ranking.config import (
    CACHE_SECONDS_ENV,
    FLUSH_SECONDS_ENV,
    REDIS_KEY_ENV,
    RankingConfig,
)

if TYPE_CHECKING:
    from datetime import datetime

    import typer
    from starlette.applications import Starlette

    from gqlnews.api import RankingStrategy
    from gqlnews_ranking.recorder import ViewRecorder


@hookimpl
def gqlnews_settings() -> list[PluginSetting]:
    defaults = RankingConfig()
    return [
        PluginSetting(
            FLUSH_SECONDS_ENV,
            f"{defaults.flush_seconds:g}",
            "Seconds between writes of the counted views to the database (0 < s ≤ 3600).",
        ),
        PluginSetting(
            REDIS_KEY_ENV,
            defaults.redis_key,
            "Redis hash where the server processes count views when GQLNEWS_REDIS_URL is set; "
            "give each deployment sharing one Redis its own key.",
        ),
        PluginSetting(
            CACHE_SECONDS_ENV,
            f"{defaults.cache_seconds:g}",
            "Seconds the response cache may keep a ranking computed from view counts "
            "(mostRead, every strategy), which no write purges, and each server process the "
            "scores it read (its own flushes forget them); 0 to 3600, 0: never kept.",
        ),
    ]


@hookimpl
def gqlnews_models() -> list[ModelApp]:
    return [ModelApp("ranking", ("gqlnews_ranking.models",), "gqlnews_ranking.migrations")]


@hookimpl
def gqlnews_ranking_strategies() -> list[RankingStrategy]:
    from gqlnews_ranking.gravity import Gravity
    from gqlnews_ranking.most_read import MostRead
    from gqlnews_ranking.trending import Trending

    seconds = RankingConfig.from_env().cache_seconds  # a bad value is refused, named
    return [MostRead(seconds), Gravity(seconds), Trending(seconds)]


@hookimpl
def gqlnews_schema_types() -> list[type]:
    from gqlnews_ranking.mutations import RecordedView

    return [RecordedView]


@hookimpl
def gqlnews_extend_types() -> list[TypeExtension]:
    from gqlnews_ranking.mutations import MutationRecordView

    return [TypeExtension("Mutation", MutationRecordView)]


@hookimpl
def gqlnews_field_costs() -> list[FieldCost]:
    """``recordView`` only counts a read in memory (or Redis): cheaper than other writes."""
    return [FieldCost("Mutation.recordView", weight=1)]


@hookimpl
async def gqlnews_startup(app: Starlette, settings: Settings) -> None:
    from gqlnews_ranking.recorder import STATE, make_recorder

    recorder = make_recorder(settings)
    setattr(app.state, STATE, recorder)
    recorder.start()


@hookimpl
async def gqlnews_shutdown(app: Starlette) -> None:
    from gqlnews_ranking.recorder import STATE

    recorder: ViewRecorder | None = getattr(app.state, STATE, None)
    if recorder is not None:
        await recorder.close()
        delattr(app.state, STATE)


@hookimpl
def gqlnews_register_commands(cli: typer.Typer) -> None:
    from gqlnews_ranking.cli import views_app

    cli.add_typer(views_app, name="views")


@hookimpl
async def gqlnews_demo_loaded(now: datetime) -> None:
    """The demo's articles carry total view counts: spread them into buckets."""
    from gqlnews_ranking.history import seed_from_counts

    await seed_from_counts(now)
