"""What a request loaded goes with it: once the answer is built, the rows and model instances
its loaders held are freed at once, not left in reference cycles for the garbage collector
(which costs every request a share of a full collection; ``Loaders.release``)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gqlnews.documents import document_hash
from gqlnews.graphql.loaders import Loaders
from gqlnews.graphql.types.article import Article

PAGES = Path(__file__).resolve().parent.parent / "examples" / "queries"


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _watch(monkeypatch: pytest.MonkeyPatch) -> list[weakref.ref[Any]]:
    """Weak references to every article instance and every loader the requests make."""
    watched: list[weakref.ref[Any]] = []
    from_model = Article.from_model.__func__  # type: ignore[attr-defined]

    def watching(cls: type[Article], model: Any) -> Article:
        watched.append(weakref.ref(model))
        return from_model(cls, model)  # type: ignore[no-any-return]

    monkeypatch.setattr(Article, "from_model", classmethod(watching))
    made = Loaders.__init__

    def init(self: Loaders, *args: Any) -> None:
        made(self, *args)
        watched.append(weakref.ref(self.section))

    monkeypatch.setattr(Loaders, "__init__", init)
    return watched


@pytest.mark.parametrize("planned", [False, True], ids=["executed", "planned"])
async def test_a_front_page_leaves_nothing_for_the_collector(
    client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    collector_off: None,
    planned: bool,
) -> None:
    query = (PAGES / "front-page.graphql").read_text()
    body: dict[str, Any] = {"query": query}
    if planned:
        body["extensions"] = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(query)}}
    await client.post("/graphql", json=body)  # the caches of the process are warm
    watched = _watch(monkeypatch)
    answer = await client.post("/graphql", json=body)
    assert answer.status_code == 200 and b'"errors"' not in answer.content
    assert len(watched) > 10
    alive = [ref() for ref in watched if ref() is not None]
    assert alive == []
