"""Plain, immutable shapes for the demo newsroom's hand-written material (no database access)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gqlnews.models import Genre, TagKind


class Visibility(StrEnum):
    """How a demo article is published; everything but ``PUBLISHED`` is invisible to readers."""

    PUBLISHED = "published"
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    """Status ``scheduled``, publication time after ``now``."""
    EMBARGOED = "embargoed"
    """Status ``published``, publication time past, embargo lifting after ``now``."""
    FUTURE = "future"
    """Status ``published`` but a publication time after ``now``."""


@dataclass(frozen=True, slots=True)
class SectionSpec:
    slug: str
    name: str
    description: str
    position: int
    parent: str | None = None
    first_page: int = 0
    """First print page of the section in a daily edition (0: never printed)."""
    last_page: int = 0


@dataclass(frozen=True, slots=True)
class AuthorSpec:
    slug: str
    name: str
    role: str
    bio: str


@dataclass(frozen=True, slots=True)
class TagSpec:
    slug: str
    name: str
    kind: TagKind


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    who: str
    """Who said it, as it reads after a verb: « … », confie ``who``."""


@dataclass(frozen=True, slots=True)
class Piece:
    """One article of a story: what the desk decided to publish, in order."""

    genre: Genre
    title: str
    chapo: str
    slug: str | None = None
    """A pinned slug (tests and docs rely on it); otherwise derived from the title."""
    visibility: Visibility = Visibility.PUBLISHED
    section: str | None = None
    """Primary section, when not the story's."""
    extra_sections: tuple[str, ...] = ()
    language: str = "fr"
    body: tuple[str, ...] = ()
    """Hand-written blocks (plain text; ``## `` intertitle, ``> `` quote); when empty the body
    is composed from the story."""
    dateline: str | None = None
    scene: str | None = None
    """Image caption and alt text, used as is (no date added)."""
    credit: str | None = None
    """Pinned photo credit."""


@dataclass(frozen=True, slots=True)
class Story:
    """A subject the paper follows over several days, sharing tags and vocabulary.

    ``subject``, ``actor`` and ``stake`` are singular noun phrases starting with a definite
    article (le, la, l'); ``place`` is a city name used after « à ».
    """

    key: str
    section: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    place: str
    subject: str
    actor: str
    stake: str
    figure: str
    figure_desc: str
    facts: tuple[str, ...]
    quotes: tuple[Quote, ...]
    scenes: tuple[str, ...]
    pieces: tuple[Piece, ...]
    first_day: int
    """Days before ``now``'s date of the first piece."""
    last_day: int
    """Days before ``now``'s date of the last piece (0: today)."""
    supplement: str | None = None
    """Slug of the supplement every piece is printed in."""


@dataclass(frozen=True, slots=True)
class EditorialSpec:
    days_ago: int
    title: str
    chapo: str
    story: str
    """Key of the story the editorial comments on (it borrows its tags and vocabulary)."""


@dataclass(frozen=True, slots=True)
class SupplementSpec:
    slug: str
    title: str
    description: str
    days_ago: int
    section: str
    page_count: int
    cover_caption: str
