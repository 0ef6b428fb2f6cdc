"""The plugin module registered under the ``gqlnews`` entry-point group.

It stays light (``gqlnews --help`` imports it to list ``gqlnews picks`` and ``slots``): the
GraphQL types, the models and the publishing checks are imported by the hooks that use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gqlnews.api import FieldCost, ModelApp, TypeExtension, hookimpl
from gqlnews_editorial import commands

if TYPE_CHECKING:
    import typer

    from gqlnews.api import Article


@hookimpl
def gqlnews_models() -> list[ModelApp]:
    return [ModelApp("editorial", ("gqlnews_editorial.models",), "gqlnews_editorial.migrations")]


@hookimpl
def gqlnews_schema_types() -> list[type]:
    from gqlnews_editorial.mutations import (
        EditorialClearSlotPayload,
        EditorialPick,
        EditorialPicksPayload,
        EditorialSlotPayload,
    )
    from gqlnews_editorial.schema import Editorial, EditorialSlot

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
    from gqlnews_editorial.mutations import EditorialMutations
    from gqlnews_editorial.schema import EditorialQuery

    return [
        TypeExtension("Query", EditorialQuery),
        TypeExtension("Mutation", EditorialMutations),
    ]


@hookimpl
def gqlnews_field_costs() -> list[FieldCost]:
    """``picks(first:)`` is sized by its argument (default 5); the rest by what it may hold."""
    from gqlnews_editorial.rules import MAX_PICKS

    return [
        FieldCost("Editorial.edito", weight=1),  # finds the latest published editorial
        FieldCost("Editorial.slots", size=10),
        FieldCost("EditorialPicksPayload.picks", size=MAX_PICKS),
    ]


@hookimpl
def gqlnews_register_commands(cli: typer.Typer) -> None:
    commands.register(cli)


@hookimpl
async def gqlnews_before_publish(article: Article) -> list[str]:
    from gqlnews_editorial import checks

    return await checks.publish_reasons(article)
