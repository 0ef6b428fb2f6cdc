"""A small newsroom for the feed and sitemap tests: a French section with a sub-section, an
author, a tag, two visible articles (one in Arabic) and one of each kind of hidden article,
plus an app whose site URL is set."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import jsonschema
from starlette.applications import Starlette

from gqlnews.models import Article, ArticleStatus, Author, Image, Section, Tag
from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.factories import make_article, make_section, now, unique
from tests.helpers import TEST_DATABASE_URL

SITE = "https://www.example.org"
TRICKY_TITLE = 'Fusions & acquisitions : <les "géants"> à l\'épreuve'
ARABIC_TITLE = "الانتخابات البلدية: إقبال واسع في الدار البيضاء"
HIDDEN_KINDS = ("draft", "scheduled", "future", "embargoed", "unpublished", "trashed")


@dataclass
class FeedWorld:
    """What the tests look for: slugs of the scopes, the visible and the hidden articles."""

    parent: Section
    child: Section
    author: Author
    tag: Tag
    french: Article
    arabic: Article
    old: Article
    """Visible, published three days ago: in the feeds, not in the news sitemap."""
    hidden: dict[str, Article] = field(default_factory=dict)

    @property
    def visible(self) -> list[Article]:
        """Newest first."""
        return [self.french, self.arabic, self.old]


def feed_settings(**overrides: Any) -> Settings:
    """The settings of the feed tests' app: a site URL, full bodies in the feeds, no rate
    limits."""
    values: dict[str, Any] = {
        "database_url": TEST_DATABASE_URL,
        "site_url": SITE,
        "site_name": "L'Observateur & Cie",
        "feed_full_content": True,
        "feed_max_age": 120,
        "rate_limit_per_minute": 0,
        "token_rate_limit_per_minute": 0,
        "sign_in_limit_per_hour": 0,
        "sign_in_ip_limit_per_hour": 0,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def feed_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on ``app`` (its lifespan is not run: the session's database is used)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        yield http


def feed_app(**overrides: Any) -> Starlette:
    """An app with :func:`feed_settings`."""
    return create_app(feed_settings(**overrides))


async def build_world() -> FeedWorld:
    """Create the test newsroom (the caller removes its articles)."""
    parent = await make_section(slug=unique("t-monde"), name="Monde")
    child = await make_section(slug=unique("t-afrique"), name="Afrique", parent=parent)
    author = await Author.create(slug=unique("t-author"), name="Amina Benali")
    tag = await Tag.create(slug=unique("t-tag"), name="Élections")
    picture = await Image.create(
        url="https://img.example/photo.jpg",
        credit="K. Idrissi / AFP",
        caption="Bureau de vote à Casablanca & environs",
        width=1200,
        height=800,
    )
    common: dict[str, Any] = {"authors": (author,), "tags": (tag,)}
    moment = now()
    french = await make_article(
        section=child,
        title=TRICKY_TITLE,
        excerpt="Les marchés <b>réagissent</b> & attendent.",
        body_html="<p>Les marchés réagissent &amp; attendent la suite.</p>",
        published_at=moment - timedelta(hours=1),
        image=picture,
        **common,
    )
    arabic = await make_article(
        section=parent,
        title=ARABIC_TITLE,
        language="ar",
        body_html="<p>شهدت مكاتب الاقتراع إقبالا واسعا منذ الصباح.</p>",
        published_at=moment - timedelta(hours=2),
        **common,
    )
    old = await make_article(
        section=parent, published_at=moment - timedelta(days=3), title="Archives", **common
    )
    hidden = {
        "draft": await make_article(section=child, status=ArticleStatus.DRAFT, **common),
        "scheduled": await make_article(
            section=child,
            status=ArticleStatus.SCHEDULED,
            published_at=moment + timedelta(days=1),
            **common,
        ),
        "future": await make_article(
            section=child, published_at=moment + timedelta(hours=3), **common
        ),
        "embargoed": await make_article(
            section=child, embargo_until=moment + timedelta(days=2), **common
        ),
        "unpublished": await make_article(
            section=child, status=ArticleStatus.UNPUBLISHED, **common
        ),
        "trashed": await make_article(section=child, deleted_at=moment, **common),
    }
    return FeedWorld(parent, child, author, tag, french, arabic, old, hidden)


def assert_hidden_absent(world: FeedWorld, body: str) -> None:
    """No hidden article's slug (nor its guid) appears in ``body``."""
    for kind, article in world.hidden.items():
        assert article.slug not in body, f"the {kind} article appears"
        assert f"urn:gqlnews:article:{article.pk}<" not in body, f"the {kind} article appears"
        assert f'"urn:gqlnews:article:{article.pk}"' not in body, f"the {kind} article appears"


_RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
_AUTHOR = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "url": {"type": "string"}},
    "anyOf": [{"required": ["name"]}, {"required": ["url"]}],
}
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "description": {"type": "string"},
        "language": {"type": "string"},
        "authors": {"type": "array", "items": _AUTHOR},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "url": {"type": "string"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "content_text": {"type": "string"},
                    "summary": {"type": "string"},
                    "image": {"type": "string"},
                    "date_published": {"type": "string", "pattern": _RFC3339},
                    "date_modified": {"type": "string", "pattern": _RFC3339},
                    "authors": {"type": "array", "items": _AUTHOR},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": "string"},
                },
                "patternProperties": {"^_": {"type": "object"}},
                "additionalProperties": False,
            },
        },
    },
    "patternProperties": {"^_": {"type": "object"}},
    "additionalProperties": False,
}
"""The JSON Feed 1.1 rules (https://jsonfeed.org/version/1.1) the feeds use, as a schema:
the version URL, the required fields, RFC 3339 dates, extensions starting with ``_``."""


def check_json_feed(body: bytes) -> dict[str, Any]:
    """The parsed JSON Feed, after checking it against the 1.1 rules (item ids unique)."""
    document: dict[str, Any] = json.loads(body)
    jsonschema.validate(document, JSON_FEED_SCHEMA)
    ids = [item["id"] for item in document["items"]]
    assert len(ids) == len(set(ids)), "item ids are not unique"
    return document


def visible_now(article: Article, moment: datetime) -> bool:
    """The test's own oracle of public visibility (independent of gqlnews.visibility)."""
    return (
        article.status == ArticleStatus.PUBLISHED
        and article.published_at is not None
        and article.published_at <= moment
        and article.deleted_at is None
        and (article.embargo_until is None or article.embargo_until <= moment)
    )
