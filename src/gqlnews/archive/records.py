"""Typed records: one parsed archive line, ready to be written (no database access here).

A record carries plain values and *unresolved* references (slugs, edition numbers); the writer
turns references into ids inside the batch's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from gqlnews.models.article import derived_columns

RecordKind = Literal["section", "author", "tag", "edition", "supplement", "article"]

KINDS: tuple[RecordKind, ...] = ("section", "author", "tag", "edition", "supplement", "article")
"""Every line type, in the order an archive writes them (references point backwards)."""

REFERENCE_KINDS: tuple[RecordKind, ...] = KINDS[:-1]


class LineError(ValueError):
    """A line that cannot be imported; the message says why (it is shown with the line number)."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A line that was not imported, and why."""

    line: int
    kind: RecordKind | None
    reason: str


@dataclass(frozen=True, slots=True)
class ImageData:
    """An image as the archive describes it; compared field by field with the stored row."""

    url: str
    credit: str = ""
    """Copyright holder, the credit line a page prints (ninjs ``copyrightholder``)."""
    byline: str = ""
    """Photographer (ninjs ``by``)."""
    caption: str = ""
    alt: str = ""
    width: int | None = None
    height: int | None = None
    language: str | None = None
    """Language of the caption and credit (ninjs ``language``); None: the site's."""

    def columns(self) -> dict[str, Any]:
        """The ``image`` columns this data sets."""
        return {
            "url": self.url,
            "credit": self.credit,
            "byline": self.byline,
            "caption": self.caption,
            "alt": self.alt,
            "width": self.width,
            "height": self.height,
            "language": self.language,
        }


Ref = tuple[RecordKind, "str | int | None"]
"""A reference to another record: its kind and key (slug or edition number); None for no link."""


@dataclass(slots=True)
class ReferenceRecord:
    """A section, author, tag, edition or supplement line.

    Only the keys present in the line are in ``values`` and ``refs``: a re-import leaves the
    columns a line does not mention as they are (a new row gets the model's defaults).
    """

    kind: RecordKind
    line: int
    key: str | int
    """Slug, or number for editions: what an upsert matches on."""
    values: dict[str, Any]
    """Plain columns (``name``, ``date``…)."""
    refs: dict[str, Ref] = field(default_factory=dict)
    """Foreign-key columns (``parent_id``, ``edition_id``…) to resolve."""
    image: ImageData | None = None
    image_given: bool = False
    """Whether the line mentions its image (``cover``/``avatar``): ``image`` None removes it."""


@dataclass(slots=True)
class ArticleRecord:
    """An article line: the ``article`` columns plus its ordered links, image and placement."""

    line: int
    uri: str
    values: dict[str, Any]
    """Plain ``article`` columns, every one of them (an article line is a full representation)."""
    sections: list[str]
    """Section slugs, primary first."""
    authors: list[str]
    tags: list[str]
    edition_number: int | None
    supplement: str | None
    image: ImageData | None

    @property
    def kind(self) -> RecordKind:
        return "article"

    @property
    def key(self) -> str:
        return self.uri

    def derive_text(self) -> None:
        """Fill ``body_text``, ``word_count`` and the search terms from the text, as
        :meth:`gqlnews.models.Article.refresh_derived_text` does (without making a model)."""
        self.values.update(derived_columns(self.values))


Record = ReferenceRecord | ArticleRecord
