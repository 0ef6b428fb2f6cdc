"""``gqlnews check``: is this configuration usable? Each problem comes with its fix."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from gqlnews.db import ModelApp, dialect_of, open_database
from gqlnews.settings import Settings

if TYPE_CHECKING:
    from tortoise.backends.base.client import BaseDBAsyncClient

TIMEOUT_SECONDS = 3.0
"""How long a database (and Redis) may take to answer before it is reported unusable."""
ENV_SOURCE = "GQLNEWS_DATABASE_URL"


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    ok: bool
    detail: str
    fix: str = ""


def _sqlite_path(url: str) -> Path | None:
    path = url.removeprefix("sqlite://")
    return None if path in ("", ":memory:") else Path(path)


def no_sqlite_file(url: str) -> bool:
    """True for a SQLite URL whose file does not exist (or in memory): it holds nothing yet."""
    if dialect_of(url) != "sqlite":
        return False
    path = _sqlite_path(url)
    return path is None or not path.exists()


def check_sqlite_path(url: str, source: str = ENV_SOURCE) -> Finding:
    """The SQLite file (or the folder that will hold it) must be writable; looks, never
    writes. ``source`` names where the URL came from (a variable or an option)."""
    path = _sqlite_path(url)
    if path is None:
        return Finding("database file", True, "in memory (nothing is kept after exit)")
    folder = path.parent if str(path.parent) else Path(".")
    elsewhere = f"point {source} elsewhere"
    nearest = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if nearest is not None and not nearest.is_dir():
        return Finding(
            "database file",
            False,
            f"{nearest} is a file, not a folder",
            f"{elsewhere} (a folder that exists or can be created)",
        )
    if not folder.is_dir():
        return Finding(
            "database file",
            False,
            f"folder {folder} does not exist",
            f"create it (mkdir -p {folder}) or {elsewhere}",
        )
    if path.is_dir():
        return Finding(
            "database file", False, f"{path} is a folder, not a file", f"{elsewhere} (a file)"
        )
    target = path if path.exists() else folder
    if not os.access(target, os.W_OK):
        return Finding(
            "database file",
            False,
            f"{target} is not writable by this user",
            f"make {target} writable (chown/chmod) or {elsewhere}",
        )
    if not path.exists():
        return Finding(
            "database file",
            True,
            f"{path} does not exist yet: `gqlnews migrate` (or `serve`) will create it",
        )
    return Finding("database file", True, f"{path} is writable")


def _database_fix(url: str, error: str, source: str = ENV_SOURCE) -> str:
    parts = urlsplit(url)
    if dialect_of(url) == "sqlite":
        return (
            f"check {_sqlite_path(url)}: it must be a SQLite database this user can write, "
            f"or point {source} elsewhere"
        )
    if "does not exist" in error and "role" not in error:
        return f"create it: createdb -h {parts.hostname} -p {parts.port or 5432} " + (
            parts.path.lstrip("/") or "<name>"
        )
    if any(word in error for word in ("password", "authentication", "role")):
        return f"fix the user or password in {source} (postgres://user:pass@host/db)"
    return (
        f"start PostgreSQL or fix the host and port in {source}; "
        f"`pg_isready -h {parts.hostname} -p {parts.port or 5432}` tells whether it answers"
    )


class DatabaseUnusable(Exception):
    """The database cannot be used: ``detail`` says why (URL redacted), ``fix`` what to do."""

    def __init__(self, detail: str, fix: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fix = fix


def diagnose(url: str, exc: BaseException, source: str = ENV_SOURCE) -> DatabaseUnusable:
    """What a driver or network error met while opening ``url`` means, and its fix."""
    if isinstance(exc, TimeoutError):
        error = f"no answer within {TIMEOUT_SECONDS:.0f} s"
    else:
        error = "; ".join(str(e) for e in (exc, exc.__cause__) if e) or type(exc).__name__
    return DatabaseUnusable(
        f"cannot use {_redacted(url)}: {error}", _database_fix(url, error, source)
    )


def _quiet_lost_connections(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    if not isinstance(context.get("exception"), ConnectionError):
        loop.default_exception_handler(context)


async def probe_database(url: str, source: str = ENV_SOURCE) -> None:
    """Raise :class:`DatabaseUnusable` unless ``url`` can be used, cheaply: a SQLite path is
    looked at (never created), a PostgreSQL server must accept a connection within
    :data:`TIMEOUT_SECONDS` (asyncpg alone: neither Tortoise nor the plugins are loaded)."""
    if dialect_of(url) == "sqlite":
        finding = check_sqlite_path(url, source)
        if not finding.ok:
            raise DatabaseUnusable(f"cannot use {url}: {finding.detail}", finding.fix)
        return
    import asyncpg  # type: ignore[import-untyped]

    parts = urlsplit(url)
    ssl = "ssl=true" in parts.query.lower()
    # Ctrl-C during the connection leaves asyncpg a future nobody reads: not worth a warning.
    asyncio.get_running_loop().set_exception_handler(_quiet_lost_connections)
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            conn = await asyncpg.connect(
                host=parts.hostname or None,
                port=parts.port or 5432,
                user=unquote(parts.username) if parts.username else None,
                password=unquote(parts.password) if parts.password else None,
                database=unquote(parts.path.lstrip("/")) or None,
                ssl=True if ssl else None,
                timeout=TIMEOUT_SECONDS,
            )
            await conn.close()
    except Exception as exc:  # report every driver/network error the same way
        raise diagnose(url, exc, source) from None


@asynccontextmanager
async def usable_database(
    url: str, apps: Sequence[ModelApp] = (), source: str = ENV_SOURCE
) -> AsyncIterator[BaseDBAsyncClient]:
    """Open ``url`` (with the plugins' ``apps``): a SQLite path is looked at first (nothing is
    created where it cannot be), then the database must answer ``SELECT 1`` within
    :data:`TIMEOUT_SECONDS`. Raise :class:`DatabaseUnusable` otherwise.

    A PostgreSQL server is not probed again here: the callers try it with
    :func:`probe_database` before they load the plugins, and the open has the same limit."""
    if dialect_of(url) == "sqlite":
        await probe_database(url, source)
    async with AsyncExitStack() as stack:
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                conn = await stack.enter_async_context(
                    open_database(url, apps, connect_timeout=TIMEOUT_SECONDS)
                )
                await conn.execute_query("SELECT 1")
        except Exception as exc:  # report every driver/network error the same way
            raise diagnose(url, exc, source) from None
        yield conn


async def check_database(
    settings: Settings, apps: Sequence[ModelApp] = (), source: str = ENV_SOURCE
) -> list[Finding]:
    """Reach the database, then compare its migrations with the code's."""
    from gqlnews import migrate

    url = settings.database_url
    try:
        async with usable_database(url, apps, source):
            names = await migrate.pending(apps=apps)
    except DatabaseUnusable as exc:
        return [Finding("database", False, exc.detail, exc.fix)]
    found = [Finding("database", True, f"{_redacted(url)} answers")]
    if names:
        found.append(
            Finding(
                "migrations",
                False,
                f"{len(names)} pending: {', '.join(names)}",
                "run `gqlnews migrate` (after a backup)",
            )
        )
    else:
        found.append(Finding("migrations", True, "the schema is up to date"))
    return found


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


