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


class TagKind(StrEnum):
    THEME = "theme"
    PLACE = "place"
    ORGANISATION = "organisation"
    PERSON = "person"
