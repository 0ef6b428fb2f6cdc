"""Shared tags, weighted by how rare each tag is (inverse document frequency)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from tortoise.functions import Count

from gqlnews.api import Article, ArticleTag, Scored, depends_on
from gqlnews_related.caching import INDEX_KEY

COMMON_TAG_SHARE = 0.05
"""Tags on more than this share of the archive say little and are not followed."""


class SharedTags:
    name = "shared-tags"
    description = (
        "Articles sharing tags with the article, each shared tag weighted by "
        "log(articles / articles with the tag): rare tags count most."
    )

    async def related(self, articles: Sequence[Article], limit: int) -> dict[int, list[Scored]]:
        depends_on(INDEX_KEY)
        ids = [a.pk for a in articles]
        own = await ArticleTag.filter(article_id__in=ids).values_list("article_id", "tag_id")
        tags_of: dict[int, set[int]] = defaultdict(set)
        for article_id, tag_id in own:
            tags_of[article_id].add(tag_id)
        all_tags = {t for tags in tags_of.values() for t in tags}
        if not all_tags:
            return {}
        total = max(1, await Article.all().count())
        frequency = dict(
            await ArticleTag.filter(tag_id__in=all_tags)
            .annotate(n=Count("id"))
            .group_by("tag_id")
            .values_list("tag_id", "n")
        )
        useful = {t for t in all_tags if frequency.get(t, 0) <= max(2, total * COMMON_TAG_SHARE)}
        weight = {t: math.log(total / max(1, frequency.get(t, 1))) for t in useful}
        links = await ArticleTag.filter(tag_id__in=useful).values_list("article_id", "tag_id")
        carrying: dict[int, list[int]] = defaultdict(list)
        for article_id, tag_id in links:
            carrying[tag_id].append(article_id)
        found: dict[int, list[Scored]] = {}
        for article in articles:
            scores: dict[int, float] = defaultdict(float)
            for tag_id in tags_of.get(article.pk, set()) & useful:
                for other in carrying[tag_id]:
                    if other != article.pk:
                        scores[other] += weight[tag_id]
            best = sorted(scores.items(), key=lambda item: -item[1])[: limit * 3]
            found[article.pk] = [Scored(pk, score, "shared rare tags") for pk, score in best]
        return found
