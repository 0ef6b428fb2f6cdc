"""The editorial write API: ``editorialSetPicks``, ``editorialSetSlot`` and
``editorialClearSlot``, for accounts holding ``picks.manage`` (editors and admins).

Each resolver checks the permission before touching anything (UNAUTHENTICATED or FORBIDDEN,
as a GraphQL error), then goes through :mod:`gqlnews_editorial.service`, which validates all
its input before writing in one transaction. Refused input comes back in the payload's
``errors``: ``field`` is the argument at fault, ``code`` a
:class:`~gqlnews.api.RefusalCode`; nothing was written. Resolvers are plain
functions passed as ``resolver=``, like :mod:`gqlnews_editorial.schema`'s.
"""

from collections.abc import Sequence
from datetime import datetime

import strawberry

from gqlnews.api import (
    Action,
    Article,
    ArticleType,
    BadUserInput,
    Info,
    MutationError,
    RefusalCode,
    Refused,
    decode_id_of,
    refuse,
    require,
)
from gqlnews_editorial import service
from gqlnews_editorial.models import Pick, Slot
from gqlnews_editorial.rules import (
    MAX_PICKS,
    check_pick_count,
    check_slot_name,
)
from gqlnews_editorial.schema import EditorialSlot

_ARGUMENTS = {"starts_at": "startsAt", "expires_at": "expiresAt", "name": "name"}
"""The service's argument names as the mutations spell them (``articles`` depends on the
mutation: ``articleIds`` or ``articleId``)."""


@strawberry.type(
    description=(
        "A pick as the editors stored it. Readers see it in `editorial.picks` only while its "
        "window holds and its article is visible to them."
    )
)
class EditorialPick:
    article: ArticleType
    starts_at: datetime | None = strawberry.field(
        description="Hidden before this instant; null: shown at once."
    )
    expires_at: datetime | None = strawberry.field(
        description="Hidden from this instant on; null: until replaced."
    )


@strawberry.type(description="The result of `editorialSetPicks`: the stored picks, or errors.")
class EditorialPicksPayload:
    picks: list[EditorialPick] | None = strawberry.field(
        description="Every pick now stored, in the editors' order (empty: the picks are cleared)."
    )
    errors: list[MutationError]


@strawberry.type(description="The result of `editorialSetSlot`: the stored slot, or errors.")
class EditorialSlotPayload:
    slot: EditorialSlot | None = strawberry.field(
        description="The slot as now stored (readers see it only within its window)."
    )
    errors: list[MutationError]


@strawberry.type(description="The result of `editorialClearSlot`: the slot emptied, or errors.")
class EditorialClearSlotPayload:
    name: str | None = strawberry.field(description="The name of the slot now empty.")
    errors: list[MutationError]


def _errors(refused: Refused, articles_argument: str) -> list[MutationError]:
    """The refusal as the payload's ``errors``, named after the mutation's arguments."""
    arguments = {**_ARGUMENTS, "articles": articles_argument}
    return [
        MutationError(
            field=arguments.get(problem.field, problem.field) if problem.field else None,
            code=problem.code.value,
            message=problem.message,
        )
        for problem in refused.problems
    ]


async def _find_articles(ids: Sequence[strawberry.ID], argument: str) -> list[Article]:
    """The articles with these global IDs, in the order given (one query, none for no IDs),
    whatever their status, except those in the trash; every unknown ID is named."""
    pks: list[int] = []
    for global_id in ids:
        try:
            pks.append(decode_id_of("Article", global_id, argument=argument))
        except BadUserInput as exc:
            raise refuse(
                "articles",
                RefusalCode.INVALID,
                exc.message,
            ) from None
    if not pks:
        return []
    found = {
        int(a.pk): a for a in await Article.filter(id__in=list(set(pks)), deleted_at__isnull=True)
    }
    unknown = [gid for gid, pk in zip(ids, pks, strict=True) if pk not in found]
    if unknown:
        raise refuse(
            "articles",
            RefusalCode.NOT_FOUND,
            f"no article with ID {', '.join(repr(str(gid)) for gid in unknown)}",
        )
    return [found[pk] for pk in pks]


