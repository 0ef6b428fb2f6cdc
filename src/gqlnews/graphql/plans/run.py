"""Running a plan: graphql-core's executor with its root replaced by a level-by-level walk.

:class:`PlannedExecutor` is the schema's executor class. For an operation the request names by
its hash (the view marks it) and that :class:`.support.PlanStore` accepts, the root fields are
answered by :func:`_Plan.objects`: for each level, every field is resolved for all the objects
of that level at once (the hot relations in one DataLoader call, :mod:`.batch`; plain fields by
attribute; other fields by their own resolvers, which keep their checks), then the objects of
the next level are completed together. Fields are collected by graphql-core's own
``collect_subfields`` (fragments, inline fragments, ``@skip``/``@include``, merging) and
arguments coerced by its ``get_argument_values``; scalars and enums are serialised by the
schema's own types, so the dictionary is the one graphql-core would build.

Whatever the walk does not reproduce (a resolver error, a null in a non-null position, a value
of an unexpected type) raises :class:`Fallback` inside the walk; the request is then executed
normally, and answered as execution answers it, errors included. The walk only reads.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Iterable, Sequence
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.values import get_argument_values
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from gqlnews.graphql.context import Context
from gqlnews.graphql.plans.batch import BATCHED, PlanLoaders
from gqlnews.graphql.plans.support import PlanStore
from gqlnews.observability import metrics

log = logging.getLogger("gqlnews.graphql.plans")

_DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF


class Fallback(Exception):
    """The walk met something it does not reproduce: execute the operation instead."""


def plan_store(context: object) -> PlanStore | None:
    """The plan store the view put on this request when it named a persisted document."""
    if not isinstance(context, Context) or context.preview is not None:
        return None
    request = context.request
    state = getattr(request, "state", None)
    store = getattr(state, "plans", None) if state is not None else None
    return store if isinstance(store, PlanStore) else None


def _resolve_hooks(executor: StrawberryGraphQLCoreExecutionContext) -> bool:
    """True when an extension wraps every resolver (a plan would go round it)."""
    manager = executor.middleware_manager
    return manager is not None and bool(manager.middlewares)


class PlannedExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, running planned operations by :class:`_Plan`."""

    def execute_collected_root_fields(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: GroupedFieldSet,
        serially: bool,
        new_defer_usages: Sequence[Any],
    ) -> AwaitableOrValue[dict[str, Any]]:
        store = plan_store(self.context_value)
        if (
            store is None
            or serially
            or new_defer_usages
            or _resolve_hooks(self)
            or store.reason(self.schema, self.operation, self.fragment_definitions) is not None
        ):
            return super().execute_collected_root_fields(
                root_type, root_value, grouped_field_set, serially, new_defer_usages
            )
        return self._planned(root_type, root_value, grouped_field_set, new_defer_usages)

    async def _planned(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: GroupedFieldSet,
        new_defer_usages: Sequence[Any],
    ) -> dict[str, Any]:
        name = self.operation.name.value if self.operation.name else ""
        try:
            [data] = await _Plan(self).objects(root_type, [root_value], grouped_field_set)
        except Fallback as exc:
            metrics.GRAPHQL_PLANS.labels("fallback").inc()
            log.debug("plan of %s gave way to execution: %s", name or "(anonymous)", exc)
        else:
            metrics.GRAPHQL_PLANS.labels("planned").inc()
            return data
        executed = super().execute_collected_root_fields(
            root_type, root_value, grouped_field_set, False, new_defer_usages
        )
        if self.is_awaitable(executed):
            return await executed  # type: ignore[no-any-return]
        return executed  # type: ignore[return-value]


