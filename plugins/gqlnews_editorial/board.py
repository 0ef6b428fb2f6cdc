"""What a reader sees of the editors' choices at the request's instant.

One :class:`Board` per ``editorial`` field of a request. Each part costs a fixed number of
queries, however many picks or slots there are: the edito one, the picks two (their rows, then
their articles), ``slot(name)`` two per batch of names, ``slots`` two. Every article comes from
the request's visible-article queryset, so a pick or a slot whose article the reader may not
see (unpublished, scheduled, embargoed) simply vanishes.

Windows are applied here, to the rows read (:func:`~gqlnews_editorial.rules.window_state`),
rather than in SQL: the answer must also say when it stops being true (the next window to
open or close) and which articles it hangs on, visible or not yet
(:func:`~gqlnews_editorial.caching.depends_on_choices`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from gqlnews.api import (
    Article,
    Genre,
    Loaders,
    SharedLoader,
    SharedResult,
    depends_on,
    genre_key,
)
from gqlnews_editorial.caching import depends_on_choices
from gqlnews_editorial.models import Pick, Slot
from gqlnews_editorial.rules import window_state


@dataclass(frozen=True, slots=True)
class ShownSlot:
    """A slot as the reader sees it: its name, its (visible) article and its window."""

    name: str
    article: Article
    starts_at: datetime | None
    expires_at: datetime | None


class Board:
    """The edito, picks and slots visible through ``loaders`` (one reader, one instant)."""

    def __init__(self, loaders: Loaders) -> None:
        self.loaders = loaders
        self.now: datetime = loaders.now
        self._picks = SharedResult(self._load_picks)
        self._slots = SharedResult(self._load_slots)
        self._slot = SharedLoader[str, ShownSlot | None](load_fn=self._load_slots_named)

    async def edito(self) -> Article | None:
        """The latest editorial the reader may see (one query)."""
        # Another editorial going public (or not) changes it; other articles do not.
        depends_on(genre_key(Genre.EDITORIAL.value))
        article = await self.loaders.newest_article(Genre.EDITORIAL)
        if article is not None:
            self.loaders.prime_articles([article])
        return article

    async def picks(self, first: int) -> list[Article]:
        """The first ``first`` picks in the editors' order, among those whose window holds
        now and whose article is visible."""
        return (await self._picks.get())[:first]

    async def slot(self, name: str) -> ShownSlot | None:
        """The slot ``name`` if it is set, its window holds now and its article is visible."""
        return await self._slot.load(name)

    async def slots(self) -> list[ShownSlot]:
        """Every slot set, in its window, with a visible article, by name."""
        return await self._slots.get()

    async def _visible(self, ids: Sequence[int]) -> dict[int, Article]:
        """The visible articles among ``ids`` (one query, none when there are no ids)."""
        if not ids:
            return {}
        rows: list[Article] = await self.loaders.visible().filter(id__in=list(set(ids)))
        self.loaders.prime_articles(rows)
        return {int(a.pk): a for a in rows}

    def _current(self, start: datetime | None, end: datetime | None) -> bool:
        return window_state(start, end, self.now) == "current"

    async def _load_picks(self) -> list[Article]:
        rows = cast(
            list[tuple[int, datetime | None, datetime | None]],
            await Pick.all()
            .order_by("position")
            .values_list("article_id", "starts_at", "expires_at"),
        )
        depends_on_choices(rows, self.now)
        ids = [pk for pk, start, end in rows if self._current(start, end)]
        found = await self._visible(ids)
        return [found[pk] for pk in ids if pk in found]

    async def _shown(self, slots: list[Slot]) -> list[ShownSlot]:
        depends_on_choices(((s.article_id, s.starts_at, s.expires_at) for s in slots), self.now)
        current = [s for s in slots if self._current(s.starts_at, s.expires_at)]
        found = await self._visible([s.article_id for s in current])
        return [
            ShownSlot(s.name, found[s.article_id], s.starts_at, s.expires_at)
            for s in current
            if s.article_id in found
        ]

    async def _load_slots(self) -> list[ShownSlot]:
        return await self._shown(await Slot.all().order_by("name"))

    async def _load_slots_named(self, names: list[str]) -> list[ShownSlot | None]:
        rows = await Slot.filter(name__in=names)
        shown = {s.name: s for s in await self._shown(rows)}
        return [shown.get(name) for name in names]
