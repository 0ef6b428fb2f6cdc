"""Same section, close in time: articles of the article's primary section published near it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from gqlnews.api import Article, Scored, depends_on
from gqlnews_related.caching import INDEX_KEY
from gqlnews_related.statements import Statement

WINDOW = timedelta(days=10)

_LOOKUP = Statement(
    f"""
    SELECT id, primary_section_id, published_at FROM "{Article._meta.db_table}"
    WHERE primary_section_id = ANY($1) AND published_at >= $2 AND published_at <= $3
    """
)
"""The articles of the sections around the articles' dates, as the statement built per call
asked them before (the same plan, so the same order among equally close articles)."""
_PUBLISHED_AT = Article._meta.fields_map["published_at"].to_python_value


class SectionTime:
    name = "section-time"
    description = (
        "Articles of the same primary section, the closer in time the better: "
        "score = 1 / (1 + days apart), within 10 days."
    )

    async def related(self, articles: Sequence[Article], limit: int) -> dict[int, list[Scored]]:
        depends_on(INDEX_KEY)
        dated = [a for a in articles if a.published_at is not None]
        if not dated:
            return {}
        since = min(a.published_at for a in dated if a.published_at) - WINDOW
        until = max(a.published_at for a in dated if a.published_at) + WINDOW
        sections = list(dict.fromkeys(a.primary_section_id for a in dated))
        rows = [
            (pk, section_id, _aware(published_at))
            for pk, section_id, published_at in await _LOOKUP.rows(sections, since, until)
        ]
        return scored(dated, rows, limit)


def _aware(value: object) -> datetime:
    """A row's publication time as a time that can be subtracted from an article's: an aware
    date-time (PostgreSQL's driver gives one, in UTC) as it is, since only differences are
    taken; any other (SQLite's text) the way Tortoise reads the column."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    converted: datetime = _PUBLISHED_AT(value)
    return converted


def scored(
    dated: Sequence[Article], rows: Sequence[tuple[int, int, datetime]], limit: int
) -> dict[int, list[Scored]]:
    """The suggestions for each of the ``dated`` articles from the (id, primary section,
    publication) ``rows`` of the articles of their sections around their dates."""
    by_section: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for pk, section_id, published_at in rows:
        by_section[section_id].append((pk, published_at))
    found: dict[int, list[Scored]] = {}
    for article in dated:
        close: list[tuple[float, int, float]] = []
        for pk, published_at in by_section[article.primary_section_id]:
            if pk == article.pk:
                continue
            days = abs((published_at - article.published_at).total_seconds()) / 86400  # type: ignore[operator]
            if days <= WINDOW.days:
                close.append((1 / (1 + days), pk, days))
        # best first; equally close articles keep the rows' order (a stable sort), and only
        # the kept ones are made into suggestions
        close.sort(key=lambda item: -item[0])
        found[article.pk] = [
            Scored(pk, score, f"same section, {days:.0f} days apart")
            for score, pk, days in close[: limit * 3]
        ]
    return found
