"""Bound the work of validating a document, before graphql-core's rules run.

A document of a few hundred bytes can make validation exponential: fragments that each spread
the next one twice expand to 2**levels fields, and the limiters that walk them without
memory (Strawberry's depth and alias limiters) took 19 s at 20 levels. Here one pass measures
the document with every fragment measured once (:func:`measure`); a document that expands to
more field selections than it may have tokens is refused with ``QUERY_TOO_COMPLEX`` before
any rule runs, and the depth and alias limits are checked from the same figures. graphql-core's
rule that compares overlapping fields keeps its own budget, lowered here
(:class:`BoundedOverlappingFieldsRule`) to about 20 ms of work. What is left is linear in the
document's text: a few milliseconds for a page's query, about 0.1 s for the largest document
``GQLNEWS_MAX_TOKENS`` allows (graphql-core parses and checks ~30 rules per token).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OverlappingFieldsCanBeMergedRule,
    SelectionSetNode,
    ValidationContext,
    specified_rules,
)
from graphql.validation.validate import ValidationAbortedError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from gqlnews.errors import ClientError
from gqlnews.observability import metrics

QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
OVERLAP_BUDGET = 10_000
"""Work units graphql-core's overlapping-fields rule may spend on one document: about 20 ms
of CPU (its default, 500,000, is about a second). The queries of examples/ and of the
benchmarks spend none: units go to comparing fields that share a response name."""
CACHE_SIZE = 1000
CEILING = 10**12
"""Counts stop growing here (a fan-out of 100 levels would be 2**100), so that they stay
64-bit integers in the JSON of an error."""


@dataclass(frozen=True, slots=True)
class Shape:
    """What a document asks for once every fragment is expanded where it is spread."""

    fields: int
    """Field selections, counting a fragment's fields each time it is spread."""
    aliases: int
    """Aliased fields, counted the same way, over every operation (Strawberry's rule)."""
    depths: tuple[tuple[str, int], ...]
    """Each operation's name (``anonymous`` when it has none) and depth: nested selection
    sets below it, introspection fields not counted."""
    nested_too_deeply: bool = False
    """True when the document nests beyond what can be measured (it is refused)."""


_Measure = tuple[int, int, int]  # fields, aliases, depth


class _Measurer:
    """Measures selection sets; each fragment is measured once, whatever its spreads."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.memo: dict[str, _Measure] = {}
        self.active: set[str] = set()
        self.fragment_visits = 0
        """How many fragment bodies were walked (each at most once): for tests."""

    def selection_set(self, selection_set: SelectionSetNode) -> _Measure:
        fields = aliases = depth = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields += 1
                aliases += selection.alias is not None
                if selection.selection_set is not None:
                    sub_fields, sub_aliases, sub_depth = self.selection_set(selection.selection_set)
                    fields += sub_fields
                    aliases += sub_aliases
                    if not selection.name.value.startswith("__"):
                        depth = max(depth, 1 + sub_depth)
            elif isinstance(selection, InlineFragmentNode):
                sub_fields, sub_aliases, sub_depth = self.selection_set(selection.selection_set)
                fields, aliases = fields + sub_fields, aliases + sub_aliases
                depth = max(depth, sub_depth)
            elif isinstance(selection, FragmentSpreadNode):
                sub_fields, sub_aliases, sub_depth = self.fragment(selection.name.value)
                fields, aliases = fields + sub_fields, aliases + sub_aliases
                depth = max(depth, sub_depth)
        return min(fields, CEILING), min(aliases, CEILING), depth

    def fragment(self, name: str) -> _Measure:
        known = self.memo.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.active:
            return 0, 0, 0  # unknown or cyclic: graphql-core's rules report it
        self.active.add(name)
        self.fragment_visits += 1
        try:
            measured = self.selection_set(definition.selection_set)
        finally:
            self.active.discard(name)
        self.memo[name] = measured
        return measured


def measure(document: DocumentNode) -> Shape:
    """The :class:`Shape` of ``document``, in time linear in its size."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    measurer = _Measurer(fragments)
    fields = aliases = 0
    depths: list[tuple[str, int]] = []
    try:
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                op_fields, op_aliases, depth = measurer.selection_set(definition.selection_set)
                fields, aliases = fields + op_fields, aliases + op_aliases
                depths.append((definition.name.value if definition.name else "anonymous", depth))
    except RecursionError:
        return Shape(0, 0, (), nested_too_deeply=True)
    return Shape(fields, aliases, tuple(depths))


