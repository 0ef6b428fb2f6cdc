"""Related articles: what a plugin's strategy suggests beside an article, and why."""

import logging

import strawberry

from gqlnews.errors import BadUserInput, PluginFieldError
from gqlnews.graphql.context import Info
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.article_columns import related_columns

log = logging.getLogger("gqlnews.plugins")


@strawberry.type(description="An article suggested beside another, with why.")
class RelatedArticle:
    article: Article
    score: float = strawberry.field(description="Higher is closer; comparable within a strategy.")
    reason: str = strawberry.field(description="Why the strategy suggests it.")


MAX_RELATED = 20


async def related_articles(
    info: Info, article: Article, strategy: str | None, first: int
) -> list[RelatedArticle]:
    """Suggestions for ``article`` by a plugin strategy, visible articles only."""
    strategies = info.context.strategies
    if not 1 <= first <= MAX_RELATED:
        raise BadUserInput(f"first must be between 1 and {MAX_RELATED}", argument="first")
    name = strategy or strategies.default_related(info.context.settings.default_related_strategy)
    if name is None:
        return []
    offered = strategies.related.get(name)
    if offered is None:
        known = ", ".join(sorted(strategies.related)) or "none installed"
        raise BadUserInput(f"unknown strategy {name!r} (known: {known})", argument="strategy")
    loader = info.context.loaders.related(offered.strategy, first, related_columns(info))
    try:
        picks = await loader.load(article.model)
    except Exception as exc:
        log.error(
            "plugin %r failed in related strategy %r",
            offered.plugin,
            name,
            exc_info=exc,
            extra={"plugin": offered.plugin},
        )
        raise PluginFieldError(offered.plugin, "Article.related") from exc
    return [
        RelatedArticle(article=Article.from_model(row), score=s.score, reason=s.reason)
        for row, s in picks
    ]
