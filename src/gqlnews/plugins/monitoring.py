"""``GQLNEWS_LOG_HOOKS``: every hook call logged with its duration, through pluggy's call
monitoring (:meth:`pluggy.PluginManager.add_hookcall_monitoring`).

pluggy times the call itself: for a plain-function hook, the implementations' work; for an
``async def`` one, only the making of its coroutines. The awaiting is timed where it happens
(:mod:`gqlnews.plugins.calls`), in a second line ``hook … awaited in …``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence

import pluggy

from gqlnews.plugins.calls import Answer

log = logging.getLogger("gqlnews.plugins")


def log_hook_calls(pm: pluggy.PluginManager) -> Callable[[], None]:
    """Log each hook call of ``pm`` (``hook <name> called in <ms> (<plugin> <ms>, …)``) at
    INFO on ``gqlnews.plugins``; returns the undo."""
    started: list[float] = []

    def before(
        hook_name: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, object]
    ) -> None:
        started.append(time.perf_counter())

    def after(
        outcome: pluggy.Result[object],
        hook_name: str,
        impls: Sequence[pluggy.HookImpl],
        kwargs: Mapping[str, object],
    ) -> None:
        elapsed = time.perf_counter() - started.pop()
        answers = outcome.get_result() if outcome.exception is None else []
        parts = [
            f"{answer.plugin} {answer.seconds * 1000:.3f} ms"
            for answer in (answers if isinstance(answers, list) else [])
            if isinstance(answer, Answer)
        ]
        log.info(
            "hook %s called in %.3f ms (%s)",
            hook_name,
            elapsed * 1000,
            ", ".join(parts) or "no implementation",
            extra={"hook": hook_name, "duration_ms": round(elapsed * 1000, 3)},
        )

    return pm.add_hookcall_monitoring(before, after)
