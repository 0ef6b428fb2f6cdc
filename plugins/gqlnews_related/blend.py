"""The default: shared tags and closeness in the section, each scaled to 0–1, then summed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from gqlnews.api import Article, RelatedStrategy, Scored


class Blend:
    name = "blend"

    def __init__(self, weighted: Sequence[tuple[RelatedStrategy, float]]) -> None:
        self.weighted = list(weighted)
        weights = ", ".join(f"{strategy.name} {weight:g}" for strategy, weight in self.weighted)
        self.description = (
            "The default: each strategy's scores scaled to 0–1 per article and added with "
            f"weights ({weights})."
        )

    async def related(self, articles: Sequence[Article], limit: int) -> dict[int, list[Scored]]:
        totals: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
        for strategy, weight in self.weighted:
            found = await strategy.related(articles, limit)
            for article_id, suggestions in found.items():
                top = max((s.score for s in suggestions), default=0.0) or 1.0
                for s in suggestions:
                    totals[article_id][s.article_id] += weight * s.score / top
                    reasons[(article_id, s.article_id)].append(strategy.name)
        return {
            article_id: [
                Scored(pk, round(score, 4), " + ".join(reasons[(article_id, pk)]))
                for pk, score in sorted(scores.items(), key=lambda item: -item[1])[: limit * 3]
            ]
            for article_id, scores in totals.items()
        }
