"""Lists inside lists in one statement: the pages of one shape asked together, read at once
(on PostgreSQL: see :data:`ALONE`).

A list that hangs off each object of a list (each section's latest articles, each tag's)
used to send one statement per parent: ``sections { articles(first: 3) }`` was 11 statements
on the demo. Each list's page is a :class:`gqlnews.graphql.prepared.Template` statement, and
the lists of the same field under different parents have the same shape: the same text, with
different values (the parent's id, say). The resolvers of those lists run side by side (a
plan's generation, or graphql-core's execution of a list), so :class:`PageBatches` (one per
request, on its loaders) collects the pages asked in the same turn of the event loop and
reads each shape's pages with one statement:

.. code-block:: sql

    SELECT "_q".*, 0 AS "__part", ROW_NUMBER() OVER () AS "__n" FROM (<page 0>) AS "_q"
    UNION ALL
    SELECT "_q".*, 1 AS "__part", ROW_NUMBER() OVER () AS "__n" FROM (<page 1>) AS "_q"
    ORDER BY "__part", "__n"

Each part is the page's own statement, untouched (its visibility rule, order, limit and
offset), its parameters renumbered on PostgreSQL. ``__part`` says which page a row belongs to
and ``__n`` keeps each page's rows in the order its statement gave them. The rows are made
into instances as a single page's are (:func:`gqlnews.graphql.prepared.instances_of`, which
does not read the two added columns). A shape whose rows are not plain (a related model or an
annotation), or a page asked alone, is read as before.

The lists' bounded counts (``totalCount``, :mod:`gqlnews.graphql.counting`) are read the same
way: a ``COUNT(*)`` of each list's statement cut at the cap, one row per part. At most
:data:`MAX_PARTS` pages or counts go into one statement. tests/test_page_batches.py compares
the answers with those of the lists read one by one.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

from gqlnews.graphql.prepared import Bound, Builder, Template, Value, instances_of, plain, run
from gqlnews.graphql.sharing import SharedLoader

E = TypeVar("E")
R = TypeVar("R")

MAX_PARTS = 100
"""Pages (or counts) one combined statement reads at most (SQLite refuses a compound SELECT of
more than 500 terms); more are read in several statements."""

MAX_PARAMETERS = 20000
"""Parameters one combined statement sends at most (SQLite takes 32,766, PostgreSQL 32,767)."""

_PARAMETER = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\$(\d+)")
"""A string literal, a quoted name, or PostgreSQL's numbered parameter (group 1)."""


def _shifted(sql: str, by: int) -> str:
    """``sql`` with each ``$n`` parameter (outside quotes) numbered ``n + by``."""
    if by == 0:
        return sql

    def renumber(match: re.Match[str]) -> str:
        number = match.group(1)
        return match.group(0) if number is None else f"${int(number) + by}"

    return _PARAMETER.sub(renumber, sql)


_TEXTS: dict[tuple[str, str, tuple[int, ...], bool], str] = {}
"""Combined statements' texts already written, by kind, part statement, parameters per part
and numbering: a request's lists ask the same ones again (renumbering a page's statement
calls a function per quoted name, 1,600 a request for ten sections' pages)."""

MAX_TEXTS = 512
"""Texts kept at most (the dictionary starts again when full)."""


def _union(
    kind: str,
    sql: str,
    params: Sequence[Sequence[Any]],
    numbered: bool,
    part: Callable[[int, str], str],
) -> tuple[str, list[Any]]:
    """``part(index, sql)`` once per parameter list of ``params``, joined by ``UNION ALL``
    (written once per ``kind`` of part and shape, see :data:`_TEXTS`), and the parameters;
    ``numbered``: PostgreSQL's ``$n`` parameters, renumbered part by part (SQLite's ``?``
    need nothing)."""
    values = [value for part_params in params for value in part_params]
    key = (kind, sql, tuple(len(part_params) for part_params in params), numbered)
    text = _TEXTS.get(key)
    if text is None:
        parts: list[str] = []
        sent = 0
        for index, part_params in enumerate(params):
            parts.append(part(index, _shifted(sql, sent) if numbered else sql))
            sent += len(part_params)
        if len(_TEXTS) >= MAX_TEXTS:
            _TEXTS.clear()
        text = _TEXTS[key] = " UNION ALL ".join(parts)
    return text, values


