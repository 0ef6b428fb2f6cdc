"""Fixtures: one database per test session (SQLite in memory, or PostgreSQL when
GQLNEWS_TEST_DATABASE_URL is set), the demo newsroom loaded once, and an HTTP client on the app."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette
from tortoise.context import TortoiseContext

from gqlnews.demo import DemoSummary, load_demo
from gqlnews.plugins import make_plugin_manager
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews_ranking.scores import forget_scores
from tests.factories import articles_removed_after
from tests.helpers import TEST_DATABASE_URL, migrated_database


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """In CI nothing may skip: a test that would skip (a service not configured) fails."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run every test: {report.longrepr}"


def pytest_report_header() -> str:
    return f"gqlnews test database: {TEST_DATABASE_URL}"


@pytest.fixture(scope="session")
def dialect() -> str:
    return "postgres" if TEST_DATABASE_URL.startswith("postgres") else "sqlite"


@pytest_asyncio.fixture(scope="session")
async def database() -> AsyncIterator[TortoiseContext]:
    """A fresh database built by the migrations (dropped at the end)."""
    async with migrated_database() as ctx:
        yield ctx


@pytest_asyncio.fixture(scope="session")
async def demo(database: TortoiseContext) -> DemoSummary:
    """The demo newsroom, loaded once per session relative to the real current time, with
    the installed plugins' demo data (view counts, the text index…)."""
    return await load_demo(now=datetime.now(UTC), plugins=make_plugin_manager(Settings()))


@pytest.fixture(autouse=True)
def _no_ranking_scores_kept() -> None:
    """Every test starts with no ranking scores kept in the process (the ranking plugin keeps
    them ``GQLNEWS_RANKING_CACHE_SECONDS``): what a test sees, and the statements it counts,
    do not depend on the tests run before it."""
    forget_scores()


@pytest_asyncio.fixture(autouse=True)
async def _articles_as_found(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """The articles a test adds to the session's shared database go when it ends (their links,
    revisions and index rows cascade), so that no test sees another's: the suite runs in a
    random order. Module fixtures are set up before this: they remove theirs themselves
    (``articles_removed_after``)."""
    if "database" not in request.fixturenames:
        yield
        return
    async with articles_removed_after():
        yield


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The shared app's settings: rate limits off, as its tests send hundreds of requests
    from one client (tests/test_rate_limits.py turns them on, small); GraphiQL on, as
    ``make demo`` serves it (off by default: tests/test_graphiql.py)."""
    return Settings(
        database_url=TEST_DATABASE_URL,
        graphiql=True,
        rate_limit_per_minute=0,
        token_rate_limit_per_minute=0,
        sign_in_limit_per_hour=0,
        sign_in_ip_limit_per_hour=0,
    )


@pytest.fixture(scope="session")
def app(settings: Settings) -> Starlette:
    """The app; its lifespan is not run, so it uses the session's database context."""
    return create_app(settings)


@pytest_asyncio.fixture
async def client(app: Starlette, demo: DemoSummary) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
def broken_sections(monkeypatch: pytest.MonkeyPatch) -> str:
    """Make every Section resolve with an unexpected error; returns the error's secret text."""
    from gqlnews.graphql.types import section

    secret = "secret internals of a broken resolver"

    def boom(cls: type, model: object) -> object:
        raise RuntimeError(secret)

    monkeypatch.setattr(section.Section, "from_model", classmethod(boom))
    return secret
