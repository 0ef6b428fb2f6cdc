"""An editor's day, through the GraphQL API: sign in, write, share a draft preview link,
review, embargo, publish, correct, unpublish and restore an article, checking at each step what
a reader sees.

It needs the demo newsroom (the article goes in its sections), an editor account and the API
served; the server's scheduler lifts the embargo (GQLNEWS_SCHEDULER_INTERVAL). From the
repository's root (tests/test_editors_day.py runs these very lines):

    export GQLNEWS_PASSWORD='a long passphrase for the desk'
    gqlnews --database-url sqlite://newsroom.sqlite3 demo
    echo "$GQLNEWS_PASSWORD" | gqlnews --database-url sqlite://newsroom.sqlite3 users create \\
        --email editor@example.org --name Desk --role editor --password-stdin
    gqlnews --database-url sqlite://newsroom.sqlite3 serve --port 8000 &
    python examples/editors-day/editors_day.py --url http://127.0.0.1:8000/graphql \\
        --email editor@example.org            # the password is read from GQLNEWS_PASSWORD
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

ARTICLE = "id slug title status version embargoUntil"
PAYLOAD = f"article {{ {ARTICLE} }} errors {{ field code message }}"


class Desk:
    """GraphQL calls as the signed-in editor, and as an anonymous reader."""

    def __init__(self, client: httpx.AsyncClient, url: str, say: Callable[[str], None]) -> None:
        self.client, self.url, self.say = client, url, say
        self.token = ""

    async def call(self, query: str, variables: dict[str, Any], anonymous: bool = False) -> Any:
        headers = {} if anonymous or not self.token else {"Authorization": f"Bearer {self.token}"}
        response = await self.client.post(
            self.url, json={"query": query, "variables": variables}, headers=headers
        )
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        return body["data"]

    async def mutate(self, name: str, args: str, variables: dict[str, Any]) -> dict[str, Any]:
        declared = ", ".join(f"${k}: {t}" for k, t in _types(args).items())
        passed = ", ".join(f"{k}: ${k}" for k in _types(args))
        data = await self.call(
            f"mutation({declared}) {{ {name}({passed}) {{ {PAYLOAD} }} }}", variables
        )
        payload = data[name]
        if payload["errors"]:
            raise RuntimeError(f"{name}: {payload['errors']}")
        article: dict[str, Any] = payload["article"]
        self.say(f"{name}: {article['status']} (version {article['version']})")
        return article

    async def preview(self, slug: str, token: str) -> dict[str, Any]:
        """``article(slug)`` as someone without an account holding a preview token: the answer
        (``data`` and, when the token does not open the article, ``errors``)."""
        response = await self.client.post(
            self.url,
            json={"query": "query($s: String!) { article(slug: $s) { title subtitle } }",
                  "variables": {"s": slug}},
            headers={"Gqlnews-Preview-Token": token},
        )  # fmt: skip
        if response.headers.get("cache-control") != "private, no-store":
            raise RuntimeError(f"a preview answer must not be cached: {response.headers}")
        answer: dict[str, Any] = response.json()
        return answer

    async def reader_sees(self, slug: str) -> bool:
        query = "query($slug: String!) { article(slug: $slug) { title } }"
        seen = (await self.call(query, {"slug": slug}, anonymous=True))["article"] is not None
        self.say(f"    a reader {'sees' if seen else 'does not see'} it")
        return seen


def _types(args: str) -> dict[str, str]:
    return dict(part.split(":") for part in args.replace(" ", "").split(","))


async def run(
    client: httpx.AsyncClient,
    email: str,
    password: str,
    url: str = "/graphql",
    say: Callable[[str], None] = print,
    embargo_seconds: float = 3,
) -> dict[str, Any]:
    """The whole day; returns the article as it ends (raises on any unexpected answer)."""
    desk = Desk(client, url, say)
    signed = await desk.call(
        "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) "
        "{ token errors { code message } } }",
        {"e": email, "p": password},
    )
    if signed["signIn"]["errors"]:
        raise RuntimeError(signed["signIn"]["errors"])
    desk.token = signed["signIn"]["token"]
    say(f"signed in as {email}")

    draft = await desk.mutate(
        "articleCreate",
        "input: ArticleCreateInput!",
        {
            "input": {
                "title": "Rabat accueille le sommet méditerranéen de l'eau",
                "primarySection": "monde",
                "sections": ["une"],
                "excerpt": "Trente délégations attendues pour trois jours de travaux.",
                "body": "<p>Les délégations arrivent ce soir.<script>alert(1)</script></p>",
            }
        },
    )
    ids = {"id": draft["id"]}
    assert not await desk.reader_sees(draft["slug"])
    link = await desk.call(
        "mutation($id: ID!) { articleCreatePreviewLink(id: $id, expiresIn: 3600) "
        "{ previewLink { token expiresAt } errors { code message } } }",
        ids,
    )
    if link["articleCreatePreviewLink"]["errors"]:
        raise RuntimeError(link["articleCreatePreviewLink"]["errors"])
    token = link["articleCreatePreviewLink"]["previewLink"]["token"]
    say("preview link made, valid for an hour: shared with the summit's press office")
    fixed = await desk.mutate(
        "articleUpdate",
        "id: ID!, version: Int!, input: ArticleUpdateInput!",
        {**ids, "version": draft["version"], "input": {"subtitle": "Trois jours de travaux"}},
    )
    previewed = (await desk.preview(draft["slug"], token))["data"]["article"]
    if previewed is None or previewed["subtitle"] != "Trois jours de travaux":
        raise RuntimeError(f"the preview link should show the draft as it is now: {previewed}")
    say("    the press office's preview link shows the draft, with today's subtitle")
    review = await desk.mutate(
        "articleSubmit", "id: ID!, version: Int!", {**ids, "version": fixed["version"]}
    )
    revoked = await desk.call(
        "mutation($id: ID!) { articleRevokePreviewLinks(id: $id) { revoked errors { code } } }",
        ids,
    )
    say(f"preview links revoked: {revoked['articleRevokePreviewLinks']['revoked']}")
    refused = await desk.preview(draft["slug"], token)
    codes = [error["extensions"]["code"] for error in refused.get("errors", [])]
    if refused["data"]["article"] is not None or codes != ["PREVIEW_TOKEN_INVALID"]:
        raise RuntimeError(f"a revoked preview link still answers: {refused}")
    say("    the revoked preview link gets PREVIEW_TOKEN_INVALID")
    until = datetime.now(UTC) + timedelta(seconds=embargo_seconds)
    embargoed = await desk.mutate(
        "articleSetEmbargo",
        "id: ID!, version: Int!, until: DateTime",
        {**ids, "version": review["version"], "until": until.isoformat()},
    )
    published = await desk.mutate(
        "articlePublish", "id: ID!, version: Int!", {**ids, "version": embargoed["version"]}
    )
    assert not await desk.reader_sees(draft["slug"]), "embargoed: staff only"
    say(f"    waiting for the embargo to lift at {until:%H:%M:%S}…")
    for _ in range(int(embargo_seconds * 10) + 100):
        # Readers see it once the embargo time is past; the scheduler then records the release
        # (a new version): wait for that too, or the correction below would race it.
        if await desk.reader_sees(draft["slug"]) and "release" in await _actions(desk, draft):
            break
        await asyncio.sleep(0.1)
    else:
        raise RuntimeError("the embargo did not lift: is the scheduler running?")
    version = (await desk.call(f"query($s: String!) {{ article(slug: $s) {{ {ARTICLE} }} }}",
                               {"s": draft["slug"]}))["article"]["version"]  # fmt: skip
    corrected = await desk.mutate(
        "articleUpdate",
        "id: ID!, version: Int!, input: ArticleUpdateInput!",
        {**ids, "version": version, "input": {"title": "Rabat accueille le sommet de l'eau"}},
    )
    down = await desk.mutate(
        "articleUnpublish", "id: ID!, version: Int!", {**ids, "version": corrected["version"]}
    )
    assert not await desk.reader_sees(draft["slug"])
    restored = await desk.mutate(
        "articleRestoreRevision",
        "id: ID!, version: Int!, revision: Int!",
        {**ids, "version": down["version"], "revision": 1},
    )
    final = await desk.mutate(
        "articlePublish", "id: ID!, version: Int!", {**ids, "version": restored["version"]}
    )
    assert await desk.reader_sees(draft["slug"])
    history = await desk.call(
        "query($s: String!) { article(slug: $s) { revisions { number action } } }",
        {"s": draft["slug"]},
    )
    steps = [f"{r['number']}:{r['action']}" for r in reversed(history["article"]["revisions"])]
    say("revisions: " + ", ".join(steps))
    assert published["status"] == "PUBLISHED"
    return final


async def _actions(desk: Desk, article: dict[str, Any]) -> list[str]:
    query = "query($s: String!) { article(slug: $s) { revisions { action } } }"
    found = await desk.call(query, {"s": article["slug"]})
    return [revision["action"] for revision in found["article"]["revisions"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000/graphql")
    parser.add_argument("--email", required=True)
    args = parser.parse_args()
    password = os.environ.get("GQLNEWS_PASSWORD", "")

    async def go() -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            await run(client, args.email, password, url=args.url)

    asyncio.run(go())


if __name__ == "__main__":
    main()
