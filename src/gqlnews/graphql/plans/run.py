"""Running a plan: graphql-core's executor with its root replaced by a level-by-level walk.

:class:`PlannedExecutor` is the schema's executor class. For an operation the view marks as
planned (a persisted document, or a text) and that :class:`.support.PlanStore` accepts, the
root fields are answered by :class:`_Plan`: for each level, every field is resolved for all
the objects of that level at once (the hot relations in one DataLoader call, :mod:`.batch`;
plain fields by attribute; other fields by their own resolvers, which keep their checks),
then the objects of the next level are completed together. Fields are collected by
graphql-core's own ``collect_subfields`` (fragments, inline fragments, ``@skip``/``@include``,
merging) and arguments coerced by its ``get_argument_values``; scalars and enums are
serialised by the schema's own types, so the dictionary is the one graphql-core would build.

Whatever the walk does not reproduce (a resolver error, a null in a non-null position, a value
of an unexpected type) raises :class:`Fallback` inside the walk; the request is then executed
normally, and answered as execution answers it, errors included. The walk only reads.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import GRAPHQL_MAX_INT, GRAPHQL_MIN_INT, GraphQLObjectType, GraphQLResolveInfo
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.values import get_argument_values
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.dataloader import DataLoader
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from gqlnews.graphql.context import Context
from gqlnews.graphql.loaders import Loaders
from gqlnews.graphql.plans.arguments import resolver_arguments
from gqlnews.graphql.plans.batch import Made, Relation
from gqlnews.graphql.plans.shape import Completion, Shape, Step, Unplannable, build
from gqlnews.graphql.plans.support import PlanStore
from gqlnews.graphql.sharing import load_at_once
from gqlnews.observability import metrics

log = logging.getLogger("gqlnews.graphql.plans")

_DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF
_MIN_INT, _MAX_INT = GRAPHQL_MIN_INT, GRAPHQL_MAX_INT
_SOURCE = object()
"""Where the object being resolved goes among a resolver's arguments (``self``, ``root``)."""


def _direct_converter(executor: StrawberryGraphQLCoreExecutionContext) -> Any:
    """The Strawberry converter of the executor's schema, when resolvers without field
    extensions may be called directly: the schema maps no exception to a result type (that
    handling is in the wrapper the direct call goes round). None otherwise."""
    converter = getattr(
        getattr(executor.schema, "_strawberry_schema", None), "schema_converter", None
    )
    specs = getattr(converter, "_exception_handler_specs", None)
    return converter if specs is not None and not specs else None


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
        return self._planned(root_type, root_value, grouped_field_set, new_defer_usages, store)

    async def _planned(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: GroupedFieldSet,
        new_defer_usages: Sequence[Any],
        store: PlanStore,
    ) -> dict[str, Any]:
        name = self.operation.name.value if self.operation.name else ""
        try:
            shape = self._shape(store, root_type, grouped_field_set)
            data = await _Plan(self).run(shape, root_value)
        except (Fallback, Unplannable) as exc:
            metrics.GRAPHQL_PLANS.labels("fallback").inc()
            log.debug("plan of %s gave way to execution: %s", name or "(anonymous)", exc)
        except Exception:  # a fault of the planner: the client still gets execution's answer
            metrics.GRAPHQL_PLANS.labels("error").inc()
            log.exception("plan of %s failed; the operation was executed", name or "(anonymous)")
        else:
            metrics.GRAPHQL_PLANS.labels("planned").inc()
            return data
        context = self.context_value
        if isinstance(context, Context):
            # Execution starts from empty loaders, as without the plan: with the plan's rows
            # cached, its branches would finish in another order, and when a non-null root
            # field fails, which sibling errors graphql-core reports depends on that order.
            context.loaders = Loaders(context.viewer, context.now)
        executed = super().execute_collected_root_fields(
            root_type, root_value, grouped_field_set, False, new_defer_usages
        )
        if self.is_awaitable(executed):
            return await executed  # type: ignore[no-any-return]
        return executed  # type: ignore[return-value]

    def _shape(
        self, store: PlanStore, root_type: GraphQLObjectType, fields: GroupedFieldSet
    ) -> Shape:
        """The operation's tree for this request's ``@skip``/``@include`` values: kept by
        the store, built from this request's collected fields the first time."""
        shapes = store.shapes(self.operation, self.fragment_definitions)
        key = shapes.key(self.variable_values)
        shape = shapes.get(key) if key is not None else None
        if shape is None:
            shape = build(root_type, fields, self._collect, self.schema.get_possible_types)
            if key is not None:
                shapes.keep(key, shape)
        return shape

    def _collect(self, type_: GraphQLObjectType, details: FieldDetailsList) -> GroupedFieldSet:
        collected = self.collect_subfields(type_, details)
        if collected.new_defer_usages:
            raise Unplannable("@defer")
        return collected.grouped_field_set


