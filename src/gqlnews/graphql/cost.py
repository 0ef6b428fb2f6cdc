"""The static cost of an operation, computed from its document and variables before it runs.

The model (docs/api.md, "Query cost") follows the IBM GraphQL cost directives draft (weights
and list sizes from slicing arguments, connections sizing their ``nodes`` and ``edges``) with
Shopify's and GitHub's rule of thumb that an answer costs what it may hold:

- a field costs its ``weight`` (0 unless declared: a search, a strategy, a COUNT, a write),
  plus, for each item it may return, 1 when the item is an object and the cost of its own
  selection;
- a field that is not a list returns one item; a list returns as many as its ``first``,
  ``last`` or ``perPage`` argument says (the largest given, else the argument's default in the
  schema), else its assumed size (:data:`CORE_COSTS`), else ``GQLNEWS_DEFAULT_PAGE_SIZE``;
  never more than ``GQLNEWS_MAX_PAGE_SIZE``;
- a connection (``…Connection``) counts 1; its ``nodes`` and ``edges`` are lists of the
  connection's page size; an edge costs nothing of its own, so ``edges { node }`` costs what
  ``nodes`` does;
- inline fragments and fragment spreads count where they are spread (each fragment is costed
  once per request and reused); on an interface, the costliest of the type conditions counts;
  ``@skip`` and ``@include`` are ignored (everything is counted);
- ``__typename`` is free; ``__schema`` and ``__type`` cost :data:`INTROSPECTION_WEIGHT`
  whatever they select; a mutation field weighs :data:`MUTATION_WEIGHT` unless declared.

Plugins declare the cost of their fields with ``gqlnews_field_costs``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
    is_composite_type,
    value_from_ast_untyped,
)
from graphql.pyutils import Undefined
from strawberry.extensions import SchemaExtension

from gqlnews.errors import ClientError
from gqlnews.graphql.validation_bound import CACHE_SIZE, LRU, QUERY_TOO_COMPLEX, document_key
from gqlnews.observability import metrics
from gqlnews.plugins.hookspecs import FieldCost
from gqlnews.settings import Settings

QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
INTROSPECTION_WEIGHT = 10
"""``__schema`` and ``__type``, whatever they select (the answer is built from memory)."""
MUTATION_WEIGHT = 10
"""A mutation field that declares no weight of its own."""
CEILING = 10**15
"""Costs stop growing here (far above any maximum), so that they stay 64-bit integers in JSON."""

CORE_COSTS: tuple[FieldCost, ...] = (
    # Work beyond the objects returned.
    FieldCost("Query.search", weight=10),
    FieldCost("Query.mostRead", weight=10),
    FieldCost("Article.related", weight=2),
    # A bounded COUNT (GQLNEWS_COUNT_CAP rows at most), shared by the three fields of one
    # connection; each weighs it, as each alone runs it.
    *(
        FieldCost(f"{connection}Connection.{name}", weight=1)
        for connection in ("Article", "Edition", "Supplement", "User")
        for name in ("totalCount", "totalCountIsExact", "pageCount")
    ),
    FieldCost("Mutation.signIn", weight=100),  # hashes a password
    # Lists sized by an argument other than first/last/perPage.
    FieldCost("Query.nodes", sizing=("ids",)),
    # Lists without a size argument: what they may hold in a newsroom.
    FieldCost("Query.sections", size=20),
    FieldCost("Section.children", size=5),
    FieldCost("Article.sections", size=5),
    FieldCost("Article.authors", size=5),
    FieldCost("Article.tags", size=10),
    FieldCost("NewsroomEvent.reasons", size=5),
    FieldCost("Edition.pages", size=24),
    FieldCost("EditionPage.articles", size=8),
    FieldCost("Edition.supplements", size=5),
    FieldCost("Query.relatedStrategies", size=10),
    FieldCost("Query.rankingStrategies", size=10),
    FieldCost("Query.webhookEndpoints", size=20),
    FieldCost("WebhookEndpoint.events", size=7),
    FieldCost("WebhookEndpoint.sections", size=5),
    FieldCost("WebhookDelivery.attempts", size=12),
)
"""What the core declares; every other core field has the default cost."""

_DEFAULT = FieldCost("")


def _unwrap(type_: Any) -> Any:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _count(value: object) -> int | None:
    """The number of items an argument's value asks for (an integer, or a list's length)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple):
        return len(value)
    return None


