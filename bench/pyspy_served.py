"""Profile: where a served worker's time goes under load, sampled by py-spy.

Starts one `gqlnews serve` worker (the demo newsroom in a fresh SQLite file, or
``--database-url``; response cache and rate limits off), drives it with wrk at
``--connections`` with one page (an example page's name or a JSON body's path; ``--planned``
sends its APQ hash, so it runs as a plan), attaches py-spy after a warm-up and records
``--seconds`` of samples, then prints where they fall:

- by file, self time (the frame on top of the stack);
- by function, inclusive (every function on the stack);
- by what the event loop ran (the first frame under ``Runner.run`` that is not asyncio's:
  a request, a plan's task, a background loop).

``--gil`` (the default) samples only the thread holding the interpreter's lock: Python's
CPU. ``--threads`` samples every thread, waiting included, per thread: then a statement SQLite
runs without the lock (the reader in the event loop's thread) shows as wall time.

    .venv/bin/pip install py-spy   # not a dependency of the project
    .venv/bin/python bench/pyspy_served.py --planned --seconds 15 [--case q1.json]
        [--database-url U] [--connections 8] [--threads] [--top 40] [--raw OUT]

The sixteenth round of bench/plans-results.md reads these tables (its front page on the
SQLite demo, q1, q2 and q5 on the 10k archive).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from plans import _free_port
from run import case_body, served, served_demo_env, with_apq, wrk_command

_LINE = re.compile(r":\d+\)")
_FILE = re.compile(r"\(([^()]*)\)$")


def _short(path: str) -> str:
    for marker in ("site-packages/", "/src/", "/plugins/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def _stacks(raw: Path, threads: bool) -> list[tuple[list[str], int]]:
    """py-spy's raw samples: the frames of each stack (thread first with ``threads``)."""
    found = []
    for line in raw.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        stack, count = line.rsplit(" ", 1)
        frames = [_LINE.sub(")", frame) for frame in stack.split(";")]
        if threads:
            frames = [frames[0].split(":", 1)[-1].strip(), *frames[1:]]
        found.append((frames, int(count)))
    return found


def _table(title: str, counts: collections.Counter[str], total: int, top: int) -> str:
    rows = [f"{100 * n / total:5.1f} %  {name[:150]}" for name, n in counts.most_common(top)]
    return f"\n{title} ({total} samples)\n" + "\n".join(rows)


def report(raw: Path, threads: bool, top: int) -> str:
    """The three tables of the module's docstring, for py-spy's ``--format raw`` file."""
    stacks = _stacks(raw, threads)
    total = sum(count for _frames, count in stacks) or 1
    by_file: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    by_task: collections.Counter[str] = collections.Counter()
    for frames, count in stacks:
        match = _FILE.search(frames[-1])
        by_file[_short(match.group(1)) if match else frames[-1]] += count
        under = next((i for i, frame in enumerate(frames) if "Runner.run" in frame), None)
        below = frames if under is None else frames[under + 1 :]
        for name in {re.sub(r"\(/\S*?(site-packages|src|plugins)/", "(", f) for f in below}:
            inclusive[name] += count
        if under is None:
            by_task[frames[0]] += count
            continue
        rest = [frame for frame in below if "asyncio/" not in frame]
        by_task[rest[0] if rest else "the event loop itself"] += count
    return "".join(
        (
            _table("Self time by file", by_file, total, top),
            _table("Inclusive, by function (below the event loop)", inclusive, total, top),
            _table("What the event loop ran", by_task, total, top),
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--case", default="front-page")
    parser.add_argument("--planned", action="store_true", help="send the page's APQ hash too")
    parser.add_argument("--database-url", default="", help="Default: the demo in a temp file.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--rate", type=int, default=200, help="py-spy's samples a second")
    parser.add_argument("--threads", action="store_true", help="every thread, not the GIL's")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--raw", type=Path, help="keep py-spy's raw samples here")
    args = parser.parse_args()
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if shutil.which("wrk") is None or not Path(py_spy).exists():
        raise SystemExit("needs wrk (Debian: apt-get install wrk) and py-spy (pip install py-spy)")
    body = case_body(args.case)
    if args.planned:
        body = with_apq(body)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = served_demo_env(tmp, args.database_url)
        with served(env, _free_port()) as (server, url):
            command = wrk_command(
                url, json.dumps(body).encode(), args.connections, args.seconds + 5, tmp
            )
            load = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            time.sleep(3)  # warm-up: plans compiled, statements prepared, caches filled
            raw = args.raw or tmp / "samples.raw"
            flags = ["--threads", "--idle"] if args.threads else ["--gil"]
            subprocess.run(
                [
                    *(py_spy, "record", "-p", str(server.pid), "-d", f"{args.seconds:g}"),
                    *("-r", str(args.rate), "-f", "raw", "-o", str(raw), *flags),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            out, _ = load.communicate()
        rate = next((line for line in out.splitlines() if "Requests/sec" in line), "")
        print(f"{args.case}, {'planned' if args.planned else 'as sent'}: {rate.strip()}")
        print(report(raw, args.threads, args.top))


if __name__ == "__main__":
    main()