@dataclass(slots=True)
class _Level:
    """The objects of one shape waiting to be resolved: their sources and the dictionaries
    (already placed in the answer) their keys go into."""

    shape: Shape
    sources: list[Any]
    rows: list[dict[str, Any]]
    held: list[int] | None = None
    """Only these steps, held back until the end (None: every step)."""
    held_part: _Level | None = None
    """This level's steps held back (a level of its own, run at the end)."""


class _Plan:
    """One walk of a planned operation along its :class:`.shape.Shape`, breadth first.

    A generation is every object at the same depth, whichever branch of the document it is
    in (the "À la une" list and the latest news list of a front page, say): all of its
    steps are resolved together (the batches and asynchronous resolvers side by side, so
    each DataLoader sees every key of the generation at once and runs one statement for
    them), the leaves completed, and the objects below make the next generation. Each
    object's dictionary is placed in the answer when it is met and filled, keys in
    document order, when its generation runs.

    Batches with nothing to resolve below them (an article's sections for their slugs and
    names, a picture's fields) are held back (:attr:`.shape.Step.deferrable`) and run
    together once everything else is done: the sections of the article, of its related
    articles and of the most read ones, each at its own depth, are then one statement."""

    def __init__(self, executor: PlannedExecutor) -> None:
        self.executor = executor
        self.loaders: Loaders = executor.context_value.loaders
        self.held: list[_Level] = []
        self.converter = _direct_converter(executor)
        self.made = Made()

    async def run(self, shape: Shape, root: Any) -> dict[str, Any]:
        """The answer's ``data`` for ``shape`` with ``root`` as the root value."""
        data: dict[str, Any] = {}
        generation = [_Level(shape, [root], [data])]
        while generation:
            generation = await self._generation(generation)
            if not generation and self.held:
                generation, self.held = self.held, []
        return data

    def _hold(self, level: _Level, index: int) -> None:
        part = level.held_part
        if part is None:
            part = level.held_part = _Level(level.shape, level.sources, level.rows, [])
            self.held.append(part)
        assert part.held is not None
        part.held.append(index)

    async def _generation(self, levels: list[_Level]) -> list[_Level]:
        columns: list[list[list[Any] | None]] = []
        waiting: list[tuple[list[list[Any] | None] | None, int, Awaitable[Any]]] = []
        relations: dict[int, _Relations] = {}
        try:
            for level in levels:
                steps = level.shape.steps
                own: list[list[Any] | None] = [None] * len(steps)
                columns.append(own)
                for index in range(len(steps)) if level.held is None else level.held:
                    step = steps[index]
                    if step.deferrable and level.held is None:
                        self._hold(level, index)
                    elif step.batch is not None:
                        loader = step.batch.loader(self.loaders)
                        group = relations.get(id(loader))
                        if group is None:
                            group = relations[id(loader)] = _Relations(
                                self.loaders, loader, self.made
                            )
                        group.add(own, index, step.batch, level.sources)
                    elif step.field is not None:
                        resolved = self._resolve(step, level.sources)
                        if isinstance(resolved, list):
                            own[index] = resolved
                        else:
                            waiting.append((own, index, resolved))
        except BaseException:
            # what was started still finishes (nothing of the plan runs on behind the
            # execution that replaces it, no resolver is left never awaited)
            await asyncio.gather(*(work for _own, _index, work in waiting), return_exceptions=True)
            raise
        # each loader's keys of the whole generation, loaded at once (after the resolvers
        # have asked theirs: a key one of them is loading is waited for, not loaded again)
        waiting.extend((None, 0, group.load()) for group in relations.values())
        if waiting:
            done = await _all(work for _own, _index, work in waiting)
            for (target, index, _work), values in zip(waiting, done, strict=True):
                if target is not None:
                    target[index] = values
        below: list[_Level] = []
        for level, own in zip(levels, columns, strict=True):
            name = level.shape.type.name
            steps = level.shape.steps
            indices = range(len(steps)) if level.held is None else level.held
            for index in indices:
                completion = steps[index].completion
                raw = own[index]
                if completion is not None and raw is not None:
                    own[index] = self._complete(steps[index], completion, raw, below)
            for row_index, row in enumerate(level.rows):
                for index in indices:
                    values = own[index]
                    if values is not None:
                        row[steps[index].key] = values[row_index]
                    elif steps[index].field is None:
                        row[steps[index].key] = name
                    else:
                        row[steps[index].key] = None  # held back: its place, filled later
        return below

    def _complete(
        self, step: Step, completion: Completion, raw: list[Any], below: list[_Level]
    ) -> list[Any]:
        """The answers of ``step``'s ``raw`` values: leaves serialised, lists item by item,
        and objects as empty dictionaries, filled when ``below`` (the next generation)
        runs."""
        _check(completion, raw)
        if completion.item is not None:
            flat, lengths = _flatten(completion, raw)
            return _unflatten(self._complete(step, completion.item, flat, below), lengths)
        if completion.abstract is not None:
            return self._abstract(step, completion, raw, below)
        type_ = completion.object
        if type_ is None:
            leaf = completion.leaf
            if completion.plain_strings:
                return [
                    value if value is None or type(value) is str else _serialize(leaf, value)
                    for value in raw
                ]
            if completion.plain is int:
                return [
                    value
                    if value is None or (type(value) is int and _MIN_INT <= value <= _MAX_INT)
                    else _serialize(leaf, value)
                    for value in raw
                ]
            if completion.plain is bool:
                return [
                    value if value is None or type(value) is bool else _serialize(leaf, value)
                    for value in raw
                ]
            if completion.answers is not None:
                return _enum_answers(leaf, completion.answers, raw)
            return [_serialize(leaf, value) for value in raw]
        assert completion.shape is not None
        present = [value for value in raw if value is not None]
        if step.batch is None:  # a relation's values are made by its type's own from_model
            _check_type(type_, present)
        rows: list[dict[str, Any]] = [{} for _ in present]
        if present:
            below.append(_Level(completion.shape, present, rows))
        made = iter(rows)
        return [None if value is None else next(made) for value in raw]

    def _abstract(
        self, step: Step, completion: Completion, raw: list[Any], below: list[_Level]
    ) -> list[Any]:
        """An interface's or a union's values: each goes to the shape of the object type
        it resolves to (by the type's own ``resolve_type``, as graphql-core asks it), and
        the values of one object type make one level below."""
        abstract, shapes = completion.abstract, completion.shapes
        assert abstract is not None and shapes is not None
        resolve_type = abstract.resolve_type or self.executor.type_resolver
        info = self.info(step)
        levels: dict[str, _Level] = {}
        out: list[Any] = []
        for value in raw:
            if value is None:
                out.append(None)
                continue
            name = resolve_type(value, info, abstract)
            if inspect.isawaitable(name):
                _close([name])
                raise Fallback(f"{abstract.name}: a type resolved asynchronously")
            if not isinstance(name, str) or (shape := shapes.get(name)) is None:
                raise Fallback(f"{abstract.name}: resolved to {name!r}")
            level = levels.get(name)
            if level is None:
                level = levels[name] = _Level(shape, [], [])
                below.append(level)
            row: dict[str, Any] = {}
            level.sources.append(value)
            level.rows.append(row)
            out.append(row)
        for level in levels.values():
            _check_type(level.shape.type, level.sources)
        return out

    def info(self, step: Step, in_list: bool = False) -> GraphQLResolveInfo[Any]:
        """The resolve info of ``step``'s field, as its resolver gets it. The path is the
        field's key (the plan resolves every object of a level at once), below an index when
        the level's objects are ``in_list`` (several of them), as execution's path is below an
        item's: the article lists read the lists of several parents together
        (:mod:`gqlnews.graphql.page_batches`)."""
        field = step.field
        assert field is not None
        path = Path(Path(None, 0, None) if in_list else None, step.key, step.parent.name)
        return self.executor.build_resolve_info(
            field, [d.node for d in step.details], step.parent, path
        )

    def _resolve(self, step: Step, sources: Sequence[Any]) -> list[Any] | Awaitable[list[Any]]:
        """The step's raw values for ``sources``: a list, or an awaitable of one."""
        if step.default is not None:
            default, attribute = step.default, step.attribute
            return [default(source, attribute) for source in sources]  # type: ignore[arg-type]
        executor = self.executor
        field = step.field
        assert field is not None and field.resolve is not None
        parent, details = step.parent, step.details
        info = self.info(step, len(sources) > 1)
        values: list[Any] = []
        try:
            args = step.arguments
            if args is None:
                first = details[0]
                args = get_argument_values(
                    field,
                    first.node,
                    executor.variable_values,
                    first.fragment_variable_values,
                    executor.hide_suggestions,
                )
            if step.resolver is not None and self.converter is not None:
                self._call(step.resolver, info, args, sources, values)
            else:
                resolve = field.resolve
                for source in sources:
                    values.append(resolve(source, info, **args))
        except Exception as exc:
            _close(values)
            raise Fallback(f"{parent.name}.{step.name}: {exc!r}") from exc
        is_awaitable = executor.is_awaitable
        waiting = [i for i, value in enumerate(values) if is_awaitable(value)]
        if waiting:
            return _awaited(values, waiting)
        return values

    def _call(
        self,
        definition: Any,
        info: GraphQLResolveInfo[Any],
        args: dict[str, Any],
        sources: Sequence[Any],
        values: list[Any],
    ) -> None:
        """Append the results of ``definition``'s resolver for ``sources`` to ``values``,
        called as Strawberry's wrapper calls it (the same argument conversion, an ``Info`` of
        the configured class, the object as ``self``, ``root`` or ``parent``), but with the
        arguments converted and the ``Info`` made once for the whole level."""
        converter = self.converter
        strawberry_info = converter.config.info_class(_raw_info=info, _field=definition)
        positional, named = resolver_arguments(
            definition, args, strawberry_info, _SOURCE, converter
        )
        function = definition.base_resolver.wrapped_func
        places = [i for i, value in enumerate(positional) if value is _SOURCE]
        names = [name for name, value in named.items() if value is _SOURCE]
        if places == [0] and len(positional) == 1 and not names:  # a method: self
            for source in sources:
                values.append(function(source, **named))
            return
        for source in sources:
            for i in places:
                positional[i] = source
            for name in names:
                named[name] = source
            values.append(function(*positional, **named))


