"""Draft preview links: tokens that open one article, in whatever state it is, to whoever holds
them, through the ordinary ``article(...)`` query. See docs/previews.md.

A token reads ``gqnp_<secret>``, 256 random bits in URL-safe base64. Like the accounts' bearer
tokens (:mod:`gqlnews.accounts.tokens`), only its SHA-256 is stored, with the article it opens,
who made it, its expiry and its revocation: a leaked table gives no usable link, and one link
can be revoked without touching the others or any secret.

A request presents a token in the :data:`PREVIEW_HEADER` header. :func:`open_preview` looks it
up once per request (one indexed query, joined with its article and that article's picture);
the ``article`` root field then answers that one article and nothing else
(:func:`previewed_article`), and every other path (lists, search, ``node``, relations) keeps
following :mod:`gqlnews.visibility`. Every reason a token does not open an article — malformed,
unknown (tampered), expired, revoked, article in the trash, another article asked for — gives
the same :class:`PreviewTokenInvalid`, so that the answer tells nothing about which it was.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from gqlnews.accounts.tokens import hash_token
from gqlnews.errors import ClientError
from gqlnews.models import Article, PreviewLink

PREVIEW_HEADER = "gqlnews-preview-token"
"""The HTTP header a preview request carries its token in (``Gqlnews-Preview-Token``)."""

PREVIEW_TOKEN_INVALID = "PREVIEW_TOKEN_INVALID"

_TOKEN = re.compile(r"gqnp_[A-Za-z0-9_-]{43}")


class PreviewTokenInvalid(ClientError):
    """The preview token does not open the article asked for (whatever the reason)."""

    code = PREVIEW_TOKEN_INVALID

    def __init__(self) -> None:
        super().__init__(
            "this preview link is not valid for this article (it may have expired or been "
            "revoked): ask the newsroom for a new one"
        )


@dataclass(frozen=True, slots=True)
class IssuedPreview:
    """A new preview link: ``token`` is shown to its maker once and never stored."""

    token: str
    link: PreviewLink


@dataclass(frozen=True, slots=True)
class Preview:
    """What a request's preview token opens: ``article`` (with its picture loaded), or None
    when the token opens nothing."""

    article: Article | None


def preview_token(headers: Mapping[str, str]) -> str | None:
    """The token of a request's :data:`PREVIEW_HEADER` (stripped; empty when the header is
    there but blank), or None without the header (``headers``: Starlette's, case-blind)."""
    value = headers.get(PREVIEW_HEADER)
    return None if value is None else value.strip()


async def issue(article_id: int, user_id: int | None, now: datetime, seconds: int) -> IssuedPreview:
    """Make and store a preview link to ``article_id`` that works for ``seconds`` from ``now``."""
    token = f"gqnp_{secrets.token_urlsafe(32)}"
    link = await PreviewLink.create(
        article_id=article_id,
        created_by_id=user_id,
        token_hash=hash_token(token),
        expires_at=now + timedelta(seconds=seconds),
    )
    return IssuedPreview(token, link)


async def revoke_all(article_id: int, now: datetime) -> int:
    """Revoke every live preview link of ``article_id``; how many were revoked."""
    return await PreviewLink.filter(article_id=article_id, revoked_at__isnull=True).update(
        revoked_at=now
    )


async def open_preview(token: str, now: datetime) -> Preview:
    """What ``token`` opens at ``now``: one indexed query (none for a malformed token).

    It opens its article while it is neither expired nor revoked and the article is not in the
    trash; the article comes with its picture (``select_related``), so a preview costs no more
    look-ups than an ordinary ``article`` query.
    """
    if not _TOKEN.fullmatch(token):
        return Preview(None)
    link = (
        await PreviewLink.filter(
            token_hash=hash_token(token),
            revoked_at__isnull=True,
            expires_at__gt=now,
            article__deleted_at__isnull=True,
        )
        .select_related("article", "article__image")
        .first()
    )
    return Preview(link.article if link is not None else None)


def previewed_article(preview: Preview, *, pk: int | None, slug: str | None) -> Article:
    """The article ``preview`` opens when it is the one asked for (by ``pk`` or by ``slug``,
    already normalised); else :class:`PreviewTokenInvalid`."""
    article = preview.article
    if article is None:
        raise PreviewTokenInvalid()
    if (pk is not None and pk != article.pk) or (slug is not None and slug != article.slug):
        raise PreviewTokenInvalid()
    return article
