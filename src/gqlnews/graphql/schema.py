"""Build the Strawberry schema: the root types plus limits, caches and error masking."""

from __future__ import annotations

import logging
from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types import ExecutionContext

from gqlnews.errors import ClientError
from gqlnews.graphql.queries.articles import ArticleQueries
from gqlnews.graphql.queries.editions import EditionQueries
from gqlnews.graphql.queries.nodes import NodeQueries
from gqlnews.graphql.queries.taxonomy import TaxonomyQueries
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.author import Author
from gqlnews.graphql.types.edition import Edition
from gqlnews.graphql.types.section import Section
from gqlnews.graphql.types.supplement import Supplement
from gqlnews.graphql.types.tag import Tag
from gqlnews.observability.extension import OperationMetrics
from gqlnews.settings import Settings

CACHE_SIZE = 1000
log = logging.getLogger("gqlnews.graphql")


@strawberry.type(description="The public read API of gqlnews.")
class Query(NodeQueries, ArticleQueries, TaxonomyQueries, EditionQueries):
    pass


def _is_internal(error: GraphQLError) -> bool:
    """Errors raised by our code or libraries that are not a client's fault get masked."""
    original = error.original_error
    return original is not None and not isinstance(original, ClientError | GraphQLError)


class NewsSchema(strawberry.Schema):
    """Logs only errors that are ours to fix; a client's mistake is answered, not logged."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if _is_internal(error):
                log.error("unexpected error in %s", error.path, exc_info=error.original_error)


def _extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Factories for a fresh set of extensions per request.

    The limiters' validation rules are built once and shared, so the validation cache (keyed by
    schema, document and rules) hits across requests; the parse and validation caches themselves
    live at module level in Strawberry.
    """
    rules = [
        *QueryDepthLimiter(max_depth=settings.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    factories: list[Callable[[], SchemaExtension]] = [
        OperationMetrics,
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
    ]
    if not settings.debug:
        factories.append(lambda: MaskErrors(should_mask_error=_is_internal))
    return factories


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the limits of ``settings``, built once per app."""
    return NewsSchema(
        query=Query,
        types=[Article, Section, Author, Tag, Edition, Supplement],
        extensions=_extensions(settings),
    )
