"""The text-similarity index: each article's most distinctive terms, kept in two tables.

An article is indexed as up to ``TOP_TERMS`` terms of its title (counted 3 times), excerpt
(twice) and body, each with a BM25 term weight::

    w(t, d) = tf · (K1 + 1) / (tf + K1 · (1 − B + B · |d| / AVERAGE_LENGTH))

and chosen by ``w · idf`` (the rarest, most repeated words win). The index is incremental:
:func:`index_stale` finds the articles whose modification time differs from the one they were
indexed with (new, edited or re-imported articles), a batch at a time, and re-indexes only
those; a deleted article's rows go with it (foreign keys cascade). Nothing is rebuilt per
request. With several processes on PostgreSQL one indexes at a time (an advisory lock);
indexing an article twice is harmless. Whatever indexes an article purges the cached related
answers once it has committed (:mod:`gqlnews_related.caching`).

Document frequencies (how many indexed articles keep a term among their top terms) are kept in
a third table, ``related_text_term``, updated in the transaction that writes the postings, so
a lookup reads the frequencies of its own terms instead of counting postings. Its row for the
empty term holds the number of indexed articles the counts were made with: when that is not
the number of indexed articles (an article deleted since — its rows went by cascade, behind
the indexer's back — or a table never filled), :func:`stored_frequencies` says so, the
postings are counted instead, and the indexer's next round (or write) recounts the table.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise import Tortoise
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from gqlnews.api import Article
from gqlnews_related import tallies
from gqlnews_related.caching import index_changed
from gqlnews_related.french import terms
from gqlnews_related.models import TextDocument, TextPosting, TextTerm

TOP_TERMS = 40
K1 = 1.2
B = 0.75
AVERAGE_LENGTH = 400
FIELD_WEIGHTS = (("title", 3), ("excerpt", 2), ("body_text", 1))
BATCH = 200
_LOCK_KEY = 0x67716E72  # "gqnr": the indexer's PostgreSQL advisory lock
INDEXED = ""
"""The term of :class:`TextTerm`'s row counting the indexed articles (no real term is empty)."""
_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Indexed:
    """One article's vector before it is written."""

    article_id: int
    version: datetime
    length: int
    weights: dict[str, float]


def analyse(row: Mapping[str, Any]) -> tuple[Counter[str], int]:
    """Weighted term counts of an article's text and its weighted length."""
    counts: Counter[str] = Counter()
    for field, weight in FIELD_WEIGHTS:
        for term in terms(str(row.get(field) or "")):
            counts[term[:64]] += weight
    return counts, sum(counts.values())


def term_weight(tf: float, length: int) -> float:
    """The BM25 weight of a term seen ``tf`` times in a document of ``length`` terms."""
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / AVERAGE_LENGTH))


def idf(documents: int, frequency: int) -> float:
    """Inverse document frequency, never negative: ln(1 + N / (1 + df))."""
    return math.log(1 + documents / (1 + frequency))


def vector(
    row: Mapping[str, Any],
    frequency: Mapping[str, int],
    documents: int,
    analysed: tuple[Counter[str], int] | None = None,
) -> Indexed:
    """The ``TOP_TERMS`` most distinctive terms of one article (``row`` from ``values()``;
    ``analysed``: its :func:`analyse` result when already computed)."""
    counts, length = analysed or analyse(row)
    weights = {term: term_weight(tf, length) for term, tf in counts.items()}
    ranked = sorted(weights, key=lambda t: (-weights[t] * idf(documents, frequency.get(t, 0)), t))
    top = {term: round(weights[term], 4) for term in ranked[:TOP_TERMS]}
    return Indexed(int(row["id"]), row["updated_at"], length, top)


async def posting_frequencies(wanted: Iterable[str]) -> dict[str, int]:
    """How many indexed articles keep each of ``wanted`` among their top terms, counted from
    the postings (what :class:`TextTerm` keeps; :func:`frequencies` reads that instead)."""
    found: dict[str, int] = {}
    chosen = sorted(set(wanted))
    for start in range(0, len(chosen), _CHUNK):
        chunk = chosen[start : start + _CHUNK]
        rows = await (
            TextPosting.filter(term__in=chunk)
            .annotate(n=Count("id"))
            .group_by("term")
            .values_list("term", "n")
        )
        found.update((str(term), int(n)) for term, n in rows)
    return found


async def frequencies(wanted: Iterable[str]) -> tuple[dict[str, int], int]:
    """The document frequencies of ``wanted`` (as :func:`posting_frequencies` counts them)
    and the number of indexed articles, from :func:`stored_frequencies`; the postings are
    counted when the table does not match the index."""
    chosen = sorted(set(wanted) - {INDEXED})
    found, documents = await stored_frequencies(chosen)
    if found is None:
        return await posting_frequencies(chosen), documents
    return found, documents


