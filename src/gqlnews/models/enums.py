"""Enumerations stored in the database (values are stable strings)."""

from enum import StrEnum


class Genre(StrEnum):
    NEWS = "news"
    REPORT = "report"
    ANALYSIS = "analysis"
    INTERVIEW = "interview"
    INVESTIGATION = "investigation"
    PORTRAIT = "portrait"
    OPINION = "opinion"
    CHRONICLE = "chronicle"
    EDITORIAL = "editorial"
    BRIEF = "brief"


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"


class UserRole(StrEnum):
    """What a newsroom account may do (see gqlnews.permissions)."""

    ADMIN = "admin"
    EDITOR = "editor"
    AUTHOR = "author"
    CONTRIBUTOR = "contributor"


class TokenKind(StrEnum):
    """A session token comes from signing in and expires, an API token is made for an
    integration from the command line."""

    SESSION = "session"
    API = "api"


class TagKind(StrEnum):
    THEME = "theme"
    PLACE = "place"
    ORGANISATION = "organisation"
    PERSON = "person"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    """Not delivered yet: waiting for its next attempt (or in flight, under a lease)."""
    DELIVERED = "delivered"
    """An attempt was answered with a 2xx status."""
    FAILED = "failed"
    """Given up: every attempt of the retry window failed."""
