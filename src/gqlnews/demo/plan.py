"""What the demo newsroom will hold, worked out in memory before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from gqlnews.demo.specs import AuthorSpec, SectionSpec, TagSpec, Visibility
from gqlnews.models import ArticleStatus, Genre


@dataclass(frozen=True, slots=True)
class ImagePlan:
    url: str
    credit: str
    caption: str
    alt: str
    width: int
    height: int
    language: str | None = None
    """Language of the caption and credit when not the site's (the Arabic edition's: ar)."""


@dataclass(frozen=True, slots=True)
class AuthorPlan:
    spec: AuthorSpec
    email: str
    avatar: ImagePlan


@dataclass(frozen=True, slots=True)
class EditionPlan:
    number: int
    day: date
    title: str
    page_count: int
    cover: ImagePlan
    pdf_url: str | None


@dataclass(frozen=True, slots=True)
class SupplementPlan:
    slug: str
    title: str
    description: str
    day: date
    section: str
    page_count: int
    cover: ImagePlan


@dataclass(slots=True)
class ArticlePlan:
    """One article; the planning steps fill in times, image, print placement and audience."""

    slug: str
    title: str
    excerpt: str
    body_html: str
    genre: Genre
    language: str
    visibility: Visibility
    story: str
    day: date | None
    """Publication date (``None`` for drafts)."""
    sections: list[str]
    """Section slugs, the primary section first."""
    authors: list[str]
    tags: list[str]
    subtitle: str = ""
    dateline: str = ""
    scene: str = ""
    pinned_credit: str | None = None
    lead: bool = False
    """Chosen by the desk for the front page: first on page 1 of its edition."""
    created_at: datetime | None = None
    published_at: datetime | None = None
    embargo_until: datetime | None = None
    image: ImagePlan | None = None
    edition_day: date | None = None
    supplement: str | None = None
    page: int | None = None
    print_position: int = 0
    view_count: int = 0

    @property
    def status(self) -> ArticleStatus:
        """The stored status: drafts and scheduled pieces keep theirs, the rest are published."""
        if self.visibility is Visibility.DRAFT:
            return ArticleStatus.DRAFT
        if self.visibility is Visibility.SCHEDULED:
            return ArticleStatus.SCHEDULED
        return ArticleStatus.PUBLISHED

    @property
    def visible(self) -> bool:
        """Whether an anonymous reader sees the article at the demo's ``now``."""
        return self.visibility is Visibility.PUBLISHED


@dataclass(frozen=True, slots=True)
class NewsroomPlan:
    now: datetime
    sections: tuple[SectionSpec, ...]
    authors: tuple[AuthorPlan, ...]
    tags: tuple[TagSpec, ...]
    editions: tuple[EditionPlan, ...]
    supplements: tuple[SupplementPlan, ...]
    articles: tuple[ArticlePlan, ...]

    def images(self) -> list[ImagePlan]:
        """Every image of the plan, each once, in a stable order."""
        found = [author.avatar for author in self.authors]
        found += [edition.cover for edition in self.editions]
        found += [supplement.cover for supplement in self.supplements]
        found += [article.image for article in self.articles if article.image is not None]
        return found