def _pick(row: Pick) -> EditorialPick:
    return EditorialPick(
        article=ArticleType.from_model(row.article),
        starts_at=row.starts_at,
        expires_at=row.expires_at,
    )


def _slot(row: Slot) -> EditorialSlot:
    return EditorialSlot(
        name=row.name,
        article=ArticleType.from_model(row.article),
        starts_at=row.starts_at,
        expires_at=row.expires_at,
    )


async def set_picks(
    info: Info,
    article_ids: list[strawberry.ID],
    starts_at: datetime | None = None,
    expires_at: datetime | None = None,
) -> EditorialPicksPayload:
    """Replace the picks by ``article_ids``, in order, all shown within one window."""
    require(info.context.viewer, Action.PICKS_MANAGE)
    try:
        check_pick_count(len(article_ids))  # before looking anything up
        articles = await _find_articles(article_ids, "articleIds")
        rows = await service.set_picks(
            articles, starts_at=starts_at, expires_at=expires_at, now=info.context.now
        )
    except Refused as exc:
        return EditorialPicksPayload(picks=None, errors=_errors(exc, "articleIds"))
    return EditorialPicksPayload(picks=[_pick(row) for row in rows], errors=[])


async def set_slot(
    info: Info,
    name: str,
    article_id: strawberry.ID,
    starts_at: datetime | None = None,
    expires_at: datetime | None = None,
) -> EditorialSlotPayload:
    """Put the article ``article_id`` in the slot ``name``, replacing what it held."""
    require(info.context.viewer, Action.PICKS_MANAGE)
    try:
        check_slot_name(name)
        [article] = await _find_articles([article_id], "articleId")
        row = await service.set_slot(
            name, article, starts_at=starts_at, expires_at=expires_at, now=info.context.now
        )
    except Refused as exc:
        return EditorialSlotPayload(slot=None, errors=_errors(exc, "articleId"))
    return EditorialSlotPayload(slot=_slot(row), errors=[])


async def clear_slot(info: Info, name: str) -> EditorialClearSlotPayload:
    """Empty the slot ``name``, which must be set."""
    require(info.context.viewer, Action.PICKS_MANAGE)
    try:
        await service.clear_slot(name, missing_ok=False)
    except Refused as exc:
        return EditorialClearSlotPayload(name=None, errors=_errors(exc, "name"))
    return EditorialClearSlotPayload(name=name, errors=[])


_WINDOW = (
    "The optional `startsAt` and `expiresAt` (with a time zone) bound when readers see the "
    "result: the expiry must be in the future (NOT_IN_FUTURE) and after the start (INVALID)."
)
_WHO = "Editors and admins (picks.manage); nothing is written when `errors` is not empty."


@strawberry.type
class EditorialMutations:
    editorial_set_picks: EditorialPicksPayload = strawberry.mutation(
        resolver=set_picks,
        description=(
            f"Replace the editors' picks by these articles, in this order (0 to {MAX_PICKS}; "
            "an empty list clears them), all in one window; drafts may be picked ahead of "
            "publication. "
            f"{_WINDOW} Errors on articleIds: INVALID (not an article ID), NOT_FOUND, "
            f"DUPLICATE, TOO_LONG. {_WHO}"
        ),
    )
    editorial_set_slot: EditorialSlotPayload = strawberry.mutation(
        resolver=set_slot,
        description=(
            "Put an article in the front-page slot `name` (lower-case words joined by hyphens, "
            "e.g. une-principale; INVALID otherwise), replacing what it held. "
            f"{_WINDOW} Errors on articleId: INVALID, NOT_FOUND. {_WHO}"
        ),
    )
    editorial_clear_slot: EditorialClearSlotPayload = strawberry.mutation(
        resolver=clear_slot,
        description=(
            "Empty the front-page slot `name`: NOT_FOUND when it is not set, INVALID when the "
            f"name is malformed. {_WHO}"
        ),
    )
