"""Prebuilt SQL: a queryset's statement is built once per shape, and each call only swaps its
parameters. The request's DataLoaders (:mod:`gqlnews.graphql.loaders`), the article lists'
pages and counts (:mod:`gqlnews.graphql.types.article_lists`) and the plans' batches use it.

Building a Tortoise statement (filters resolved, pypika rendering) costs more than running it
for the small look-ups of a page. A :class:`Prepared` look-up builds its queryset once per
shape — the kind of viewer and the number of keys — with stand-in values for the request's
instant, day, account and keys, renders it, and remembers where each stand-in landed among
the parameters. A call then fills in the real values and runs the statement; its rows become
the model instances Tortoise's executor would make (:func:`select`: Tortoise's executor for a
``select_related`` or an annotation, :class:`gqlnews.graphql.rows.Instances` for the model's
columns alone). The queryset is the one
the loaders build (``visibility`` decides what is visible, not this module); when a stand-in
does not come back as a parameter exactly (a driver conversion, say), that shape is not
prepared and the queryset runs as usual.

A :class:`Template` does the same for a queryset built from any few values (see there).

Rows are Tortoise's model instances, made by its executor from the database's rows (the
conversion of enums, date-times and nulls is Tortoise's own, as for an awaited queryset),
unless the look-up is given a :class:`Reader`: then it gets the database's rows and makes
its own (the catalog's light rows, :mod:`gqlnews.graphql.rows`), and a shape that could not
be prepared hands it Tortoise's instances to turn into the same.
A prebuilt statement skips the check Tortoise makes of each value against its column when it
builds one (``CharField(max_length=…)``); values a client gives are checked by the caller
(:func:`gqlnews.graphql.criteria.check_columns`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple, Protocol

from tortoise.exceptions import BaseORMException
from tortoise.queryset import QuerySet

from gqlnews.graphql.rows import Instances
from gqlnews.models import UserRole
from gqlnews.visibility import SEE_EVERYTHING, Viewer, today

_NOW = datetime(1111, 11, 11, 11, 11, 11, 111111, tzinfo=UTC)
_DAY = today(_NOW)
_USER = -(10**15) + 7
_KEY = -(10**15) + 1_000_000
MAX_SHAPES = 256
"""Statements kept per look-up (shapes beyond are built each time)."""

Build = Callable[[Viewer, datetime, list[int]], QuerySet[Any]]


class Reader(Protocol):
    """Makes a look-up's rows itself, instead of Tortoise's model instances."""

    def records(self, records: Sequence[Any], dialect: str) -> list[Any]:
        """The rows of the database rows ``records`` (as the driver of a ``dialect``
        connection, the name of its client class, gives them)."""

    def instances(self, instances: Sequence[Any]) -> list[Any]:
        """The rows of the model instances of the queryset, run by Tortoise."""


@dataclass(frozen=True, slots=True)
class _Statement:
    model: Any
    sql: str
    slots: tuple[tuple[str, Any], ...]
    """Per parameter: ("const", value), ("now", _), ("day", _), ("user", _) or ("key", i)."""
    select_related_idx: Any


def _kind(viewer: Viewer) -> str:
    if viewer.role in SEE_EVERYTHING:
        return "all"
    return "own" if viewer.user_id is not None else "public"


def _stand_in(kind: str) -> Viewer:
    if kind == "all":
        return Viewer(user_id=_USER, role=UserRole.EDITOR)
    return Viewer(user_id=_USER, role=UserRole.AUTHOR) if kind == "own" else Viewer()


def _slot(value: Any, keys: int) -> tuple[str, Any]:
    if isinstance(value, datetime) and value == _NOW:
        return ("now", None)
    if type(value) is date and value == _DAY:
        return ("day", None)
    if type(value) is int and value == _USER:
        return ("user", None)
    if type(value) is int and _KEY <= value < _KEY + keys:
        return ("key", value - _KEY)
    return ("const", value)


_INSTANCES: dict[Any, Instances[Any]] = {}


async def select(
    model: Any,
    db: Any,
    sql: str,
    params: list[Any],
    select_related_idx: Any,
    custom_fields: Sequence[str] = (),
) -> list[Any]:
    """The model instances of a prebuilt statement, as Tortoise's executor makes them. A
    statement over the model's columns alone (nothing related, no annotation) has its rows
    made by :class:`gqlnews.graphql.rows.Instances`; any other by the executor."""
    if not plain(select_related_idx, custom_fields):
        executor = db.executor_class(
            model=model,
            db=db,
            prefetch_map={},
            prefetch_queries={},
            select_related_idx=select_related_idx,
        )
        return list(await executor.execute_select(sql, params, custom_fields=list(custom_fields)))
    _, records = await db.execute_query(sql, params)
    return instances_of(model, records, type(db).__name__)


def plain(select_related_idx: Any, custom_fields: Sequence[str]) -> bool:
    """Whether a statement's rows are the model's columns alone (nothing related, no
    annotation): :func:`instances_of` makes its instances."""
    return not custom_fields and not (select_related_idx and len(select_related_idx) > 1)


def instances_of(model: Any, records: Sequence[Any], dialect: str) -> list[Any]:
    """The ``model`` instances of the database rows ``records`` of a plain statement (see
    :func:`plain`) from a ``dialect`` connection (columns other than the model's, after its
    own, are not read)."""
    instances = _INSTANCES.get(model)
    if instances is None:
        instances = _INSTANCES[model] = Instances(model)
    made = instances.records(records, dialect)
    if made is not None:
        return made
    # Some columns only: the executor's way (with the model alone and no annotation, a row
    # holds the model's selected columns and nothing else).
    return [model._init_from_db(**record) for record in records]


def _database(model: Any) -> Any:
    """The connection a queryset of ``model`` would use now (the request's context): the
    model's own choice, which a queryset makes the same way (``model.all()`` would build a
    whole queryset to ask it, several times a request)."""
    return model._choose_db()


class Prepared:
    """A look-up by keys whose statement is built once per shape (see the module)."""

    def __init__(
        self,
        build: Build,
        model: Any,
        reader: Reader | None = None,
        rewrite: Callable[[str], str] | None = None,
    ) -> None:
        self.build = build
        self._model = model
        self._reader = reader
        self._rewrite = rewrite
        self._statements: dict[tuple[str, str, int], _Statement | None] = {}

    def _prepare(self, kind: str, size: int) -> _Statement | None:
        stand_ins = [_KEY + i for i in range(size)]
        queryset = self.build(_stand_in(kind), _NOW, stand_ins)
        queryset._choose_db_if_not_chosen()
        queryset._make_query()
        sql, params = queryset.query.get_parameterized_sql()
        slots = tuple(_slot(value, size) for value in params)
        found = {index for name, index in slots if name == "key"}
        if found != set(range(size)) or any(str(v) in sql for v in (_USER, _KEY)):
            return None  # a stand-in did not come back as a parameter: run it as built
        if self._rewrite is not None:
            sql = self._rewrite(sql)
        return _Statement(queryset.model, sql, slots, queryset._select_related_idx)

    async def built(self, viewer: Viewer, now: datetime, keys: Sequence[int]) -> list[Any]:
        """The rows of the queryset as Tortoise builds and runs it (no prebuilt statement):
        a shape that could not be prepared."""
        found = list(await self.build(viewer, now, list(keys)))
        return found if self._reader is None else self._reader.instances(found)

    async def fetch(self, viewer: Viewer, now: datetime, keys: Sequence[int]) -> list[Any]:
        """The rows of the queryset built for ``viewer`` at ``now`` for ``keys``."""
        if not keys:
            return []
        kind, size = _kind(viewer), len(keys)
        # one look-up of the statement's connection (Tortoise asks the context, its
        # connections and their event loop each time): it names the dialect too
        db = None if self._model is None else _database(self._model)
        shape = ("" if db is None else type(db).__name__, kind, size)
        if shape in self._statements:
            statement = self._statements[shape]
        else:
            statement = self._prepare(kind, size)
            if len(self._statements) < MAX_SHAPES:
                self._statements[shape] = statement
        if statement is None:
            return await self.built(viewer, now, keys)
        values = {"now": now, "day": today(now), "user": viewer.user_id}
        params = [
            keys[arg] if name == "key" else arg if name == "const" else values[name]
            for name, arg in statement.slots
        ]
        if db is None or statement.model is not self._model:
            db = _database(statement.model)
        if self._reader is not None:
            _, records = await db.execute_query(statement.sql, params)
            return self._reader.records(records, shape[0])
        return await select(
            statement.model, db, statement.sql, params, statement.select_related_idx
        )


Value = int | str | datetime | date
"""What a :class:`Template`'s values may be: each becomes one SQL parameter (or several)."""

