"""SIGUSR1 makes a server write what each of its tasks and threads is waiting on."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from gqlnews.observability import stacks


async def _stuck_in_here(event: asyncio.Event) -> None:
    await event.wait()


async def test_the_dump_names_each_task_and_where_it_waits(tmp_path: Path) -> None:
    event = asyncio.Event()
    task = asyncio.create_task(_stuck_in_here(event), name="gqlnews-example")
    await asyncio.sleep(0)
    with (tmp_path / "dump.txt").open("w") as out:
        stacks.dump(out)
    event.set()
    await task
    text = (tmp_path / "dump.txt").read_text()
    assert "asyncio task(s)" in text and "name='gqlnews-example'" in text
    assert "in _stuck_in_here" in text
    assert "--- gqlnews: threads ---" in text and "Current thread" in text


@pytest.mark.skipif(stacks.SIGNAL is None, reason="no SIGUSR1 on this system")
async def test_sigusr1_dumps_to_stderr_and_the_process_goes_on(
    capfd: pytest.CaptureFixture[str],
) -> None:
    loop = asyncio.get_running_loop()
    assert stacks.install(loop)
    try:
        event = asyncio.Event()
        task = asyncio.create_task(_stuck_in_here(event), name="gqlnews-signalled")
        os.kill(os.getpid(), signal.SIGUSR1)
        await asyncio.sleep(0.2)
        event.set()
        await task
    finally:
        loop.remove_signal_handler(signal.SIGUSR1)
    err = capfd.readouterr().err
    assert "name='gqlnews-signalled'" in err and "in _stuck_in_here" in err
