"""Rebuild ``newsroom-sample.jsonl.gz`` from the shared dataset (run from the repository root).

    python tests/data/make_sample.py ../shared/datasets/newsroom-500.jsonl

Keeps every reference line and 60 articles: all drafts, ten scheduled articles, every article
of a supplement, one article of each genre, then published articles in file order (a mix of
printed and web-only, with and without an image) up to 60.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

ARTICLES = 60
TARGET = Path(__file__).with_name("newsroom-sample.jsonl.gz")


def _pick(articles: list[Any]) -> list[Any]:
    def ext(line: Any) -> Any:
        return line["ninjs"]["gqlnews"]

    chosen: dict[int, Any] = {}

    def take(line: Any) -> None:
        if len(chosen) < ARTICLES:
            chosen[int(ext(line)["id"])] = line

    for line in articles:
        if ext(line)["status"] == "draft" or ext(line)["supplement"]:
            take(line)
    for line in [a for a in articles if ext(a)["status"] == "scheduled"][:10]:
        take(line)
    genres: set[str] = set()
    for line in articles:
        genre = line["ninjs"]["genres"][0]["name"]
        if genre not in genres:
            genres.add(genre)
            take(line)
    for line in articles:
        take(line)
    return [chosen[key] for key in sorted(chosen)]


def main(source: str) -> None:
    lines = [json.loads(text) for text in Path(source).read_text(encoding="utf-8").splitlines()]
    references = [line for line in lines if line["type"] != "article"]
    articles = _pick([line for line in lines if line["type"] == "article"])
    payload = "".join(
        json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"
        for line in references + articles
    )
    with gzip.GzipFile(TARGET, "wb", mtime=0) as out:
        out.write(payload.encode("utf-8"))
    print(f"wrote {TARGET}: {len(references)} reference lines, {len(articles)} articles")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/newsroom-500.jsonl")
