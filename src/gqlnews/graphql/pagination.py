"""Relay-style pagination over Tortoise querysets: keyset cursors, page caps, page numbers.

Cursors are opaque. For orders whose sort keys are never null they carry the sort key of the
edge (keyset pagination: stable while new articles are published); otherwise they carry the
offset. ``first``/``last``/``perPage`` above the maximum are an error, never a silent cap.

A cursor comes back from the client, so it is checked before it reaches SQL: each key must
have its column's kind (an aware instant for a date-time column, an integer within the
column's range, a string for a text column) and an offset is at most :data:`MAX_OFFSET`;
anything else is ``BAD_USER_INPUT`` ("not a valid cursor").
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

import orjson
from tortoise import fields
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from gqlnews.errors import BadUserInput

M = TypeVar("M", bound=Model)

MAX_OFFSET = 2**31 - 1
"""The largest position an offset cursor may carry."""


@dataclass(frozen=True, slots=True)
class SortKey:
    """One column of an order; ``descending`` flips it.

    ``field`` is what the statement sorts and compares by. ``column``, when given, is the
    row's own column that holds the same value (``field`` then names a copy of it in a
    joined table, which an index may hold in order): cursors are made from it and checked
    against it."""

    field: str
    descending: bool = False
    column: str | None = None

    @property
    def attribute(self) -> str:
        """The row's column that holds the key's value."""
        return self.column or self.field

    @property
    def expression(self) -> str:
        return f"-{self.field}" if self.descending else self.field


@dataclass(frozen=True, slots=True)
class Ordering:
    """A total order: the keys end with a unique column. ``keyset`` says cursors may use keys."""

    keys: tuple[SortKey, ...]
    keyset: bool = True

    def reversed(self) -> Ordering:
        keys = tuple(SortKey(k.field, not k.descending, k.column) for k in self.keys)
        return Ordering(keys, self.keyset)


@dataclass(frozen=True, slots=True)
class PageRequest:
    """The pagination arguments of one connection field."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None
    offset: int | None = None
    page: int | None = None
    per_page: int | None = None


@dataclass(slots=True)
class Edge(Generic[M]):
    """A row of a page and what its cursor is made of: the row's keys in ``ordering`` (a
    keyset cursor), else its ``position`` in the list. The cursor is made when asked for: a
    page read for its nodes alone makes none (3 µs a cursor)."""

    node: M
    ordering: Ordering | None
    position: int = 0

    @property
    def cursor(self) -> str:
        if self.ordering is not None:
            return encode_cursor({"k": _key_values(self.node, self.ordering)})
        return encode_cursor({"o": self.position})


class ListQuery(Generic[M]):
    """A list's queryset, built when first asked for: a list whose pages a prebuilt
    statement reads (``fetch`` of :func:`paginate`) needs it only to count itself, when the
    count is asked for, or for a staff list's last page."""

    __slots__ = ("_build", "_built", "model")

    def __init__(self, model: type[M], build: Callable[[], QuerySet[M]]) -> None:
        self.model = model
        self._build = build
        self._built: QuerySet[M] | None = None

    @classmethod
    def of(cls, queryset: QuerySet[M]) -> ListQuery[M]:
        """A queryset already built."""
        query = cls(queryset.model, lambda: queryset)
        query._built = queryset
        return query

    def get(self) -> QuerySet[M]:
        """The queryset (built once)."""
        if self._built is None:
            self._built = self._build()
        return self._built


@dataclass(slots=True)
class PageResult(Generic[M]):
    edges: list[Edge[M]]
    has_next_page: bool
    has_previous_page: bool
    count_query: ListQuery[M] = field(repr=False)
    page_number: int | None = None
    page_size: int = 0


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if hasattr(value, "value") and not isinstance(value, int | str):
        return value.value
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return datetime.fromisoformat(str(value["t"]))  # ValueError when malformed
        if "d" in value:
            return date.fromisoformat(str(value["d"]))
        raise ValueError("unknown cursor value")
    if isinstance(value, int | str | float) or value is None:
        return value
    raise ValueError("unknown cursor value")


def encode_cursor(payload: dict[str, Any]) -> str:
    """Opaque cursor for ``payload``."""
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


