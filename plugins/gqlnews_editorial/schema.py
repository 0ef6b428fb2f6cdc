"""The GraphQL side: ``Query.editorial`` and its ``Editorial`` and ``EditorialSlot`` types.

Thin fields: the reading is done by :class:`~gqlnews_editorial.board.Board`, the limits by
:mod:`gqlnews_editorial.rules`. Resolvers are plain functions passed as ``resolver=`` (the
decorator form of ``strawberry.field`` is untyped for mypy outside the core's GraphQL package).
"""

from datetime import datetime

import strawberry

from gqlnews.api import ArticleType, BadUserInput, Info, Refused, depends_on
from gqlnews_editorial.board import Board
from gqlnews_editorial.caching import EDITORIAL_KEY
from gqlnews_editorial.rules import (
    DEFAULT_PICKS,
    MAX_PICKS,
    MAX_SLOT_NAME_LENGTH,
    check_first,
    check_slot_name,
)


def _bad_input(refused: Refused) -> BadUserInput:
    [problem] = refused.problems
    return BadUserInput(problem.message, argument=problem.field)


@strawberry.type(description="A named front-page slot and the article the editors put there.")
class EditorialSlot:
    name: str = strawberry.field(description="The slot's name, e.g. une-principale.")
    article: ArticleType
    starts_at: datetime | None = strawberry.field(
        description="When the slot shows its article from, if the editors said so."
    )
    expires_at: datetime | None = strawberry.field(
        description="When the slot empties, if the editors said so."
    )


async def _edito(root: "Editorial") -> ArticleType | None:
    article = await root.board.edito()
    return ArticleType.from_model(article) if article else None


async def _picks(root: "Editorial", first: int = DEFAULT_PICKS) -> list[ArticleType]:
    try:
        check_first(first)
    except Refused as exc:
        raise _bad_input(exc) from None
    return [ArticleType.from_model(a) for a in await root.board.picks(first)]


async def _slot(root: "Editorial", name: str) -> ArticleType | None:
    try:
        check_slot_name(name)
    except Refused as exc:
        raise _bad_input(exc) from None
    shown = await root.board.slot(name)
    return ArticleType.from_model(shown.article) if shown else None


async def _slots(root: "Editorial") -> list[EditorialSlot]:
    return [
        EditorialSlot(
            name=s.name,
            article=ArticleType.from_model(s.article),
            starts_at=s.starts_at,
            expires_at=s.expires_at,
        )
        for s in await root.board.slots()
    ]


@strawberry.type(
    description=(
        "The editors' choices for the front page, as the reader sees them now: articles the "
        "reader may not see, expired picks and slots, and those not started yet are left out."
    )
)
class Editorial:
    board: strawberry.Private[Board]
    edito: ArticleType | None = strawberry.field(
        resolver=_edito, description="The edito of the day: the latest published editorial."
    )
    picks: list[ArticleType] = strawberry.field(
        resolver=_picks,
        description=f"The editors' picks, in their order (first: 1 to {MAX_PICKS}).",
    )
    slot: ArticleType | None = strawberry.field(
        resolver=_slot,
        description=(
            "The article in the slot `name` (lower-case words and hyphens, at most "
            f"{MAX_SLOT_NAME_LENGTH} characters); null when the slot is empty or unknown."
        ),
    )
    slots: list[EditorialSlot] = strawberry.field(
        resolver=_slots, description="Every filled slot, by name."
    )


def _editorial(info: Info) -> Editorial:
    depends_on(EDITORIAL_KEY)  # every editorial write purges it (see caching)
    return Editorial(board=Board(info.context.loaders))


@strawberry.type
class EditorialQuery:
    editorial: Editorial = strawberry.field(
        resolver=_editorial,
        description="The edito of the day, the editors' picks and the front-page slots.",
    )