async def run_checks(
    settings: Settings,
    apps: Sequence[ModelApp] | Callable[[], Sequence[ModelApp]] = (),
    source: str = ENV_SOURCE,
) -> list[Finding]:
    """Every check that applies to ``settings`` (and the plugins' model ``apps``, or a function
    giving them, called only when the database is opened), in a stable order. Nothing is
    written: a SQLite file that does not exist yet is not created."""
    found: list[Finding] = []
    url = settings.database_url
    sqlite_path = _sqlite_path(url) if dialect_of(url) == "sqlite" else None
    if dialect_of(url) == "sqlite":
        found.append(check_sqlite_path(url, source))
    if found and not found[-1].ok:
        return found
    if sqlite_path is None or sqlite_path.exists():
        try:
            await probe_database(url, source)  # before the plugins are loaded for their apps
        except DatabaseUnusable as exc:
            found.append(Finding("database", False, exc.detail, exc.fix))
        else:
            found += await check_database(settings, apps() if callable(apps) else apps, source)
    if settings.redis_url:
        from gqlnews import health

        state = await health.check_redis(settings.redis_url)
        found.append(
            Finding("redis", True, f"{settings.redis_url} answers")
            if state == "ok"
            else Finding(
                "redis",
                False,
                f"{settings.redis_url} does not answer PING",
                "start Redis or fix GQLNEWS_REDIS_URL",
            )
        )
    found.append(cache_finding(settings))
    found.append(urls_finding(settings))
    return found


def urls_finding(settings: Settings) -> Finding:
    """What the public URLs look like (information: a bad URL template or site URL never gets
    this far, the settings refuse it with its fix)."""
    from gqlnews.urls import site_urls

    example = site_urls(settings).article(
        pk=1,
        slug="an-article",
        section_path="world/africa",
        published_at=datetime(2026, 1, 31, tzinfo=UTC),
    )
    if settings.site_url:
        return Finding("public urls", True, f"articles at {example}")
    return Finding(
        "public urls",
        True,
        f"no GQLNEWS_SITE_URL: url fields are paths ({example}); feeds and sitemaps link "
        "to the origin they are served from",
    )


def cache_finding(settings: Settings) -> Finding:
    """Where the response cache keeps answers and how its purges travel (information, never a
    problem: one process needs no Redis)."""
    if not settings.cache:
        return Finding("response cache", True, "off (GQLNEWS_CACHE=false)")
    if settings.redis_url:
        return Finding(
            "response cache", True, "in each process and in Redis; purges reach every process"
        )
    return Finding(
        "response cache",
        True,
        "in this process only: several server processes on one database need "
        "GQLNEWS_REDIS_URL to hear each other's purges (see docs/caching.md)",
    )
