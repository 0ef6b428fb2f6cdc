"""The JSON body of a webhook: the event, and the article's public fields when the public may
see the article when the delivery is made (never a draft's, an embargoed or a trashed one's).

The body follows the Standard Webhooks shape ``{"type", "timestamp", "data"}``::

    {"type": "article.published", "timestamp": "2026-12-06T01:02:03.456789+00:00",
     "data": {"event": {"id": 42, "kind": "published", "why": "manual", "embargoed": false},
              "article": {"id": 7, "globalId": "QXJ0aWNsZTo3", "public": true, "slug": …}}}

``data.article`` always has ``id`` and ``globalId``; ``public`` says whether the other fields
are there. ``unpublished``, ``deleted`` and ``refused`` events carry ids only, whatever the
article's state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from gqlnews.ids import encode_id
from gqlnews.models import Article, ArticleSection, PublishEvent, Section
from gqlnews.newsroom.events import EventKind
from gqlnews.visibility import visible_articles

CONTENT_EVENTS = frozenset(
    {EventKind.PUBLISHED, EventKind.RELEASED, EventKind.UPDATED, EventKind.RESTORED}
)
"""Events whose body has the article's public fields when the public sees it; the others
(``unpublished``, ``deleted``, ``refused``, and any kind added later) carry ids only."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """What an event becomes: the body to send, and the sections it concerns (filters)."""

    event: PublishEvent
    body: str
    section_ids: frozenset[int]


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _public_fields(article: Article, sections: list[str]) -> dict[str, Any]:
    return {
        "public": True,
        "slug": article.slug,
        "title": article.title,
        "subtitle": article.subtitle,
        "excerpt": article.excerpt,
        "dateline": article.dateline,
        "genre": str(article.genre),
        "language": article.language,
        "wordCount": article.word_count,
        "publishedAt": _time(article.published_at),
        "updatedAt": _time(article.updated_at),
        "sections": sections,
    }


@dataclass(frozen=True, slots=True)
class _Articles:
    """What the bodies need of the events' articles."""

    public: dict[int, Article]
    """The ones the public sees, by id."""
    sections: dict[int, list[int]]
    """Each article's section ids, in order."""
    slugs: dict[int, str]


async def _articles(ids: set[int], now: datetime) -> _Articles:
    if not ids:
        return _Articles({}, {}, {})
    public = {a.pk: a for a in await visible_articles(now=now).filter(id__in=ids)}
    links = await ArticleSection.filter(article_id__in=ids).order_by("position", "id")
    sections: dict[int, list[int]] = {}
    for link in links:
        sections.setdefault(link.article_id, []).append(link.section_id)
    wanted = {link.section_id for link in links}
    slugs = dict(await Section.filter(id__in=wanted).values_list("id", "slug")) if wanted else {}
    return _Articles(public, sections, {int(k): str(v) for k, v in slugs.items()})


async def prepare(events: Sequence[PublishEvent], now: datetime) -> list[Prepared]:
    """The bodies of ``events`` as the public sees their articles at ``now`` (three
    statements, whatever their number). A kind this code does not know is sent with ids
    only."""
    found = await _articles({int(e.article_id) for e in events}, now)
    return [_prepared(event, found) for event in events]


def _prepared(event: PublishEvent, found: _Articles) -> Prepared:
    article_id = int(event.article_id)
    article: dict[str, Any] = {"id": article_id, "globalId": encode_id("Article", article_id)}
    own = found.sections.get(article_id, [])
    public = found.public.get(article_id)
    if public is not None and event.kind in CONTENT_EVENTS:
        slugs = [found.slugs[i] for i in own if i in found.slugs]
        article.update(_public_fields(public, slugs))
    else:
        article["public"] = False
    was = event.payload.get("was") or {}
    concerned = {*own, *(int(i) for i in was.get("section_ids", ()))}
    if public is not None:
        concerned.add(public.primary_section_id)
    body = {
        "type": f"article.{event.kind}",
        "timestamp": _time(event.created_at),
        "data": {
            "event": {"id": int(event.id), "kind": event.kind, **event.payload},
            "article": article,
        },
    }
    return Prepared(event, orjson.dumps(body).decode(), frozenset(concerned))
