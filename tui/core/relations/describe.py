"""The status line's parts for links: the document's categories, and the attributes and
relations of the span under the cursor.

``#体育,正面`` names the document's categories; ``否定`` a true bool attribute (``否定=false``
a false one), ``程度=强`` a value; ``→ 任职 北京大学`` a relation from the span,
``← 任职 张三`` one to it, ``↔ 兄弟 李四`` an undirected one. They come after the span parts
(the status line cuts from the end): the span's attributes, its relations, the categories.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.core.relations.choices import ordered_categories
from tui.core.relations.model import AttributeValue, Links, Relation
from tui.core.relations.schema import Schema

if TYPE_CHECKING:
    from tui.core.session import Session
    from tui.core.spans import Span

__all__ = ["attribute_part", "document_links", "link_parts"]


def attribute_part(name: str, value: AttributeValue) -> str:
    """``否定`` (true), ``否定=false``, ``程度=强``."""
    if value is True:
        return name
    if value is False:
        return f"{name}=false"
    return f"{name}={value}"


def document_links(session: Session) -> Links:
    """The open document's relations, chains and attributes, as read back."""
    return session.links.links(span.id for span in session.annotations.spans)


def link_parts(session: Session | None, spans: Sequence[Span], schema: Schema) -> list[str]:
    """The parts for ``session``'s document and the innermost of ``spans`` (the spans
    under the cursor, innermost first): its attributes, its relations, then the
    document's categories."""
    if session is None:
        return []
    parts: list[str] = []
    if spans:
        span = spans[0]
        links = document_links(session)
        attributes = links.attributes_of(span.id)
        order = [a.name for a in schema.attributes if a.name in attributes]
        order += sorted(set(attributes) - set(order))
        parts += [attribute_part(name, attributes[name]) for name in order]
        parts += [_relation_part(session, schema, span.id, r) for r in links.of_span(span.id)]
    if session.links.categories:
        parts.append("#" + ",".join(ordered_categories(_names(schema), session.links.categories)))
    return parts


def _names(schema: Schema) -> list[str]:
    return [category.name for category in schema.categories]


def _relation_part(session: Session, schema: Schema, span_id: str, relation: Relation) -> str:
    """``→ 任职 北京大学``: the direction, the type and the text at the other end."""
    from tui.core.annotations import excerpt

    outgoing = relation.source == span_id
    other = session.annotations.get(relation.target if outgoing else relation.source)
    text = excerpt(other.text) if other is not None else "?"
    rtype = schema.relation(relation.type)
    arrow = "↔" if rtype is not None and not rtype.directed else ("→" if outgoing else "←")
    return f"{arrow} {relation.type} {text}"
