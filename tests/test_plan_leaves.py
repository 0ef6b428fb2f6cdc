"""A plan's leaves answer what graphql-core's serialisers answer: Int and Boolean values of
their exact type pass as they are, an enum's answers are remembered per value
(``gqlnews.graphql.plans.run``), and what the serialisers refuse makes the plan give way."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLBoolean, GraphQLInt, GraphQLNonNull, GraphQLString

from gqlnews.graphql.plans import run
from gqlnews.graphql.plans.shape import Completion, _Builder
from gqlnews.graphql.schema import build_schema
from gqlnews.models import TagKind
from gqlnews.settings import Settings


def _completion(type_: Any) -> Completion:
    builder = _Builder(lambda _type, _details: {}, lambda _type: [])  # type: ignore[arg-type,return-value]
    return builder.completion(type_, [])


def _answers(completion: Completion, raw: list[Any]) -> list[Any]:
    plan = run._Plan.__new__(run._Plan)  # a leaf's completion uses nothing of the walk
    return plan._complete(None, completion, raw, [])  # type: ignore[arg-type]


def _serialized(type_: Any, raw: list[Any]) -> list[Any]:
    return [None if value is None else type_.serialize(value) for value in raw]


def test_int_and_boolean_values_answer_as_their_serialisers() -> None:
    ints = [0, 7, -(2**31), 2**31 - 1, None, True, False, 3.0, "12"]
    int_completion = _completion(GraphQLInt)
    assert int_completion.plain is int
    answers = _answers(int_completion, ints)
    assert answers == _serialized(GraphQLInt, ints)
    assert [type(a) for a in answers] == [type(s) for s in _serialized(GraphQLInt, ints)]
    booleans = [True, False, None, 1, 0, 0.0]
    bool_completion = _completion(GraphQLBoolean)
    assert bool_completion.plain is bool
    assert _answers(bool_completion, booleans) == _serialized(GraphQLBoolean, booleans)
    assert _completion(GraphQLNonNull(GraphQLString)).plain is None


@pytest.mark.parametrize("value", [2**31, -(2**31) - 1, 2.5, "seven", [1]])
def test_an_int_its_serialiser_refuses_gives_way_to_execution(value: object) -> None:
    with pytest.raises(run.Fallback):
        _answers(_completion(GraphQLInt), [1, value])


def test_enum_answers_are_kept_per_value_and_match_the_serialiser() -> None:
    enum_type = build_schema(Settings())._schema.type_map["TagKind"]
    completion = _completion(enum_type)
    assert completion.answers == {}
    raw = [TagKind.PLACE, None, TagKind.PERSON, TagKind.PLACE]
    assert _answers(completion, raw) == _serialized(enum_type, raw)
    assert len(completion.answers) == 2  # type: ignore[arg-type]
    completion.answers[(TagKind, TagKind.PLACE)] = "KEPT"  # type: ignore[index]
    assert _answers(completion, [TagKind.PLACE]) == ["KEPT"]  # read from what was kept
    with pytest.raises(run.Fallback):
        _answers(completion, ["not a kind"])
    with pytest.raises(run.Fallback):
        _answers(completion, [["unhashable"]])
