"""The garbage collector while the app serves (``gqlnews.collector``): startup's objects
frozen, young collections less often, and everything put back when the last app stops."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest

from gqlnews.collector import tuned
from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.helpers import app_database


class _Cycle:
    """An object that only the collector frees (it refers to itself)."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def _collector_as_found() -> Iterator[None]:
    """Each test starts and ends with the collector as the process had it."""
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    yield
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)


def test_tuned_freezes_and_sets_the_young_threshold_then_puts_them_back() -> None:
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    with tuned(12_345):
        assert gc.get_threshold() == (12_345, *threshold[1:])
        assert gc.get_freeze_count() > frozen + 1000  # the test process's own objects
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)


def test_zero_leaves_the_collector_as_it_is() -> None:
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    with tuned(0):
        assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)


def test_cycles_made_while_tuned_are_still_collected_without_asking() -> None:
    """Young collections come less often, not never: cycles made while serving go after a
    few thousand new objects, with no ``gc.collect()``."""
    with tuned(1000):
        first = weakref.ref(_Cycle())
        assert first() is not None  # only a collection frees it
        for _ in range(5000):
            _Cycle()
        assert first() is None


def test_apps_that_overlap_share_it_and_the_last_to_stop_puts_it_back() -> None:
    """Tests run several apps in one process, and they need not stop in the order they
    started: the first sets the collector up, the last puts back what the first found."""
    threshold = gc.get_threshold()
    first, second = ExitStack(), ExitStack()
    first.enter_context(tuned(5000))
    second.enter_context(tuned(7000))
    assert gc.get_threshold()[0] == 5000
    first.close()
    assert gc.get_threshold()[0] == 5000 and gc.get_freeze_count() > 0
    second.close()
    assert gc.get_threshold() == threshold


@pytest.mark.parametrize("threshold", [0, 4321])
async def test_the_app_sets_the_collector_up_while_it_runs(threshold: int) -> None:
    found = gc.get_threshold()
    async with app_database() as url:
        settings = Settings(database_url=url, gc_threshold=threshold, scheduler_interval=0)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                answer = await http.post("/graphql", json={"query": "{ sections { slug } }"})
            assert answer.json() == {"data": {"sections": []}}
            assert gc.get_threshold()[0] == (threshold or found[0])
            assert (gc.get_freeze_count() > 0) is (threshold > 0)
    assert gc.get_threshold() == found
