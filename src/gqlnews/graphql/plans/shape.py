"""A planned operation's shape: what each level selects, worked out once and reused.

graphql-core collects the fields of every selection (fragments, inline fragments,
``@skip``/``@include``, merging) and coerces every field's arguments on every request. For a
persisted document these depend on nothing but the document and the values of the variables
that ``@skip``/``@include`` read, so a plan keeps them: :func:`build` turns one request's
collected root fields into a tree of :class:`Shape` (one per object selection) whose
:class:`Step` (one per response key) says how the field is resolved (a batch of
:mod:`.batch`, an attribute, or the field's own resolver), with the arguments coerced once when
they name no variable, and how its values are completed (:class:`Completion`).
A field of an interface or a union (``node``, ``nodes``) gets one shape per object type it may
return, its selection collected for each. :class:`Shapes` keeps the trees of one operation by
the values of those variables.
"""

from __future__ import annotations

import builtins
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    GraphQLUnionType,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.values import get_argument_values
from strawberry.schema.schema_converter import GraphQLCoreConverter

from gqlnews.graphql.plans.batch import BATCHED, Relation

_DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF
_CONDITIONS = frozenset({"skip", "include"})

MAX_SHAPES = 16
"""Trees kept per operation, one per combination of the ``@skip``/``@include`` variables."""

Collect = Callable[[GraphQLObjectType, FieldDetailsList], GroupedFieldSet]
"""Collects the subfields of a selection for a type (the executor's ``collect_subfields``)."""
Possible = Callable[[GraphQLAbstractType], Sequence[GraphQLObjectType]]
"""The object types of an interface or a union (the schema's ``get_possible_types``)."""


class Unplannable(Exception):
    """The selection holds something the shape does not describe (``@defer``, a field with
    no resolver): the request is executed instead."""


@dataclass(slots=True)
class Completion:
    """How a field's resolved values become its answer: the null check, then a leaf's
    serialiser, a list's items, an object's own shape, or for an interface or a union the
    shape of each object type it may be (the one a value resolves to is used)."""

    type: GraphQLOutputType
    non_null: bool
    leaf: Any = None
    """The leaf type (scalar or enum) whose ``serialize`` gives the answer."""
    plain_strings: bool = False
    """A String or ID: a ``str`` value is its own answer (graphql-core's serialisers give
    it back unchanged)."""
    plain: builtins.type[Any] | None = None
    """``int`` for an Int, ``bool`` for a Boolean: a value of exactly that type (an Int's
    within 32 bits) is its own answer, as graphql-core's serialisers give it back."""
    answers: dict[tuple[builtins.type[Any], Any], Any] | None = None
    """For an enum: the answers of the values met so far (an enum has a few), by type and
    value; its ``serialize`` scans the enum's values for each one."""
    item: Completion | None = None
    object: GraphQLObjectType | None = None
    shape: Shape | None = None
    abstract: GraphQLAbstractType | None = None
    shapes: dict[str, Shape] | None = None
    """For an abstract type: the shape of each of its object types, by name."""


@dataclass(slots=True)
class Step:
    """One response key of a selection."""

    key: str
    name: str
    parent: GraphQLObjectType
    field: GraphQLField | None
    """None for ``__typename``."""
    details: FieldDetailsList
    batch: Relation | None = None
    attribute: str | None = None
    """The Python attribute a default resolver reads."""
    default: Callable[[Any, str], Any] | None = None
    arguments: dict[str, Any] | None = None
    """Coerced once (the field's arguments name no variable); None: coerced per request."""
    resolver: Any = None
    """The field's Strawberry definition when its resolver may be called directly: it has a
    resolver of its own and no field extension (permission classes are extensions), so
    Strawberry's per-call wrapper would only convert the arguments and build an ``Info``."""
    completion: Completion | None = None
    deferrable: bool = False
    """A batch whose objects have nothing below to resolve (only attributes): the walk may
    hold it back to the end and run it with the other such batches of the same loader,
    at whatever depth they are."""


@dataclass(slots=True)
class Shape:
    """The steps of one object selection, in document order."""

    type: GraphQLObjectType
    steps: list[Step] = field(default_factory=list)


def _names_variable(value: ValueNode) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(_names_variable(item) for item in value.values)
    if isinstance(value, ObjectValueNode):
        return any(_names_variable(f.value) for f in value.fields)
    return False


def _constant_arguments(field_: GraphQLField, details: FieldDetailsList) -> dict[str, Any] | None:
    """The field's coerced arguments when they name no variable, else None."""
    first = details[0]
    if first.fragment_variable_values is not None:
        return None
    if any(_names_variable(arg.value) for arg in first.node.arguments or ()):
        return None
    try:
        return get_argument_values(field_, first.node, None, None)
    except Exception:  # coerced per request instead, where the error is met as execution would
        return None


