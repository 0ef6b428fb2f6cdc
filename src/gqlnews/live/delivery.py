"""One outbox event on its way to the subscribers of a process, with what they share about
it: the article as each kind of viewer sees it, its sections, tags and language, and the
DataLoaders their answers are resolved with. Each is loaded once per event, however many
subscribers ask (the anonymous ones, usually nearly all, share one viewer)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gqlnews.models import Article, ArticleSection, ArticleTag
from gqlnews.newsroom.events import Event, EventKind
from gqlnews.visibility import ANONYMOUS, Viewer, visible_articles

NEW_TO_THE_PUBLIC = frozenset({EventKind.PUBLISHED, EventKind.RELEASED, EventKind.RESTORED})
"""Kinds after which an article may be public for the first time (or again)."""


@dataclass(frozen=True, slots=True)
class Labels:
    """What ``articlePublished``'s filter looks at."""

    section_ids: frozenset[int]
    tag_ids: frozenset[int]
    language: str


@dataclass(slots=True)
class Delivery:
    """``event`` as read at ``now`` (the instant visibility is judged at)."""

    event: Event
    now: datetime
    _memo: dict[Any, asyncio.Future[Any]] = field(default_factory=dict)
    _made: dict[Any, Any] = field(default_factory=dict)

    async def _once(self, key: Any, load: Callable[[], Awaitable[Any]]) -> Any:
        """``load()``'s result, computed by the first caller and shared with the others."""
        found = self._memo.get(key)
        if found is None:
            found = asyncio.ensure_future(load())
            self._memo[key] = found
        return await asyncio.shield(found)

    async def article(self, viewer: Viewer) -> Article | None:
        """The event's article if ``viewer`` may see it at :attr:`now` (None otherwise)."""

        async def load() -> Article | None:
            rows = visible_articles(viewer, self.now).filter(id=self.event.article_id)
            return await rows.first()

        found: Article | None = await self._once(("article", viewer), load)
        return found

    async def is_new_public(self) -> bool:
        """The article became public with this event: published without an embargo,
        released from one, or restored from the trash, and visible to anyone now."""
        event = self.event
        if event.kind not in NEW_TO_THE_PUBLIC:
            return False
        if event.kind is EventKind.PUBLISHED and event.payload.get("embargoed"):
            return False  # its ``released`` event announces it
        return await self.article(ANONYMOUS) is not None

    async def labels(self) -> Labels:
        """The article's sections, tags and language (one query each, once per event)."""

        async def load() -> Labels:
            article_id = self.event.article_id
            language = await Article.filter(id=article_id).values_list("language", flat=True)
            sections = await ArticleSection.filter(article_id=article_id).values_list(
                "section_id", flat=True
            )
            tags = await ArticleTag.filter(article_id=article_id).values_list("tag_id", flat=True)
            return Labels(
                frozenset(int(str(i)) for i in sections),
                frozenset(int(str(i)) for i in tags),
                str(language[0]) if language else "",
            )

        found: Labels = await self._once("labels", load)
        return found

    def shared(self, key: Any, make: Callable[[], Any]) -> Any:
        """One ``make()`` per ``key`` for this event (the viewers' DataLoaders)."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]
