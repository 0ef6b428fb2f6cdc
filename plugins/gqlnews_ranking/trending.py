"""Trending: articles read faster now than they usually are (their own baseline)."""

from __future__ import annotations

from gqlnews.api import Scored, Window
from gqlnews_ranking.hours import HourRange, hours_of
from gqlnews_ranking.scores import ScoreQuery, ViewRanking

BASELINE_WINDOWS = 4
"""The baseline is the article's views over this many windows just before the window."""
SMOOTHING = 10
"""Views added to both sides of the ratio, so a handful of reads is not a trend."""
MIN_VIEWS = 10
"""Articles read fewer times than this in the window are not ranked."""

_RECENT = "SUM(CASE WHEN b.hour >= :start THEN b.views ELSE 0 END)"
_BEFORE = "SUM(CASE WHEN b.hour < :start THEN b.views ELSE 0 END)"
QUERY = ScoreQuery(
    score=(
        f"CAST({_RECENT} + {SMOOTHING} AS DOUBLE PRECISION) "
        f"/ (CAST({_BEFORE} AS DOUBLE PRECISION) / {BASELINE_WINDOWS} + {SMOOTHING})"
    ),
    columns=f"{_RECENT} AS recent, {_BEFORE} AS baseline",
    having=f"{_RECENT} >= {MIN_VIEWS}",
)


class Trending(ViewRanking):
    name = "trending"
    description = (
        "Articles read far above their usual rate. score = (v + 10) / (b / 4 + 10), where v "
        "is the article's views in the window and b its views over the 4 windows of the same "
        "length just before (so b / 4 is what a usual window brings); at least 10 views in "
        "the window. A new article has no baseline: its score is (v + 10) / 10."
    )

    async def rank(self, window: Window, section_id: int | None, limit: int) -> list[Scored]:
        hours = hours_of(window)
        scanned = HourRange(hours.first - BASELINE_WINDOWS * hours.hours, hours.end)
        rows = await self.top(QUERY, scanned, section_id, limit, start=hours.first)
        return [
            Scored(
                int(row["article_id"]),
                float(row["score"]),
                f"{int(row['recent'])} views against "
                f"{int(row['baseline']) / BASELINE_WINDOWS:.1f} usually",
            )
            for row in rows
        ]