def decode_cursor(cursor: str, argument: str) -> dict[str, Any]:
    """Payload of a cursor made by :func:`encode_cursor`; ``BAD_USER_INPUT`` when malformed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = orjson.loads(raw)
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise BadUserInput(f"{argument} is not a valid cursor", argument=argument) from None
    if not isinstance(payload, dict):
        raise BadUserInput(f"{argument} is not a valid cursor", argument=argument)
    return payload


def _check_size(name: str, value: int | None, maximum: int) -> None:
    if value is None:
        return
    if value < 0:
        raise BadUserInput(f"{name} must be 0 or more", argument=name)
    if value > maximum:
        raise BadUserInput(
            f"{name} must be ≤ {maximum} (got {value}); page through larger results",
            argument=name,
            maximum=maximum,
        )


def validate(request: PageRequest, max_page_size: int) -> None:
    """Reject impossible combinations and sizes before any SQL runs."""
    _check_size("first", request.first, max_page_size)
    _check_size("last", request.last, max_page_size)
    _check_size("perPage", request.per_page, max_page_size)
    if request.first is not None and request.last is not None:
        raise BadUserInput("use either first or last, not both", argument="last")
    page_mode = request.page is not None or request.offset is not None
    if page_mode and (request.after or request.before or request.last is not None):
        raise BadUserInput(
            "page/offset cannot be combined with after, before or last", argument="page"
        )
    if request.page is not None and request.offset is not None:
        raise BadUserInput("use either page or offset, not both", argument="offset")
    if request.page is not None and request.page < 1:
        raise BadUserInput("page must be 1 or more", argument="page")
    if request.offset is not None and request.offset < 0:
        raise BadUserInput("offset must be 0 or more", argument="offset")
    if request.per_page is not None and request.page is None:
        raise BadUserInput("perPage goes with page", argument="perPage")
    if request.per_page == 0:
        raise BadUserInput("perPage must be 1 or more", argument="perPage")


def _key_values(item: Model, ordering: Ordering) -> list[Any]:
    return [_encode_value(getattr(item, k.attribute)) for k in ordering.keys]


def _after_q(ordering: Ordering, values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering`` (lexicographic keyset condition)."""
    clauses: list[Q] = []
    for i, key in enumerate(ordering.keys):
        equal = {k.field: values[j] for j, k in enumerate(ordering.keys[:i])}
        op = "lt" if key.descending else "gt"
        clauses.append(Q(**equal, **{f"{key.field}__{op}": values[i]}))
    result = clauses[0]
    for clause in clauses[1:]:
        result = result | clause
    return result


def _fits(value: Any, column: fields.Field[Any] | None) -> bool:
    """Whether a decoded cursor key may be compared with ``column`` in SQL."""
    if isinstance(column, fields.DatetimeField):
        return isinstance(value, datetime) and value.tzinfo is not None
    if isinstance(column, fields.DateField):
        return isinstance(value, date) and not isinstance(value, datetime)
    if isinstance(column, fields.IntField | fields.BigIntField | fields.SmallIntField):
        limits = column.constraints
        low, high = limits.get("ge", -(2**63)), limits.get("le", 2**63 - 1)
        return type(value) is int and low <= value <= high
    if isinstance(column, fields.CharField | fields.TextField):
        return isinstance(value, str)
    return False  # a column kind cursors were never made for


def _cursor_keys(cursor: str, argument: str, ordering: Ordering, model: type[Model]) -> list[Any]:
    payload = decode_cursor(cursor, argument)
    keys = payload.get("k")
    if not isinstance(keys, list) or len(keys) != len(ordering.keys):
        raise BadUserInput(f"{argument} is a cursor of another list or order", argument=argument)
    try:
        values = [_decode_value(v) for v in keys]
    except ValueError:
        raise BadUserInput(f"{argument} is not a valid cursor", argument=argument) from None
    columns = model._meta.fields_map
    if not all(
        _fits(v, columns.get(k.attribute)) for v, k in zip(values, ordering.keys, strict=True)
    ):
        raise BadUserInput(f"{argument} is not a valid cursor", argument=argument)
    return values


def _cursor_offset(cursor: str, argument: str) -> int:
    payload = decode_cursor(cursor, argument)
    offset = payload.get("o")
    if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
        raise BadUserInput(f"{argument} is a cursor of another list or order", argument=argument)
    return offset


@dataclass(frozen=True, slots=True)
class PageQuery:
    """What one page selects from a list, once its arguments are checked: the rows after
    ``after`` and before ``before`` (cursor keys, in ``ordering``'s order), in ``used`` order
    (``ordering``, or its reverse for a page counted from the end), ``offset`` rows skipped,
    at most ``limit`` rows."""

    ordering: Ordering
    used: Ordering
    after: tuple[Any, ...] | None
    before: tuple[Any, ...] | None
    offset: int | None
    limit: int


def select_page(base: QuerySet[M], page: PageQuery) -> QuerySet[M]:
    """The queryset of ``page``'s rows of ``base``."""
    qs = base
    if page.after is not None:
        qs = qs.filter(_after_q(page.ordering, page.after))
    if page.before is not None:
        qs = qs.filter(_after_q(page.ordering.reversed(), page.before))
    qs = qs.order_by(*(k.expression for k in page.used.keys))
    if page.offset is not None:
        qs = qs.offset(page.offset)
    return qs.limit(page.limit)


