"""The fuzzing suite's newsroom: a database of its own loaded by ``gqlnews demo``, with an
author account, read back (which articles are hidden), and served by a real ``gqlnews serve``.

Used by ``tests/test_fuzz.py``, with :mod:`tests.fuzz_strategies` (what it sends) and
:mod:`tests.fuzz_checks` (what no answer may contain).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gqlnews.ids import encode_id
from tests.helpers import run_gqlnews, wait_until_ready

FUZZ_ENV = {
    # Off for the fuzz server only, so that the fuzzer exercises the API rather than the 429s
    # (the limits have tests of their own). The cost limit and the deadline keep their defaults.
    "GQLNEWS_RATE_LIMIT_PER_MINUTE": "0",
    "GQLNEWS_TOKEN_RATE_LIMIT_PER_MINUTE": "0",
    "GQLNEWS_SIGN_IN_LIMIT_PER_HOUR": "0",
    "GQLNEWS_SIGN_IN_IP_LIMIT_PER_HOUR": "0",
    "GQLNEWS_LOG_FORMAT": "json",
    "GQLNEWS_DEBUG": "false",
}

AUTHOR_EMAIL = "fuzz.author@example.org"

_NEWSROOM = textwrap.dedent(
    """
    import asyncio, json, sys
    from datetime import UTC, datetime
    from gqlnews.db import open_database
    from gqlnews.models import (
        Article, Author, Edition, Image, Section, Supplement, Tag, TokenKind, UserRole,
    )

    async def main(url, author):
        async with open_database(url):
            token = None
            if author:
                from gqlnews.accounts import tokens, users
                byline = await Author.all().order_by("id").first()
                user = await users.create_user(
                    author, "Fuzz Author", UserRole.AUTHOR, None, author_slug=byline.slug
                )
                token = (await tokens.issue(user, TokenKind.API, expires_at=None)).text
            now = datetime.now(UTC)
            articles = []
            for row in await Article.all().values(
                "id", "slug", "title", "status", "published_at", "embargo_until", "deleted_at",
                "image_id",
            ):
                status = getattr(row["status"], "value", row["status"])
                visible = (
                    status == "published"
                    and row["published_at"] is not None
                    and row["published_at"] <= now
                    and (row["embargo_until"] is None or row["embargo_until"] <= now)
                    and row["deleted_at"] is None
                )
                unpublished = status != "published" or row["deleted_at"] is not None
                articles.append(
                    [row["id"], row["slug"], row["title"], visible, row["image_id"], unpublished]
                )
            print(json.dumps({
                "token": token,
                "articles": articles,
                "Section": await Section.all().values_list("id", "slug"),
                "Tag": await Tag.all().values_list("id", "slug"),
                "Author": await Author.all().values_list("id", "slug"),
                "Supplement": await Supplement.all().values_list("id", "slug"),
                "Edition": [[pk, None] for pk in await Edition.all().values_list("id", flat=True)],
                "Image": [[pk, None] for pk in await Image.all().values_list("id", flat=True)],
            }))

    asyncio.run(main(sys.argv[1], sys.argv[2]))
    """
)


@dataclass(frozen=True)
class Newsroom:
    """What the fuzz database holds: the author's token (when made), every node's global id
    and slug, and which articles an anonymous reader must never see."""

    token: str | None
    ids: list[str]
    focus: list[str]
    """The ids of the hidden articles and of their pictures, drawn more often."""
    slugs: list[str]
    hidden_ids: frozenset[str]
    hidden_slugs: frozenset[str]
    hidden_titles: frozenset[str]
    hidden_words: list[str]
    """Words of the hidden articles' titles, for searches."""
    unpublished: tuple[tuple[str, str, str], ...] = ()
    """The id, slug and title of each hidden article that is not published (a draft, in
    review, scheduled…) or is in the trash."""

    def for_another_author(self) -> Newsroom:
        """What an author who wrote none of the hidden articles must not see either: those
        not published or in the trash (embargoed ones are shown to staff, docs/write-api.md)."""
        return dataclasses.replace(
            self,
            hidden_ids=frozenset(pk for pk, _, _ in self.unpublished),
            hidden_slugs=frozenset(slug for _, slug, _ in self.unpublished),
            hidden_titles=frozenset(title for _, _, title in self.unpublished),
        )


def read_newsroom(url: str, author: str = "") -> Newsroom:
    """Read the newsroom at ``url`` in another process (the test process has its own ORM
    context); with ``author``, first make an author account of that email and a token."""
    done = subprocess.run(
        [sys.executable, "-c", _NEWSROOM, url, author],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    ids, slugs, focus, unpublished_rows = [], [], [], []
    hidden_ids, hidden_slugs, hidden_titles, words = set(), set(), set(), set()
    for pk, slug, title, visible, image, unpublished in found["articles"]:
        if unpublished:
            unpublished_rows.append((encode_id("Article", pk), slug, title))
        ids.append(encode_id("Article", pk))
        slugs.append(slug)
        if not visible:
            focus.append(encode_id("Article", pk))
            if image is not None:
                focus.append(encode_id("Image", image))
            hidden_ids.add(encode_id("Article", pk))
            hidden_slugs.add(slug)
            hidden_titles.add(title)
            words.update(w for w in re.findall(r"\w{5,}", title.lower()))
    for kind in ("Section", "Tag", "Author", "Supplement", "Edition", "Image"):
        for pk, slug in found[kind]:
            ids.append(encode_id(kind, pk))
            if slug:
                slugs.append(slug)
    return Newsroom(
        token=found["token"],
        ids=ids,
        focus=focus,
        slugs=slugs,
        hidden_ids=frozenset(hidden_ids),
        hidden_slugs=frozenset(hidden_slugs),
        hidden_titles=frozenset(hidden_titles),
        hidden_words=sorted(words),
        unpublished=tuple(unpublished_rows),
    )


def load_newsroom(url: str) -> Newsroom:
    """Load the demo into the empty database ``url`` with ``gqlnews demo``, add an author
    account and its API token; what it then holds."""
    done = run_gqlnews("--database-url", url, "demo", timeout=300)
    assert done.returncode == 0, done.stderr
    return read_newsroom(url, AUTHOR_EMAIL)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def fuzz_server(url: str, log: Path) -> Iterator[str]:
    """A ``gqlnews serve`` on ``url`` and a free port, with :data:`FUZZ_ENV`; its base URL.
    Its log goes to ``log`` (a file: a pipe nobody reads would block it)."""
    command = Path(sys.executable).with_name("gqlnews")
    port = _free_port()
    with log.open("w") as sink:
        process = subprocess.Popen(
            [str(command), "--database-url", url, "serve", "--port", str(port)],
            env={**os.environ, **FUZZ_ENV},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_ready(port, timeout=60)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