_SETS = (
    (7 * 10**14, "\x1f{}", _NOW),
    (8 * 10**14, "\x1e{}", datetime(1212, 2, 3, 4, 5, 6, 777777, tzinfo=UTC)),
)
"""Two sets of stand-ins (int base, string pattern, instant), different in every part, so
that a value derived from one (an instant's day, ``n + 1``) differs between the sets."""


def _stand_in_value(value: Value, index: int, which: int) -> Value | None:
    """A value of ``value``'s kind that no real value equals, unique to ``index`` within the
    set ``which``; None for a kind with no stand-in."""
    base, text, moment = _SETS[which]
    kind = type(value)
    if kind is int:
        return base + index
    if kind is str:
        return text.format(index)
    if kind is datetime:
        return moment + timedelta(days=index, microseconds=index)
    if kind is date:
        return today(moment) - timedelta(days=index + 1)
    return None


def _stand_ins(values: Sequence[Value], which: int) -> list[Value] | None:
    found = [_stand_in_value(value, i, which) for i, value in enumerate(values)]
    return None if any(value is None for value in found) else [v for v in found if v is not None]


def _match(param: Any, stand_ins: Sequence[Value]) -> int | None:
    """The index of the stand-in ``param`` is, if it is one."""
    for index, stand_in in enumerate(stand_ins):
        if type(param) is type(stand_in) and param == stand_in:
            return index
    return None