async def stored_frequencies(wanted: Iterable[str]) -> tuple[dict[str, int] | None, int]:
    """The document frequencies of ``wanted`` kept in :class:`TextTerm` (None when the table
    does not match the index: see the module's docstring) and the number of indexed
    articles. Two statements reading only these terms' rows and the article count (one more
    per 2,000 terms past the first 2,000)."""
    chosen = sorted(set(wanted) - {INDEXED})
    found = await _stored(chosen, INDEXED)
    documents = await TextDocument.all().count()
    if found.pop(INDEXED, None) != documents:
        return None, documents
    return found, documents


async def _stored(terms: Sequence[str], *extra: str) -> dict[str, int]:
    found: dict[str, int] = {}
    wanted = [*extra, *terms]
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = await TextTerm.filter(term__in=chunk).values_list("term", "articles")
        found.update((str(term), int(n)) for term, n in rows)
    return found


async def recount() -> int:
    """Count every term's postings again into :class:`TextTerm` (in one transaction); the
    number of indexed articles. The article count is read first: an article deleted while
    the postings are counted leaves the table marked stale, never wrong."""
    async with in_transaction():
        documents = await TextDocument.all().count()
        rows = await (
            TextPosting.all().annotate(n=Count("id")).group_by("term").values_list("term", "n")
        )
        await TextTerm.all().delete()
        await TextTerm.bulk_create(
            [TextTerm(term=INDEXED, articles=documents)]
            + [TextTerm(term=str(term), articles=int(n)) for term, n in rows],
            batch_size=_CHUNK,
        )
    return documents


async def frequencies_current() -> bool:
    """Whether :class:`TextTerm` matches the index (its article count is the index's)."""
    return await _stored_count() == await TextDocument.all().count()


async def _stored_count() -> int | None:
    row = await TextTerm.get_or_none(term=INDEXED)
    return None if row is None else row.articles


_TEXT_FIELDS = ("id", "title", "excerpt", "body_text", "updated_at")


async def write(vectors: Sequence[Indexed], *, keep_frequencies: bool = True) -> None:
    """Replace the index rows of these articles, and their terms' document frequencies
    (unless ``keep_frequencies`` is false: a rebuild recounts them at its end), in one
    transaction."""
    ids = [v.article_id for v in vectors]
    async with in_transaction():
        # A write first: on SQLite the transaction holds the write lock from here on.
        removed = await TextDocument.filter(article_id__in=ids).delete()
        remaining = await TextDocument.all().count()
        stored = await _stored_count()
        old = Counter(
            map(str, await TextPosting.filter(article_id__in=ids).values_list("term", flat=True))
        )
        await TextPosting.filter(article_id__in=ids).delete()
        await TextDocument.bulk_create(
            [
                TextDocument(article_id=v.article_id, indexed_version=v.version, length=v.length)
                for v in vectors
            ]
        )
        await TextPosting.bulk_create(
            [
                TextPosting(article_id=v.article_id, term=term, weight=weight)
                for v in vectors
                for term, weight in v.weights.items()
            ],
            batch_size=_CHUNK,
        )
        if not keep_frequencies:
            return
        new = Counter(term for v in vectors for term in v.weights)
        # The table was the index's before this write (articles deleted behind the indexer's
        # back lower the count), and this write's change applies: else count everything.
        if stored == remaining + removed and await _add_frequencies(new, old):
            await TextTerm.filter(term=INDEXED).update(articles=remaining + len(vectors))
        else:
            await recount()


async def _add_frequencies(added: Counter[str], removed: Counter[str]) -> bool:
    """Apply a write's change to the stored frequencies; false (nothing changed) when a count
    would fall below zero, i.e. the table was not the index's."""
    change = Counter(added)
    change.subtract(removed)
    touched = sorted(term for term, n in change.items() if n)
    current = await _stored(touched) if touched else {}
    updated = {term: current.get(term, 0) + change[term] for term in touched}
    if any(n < 0 for n in updated.values()):
        return False
    for start in range(0, len(touched), _CHUNK):
        await TextTerm.filter(term__in=touched[start : start + _CHUNK]).delete()
    await TextTerm.bulk_create(
        [TextTerm(term=term, articles=n) for term, n in updated.items() if n > 0],
        batch_size=_CHUNK,
    )
    return True


