"""Most read: the plain sum of an article's views over the window."""

from __future__ import annotations

from gqlnews.api import Scored, Window
from gqlnews_ranking.hours import hours_of
from gqlnews_ranking.scores import ScoreQuery, ViewRanking

QUERY = ScoreQuery(score="SUM(b.views)")


class MostRead(ViewRanking):
    name = "most-read"
    description = (
        "The default: the articles read most over the window. "
        "score = the sum of the article's views in the window's hourly buckets."
    )

    async def rank(self, window: Window, section_id: int | None, limit: int) -> list[Scored]:
        rows = await self.top(QUERY, hours_of(window), section_id, limit)
        return [
            Scored(int(row["article_id"]), float(row["score"]), f"{int(row['score'])} views")
            for row in rows
        ]
