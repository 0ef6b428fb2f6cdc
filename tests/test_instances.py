"""Prebuilt statements make the same model instances as Tortoise's executor
(:class:`gqlnews.graphql.rows.Instances`, used by :func:`gqlnews.graphql.prepared.select`):
every attribute, with the same values of the same types (enum members, aware date-times,
None, JSON, booleans), for every model the demo newsroom fills, on both databases; statements
that select something else (a related model, an annotation, some columns only) still get
Tortoise's instances."""

from __future__ import annotations

from typing import Any

import pytest
from tortoise import connections
from tortoise.exceptions import BaseORMException
from tortoise.functions import Count
from tortoise.models import Model

from gqlnews.demo import DemoSummary
from gqlnews.graphql.prepared import select
from gqlnews.graphql.rows import Instances
from gqlnews.models import (
    Article,
    ArticleAuthor,
    ArticleSection,
    ArticleTag,
    Author,
    Edition,
    Image,
    Section,
    Supplement,
    Tag,
)
from tests.test_rows import typed

MODELS = [
    Article,
    ArticleSection,
    ArticleAuthor,
    ArticleTag,
    Author,
    Edition,
    Supplement,
    Image,
    Section,
    Tag,
]


def _state(instance: Model) -> list[tuple[str, tuple[Any, ...]]]:
    """Everything an instance holds, typed, in the order it was set."""
    return [(name, typed(value)) for name, value in vars(instance).items()]


async def _both(queryset: Any) -> tuple[list[Model], list[Model]]:
    """Tortoise's instances of ``queryset`` and those :func:`select` makes of its statement."""
    model = queryset.model
    db = connections.get("default")
    queryset._choose_db_if_not_chosen()
    queryset._make_query()
    sql, params = queryset.query.get_parameterized_sql()
    expected = list(await queryset)
    related, annotations = queryset._select_related_idx, tuple(queryset._annotations)
    found = await select(model, db, sql, list(params), related, annotations)
    return expected, found


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
async def test_instances_hold_what_tortoises_hold(demo: DemoSummary, model: Any) -> None:
    expected, found = await _both(model.all().order_by("id"))
    assert expected, f"the demo has no {model.__name__}"
    assert [type(i) for i in found] == [model] * len(expected)
    assert [_state(i) for i in found] == [_state(i) for i in expected]


async def test_an_instance_works_as_tortoises_does(demo: DemoSummary) -> None:
    """Relations, saving and refreshing behave on a made instance as on Tortoise's."""
    _, found = await _both(Article.filter(image_id__not_isnull=True).order_by("id").limit(1))
    article = found[0]
    assert (await article.image).pk == article.image_id
    assert (await article.primary_section).pk == article.primary_section_id
    article.title = "Changed"
    await article.save(update_fields=["title"])
    assert (await Article.get(pk=article.pk)).title == "Changed"


async def test_other_statements_are_left_to_tortoise(
    demo: DemoSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Any] = []
    original = Instances.records

    def spied(self: Instances[Any], records: Any, dialect: str) -> Any:
        made.append(self.model)
        return original(self, records, dialect)

    monkeypatch.setattr(Instances, "records", spied)
    related = ArticleSection.all().select_related("section").order_by("id").limit(5)
    expected, found = await _both(related)
    assert [_state(i.section) for i in found] == [_state(i.section) for i in expected]
    counted = Section.all().annotate(n=Count("id")).group_by("id").order_by("id")
    expected, found = await _both(counted)
    assert [(i.pk, i.n) for i in found] == [(i.pk, i.n) for i in expected]
    assert made == []  # both ran through Tortoise's executor


@pytest.mark.parametrize(
    "columns",
    [("id", "title"), ("title", "id", "published_at", "status", "image_id", "genre")],
    ids=["two", "of-each-kind"],
)
async def test_some_columns_make_partial_instances_as_tortoise_does(
    demo: DemoSummary, columns: tuple[str, ...]
) -> None:
    """A statement of some of the model's columns (``.only()``, as the article lists read
    their teasers) makes partial instances holding those columns, converted as Tortoise
    converts them (enums, aware date-times), and marked partial: they cannot be saved.
    (Tortoise sets their attributes in an order that depends on which column its first pass
    missed; the values are what count.)"""
    some = Article.all().only(*columns).order_by("id").limit(3)
    expected, found = await _both(some)
    assert len(found) == 3 and all(i._partial for i in found)
    assert [sorted(_state(i)) for i in found] == [sorted(_state(i)) for i in expected]
    assert not hasattr(found[0], "body_html")
    with pytest.raises((AttributeError, BaseORMException)):
        await found[0].save()
