"""Writing the print products: editions and supplements, and which articles they carry.

An article is in at most one print product: placing it in an edition takes it out of its
supplement, and the other way round. On a page, articles are ordered by ``print_position``,
kept dense from 1 (1 is the lead story) by every write that touches the page; articles in the
trash keep their place but are not counted. Placing an article changes neither its version nor
its revisions: print placement is not part of its content.

Each write is one transaction that checks everything first; a refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypedDict, TypeVar

from gqlnews.models import Article, Edition, Supplement
from gqlnews.newsroom.catalog import (
    URL,
    check_image,
    check_range,
    check_text,
    check_url,
    create_slugged,
    get_or_refuse,
    language_column,
    required_text,
    save_columns,
    slug_column,
)
from gqlnews.newsroom.problems import Code, Problems, refuse
from gqlnews.newsroom.sections import SectionRef, find_section
from gqlnews.newsroom.unique import create_unique, writing

TITLE, DESCRIPTION = 300, 2000
MAX_NUMBER, MAX_PAGES, MAX_SUPPLEMENT_ARTICLES = 999_999, 1000, 500
FIRST_DAY, LAST_DAY = dt.date(1800, 1, 1), dt.date(2199, 12, 31)

P = TypeVar("P", Edition, Supplement)


class EditionFields(TypedDict, total=False):
    number: int
    date: dt.date
    title: str
    page_count: int
    pdf_url: str | None
    cover_id: int | None
    language: str | None


class SupplementFields(TypedDict, total=False):
    slug: str
    title: str
    description: str
    date: dt.date
    edition_number: int | None
    section: SectionRef | None
    page_count: int
    cover_id: int | None
    language: str | None


# --- editions --------------------------------------------------------------------------


async def create_edition(given: EditionFields) -> Edition:
    """A new edition: its number and its date are unique; the title defaults to "N° <number>"."""
    problems = Problems()
    async with writing():
        columns = await _edition_columns(given, problems, None)
        problems.check()
        if not columns.get("title"):
            columns["title"] = f"N° {columns['number']}"
        return await create_unique(Edition, columns)


async def update_edition(edition_id: int, given: EditionFields) -> Edition:
    """Change an edition's number, date, title, page count or PDF."""
    problems = Problems()
    async with writing():
        edition = await get_or_refuse(Edition, edition_id, "edition")
        columns = await _edition_columns(given, problems, edition)
        problems.check()
        return await save_columns(edition, columns)


async def set_edition_cover(edition_id: int, image_id: int | None) -> Edition:
    """Set the front-page picture (None removes it)."""
    problems = Problems()
    async with writing():
        edition = await get_or_refuse(Edition, edition_id, "edition")
        columns = {"cover_id": await check_image(problems, "imageId", image_id)}
        problems.check()
        return await save_columns(edition, columns)


async def place_in_edition(
    edition_id: int, article_id: int, page: int, position: int | None = None
) -> tuple[Edition, Article]:
    """Print an article on ``page`` of an edition, at ``position`` on the page (last when
    None). It leaves the page, edition or supplement it was on."""
    problems = Problems()
    async with writing():
        edition = await _locked(Edition, edition_id, "edition")
        article = await _live_article(problems, "articleId", article_id)
        _check_page(problems, "page", page, edition.page_count, "the edition")
        others = [
            a
            for a in await _page(edition_id=edition.pk, page=page)
            if article is None or a.pk != article.pk
        ]
        if position is not None:
            check_range(problems, "position", position, 1, len(others) + 1)
        problems.check()
        assert article is not None
        await _leave_print(article, staying=(edition.pk, page))
        at = len(others) if position is None else position - 1
        await Article.filter(id=article.pk).update(
            edition_id=edition.pk, supplement_id=None, page=page
        )
        article.edition_id, article.supplement_id, article.page = edition.pk, None, page
        await _renumber([*others[:at], article, *others[at:]])
    return edition, article


async def remove_from_edition(edition_id: int, article_id: int) -> tuple[Edition, Article]:
    """Take an article out of an edition (the rest of its page closes up)."""
    async with writing():
        edition = await _locked(Edition, edition_id, "edition")
        article = await Article.filter(
            id=article_id, edition_id=edition.pk, deleted_at__isnull=True
        ).first()
        if article is None:
            raise refuse(
                "articleId", Code.NOT_FOUND, f"no such article in edition {edition.number}"
            )
        await _leave_print(article)
        await Article.filter(id=article.pk).update(edition_id=None, page=None, print_position=0)
        article.edition_id, article.page, article.print_position = None, None, 0
    return edition, article


