"""Each built-in plugin can be removed on its own: the server starts, serves the article page
without that plugin's fields, and the schema shows what went."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from gqlnews.demo import ANATOMY_SLUG
from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.helpers import (
    TEST_DATABASE_URL,
    gql_data,
    run_gqlnews,
    scratch_database_url,
    stop_server,
    wait_until_ready,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "queries" / "article-page.graphql"
EDITORIAL_BLOCK = (
    "  editorial {\n    edito { slug title excerpt(maxLength: 200) authors { name } }\n  }\n"
)

# What each plugin adds to the schema, and so what must go with it.
OWN_FIELDS = {
    "related": [],  # Article.related is the core's; it answers [] without strategies
    "ranking": ["recordView("],
    "editorial": ["editorial: Editorial", "type Editorial "],
}


def _page_without(plugin: str) -> str:
    query = EXAMPLE.read_text(encoding="utf-8")
    assert EDITORIAL_BLOCK in query
    return query.replace(EDITORIAL_BLOCK, "") if plugin == "editorial" else query


@pytest.mark.parametrize("plugin", sorted(OWN_FIELDS))
async def test_the_article_page_without_one_builtin(plugin: str, demo: object) -> None:
    app = create_app(Settings(database_url=TEST_DATABASE_URL, disabled_plugins=plugin))
    sdl = app.state.schema.as_str()
    for field in OWN_FIELDS[plugin]:
        assert field not in sdl
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        data = await gql_data(client, _page_without(plugin), {"slug": ANATOMY_SLUG})
    assert data["article"]["slug"] == ANATOMY_SLUG
    assert data["couverture"]["cover"]["url"]
    assert (data["article"]["related"] == []) is (plugin == "related")
    assert (data["mostRead"] == []) is (plugin == "ranking")
    assert ("editorial" in data) is (plugin != "editorial")


@pytest.mark.parametrize("plugin", sorted(OWN_FIELDS))
async def test_the_server_starts_and_stops_without_one_builtin(plugin: str) -> None:
    port = {"editorial": 8831, "ranking": 8832, "related": 8833}[plugin]
    async with scratch_database_url() as url:
        migrated = run_gqlnews("--database-url", url, "migrate")
        assert migrated.returncode == 0, migrated.stderr
        command = Path(sys.executable).with_name("gqlnews")
        env = {**os.environ, "GQLNEWS_DISABLED_PLUGINS": plugin}
        server = subprocess.Popen(
            [str(command), "--database-url", url, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_until_ready(port)
            body = httpx.post(
                f"http://127.0.0.1:{port}/graphql",
                json={"query": _page_without(plugin), "variables": {"slug": "none"}},
                timeout=10,
            ).json()
        finally:
            _, errors = stop_server(server, signal.SIGTERM)
    assert "errors" not in body, body
    assert body["data"]["article"] is None and body["data"]["supplements"]["nodes"] == []
    assert '"level":"error"' not in errors, errors
