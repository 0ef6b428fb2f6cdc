"""Checks run before an article is published (the ``gqlnews_before_publish`` hook).

They refuse a headline that is empty or too long and a picture without a credit, and fill an
empty excerpt from the body. Reasons are sentences for the editor.
"""

from __future__ import annotations

from gqlnews.api import Article, Image, cut_excerpt, html_to_text

MAX_TITLE_LENGTH = 120
"""Longest headline, in characters (after trimming spaces)."""
EXCERPT_LENGTH = 200
"""Longest excerpt filled from the body, in characters, the closing "…" included."""


def title_reasons(article: Article) -> list[str]:
    """The headline must say something and fit on the front page."""
    title = (article.title or "").strip()
    if not title:
        return ["The headline is empty: give the article a title."]
    if len(title) > MAX_TITLE_LENGTH:
        return [
            f"The headline is {len(title)} characters long; "
            f"shorten it to at most {MAX_TITLE_LENGTH}."
        ]
    return []


async def image_reasons(article: Article) -> list[str]:
    """A published picture must carry its credit, as stored (one query)."""
    # An unsaved article built without a picture has no image_id attribute at all.
    image_id: int | None = getattr(article, "image_id", None)
    if image_id is None:
        return []
    image = await Image.get_or_none(id=image_id)
    if image is None or image.credit.strip():
        return []
    return [
        f"The picture {image.url} (image {image.pk}) has no credit: "
        "add the photographer or agency before publishing."
    ]


def fill_excerpt(article: Article) -> None:
    """An empty excerpt becomes the start of the body, cut at a word boundary.

    The text comes from ``body_html``, which saving turns into ``body_text`` anyway: an
    article whose body was just edited may still carry the old ``body_text``.
    """
    if (article.excerpt or "").strip():
        return
    article.excerpt = cut_excerpt(html_to_text(article.body_html or ""), EXCERPT_LENGTH)


async def publish_reasons(article: Article) -> list[str]:
    """Why ``article`` may not be published (empty: it may); fills its excerpt if empty."""
    reasons = [*title_reasons(article), *await image_reasons(article)]
    fill_excerpt(article)
    return reasons
