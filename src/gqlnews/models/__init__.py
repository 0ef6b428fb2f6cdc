"""The newsroom data model. Tortoise discovers every model listed in ``__all__``."""

from gqlnews.models.article import Article, ArticleAuthor, ArticleSection, ArticleTag
from gqlnews.models.author import Author
from gqlnews.models.edition import Edition, Supplement
from gqlnews.models.enums import ArticleStatus, Genre, TagKind
from gqlnews.models.image import Image
from gqlnews.models.section import Section
from gqlnews.models.tag import Tag

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticleSection",
    "ArticleStatus",
    "ArticleTag",
    "Author",
    "Edition",
    "Genre",
    "Image",
    "Section",
    "Supplement",
    "Tag",
    "TagKind",
]
