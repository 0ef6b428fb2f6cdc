"""Rows with a unique slug or number, written safely when requests race.

Two requests creating rows with the same title at the same moment both see the slug free;
only one insert can win the unique index. So every create goes through :func:`create_unique`
inside the write's transaction (:func:`writing`):

- a slug made from a title (the client gave none) is chosen inside the transaction, after a
  lock on that slug's name (PostgreSQL: a transaction advisory lock; SQLite: the write lock
  that every write transaction takes first), so racing creates take turns and get ``x``,
  ``x-2``, ``x-3``…; if an insert still collides (with a slug a client asked for, say), the
  next free suffix is tried, at most :data:`MAX_ATTEMPTS` times;
- a slug, number or date the client asked for that another request took in the meantime is
  refused with CONFLICT naming that field.

Each attempt is a savepoint, so a failed one leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from gqlnews.db import connection, connection_dialect
from gqlnews.newsroom.problems import Code, Refused, refuse
from gqlnews.slugs import slugify, with_suffix

M = TypeVar("M", bound=Model)

MAX_ATTEMPTS = 10
"""Inserts tried for one create before it is refused with CONFLICT."""


@asynccontextmanager
async def writing() -> AsyncIterator[None]:
    """One write transaction. A unique or foreign key constraint broken because another request
    wrote at the same moment (between our checks and our write) is refused as CONFLICT."""
    try:
        async with in_transaction():
            yield
    except IntegrityError as error:
        raise refuse(
            None,
            Code.CONFLICT,
            "another change was written at the same moment (a slug, number or reference it "
            "relies on changed): read again and retry",
        ) from error


async def free_slug(
    model: type[Model], text: str, fallback: str, skip: Collection[str] = ()
) -> str:
    """A slug made from ``text`` (``fallback`` when it has no letter), made unique with a
    ``-2``, ``-3``… suffix; never one of ``skip``."""
    base = slugify(text) or fallback
    rows = await model.filter(slug__startswith=base[:60]).values_list("slug", flat=True)
    taken = {str(slug) for slug in rows} | set(skip)
    number = 2
    slug = base
    while slug in taken:
        slug = with_suffix(base, number)
        number += 1
    return slug


async def create_unique(
    model: type[M], columns: dict[str, Any], slug_from: str | None = None, fallback: str = ""
) -> M:
    """Insert a row of ``model`` with ``columns``, inside the caller's transaction.

    ``slug_from``: the text (a title, a name) the slug is made from when the client asked for
    none (``fallback`` when it has no letter); ``columns["slug"]`` is then chosen here. A
    unique value the client asked for that is taken by now is refused with CONFLICT.
    """
    columns = dict(columns)
    if slug_from is not None:
        await _lock_name(model, slugify(slug_from) or fallback)
        columns["slug"] = await free_slug(model, slug_from, fallback)
    tried: set[str] = set()
    for _ in range(MAX_ATTEMPTS):
        try:
            async with in_transaction():  # a savepoint: a failed insert leaves nothing
                return await model.create(**columns)
        except IntegrityError as error:
            clash = await _clashing_field(model, columns)
            if clash != "slug" or slug_from is None:
                raise _conflict(model, clash) from error
            tried.add(columns["slug"])
            columns["slug"] = await free_slug(model, slug_from, fallback, tried)
    raise _conflict(model, "slug")


async def _lock_name(model: type[Model], name: str) -> None:
    """PostgreSQL: wait for, then hold until the transaction ends, a lock on ``name`` among
    ``model``'s slugs (another create of the same slug waits here). SQLite needs none: a write
    transaction holds the database's write lock from its start."""
    conn = connection()
    if connection_dialect(conn) == "postgres":
        key = f"gqlnews:{model._meta.db_table}:{name}"
        await conn.execute_query("SELECT pg_advisory_xact_lock(hashtext($1))", [key])


async def _clashing_field(model: type[Model], columns: dict[str, Any]) -> str | None:
    """The unique field of ``columns`` another row holds now (None: none does, so the
    constraint broken was another one, a reference say)."""
    for name, field in model._meta.fields_map.items():
        asked = field.unique and not field.pk and columns.get(name) is not None
        if asked and await model.filter(**{name: columns[name]}).exists():
            return name
    return None


def _conflict(model: type[Model], field: str | None) -> Refused:
    what = model.__name__.lower()
    if field is None:
        return refuse(
            None,
            Code.CONFLICT,
            f"another change was written at the same moment (a {what} it refers to changed): "
            "read again and retry",
        )
    return refuse(
        field,
        Code.CONFLICT,
        f"another {what} with this {field} was created at the same moment: choose another {field}",
    )
