"""``gqlnews check``: is this configuration usable? Each problem comes with its fix."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from gqlnews import health, migrate
from gqlnews.db import ModelApp, dialect_of, open_database
from gqlnews.settings import Settings

TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    ok: bool
    detail: str
    fix: str = ""


def _sqlite_path(url: str) -> Path | None:
    path = url.removeprefix("sqlite://")
    return None if path in ("", ":memory:") else Path(path)


def check_sqlite_path(url: str) -> Finding:
    """The SQLite file (or the folder that will hold it) must be writable."""
    path = _sqlite_path(url)
    if path is None:
        return Finding("database file", True, "in memory (nothing is kept after exit)")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return Finding(
            "database file",
            False,
            f"folder {folder} does not exist",
            f"create it (mkdir -p {folder}) or point GQLNEWS_DATABASE_URL elsewhere",
        )
    target = path if path.exists() else folder
    if not os.access(target, os.W_OK):
        return Finding(
            "database file",
            False,
            f"{target} is not writable by this user",
            f"make {target} writable (chown/chmod) or point GQLNEWS_DATABASE_URL elsewhere",
        )
    return Finding("database file", True, f"{path} is writable")


def _database_fix(url: str, error: str) -> str:
    parts = urlsplit(url)
    if "does not exist" in error:
        return f"create it: createdb -h {parts.hostname} -p {parts.port or 5432} " + (
            parts.path.lstrip("/") or "<name>"
        )
    if "password" in error or "authentication" in error:
        return "fix the user or password in GQLNEWS_DATABASE_URL (postgres://user:pass@host/db)"
    return (
        f"start PostgreSQL or fix the host and port in GQLNEWS_DATABASE_URL; "
        f"`pg_isready -h {parts.hostname} -p {parts.port or 5432}` tells whether it answers"
    )


async def check_database(settings: Settings, apps: Sequence[ModelApp] = ()) -> list[Finding]:
    """Reach the database, then compare its migrations with the code's."""
    url = settings.database_url
    try:
        async with open_database(url, apps) as conn:
            await asyncio.wait_for(conn.execute_query("SELECT 1"), TIMEOUT_SECONDS)
            names = await migrate.pending(apps=apps)
    except Exception as exc:  # report every driver/network error the same way
        error = "; ".join(str(e) for e in (exc, exc.__cause__) if e) or type(exc).__name__
        fix = (
            "check the file and its folder (see above)"
            if dialect_of(url) == "sqlite"
            else _database_fix(url, error)
        )
        return [Finding("database", False, f"cannot use {_redacted(url)}: {error}", fix)]
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


async def run_checks(settings: Settings, apps: Sequence[ModelApp] = ()) -> list[Finding]:
    """Every check that applies to ``settings`` (and the plugins' model ``apps``), in a stable
    order."""
    found: list[Finding] = []
    if dialect_of(settings.database_url) == "sqlite":
        found.append(check_sqlite_path(settings.database_url))
        if not found[-1].ok:
            return found
    found += await check_database(settings, apps)
    if settings.redis_url:
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
    return found
