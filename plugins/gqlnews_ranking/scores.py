"""The one query shape every strategy uses: a score per article over a range of buckets,
grouped in SQL, best first, optionally within a section (primary or not)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gqlnews_ranking.config import DEFAULT_CACHE_SECONDS
from gqlnews_ranking.hours import HourRange
from gqlnews_ranking.sql import fetch, tables


class ViewRanking:
    """What every strategy of this plugin shares: its scores come from view counts, which
    change with no write to purge a cached answer, so the response cache may keep one
    ``cache_seconds`` at most (``GQLNEWS_RANKING_CACHE_SECONDS``). Each ``rank`` says so
    with ``max_age(self.cache_seconds)``."""

    def __init__(self, cache_seconds: float = DEFAULT_CACHE_SECONDS) -> None:
        self.cache_seconds = cache_seconds


@dataclass(frozen=True, slots=True)
class ScoreQuery:
    """``score`` (and ``columns``) are SQL over the buckets ``b`` of one article; ``having``
    keeps only some articles. Their ``:name`` parameters come from ``params``."""

    score: str
    columns: str = ""
    having: str = ""


async def top_articles(
    query: ScoreQuery,
    hours: HourRange,
    section_id: int | None,
    limit: int,
    **params: Any,
) -> list[dict[str, Any]]:
    """Rows ``{article_id, score, …columns}`` for the articles read in ``hours``, best first
    (ties: the newer article id first), at most ``limit``: one SQL statement."""
    names = tables()
    join = (
        f"JOIN {names['sections']} s ON s.article_id = b.article_id AND s.section_id = :section"
        if section_id is not None
        else ""
    )
    columns = f", {query.columns}" if query.columns else ""
    having = f"HAVING {query.having}" if query.having else ""
    sql = f"""
        SELECT b.article_id AS article_id, {query.score} AS score{columns}
        FROM {names["buckets"]} b {join}
        WHERE b.hour >= :first AND b.hour < :end
        GROUP BY b.article_id
        {having}
        ORDER BY score DESC, b.article_id DESC
        LIMIT :limit
    """
    values = {"first": hours.first, "end": hours.end, "limit": limit, **params}
    if section_id is not None:
        values["section"] = section_id
    return await fetch(sql, values)
