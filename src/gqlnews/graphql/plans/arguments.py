"""A field's arguments as its resolver gets them, converted once per field and values.

Strawberry converts the arguments graphql-core has coerced (input objects into their classes,
enum values into their members…) before each call of a resolver, and looks each argument's
type up again every time: 15–200 µs a field with arguments on the bench pages (an
``articles`` list with a filter costs the most), for values that repeat from one request to
the next (the same ``first``, ``filter`` and ``orderBy`` of a persisted page). A plan calls a
resolver through :func:`resolver_arguments`, which remembers the conversion per field and
values:

- the key is the field's definition and the coerced values, each with its type (``1``,
  ``1.0`` and ``True`` are different values); values that cannot be a key (an object a custom
  scalar made, say) are converted each time;
- a conversion that fails is not remembered (the error is raised as Strawberry raises it);
- a resolver gets its own copy of what is remembered, so that changing an argument (a list,
  an input object) cannot reach the next request.

Conversion then depends only on the values and the arguments' types. It is not remembered
for a field whose arguments hold an input type that builds its own value (a definition with
``from_input``, which Strawberry hands the request's ``info``): such a field's arguments are
converted at each call.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from strawberry.types.arguments import convert_arguments
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField
from strawberry.types.info import Info
from strawberry.types.unset import UnsetType

MAX_KEPT = 4096
"""Conversions kept per process (all are forgotten when that many are kept)."""

_SCALARS = (str, int, float, bool, type(None), datetime, date, time, Decimal, Enum, UnsetType)
"""Values kept as they are, by :func:`_frozen` and in a remembered conversion."""

_kept: dict[tuple[int, Hashable], tuple[StrawberryField, dict[str, Any], bool]] = {}
_checked: dict[int, tuple[StrawberryField, bool]] = {}


def _builds_itself(type_: Any, seen: set[int]) -> bool:
    """Whether ``type_`` (an argument's or an input field's) is or holds an input type with
    ``from_input``."""
    of_type = getattr(type_, "of_type", None)  # optional, list, Maybe
    if of_type is not None:
        return _builds_itself(of_type, seen)
    definition = getattr(type_, "__strawberry_definition__", None)
    if not isinstance(definition, StrawberryObjectDefinition) or id(definition) in seen:
        return False
    seen.add(id(definition))
    if definition.from_input is not None:
        return True
    return definition.is_input and any(_builds_itself(f.type, seen) for f in definition.fields)


def _rememberable(field: StrawberryField) -> bool:
    """Whether ``field``'s conversion depends on its values alone (checked once per field)."""
    found = _checked.get(id(field))
    if found is None or found[0] is not field:
        seen: set[int] = set()
        found = (field, not any(_builds_itself(a.type, seen) for a in field.arguments))
        _checked[id(field)] = found
    return found[1]


def _frozen(value: Any) -> Hashable | None:
    """``value`` (coerced by graphql-core) as a key that tells its types apart, or None."""
    if isinstance(value, _SCALARS):
        return (type(value), value)
    if isinstance(value, Mapping):
        items = []
        for name, item in value.items():
            frozen = _frozen(item)
            if frozen is None:
                return None
            items.append((name, frozen))
        return (dict, tuple(items))
    if isinstance(value, list | tuple):
        parts = []
        for item in value:
            frozen = _frozen(item)
            if frozen is None:
                return None
            parts.append(frozen)
        return (list, tuple(parts))
    return None


def _plain(converted: Mapping[str, Any]) -> bool:
    """Whether every converted value is a scalar (shared without copying)."""
    return all(isinstance(value, _SCALARS) for value in converted.values())


def _converted(
    field: StrawberryField, values: dict[str, Any], info: Info, converter: Any
) -> dict[str, Any]:
    key = _frozen(values) if _rememberable(field) else None
    if key is not None:
        found = _kept.get((id(field), key))
        if found is not None and found[0] is field:
            return dict(found[1]) if found[2] else copy.deepcopy(found[1])
    converted = convert_arguments(
        values,
        field.arguments,
        scalar_registry=converter.scalar_registry,
        config=converter.config,
        info=info,
    )
    if key is not None:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        plain = _plain(converted)
        kept = dict(converted) if plain else copy.deepcopy(converted)
        _kept[(id(field), key)] = (field, kept, plain)
    return converted


def resolver_arguments(
    field: StrawberryField, values: dict[str, Any], info: Info, source: Any, converter: Any
) -> tuple[list[Any], dict[str, Any]]:
    """The positional and named arguments of ``field``'s resolver (a field without field
    extensions) for the coerced ``values``: what Strawberry's ``get_arguments`` gives, with
    ``source`` where the object goes (``self``, ``root``, ``parent``) and ``info``."""
    named = _converted(field, values, info, converter)
    positional: list[Any] = []
    resolver = field.base_resolver
    if resolver is not None:
        if resolver.self_parameter:
            positional.append(source)
        if (parent := resolver.parent_parameter) is not None:
            named[parent.name] = source
        if (root := resolver.root_parameter) is not None:
            named[root.name] = source
        if (info_parameter := resolver.info_parameter) is not None:
            named[info_parameter.name] = info
    return positional, named
