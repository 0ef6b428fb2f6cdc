"""How good is a related strategy? Precision@k against the stories of an archive.

A newsroom archive groups articles into stories (one news story followed over days: 3–15
articles with their own people, places and invented-for-the-story words). The archive does not
label them, so :func:`story_labels` recovers them from that vocabulary: the words of an article
found in at most ``MAX_STORY`` articles of the archive (a story's own words, not French at
large); two articles sharing at least ``MIN_SHARED`` of them belong to one story, and stories
are the connected groups. On the test archive pairs of articles share either 0–3 such words
(different stories) or 4–10 (the same story), with nothing in between, so the labels do not
depend on a tuned threshold. They are made from the raw archive, never from the index a
strategy uses.

:func:`precision_at_k` then asks the API for ``related(strategy, first: k)`` of every visible
article whose story has at least ``k + 1`` visible articles, and counts the suggestions from
the same story.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from gqlnews_related.french import fold

MAX_STORY = 15
MIN_SHARED = 4
_WORD = re.compile(r"[^\W\d_]+")


class GraphQLClient(Protocol):
    async def data(self, document: str, variables: dict[str, Any] | None = None) -> Any: ...


def _text(ninjs: dict[str, Any]) -> str:
    parts = [h.get("value", "") for h in ninjs.get("headlines", [])]
    parts += [d.get("value", "") for d in ninjs.get("descriptions", [])]
    parts += [re.sub(r"<[^>]+>", " ", b.get("value", "")) for b in ninjs.get("bodies", [])]
    return " ".join(parts)


def read_articles(path: Path) -> list[dict[str, Any]]:
    """The ninjs objects of an archive's article lines (``.jsonl``, or ``.jsonl.gz`` as
    ``gqlnews import`` and ``export`` accept)."""
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            return _articles_of(lines)
    with path.open(encoding="utf-8") as lines:
        return _articles_of(lines)


def _articles_of(lines: Iterable[str]) -> list[dict[str, Any]]:
    return [record["ninjs"] for record in map(json.loads, lines) if record.get("type") == "article"]


def story_labels(articles: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Story number of each article's slug (articles alone in their story are left out)."""
    words = {a["gqlnews"]["slug"]: {fold(w) for w in _WORD.findall(_text(a))} for a in articles}
    frequency = Counter(w for found in words.values() for w in found)
    own = {
        slug: {w for w in found if 2 <= frequency[w] <= MAX_STORY} for slug, found in words.items()
    }
    parent = {slug: slug for slug in own}

    def root(slug: str) -> str:
        while parent[slug] != slug:
            parent[slug] = parent[parent[slug]]
            slug = parent[slug]
        return slug

    carriers: dict[str, list[str]] = defaultdict(list)
    for slug, found in own.items():
        for word in found:
            carriers[word].append(slug)
    shared: Counter[tuple[str, str]] = Counter()
    for slugs in carriers.values():
        shared.update(itertools.combinations(sorted(slugs), 2))
    for (a, b), count in shared.items():
        if count >= MIN_SHARED:
            parent[root(a)] = root(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for slug in own:
        groups[root(slug)].append(slug)
    stories = [sorted(members) for members in groups.values() if len(members) > 1]
    return {slug: number for number, members in enumerate(sorted(stories)) for slug in members}


@dataclass(frozen=True, slots=True)
class Precision:
    """Precision@k of one strategy: mean over the articles asked."""

    strategy: str
    k: int
    articles: int
    precision: float


_PAGE = """
query($after: String, $strategy: String, $k: Int!) {
  articles(first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { slug related(strategy: $strategy, first: $k) { article { slug } } }
  }
}
"""


async def precision_at_k(
    client: GraphQLClient, strategies: Iterable[str], labels: dict[str, int], k: int = 4
) -> list[Precision]:
    """Ask the API for every visible article's suggestions and score them per strategy."""
    results = []
    for strategy in strategies:
        suggestions: dict[str, list[str]] = {}
        after = None
        while True:
            page = (await client.data(_PAGE, {"after": after, "strategy": strategy, "k": k}))[
                "articles"
            ]
            for node in page["nodes"]:
                suggestions[node["slug"]] = [r["article"]["slug"] for r in node["related"] or []]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        visible_in: Counter[int] = Counter(labels[s] for s in suggestions if s in labels)
        asked = [s for s in suggestions if s in labels and visible_in[labels[s]] > k]
        hits = sum(
            sum(1 for other in suggestions[s][:k] if labels.get(other) == labels[s]) for s in asked
        )
        precision = hits / (k * len(asked)) if asked else 0.0
        results.append(Precision(strategy, k, len(asked), round(precision, 3)))
    return results