def combined(sql: str, params: Sequence[Sequence[Any]], numbered: bool) -> tuple[str, list[Any]]:
    """One statement reading the statement ``sql`` once per parameter list of ``params``
    (see the module), and its parameters."""
    text, values = _union(
        "page",
        sql,
        params,
        numbered,
        lambda index, part: (
            f'SELECT "_q".*, {index} AS "__part", ROW_NUMBER() OVER () AS "__n" '
            f'FROM ({part}) AS "_q"'
        ),
    )
    return text + ' ORDER BY "__part", "__n"', values


def combined_counts(
    inner: str, params: Sequence[Sequence[Any]], limit: int, numbered: bool
) -> tuple[str, list[Any]]:
    """One statement counting the rows of the statement ``inner`` (a selection of ids) once
    per parameter list of ``params``, each up to ``limit`` rows (written into the text, as
    :func:`gqlnews.graphql.counting.count_statement` writes it, for the same reason): a row
    per count, with its ``__part``."""
    return _union(
        f"count {int(limit)}",
        inner,
        params,
        numbered,
        lambda index, part: (
            f'SELECT {index} AS "__part", COUNT(*) AS n FROM ({part} LIMIT {int(limit)}) AS "_q"'
        ),
    )


def _chunks(params: Sequence[Sequence[Any]]) -> list[range]:
    """The parts of ``params`` each combined statement reads (see :data:`MAX_PARTS`)."""
    chunks: list[range] = []
    start, sent = 0, 0
    for index, part in enumerate(params):
        if index > start and (index - start >= MAX_PARTS or sent + len(part) > MAX_PARAMETERS):
            chunks.append(range(start, index))
            start, sent = index, 0
        sent += len(part)
    chunks.append(range(start, len(params)))
    return chunks


ALONE = frozenset({"sqlite"})
"""Dialects whose lists are read one by one all the same: SQLite's reads run in the event
loop's own thread (:mod:`gqlnews.db_clients.sqlite_reader`), with no round trip to save, and
waiting for a batch costs each list a suspension of its resolver: ten sections' pages and
counts took 12 % more instructions together than alone on the demo, 10 % fewer on
PostgreSQL (bench/plans-results.md, sixteenth round)."""


def together(bound: Bound) -> bool:
    """Whether pages of ``bound``'s shape are read together: its rows are plain (a combined
    statement makes them as one page's) and its dialect is not one of :data:`ALONE`."""
    rendered = bound.rendered
    return (
        plain(rendered.select_related_idx, rendered.custom_fields)
        and bound.db.capabilities.dialect not in ALONE
    )


async def fetch_each(bound: Bound, many: Sequence[Sequence[Value]]) -> list[list[Any]]:
    """The rows of the plain statement ``bound`` (see :func:`together`) for each list of
    values of ``many``: one statement for all (see the module)."""
    if len(many) == 1:
        return [await run(bound, many[0])]
    db, rendered = bound.db, bound.rendered
    numbered = db.capabilities.dialect == "postgres"
    every = [rendered.params(values) for values in many]
    parts: list[list[Any]] = [[] for _ in many]
    for chunk in _chunks(every):
        sql, params = combined(rendered.sql, every[chunk.start : chunk.stop], numbered)
        _, records = await db.execute_query(sql, params)
        for record in records:
            parts[chunk.start + record["__part"]].append(record)
    dialect = type(db).__name__
    return [instances_of(rendered.model, part, dialect) for part in parts]


CountOne = Callable[[str, list[Any], Any, int], Awaitable[int]]
"""How one list is counted alone (:func:`gqlnews.graphql.counting.count_statement`)."""


