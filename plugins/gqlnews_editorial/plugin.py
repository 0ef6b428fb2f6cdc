"""The plugin module registered under the ``gqlnews`` entry-point group."""

import typer

from gqlnews import hookimpl
from gqlnews.db import ModelApp
from gqlnews.models import Article
from gqlnews.plugins.hookspecs import TypeExtension
from gqlnews_editorial import checks, commands
from gqlnews_editorial.mutations import (
    EditorialClearSlotPayload,
    EditorialMutations,
    EditorialPick,
    EditorialPicksPayload,
    EditorialSlotPayload,
)
from gqlnews_editorial.schema import Editorial, EditorialQuery, EditorialSlot


@hookimpl
def gqlnews_models() -> list[ModelApp]:
    return [ModelApp("editorial", ("gqlnews_editorial.models",), "gqlnews_editorial.migrations")]


@hookimpl
def gqlnews_schema_types() -> list[type]:
    return [
        Editorial,
        EditorialSlot,
        EditorialPick,
        EditorialPicksPayload,
        EditorialSlotPayload,
        EditorialClearSlotPayload,
    ]


@hookimpl
def gqlnews_extend_types() -> list[TypeExtension]:
    return [
        TypeExtension("Query", EditorialQuery),
        TypeExtension("Mutation", EditorialMutations),
    ]


@hookimpl
def gqlnews_register_commands(cli: typer.Typer) -> None:
    commands.register(cli)


@hookimpl
async def gqlnews_before_publish(article: Article) -> list[str]:
    return await checks.publish_reasons(article)
