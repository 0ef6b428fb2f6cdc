"""The related strategies as they were written before their lookups became one prebuilt
statement each (query sets, several statements per strategy): the oracle that the tests and
bench/related_lookup.py compare today's answers with. Scoring is the plugin's own
(``_best``, ``Blend``), and equal shared-tags scores are ordered by article id as the plugin
now orders them (before, their order was whatever the query plan gave); only the reading of
the rows is the old one."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime

from tortoise.functions import Count

from gqlnews.api import Article, ArticleTag, RelatedStrategy, Scored
from gqlnews_related.blend import Blend
from gqlnews_related.models import TextPosting
from gqlnews_related.section_time import WINDOW
from gqlnews_related.shared_tags import COMMON_TAG_SHARE
from gqlnews_related.text_index import idf, stored_frequencies
from gqlnews_related.text_similarity import COMMON_SHARE, MIN_COMMON, _best


class TextBefore:
    name = "text"

    async def related(self, articles: Sequence[Article], limit: int) -> dict[int, list[Scored]]:
        ids = [a.pk for a in articles]
        own = await TextPosting.filter(article_id__in=ids).values_list(
            "article_id", "term", "weight"
        )
        if not own:
            return {}
        mine = {term for _, term, _ in own}
        stored, documents = await stored_frequencies(mine)
        ceiling = max(MIN_COMMON, documents * COMMON_SHARE)
        followed = mine if stored is None else {t for t, df in stored.items() if df <= ceiling}
        postings = (
            await TextPosting.filter(term__in=followed).values_list("article_id", "term", "weight")
            if followed
            else []
        )
        frequency = Counter(term for _, term, _ in postings) if stored is None else stored
        useful = {term for term in followed if frequency.get(term, 0) <= ceiling}
        if not useful:
            return {}
        weight_of = {term: idf(documents, frequency[term]) ** 2 for term in useful}
        carrying: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for article_id, term, weight in postings:
            if term in useful:
                carrying[term].append((article_id, weight))
        vectors: dict[int, dict[str, float]] = defaultdict(dict)
        for article_id, term, weight in own:
            if term in useful:
                vectors[article_id][term] = weight
        return {pk: _best(pk, vectors.get(pk, {}), carrying, weight_of, limit) for pk in ids}


class SharedTagsBefore:
    name = "shared-tags"

    async def related(self, articles: Sequence[Article], limit: int) -> dict[int, list[Scored]]:
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
            best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[: limit * 3]
            found[article.pk] = [Scored(pk, score, "shared rare tags") for pk, score in best]
        return found


class SectionTimeBefore:
    name = "section-time"

    async def related(self, articles: Sequence[Article], limit: int) -> dict[int, list[Scored]]:
        dated = [a for a in articles if a.published_at is not None]
        if not dated:
            return {}
        since = min(a.published_at for a in dated if a.published_at) - WINDOW
        until = max(a.published_at for a in dated if a.published_at) + WINDOW
        rows = await Article.filter(
            primary_section_id__in={a.primary_section_id for a in dated},
            published_at__gte=since,
            published_at__lte=until,
        ).values_list("id", "primary_section_id", "published_at")
        by_section: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
        for pk, section_id, published_at in rows:
            by_section[section_id].append((pk, published_at))
        found: dict[int, list[Scored]] = {}
        for article in dated:
            scored = []
            for pk, published_at in by_section[article.primary_section_id]:
                if pk == article.pk:
                    continue
                days = abs((published_at - article.published_at).total_seconds()) / 86400  # type: ignore[operator]
                if days <= WINDOW.days:
                    scored.append(
                        Scored(pk, 1 / (1 + days), f"same section, {days:.0f} days apart")
                    )
            scored.sort(key=lambda s: -s.score)
            found[article.pk] = scored[: limit * 3]
        return found


def strategies_before() -> list[RelatedStrategy]:
    """The default blend and its three strategies, as ``gqlnews_related_strategies`` gives
    them, read the old way."""
    text, tags, section = TextBefore(), SharedTagsBefore(), SectionTimeBefore()
    return [Blend([(text, 0.5), (tags, 0.35), (section, 0.15)]), text, tags, section]
