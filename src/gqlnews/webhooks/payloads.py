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

from gqlnews.graphql.ids import encode_id
from gqlnews.models import Article, ArticleSection, PublishEvent, Section
from gqlnews.newsroom.events import EventKind
from gqlnews.visibility import visible_articles

IDS_ONLY = frozenset({EventKind.UNPUBLISHED, EventKind.DELETED, EventKind.REFUSED})
"""Events whose body never has the article's content."""


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


async def prepare(events: Sequence[PublishEvent], now: datetime) -> list[Prepared]:
    """The bodies of ``events`` as the public sees their articles at ``now`` (three
    statements, whatever their number)."""
    article_ids = {int(e.article_id) for e in events}
    wanted = [i for i in article_ids if i]
    public = (
        {a.pk: a for a in await visible_articles(now=now).filter(id__in=wanted)} if wanted else {}
    )
    links = (
        await ArticleSection.filter(article_id__in=wanted).order_by("position", "id")
        if (wanted)
        else []
    )
    slugs = (
        dict(
            await Section.filter(id__in={link.section_id for link in links}).values_list(
                "id", "slug"
            )
        )
        if links
        else {}
    )
    sections: dict[int, list[int]] = {}
    for link in links:
        sections.setdefault(link.article_id, []).append(link.section_id)
    prepared = []
    for event in events:
        kind = EventKind(event.kind)
        article_id = int(event.article_id)
        article: dict[str, Any] = {"id": article_id, "globalId": encode_id("Article", article_id)}
        own = sections.get(article_id, [])
        found = public.get(article_id)
        if found is not None and kind not in IDS_ONLY:
            article.update(_public_fields(found, [str(slugs[i]) for i in own if i in slugs]))
        else:
            article["public"] = False
        was = event.payload.get("was") or {}
        concerned = {*own, *(int(i) for i in was.get("section_ids", ()))}
        if found is not None:
            concerned.add(found.primary_section_id)
        body = {
            "type": f"article.{kind.value}",
            "timestamp": _time(event.created_at),
            "data": {
                "event": {"id": int(event.id), "kind": kind.value, **event.payload},
                "article": article,
            },
        }
        prepared.append(Prepared(event, orjson.dumps(body).decode(), frozenset(concerned)))
    return prepared
