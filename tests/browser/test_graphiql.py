"""GraphiQL in a real browser, offline: the page loads from this server alone (no failed
request, no console error, any other host refused and reported), a query typed into the editor
runs and its result appears, and the docs explorer lists Query.article."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Page, expect

from tests.browser.conftest import Servers, Watch

SLUG = "la-libye-et-l-otan-renouent-le-dialogue"
TYPED = f'query Libya {{ article(slug: "{SLUG}") {{ title }} }}'


async def test_graphiql_runs_a_typed_query_offline(
    page: Page, servers: Servers, watch: Watch
) -> None:
    title = httpx.post(
        servers.api, json={"query": f'{{ article(slug: "{SLUG}") {{ title }} }}'}, timeout=10
    ).json()["data"]["article"]["title"]
    await page.goto(servers.api)
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    await expect(editor).to_be_visible(timeout=10_000)
    await expect(editor).to_contain_text("query Latest")  # the example, shown first
    await editor.click()
    await page.keyboard.press("Control+A")
    await page.keyboard.press("Delete")
    # Typed key by key: CodeMirror closes brackets and quotes itself and steps over the
    # closing ones typed after them.
    await page.keyboard.type(TYPED, delay=5)
    await page.keyboard.press("Escape")  # the completion list, if open
    await expect(editor).to_contain_text(TYPED)
    # GraphiQL finds the operation to run (Libya, no longer Latest) 100 ms after an edit.
    await page.wait_for_timeout(300)
    await page.keyboard.press("Control+Enter")
    response = page.locator(".graphiql-response")
    await expect(response).to_contain_text(title, timeout=10_000)
    await expect(response).to_contain_text('"article"')
    hosts = {request.url.split("/")[2] for request in watch.requests}
    assert hosts == {f"127.0.0.1:{servers.api_port}"}, hosts


async def test_the_docs_explorer_lists_query_article(page: Page, servers: Servers) -> None:
    await page.goto(servers.api)
    await page.get_by_role("button", name="Show Documentation Explorer").click()
    explorer = page.locator(".graphiql-doc-explorer")
    await explorer.get_by_text("Query", exact=True).click()
    field = explorer.locator(".graphiql-doc-explorer-field-name", has_text="article")
    await expect(field.filter(has_text=re.compile(r"^article$"))).to_have_count(1)
