"""What related-article and ranking strategies are, for plugins to implement.

A strategy works on a whole batch at once (every article of a list asks in one call), so a
list of twenty articles with their related articles costs a bounded number of queries. The
host filters every answer through the visibility rule afterwards: a strategy cannot leak a
draft, however it is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # the models (Tortoise) load with the app, not with the plugin host
    from gqlnews.models import Article


@dataclass(frozen=True, slots=True)
class Scored:
    """One suggested article: its id, a score (higher first) and a reason for humans."""

    article_id: int
    score: float
    reason: str = ""


@runtime_checkable
class RelatedStrategy(Protocol):
    """Finds articles related to each of a batch of articles."""

    name: str
    description: str

    async def related(self, articles: Sequence[Article], limit: int) -> dict[int, list[Scored]]:
        """For each article (by id), up to ``limit`` suggestions, best first. Suggestions may
        include invisible or repeated articles, or the article itself: the host drops them."""
        ...


@dataclass(frozen=True, slots=True)
class Window:
    """A time window: ``since`` inclusive, ``until`` exclusive."""

    since: datetime
    until: datetime


@runtime_checkable
class RankingStrategy(Protocol):
    """Ranks articles, e.g. the most read over a window."""

    name: str
    description: str

    async def rank(self, window: Window, section_id: int | None, limit: int) -> list[Scored]:
        """Up to ``limit`` articles, best first (the host drops invisible ones)."""
        ...
