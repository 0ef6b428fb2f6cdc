"""Why a write was refused: typed problems, each naming the field and the rule it broke."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Code(StrEnum):
    """Stable codes of write errors (``errors { code }`` in every mutation payload)."""

    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    TOO_LARGE = "TOO_LARGE"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    NOT_IN_FUTURE = "NOT_IN_FUTURE"
    CONFLICT = "CONFLICT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    PUBLISH_REFUSED = "PUBLISH_REFUSED"
    SLUG_LOCKED = "SLUG_LOCKED"
    CYCLE = "CYCLE"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    """A number outside what is allowed (a page beyond the page count, a position, a size)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: ``field`` is the input field at fault (None: the whole request)."""

    field: str | None
    code: Code
    message: str


class Refused(Exception):
    """A write that was refused, with every problem found; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class Problems:
    """Collects problems while checking an input, then refuses once with all of them."""

    found: list[Problem] = field(default_factory=list)

    def add(self, field_name: str | None, code: Code, message: str) -> None:
        self.found.append(Problem(field_name, code, message))

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.found)

    def __bool__(self) -> bool:
        return bool(self.found)

    def check(self) -> None:
        """Raise :class:`Refused` when anything was found."""
        if self.found:
            raise Refused(list(self.found))


def refuse(field_name: str | None, code: Code, message: str) -> Refused:
    """A refusal with a single problem (``raise refuse(...)``)."""
    return Refused([Problem(field_name, code, message)])