def page_values(page: PageQuery) -> tuple[tuple[Any, ...], list[Any]]:
    """What ``page`` adds to a prebuilt statement's shape (the order, which cursors and
    whether an offset is given) and its values (the cursors' keys, the offset, the limit),
    read back by :func:`given_page`."""
    counts = (
        None if page.after is None else len(page.after),
        None if page.before is None else len(page.before),
    )
    offset = [] if page.offset is None else [page.offset]
    values = [*(page.after or ()), *(page.before or ()), *offset, page.limit]
    return (page.ordering, page.used, counts, len(offset)), values


def given_page(shape: tuple[Any, ...], given: Sequence[Any]) -> PageQuery:
    """The page that ``given`` values (made by :func:`page_values` with ``shape``, or their
    stand-ins) describe."""
    ordering, used, (after_count, before_count), offsets = shape
    rest = list(given)
    after = None if after_count is None else tuple(rest[:after_count])
    rest = rest[after_count or 0 :]
    before = None if before_count is None else tuple(rest[:before_count])
    rest = rest[before_count or 0 :]
    skip = rest.pop(0) if offsets else None
    return PageQuery(ordering, used, after, before, skip, rest.pop(0))


Fetch = Callable[[PageQuery], Awaitable[list[M]]]
"""Reads a page's rows (default: :func:`select_page` of the list's queryset, awaited)."""


async def paginate(
    queryset: QuerySet[M] | ListQuery[M],
    ordering: Ordering,
    request: PageRequest,
    *,
    default_size: int,
    max_size: int,
    fetch: Fetch[M] | None = None,
) -> PageResult[M]:
    """Fetch one page of ``queryset`` in ``ordering`` (one SQL query; the count is lazy).

    ``fetch`` reads the page's rows when given (it must select what :func:`select_page`
    selects: :mod:`gqlnews.graphql.types.article_lists` runs it as a prebuilt statement);
    the list's queryset may then be a :class:`ListQuery`, built only if it is needed."""
    validate(request, max_size)
    base = queryset if isinstance(queryset, ListQuery) else ListQuery.of(queryset)

    async def read(page: PageQuery) -> list[M]:
        if fetch is not None:
            return await fetch(page)
        return list(await select_page(base.get(), page))

    if request.page is not None or request.offset is not None:
        size = request.per_page or request.first or default_size
        start = request.offset if request.offset is not None else (request.page or 1) - 1
        if request.page is not None:
            start *= size
        return await _offset_page(read, base, ordering, start, size, request.page)
    if not ordering.keyset:
        start = _cursor_offset(request.after, "after") + 1 if request.after else 0
        if request.last is not None or request.before:
            end = _cursor_offset(request.before, "before") if request.before else None
            size = request.last if request.last is not None else default_size
            if end is None:
                total = await base.get().count()
                end = total
            begin = max(0, end - size)
            if request.after:
                begin = max(begin, start)
            return await _offset_page(read, base, ordering, begin, end - begin, None, end_bound=end)
        return await _offset_page(
            read,
            base,
            ordering,
            start,
            request.first if request.first is not None else default_size,
            None,
        )
    backwards = request.last is not None or (request.before is not None and request.first is None)
    wanted = request.last if backwards else request.first
    size = default_size if wanted is None else wanted
    after = (
        tuple(_cursor_keys(request.after, "after", ordering, base.model)) if request.after else None
    )
    before = (
        tuple(_cursor_keys(request.before, "before", ordering, base.model))
        if request.before
        else None
    )
    used = ordering.reversed() if backwards else ordering
    rows = await read(PageQuery(ordering, used, after, before, None, size + 1))
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    edges = [Edge(row, ordering) for row in rows]
    return PageResult(
        edges=edges,
        has_next_page=more if not backwards else request.before is not None,
        has_previous_page=more if backwards else request.after is not None,
        count_query=base,
        page_size=size,
    )


async def _offset_page(
    read: Fetch[M],
    base: ListQuery[M],
    ordering: Ordering,
    start: int,
    size: int,
    page_number: int | None,
    end_bound: int | None = None,
) -> PageResult[M]:
    page = PageQuery(ordering, ordering, None, None, start, size + 1)
    rows = await read(page) if size else []
    more = len(rows) > size
    rows = rows[:size]
    keys = ordering if ordering.keyset else None
    edges = [Edge(row, keys, start + i) for i, row in enumerate(rows)]
    has_next = more or (end_bound is not None and start + size < end_bound)
    return PageResult(
        edges=edges,
        has_next_page=has_next,
        has_previous_page=start > 0,
        count_query=base,
        page_number=page_number,
        page_size=size,
    )
