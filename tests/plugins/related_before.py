"""The related strategies as they were written before their lookups became one prebuilt
statement each (query sets, several statements per strategy): the oracle that the tests and
bench/related_lookup.py compare today's answers with. Only the reading of the rows is the
old one; the scoring is the plugin's own (each strategy's ``scored``, and ``Blend``)."""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.functions import Count

from gqlnews.api import Article, ArticleTag, RelatedStrategy, Scored
from gqlnews_related.blend import Blend
from gqlnews_related.models import TextPosting
from gqlnews_related.section_time import WINDOW
from gqlnews_related.section_time import scored as section_time_scored
from gqlnews_related.shared_tags import scored as shared_tags_scored
from gqlnews_related.shared_tags import useful_tags
from gqlnews_related.text_index import stored_frequencies
from gqlnews_related.text_similarity import followed_terms, scored


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
        followed = followed_terms(mine, stored, documents)
        postings = (
            await TextPosting.filter(term__in=followed).values_list("article_id", "term", "weight")
            if followed
            else []
        )
        return scored(ids, own, stored, documents, postings, limit)


class SharedTagsBefore:
    name = "shared-tags"

    async def related(self, articles: Sequence[Article], limit: int) -> dict[int, list[Scored]]:
        ids = [a.pk for a in articles]
        own = await ArticleTag.filter(article_id__in=ids).values_list("article_id", "tag_id")
        all_tags = {tag_id for _, tag_id in own}
        if not all_tags:
            return {}
        total = max(1, await Article.all().count())
        frequency = dict(
            await ArticleTag.filter(tag_id__in=all_tags)
            .annotate(n=Count("id"))
            .group_by("tag_id")
            .values_list("tag_id", "n")
        )
        useful = useful_tags(all_tags, total, frequency)
        links = await ArticleTag.filter(tag_id__in=useful).values_list("article_id", "tag_id")
        return shared_tags_scored(articles, own, total, frequency, links, limit)


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
        return section_time_scored(dated, rows, limit)


def strategies_before() -> list[RelatedStrategy]:
    """The default blend and its three strategies, as ``gqlnews_related_strategies`` gives
    them, read the old way."""
    text, tags, section = TextBefore(), SharedTagsBefore(), SectionTimeBefore()
    return [Blend([(text, 0.5), (tags, 0.35), (section, 0.15)]), text, tags, section]
