"""GraphiQL is served from the package: its page names only this server's files, each of which
is served (and is in the package, with its licence), and it is off unless turned on.
tests/browser/test_graphiql.py runs the page in a real browser."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from starlette.applications import Starlette

from gqlnews.graphql.ide import ASSETS_DIRECTORY, ASSETS_PATH
from gqlnews.server import create_app
from gqlnews.settings import Settings

HTML = {"accept": "text/html"}
REFERENCE = re.compile(r"""(?:src|href)="([^"]*)\"""")


@pytest_asyncio.fixture
async def browser_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """The shared app (GraphiQL on, as in ``make demo``), without the demo data."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


def test_graphiql_is_off_by_default() -> None:
    assert Settings().graphiql is False
    assert Settings.from_env({"GQLNEWS_GRAPHIQL": "true"}).graphiql is True


async def test_the_page_loads_only_files_of_this_server(browser_client: httpx.AsyncClient) -> None:
    page = await browser_client.get("/graphql", headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    references = [ref for ref in REFERENCE.findall(page.text) if not ref.startswith("data:")]
    assert sorted(references) == sorted(
        f"{ASSETS_PATH}/{name}"
        for name in (
            "graphiql.min.css",
            "react.production.min.js",
            "react-dom.production.min.js",
            "graphiql.min.js",
            "start.js",
        )
    )
    assert "unpkg" not in page.text and "cdn" not in page.text.lower()
    for reference in references:
        asset = await browser_client.get(reference)
        assert asset.status_code == 200, reference
        expected = "text/css" if reference.endswith(".css") else "javascript"
        assert expected in asset.headers["content-type"], reference
        assert asset.headers["etag"]
        assert "sourceMappingURL" not in asset.text, reference


def test_the_vendored_files_carry_their_licences_and_provenance() -> None:
    names = {path.name for path in ASSETS_DIRECTORY.iterdir()}
    assert {"LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom", "PROVENANCE.md"} <= names
    provenance = (ASSETS_DIRECTORY / "PROVENANCE.md").read_text(encoding="utf-8")
    for pinned in ("| graphiql.min.js | `graphiql/graphiql.min.js` | 3.9.0 |", "| 18.3.1 |"):
        assert pinned in provenance
    for licence in ("LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom"):
        assert "MIT License" in (ASSETS_DIRECTORY / licence).read_text(encoding="utf-8")


async def test_with_graphiql_off_a_browser_gets_json_and_no_files(settings: Settings) -> None:
    app = create_app(dataclasses.replace(settings, graphiql=False))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        page = await http.get("/graphql", headers=HTML)
        assert page.status_code == 400
        error = page.json()["errors"][0]
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert "query" in error["message"], error
        assert (await http.get(f"{ASSETS_PATH}/graphiql.min.js")).status_code == 404


async def test_a_missing_file_is_a_404(browser_client: httpx.AsyncClient) -> None:
    assert (await browser_client.get(f"{ASSETS_PATH}/nope.js")).status_code == 404
    assert (await browser_client.get(f"{ASSETS_PATH}/../ide.py")).status_code == 404
