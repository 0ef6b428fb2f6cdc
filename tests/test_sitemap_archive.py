"""The sitemaps of an imported archive list exactly its published articles: the 500-article
sample of ../shared/datasets through bench/sitemap_archive.py (the 10k archive runs there, by
hand: see bench/feeds-results.md), with a small URL limit so that months split."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import scratch_database_url

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "datasets" / "newsroom-500.jsonl"


@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/datasets is not here")
async def test_the_sample_archive_sitemaps_hold_exactly_its_published_articles() -> None:
    async with scratch_database_url() as url:
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "sitemap_archive.py"),
                "--archive",
                str(SAMPLE),
                "--database-url",
                url,
                "--max-urls",
                "10",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ok: 471 published articles in 32 months, 61 monthly files" in done.stdout
    assert "29 unpublished never listed" in done.stdout
