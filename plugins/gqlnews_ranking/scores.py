"""The one query shape every strategy uses: a score per article over a range of buckets,
grouped in SQL, best first, optionally within a section (primary or not).

The grouped statement reads every bucket of the window: with a week of hourly buckets of a
thousand articles (about 100,000 rows) it cost 85 ms on SQLite and 38 ms on PostgreSQL
(bench/ranking_window.py), on every uncached article page that shows the most read. The
scores it gives are kept in the process for ``cache_seconds`` (:meth:`ViewRanking.top`), as
the response cache may keep an answer ranked from them; a write of buckets in this process
forgets them (:func:`forget_scores`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from gqlnews.api import max_age
from gqlnews_ranking.config import DEFAULT_CACHE_SECONDS
from gqlnews_ranking.hours import HourRange
from gqlnews_ranking.sql import fetch, tables

KEPT_SCORES = 256
"""Score lists kept at most (strategies × windows × sections × lengths asked for)."""
_kept: dict[tuple[Any, ...], tuple[float, list[dict[str, Any]]]] = {}
_writes = 0
"""How many times the buckets were written by this process (kept scores read before a
write are not kept after it)."""


def forget_scores() -> None:
    """Drop the scores kept: the buckets were just written (call it after the commit)."""
    global _writes
    _writes += 1
    _kept.clear()


class ViewRanking:
    """What every strategy of this plugin shares: its scores come from view counts, which
    change with no write to purge a cached answer, so the response cache may keep one
    ``cache_seconds`` at most (``GQLNEWS_RANKING_CACHE_SECONDS``), and this process keeps the
    scores as long (:meth:`top`)."""

    def __init__(self, cache_seconds: float = DEFAULT_CACHE_SECONDS) -> None:
        self.cache_seconds = cache_seconds

    async def top(
        self,
        query: ScoreQuery,
        hours: HourRange,
        section_id: int | None,
        limit: int,
        **params: Any,
    ) -> list[dict[str, Any]]:
        """:func:`top_articles`, kept ``cache_seconds`` (none when 0): an answer built from
        scores read ``age`` seconds ago may be kept ``cache_seconds - age`` more, so that no
        answer is older than ``cache_seconds``, counted from the statement."""
        key = (query, hours, section_id, limit, tuple(sorted(params.items())))
        now = time.monotonic()
        kept = _kept.get(key)
        if kept is not None and now - kept[0] < self.cache_seconds:
            max_age(self.cache_seconds - (now - kept[0]))
            return kept[1]
        max_age(self.cache_seconds)
        writes = _writes
        rows = await top_articles(query, hours, section_id, limit, **params)
        if self.cache_seconds > 0 and writes == _writes:
            if len(_kept) >= KEPT_SCORES:
                _kept.clear()
            _kept[key] = (now, rows)
        return rows


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
