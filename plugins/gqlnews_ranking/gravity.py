"""Gravity: views weighed down by their age, Hacker-News style, so recent reads count most."""

from __future__ import annotations

from gqlnews.api import Scored, Window
from gqlnews_ranking.hours import hours_of
from gqlnews_ranking.scores import ScoreQuery, ViewRanking

GRAVITY_HOURS = 12
"""The age, in hours, at which a read counts a quarter of a read of the window's last hour."""

# weight = (G / (G + age))², written without POWER(), which SQLite may lack.
_AGE = "(:last - b.hour)"
QUERY = ScoreQuery(
    score=(
        f"SUM(CAST(b.views AS DOUBLE PRECISION) * {GRAVITY_HOURS * GRAVITY_HOURS} "
        f"/ (({GRAVITY_HOURS} + {_AGE}) * ({GRAVITY_HOURS} + {_AGE})))"
    ),
    columns="SUM(b.views) AS views",
)


class Gravity(ViewRanking):
    name = "gravity"
    description = (
        "Recent reads count most (a power-law decay, like Hacker News's (age + 2)^-1.8). "
        f"score = Σ views_b × ({GRAVITY_HOURS} / ({GRAVITY_HOURS} + age_b))², where age_b is "
        "how many hours bucket b is before the window's last hour: a read 12 hours old counts "
        "1/4, a day old 1/9, a week old 1/225."
    )

    async def rank(self, window: Window, section_id: int | None, limit: int) -> list[Scored]:
        hours = hours_of(window)
        rows = await self.top(QUERY, hours, section_id, limit, last=hours.end - 1)
        return [
            Scored(
                int(row["article_id"]),
                float(row["score"]),
                f"{int(row['views'])} views, the recent ones weighing most",
            )
            for row in rows
        ]