class _Plan:
    """One walk of a planned operation."""

    def __init__(self, executor: PlannedExecutor) -> None:
        self.executor = executor
        self.loaders = PlanLoaders(executor.context_value)

    async def objects(
        self, parent: GraphQLObjectType, sources: Sequence[Any], fields: GroupedFieldSet
    ) -> list[dict[str, Any]]:
        """The completed objects of ``parent`` type for ``sources``, keys in document order."""
        columns: dict[str, list[Any] | None] = {}
        pending: list[tuple[str, Any]] = []
        for key, details in fields.items():
            name = details[0].node.name.value
            if name == "__typename":
                columns[key] = None
                continue
            field = parent.fields[name]
            columns[key] = []
            pending.append((key, self._field(parent, field, key, details, sources)))
        if pending:
            done = await _all(work for _key, work in pending)
            for (key, _work), values in zip(pending, done, strict=True):
                columns[key] = values
        out: list[dict[str, Any]] = []
        for index in range(len(sources)):
            row: dict[str, Any] = {}
            for key, values in columns.items():
                row[key] = parent.name if values is None else values[index]
            out.append(row)
        return out

    async def _field(
        self,
        parent: GraphQLObjectType,
        field: GraphQLField,
        key: str,
        details: FieldDetailsList,
        sources: Sequence[Any],
    ) -> list[Any]:
        raw = await self._resolve(parent, field, key, details, sources)
        return await self._complete(field.type, details, raw)

    async def _resolve(
        self,
        parent: GraphQLObjectType,
        field: GraphQLField,
        key: str,
        details: FieldDetailsList,
        sources: Sequence[Any],
    ) -> list[Any]:
        if not sources:
            return []
        first = details[0]
        name = first.node.name.value
        executor = self.executor
        has_args = bool(field.args or first.node.arguments)
        batch = BATCHED.get((parent.name, name))
        if batch is not None and not has_args:
            return await batch(self.loaders, sources)
        resolve = field.resolve
        definition = field.extensions.get(_DEFINITION) if field.extensions else None
        if resolve is not None and getattr(resolve, "_is_default", False) and definition:
            python_name = definition.python_name
            default = definition.default_resolver
            return [default(source, python_name) for source in sources]
        if resolve is None:
            raise Fallback(f"{parent.name}.{name} has no resolver")
        info = executor.build_resolve_info(
            field, [d.node for d in details], parent, Path(None, key, parent.name)
        )
        values: list[Any] = []
        try:
            args = (
                get_argument_values(
                    field,
                    first.node,
                    executor.variable_values,
                    first.fragment_variable_values,
                    executor.hide_suggestions,
                )
                if has_args
                else {}
            )
            for source in sources:
                values.append(resolve(source, info, **args))
        except Exception as exc:
            _close(values)
            raise Fallback(f"{parent.name}.{name}: {exc!r}") from exc
        waiting = [i for i, value in enumerate(values) if executor.is_awaitable(value)]
        if waiting:
            done = await _all(values[i] for i in waiting)
            for i, value in zip(waiting, done, strict=True):
                values[i] = value
        return values

    async def _complete(
        self, type_: GraphQLOutputType, details: FieldDetailsList, raw: list[Any]
    ) -> list[Any]:
        nullable = type_
        if isinstance(type_, GraphQLNonNull):
            if any(value is None for value in raw):
                raise Fallback(f"null for {type_}")
            nullable = type_.of_type
        if any(isinstance(value, Exception) for value in raw):
            raise Fallback("a resolver returned an error")
        if is_leaf_type(nullable):
            return [_serialize(nullable, value) for value in raw]
        if isinstance(nullable, GraphQLList):
            return await self._complete_lists(nullable, details, raw)
        if isinstance(nullable, GraphQLObjectType):
            return await self._complete_objects(nullable, details, raw)
        raise Fallback(f"abstract type {nullable}")

    async def _complete_lists(
        self, type_: GraphQLList[Any], details: FieldDetailsList, raw: list[Any]
    ) -> list[Any]:
        flat: list[Any] = []
        lengths: list[int | None] = []
        for value in raw:
            if value is None:
                lengths.append(None)
                continue
            if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
                raise Fallback(f"not a list for {type_}")
            items = list(value)
            lengths.append(len(items))
            flat.extend(items)
        done = await self._complete(type_.of_type, details, flat)
        out: list[Any] = []
        start = 0
        for length in lengths:
            if length is None:
                out.append(None)
            else:
                out.append(done[start : start + length])
                start += length
        return out

    async def _complete_objects(
        self, type_: GraphQLObjectType, details: FieldDetailsList, raw: list[Any]
    ) -> list[Any]:
        present = [value for value in raw if value is not None]
        is_type_of: Any = type_.is_type_of  # Strawberry's checks ignore their info
        if is_type_of is not None and not all(is_type_of(value, None) for value in present):
            raise Fallback(f"a value that is not a {type_.name}")
        collected = self.executor.collect_subfields(type_, details)
        if collected.new_defer_usages:
            raise Fallback("@defer")
        done = iter(await self.objects(type_, present, collected.grouped_field_set))
        return [None if value is None else next(done) for value in raw]


async def _all(works: Iterable[Awaitable[Any]]) -> list[Any]:
    """The results of ``works``, run side by side; when one fails, the others still finish
    (nothing of the plan keeps running behind the execution that replaces it) and the first
    failure is raised, as :class:`Fallback`."""
    results = await asyncio.gather(*works, return_exceptions=True)
    for result in results:
        if isinstance(result, Fallback):
            raise result
        if isinstance(result, Exception):
            raise Fallback(repr(result)) from result
        if isinstance(result, BaseException):
            raise result
    return results


def _close(values: list[Any]) -> None:
    """Close the coroutines of resolvers that will not be awaited."""
    for value in values:
        if inspect.iscoroutine(value):
            value.close()


def _serialize(type_: Any, value: Any) -> Any:
    if value is None:
        return None
    try:
        serialized = type_.serialize(value)
    except Exception as exc:
        raise Fallback(f"{type_}: {exc!r}") from exc
    if serialized is None:
        raise Fallback(f"{type_} serialised to null")
    return serialized