class _Relations:
    """The relations of one generation read through the same loader (the sections of the
    article, of its related articles and of the most read ones, say): their keys are loaded
    in one call, then each step's values are made and put in place."""

    __slots__ = ("loader", "loaders", "made", "steps")

    def __init__(self, loaders: Loaders, loader: DataLoader[int, Any], made: Made) -> None:
        self.loaders = loaders
        self.loader = loader
        self.made = made
        self.steps: list[_RelationStep] = []

    def add(
        self, own: list[list[Any] | None], index: int, relation: Relation, sources: list[Any]
    ) -> None:
        self.steps.append((own, index, relation, sources))

    async def load(self) -> None:
        # the keys are read here, so that a fault reading one falls back as a resolver's would
        keys_of = [relation.keys(sources) for _own, _index, relation, sources in self.steps]
        wanted = list(dict.fromkeys(k for keys in keys_of for k in keys if k is not None))
        rows = await load_at_once(self.loader, wanted)
        found: dict[int | None, Any] = dict(zip(wanted, rows, strict=True))
        for (own, index, relation, sources), keys in zip(self.steps, keys_of, strict=True):
            values = relation.values(keys, found, self.made)
            if relation.finish is not None:
                values = await relation.finish(self.loaders, sources, values, self.made)
            own[index] = values


