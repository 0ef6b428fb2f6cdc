"""A seeded generator of read documents for the plan differential test: random selections of
the read schema's fields (aliases, arguments, variables, named and inline fragments,
``@skip``/``@include``), some with arguments out of range so that errors are compared too;
``node``/``nodes`` with fragments on the ``Node`` interface and on its object types, for ids
of each type, unknown ids and malformed ones."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
    is_object_type,
)
from graphql.pyutils import Undefined

from gqlnews.ids import NODE_TYPES, encode_id

# Values for arguments, by name: known rows of the demo, edge cases and out-of-range values
# (their errors must be the same both ways).
_STRINGS: dict[str, list[str]] = {
    "slug": ["une", "monde", "politique", "la-libye-et-l-otan-renouent-le-dialogue", "nope"],
    "query": ["libye otan", "maroc", "économie", ""],
    "ellipsis": ["…", "...", "x" * 11],
    "strategy": ["tags", "nope"],
    "language": ["fr", "ar", "de"],
    "name": ["edito", "une", "nope"],
}
_INTS: dict[str, list[int]] = {
    "first": [1, 2, 3, 5, 0, 500],
    "maxLength": [1, 20, 160, 0, 6000],
    "page": [1, 2, 0],
    "perPage": [1, 3, 10],
    "offset": [0, 2],
    "number": [1, 2, 3, 999],
    "year": [2026, 2025],
    "limit": [1, 3],
}
_SKIPPED_ROOTS = frozenset({"me", "trash", "viewer"})
_NODE_ROOTS = frozenset({"node", "nodes"})
_MAX_DEPTH = 4


@dataclass
class _Doc:
    rng: random.Random
    schema: GraphQLSchema
    variables: dict[str, Any] = field(default_factory=dict)
    declarations: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    keys: int = 0

    def key(self) -> str:
        self.keys += 1
        return f"k{self.keys}"


def _argument_value(doc: _Doc, name: str, type_: Any) -> str | None:
    rng = doc.rng
    named = get_named_type(type_)
    if isinstance(named, GraphQLEnumType):
        return rng.choice(list(named.values))
    if isinstance(named, GraphQLInputObjectType) or isinstance(
        type_.of_type if isinstance(type_, GraphQLNonNull) else type_, GraphQLList
    ):
        return None
    if named.name == "Int" and name in _INTS:
        value = rng.choice(_INTS[name])
        if rng.random() < 0.3:  # through a variable
            variable = f"v{len(doc.variables)}"
            doc.variables[variable] = value
            doc.declarations.append(f"${variable}: {type_}")
            return f"${variable}"
        return str(value)
    if named.name == "String" and name in _STRINGS:
        value = rng.choice(_STRINGS[name])
        variable = f"v{len(doc.variables)}"
        doc.variables[variable] = value
        doc.declarations.append(f"${variable}: {type_}")
        return f"${variable}"
    if named.name == "Boolean":
        return rng.choice(["true", "false"])
    return None


def _arguments(doc: _Doc, field_: GraphQLField) -> str | None:
    """The argument list of a call of ``field_``, or None when a required one has no value."""
    parts = []
    for name, argument in field_.args.items():
        required = isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
        if not required and doc.rng.random() < 0.6:
            continue
        value = _argument_value(doc, name, argument.type)
        if value is None:
            if required:
                return None
            continue
        parts.append(f"{name}: {value}")
    return f"({', '.join(parts)})" if parts else ""


def _directive(doc: _Doc) -> str:
    roll = doc.rng.random()
    if roll > 0.12:
        return ""
    variable = f"b{len(doc.variables)}"
    doc.variables[variable] = doc.rng.random() < 0.5
    doc.declarations.append(f"${variable}: Boolean!")
    return f" @{'skip' if roll < 0.06 else 'include'}(if: ${variable})"


def _selection(doc: _Doc, type_: GraphQLObjectType, depth: int) -> str:
    rng = doc.rng
    names = sorted(type_.fields)
    leaves = [n for n in names if is_leaf_type(get_named_type(type_.fields[n].type))]
    objects = [n for n in names if is_object_type(get_named_type(type_.fields[n].type))]
    chosen = rng.sample(leaves, min(len(leaves), rng.randint(1, 4)))
    if depth < _MAX_DEPTH and objects:
        chosen += rng.sample(objects, min(len(objects), rng.randint(0, 2)))
    parts = []
    for name in chosen:
        part = _field(doc, type_, name, depth)
        if part:
            parts.append(part)
    if rng.random() < 0.15:
        parts.append("__typename")
    if rng.random() < 0.15:
        inner = _selection(doc, type_, depth + 1)
        fragment = f"F{len(doc.fragments)}"
        doc.fragments.append(f"fragment {fragment} on {type_.name} {{ {inner} }}")
        parts.append(f"...{fragment}{_directive(doc)}")
    if rng.random() < 0.1:
        inline = _selection(doc, type_, depth + 1)
        parts.append(f"... on {type_.name}{_directive(doc)} {{ {inline} }}")
    return " ".join(parts) or "__typename"


def _node_id(doc: _Doc) -> str:
    """A global id: of a demo row of any node type, of a row that does not exist, or
    malformed (an error both ways)."""
    roll = doc.rng.random()
    if roll < 0.9:
        return encode_id(doc.rng.choice(sorted(NODE_TYPES)), doc.rng.randint(1, 6))
    return encode_id("Article", 999_999) if roll < 0.97 else "not-an-id"


def _node_arguments(doc: _Doc, name: str) -> str:
    variable = f"v{len(doc.variables)}"
    if name == "node":
        doc.variables[variable] = _node_id(doc)
        doc.declarations.append(f"${variable}: ID!")
        return f"(id: ${variable})"
    doc.variables[variable] = [_node_id(doc) for _ in range(doc.rng.randint(1, 6))]
    doc.declarations.append(f"${variable}: [ID!]!")
    return f"(ids: ${variable})"


def _abstract_selection(doc: _Doc, type_: GraphQLInterfaceType, depth: int) -> str:
    """Fields of the interface itself and fragments on some of its object types."""
    rng = doc.rng
    parts = [f"{doc.key()}: id"] if rng.random() < 0.7 else []
    if rng.random() < 0.5:
        parts.append("__typename")
    possible = list(doc.schema.get_possible_types(type_))
    for object_type in rng.sample(possible, rng.randint(1, min(3, len(possible)))):
        inner = _selection(doc, object_type, depth + 1)
        if rng.random() < 0.3:
            fragment = f"F{len(doc.fragments)}"
            doc.fragments.append(f"fragment {fragment} on {object_type.name} {{ {inner} }}")
            parts.append(f"...{fragment}{_directive(doc)}")
        else:
            parts.append(f"... on {object_type.name}{_directive(doc)} {{ {inner} }}")
    if rng.random() < 0.2:
        fragment = f"F{len(doc.fragments)}"
        doc.fragments.append(f"fragment {fragment} on {type_.name} {{ __typename id }}")
        parts.append(f"...{fragment}")
    return " ".join(parts)


def _field(doc: _Doc, type_: GraphQLObjectType, name: str, depth: int) -> str | None:
    field_ = type_.fields[name]
    if type_ is doc.schema.query_type and name in _NODE_ROOTS:
        named = get_named_type(field_.type)
        assert isinstance(named, GraphQLInterfaceType)
        arguments = _node_arguments(doc, name)
        return f"{doc.key()}: {name}{arguments} {{ {_abstract_selection(doc, named, depth)} }}"
    arguments = _arguments(doc, field_)
    if arguments is None:
        return None
    named = get_named_type(field_.type)
    alias = f"{doc.key()}: " if arguments or doc.rng.random() < 0.3 else ""
    if not alias:
        alias = f"{doc.key()}: "  # unique keys: no merging conflicts between siblings
    text = f"{alias}{name}{arguments}{_directive(doc)}"
    if is_object_type(named):
        assert isinstance(named, GraphQLObjectType)
        text += f" {{ {_selection(doc, named, depth + 1)} }}"
    return text


def generate(schema: GraphQLSchema, seed: int) -> tuple[str, dict[str, Any]]:
    """A query document over the read schema and its variables, the same for the same seed."""
    doc = _Doc(random.Random(seed), schema)
    query = schema.query_type
    assert query is not None
    roots = [
        n
        for n in sorted(query.fields)
        if n not in _SKIPPED_ROOTS
        and (n in _NODE_ROOTS or is_object_type(get_named_type(query.fields[n].type)))
    ]
    parts = []
    for name in doc.rng.sample(roots, doc.rng.randint(1, 3)):
        part = _field(doc, query, name, 0)
        if part:
            parts.append(part)
    body = " ".join(parts) or "__typename"
    used = " ".join([body, *doc.fragments])
    # Variables of fields that were dropped (a required argument without a value) go too.
    declarations = [d for d in doc.declarations if re.search(rf"\{d.split(':')[0]}\b", used)]
    variables = {k: v for k, v in doc.variables.items() if re.search(rf"\${k}\b", used)}
    declared = f"({', '.join(declarations)})" if declarations else ""
    text = "\n".join([f"query Generated{seed}{declared} {{ {body} }}", *doc.fragments])
    return text, variables