class LRU:
    """A small least-recently-used map, keyed by query text (hashing a parsed document walks
    every node, hashing its text is cached by Python)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[object, Any] = OrderedDict()

    def get(self, key: object) -> Any:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: object, value: Any) -> None:
        self.items[key] = value
        if len(self.items) > self.size:
            self.items.popitem(last=False)


def document_key(document: DocumentNode) -> object:
    """What identifies ``document`` in a cache: its text, when the parser kept it."""
    return document.loc.source.body if document.loc is not None else id(document)


_shapes = LRU(CACHE_SIZE)


def shape_of(document: DocumentNode) -> Shape:
    """:func:`measure`, cached by document text."""
    if document.loc is None:
        return measure(document)
    key = document_key(document)
    shape: Shape | None = _shapes.get(key)
    if shape is None:
        shape = measure(document)
        _shapes.put(key, shape)
    return shape


def limit_errors(
    shape: Shape, max_fields: int, max_depth: int, max_aliases: int
) -> list[GraphQLError]:
    """Why a document of this shape is refused (empty when it is not).

    A document that expands beyond ``max_fields`` selections (or cannot be measured) gets
    ``QUERY_TOO_COMPLEX``; the depth and alias limits keep the messages of Strawberry's
    limiters (``GRAPHQL_VALIDATION_FAILED``)."""
    if shape.nested_too_deeply:
        return [
            ClientError(
                "The document nests selections or fragments too deeply to be checked.",
                code=QUERY_TOO_COMPLEX,
            )
        ]
    if shape.fields > max_fields:
        return [
            ClientError(
                f"The document expands to {shape.fields} field selections once its fragments "
                f"are spread; at most {max_fields} are allowed. Spread each fragment once per "
                "selection set.",
                code=QUERY_TOO_COMPLEX,
                fields=shape.fields,
                maximum=max_fields,
            )
        ]
    errors = [
        GraphQLError(f"'{name}' exceeds maximum operation depth of {max_depth}")
        for name, depth in shape.depths
        if depth > max_depth
    ]
    if shape.aliases > max_aliases:
        errors.append(GraphQLError(f"{shape.aliases} aliases found. Allowed: {max_aliases}"))
    return errors


class BoundedOverlappingFieldsRule(OverlappingFieldsCanBeMergedRule):
    """graphql-core's rule with a budget of :data:`OVERLAP_BUDGET` units instead of 500,000."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.rule_context.remaining_complexity_budget = OVERLAP_BUDGET


def bounded_rules(
    rules: Sequence[type[ASTValidationRule]] = specified_rules,
) -> tuple[type[ASTValidationRule], ...]:
    """``rules`` with the overlapping-fields rule swapped for the bounded one."""
    return tuple(
        BoundedOverlappingFieldsRule if rule is OverlappingFieldsCanBeMergedRule else rule
        for rule in rules
    )


_validations = LRU(CACHE_SIZE)


def validate_bounded(
    schema: GraphQLSchema, document: DocumentNode, rules: Sequence[type[ASTValidationRule]]
) -> list[GraphQLError]:
    """graphql-core's validation with ``rules`` made bounded, cached by document text."""
    bounded = bounded_rules(rules)
    if document.loc is None:
        return [_too_complex(e) for e in validate_document(schema, document, bounded)]
    key = (document_key(document), schema, bounded)
    errors: list[GraphQLError] | None = _validations.get(key)
    if errors is None:
        errors = [_too_complex(e) for e in validate_document(schema, document, bounded)]
        _validations.put(key, errors)
    return errors


def _too_complex(error: GraphQLError) -> GraphQLError:
    """graphql-core's "Validation aborted." (its budget ran out) as a client error."""
    if not isinstance(error, ValidationAbortedError) or error.message != "Validation aborted.":
        return error
    return ClientError(
        "The document is too complex to validate (the same fields repeated or overlapping too "
        "often, or fragments nested too deeply).",
        code=QUERY_TOO_COMPLEX,
    )


class BoundedValidation(SchemaExtension):
    """Strawberry's validation step, bounded and cached (it replaces ``ValidationCache``).

    The document is measured first (linear, cached); only a document within the limits goes
    to graphql-core's rules, whose results are cached by document text."""

    def __init__(self, max_fields: int, max_depth: int, max_aliases: int) -> None:
        super().__init__()
        self.max_fields = max_fields
        self.max_depth = max_depth
        self.max_aliases = max_aliases

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None
        errors = limit_errors(shape_of(document), self.max_fields, self.max_depth, self.max_aliases)
        if errors:
            metrics.GRAPHQL_REFUSED.labels("complexity").inc()
        else:
            errors = validate_bounded(context.schema._schema, document, context.validation_rules)
        context.pre_execution_errors = errors
        yield


def limit_rule(max_fields: int, max_depth: int, max_aliases: int) -> type[ASTValidationRule]:
    """The limits of :func:`limit_errors` as a graphql-core rule, for validating a document
    outside a request (``gqlnews documents``); measured once, fragments memoised."""

    class DocumentLimits(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            for error in limit_errors(
                measure(context.document), max_fields, max_depth, max_aliases
            ):
                context.report_error(error)

    return DocumentLimits
