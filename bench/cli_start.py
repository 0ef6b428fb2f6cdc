"""Start time of the ``gqlnews`` command: the median wall time of ``gqlnews --help`` and of
``gqlnews check`` on a new SQLite file in a temporary folder (nothing is created there).

    .venv/bin/python bench/cli_start.py [--runs 5] [--code DIR]...

Each ``--code DIR`` also measures another copy of the code (``DIR/src`` and ``DIR/plugins``
put first on ``PYTHONPATH``, e.g. a copy of the previous commit), in the same session, so
that before and after are compared on the same machine load. One warm-up run of each
command (it writes the bytecode caches) is not counted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GQLNEWS = Path(sys.executable).with_name("gqlnews")


def _wall(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(GQLNEWS), *args], env=env, capture_output=True, check=False)
    return time.perf_counter() - started


def _check_args(folder: Path, run: int) -> list[str]:
    return ["--database-url", f"sqlite://{folder}/fresh-{run}.sqlite3", "check"]


def measure(code: Path | None, runs: int) -> dict[str, list[float]]:
    """Wall times of each command, ``runs`` times (``code``: another copy of the code)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GQLNEWS_")}
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code / "src"), str(code / "plugins")])
    folder = Path(tempfile.mkdtemp(prefix="gqlnews-cli-start-"))
    try:
        _wall(["--help"], env)
        _wall(_check_args(folder, -1), env)
        times: dict[str, list[float]] = {"gqlnews --help": [], "gqlnews check": []}
        for run in range(runs):
            times["gqlnews --help"].append(_wall(["--help"], env))
            times["gqlnews check"].append(_wall(_check_args(folder, run), env))
        return times
    finally:
        shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", type=Path, action="append", default=[])
    options = parser.parse_args()
    print(f"median of {options.runs} runs, seconds (load average {os.getloadavg()[0]:.2f})")
    for code in [*options.code, None]:
        label = f"code in {code}" if code else "this checkout"
        for command, times in measure(code, options.runs).items():
            spread = ", ".join(f"{t:.2f}" for t in times)
            print(f"{label:<28} {command:<16} {statistics.median(times):.2f}  ({spread})")


if __name__ == "__main__":
    main()
