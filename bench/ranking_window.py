"""What the most read costs when a week of hourly buckets is full, and what keeping its scores
saves: the ranking plugin's grouped statement (``gqlnews_ranking.scores.top_articles``) over
the window of "the most read this week", as an uncached article page asks it.

    cd bench && ../.venv/bin/python ranking_window.py --database-url U \\
        [--articles 1000] [--fill 0.6] [--runs 20]

Use a scratch copy of an archive (it needs ``--articles`` articles; the 10k archive has them):
the script adds live view buckets for the newest ``--articles`` articles over the last 168
hours (each hour read with the probability ``--fill``), through the plugin's own write path
(``store.add_live``), then times ``MostRead().rank`` over the week, ``--runs`` times each way:
with the scores forgotten before each call (the statement every time, as before the scores
were kept) and kept (one statement, then none). It prints the CPU ms of this process per call
(SQLite's work is in it; PostgreSQL's is not: see the wall ms) and removes the buckets it
added.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from run import in_process_client


async def _main(database_url: str, articles: int, fill: float, runs: int) -> None:
    async with in_process_client(database_url):
        from gqlnews.models import Article
        from gqlnews.plugins.strategies import Window
        from gqlnews_ranking.hours import hour_of
        from gqlnews_ranking.models import ViewBucket, ViewOrigin
        from gqlnews_ranking.most_read import MostRead
        from gqlnews_ranking.scores import forget_scores
        from gqlnews_ranking.store import add_live

        now = datetime.now(UTC)
        ids = await Article.all().order_by("-id").limit(articles).values_list("id", flat=True)
        last = hour_of(now)
        hours = range(last - 167, last + 1)
        random.seed(7)
        counts = {
            (int(pk), hour): random.randint(1, 50)
            for pk in ids
            for hour in hours
            if random.random() < fill
        }
        await add_live(counts)
        window = Window(now - timedelta(days=7), now)
        try:
            in_window = await ViewBucket.filter(hour__gte=hours[0]).count()
            print(f"{len(ids)} articles, {len(counts)} buckets added, {in_window} in the week")
            for how in ("forgotten", "kept"):
                forget_scores()
                cpu, wall = [], []
                for _ in range(runs):
                    if how == "forgotten":
                        forget_scores()
                    started, clock = time.process_time(), time.perf_counter()
                    ranked = await MostRead().rank(window, None, 15)
                    cpu.append((time.process_time() - started) * 1000)
                    wall.append((time.perf_counter() - clock) * 1000)
                print(
                    f"| {how} | {statistics.median(cpu):.2f} | {statistics.median(wall):.2f} "
                    f"| {len(ranked)} |"
                )
        finally:
            await ViewBucket.filter(
                origin=ViewOrigin.LIVE, hour__gte=hours[0], article_id__in=list(ids)
            ).delete()
            forget_scores()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--fill", type=float, default=0.6)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print("| scores | CPU ms (median) | wall ms (median) | articles ranked |\n|---|---:|---:|---:|")
    asyncio.run(_main(args.database_url, args.articles, args.fill, args.runs))


if __name__ == "__main__":
    main()
