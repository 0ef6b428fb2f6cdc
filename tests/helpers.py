"""Test helpers: migrated databases, other processes, and GraphQL calls through the ASGI app
(SQL counting is public, in :mod:`gqlnews.testing`)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
from tortoise import connections
from tortoise.backends.base.config_generator import generate_config
from tortoise.context import TortoiseContext

from gqlnews import migrate
from gqlnews.db import (
    APP_LABEL,
    CLIENTS_ENGINE,
    MIGRATIONS_MODULE,
    MODEL_MODULES,
    ModelApp,
    tortoise_config,
)
from gqlnews.plugins import make_plugin_manager, model_apps
from gqlnews.settings import Settings

TEST_DATABASE_URL = (
    os.environ.get("GQLNEWS_TEST_DATABASE_URL")
    or f"sqlite://{Path(tempfile.gettempdir()).resolve()}/gqlnews-test-{{}}.sqlite3"
    "?synchronous=OFF"  # no fsync per commit: a test database needs no durability
)

T = TypeVar("T")


def default_client(kind: type[T]) -> T:
    """The context's default database client, checked to be a ``kind`` (one of gqlnews's
    clients: :mod:`gqlnews.db_clients`)."""
    client = connections.get("default")
    assert isinstance(client, kind), type(client)
    return client


def sqlite_only(test: T) -> T:
    """A test of what only SQLite does: collected in the SQLite run only (see
    :func:`postgres_only`)."""
    test.__test__ = not TEST_DATABASE_URL.startswith("postgres")  # type: ignore[attr-defined]
    return test


def postgres_only(test: T) -> T:
    """A test of what only a PostgreSQL server does (restart, ``statement_timeout``): collected
    in the PostgreSQL run (``make test`` runs the suite on both when
    ``GQLNEWS_TEST_POSTGRES_URL`` is set, as in CI), not collected at all in the SQLite run,
    rather than skipped there (a skip fails in CI)."""
    test.__test__ = TEST_DATABASE_URL.startswith("postgres")  # type: ignore[attr-defined]
    return test


"""Where the tests run: a URL template with ``{}``, which each test context fills with a name
of its own, creating and dropping its database: by default a SQLite file in the temporary
folder (a file, as a server's, not a database in memory: the server's SQLite reads take
another connection to the same file, :mod:`gqlnews.db_clients.sqlite_reader`), or a
PostgreSQL URL ending in ``_{}``. One dialect per process: Tortoise
caches SQL per model, so SQLite and PostgreSQL contexts must not mix in one test run."""


def installed_plugins() -> list[str]:
    """Names of the installed plugins (entry points), the built-ins among them."""
    from importlib.metadata import entry_points

    return sorted(entry.name for entry in entry_points(group="gqlnews"))


def installed_model_apps() -> list[ModelApp]:
    """The model apps of the installed plugins (the built-ins), as the server would load."""
    return model_apps(make_plugin_manager(Settings()))


@asynccontextmanager
async def migrated_database(
    url: str = TEST_DATABASE_URL, target: str | None = None
) -> AsyncIterator[TortoiseContext]:
    """A fresh, empty database built by the migrations (up to ``target``, core only; else
    the core's and the installed plugins'), dropped afterwards.

    This is the same path ``gqlnews migrate`` takes, so tests see the production schema,
    search structures included.
    """
    apps = installed_model_apps() if target is None else []
    modules = {APP_LABEL: MODEL_MODULES, **{app.label: list(app.modules) for app in apps}}
    config = generate_config(url, app_modules=modules, testing=True)
    config["connections"]["default"]["engine"] = CLIENTS_ENGINE  # the server's own clients
    config["apps"][APP_LABEL]["migrations"] = MIGRATIONS_MODULE
    for app in apps:
        config["apps"][app.label]["migrations"] = app.migrations
    async with TortoiseContext() as ctx:
        await ctx.init(config=config, _create_db=True)
        try:
            await migrate.apply(target=target, apps=apps)
            yield ctx
        finally:
            await ctx.connections.close_all(discard=False)
            for conn in ctx.connections.all():
                await conn.db_delete()


@asynccontextmanager
async def scratch_database_url() -> AsyncIterator[str]:
    """The URL of a new, empty database of the tests' dialect, for another process to use.

    SQLite: a file in a temporary folder. PostgreSQL: a database created here and dropped after.
    """
    if not TEST_DATABASE_URL.startswith("postgres"):
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite://{folder}/scratch.sqlite3"
        return
    import asyncpg

    server, template = TEST_DATABASE_URL.rsplit("/", 1)
    # Named from the run's template, so that a CI run can tell (and drop) its own databases.
    name = template.replace("{}", f"scratch_{uuid.uuid4().hex[:12]}")
    admin = await asyncpg.connect(f"{server.replace('postgres://', 'postgresql://')}/postgres")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{server}/{name}"
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@asynccontextmanager
async def app_database(
    statement_timeout: int | None = None, options: str = ""
) -> AsyncIterator[str]:
    """A migrated scratch database opened as the server opens it (``options``: a URL query
    string); its URL."""
    apps = installed_model_apps()
    async with scratch_database_url() as url, TortoiseContext() as ctx:
        config = tortoise_config(url + options, apps, statement_timeout_ms=statement_timeout)
        await ctx.init(config=config)
        await migrate.apply(apps=apps)
        try:
            yield url
        finally:
            await ctx.connections.close_all(discard=False)


def run_gqlnews(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``gqlnews`` command in its own process (``env`` adds variables;
    ``input`` is piped to its standard input)."""
    command = Path(sys.executable).with_name("gqlnews")
    return subprocess.run(
        [str(command), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
        input=input,
    )


def stop_server(
    process: subprocess.Popen[str], sig: int | None = signal.SIGINT, timeout: float = 30
) -> tuple[str, str]:
    """Stop a ``gqlnews serve`` with ``sig`` (a graceful shutdown; None: it was sent
    already, and a second one would make uvicorn skip the graceful part) and collect its output.

    One that is still running after ``timeout`` seconds is asked for its task stacks
    (SIGUSR1, :mod:`gqlnews.observability.stacks`), then killed, and the test fails with its
    log and the stacks: a shutdown that hangs shows what it waits on."""
    if sig is not None and process.poll() is None:
        process.send_signal(sig)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGUSR1)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=3)
        process.kill()
        out, err = process.communicate()
        raise AssertionError(
            f"the server did not stop within {timeout:.0f} s of its signal; "
            f"its log and task stacks:\n{err}"
        ) from None
    return out or "", err or ""


def wait_until_ready(port: int, timeout: float = 40) -> None:
    """Poll a server started in another process until its /readyz answers 200."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"the server on port {port} did not get ready"
        time.sleep(0.2)


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """POST a query; assert HTTP 200 and return the decoded body."""
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def gql_data(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """POST a query that must succeed; return ``data``."""
    body = await gql(client, query, variables)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def newsroom_with_editor(url: str, setup: str) -> str:
    """Run ``gqlnews <setup>`` on ``url`` (``demo``, ``migrate``…), add an editor
    (desk@example.org); returns an API token of the editor's."""
    editor = ("--email", "desk@example.org", "--name", "Desk", "--role", "editor")
    for args in ((setup,), ("users", "create", *editor, "--no-password")):
        done = run_gqlnews("--database-url", url, *args, timeout=300)
        assert done.returncode == 0, done.stderr
    made = run_gqlnews("--database-url", url, "tokens", "create", "--user", "desk@example.org")
    assert made.returncode == 0, made.stderr
    return next(word for word in made.stdout.split() if len(word) > 30)
