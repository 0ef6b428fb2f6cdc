"""Most read: the plain sum of an article's views over the window."""

from __future__ import annotations

from gqlnews.plugins.strategies import Scored, Window
from gqlnews_ranking.hours import hours_of
from gqlnews_ranking.scores import ScoreQuery, top_articles

QUERY = ScoreQuery(score="SUM(b.views)")


class MostRead:
    name = "most-read"
    description = (
        "The default: the articles read most over the window. "
        "score = the sum of the article's views in the window's hourly buckets."
    )

    async def rank(self, window: Window, section_id: int | None, limit: int) -> list[Scored]:
        rows = await top_articles(QUERY, hours_of(window), section_id, limit)
        return [
            Scored(int(row["article_id"]), float(row["score"]), f"{int(row['score'])} views")
            for row in rows
        ]
