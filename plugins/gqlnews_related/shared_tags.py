"""Shared tags, weighted by how rare each tag is (inverse document frequency)."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Sequence

from gqlnews.api import Article, ArticleTag, Scored, depends_on
from gqlnews_related.caching import INDEX_KEY
from gqlnews_related.statements import Statement
from gqlnews_related.tallies import ARTICLES, counted

COMMON_TAG_SHARE = 0.05
"""Tags on more than this share of the archive say little and are not followed."""

_OWN, _TOTAL, _FREQUENCY, _LINK = range(4)

_TAGS = ArticleTag._meta.db_table
_LOOKUP = Statement(
    f"""
    WITH own AS (
        SELECT article_id, tag_id FROM "{_TAGS}" WHERE article_id = ANY($1)
    ), total AS (
        SELECT {counted(ARTICLES)} AS n
    ), cap AS (
        SELECT $2 + CAST(n * CAST($3 AS DOUBLE PRECISION) AS BIGINT) + 1 AS n FROM total
    ), frequency AS (
        SELECT tag_id, (
            SELECT COUNT(*) FROM (
                SELECT 1 FROM "{_TAGS}" a WHERE a.tag_id = mine.tag_id LIMIT (SELECT n FROM cap)
            ) AS bounded
        ) AS n
        FROM (SELECT DISTINCT tag_id FROM own) AS mine
    )
    SELECT {_OWN}, article_id, tag_id FROM own
    UNION ALL SELECT {_TOTAL}, NULL, n FROM total
    UNION ALL SELECT {_FREQUENCY}, tag_id, n FROM frequency
    UNION ALL
    SELECT * FROM (
        SELECT {_LINK}, a.article_id, a.tag_id FROM "{_TAGS}" a
        WHERE a.tag_id IN (
            SELECT tag_id FROM frequency, total
            WHERE frequency.n <= $2 OR frequency.n <= total.n * CAST($3 AS DOUBLE PRECISION)
        )
    ) AS links
    """
)
"""Everything a lookup reads, in one statement: the articles' own tags, the number of
articles (kept by the database: :mod:`gqlnews_related.tallies`), how many articles carry
each own tag, and the links of the tags worth following (the SQL's ceiling is the one
applied below, the same float product). A tag's articles are counted up to a cap just above
that ceiling (``cap``: whatever the cast rounds to, it exceeds the ceiling), so that a tag on
a large share of the archive costs no more than a followed one: its count is only ever
compared with the ceiling. The rows' order does not matter: equal scores are ordered by
article id."""


class SharedTags:
    name = "shared-tags"
    description = (
        "Articles sharing tags with the article, each shared tag weighted by "
        "log(articles / articles with the tag): rare tags count most."
    )

    async def related(self, articles: Sequence[Article], limit: int) -> dict[int, list[Scored]]:
        depends_on(INDEX_KEY)
        rows = await _LOOKUP.rows([a.pk for a in articles], 2, COMMON_TAG_SHARE)
        own: list[tuple[int, int]] = []
        frequency: dict[int, int] = {}
        links: list[tuple[int, int]] = []
        total = 0
        for kind, first, second in rows:
            if kind == _OWN:
                own.append((first, second))
            elif kind == _TOTAL:
                total = second
            elif kind == _FREQUENCY:
                frequency[first] = second
            else:
                links.append((first, second))
        return scored(articles, own, total, frequency, links, limit)


def useful_tags(tags: set[int], total: int, frequency: dict[int, int]) -> set[int]:
    """The tags worth following among ``tags``: those on at most ``COMMON_TAG_SHARE`` of the
    ``total`` articles (or on 2), by their ``frequency``."""
    return {t for t in tags if frequency.get(t, 0) <= max(2, total * COMMON_TAG_SHARE)}


def scored(
    articles: Sequence[Article],
    own: Sequence[tuple[int, int]],
    total: int,
    frequency: dict[int, int],
    links: Sequence[tuple[int, int]],
    limit: int,
) -> dict[int, list[Scored]]:
    """The suggestions for each article from what a lookup read: the articles' ``own``
    (article, tag) links, the ``total`` number of articles, how many articles carry each
    own tag, and the (article, tag) ``links`` of the tags worth following."""
    tags_of: dict[int, set[int]] = defaultdict(set)
    for article_id, tag_id in own:
        tags_of[article_id].add(tag_id)
    all_tags = {t for tags in tags_of.values() for t in tags}
    if not all_tags:
        return {}
    total = max(1, total)
    useful = useful_tags(all_tags, total, frequency)
    weight = {t: math.log(total / max(1, frequency.get(t, 1))) for t in useful}
    carrying: dict[int, list[int]] = defaultdict(list)
    for article_id, tag_id in links:
        carrying[tag_id].append(article_id)
    found: dict[int, list[Scored]] = {}
    for article in articles:
        own_pk = article.pk
        scores: dict[int, float] = defaultdict(float)
        for tag_id in tags_of.get(own_pk, set()) & useful:
            tag_weight = weight[tag_id]
            for other in carrying[tag_id]:
                scores[other] += tag_weight
        scores.pop(own_pk, None)
        # equal scores (common: one shared tag) by article id, whatever order the rows came in
        best = heapq.nsmallest(limit * 3, scores.items(), key=lambda item: (-item[1], item[0]))
        found[own_pk] = [Scored(pk, score, "shared rare tags") for pk, score in best]
    return found