class _Builder:
    """Builds the tree of one operation, each level collected by ``collect``."""

    def __init__(self, collect: Collect, possible: Possible) -> None:
        self.collect = collect
        self.possible = possible

    def completion(self, type_: GraphQLOutputType, details: FieldDetailsList) -> Completion:
        non_null = isinstance(type_, GraphQLNonNull)
        nullable: Any = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if is_leaf_type(nullable):
            strings = nullable is GraphQLString or nullable is GraphQLID
            plain = int if nullable is GraphQLInt else bool if nullable is GraphQLBoolean else None
            answers: dict[tuple[type, Any], Any] | None = (
                {} if isinstance(nullable, GraphQLEnumType) else None
            )
            return Completion(
                type_, non_null, leaf=nullable, plain_strings=strings, plain=plain, answers=answers
            )
        if isinstance(nullable, GraphQLList):
            return Completion(type_, non_null, item=self.completion(nullable.of_type, details))
        if isinstance(nullable, GraphQLObjectType):
            shape = self.shape(nullable, self.collect(nullable, details))
            return Completion(type_, non_null, object=nullable, shape=shape)
        if isinstance(nullable, GraphQLInterfaceType | GraphQLUnionType):
            shapes = {
                object_type.name: self.shape(object_type, self.collect(object_type, details))
                for object_type in self.possible(nullable)
            }
            return Completion(type_, non_null, abstract=nullable, shapes=shapes)
        raise Unplannable(f"type {nullable}")

    def step(self, parent: GraphQLObjectType, key: str, details: FieldDetailsList) -> Step:
        name = details[0].node.name.value
        if name == "__typename":
            return Step(key, name, parent, None, details)
        field_ = parent.fields[name]
        step = Step(key, name, parent, field_, details)
        has_arguments = bool(field_.args or details[0].node.arguments)
        batch = BATCHED.get((parent.name, name))
        definition = field_.extensions.get(_DEFINITION) if field_.extensions else None
        if batch is not None and not has_arguments:
            step.batch = batch
        elif getattr(field_.resolve, "_is_default", False) and definition is not None:
            step.attribute = definition.python_name
            step.default = definition.default_resolver
        elif field_.resolve is None:
            raise Unplannable(f"{parent.name}.{name} has no resolver")
        else:
            step.arguments = _constant_arguments(field_, details) if has_arguments else {}
            if definition is not None and definition.base_resolver and not definition.extensions:
                step.resolver = definition
        step.completion = self.completion(field_.type, details)
        step.deferrable = step.batch is not None and _only_attributes(step.completion)
        return step

    def shape(self, type_: GraphQLObjectType, fields: GroupedFieldSet) -> Shape:
        return Shape(type_, [self.step(type_, key, details) for key, details in fields.items()])


def _only_attributes(completion: Completion | None) -> bool:
    """Whether completing these values resolves nothing more than attributes."""
    if completion is None or completion.leaf is not None:
        return True
    if completion.item is not None:
        return _only_attributes(completion.item)
    shapes = [completion.shape] if completion.shapes is None else completion.shapes.values()
    return all(
        step.field is None or (step.default is not None and _only_attributes(step.completion))
        for shape in shapes
        if shape is not None
        for step in shape.steps
    )


def build(
    root: GraphQLObjectType, fields: GroupedFieldSet, collect: Collect, possible: Possible
) -> Shape:
    """The tree of ``root``'s collected ``fields``, every level collected by ``collect``,
    the object types of interfaces and unions given by ``possible``."""
    return _Builder(collect, possible).shape(root, fields)


def condition_variables(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
) -> tuple[str, ...]:
    """The variables that ``@skip``/``@include`` read anywhere in ``operation``: the only
    ones that change which fields are collected."""
    names: set[str] = set()
    seen: set[str] = set()

    def visit(selections: SelectionSetNode | None) -> None:
        for selection in selections.selections if selections else ():
            for directive in selection.directives or ():
                if directive.name.value in _CONDITIONS:
                    for argument in directive.arguments or ():
                        if isinstance(argument.value, VariableNode):
                            names.add(argument.value.name.value)
            if isinstance(selection, FieldNode | InlineFragmentNode):
                visit(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in fragments:
                    seen.add(name)
                    visit(fragments[name].selection_set)

    visit(operation.selection_set)
    return tuple(sorted(names))


class Shapes:
    """One operation's trees, by the values of its ``@skip``/``@include`` variables."""

    def __init__(
        self, operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
    ) -> None:
        self.variables = condition_variables(operation, fragments)
        self._trees: OrderedDict[tuple[Any, ...], Shape] = OrderedDict()

    def key(self, variable_values: Any) -> tuple[Any, ...] | None:
        """The tree's key for these coerced variable values (None: not kept, e.g. a value
        that cannot be a key)."""
        coerced = getattr(variable_values, "coerced", variable_values)
        values = tuple(coerced.get(name) for name in self.variables)
        try:
            hash(values)
        except TypeError:
            return None
        return values

    def get(self, key: tuple[Any, ...]) -> Shape | None:
        return self._trees.get(key)

    def keep(self, key: tuple[Any, ...], shape: Shape) -> None:
        self._trees[key] = shape
        if len(self._trees) > MAX_SHAPES:
            self._trees.popitem(last=False)