_RelationStep = tuple[list[list[Any] | None], int, Relation, list[Any]]
"""Where a step's values go (its level's column and index), its relation and objects."""


def _check_type(type_: GraphQLObjectType, values: list[Any]) -> None:
    is_type_of: Any = type_.is_type_of  # Strawberry's checks ignore their info
    if is_type_of is not None and not all(is_type_of(value, None) for value in values):
        raise Fallback(f"a value that is not a {type_.name}")


async def _awaited(values: list[Any], waiting: list[int]) -> list[Any]:
    done = await _all(values[i] for i in waiting)
    for i, value in zip(waiting, done, strict=True):
        values[i] = value
    return values


def _check(completion: Completion, raw: list[Any]) -> None:
    non_null = completion.non_null
    for value in raw:
        if value is None:
            if non_null:
                raise Fallback(f"null for {completion.type}")
        elif isinstance(value, Exception):
            raise Fallback("a resolver returned an error")


def _flatten(completion: Completion, raw: list[Any]) -> tuple[list[Any], list[int | None]]:
    flat: list[Any] = []
    lengths: list[int | None] = []
    for value in raw:
        if value is None:
            lengths.append(None)
            continue
        if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
            raise Fallback(f"not a list for {completion.type}")
        items = list(value)
        lengths.append(len(items))
        flat.extend(items)
    return flat, lengths


