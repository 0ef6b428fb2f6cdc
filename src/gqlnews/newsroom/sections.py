"""Writing the section tree: create, update, and move a section under another parent.

Siblings are ordered by ``position``, kept dense from 0 (0, 1, 2…) by every write that touches
them. A section can never be put under itself or one of its descendants (CYCLE). Each write is
one transaction that checks everything first; a refusal writes nothing. Creating and moving lock
the section rows first (``SELECT … FOR UPDATE``, a small table), so concurrent changes to the
tree take turns: positions stay dense and two crossing moves cannot make a cycle.
"""

from __future__ import annotations

from typing import Any, TypedDict

from gqlnews.models import Section
from gqlnews.newsroom.catalog import (
    NAME,
    check_range,
    check_text,
    create_slugged,
    get_or_refuse,
    language_column,
    required_text,
    save_columns,
    slug_column,
)
from gqlnews.newsroom.problems import Code, Problems
from gqlnews.newsroom.unique import writing
from gqlnews.slugs import normalize_slug

DESCRIPTION = 2000

SectionRef = int | str
"""A section named by its primary key (decoded from a global ID) or by its slug."""


class SectionFields(TypedDict, total=False):
    name: str
    slug: str
    description: str
    language: str | None


async def find_section(problems: Problems, field: str, ref: SectionRef) -> Section | None:
    """The section ``ref`` names, or None with a NOT_FOUND problem naming ``field``."""
    if isinstance(ref, int):
        section = await Section.filter(id=ref).first()
    else:
        section = await Section.filter(slug=normalize_slug(ref)).first()
    if section is None:
        shown = f"{ref!r}" if isinstance(ref, str) else "with this ID"
        problems.add(field, Code.NOT_FOUND, f"no section {shown}")
    return section


async def create(
    given: SectionFields, parent: SectionRef | None = None, position: int | None = None
) -> Section:
    """A new section under ``parent`` (top level when None), at ``position`` among its
    siblings (last when None); its slug is made from the name when not given."""
    problems = Problems()
    async with writing():
        await _lock_tree()
        columns = await _columns(given, problems, None)
        parent_id = await _parent_id(problems, parent)
        siblings = await _siblings(parent_id)
        at = _position(problems, position, len(siblings), parent, parent_id)
        problems.check()
        columns.update(parent_id=parent_id, position=at)
        section = await create_slugged(Section, columns, "name")
        await _renumber([*siblings[:at], section, *siblings[at:]])
    return section


async def update(section_id: int, given: SectionFields) -> Section:
    """Rename a section, change its slug or description (use :func:`move` to move it)."""
    problems = Problems()
    async with writing():
        section = await get_or_refuse(Section, section_id, "section")
        columns = await _columns(given, problems, section)
        problems.check()
        return await save_columns(section, columns)


async def move(section_id: int, parent: SectionRef | None, position: int | None = None) -> Section:
    """Put a section (with its sub-sections) under ``parent`` (top level when None), at
    ``position`` among its new siblings (last when None). Refused with CYCLE when ``parent``
    is the section itself or one of its descendants."""
    problems = Problems()
    async with writing():
        tree = await _lock_tree()
        section = await get_or_refuse(Section, section_id, "section")
        parent_id = await _parent_id(problems, parent)
        if parent_id is not None and _is_within(tree, parent_id, section.pk):
            problems.add(
                "parent",
                Code.CYCLE,
                "a section cannot be moved under itself or one of its own sub-sections",
            )
        siblings = [s for s in await _siblings(parent_id) if s.pk != section.pk]
        at = _position(problems, position, len(siblings), parent, parent_id)
        problems.check()
        if section.parent_id != parent_id:
            await _renumber([s for s in await _siblings(section.parent_id) if s.pk != section.pk])
        await Section.filter(id=section.pk).update(parent_id=parent_id, position=at)
        section.parent_id, section.position = parent_id, at
        await _renumber([*siblings[:at], section, *siblings[at:]])
    return section


async def _columns(
    given: SectionFields, problems: Problems, current: Section | None
) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    required_text(problems, given, columns, "name", NAME, current is None)
    if "description" in given:
        columns["description"] = check_text(
            problems, "description", given["description"], DESCRIPTION
        )
    language_column(problems, given, columns)
    await slug_column(problems, Section, given, columns, current, "name")
    return columns


async def _parent_id(problems: Problems, parent: SectionRef | None) -> int | None:
    if parent is None:
        return None
    found = await find_section(problems, "parent", parent)
    return found.pk if found is not None else None


async def _lock_tree() -> dict[int, int | None]:
    """Lock every section row until the transaction ends (in id order: no deadlock); the
    parent of each section."""
    rows = await Section.all().order_by("id").select_for_update()
    return {row.pk: row.parent_id for row in rows}


def _is_within(parents: dict[int, int | None], section_id: int, ancestor_id: int) -> bool:
    """Whether ``section_id`` is ``ancestor_id`` or sits somewhere below it."""
    seen: set[int] = set()
    current: int | None = section_id
    while current is not None and current not in seen:
        if current == ancestor_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


async def _siblings(parent_id: int | None) -> list[Section]:
    """The children of ``parent_id`` (the top-level sections for None), in order."""
    query = (
        Section.filter(parent_id__isnull=True)
        if parent_id is None
        else Section.filter(parent_id=parent_id)
    )
    return await query.order_by("position", "id")


def _position(
    problems: Problems,
    position: int | None,
    others: int,
    parent: SectionRef | None,
    parent_id: int | None,
) -> int:
    """Where to insert among ``others`` siblings: 0 … others (the end when None); not checked
    when the parent asked for was not found (its siblings are unknown)."""
    if position is None or (parent is not None and parent_id is None):
        return others
    return check_range(problems, "position", position, 0, others)


async def _renumber(ordered: list[Section]) -> None:
    """Positions 0, 1, 2… in this order, writing only the rows that change."""
    for number, section in enumerate(ordered):
        if section.position != number:
            await Section.filter(id=section.pk).update(position=number)
            section.position = number
