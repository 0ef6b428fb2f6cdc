"""The fields of a selection set as a document writes them: through inline fragments and
fragment spreads, before any directive is applied."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)


def fields_of(
    selections: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    seen: set[str] | None = None,
) -> Iterator[FieldNode]:
    """The fields of ``selections`` in document order, those of its inline fragments and of
    the fragments it spreads included (each fragment once per walk: ``seen`` holds their
    names). ``@skip`` and ``@include`` are not applied: a field that may be skipped is
    there."""
    seen = set() if seen is None else seen
    for selection in selections.selections if selections is not None else ():
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from fields_of(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if name not in seen and fragment is not None:
                seen.add(name)
                yield from fields_of(fragment.selection_set, fragments, seen)
