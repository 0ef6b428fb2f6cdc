"""Start time of the ``gqlnews`` command: the median wall time of ``gqlnews --help`` and of
``gqlnews check`` on a new SQLite file in a temporary folder (nothing is created there); and
of a plugin's first import, ``python -c "from gqlnews.api import hookimpl"`` (and ``from
gqlnews import hookimpl``, which code without ``gqlnews.api`` has too).

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


PLUGIN_IMPORTS = {
    "import gqlnews.api hookimpl": "from gqlnews.api import hookimpl",
    "import gqlnews hookimpl": "from gqlnews import hookimpl",
}
"""What a plugin's entry-point module imports first, as ``python -c`` code."""


def _wall(args: list[str], env: dict[str, str], program: Path = GQLNEWS) -> float | None:
    """Seconds ``program args`` took; None when it failed."""
    started = time.perf_counter()
    done = subprocess.run([str(program), *args], env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    return elapsed if done.returncode == 0 else None


def _check_args(folder: Path, run: int) -> list[str]:
    return ["--database-url", f"sqlite://{folder}/fresh-{run}.sqlite3", "check"]


def measure(code: Path | None, runs: int) -> dict[str, list[float | None]]:
    """Wall times of each command, ``runs`` times (``code``: another copy of the code)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GQLNEWS_")}
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code / "src"), str(code / "plugins")])
    folder = Path(tempfile.mkdtemp(prefix="gqlnews-cli-start-"))
    try:
        python = Path(sys.executable)
        _wall(["--help"], env)
        _wall(_check_args(folder, -1), env)
        imports = dict(PLUGIN_IMPORTS)
        if code is not None and not (code / "src" / "gqlnews" / "api.py").exists():
            # Not in that code: the editable install would find this checkout's module.
            del imports["import gqlnews.api hookimpl"]
        for line in imports.values():
            _wall(["-c", line], env, python)
        times: dict[str, list[float | None]] = {"gqlnews --help": [], "gqlnews check": []}
        times.update({label: [] for label in imports})
        for run in range(runs):
            times["gqlnews --help"].append(_wall(["--help"], env))
            times["gqlnews check"].append(_wall(_check_args(folder, run), env))
            for label, line in imports.items():
                times[label].append(_wall(["-c", line], env, python))
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
            done = [t for t in times if t is not None]
            if len(done) < len(times):
                print(f"{label:<28} {command:<28} failed")
                continue
            spread = ", ".join(f"{t:.3f}" for t in done)
            print(f"{label:<28} {command:<28} {statistics.median(done):.3f}  ({spread})")


if __name__ == "__main__":
    main()