class CostModel:
    """The costs of a schema's fields: the core's, the plugins', and the defaults."""

    def __init__(
        self, declared: Iterable[FieldCost], default_page_size: int, max_page_size: int
    ) -> None:
        self.costs: dict[str, FieldCost] = {}
        for cost in declared:
            self.costs[cost.field] = cost
        self.default_page_size = default_page_size
        self.max_page_size = max_page_size
        self._cache = LRU(CACHE_SIZE)

    def cost(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> int | None:
        """The cost of the operation ``operation_name`` of ``document`` with ``variables``
        (None when the document has no such operation), cached by document text, operation
        and the variables that can size a list (integers and list lengths)."""
        key = (document_key(document), operation_name, _sizing_key(variables), schema)
        known: int | None = self._cache.get(key)
        if known is not None:
            return known
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            return None
        root = {
            OperationType.QUERY: schema.query_type,
            OperationType.MUTATION: schema.mutation_type,
            OperationType.SUBSCRIPTION: schema.subscription_type,
        }[operation.operation]
        if root is None:
            return None
        walk = _Walk(self, schema, document, operation, dict(variables or {}))
        cost = walk.selection_set(operation.selection_set, root, None)
        if document.loc is not None:
            self._cache.put(key, cost)
        return cost

    def list_size(
        self, field: GraphQLField, node: FieldNode, declared: FieldCost, values: _Values
    ) -> int:
        """How many items the list field ``node`` may return."""
        counts: list[int] = []
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        for name in declared.sizing:
            if name in given:
                count = _count(values.of(given[name]))
            elif name in field.args:
                default = field.args[name].default_value
                count = None if default is Undefined else _count(default)
            else:
                continue
            if count is not None:
                counts.append(count)
        if counts:
            size = max(counts)
        elif declared.size is not None:
            size = declared.size
        else:
            size = self.default_page_size
        return max(0, min(size, self.max_page_size))


class _Values:
    """Argument values: literals, and variables from the request or their defaults."""

    def __init__(self, operation: OperationDefinitionNode, variables: dict[str, Any]) -> None:
        self.variables = variables
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name not in variables and definition.default_value is not None:
                self.variables[name] = value_from_ast_untyped(definition.default_value)

    def of(self, node: ValueNode) -> object:
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, ListValueNode):
            return list(node.values)
        return None


class _Walk:
    """One costing of one operation; each fragment is costed once (per page size)."""

    def __init__(
        self,
        model: CostModel,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
    ) -> None:
        self.model = model
        self.schema = schema
        self.mutation = operation.operation == OperationType.MUTATION
        self.values = _Values(operation, variables)
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[tuple[str, int | None], int] = {}
        self.active: set[str] = set()

    def selection_set(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType, page: int | None
    ) -> int:
        """The cost of a selection made on ``parent``; ``page`` is the page size when
        ``parent`` is a connection (it sizes ``nodes`` and ``edges``)."""
        common = 0
        branches: dict[str, int] = {}
        for on, cost in self._parts(selection_set, parent, page):
            if on is None or on is parent or not isinstance(on, GraphQLObjectType):
                common += cost
            else:
                branches[on.name] = branches.get(on.name, 0) + cost
        return min(common + max(branches.values(), default=0), CEILING)

    def _parts(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType, page: int | None
    ) -> Iterator[tuple[GraphQLNamedType | None, int]]:
        """Each selection with the type it applies to (None: the parent) and its cost."""
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield None, self.field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                on = self._type(
                    selection.type_condition.name.value if selection.type_condition else None,
                    parent,
                )
                yield on, self.selection_set(selection.selection_set, on, page)
            elif isinstance(selection, FragmentSpreadNode):
                definition = self.fragments.get(selection.name.value)
                if definition is not None:
                    on = self._type(definition.type_condition.name.value, parent)
                    yield on, self.fragment(definition, on, page)

    def _type(self, name: str | None, parent: GraphQLNamedType) -> GraphQLNamedType:
        found = self.schema.get_type(name) if name else None
        return found if found is not None else parent

    def fragment(
        self, definition: FragmentDefinitionNode, on: GraphQLNamedType, page: int | None
    ) -> int:
        key = (definition.name.value, page)
        known = self.memo.get(key)
        if known is not None:
            return known
        if definition.name.value in self.active:
            return 0  # a cycle: validation refuses it
        self.active.add(definition.name.value)
        try:
            cost = self.selection_set(definition.selection_set, on, page)
        finally:
            self.active.discard(definition.name.value)
        self.memo[key] = cost
        return cost

    def field(self, node: FieldNode, parent: GraphQLNamedType, page: int | None) -> int:
        name = node.name.value
        if name == "__typename":
            return 0
        if name.startswith("__"):
            return INTROSPECTION_WEIGHT
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        declared = self.model.costs.get(f"{parent.name}.{name}")
        weight = declared.weight if declared else 0
        if declared is None and self.mutation and parent is self.schema.mutation_type:
            weight = MUTATION_WEIGHT
        declared = declared or _DEFAULT
        named = get_named_type(definition.type)
        if isinstance(_unwrap(definition.type), GraphQLList):
            if page is not None and name in ("nodes", "edges"):
                size = page
            else:
                size = self.model.list_size(definition, node, declared, self.values)
        else:
            size = 1
        child_page = None
        if named.name.endswith("Connection"):
            child_page = self.model.list_size(definition, node, declared, self.values)
        unit = 1 if is_composite_type(named) and not named.name.endswith("Edge") else 0
        below = 0
        if node.selection_set is not None:
            below = self.selection_set(node.selection_set, named, child_page)
        return min(weight + size * (unit + below), CEILING)


