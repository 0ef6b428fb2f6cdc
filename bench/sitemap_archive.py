"""Check: the sitemaps of an imported archive list exactly its published articles.

Imports an archive (default ../shared/datasets/newsroom-10k.jsonl.gz, from the repository
root) with the real ``gqlnews import`` into a fresh database (a temporary SQLite file, or the
empty database --database-url names), then reads ``/sitemap.xml`` and every monthly sitemap it
lists through the app, and asserts, against the archive file itself (not the database):

- one or more files per month of publication, each with at most --max-urls URLs (default
  50,000, the protocol's limit; a smaller value exercises the split), each under 50 MB;
- per month, the URLs are exactly the articles the archive marks ``published`` with a
  publication time already passed (so no draft or scheduled article), each once;
- the Google News sitemap holds exactly the published articles of the last 48 hours.

Prints a summary and exits 1 on the first failed assertion. The test suite runs it on the
500-article sample (tests/test_sitemap_archive.py); the full archive takes a minute:

    .venv/bin/python bench/sitemap_archive.py
    .venv/bin/python bench/sitemap_archive.py --max-urls 100
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from gqlnews.server import create_app
from gqlnews.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARCHIVE = ROOT.parent / "shared" / "datasets" / "newsroom-10k.jsonl.gz"
GQLNEWS = Path(sys.executable).with_name("gqlnews")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAX_BYTES = 50 * 1024 * 1024


def expected(archive: Path, now: datetime) -> tuple[dict[str, set[str]], set[str], set[str]]:
    """From the archive file: published slugs by month, the slugs that must never appear, and
    the slugs of the last 48 hours."""
    opener = gzip.open if archive.read_bytes()[:2] == b"\x1f\x8b" else open
    months: dict[str, set[str]] = defaultdict(set)
    hidden: set[str] = set()
    recent: set[str] = set()
    with opener(archive, "rt", encoding="utf-8") as lines:
        for text in lines:
            line = json.loads(text)
            if line.get("type") != "article":
                continue
            extension = line["ninjs"]["gqlnews"]
            slug, stamp = extension["slug"], extension["published_at"]
            published = datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None
            if extension["status"] != "published" or published is None or published > now:
                hidden.add(slug)
                continue
            months[published.strftime("%Y-%m")].add(slug)
            if published >= now - timedelta(hours=48):
                recent.add(slug)
    return months, hidden, recent


def _locs(body: bytes, tag: str) -> list[str]:
    root = ET.fromstring(body)
    return [str(e.findtext(f"{SM}loc")) for e in root.iter(f"{SM}{tag}")]


async def check(url: str, archive: Path, max_urls: int) -> str:
    """Run every assertion on the database at ``url``; the summary line."""
    now = datetime.now(UTC)
    months, hidden, recent = expected(archive, now)
    settings = Settings(
        database_url=url,
        site_url="https://www.lequotidien.example",
        sitemap_max_urls=max_urls,
        rate_limit_per_minute=0,
        scheduler_interval=0,
        log_level="WARNING",
    )
    app = create_app(settings)
    found: dict[str, list[str]] = defaultdict(list)
    files = 0
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
            index = await http.get("/sitemap.xml")
            assert index.status_code == 200, index.text
            for loc in _locs(index.content, "sitemap")[1:]:
                answer = await http.get(loc.removeprefix("http://api.test"))
                assert answer.status_code == 200, (loc, answer.text)
                assert len(answer.content) < MAX_BYTES, f"{loc} weighs {len(answer.content)} bytes"
                urls = _locs(answer.content, "url")
                assert 0 < len(urls) <= max_urls, f"{loc} has {len(urls)} URLs"
                month = loc.rsplit("/articles-", 1)[1][:7]
                found[month].extend(u.rsplit("/", 1)[1] for u in urls)
                files += 1
            news = await http.get("/sitemaps/news.xml")
            news_slugs = {u.rsplit("/", 1)[1] for u in _locs(news.content, "url")}
    assert sorted(found) == sorted(months), (sorted(found), sorted(months))
    for month, slugs in found.items():
        assert len(slugs) == len(set(slugs)), f"{month}: an article is listed twice"
        assert set(slugs) == months[month], f"{month}: the URLs are not the published articles"
    listed = {slug for slugs in found.values() for slug in slugs}
    assert not listed & hidden, f"unpublished articles listed: {sorted(listed & hidden)[:5]}"
    assert news_slugs == recent, (len(news_slugs), len(recent))
    total = sum(len(s) for s in months.values())
    return (
        f"ok: {total} published articles in {len(months)} months, {files} monthly files "
        f"(at most {max_urls} URLs each), {len(hidden)} unpublished never listed, "
        f"{len(recent)} in the news sitemap"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--database-url", help="an empty database (default: a temporary file)")
    parser.add_argument("--max-urls", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite://{folder}/archive.sqlite3"
        started = time.perf_counter()
        done = subprocess.run(
            [str(GQLNEWS), "--database-url", url, "import", str(args.archive)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(done.stdout, done.stderr, file=sys.stderr)
            return 1
        imported = time.perf_counter() - started
        started = time.perf_counter()
        try:
            summary = asyncio.run(check(url, args.archive, args.max_urls))
        except AssertionError as exc:
            print(f"FAILED: {exc}", file=sys.stderr)
            return 1
        print(f"{summary}; import {imported:.1f} s, checks {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
