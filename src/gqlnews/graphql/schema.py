"""Build the Strawberry schema: the root types plus limits, caches and error masking."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

import pluggy
import strawberry
from graphql import (
    ASTValidationRule,
    GraphQLError,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
)
from strawberry.extensions import (
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
)
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext

from gqlnews.errors import ClientError, PluginFieldError
from gqlnews.graphql import closing
from gqlnews.graphql.cache_scope import CacheScope
from gqlnews.graphql.cost import CORE_COSTS, CostModel, QueryCost
from gqlnews.graphql.extension_hooks import HookRunner
from gqlnews.graphql.mutations.accounts import AccountMutations
from gqlnews.graphql.mutations.articles import ArticleMutations
from gqlnews.graphql.mutations.catalog import CatalogMutations
from gqlnews.graphql.mutations.previews import PreviewMutations
from gqlnews.graphql.mutations.print import PrintMutations
from gqlnews.graphql.mutations.sections import SectionMutations
from gqlnews.graphql.mutations.webhooks import WebhookMutations
from gqlnews.graphql.plans import PlannedExecutor
from gqlnews.graphql.queries.accounts import AccountQueries
from gqlnews.graphql.queries.articles import ArticleQueries
from gqlnews.graphql.queries.editions import EditionQueries
from gqlnews.graphql.queries.nodes import NodeQueries
from gqlnews.graphql.queries.ranking import RankingQueries
from gqlnews.graphql.queries.strategies import StrategyQueries
from gqlnews.graphql.queries.taxonomy import TaxonomyQueries
from gqlnews.graphql.queries.trash import TrashQueries
from gqlnews.graphql.queries.webhooks import WebhookQueries
from gqlnews.graphql.stored_limits import StoredLimits, is_stored_limit
from gqlnews.graphql.subscriptions import Subscription
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.author import Author
from gqlnews.graphql.types.edition import Edition
from gqlnews.graphql.types.section import Section
from gqlnews.graphql.types.supplement import Supplement
from gqlnews.graphql.types.tag import Tag
from gqlnews.graphql.validation_bound import BoundedValidation, limit_rule
from gqlnews.observability.extension import OperationMetrics
from gqlnews.plugins import PluginError, call_items_sync
from gqlnews.plugins.hookspecs import FieldCost, TypeExtension
from gqlnews.settings import Settings

CACHE_SIZE = 1000
log = logging.getLogger("gqlnews.graphql")


@strawberry.type(description="The public read API of gqlnews.")
class Query(
    NodeQueries,
    ArticleQueries,
    TaxonomyQueries,
    EditionQueries,
    StrategyQueries,
    RankingQueries,
    AccountQueries,
    TrashQueries,
    WebhookQueries,
):
    pass


@strawberry.type(description="Changes: signing in and out, and the newsroom's writes.")
class Mutation(
    AccountMutations,
    ArticleMutations,
    PreviewMutations,
    SectionMutations,
    PrintMutations,
    CatalogMutations,
    WebhookMutations,
):
    pass


def _is_internal(error: GraphQLError) -> bool:
    """Errors raised by our code or libraries that are not a client's fault get masked."""
    original = error.original_error
    return (
        original is not None
        and not isinstance(original, ClientError | GraphQLError)
        and not is_stored_limit(original)
    )


class NewsSchema(strawberry.Schema):
    """Logs only errors that are ours to fix; a client's mistake is answered, not logged.
    Runs its extensions' hooks looked up once per class (:mod:`.extension_hooks`)."""

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        return HookRunner(execution_context=execution_context, extensions=extensions)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if _is_internal(error):
                log.error("unexpected error in %s", error.path, exc_info=error.original_error)


def limit_rules(settings: Settings) -> list[type[ASTValidationRule]]:
    """The expansion, depth and alias limits of ``settings`` as a validation rule, for checking
    documents outside a request (the token limit is the parser's ``max_tokens``)."""
    return [limit_rule(settings.max_tokens, settings.max_depth, settings.max_aliases)]


def _extensions(settings: Settings, costs: CostModel) -> list[Callable[[], SchemaExtension]]:
    """Factories for a fresh set of extensions per request.

    Validation is bounded (a document expanding to more field selections than it may have
    tokens is refused before graphql-core's rules run) and cached by document text; the query
    cost is checked right after it, before anything executes. The parse cache lives at module
    level in Strawberry.
    """
    factories: list[Callable[[], SchemaExtension]] = [
        OperationMetrics,
        CacheScope,
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: BoundedValidation(settings.max_tokens, settings.max_depth, settings.max_aliases),
        lambda: QueryCost(costs, settings),
        StoredLimits,
    ]
    if not settings.debug:
        factories.append(lambda: MaskErrors(should_mask_error=_is_internal))
    return factories