def _sizing_key(variables: Mapping[str, Any] | None) -> tuple[tuple[str, object], ...]:
    """The variables that can change a cost: integers, and the lengths of lists."""
    if not variables:
        return ()
    key: list[tuple[str, object]] = []
    for name, value in variables.items():
        if isinstance(value, int) and not isinstance(value, bool):
            key.append((name, value))
        elif isinstance(value, list):
            key.append((name, ("len", len(value))))
    return tuple(sorted(key))


def too_costly(cost: int, maximum: int, staff: bool) -> ClientError:
    """The error of a refused operation, with its cost and the maximum."""
    who = "with a staff token" if staff else "anonymously"
    return ClientError(
        f"This query costs {cost}; at most {maximum} is allowed {who}. Ask for smaller pages "
        '(first, last, perPage) or fewer nested lists; docs/api.md, "Query cost", says how '
        "the cost is counted.",
        code=QUERY_TOO_COSTLY,
        cost=cost,
        maximum=maximum,
    )


class QueryCost(SchemaExtension):
    """Refuses an operation costlier than the viewer's maximum before any resolver runs;
    reports every cost to ``/metrics`` and, in debug mode, in ``extensions.cost``.

    It runs in the validation step, after :class:`~gqlnews.graphql.validation_bound.
    BoundedValidation` (place it after that extension), on valid documents only."""

    def __init__(self, model: CostModel, settings: Settings) -> None:
        super().__init__()
        self.model = model
        self.settings = settings
        self.computed: int | None = None

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if not context.pre_execution_errors and document is not None:
            self._check(document)
        yield

    def _check(self, document: DocumentNode) -> None:
        context = self.execution_context
        try:
            cost = self.model.cost(
                context.schema._schema, document, context.operation_name, context.variables
            )
        except RecursionError:
            metrics.GRAPHQL_REFUSED.labels("complexity").inc()
            context.pre_execution_errors = [
                ClientError("The document nests fragments too deeply.", code=QUERY_TOO_COMPLEX)
            ]
            return
        if cost is None:
            return
        self.computed = cost
        metrics.GRAPHQL_COST.observe(cost)
        viewer = getattr(context.context, "viewer", None)
        staff = bool(getattr(viewer, "is_authenticated", False))
        maximum = self.settings.max_cost_staff if staff else self.settings.max_cost
        if cost > maximum:
            metrics.GRAPHQL_REFUSED.labels("cost").inc()
            context.pre_execution_errors = [too_costly(cost, maximum, staff)]

    def get_results(self) -> dict[str, Any]:
        if self.settings.debug and self.computed is not None:
            return {"cost": self.computed}
        return {}
