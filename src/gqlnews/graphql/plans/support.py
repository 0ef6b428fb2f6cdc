"""Which operations the planner can run, decided once per document and process."""

from __future__ import annotations

import logging
from collections import OrderedDict

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    parse,
)

from gqlnews.graphql.plans.shape import Shapes

log = logging.getLogger("gqlnews.graphql.plans")

MAX_PLANS = 1000
"""Decisions kept per process (least recently used out first), as many as persisted
documents (:class:`gqlnews.documents.DocumentStore`)."""

_UNSUPPORTED_DIRECTIVES = frozenset({"defer", "stream"})


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


def unsupported(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None = None
) -> str | None:
    """Why the planner cannot run ``operation_name`` of ``document`` (None: it can).

    The document is assumed valid against ``schema`` (registered documents are)."""
    operation = _operation(document, operation_name)
    if operation is None:
        return "no single operation to run"
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return operation_unsupported(schema, operation, fragments)


def operation_unsupported(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
) -> str | None:
    """Why the planner cannot run ``operation`` (None: it can)."""
    if operation.operation is not OperationType.QUERY:
        return f"{operation.operation.value} operations are executed"
    return _check(schema, schema.query_type, operation.selection_set, fragments, set())


Parent = GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType


def _check(
    schema: GraphQLSchema,
    parent: Parent | None,
    selections: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    seen: set[str],
) -> str | None:
    assert parent is not None
    for selection in selections.selections:
        for directive in selection.directives or ():
            if directive.name.value in _UNSUPPORTED_DIRECTIVES:
                return f"@{directive.name.value}"
        if isinstance(selection, FieldNode):
            reason = _check_field(schema, parent, selection, fragments, seen)
        elif isinstance(selection, InlineFragmentNode):
            inner = _condition(schema, parent, selection.type_condition)
            reason = _check(schema, inner, selection.selection_set, fragments, seen)
        else:
            assert isinstance(selection, FragmentSpreadNode)
            name = selection.name.value
            if name in seen:
                continue
            fragment = fragments[name]
            inner = _condition(schema, parent, fragment.type_condition)
            reason = _check(schema, inner, fragment.selection_set, fragments, seen | {name})
        if reason is not None:
            return reason
    return None


def _condition(schema: GraphQLSchema, parent: Parent, condition: NamedTypeNode | None) -> Parent:
    """The type a fragment's fields are selected on: its type condition, else the parent."""
    if condition is None:
        return parent
    named = schema.get_type(condition.name.value)
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)
    return named


def _check_field(
    schema: GraphQLSchema,
    parent: Parent,
    node: FieldNode,
    fragments: dict[str, FragmentDefinitionNode],
    seen: set[str],
) -> str | None:
    name = node.name.value
    if name == "__typename":
        return None
    if name.startswith("__"):
        return f"introspection ({name})"
    fields = parent.fields if not isinstance(parent, GraphQLUnionType) else {}
    field = fields.get(name)
    if field is None:
        return f"unknown field {parent.name}.{name}"
    named = get_named_type(field.type)
    if node.selection_set is None:
        return None
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)
    return _check(schema, named, node.selection_set, fragments, seen)


class PlanStore:
    """This process's decisions: for each document (by its parsed node, which Strawberry's
    parser cache keeps for as long as the text is in use) and operation, whether it runs as a
    plan, and why not. Bounded like the document cache."""

    def __init__(self, size: int = MAX_PLANS) -> None:
        self.size = size
        self._decisions: OrderedDict[int, tuple[OperationDefinitionNode, str | None, Shapes]]
        self._decisions = OrderedDict()

    def reason(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
    ) -> str | None:
        """Why this operation is executed rather than planned (None: it is planned)."""
        return self._entry(schema, operation, fragments)[1]

    def shapes(
        self, operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
    ) -> Shapes:
        """The trees of a planned ``operation`` (see :mod:`.shape`), kept with its decision.

        Called after :meth:`reason` said it is planned."""
        found = self._decisions.get(id(operation))
        if found is not None and found[0] is operation:
            return found[2]
        return Shapes(operation, fragments)  # evicted in between: used once

    def _entry(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
    ) -> tuple[OperationDefinitionNode, str | None, Shapes]:
        key = id(operation)
        found = self._decisions.get(key)
        if found is not None and found[0] is operation:
            self._decisions.move_to_end(key)
            return found
        reason = operation_unsupported(schema, operation, fragments)
        if reason is not None:
            name = operation.name.value if operation.name else "(anonymous)"
            log.info("operation %s runs without a plan: %s", name, reason)
        # The node is kept with its decision, so its id cannot be reused while it is here.
        entry = (operation, reason, Shapes(operation, fragments))
        self._decisions[key] = entry
        if len(self._decisions) > self.size:
            self._decisions.popitem(last=False)
        return entry


def plan_summary(schema: GraphQLSchema, text: str) -> str:
    """How the operations of ``text`` run, for ``gqlnews documents list``: ``planned``, or
    ``executed`` with the reasons (per operation when there are several)."""
    document = parse(text)
    names = [
        d.name.value if d.name else None
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    ]
    reasons = [(name, unsupported(schema, document, name)) for name in names]
    missing = [(name, reason) for name, reason in reasons if reason is not None]
    if not missing:
        return "planned"
    if len(reasons) == 1:
        return f"executed ({missing[0][1]})"
    return "executed: " + "; ".join(f"{name}: {reason}" for name, reason in missing)
