"""Relay ``node`` and ``nodes``: any object by global ID, through the same loaders as lists.

The loaders apply :mod:`gqlnews.visibility`: an object the reader may not see (a draft, a
future edition, a picture nothing visible uses) is null, exactly like an unknown id.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from gqlnews.cache import keys
from gqlnews.cache.deps import depends_on
from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.loaders import Loaders
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.author import Author
from gqlnews.graphql.types.edition import Edition
from gqlnews.graphql.types.image import Image
from gqlnews.graphql.types.node import Node
from gqlnews.graphql.types.section import Section
from gqlnews.graphql.types.supplement import Supplement
from gqlnews.graphql.types.tag import Tag
from gqlnews.ids import decode_id

MAX_NODES = 100

_Resolver = Callable[[Loaders, int], Awaitable[Node | None]]


def _via(loader_name: str, convert: Callable[[Any], Node]) -> _Resolver:
    async def resolve(loaders: Loaders, pk: int) -> Node | None:
        row = await getattr(loaders, loader_name).load(pk)
        return convert(row) if row is not None else None

    return resolve


_RESOLVERS: dict[str, _Resolver] = {
    "Article": _via("article", Article.from_model),
    "Section": _via("section", Section.from_model),
    "Author": _via("author", Author.from_model),
    "Tag": _via("tag", Tag.from_model),
    "Edition": _via("edition", Edition.from_model),
    "Supplement": _via("supplement", Supplement.from_model),
    "Image": _via("image", Image.from_model),
}


async def _resolve(info: Info, global_id: str, argument: str) -> Node | None:
    type_name, pk = decode_id(global_id, argument=argument)
    depends_on(keys.entity(type_name, pk))
    if type_name == "Image":
        depends_on(*keys.IMAGE_USES)
    return await _RESOLVERS[type_name](info.context.loaders, pk)


@strawberry.type
class NodeQueries:
    @strawberry.field(description="Any object by its global ID; null if unknown or not visible.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await _resolve(info, id, "id")

    @strawberry.field(description=f"Objects by global ID, in order (at most {MAX_NODES}).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise BadUserInput(f"ids must hold at most {MAX_NODES} IDs", argument="ids")
        return list(await asyncio.gather(*(_resolve(info, i, "ids") for i in ids)))
