"""What a running server is waiting on: ``SIGUSR1`` writes the stack of every asyncio task and
every thread of the process to stderr, and the server goes on.

A server that hangs (a shutdown that never ends, a request that never answers) is mostly
idle in the event loop's ``select``: a thread dump alone shows nothing. The task stacks show
which ``await`` each coroutine is stuck in. ``kill -USR1 <pid>`` on a worker's pid.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import signal
import sys
from typing import TextIO

SIGNAL = getattr(signal, "SIGUSR1", None)
"""The signal that asks for the dump (none on Windows: there, nothing is installed)."""


def dump(stream: TextIO | None = None) -> None:
    """Write every task's stack, then every thread's, to ``stream`` (stderr by default)."""
    out = stream if stream is not None else sys.stderr
    tasks = asyncio.all_tasks()
    print(f"--- gqlnews: {len(tasks)} asyncio task(s) ---", file=out)
    for task in sorted(tasks, key=lambda t: t.get_name()):
        task.print_stack(file=out)
    print("--- gqlnews: threads ---", file=out)
    out.flush()
    with contextlib.suppress(AttributeError, ValueError, OSError):  # no file descriptor
        faulthandler.dump_traceback(file=out, all_threads=True)
    out.flush()


def install(loop: asyncio.AbstractEventLoop) -> bool:
    """Dump on :data:`SIGNAL` in ``loop``; False where signals cannot be handled there."""
    if SIGNAL is None:
        return False
    try:
        loop.add_signal_handler(SIGNAL, dump)
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, Windows
        return False
    return True
