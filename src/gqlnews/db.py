"""The one place that turns a database URL into Tortoise configuration and prepares the schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient

MODEL_MODULES = ["gqlnews.models"]
APP_LABEL = "models"
MIGRATIONS_MODULE = "gqlnews.migrations"

Dialect = Literal["sqlite", "postgres"]


def dialect_of(url: str) -> Dialect:
    """Which database family a URL points at."""
    if url.startswith("sqlite://"):
        return "sqlite"
    if url.startswith(("postgres://", "asyncpg://")):
        return "postgres"
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:// or postgres://")


def tortoise_config(url: str, extra_modules: list[str] | None = None) -> dict[str, Any]:
    """Tortoise configuration for ``url``, with the core models and any ``extra_modules``."""
    dialect_of(url)
    return {
        "connections": {"default": url},
        "apps": {
            APP_LABEL: {
                "models": [*MODEL_MODULES, *(extra_modules or [])],
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def connection() -> BaseDBAsyncClient:
    """The default connection of the active Tortoise context."""
    return Tortoise.get_connection("default")


def connection_dialect(conn: BaseDBAsyncClient | None = None) -> Dialect:
    """Dialect of an open connection."""
    name = (conn or connection()).capabilities.dialect
    return "postgres" if name == "postgres" else "sqlite"


@asynccontextmanager
async def open_database(url: str) -> AsyncIterator[BaseDBAsyncClient]:
    """Open the ORM on ``url`` for a command-line task; close it afterwards."""
    await Tortoise.init(config=tortoise_config(url))
    try:
        yield connection()
    finally:
        await Tortoise.close_connections()


async def create_schema(conn: BaseDBAsyncClient | None = None) -> list[str]:
    """Bring the database's schema up to date through the migrations; names of those applied."""
    from gqlnews.migrate import apply

    return await apply(conn)
