"""The one place that turns a database URL into Tortoise configuration and prepares the schema."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:  # Tortoise is imported when a database is opened: the CLI starts faster
    from tortoise.backends.base.client import BaseDBAsyncClient
    from tortoise.queryset import QuerySet

MODEL_MODULES = ["gqlnews.models"]
APP_LABEL = "models"
MIGRATIONS_MODULE = "gqlnews.migrations"

Dialect = Literal["sqlite", "postgres"]

POSTGRES_SCHEMES = ("postgres://", "postgresql://", "postgresql+asyncpg://", "asyncpg://")
"""URL prefixes of PostgreSQL (``postgresql://`` is libpq's; Tortoise is given ``postgres://``)."""


@dataclass(frozen=True, slots=True)
class ModelApp:
    """Tortoise models a plugin owns: their own app, with their own migrations.

    ``label`` names the app (and prefixes its migrations, e.g. ``ranking:0001_initial``);
    ``modules`` are the dotted model modules; ``migrations`` is the package holding the app's
    migrations, made with ``python -m tortoise makemigrations LABEL``. Models may point at the
    core's with ``"models.Article"``; the first migration then depends on a core migration.
    """

    label: str
    modules: tuple[str, ...]
    migrations: str

    def __post_init__(self) -> None:
        if not self.label.isidentifier() or self.label == APP_LABEL:
            raise ValueError(f"a plugin app label must be an identifier other than {APP_LABEL!r}")


def dialect_of(url: str) -> Dialect:
    """Which database family a URL points at."""
    if url.startswith("sqlite://"):
        return "sqlite"
    if url.startswith(POSTGRES_SCHEMES):
        return "postgres"
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:// or postgres://")


def tortoise_url(url: str, connect_timeout: float | None = None) -> str:
    """``url`` as Tortoise reads it: PostgreSQL spelt ``postgres://``, and with
    ``connect_timeout`` (seconds) as asyncpg's ``timeout`` unless the URL sets one."""
    if dialect_of(url) == "sqlite":
        return url
    parts = urlsplit("postgres://" + url.split("://", 1)[1])
    query = parse_qsl(parts.query, keep_blank_values=True)
    if connect_timeout is not None and "timeout" not in dict(query):
        query.append(("timeout", str(max(1, round(connect_timeout)))))
        parts = parts._replace(query=urlencode(query))
    return urlunsplit(parts)


CLIENTS_ENGINE = "gqlnews.db_clients"
"""The Tortoise engine module of gqlnews's database clients (see :mod:`gqlnews.db_clients`)."""


def connection_settings(
    url: str, connect_timeout: float | None = None, statement_timeout_ms: int | None = None
) -> dict[str, Any]:
    """Tortoise's settings of the connection to ``url``, with gqlnews's clients;
    ``statement_timeout_ms`` sets PostgreSQL's ``statement_timeout`` on every connection
    (None: the server's, no limit by default)."""
    from tortoise.backends.base.config_generator import expand_db_url

    settings = expand_db_url(tortoise_url(url, connect_timeout))
    settings["engine"] = CLIENTS_ENGINE
    if statement_timeout_ms is not None and dialect_of(url) == "postgres":
        credentials = settings["credentials"]
        server_settings = dict(credentials.get("server_settings") or {})
        server_settings["statement_timeout"] = str(statement_timeout_ms)
        credentials["server_settings"] = server_settings
    return settings


def tortoise_config(
    url: str,
    apps: Sequence[ModelApp] = (),
    connect_timeout: float | None = None,
    statement_timeout_ms: int | None = None,
) -> dict[str, Any]:
    """Tortoise configuration for ``url``: the core models and the plugins' ``apps``;
    ``connect_timeout`` bounds the wait for a PostgreSQL server (default: asyncpg's 60 s);
    ``statement_timeout_ms`` bounds each PostgreSQL statement (the server sets it; commands
    leave it out: an import may run long statements)."""
    return {
        "connections": {"default": connection_settings(url, connect_timeout, statement_timeout_ms)},
        "apps": {
            APP_LABEL: {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            },
            **{
                app.label: {
                    "models": list(app.modules),
                    "default_connection": "default",
                    "migrations": app.migrations,
                }
                for app in apps
            },
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def connection() -> BaseDBAsyncClient:
    """The default connection of the active Tortoise context."""
    from tortoise import Tortoise

    return Tortoise.get_connection("default")


def connection_dialect(conn: BaseDBAsyncClient | None = None) -> Dialect:
    """Dialect of an open connection."""
    name = (conn or connection()).capabilities.dialect
    return "postgres" if name == "postgres" else "sqlite"


@asynccontextmanager
async def open_database(
    url: str, apps: Sequence[ModelApp] = (), connect_timeout: float | None = None
) -> AsyncIterator[BaseDBAsyncClient]:
    """Open the ORM on ``url`` (with the plugins' ``apps``) for a command-line task; close it
    afterwards. Commands open it through :func:`gqlnews.command_database.command_database`, which
    diagnoses a database that cannot be used."""
    from tortoise import Tortoise

    await Tortoise.init(config=tortoise_config(url, apps, connect_timeout))
    try:
        yield connection()
    finally:
        await Tortoise.close_connections()


def ids_statement(queryset: QuerySet[Any]) -> tuple[str, list[Any], BaseDBAsyncClient]:
    """The SQL (with its connection's placeholders) and the parameters of the ids
    ``queryset`` selects, to embed as a sub-query of a hand-written statement, and the
    connection that statement was built for (the one to run it on)."""
    ids = queryset.values("id")
    ids.sql()  # chooses the connection and builds the statement in its dialect
    sql, params = ids.query.get_parameterized_sql()
    return sql, list(params), ids._db