async def _edition_columns(
    given: EditionFields, problems: Problems, current: Edition | None
) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    exclude = current.pk if current else 0
    if "number" in given:
        number = check_range(problems, "number", given["number"], 1, MAX_NUMBER)
        if await Edition.filter(number=number).exclude(id=exclude).exists():
            problems.add("number", Code.DUPLICATE, f"edition {number} already exists")
        columns["number"] = number
    elif current is None:
        problems.add("number", Code.REQUIRED, "number is required")
    if "date" in given:
        day = _check_date(problems, given["date"])
        if await Edition.filter(date=day).exclude(id=exclude).exists():
            problems.add("date", Code.DUPLICATE, f"there is already an edition dated {day}")
        columns["date"] = day
    elif current is None:
        problems.add("date", Code.REQUIRED, "date is required")
    if "title" in given:
        columns["title"] = check_text(
            problems, "title", given["title"], TITLE, required=current is not None
        )
    if "pdf_url" in given:
        pdf = given["pdf_url"]
        columns["pdf_url"] = check_url(problems, "pdfUrl", pdf, URL) if pdf else None
    if "cover_id" in given:
        columns["cover_id"] = await check_image(problems, "coverImageId", given["cover_id"])
    if "page_count" in given:
        columns["page_count"] = await _check_page_count(
            problems, given["page_count"], current, "edition_id"
        )
    language_column(problems, given, columns)
    return columns


# --- supplements -----------------------------------------------------------------------


async def create_supplement(given: SupplementFields) -> Supplement:
    """A new supplement; its slug is made from the title when not given."""
    problems = Problems()
    async with writing():
        columns = await _supplement_columns(given, problems, None)
        problems.check()
        return await create_slugged(Supplement, columns, "title")


async def update_supplement(supplement_id: int, given: SupplementFields) -> Supplement:
    """Change a supplement (None unlinks its edition, section or cover)."""
    problems = Problems()
    async with writing():
        supplement = await get_or_refuse(Supplement, supplement_id, "supplement")
        columns = await _supplement_columns(given, problems, supplement)
        problems.check()
        return await save_columns(supplement, columns)


async def set_supplement_articles(
    supplement_id: int, placements: Sequence[tuple[int, int]]
) -> Supplement:
    """Make ``placements`` (article id, page) the supplement's articles, in print order: each
    listed article leaves its edition, and articles no longer listed leave the supplement."""
    problems = Problems()
    async with writing():
        supplement = await _locked(Supplement, supplement_id, "supplement")
        await _check_placements(problems, supplement, placements)
        problems.check()
        listed = [article_id for article_id, _ in placements]
        await (
            Article.filter(supplement_id=supplement.pk)
            .exclude(id__in=listed)
            .update(supplement_id=None, page=None, print_position=0)
        )
        locked = Article.filter(id__in=listed).order_by("id").select_for_update()
        rows = {a.pk: a for a in await locked}
        pages: dict[int, int] = {}
        for article_id, page in placements:
            if rows[article_id].supplement_id != supplement.pk:
                await _leave_print(rows[article_id])
            pages[page] = pages.get(page, 0) + 1
            await Article.filter(id=article_id).update(
                supplement_id=supplement.pk, edition_id=None, page=page, print_position=pages[page]
            )
    return supplement


async def _check_placements(
    problems: Problems, supplement: Supplement, placements: Sequence[tuple[int, int]]
) -> None:
    if len(placements) > MAX_SUPPLEMENT_ARTICLES:
        problems.add(
            "articles", Code.TOO_LONG, f"at most {MAX_SUPPLEMENT_ARTICLES} articles a supplement"
        )
        return
    ids = [article_id for article_id, _ in placements]
    found: list[Any] = list(
        await Article.filter(id__in=ids, deleted_at__isnull=True).values_list("id", flat=True)
    )
    live = {int(pk) for pk in found}
    seen: set[int] = set()
    for index, (article_id, page) in enumerate(placements):
        where = f"articles[{index}]"
        if article_id in seen:
            problems.add("articles", Code.DUPLICATE, f"{where}: the article is listed twice")
        seen.add(article_id)
        if article_id not in live:
            problems.add("articles", Code.NOT_FOUND, f"{where}: no such article")
        label = f"{where}: page"
        _check_page(problems, "articles", page, supplement.page_count, "the supplement", label)


