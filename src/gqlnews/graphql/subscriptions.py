"""The Subscription root type: live updates over a WebSocket (``graphql-transport-ws``).

Each subscription reads the process's event feed (:mod:`gqlnews.live.feed`) and answers with
the normal GraphQL types, resolved with the subscriber's viewer and the same visibility rule
as queries (:mod:`gqlnews.visibility`), judged when the event is read:

- ``articlePublished`` sends an article when it becomes public (published without an embargo,
  released from one, restored from the trash), to anonymous and staff subscribers alike;
- ``articleChanged(id)`` sends a change of one article the subscriber may see, and one last
  message with ``article: null`` when an article it could see is no longer visible to it
  (unpublished, trashed, embargoed again);
- ``newsroomEvents`` (staff: editors and admins) sends every outbox event, refusals included.

A subscriber never learns of an article it may not see: an anonymous one never receives a
draft, a refused publication or an embargoed article before its time.
"""

import asyncio
import logging
from collections.abc import AsyncGenerator
from datetime import datetime
from functools import partial

import strawberry
from starlette.websockets import WebSocket

from gqlnews.errors import BadUserInput, ClientError
from gqlnews.graphql.context import Context, Info
from gqlnews.graphql.loaders import Loaders
from gqlnews.graphql.types.article import Article
from gqlnews.ids import decode_id_of, encode_id
from gqlnews.live.delivery import Delivery
from gqlnews.live.feed import EventFeed
from gqlnews.models import Section as SectionModel
from gqlnews.models import Tag as TagModel
from gqlnews.newsroom.events import EventKind
from gqlnews.permissions import FORBIDDEN, UNAUTHENTICATED
from gqlnews.visibility import visible_articles

log = logging.getLogger("gqlnews.live")

SLOW_CONSUMER = 1008
"""Close code of a connection that let ``subscriptions_queue`` events wait."""
UNAVAILABLE = "SERVICE_UNAVAILABLE"


# The outbox's kinds, as the GraphQL enum ArticleEventKind.
strawberry.enum(
    EventKind,
    name="ArticleEventKind",
    description="What happened to an article (an outbox event's kind).",
)


@strawberry.input(description="Which new articles ``articlePublished`` sends; all by default.")
class ArticlePublishedFilter:
    sections: list[str] | None = strawberry.field(
        default=None, description="Section slugs: articles in any of them."
    )
    tags: list[str] | None = strawberry.field(
        default=None, description="Tag slugs: articles with any of them."
    )
    languages: list[str] | None = strawberry.field(
        default=None, description="Language codes (fr, ar): articles in any of them."
    )


@strawberry.type(description="A change of an article, as ``articleChanged`` sends it.")
class ArticleChange:
    kind: EventKind
    article_id: strawberry.ID = strawberry.field(description="The article's global ID.")
    article: Article | None = strawberry.field(
        description="The article as the subscriber may see it now; null once it may not."
    )


@strawberry.type(description="An outbox event, as ``newsroomEvents`` sends it to staff.")
class NewsroomEvent:
    event_id: strawberry.ID = strawberry.field(description="The outbox event's id.")
    kind: EventKind
    at: datetime = strawberry.field(description="When the event was read.")
    article_id: strawberry.ID
    article: Article | None = strawberry.field(
        description="The article as the subscriber sees it now (null once trashed)."
    )
    reasons: list[str] = strawberry.field(
        description="Why a publication was refused (REFUSED only)."
    )


def _feed(info: Info) -> EventFeed:
    feed = info.context.feed
    if feed is None or not feed.started:
        raise ClientError("subscriptions are not available in this process", code=UNAVAILABLE)
    return feed


def _drop(context: Context) -> None:
    """Close the subscriber's connection: it does not take its events fast enough."""
    socket = context.request
    if isinstance(socket, WebSocket):
        log.warning("closing a slow subscriber's connection")
        task = asyncio.get_running_loop().create_task(_close(socket))
        _closing.add(task)
        task.add_done_callback(_closing.discard)


_closing: set[asyncio.Task[None]] = set()
"""Closings under way (a task needs a reference until it ends)."""


async def _close(socket: WebSocket) -> None:
    try:
        await socket.close(SLOW_CONSUMER, "slow consumer: too many events waiting")
    except Exception as exc:  # already closed, or the client went away
        log.info("could not close a slow subscriber's connection: %s", exc)


