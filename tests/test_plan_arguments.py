"""A plan's resolvers get their arguments converted as Strawberry converts them, the
conversion remembered per field and values (``gqlnews.graphql.plans.arguments``), without
one request's changes reaching the next."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import strawberry
from strawberry.scalars import JSON
from strawberry.schema.schema_converter import get_arguments
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField

from gqlnews.graphql.plans import arguments


@strawberry.enum
class Side(enum.Enum):
    LEFT = "left"
    RIGHT = "right"


@strawberry.input
class Range:
    low: int
    high: int
    sides: list[Side] | None = None

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low above high")


@dataclass
class Opaque:
    """What a custom scalar may make: not a value a key can hold."""

    text: str


@strawberry.type
class Query:
    @strawberry.field
    def within(self, range: Range, at: datetime | None = None) -> int:
        return range.high - range.low

    @strawberry.field
    def scaled(self, by: float, flag: bool = False) -> float:
        return by

    @strawberry.field
    def opaque(self, value: JSON) -> str:
        return str(value)


SCHEMA = strawberry.Schema(Query)
CONVERTER = SCHEMA.schema_converter
SOURCE = object()


def _field(name: str, of: type = Query) -> StrawberryField:
    definition = get_object_definition(of, strict=True)
    return next(f for f in definition.fields if f.python_name == name)


def _theirs(field: StrawberryField, values: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    return get_arguments(
        field=field,
        source=SOURCE,
        info=None,  # type: ignore[arg-type]
        kwargs=values,
        config=CONVERTER.config,
        scalar_registry=CONVERTER.scalar_registry,
    )


def _ours(field: StrawberryField, values: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    return arguments.resolver_arguments(field, values, None, SOURCE, CONVERTER)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("within", {"range": {"low": 1, "high": 5}}),
        ("within", {"range": {"low": 1, "high": 5, "sides": [Side.LEFT]}, "at": None}),
        ("within", {"range": {"low": 0, "high": 0}, "at": datetime(2026, 1, 2, tzinfo=UTC)}),
        ("scaled", {"by": 2.5, "flag": True}),
    ],
)
def test_arguments_are_those_strawberry_gives_first_and_remembered(
    name: str, values: dict[str, Any]
) -> None:
    field = _field(name)
    expected = _theirs(field, values)
    assert _ours(field, values) == expected  # converted
    assert _ours(field, values) == expected  # remembered


def test_values_of_other_types_are_other_conversions() -> None:
    """1, 1.0 and True are equal in Python: each still gets its own conversion."""
    field = _field("scaled")
    for by in (1, 1.0, True):
        _, named = _ours(field, {"by": by})
        assert type(named["by"]) is type(by) and named["by"] == by


def test_a_resolver_changing_its_arguments_changes_no_other_call() -> None:
    field = _field("within")
    values = {"range": {"low": 1, "high": 5, "sides": [Side.LEFT]}}
    first = _ours(field, values)[1]["range"]
    first.sides.append(Side.RIGHT)
    first.high = 99
    again = _ours(field, values)[1]["range"]
    assert again.sides == [Side.LEFT] and again.high == 5
    again.sides.clear()
    assert _ours(field, values)[1]["range"].sides == [Side.LEFT]


def test_a_conversion_that_fails_fails_every_time() -> None:
    field = _field("within")
    values = {"range": {"low": 5, "high": 1}}
    for _ in range(2):
        with pytest.raises(ValueError, match="low above high"):
            _ours(field, values)


def test_values_that_cannot_be_a_key_are_converted_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    field = _field("opaque")
    kept = len(arguments._kept)
    value = Opaque("x")  # a JSON scalar's value is the coerced value as it came
    assert _ours(field, {"value": value}) == _theirs(field, {"value": value})
    assert len(arguments._kept) == kept


def test_what_is_kept_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(arguments, "MAX_KEPT", 3)
    monkeypatch.setattr(arguments, "_kept", {})
    field = _field("scaled")
    for by in range(10):
        assert _ours(field, {"by": float(by)})[1]["by"] == float(by)
        assert len(arguments._kept) <= 3


def test_an_input_that_builds_itself_is_converted_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An input type with ``from_input`` gets the request's ``info``: its conversion is not
    remembered."""
    made: list[Any] = []

    def from_input(cls: type, value: Any, context: Any) -> Any:
        made.append(context.info)
        return cls(low=value["low"], high=value["high"])

    definition = get_object_definition(Range, strict=True)
    monkeypatch.setattr(definition, "from_input", from_input)
    monkeypatch.setattr(arguments, "_checked", {})
    field = _field("within")
    for info in ("first request", "second request"):
        arguments.resolver_arguments(
            field,
            {"range": {"low": 1, "high": 2}},
            info,
            SOURCE,
            CONVERTER,  # type: ignore[arg-type]
        )
    assert made == ["first request", "second request"]