async def _supplement_columns(
    given: SupplementFields, problems: Problems, current: Supplement | None
) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    required_text(problems, given, columns, "title", TITLE, current is None)
    if "description" in given:
        columns["description"] = check_text(
            problems, "description", given["description"], DESCRIPTION
        )
    if "date" in given:
        columns["date"] = _check_date(problems, given["date"])
    elif current is None:
        problems.add("date", Code.REQUIRED, "date is required")
    if "edition_number" in given:
        number = given["edition_number"]
        edition = await Edition.filter(number=number).first() if number is not None else None
        if number is not None and edition is None:
            problems.add("editionNumber", Code.NOT_FOUND, f"there is no edition {number}")
        columns["edition_id"] = edition.pk if edition else None
    if "section" in given:
        ref = given["section"]
        section = await find_section(problems, "section", ref) if ref is not None else None
        columns["section_id"] = section.pk if section else None
    if "cover_id" in given:
        columns["cover_id"] = await check_image(problems, "coverImageId", given["cover_id"])
    if "page_count" in given:
        columns["page_count"] = await _check_page_count(
            problems, given["page_count"], current, "supplement_id"
        )
    language_column(problems, given, columns)
    await slug_column(problems, Supplement, given, columns, current, "title")
    return columns


# --- shared ----------------------------------------------------------------------------


def _check_date(problems: Problems, day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        problems.add("date", Code.OUT_OF_RANGE, f"date must be between {FIRST_DAY} and {LAST_DAY}")
    return day


async def _check_page_count(
    problems: Problems, count: int, current: Edition | Supplement | None, column: str
) -> int:
    """0 (not paginated yet) … MAX_PAGES, and no fewer pages than an article is printed on."""
    check_range(problems, "pageCount", count, 0, MAX_PAGES)
    if current is not None:
        last = (
            await Article.filter(**{column: current.pk}, page__not_isnull=True)
            .order_by("-page")
            .first()
        )
        if last is not None and last.page is not None and last.page > count:
            problems.add(
                "pageCount",
                Code.OUT_OF_RANGE,
                f"an article is printed on page {last.page}: take it off before cutting pages",
            )
    return count


def _check_page(
    problems: Problems, field: str, page: int, count: int, where: str, label: str = "page"
) -> None:
    if count < 1:
        problems.add(field, Code.OUT_OF_RANGE, f"{where} has no pages yet: set its pageCount")
    elif not 1 <= page <= count:
        problems.add(field, Code.OUT_OF_RANGE, f"{label} must be between 1 and {count}")


async def _locked(model: type[P], pk: int, what: str) -> P:
    """The row, locked until the transaction ends (placements on it are serialised)."""
    row = await model.filter(id=pk).select_for_update().first()
    if row is None:
        raise refuse("id", Code.NOT_FOUND, f"no such {what}")
    return row


async def _live_article(problems: Problems, field: str, article_id: int) -> Article | None:
    """The article (not in the trash), locked until the transaction ends: two placements of
    one article take turns."""
    query = Article.filter(id=article_id, deleted_at__isnull=True)
    article = await query.select_for_update().first()
    if article is None:
        problems.add(field, Code.NOT_FOUND, "no such article")
    return article


async def _page(**where: Any) -> list[Article]:
    """The articles (not in the trash) printed on one page, in print order."""
    return await Article.filter(deleted_at__isnull=True, **where).order_by("print_position", "id")


async def _leave_print(article: Article, staying: tuple[int, int] | None = None) -> None:
    """Close up the page ``article`` is printed on now, unless it stays on it (``staying`` is
    the edition and page it goes to)."""
    if article.page is None:
        return
    if article.edition_id is not None:
        if staying == (article.edition_id, article.page):
            return
        where: dict[str, Any] = {"edition_id": article.edition_id}
    elif article.supplement_id is not None:
        where = {"supplement_id": article.supplement_id}
    else:
        return
    rest = [a for a in await _page(page=article.page, **where) if a.pk != article.pk]
    await _renumber(rest)


async def _renumber(ordered: list[Article]) -> None:
    """Print positions 1, 2, 3… in this order, writing only the rows that change."""
    for number, article in enumerate(ordered, start=1):
        if article.print_position != number:
            await Article.filter(id=article.pk).update(print_position=number)
            article.print_position = number