def build_schema(settings: Settings, plugins: pluggy.PluginManager | None = None) -> NewsSchema:
    """The schema with the limits of ``settings`` and the plugins' types and fields.

    Built once per app. Plugin fields are Strawberry types whose GraphQL fields are moved onto
    their target type once the schema exists, so nothing is redefined at import time and the
    exported SDL shows exactly what the installed plugins add.
    """
    closing.install()  # graphql-core closes the work its cancellations drop
    plugin_types: list[tuple[str, type]] = (
        call_items_sync(plugins, "gqlnews_schema_types") if plugins else []
    )
    extra_types = [type_ for _plugin, type_ in plugin_types]
    extensions: list[tuple[str, TypeExtension]] = (
        call_items_sync(plugins, "gqlnews_extend_types") if plugins else []
    )
    plugin_costs: list[tuple[str, FieldCost]] = (
        call_items_sync(plugins, "gqlnews_field_costs") if plugins else []
    )
    costs = CostModel(
        [*CORE_COSTS, *(cost for _plugin, cost in plugin_costs if isinstance(cost, FieldCost))],
        settings.default_page_size,
        settings.max_page_size,
    )
    schema = NewsSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[
            Article,
            Section,
            Author,
            Tag,
            Edition,
            Supplement,
            *extra_types,
            *(extension.fields for _plugin, extension in extensions),
        ],
        extensions=_extensions(settings, costs),
        execution_context_class=PlannedExecutor,
    )
    _graft(schema, extensions)
    _check_plugin_costs(schema, plugin_types, extensions, plugin_costs)
    return schema


def _check_plugin_costs(
    schema: NewsSchema,
    plugin_types: list[tuple[str, type]],
    extensions: list[tuple[str, TypeExtension]],
    plugin_costs: list[tuple[str, FieldCost]],
) -> None:
    """Stop the server when a plugin declares the cost of a field that is not in the schema,
    that it did not add, or that another declaration already costs."""
    owned: dict[str, str] = {}
    type_map = schema._schema.type_map
    for plugin, type_ in plugin_types:
        definition = getattr(type_, "__strawberry_definition__", None)
        graphql_type = type_map.get(definition.name) if definition else None
        if isinstance(graphql_type, GraphQLObjectType):
            owned.update((f"{graphql_type.name}.{name}", plugin) for name in graphql_type.fields)
    for plugin, extension in extensions:
        definition = getattr(extension.fields, "__strawberry_definition__", None)
        for field in definition.fields if definition else ():
            owned[f"{extension.target}.{schema.config.name_converter.get_graphql_name(field)}"] = (
                plugin
            )
    declared: dict[str, str] = {}
    for plugin, cost in plugin_costs:
        if not isinstance(cost, FieldCost):
            raise PluginError(f"plugin {plugin!r}: gqlnews_field_costs must return FieldCost")
        if cost.field in declared:
            raise PluginError(
                f"the cost of {cost.field} is declared twice ({declared[cost.field]!r}, {plugin!r})"
            )
        if owned.get(cost.field) != plugin:
            type_name, _, field_name = cost.field.partition(".")
            exists = field_name in getattr(type_map.get(type_name), "fields", {})
            why = "is not its own" if exists else "is not in the schema"
            raise PluginError(f"plugin {plugin!r} declares the cost of {cost.field}, which {why}")
        if not 0 <= cost.weight <= 10_000 or (cost.size is not None and cost.size < 0):
            raise PluginError(f"plugin {plugin!r}: the cost of {cost.field} is out of range")
        declared[cost.field] = plugin


def _guard(field: GraphQLField, plugin: str, where: str) -> GraphQLField:
    """Make a plugin's field fail alone, with PLUGIN_ERROR, and log the plugin's name.

    The field becomes nullable, so its failure nulls only itself, never its parent.
    """
    if isinstance(field.type, GraphQLNonNull):
        field.type = field.type.of_type
    resolve = field.resolve
    if resolve is None:
        return field

    def failed(exc: Exception) -> PluginFieldError:
        log.error(
            "plugin %r failed resolving %s",
            plugin,
            where,
            exc_info=exc,
            extra={"plugin": plugin, "field": where},
        )
        return PluginFieldError(plugin, where)

    def guarded(source: Any, info: Any, **arguments: Any) -> Any:
        try:
            result = resolve(source, info, **arguments)
        except GraphQLError:
            raise
        except Exception as exc:
            raise failed(exc) from exc
        if not inspect.isawaitable(result):
            return result

        async def awaited() -> Any:
            try:
                return await result
            except GraphQLError:
                raise
            except Exception as exc:
                raise failed(exc) from exc

        return awaited()

    field.resolve = guarded
    return field


def _graft(schema: NewsSchema, extensions: list[tuple[str, TypeExtension]]) -> None:
    """Move each extension's fields onto its target type; drop the carrier types."""
    type_map = schema._schema.type_map
    for plugin, extension in extensions:
        definition = getattr(extension.fields, "__strawberry_definition__", None)
        if definition is None:
            raise PluginError(f"{extension.fields.__qualname__} is not a Strawberry type")
        carrier = type_map.pop(definition.name, None)
        if extension.target == "Mutation" and schema._schema.mutation_type is None:
            # The core defines Mutation; this stays for schemas built without one.
            schema._schema.mutation_type = GraphQLObjectType("Mutation", {})
            type_map["Mutation"] = schema._schema.mutation_type
        target = type_map.get(extension.target)
        if not isinstance(target, GraphQLObjectType) or not isinstance(carrier, GraphQLObjectType):
            raise PluginError(f"cannot extend {extension.target!r}: no such object type")
        for name, field in carrier.fields.items():
            if name in target.fields:
                raise PluginError(
                    f"{extension.target}.{name} already exists; "
                    f"{extension.fields.__qualname__} cannot add it again"
                )
            target.fields[name] = _guard(field, plugin, f"{extension.target}.{name}")
