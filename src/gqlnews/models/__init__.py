"""The newsroom data model. Tortoise discovers every model listed in ``__all__``."""

from gqlnews.models.account import AccessToken, User
from gqlnews.models.article import (
    Article,
    ArticleAuthor,
    ArticleSection,
    ArticleTag,
    SectionArticle,
)
from gqlnews.models.author import Author
from gqlnews.models.document import PersistedDocument
from gqlnews.models.edition import Edition, Supplement
from gqlnews.models.enums import (
    ArticleStatus,
    DeliveryStatus,
    Genre,
    TagKind,
    TokenKind,
    UserRole,
)
from gqlnews.models.image import Image
from gqlnews.models.preview import PreviewLink
from gqlnews.models.revision import ArticleRevision, PublishEvent
from gqlnews.models.section import Section
from gqlnews.models.tag import Tag
from gqlnews.models.webhook import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

__all__ = [
    "AccessToken",
    "Article",
    "ArticleAuthor",
    "ArticleRevision",
    "ArticleSection",
    "ArticleStatus",
    "ArticleTag",
    "Author",
    "DeliveryStatus",
    "Edition",
    "Genre",
    "Image",
    "PersistedDocument",
    "PreviewLink",
    "PublishEvent",
    "Section",
    "SectionArticle",
    "Supplement",
    "Tag",
    "TagKind",
    "TokenKind",
    "User",
    "UserRole",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