async def _deliveries(info: Info) -> AsyncGenerator[Delivery, None]:
    """The deliveries of the subscriber's feed; each makes the context current (its instant,
    and DataLoaders shared by the subscribers with the same viewer)."""
    context = info.context
    with _feed(info).subscription(lambda: _drop(context)) as subscriber:
        async for delivery in subscriber.deliveries():
            context.now = delivery.now
            context.loaders = delivery.shared(
                context.viewer, partial(Loaders, context.viewer, delivery.now)
            )
            yield delivery


async def _section_ids(slugs: list[str] | None) -> frozenset[int] | None:
    return await _ids_of(SectionModel, slugs, "sections")


async def _tag_ids(slugs: list[str] | None) -> frozenset[int] | None:
    return await _ids_of(TagModel, slugs, "tags")


async def _ids_of(
    model: type[SectionModel] | type[TagModel], slugs: list[str] | None, argument: str
) -> frozenset[int] | None:
    """The ids of ``slugs`` (None: no filter); an unknown slug is an error."""
    if slugs is None:
        return None
    rows = await model.filter(slug__in=slugs).values_list("slug", "id")
    found = {str(slug): int(str(pk)) for slug, pk in rows}
    unknown = sorted(set(slugs) - set(found))
    if unknown:
        raise BadUserInput(
            f"filter.{argument}: no such slug {', '.join(map(repr, unknown))}",
            argument=f"filter.{argument}",
        )
    return frozenset(found.values())


async def _matches(
    delivery: Delivery,
    sections: frozenset[int] | None,
    tags: frozenset[int] | None,
    languages: frozenset[str] | None,
) -> bool:
    if sections is None and tags is None and languages is None:
        return True
    labels = await delivery.labels()
    return (
        (sections is None or bool(sections & labels.section_ids))
        and (tags is None or bool(tags & labels.tag_ids))
        and (languages is None or labels.language in languages)
    )


@strawberry.type(description="Live updates, over a WebSocket (see docs/subscriptions.md).")
class Subscription:
    @strawberry.subscription(
        description="Each article when it becomes public: published (now, or by the "
        "scheduler at its time), released from its embargo, or restored from the trash."
    )
    async def article_published(
        self, info: Info, filter: ArticlePublishedFilter | None = None
    ) -> AsyncGenerator[Article, None]:
        chosen = filter or ArticlePublishedFilter()
        sections = await _section_ids(chosen.sections)
        tags = await _tag_ids(chosen.tags)
        languages = None if chosen.languages is None else frozenset(chosen.languages)
        async for delivery in _deliveries(info):
            if not await delivery.is_new_public():
                continue
            if not await _matches(delivery, sections, tags, languages):
                continue
            article = await delivery.article(info.context.viewer)
            if article is not None:
                yield Article.from_model(article)

    @strawberry.subscription(
        description="Each change of one article the subscriber may see (a correction, "
        "unpublishing, the trash…); `article` is null once it may no longer see it, and "
        "nothing more is sent until it may again."
    )
    async def article_changed(
        self, info: Info, id: strawberry.ID
    ) -> AsyncGenerator[ArticleChange, None]:
        pk = decode_id_of("Article", id)
        context = info.context
        seen = await visible_articles(context.viewer, context.now).filter(id=pk).exists()
        async for delivery in _deliveries(info):
            if delivery.event.article_id != pk:
                continue
            article = await delivery.article(context.viewer)
            if article is None and not seen:
                continue
            seen = article is not None
            yield ArticleChange(
                kind=delivery.event.kind,
                article_id=strawberry.ID(encode_id("Article", pk)),
                article=None if article is None else Article.from_model(article),
            )

    @strawberry.subscription(
        description="Every newsroom event (publications, refusals, corrections, the "
        "trash…) with the article as the subscriber sees it. Editors and admins only."
    )
    async def newsroom_events(self, info: Info) -> AsyncGenerator[NewsroomEvent, None]:
        viewer = info.context.viewer
        if not viewer.is_authenticated:
            raise ClientError(
                "sign in (a token in connection_init's payload) to follow newsroom events",
                code=UNAUTHENTICATED,
            )
        if not viewer.sees_unpublished:
            raise ClientError("only editors and admins follow newsroom events", code=FORBIDDEN)
        async for delivery in _deliveries(info):
            event = delivery.event
            article = await delivery.article(viewer)
            reasons = event.payload.get("reasons") if event.kind is EventKind.REFUSED else None
            yield NewsroomEvent(
                event_id=strawberry.ID(str(event.id)),
                kind=event.kind,
                at=delivery.now,
                article_id=strawberry.ID(encode_id("Article", event.article_id)),
                article=None if article is None else Article.from_model(article),
                reasons=[str(r) for r in reasons] if isinstance(reasons, list) else [],
            )
