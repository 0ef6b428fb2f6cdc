"""Batched writes for the importer: many rows per statement, ids allocated up front.

The ORM's ``bulk_create`` neither returns ids nor lets ``auto_now`` columns keep the values an
archive carries (``updated_at`` would become "now"), so rows are written with
``execute_many`` through the model metadata instead: the columns come from the model, missing
values get the model's defaults, and every value goes through the field's ``to_db_value``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from gqlnews.db import connection_dialect

Row = dict[str, Any]

_MAX_PARAMS = 900
"""Parameters in one ``IN (…)`` list, under every SQLite build's limit."""


class BulkWriter:
    """Writes rows of Tortoise models on one connection (normally a batch's transaction)."""

    def __init__(self, conn: BaseDBAsyncClient) -> None:
        self.conn = conn
        self.postgres = connection_dialect(conn) == "postgres"
        self.now = datetime.now(UTC)

    def _param(self, index: int) -> str:
        return f"${index}" if self.postgres else "?"

    async def allocate_ids(self, model: type[Model], count: int) -> list[int]:
        """``count`` fresh primary keys for ``model``, reserved before the rows are inserted.

        PostgreSQL hands them out from the table's sequence (safe with concurrent writers);
        SQLite takes the next ones after the highest id ever used, inside this transaction.
        """
        if count == 0:
            return []
        table = model._meta.db_table
        if self.postgres:
            rows = await self.conn.execute_query_dict(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS id "
                "FROM generate_series(1, $1)",
                [count],
            )
            return [int(row["id"]) for row in rows]
        rows = await self.conn.execute_query_dict(
            f'SELECT max(coalesce((SELECT max("id") FROM "{table}"), 0), '
            "coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)) AS top",
            [table],
        )
        top = int(rows[0]["top"])
        return list(range(top + 1, top + 1 + count))

    def _db_value(self, model: type[Model], name: str, value: Any) -> Any:
        # The model class, not an instance: Tortoise then leaves auto_now columns alone.
        return model._meta.fields_map[name].to_db_value(value, model)

    def _default(self, model: type[Model], name: str) -> Any:
        field = model._meta.fields_map[name]
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        if field.default is not None:
            return field.default() if callable(field.default) else field.default
        if field.null:
            return None
        raise ValueError(f"{model.__name__}.{name} needs a value")

    async def insert(self, model: type[Model], rows: Sequence[Row]) -> None:
        """Insert ``rows``; columns they leave out get the model's defaults.

        Rows carry their ``id`` (from :meth:`allocate_ids`) or, all of them, leave it to the
        database.
        """
        if not rows:
            return
        pk = model._meta.pk_attr
        columns = [c for c in model._meta.fields_db_projection if c != pk or pk in rows[0]]
        names = ", ".join(f'"{model._meta.fields_db_projection[c]}"' for c in columns)
        params = ", ".join(self._param(i + 1) for i in range(len(columns)))
        sql = f'INSERT INTO "{model._meta.db_table}" ({names}) VALUES ({params})'
        fields = [(c, model._meta.fields_map[c]) for c in columns]
        constant = {
            c: self._default(model, c)
            for c, field in fields
            if not callable(field.default) and any(c not in row for row in rows)
        }

        def value(row: Row, column: str) -> Any:
            if column in row:
                return row[column]
            return constant[column] if column in constant else self._default(model, column)

        # The model class, not an instance: Tortoise then leaves auto_now columns alone.
        values = [[field.to_db_value(value(row, c), model) for c, field in fields] for row in rows]
        await self.conn.execute_many(sql, values)

    async def update(self, model: type[Model], rows: Iterable[Row]) -> None:
        """Update rows by ``id``: each row sets the columns it has (grouped by column set)."""
        groups: dict[tuple[str, ...], list[Row]] = defaultdict(list)
        for row in rows:
            groups[tuple(sorted(c for c in row if c != "id"))].append(row)
        projection = model._meta.fields_db_projection
        for columns, group in groups.items():
            if not columns:
                continue
            sets = ", ".join(
                f'"{projection[c]}" = {self._param(i + 1)}' for i, c in enumerate(columns)
            )
            sql = (
                f'UPDATE "{model._meta.db_table}" SET {sets} '
                f'WHERE "id" = {self._param(len(columns) + 1)}'
            )
            values = [
                [self._db_value(model, c, row[c]) for c in columns] + [row["id"]] for row in group
            ]
            await self.conn.execute_many(sql, values)

    async def delete_in(self, model: type[Model], column: str, ids: Sequence[int]) -> None:
        """Delete the rows whose ``column`` is one of ``ids``."""
        for start in range(0, len(ids), _MAX_PARAMS):
            chunk = list(ids[start : start + _MAX_PARAMS])
            params = ", ".join(self._param(i + 1) for i in range(len(chunk)))
            sql = f'DELETE FROM "{model._meta.db_table}" WHERE "{column}" IN ({params})'
            await self.conn.execute_query(sql, chunk)