async def index_articles(ids: Sequence[int]) -> int:
    """(Re)index these articles now, with the index's current term frequencies."""
    rows = await Article.filter(id__in=list(ids)).values(*_TEXT_FIELDS)
    if not rows:
        return 0
    analysed = [analyse(row) for row in rows]
    frequency, documents = await frequencies(t for counts, _ in analysed for t in counts)
    documents += len(rows)
    await write(
        [vector(row, frequency, documents, done) for row, done in zip(rows, analysed, strict=True)]
    )
    return len(rows)


async def stale_ids(limit: int = BATCH) -> list[int]:
    """Articles never indexed, or changed since they were (one query)."""
    article = Article._meta.db_table
    document = TextDocument._meta.db_table
    rows = await Tortoise.get_connection("default").execute_query_dict(
        f'SELECT a.id FROM "{article}" a LEFT JOIN "{document}" d ON d.article_id = a.id '
        f"WHERE d.id IS NULL OR d.indexed_version <> a.updated_at ORDER BY a.id LIMIT {limit:d}"
    )
    return [int(row["id"]) for row in rows]


@asynccontextmanager
async def _one_indexer(wait: bool = False) -> AsyncIterator[bool]:
    """Whether this process may index now. On PostgreSQL the run is one transaction holding
    an advisory lock, so with several processes one indexes and the others skip the round
    (or, with ``wait``, wait for the other's round to end: then the answer is always yes);
    SQLite serialises writers itself."""
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect != "postgres":
        yield True
        return
    async with in_transaction() as transaction:
        if wait:
            await transaction.execute_query(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
            yield True
            return
        rows = await transaction.execute_query_dict(
            f"SELECT pg_try_advisory_xact_lock({_LOCK_KEY}) AS got"
        )
        yield bool(rows[0]["got"])


async def index_now(ids: Sequence[int]) -> int:
    """Index these articles now unless another process is indexing (its round, or the next
    one, picks them up: they are stale); how many were indexed here. Cached related answers
    are purged after the commit when any was."""
    async with _one_indexer() as allowed:
        done = await index_articles(ids) if allowed else 0
    return await index_changed(done)


async def index_stale(limit: int | None = None) -> int:
    """Index stale articles, a batch at a time, up to ``limit`` (all when None); how many.

    When the index is empty (a first run after an import), term frequencies are counted over
    the whole archive first, so the first articles are indexed as well as the last. Cached
    related answers are purged after the commit when any article was indexed. The round also
    folds the kept counts' rows (:func:`gqlnews_related.tallies.fold`).
    """
    done = 0
    async with _one_indexer() as allowed:
        if allowed and not await TextDocument.exists():
            done = await _rebuild()
        elif allowed:
            done = await _index_stale_batches(limit)
            if not await frequencies_current():  # articles deleted since, or an upgrade
                await recount()
        if allowed:
            await tallies.fold()
    return await index_changed(done)


async def _index_stale_batches(limit: int | None) -> int:
    done = 0
    while limit is None or done < limit:
        ids = await stale_ids(BATCH if limit is None else min(BATCH, limit - done))
        if not ids:
            break
        done += await index_articles(ids)
    return done


async def index_imported(article_ids: Sequence[int]) -> int:
    """Bring the index up to date after an import, before the import command returns: the
    articles it created or updated (an updated line may keep its modification time, so they
    are indexed by id), then anything else stale, a batch at a time; how many were indexed.

    An empty index is built from every article at once (as :func:`index_stale` does). On
    PostgreSQL this waits for another process's round to end instead of skipping. Cached
    related answers are purged after the commit (in this process: see ``caching``).
    """
    async with _one_indexer(wait=True):
        if not await TextDocument.exists():
            done = await _rebuild()
        else:
            done = 0
            for start in range(0, len(article_ids), BATCH):
                done += await index_articles(article_ids[start : start + BATCH])
            done += await _index_stale_batches(None)
            if not await frequencies_current():
                await recount()
        await tallies.fold()
    return await index_changed(done)


async def _rebuild() -> int:
    """Index every article, with document frequencies counted over all of them first; the
    stored frequencies are counted once at the end (they read as stale until then)."""
    await TextTerm.all().delete()
    frequency: Counter[str] = Counter()
    ids: list[int] = [row["id"] for row in await Article.all().order_by("id").values("id")]
    for start in range(0, len(ids), BATCH):
        rows = await Article.filter(id__in=ids[start : start + BATCH]).values(*_TEXT_FIELDS)
        for row in rows:
            frequency.update(analyse(row)[0].keys())
    for start in range(0, len(ids), BATCH):
        rows = await Article.filter(id__in=ids[start : start + BATCH]).values(*_TEXT_FIELDS)
        await write([vector(row, frequency, len(ids)) for row in rows], keep_frequencies=False)
    await recount()
    return len(ids)
