"""The cost of calling a hook: the host's hand-written loop over the implementations (the
code before hooks went through pluggy's callers) against pluggy's caller with each
implementation guarded (today), with and without ``GQLNEWS_LOG_HOOKS``.

    .venv/bin/python bench/hook_calls.py [--old PATH] [--calls 20000] [--rounds 5]

``--old`` is a copy of the former ``src/gqlnews/plugins/calls.py`` (``git show
12c6080:src/gqlnews/plugins/calls.py > ../old_calls.py``); without it only today's code is
timed. Each line is the median over the rounds of the time per call (µs), for a sync hook
(``gqlnews_routes``, collected with ``call_list_sync``) and an async one
(``gqlnews_before_publish``, ``call_list``), with 3 plugins implementing both.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import statistics
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from gqlnews.plugins import call_list, call_list_sync, hookimpl, make_plugin_manager
from gqlnews.settings import Settings


class _Plugin:
    @hookimpl
    def gqlnews_routes(self) -> list[object]:
        return []

    @hookimpl
    async def gqlnews_before_publish(self, article: object) -> list[str]:
        return []


def _manager(log_hooks: bool) -> Any:
    settings = Settings(disabled_plugins="related,ranking,editorial", log_hooks=log_hooks)
    return make_plugin_manager(settings, [(f"p{n}", _Plugin()) for n in range(3)])


def _time(calls: int, rounds: int, once: Callable[[], Any]) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            once()
        timings.append((time.perf_counter() - started) / calls * 1e6)
    return statistics.median(timings)


def _load(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("old_calls", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", default="")
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("gqlnews.plugins").disabled = True  # time the monitoring, not the output
    loop = asyncio.new_event_loop()
    rows: list[tuple[str, Any, Any, Any]] = []
    if args.old:
        old = _load(args.old)
        # the old loop called impl.function directly: give it unguarded implementations
        plain = make_plugin_manager(Settings(disabled_plugins="related,ranking,editorial"))
        for n in range(3):
            super(type(plain), plain).register(_Plugin(), name=f"p{n}")
        rows.append(("before: hand-written loop", plain, old.call_list_sync, old.call_list))
    rows.append(("now: pluggy caller, guarded", _manager(False), call_list_sync, call_list))
    rows.append(("now, GQLNEWS_LOG_HOOKS=true", _manager(True), call_list_sync, call_list))
    print("| code | sync hook (µs/call) | async hook (µs/call) |\n|---|---:|---:|")
    for name, pm, sync_call, async_call in rows:
        print(_row(name, pm, sync_call, async_call, args.calls, args.rounds, loop))


def _row(
    name: str,
    pm: Any,
    sync_call: Any,
    async_call: Any,
    calls: int,
    rounds: int,
    loop: asyncio.AbstractEventLoop,
) -> str:
    settings, article = Settings(), object()
    sync = _time(calls, rounds, lambda: sync_call(pm, "gqlnews_routes", settings=settings))
    asynchronous = _time(
        calls,
        rounds,
        lambda: loop.run_until_complete(async_call(pm, "gqlnews_before_publish", article=article)),
    )
    return f"| {name} | {sync:.1f} | {asynchronous:.1f} |"


if __name__ == "__main__":
    main()