@dataclass(frozen=True, slots=True)
class _Rendered:
    model: Any
    sql: str
    slots: tuple[tuple[bool, Any], ...]
    """Per parameter: (True, index of the value) or (False, the constant)."""
    select_related_idx: Any
    custom_fields: tuple[str, ...]

    def params(self, values: Sequence[Value]) -> list[Any]:
        """The statement's parameters for ``values``."""
        return [values[arg] if is_value else arg for is_value, arg in self.slots]


class Bound(NamedTuple):
    """A :class:`Template`'s statement and the connection it runs on now (looked up once)."""

    rendered: _Rendered
    db: Any

    def filled(self, values: Sequence[Value]) -> tuple[str, list[Any], Any]:
        """The statement, its parameters for ``values``, and the connection to run it on."""
        return self.rendered.sql, self.rendered.params(values), self.db


ViewerShape = tuple[UserRole | None, int]
"""What a viewer changes in a statement's text: its role and whether it has an account."""


def viewer_values(viewer: Viewer, now: datetime) -> tuple[ViewerShape, list[Value]]:
    """The part of a :class:`Template`'s shape and the first values for a statement of what
    ``viewer`` may see at ``now``: the instant, then the viewer's account if it has one (read
    back by :func:`given_viewer`)."""
    account: list[Value] = [] if viewer.user_id is None else [viewer.user_id]
    return (viewer.role, len(account)), [now, *account]


def given_viewer(shape: ViewerShape, given: Sequence[Any]) -> tuple[Viewer, Any, list[Any]]:
    """The viewer and the instant that ``given`` values (made by :func:`viewer_values`, or
    their stand-ins) start with, and the values after them."""
    role, accounts = shape
    who = Viewer(given[1], role) if accounts else Viewer()
    return who, given[0], list(given[1 + accounts :])


def check_column(model: Any, column: str, values: Iterable[Any]) -> None:
    """Check ``values`` against ``model``'s ``column`` as Tortoise does when it builds a
    statement (its ``ValidationError``): a prebuilt statement skips that check."""
    field = model._meta.fields_map[column]
    for value in values:
        field.validate(value)


Builder = Callable[[Sequence[Any]], QuerySet[Any]]
"""Builds a queryset from a :class:`Template`'s values (the real ones or stand-ins)."""


def _render(build: Builder, stand_ins: Sequence[Value]) -> tuple[QuerySet[Any], str, list[Any]]:
    queryset = build(stand_ins)
    queryset._choose_db_if_not_chosen()
    queryset._make_query()
    sql, params = queryset.query.get_parameterized_sql()
    return queryset, sql, list(params)


