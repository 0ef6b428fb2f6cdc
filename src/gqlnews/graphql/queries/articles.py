"""Root fields that find articles: by slug or ID, as lists, by full-text search."""

from typing import Annotated

import strawberry

from gqlnews.cache import keys
from gqlnews.cache.deps import depends_on, uncacheable
from gqlnews.errors import BadUserInput
from gqlnews.graphql.context import Info
from gqlnews.graphql.criteria import ArticleCriteria
from gqlnews.graphql.queries.search import search_articles
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.article_filter import ArticleFilter
from gqlnews.graphql.types.article_lists import articles_field
from gqlnews.graphql.types.connection import Connection
from gqlnews.ids import decode_id_of
from gqlnews.previews import Preview, previewed_article
from gqlnews.slugs import normalize_slug


@strawberry.type
class ArticleQueries:
    @strawberry.field(
        description=(
            "One visible article, by slug or by ID (give exactly one); null if unknown. With a "
            "draft preview token (HTTP header Gqlnews-Preview-Token), the one article the token "
            "opens, in any status, or the error PREVIEW_TOKEN_INVALID."
        )
    )
    async def article(
        self,
        info: Info,
        slug: str | None = None,
        id: strawberry.ID | None = None,
    ) -> Article | None:
        if (slug is None) == (id is None):
            raise BadUserInput("give exactly one of slug and id", argument="slug")
        loaders = info.context.loaders
        if info.context.preview is not None:
            return _previewed(info.context.preview, id, slug)
        if id is not None:
            pk = decode_id_of("Article", id)
            depends_on(keys.entity("Article", pk))
            row = await loaders.article.load(pk)
        else:
            slug = normalize_slug(slug or "")
            depends_on(keys.by_slug("Article", slug))
            row = await loaders.article_by_slug.load(slug)
        return Article.from_model(row) if row else None

    articles = articles_field(
        lambda _root: ArticleCriteria(),
        "Visible articles, newest first by default, with filters and Relay pagination.",
    )

    @strawberry.field(
        description=(
            "Full-text search over title, excerpt and body, most relevant first (title, then "
            "excerpt, then body). Every word must match, as the start of a word of the article, "
            "after analysis: French words (Latin script) lose accents, elisions (l', d', qu'…) "
            "and inflections (plural, verb endings); Arabic words lose harakat, tatweel, the "
            "article and attached prefixes (ال، و، ف، ب، ك، ل) and common suffixes, with alef "
            "forms, taa marbuta and alef maqsura unified. See docs/api.md."
        )
    )
    async def search(
        self,
        info: Info,
        query: str,
        first: int | None = None,
        after: str | None = None,
        filter: ArticleFilter | None = None,
        language: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "Analyse every word of the query as this language (a BCP-47 tag whose "
                    "language is fr or ar, e.g. fr, fr-MA, ar); by default each word is "
                    "analysed by its script: Arabic script as Arabic, any other as French. "
                    "Another language is refused (BAD_USER_INPUT)."
                )
            ),
        ] = None,
    ) -> Connection[Article]:
        return await search_articles(info, query, first, after, filter, language)


def _previewed(preview: Preview, id: strawberry.ID | None, slug: str | None) -> Article:
    """The article a draft preview token opens, when it is the one asked for (the one
    exception to the visibility rule, for one article; see :mod:`gqlnews.previews`). Its
    answer is never cached: the view and the HTTP headers leave preview requests out."""
    uncacheable()
    pk = decode_id_of("Article", id) if id is not None else None
    wanted = normalize_slug(slug) if slug is not None else None
    return Article.from_model(previewed_article(preview, pk=pk, slug=wanted))