async def count_each(
    inner: str, many: Sequence[Sequence[Any]], db: Any, limit: int, alone: CountOne
) -> list[int]:
    """The bounded count of ``inner`` on ``db`` for each parameter list of ``many`` (one of
    them: counted ``alone``)."""
    if len(many) == 1:
        return [await alone(inner, list(many[0]), db, limit)]
    numbered = db.capabilities.dialect == "postgres"
    counts = [0] * len(many)
    for chunk in _chunks(many):
        sql, params = combined_counts(inner, many[chunk.start : chunk.stop], limit, numbered)
        for row in await db.execute_query_dict(sql, params):
            counts[chunk.start + int(row["__part"])] = int(row["n"])
    return counts


async def _grouped(
    items: Sequence[E],
    key: Callable[[E], Hashable],
    read: Callable[[list[E]], Awaitable[list[R]]],
) -> list[R]:
    """``read``'s answers for ``items``, in their order: ``read`` gets the items of one
    ``key`` together and answers each; the groups are read side by side (a single one is
    awaited here: no task for it)."""
    groups: dict[Hashable, list[int]] = {}
    for at, item in enumerate(items):
        groups.setdefault(key(item), []).append(at)
    found: dict[int, R] = {}

    async def one(places: list[int]) -> None:
        for at, answer in zip(places, await read([items[at] for at in places]), strict=True):
            found[at] = answer

    if len(groups) == 1:
        await one(next(iter(groups.values())))
    else:
        await asyncio.gather(*(one(places) for places in groups.values()))
    return [found[at] for at in range(len(items))]


_Asked = tuple[int, tuple[Any, ...], Bound, tuple[Value, ...]]
"""A page asked: its template's id, its shape, its statement and its values."""

_Counted = tuple[str, tuple[Any, ...], Any, int, "CountOne"]
"""A count asked: its statement, its parameters, its connection, its limit, and how to count
it alone."""


class PageBatches:
    """A request's pages of :class:`Template` statements, each shape's pages asked in one
    turn of the event loop read with one statement (:func:`fetch_each`)."""

    def __init__(self) -> None:
        self._loader: SharedLoader[int, list[Any]] = SharedLoader(load_fn=self._load)
        self._asked: list[_Asked] = []
        self._counter: SharedLoader[int, int] = SharedLoader(load_fn=self._count)
        self._counts: list[_Counted] = []

    async def count(
        self, inner: str, params: Sequence[Any], db: Any, limit: int, alone: CountOne
    ) -> int:
        """The bounded count of ``inner`` for ``params`` on ``db``, read with the counts of
        the same statement asked meanwhile; asked alone, counted ``alone`` (the caller's
        :func:`gqlnews.graphql.counting.count_statement`)."""
        if db.capabilities.dialect in ALONE:
            return await alone(inner, list(params), db, limit)
        self._counts.append((inner, tuple(params), db, limit, alone))
        return await self._counter.load(len(self._counts) - 1)

    async def _count(self, indices: Sequence[int]) -> list[int]:
        async def read(group: list[_Counted]) -> list[int]:
            inner, _params, db, limit, alone = group[0]
            return await count_each(inner, [counted[1] for counted in group], db, limit, alone)

        return await _grouped(
            [self._counts[index] for index in indices],
            lambda counted: (counted[0], id(counted[2]), counted[3]),
            read,
        )

    async def fetch(
        self,
        template: Template,
        shape: tuple[Any, ...],
        values: Sequence[Value],
        build: Builder,
        rewrite: Callable[[str], str] | None = None,
    ) -> list[Any]:
        """The rows of ``template``'s statement of ``shape`` for ``values`` (as
        :meth:`Template.fetch`), read with the pages of the same shape asked meanwhile when
        they are read :func:`together`."""
        bound = template.statement(shape, values, build, rewrite)
        if bound is None:
            return list(await build(values))
        if not together(bound):
            return await run(bound, values)
        self._asked.append((id(template), shape, bound, tuple(values)))
        return await self._loader.load(len(self._asked) - 1)

    async def _load(self, indices: Sequence[int]) -> list[list[Any]]:
        return await _grouped(
            [self._asked[index] for index in indices],
            lambda asked: (asked[0], asked[1]),
            lambda group: fetch_each(group[0][2], [asked[3] for asked in group]),
        )
