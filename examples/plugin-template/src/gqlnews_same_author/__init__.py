"""A gqlnews plugin: related articles signed by the same authors, newest first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from gqlnews.api import (
    Article,
    ArticleAuthor,
    RelatedStrategy,
    Scored,
    articles_of_key,
    depends_on_all,
    hookimpl,
)

__version__ = "0.1.0"


class SameAuthor:
    name = "same-author"
    description = "The latest articles signed by one of the article's authors."

    async def related(self, articles: Sequence[Article], limit: int) -> dict[int, list[Scored]]:
        bylines = await ArticleAuthor.filter(article_id__in=[a.pk for a in articles]).values_list(
            "article_id", "author_id"
        )
        authors_of: dict[int, set[int]] = defaultdict(set)
        for article_id, author_id in bylines:
            authors_of[article_id].add(author_id)
        wanted = {author for authors in authors_of.values() for author in authors}
        # Cached answers showing these suggestions go when an article by one of these
        # authors is published, changed or unpublished (see docs/caching.md).
        depends_on_all(articles_of_key("Author", author) for author in wanted)
        signed = await (
            ArticleAuthor.filter(author_id__in=wanted)
            .order_by("-article__published_at")
            .values_list("article_id", "author_id")
        )
        found: dict[int, list[Scored]] = {}
        for article in articles:
            mine = authors_of.get(article.pk, set())
            ids = [pk for pk, author in signed if author in mine and pk != article.pk]
            unique = list(dict.fromkeys(ids))[: limit * 3]
            found[article.pk] = [
                Scored(pk, float(len(unique) - rank), "same author")
                for rank, pk in enumerate(unique)
            ]
        return found


@hookimpl
def gqlnews_related_strategies() -> list[RelatedStrategy]:
    return [SameAuthor()]