def _unflatten(done: list[Any], lengths: list[int | None]) -> list[Any]:
    out: list[Any] = []
    start = 0
    for length in lengths:
        if length is None:
            out.append(None)
        else:
            out.append(done[start : start + length])
            start += length
    return out


async def _all(works: Iterable[Awaitable[Any]]) -> list[Any]:
    """The results of ``works``, run side by side; when one fails, the others still finish
    (nothing of the plan keeps running behind the execution that replaces it) and the first
    failure is raised, as :class:`Fallback`. A single work is awaited here: a task for it
    would cost loop turns and run beside nothing."""
    pending = list(works)
    results: list[Any]
    if len(pending) == 1:
        try:
            results = [await pending[0]]
        except Exception as error:
            results = [error]
    else:
        results = await asyncio.gather(*pending, return_exceptions=True)
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


_MAX_ANSWERS = 256
"""The enum answers a completion keeps (a value that is not a member is kept too)."""


def _enum_answers(leaf: Any, answers: dict[tuple[type, Any], Any], raw: list[Any]) -> list[Any]:
    """An enum's answers, each value serialised once per completion (a value's answer
    depends on nothing else)."""
    out: list[Any] = []
    for value in raw:
        if value is None:
            out.append(None)
            continue
        key = (value.__class__, value)
        try:
            answer = answers.get(key)
        except TypeError:  # not hashable: not an enum's value, serialize says so
            out.append(_serialize(leaf, value))
            continue
        if answer is None:
            answer = _serialize(leaf, value)
            if len(answers) < _MAX_ANSWERS:
                answers[key] = answer
        out.append(answer)
    return out


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