def _plain(queryset: QuerySet[Any]) -> bool:
    """Whether ``queryset`` reads its rows in one statement (nothing prefetched, not single)."""
    prefetched = getattr(queryset, "_prefetch_map", None) or getattr(
        queryset, "_prefetch_queries", None
    )
    return not prefetched and not queryset._single


class Template:
    """Statements of querysets built from a few values, rendered once per shape.

    The caller names the shape (everything that changes the statement's text: which filters,
    which order, how many keys…) and gives the values that fill it (instants, ids, slugs,
    cursor keys, limits), flat. The first time a shape is seen, the queryset is built twice
    from two sets of stand-ins (values no real one equals) and rendered; the shape is kept
    when both renderings have the same text and each parameter is either the same constant
    in both or the same value's stand-in in both. A value the builder turns into another
    (a day computed from an instant, ``limit + 1``) or writes into the text fails that
    check: such a shape is built by Tortoise each time (:meth:`statement` answers None). A
    value the statement does not use is allowed. The builder must not branch on the values
    (their kinds and counts are the shape's business): stand-ins are never zero or empty.
    """

    def __init__(self, model: Any) -> None:
        self._model = model
        self._statements: dict[tuple[Any, ...], _Rendered | None] = {}

    def _prepare(
        self, build: Builder, values: Sequence[Value], rewrite: Callable[[str], str] | None
    ) -> _Rendered | None:
        first = _stand_ins(values, 0)
        second = _stand_ins(values, 1)
        if first is None or second is None:
            return None
        try:
            queryset, sql, params = _render(build, first)
            _, other_sql, other_params = _render(build, second)
        except (BaseORMException, ValueError):
            return None  # a stand-in its column refuses (too long for it…)
        if sql != other_sql or len(params) != len(other_params) or not _plain(queryset):
            return None
        slots: list[tuple[bool, Any]] = []
        for param, other in zip(params, other_params, strict=True):
            index = _match(param, first)
            if index is None:
                if _match(other, second) is not None or param != other:
                    return None  # a value turned into another, or a derived one
                slots.append((False, param))
            elif _match(other, second) != index:
                return None
            else:
                slots.append((True, index))
        return _Rendered(
            queryset.model,
            sql if rewrite is None else rewrite(sql),
            tuple(slots),
            getattr(queryset, "_select_related_idx", None),
            tuple(queryset._annotations),
        )

    def statement(
        self,
        shape: tuple[Any, ...],
        values: Sequence[Value],
        build: Builder,
        rewrite: Callable[[str], str] | None = None,
    ) -> Bound | None:
        """The statement of ``shape`` (prepared the first time, its text then passed through
        ``rewrite`` when given: the same for every use of the shape) and its connection, or
        None when the shape cannot be prepared (then build the queryset)."""
        # one look-up of the connection (Tortoise asks the context, its connections and
        # their event loop each time): it names the dialect, and runs the statement
        db = _database(self._model)
        key = (type(db).__name__, *shape)
        if key in self._statements:
            rendered = self._statements[key]
        else:
            rendered = self._prepare(build, values, rewrite)
            if len(self._statements) < MAX_SHAPES:
                self._statements[key] = rendered
        if rendered is None:
            return None
        return Bound(rendered, db if rendered.model is self._model else _database(rendered.model))

    async def fetch(
        self,
        shape: tuple[Any, ...],
        values: Sequence[Value],
        build: Builder,
        rewrite: Callable[[str], str] | None = None,
    ) -> list[Any]:
        """The rows (model instances) of ``build(values)``, through the statement of
        ``shape`` (see :meth:`statement`)."""
        bound = self.statement(shape, values, build, rewrite)
        if bound is None:
            return list(await build(values))
        return await run(bound, values)


async def run(bound: Bound, values: Sequence[Value]) -> list[Any]:
    """The rows (model instances) of a :class:`Template`'s ``bound`` statement for ``values``."""
    rendered = bound.rendered
    sql, params, db = bound.filled(values)
    return await select(
        rendered.model, db, sql, params, rendered.select_related_idx, rendered.custom_fields
    )
