"""Text similarity: the articles whose distinctive words are the article's own."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from gqlnews.api import Article, Scored, depends_on
from gqlnews_related.caching import INDEX_KEY
from gqlnews_related.models import TextPosting, TextTerm
from gqlnews_related.statements import Statement
from gqlnews_related.tallies import DOCUMENTS, counted
from gqlnews_related.text_index import INDEXED, idf

COMMON_SHARE = 0.02
"""A term among the top terms of more than this share of the archive is not followed: it
says little and its list of articles is long."""
MIN_COMMON = 25

_OWN, _STORED, _DOCUMENTS, _COUNTED, _POSTING = range(5)

_POSTINGS = TextPosting._meta.db_table
_TERMS = TextTerm._meta.db_table
_LOOKUP = Statement(
    f"""
    WITH own AS (
        SELECT id, article_id, term, weight FROM "{_POSTINGS}" WHERE article_id = ANY($1)
    ), stored AS (
        SELECT term, (SELECT articles FROM "{_TERMS}" t WHERE t.term = mine.term) AS articles
        FROM (SELECT DISTINCT term FROM own) AS mine
    ), state AS (
        SELECT {counted(DOCUMENTS)} AS documents,
            (SELECT articles FROM "{_TERMS}" WHERE term = $2) AS counted
    ), followed AS (
        SELECT term FROM stored, state
        WHERE state.counted IS NULL OR state.counted <> state.documents
            OR stored.articles <= $3
            OR stored.articles <= state.documents * CAST($4 AS DOUBLE PRECISION)
    )
    SELECT {_OWN}, article_id, term, weight, id FROM own
    UNION ALL SELECT {_STORED}, NULL, term, NULL, articles FROM stored WHERE articles IS NOT NULL
    UNION ALL SELECT {_DOCUMENTS}, NULL, NULL, NULL, documents FROM state
    UNION ALL SELECT {_COUNTED}, NULL, NULL, NULL, counted FROM state
    UNION ALL
    SELECT {_POSTING}, p.article_id, p.term, p.weight, NULL
    FROM followed CROSS JOIN "{_POSTINGS}" p WHERE p.term = followed.term
    ORDER BY 1, 5
    """
)
"""Everything a lookup reads, in one statement: the articles' own terms (in the order they
were written), the stored document frequencies of those terms with the row counting the
indexed articles, the number of indexed articles (kept by the database:
:mod:`gqlnews_related.tallies`), and the postings of the terms worth
following. When the stored counts are not the index's (articles deleted since the indexer's
last round: see ``text_index``), every own term's postings come instead, to be counted here.
The SQL's ceiling is the one applied below (the same float product), so no more is read."""


class TextSimilarity:
    name = "text"
    description = (
        "Articles sharing distinctive words (French-aware: accents folded, elisions such as "
        "l' and d' and stop words removed, plurals stemmed) over title, excerpt and body: "
        "score = Σ over shared terms of idf² · w(article) · w(other), with BM25 term weights "
        "and idf = ln(1 + N / (1 + df)). Uses an index kept up to date in the background."
    )

    async def related(self, articles: Sequence[Article], limit: int) -> dict[int, list[Scored]]:
        depends_on(INDEX_KEY)
        ids = [a.pk for a in articles]
        rows = await _LOOKUP.rows(ids, INDEXED, MIN_COMMON, COMMON_SHARE)
        own: list[tuple[int, str, float]] = []
        counted: dict[str, int] = {}
        documents = 0
        indexed: int | None = None
        postings: list[tuple[int, str, float]] = []
        for kind, article_id, term, weight, n in rows:
            if kind == _OWN:
                own.append((article_id, term, weight))
            elif kind == _STORED:
                counted[term] = n
            elif kind == _DOCUMENTS:
                documents = n
            elif kind == _COUNTED:
                indexed = n
            else:
                postings.append((article_id, term, weight))
        stored = counted if indexed == documents else None
        return scored(ids, own, stored, documents, postings, limit)


def followed_terms(mine: set[str], stored: dict[str, int] | None, documents: int) -> set[str]:
    """The terms whose postings are read: the stored frequencies name the useful ones; when
    the table is not the index's (``stored`` None), every own term's postings are read, and
    counted (:func:`scored`)."""
    ceiling = _ceiling(documents)
    return mine if stored is None else {t for t, df in stored.items() if df <= ceiling}


def _ceiling(documents: int) -> float:
    """The most articles a followed term may be kept by."""
    return max(MIN_COMMON, documents * COMMON_SHARE)


def scored(
    ids: Sequence[int],
    own: Sequence[tuple[int, str, float]],
    stored: dict[str, int] | None,
    documents: int,
    postings: Sequence[tuple[int, str, float]],
    limit: int,
) -> dict[int, list[Scored]]:
    """The suggestions for each of ``ids`` from what a lookup read: the articles' ``own``
    (article, term, weight) rows, the ``stored`` document frequencies of their terms (None
    when the table is not the index's), the number of indexed ``documents``, and the
    ``postings`` of the followed terms (:func:`followed_terms`)."""
    if not own:
        return {}
    followed = followed_terms({term for _, term, _ in own}, stored, documents)
    ceiling = _ceiling(documents)
    frequency = Counter(term for _, term, _ in postings) if stored is None else stored
    useful = {term for term in followed if frequency.get(term, 0) <= ceiling}
    if not useful:
        return {}
    weight_of = {term: idf(documents, frequency[term]) ** 2 for term in useful}
    carrying: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for article_id, term, weight in postings:
        if term in useful:
            carrying[term].append((article_id, weight))
    vectors: dict[int, dict[str, float]] = defaultdict(dict)
    for article_id, term, weight in own:
        if term in useful:
            vectors[article_id][term] = weight
    return {pk: _best(pk, vectors.get(pk, {}), carrying, weight_of, limit) for pk in ids}


def _best(
    article_id: int,
    vector: dict[str, float],
    carrying: dict[str, list[tuple[int, float]]],
    weight_of: dict[str, float],
    limit: int,
) -> list[Scored]:
    scores: dict[int, float] = defaultdict(float)
    shared: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for term, mine in vector.items():
        for other, theirs in carrying[term]:
            if other != article_id:
                contribution = weight_of[term] * mine * theirs
                scores[other] += contribution
                shared[other].append((contribution, term))
    best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[: limit * 3]
    return [
        Scored(pk, round(score, 4), "shared words: " + ", ".join(_top_terms(shared[pk])))
        for pk, score in best
    ]


def _top_terms(contributions: list[tuple[float, str]]) -> list[str]:
    return [term for _, term in sorted(contributions, reverse=True)[:3]]
