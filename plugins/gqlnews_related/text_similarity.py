"""Text similarity: the articles whose distinctive words are the article's own."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from gqlnews.api import Article, Scored, depends_on
from gqlnews_related.caching import INDEX_KEY
from gqlnews_related.models import TextPosting
from gqlnews_related.text_index import idf, stored_frequencies

COMMON_SHARE = 0.02
"""A term among the top terms of more than this share of the archive is not followed: it
says little and its list of articles is long."""
MIN_COMMON = 25


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
        own = await TextPosting.filter(article_id__in=ids).values_list(
            "article_id", "term", "weight"
        )
        if not own:
            return {}
        mine = {term for _, term, _ in own}
        stored, documents = await stored_frequencies(mine)
        ceiling = max(MIN_COMMON, documents * COMMON_SHARE)
        # The stored frequencies name the useful terms, whose postings are then read; when
        # the table is not the index's (articles deleted since the indexer's last round),
        # every own term's postings are read and counted: the same answer, a longer read.
        followed = mine if stored is None else {t for t, df in stored.items() if df <= ceiling}
        postings = (
            await TextPosting.filter(term__in=followed).values_list("article_id", "term", "weight")
            if followed
            else []
        )
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
