"""What every mutation module shares: the fields an input sent, and a write's result or its
refusal as typed errors."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry

from gqlnews.graphql.types.errors import MutationError
from gqlnews.newsroom.problems import Refused

T = TypeVar("T")


def given(
    source: object, names: tuple[str, ...], clearable: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The fields of an input that were sent: left out (UNSET) ones are skipped, and so are
    nulls, except for the ``clearable`` fields, where null removes the value."""
    found: dict[str, Any] = {}
    for name in names:
        value = getattr(source, name)
        if value is strawberry.UNSET or (value is None and name not in clearable):
            continue
        found[name] = value
    return found


def errors_of(refused: Refused) -> list[MutationError]:
    """The typed errors of a refusal."""
    return [
        MutationError(field=p.field, code=p.code.value, message=p.message) for p in refused.problems
    ]


async def attempt(
    work: Callable[[], Awaitable[T]],
) -> tuple[T | None, list[MutationError]]:
    """Run a write: its result, or its refusal's errors."""
    try:
        return await work(), []
    except Refused as refused:
        return None, errors_of(refused)


def language_input(of: str = "its texts") -> Any:
    """The ``language`` field of a create input: a language tag, or the site's language when
    left out (checked by :func:`gqlnews.newsroom.catalog.language_column`)."""
    return strawberry.field(
        default=None,
        description=(
            f"Language tag of {of} (fr, ar, ar-MA); left out: the site's language "
            "(GQLNEWS_SITE_LANGUAGE)."
        ),
    )


def language_patch() -> Any:
    """The ``language`` field of an update input: left out, unchanged; null, back to the
    site's language."""
    return strawberry.field(
        default=strawberry.UNSET,
        description="A language tag (fr, ar, ar-MA); null: back to the site's language.",
    )
