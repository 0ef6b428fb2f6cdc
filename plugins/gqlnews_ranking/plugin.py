"""The plugin module registered under the ``gqlnews`` entry-point group: its table, its
strategies, ``recordView``, the view recorder's life and ``gqlnews views``."""

from datetime import datetime

import typer
from starlette.applications import Starlette

from gqlnews import Settings, hookimpl
from gqlnews.db import ModelApp
from gqlnews.plugins.hookspecs import TypeExtension
from gqlnews.plugins.strategies import RankingStrategy
from gqlnews_ranking.cli import views_app
from gqlnews_ranking.gravity import Gravity
from gqlnews_ranking.history import seed_from_counts
from gqlnews_ranking.most_read import MostRead
from gqlnews_ranking.mutations import MutationRecordView, RecordedView
from gqlnews_ranking.recorder import STATE, ViewRecorder, make_recorder
from gqlnews_ranking.trending import Trending


@hookimpl
def gqlnews_models() -> list[ModelApp]:
    return [ModelApp("ranking", ("gqlnews_ranking.models",), "gqlnews_ranking.migrations")]


@hookimpl
def gqlnews_ranking_strategies() -> list[RankingStrategy]:
    return [MostRead(), Gravity(), Trending()]


@hookimpl
def gqlnews_schema_types() -> list[type]:
    return [RecordedView]


@hookimpl
def gqlnews_extend_types() -> list[TypeExtension]:
    return [TypeExtension("Mutation", MutationRecordView)]


@hookimpl
async def gqlnews_startup(app: Starlette, settings: Settings) -> None:
    recorder = make_recorder(settings)
    setattr(app.state, STATE, recorder)
    recorder.start()


@hookimpl
async def gqlnews_shutdown(app: Starlette) -> None:
    recorder: ViewRecorder | None = getattr(app.state, STATE, None)
    if recorder is not None:
        await recorder.close()
        delattr(app.state, STATE)


@hookimpl
def gqlnews_register_commands(cli: typer.Typer) -> None:
    cli.add_typer(views_app, name="views")


@hookimpl
async def gqlnews_demo_loaded(now: datetime) -> None:
    """The demo's articles carry total view counts: spread them into buckets."""
    await seed_from_counts(now)
