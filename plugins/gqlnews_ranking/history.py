"""Importing historical view counts (the archive's ``gqlnews.views``) into the buckets.

An archive gives each article one total. It is spread over the article's first week the way
news is read, halving day after day: day ``k`` after publication (in the hour it was
published) gets a share proportional to 2^-k, k = 0…6, split in whole views that add up to the
total exactly. An article published less than a week before the cut-off spreads its views over
the days it had. Imported buckets are marked ``import``: running the import again replaces
them (it never adds twice), and live views are never touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from gqlnews.api import ArchiveReader, Article
from gqlnews_ranking.hours import hour_of, start_of
from gqlnews_ranking.scores import forget_scores
from gqlnews_ranking.store import Counts, replace_imported

SPREAD_DAYS = 7
BATCH_SIZE = 1000


class BadLine(ValueError):
    """An article line whose views cannot be read."""


@dataclass(frozen=True, slots=True)
class ArticleViews:
    """What an archive says about one article's reads."""

    line: int
    uri: str | None
    slug: str | None
    views: int
    published_at: datetime | None


@dataclass
class ImportSummary:
    articles: int = 0
    """Articles of the file found in the database (their imported views were replaced)."""
    views: int = 0
    buckets: int = 0
    missing: int = 0
    """Articles of the file not in the database (import the archive first)."""
    unplaced: int = 0
    """Articles with views but no publication time before the cut-off."""
    failures: list[str] = field(default_factory=list)


def spread(views: int, published_hour: int, end_hour: int) -> dict[int, int]:
    """``views`` over daily buckets from ``published_hour``, halving each day, before
    ``end_hour``; the shares are whole and add up to ``views``."""
    days = max(1, min(SPREAD_DAYS, (end_hour - 1 - published_hour) // 24 + 1))
    weights = [2 ** (days - 1 - k) for k in range(days)]
    total = sum(weights)
    shares = [views * w // total for w in weights]
    # largest remainders first (earlier days on a tie), one view each, until the total is met
    order = sorted(range(days), key=lambda k: (-(views * weights[k] % total), k))
    for k in order[: views - sum(shares)]:
        shares[k] += 1
    return {published_hour + 24 * k: n for k, n in enumerate(shares) if n}


def _timestamp(value: Any, line: int) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise BadLine(f"line {line}: gqlnews.published_at {value!r} is not a timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse(line: int, raw: bytes) -> ArticleViews | None:
    """The views of an article line; None for the other line types."""
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadLine(f"line {line}: not JSON ({exc})") from None
    if not isinstance(record, dict) or record.get("type") != "article":
        return None
    ninjs = record.get("ninjs")
    extension = ninjs.get("gqlnews") if isinstance(ninjs, dict) else None
    if not isinstance(ninjs, dict) or not isinstance(extension, dict):
        raise BadLine(f"line {line}: an article line needs ninjs.gqlnews")
    views = extension.get("views", 0)
    if not isinstance(views, int) or isinstance(views, bool) or views < 0:
        raise BadLine(f"line {line}: gqlnews.views must be a whole number ≥ 0, got {views!r}")
    uri, slug = ninjs.get("uri"), extension.get("slug")
    if not isinstance(uri, str) and not isinstance(slug, str):
        raise BadLine(f"line {line}: an article needs a uri or a gqlnews.slug")
    return ArticleViews(
        line,
        uri if isinstance(uri, str) else None,
        slug if isinstance(slug, str) else None,
        views,
        _timestamp(extension.get("published_at"), line),
    )


def _batches(reader: ArchiveReader, summary: ImportSummary) -> Iterator[list[ArticleViews]]:
    batch: list[ArticleViews] = []
    for number, raw in reader.lines():
        try:
            found = parse(number, raw)
        except BadLine as exc:
            summary.failures.append(str(exc))
            continue
        if found is not None:
            batch.append(found)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


async def _import_batch(
    batch: list[ArticleViews], end_hour: int, summary: ImportSummary, conn: Any
) -> None:
    uris = [a.uri for a in batch if a.uri]
    slugs = [a.slug for a in batch if a.slug]
    rows = (
        await Article.filter(Q(uri__in=uris) | Q(slug__in=slugs))
        .using_db(conn)
        .values_list("id", "uri", "slug", "published_at")
    )
    by_uri = {uri: (pk, published) for pk, uri, _slug, published in rows if uri}
    by_slug = {slug: (pk, published) for pk, _uri, slug, published in rows}
    spreads: dict[int, dict[int, int]] = {}  # a repeated article: the later line wins
    for article in batch:
        match = by_uri.get(article.uri or "") or by_slug.get(article.slug or "")
        if match is None:
            summary.missing += 1
            continue
        pk, published_in_db = match
        published = article.published_at or published_in_db
        spreads[pk] = {}
        if article.views == 0:
            continue
        if published is None or hour_of(published) >= end_hour:
            summary.unplaced += 1
            continue
        spreads[pk] = spread(article.views, hour_of(published), end_hour)
    counts: Counts = {(pk, hour): n for pk, hours in spreads.items() for hour, n in hours.items()}
    await replace_imported(list(spreads), counts, conn)
    summary.articles += len(spreads)
    summary.views += sum(counts.values())
    summary.buckets += len(counts)


async def import_views(reader: ArchiveReader, cutoff: datetime) -> ImportSummary:
    """Replace the imported views of every article of the archive found in the database, in
    one transaction (a failure changes nothing); no view lands at or after ``cutoff``."""
    summary = ImportSummary()
    end_hour = hour_of(cutoff) if start_of(hour_of(cutoff)) == cutoff else hour_of(cutoff) + 1
    async with in_transaction() as conn:
        for batch in _batches(reader, summary):
            await _import_batch(batch, end_hour, summary, conn)
    forget_scores()
    return summary


async def seed_from_counts(now: datetime) -> ImportSummary:
    """Spread each published article's total ``view_count`` over hourly buckets from its
    publication to ``now`` (as an import would), replacing earlier imported views: the demo
    newsroom's most-read lists then have something to rank."""
    summary = ImportSummary()
    end_hour = hour_of(now)
    async with in_transaction() as conn:
        rows = await (
            Article.filter(view_count__gt=0, published_at__lt=now)
            .using_db(conn)
            .values_list("id", "view_count", "published_at")
        )
        counts: Counts = {}
        for pk, views, published in rows:
            if hour_of(published) >= end_hour:
                summary.unplaced += 1
                continue
            for hour, n in spread(int(views), hour_of(published), end_hour).items():
                counts[(pk, hour)] = n
        await replace_imported([pk for pk, _views, _published in rows], counts, conn)
        summary.articles = len(rows)
        summary.views = sum(counts.values())
        summary.buckets = len(counts)
    forget_scores()
    return summary
