"""CPU time of the processes a benchmark drives, read from Linux's ``/proc``: a server's
whole process tree (uvicorn's parent and its workers), and a local PostgreSQL server's
processes (every process named ``postgres``: the backends serving the benchmark's
connections, and the server's own helpers). The time a process spent before it ends is lost,
so take the readings while the server runs (pooled backends live as long as their pool)."""

from __future__ import annotations

import os
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(name, parent pid, user + system CPU seconds) of a process, or None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def _all() -> dict[int, tuple[str, int, float]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            found[int(entry.name)] = stat
    return found


def tree_seconds(root: int) -> float:
    """CPU seconds used so far by process ``root`` and its descendants alive now."""
    processes = _all()
    children: dict[int, list[int]] = {}
    for pid, (_, parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in processes:
            total += processes[pid][2]
        todo.extend(children.get(pid, []))
    return total


def postgres_seconds() -> float:
    """CPU seconds used so far by the local PostgreSQL server's processes alive now."""
    return sum(seconds for name, _, seconds in _all().values() if name.startswith("postgres"))
