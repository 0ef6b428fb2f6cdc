"""Precision@4 of each related strategy against the stories of a newsroom archive.

    .venv/bin/python bench/related_quality.py [--archive PATH ...] [--write]

For each archive: `gqlnews import` into a new SQLite file, `gqlnews related index` (timed),
then `gqlnews related evaluate` (stories recovered from the raw archive, suggestions asked
from the API: see gqlnews_related.evaluation). --write records the output in
bench/related-quality.md.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
DEFAULT_ARCHIVES = [DATASETS / "newsroom-500.jsonl", DATASETS / "newsroom-10k.jsonl.gz"]


def _gqlnews(*args: str) -> str:
    command = Path(sys.executable).with_name("gqlnews")
    env = {**os.environ, "GQLNEWS_RELATED_INDEX_INTERVAL": "0", "GQLNEWS_LOG_LEVEL": "warning"}
    done = subprocess.run(
        [str(command), *args], check=True, capture_output=True, text=True, env=env
    )
    return done.stdout


def measure(archive: Path) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        plain = archive
        if archive.suffix == ".gz":
            plain = Path(folder) / archive.name.removesuffix(".gz")
            plain.write_bytes(gzip.decompress(archive.read_bytes()))
        url = f"sqlite://{folder}/quality.sqlite3"
        _gqlnews("--database-url", url, "import", str(plain))
        started = time.perf_counter()
        indexed = _gqlnews("--database-url", url, "related", "index").strip()
        elapsed = time.perf_counter() - started
        table = _gqlnews("--database-url", url, "related", "evaluate", str(plain))
    return [
        f"## {archive.name}",
        "",
        f"`gqlnews related index` (whole archive, SQLite): {indexed} ({elapsed:.1f} s wall)",
        "",
        "```",
        table.rstrip(),
        "```",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, action="append")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    report = [
        "# Related articles: precision@4 per strategy",
        "",
        "Command: `.venv/bin/python bench/related_quality.py --write` (method in its docstring",
        "and in `plugins/gqlnews_related/evaluation.py`). 2-core machine.",
        "",
    ]
    for archive in args.archive or DEFAULT_ARCHIVES:
        report += measure(archive)
    text = "\n".join(report)
    print(text)
    if args.write:
        (ROOT / "bench" / "related-quality.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
