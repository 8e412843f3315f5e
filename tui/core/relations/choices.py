"""Choosing a document's categories and a span's attributes: one key, one undo step.

The categories popup (``C``) and the attributes popup (``@``) turn each key into a call
here. A category toggles; one of an exclusive group (``multi = false``) replaces the other
of its group (choosing the chosen one again leaves the group empty, as before any choice).
A bool attribute toggles between true and unset; a values attribute cycles through its
values in file order, then back to unset. Each change is one
:meth:`~tui.core.session.Session.change_links` call: one undo step, one store write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tui.core.relations.model import ATTRIBUTES, Attribute, AttributeValue, attribute_id
from tui.core.relations.schema import AttributeType, CategoryType, Schema

if TYPE_CHECKING:
    from tui.core.session import Session
    from tui.core.spans import Span

__all__ = [
    "attribute_value",
    "next_value",
    "ordered_categories",
    "set_next_value",
    "toggle_category",
    "toggled",
]


def toggled(schema: Schema, chosen: frozenset[str], category: CategoryType) -> frozenset[str]:
    """The categories after pressing ``category``'s key: off when on; on otherwise,
    replacing the others of its group when the group is exclusive."""
    if category.name in chosen:
        return chosen - {category.name}
    if not category.multi:
        chosen = chosen - {other.name for other in schema.categories_in_group(category.group)}
    return chosen | {category.name}


def _category_description(before: frozenset[str], after: frozenset[str]) -> str:
    added, removed = sorted(after - before), sorted(before - after)
    if added and removed:
        return f"category {', '.join(added)} (not {', '.join(removed)})"
    if added:
        return f"category {', '.join(added)}"
    return f"category {', '.join(removed)} removed"


def toggle_category(session: Session, schema: Schema, category: CategoryType) -> bool:
    """Toggle ``category`` on the session's document: one undo step. False when refused."""
    before = session.links.categories
    after = toggled(schema, before, category)
    description = _category_description(before, after)
    return session.change_links((), (), description, categories=(before, after))


def ordered_categories(order: Iterable[str], chosen: Iterable[str]) -> list[str]:
    """``chosen`` in ``order`` (the labels file's), then any it does not name, sorted."""
    chosen = set(chosen)
    known = [name for name in order if name in chosen]
    return known + sorted(chosen - set(known))


def next_value(atype: AttributeType, current: AttributeValue | None) -> AttributeValue | None:
    """The value after ``current`` (None: unset): bool true ↔ unset; values in order,
    then unset."""
    if atype.kind == "bool":
        return None if current is True else True
    values = atype.values
    if isinstance(current, str) and current in values:
        at = values.index(current) + 1
        return values[at] if at < len(values) else None
    return values[0] if values else None


def attribute_value(session: Session, span_id: str, name: str) -> AttributeValue | None:
    """The value of attribute ``name`` on span ``span_id`` (None: unset)."""
    record = session.links.state(ATTRIBUTES, attribute_id(span_id, name))[2]
    if record is None:
        return None
    value = record.get("value")
    return value if isinstance(value, str | bool) else None


def set_next_value(session: Session, span: Span, atype: AttributeType) -> bool:
    """Give ``span`` the next value of ``atype`` (see :func:`next_value`): one undo step.
    False when refused."""
    from tui.core.annotations import excerpt

    record_id = attribute_id(span.id, atype.name)
    before = session.links.state(ATTRIBUTES, record_id)
    value = next_value(atype, attribute_value(session, span.id, atype.name))
    record = None if value is None else Attribute(span.id, atype.name, value).to_record()
    where = excerpt(span.text)
    if value is None:
        description = f"attribute {atype.name} removed from {where}"
    elif value is True:
        description = f"attribute {atype.name} on {where}"
    else:
        description = f"attribute {atype.name}={value} on {where}"
    return session.change_links((before,), ((ATTRIBUTES, record_id, record),), description)
