"""The create and update inputs of articles, made from the one declaration of the editable
fields (:data:`gqlnews.models.article_fields.EDITABLE`), and what an input asks for."""

from typing import Any, TypeVar

import strawberry

from gqlnews.graphql.mutations.inputs import given
from gqlnews.graphql.types.enums import Genre
from gqlnews.ids import decode_id_of
from gqlnews.models.article_fields import EDITABLE, EditableField, Kind
from gqlnews.newsroom.validation import ArticleFields

C = TypeVar("C", bound=type)

_TYPES: dict[Kind, Any] = {
    Kind.TEXT: str,
    Kind.HTML: str,
    Kind.LANGUAGE: str,
    Kind.SLUG: str,
    Kind.GENRE: Genre,
    Kind.SECTION: str,
    Kind.SLUGS: list[str],
    Kind.IMAGE: strawberry.ID,
}
"""The GraphQL input type of each kind of field."""


def _declare(editable: EditableField, *, update: bool) -> tuple[Any, Any]:
    """The annotation and the default (a ``strawberry.field``) of one input field."""
    python_type = _TYPES[editable.kind]
    if update:
        return python_type | None, strawberry.field(
            default=strawberry.UNSET, description=editable.update_description
        )
    if editable.required:
        return python_type, strawberry.field(description=editable.create_description)
    return python_type | None, strawberry.field(
        default=None, description=editable.create_description
    )


def _with_fields(*, update: bool) -> Any:
    """A class decorator, applied before ``strawberry.input``: the declared fields."""

    def add(cls: C) -> C:
        annotations: dict[str, Any] = {}
        for editable in EDITABLE:
            annotation, default = _declare(editable, update=update)
            annotations[editable.graphql_input] = annotation
            setattr(cls, editable.graphql_input, default)
        cls.__annotations__ = annotations
        return cls

    return add


@strawberry.input(description="A new article (it starts as a draft).")
@_with_fields(update=False)
class ArticleCreateInput:
    """The fields of :data:`~gqlnews.models.article_fields.EDITABLE`; nulls are left out."""


@strawberry.input(description="Changes to an article: only the fields given change.")
@_with_fields(update=True)
class ArticleUpdateInput:
    """The fields of :data:`~gqlnews.models.article_fields.EDITABLE`; only those given change
    (null removes the value of a clearable field: the image)."""


_INPUT_NAMES = tuple(f.graphql_input for f in EDITABLE)
_NAMES = {f.graphql_input: f.name for f in EDITABLE}


def article_fields(source: ArticleCreateInput | ArticleUpdateInput) -> ArticleFields:
    """The fields sent; on an update a null in a clearable field (imageId) removes it."""
    update = isinstance(source, ArticleUpdateInput)
    clearable = tuple(f.graphql_input for f in EDITABLE if update and f.clearable)
    found = {_NAMES[name]: value for name, value in given(source, _INPUT_NAMES, clearable).items()}
    for editable in EDITABLE:
        value = found.get(editable.name)
        if editable.kind is Kind.IMAGE and value is not None:
            found[editable.name] = decode_id_of("Image", value, argument=editable.camel_name)
    return ArticleFields(**found)
