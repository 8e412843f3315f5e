"""Making, retyping and deleting relations and chains: the changes :meth:`Session.change_links`
records, or one line saying why not.

:class:`Linking` is the state machine the reader's link key drives: it starts on a source
span, and a type (a relation, or a chain: both are chosen after the link key, see
:mod:`tui.core.relations.schema`) picked with a target span makes the change. A relation is
refused, with a reason, when the two spans' labels do not fit its ``from`` / ``to`` (either
way round for an undirected one), when source and target are one span, and when the same
relation is already there.

A chain groups spans that refer to the same thing. Linking a span to a target of a chain
type puts it in the target's chain of that type, or, when the target has none, starts one
with the two (the target first). A span already in another chain of that type *moves*: it
is taken out of that one (a chain left with one member goes), since a mention refers to one
thing. When only the source has a chain, the target joins it.

Everything here is pure: spans, the session's :class:`~tui.core.relations.links.LinkSet`
and the author's name and clock come in, states come out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from tui.core.annotations import excerpt
from tui.core.relations.chain_marks import numbered_chains
from tui.core.relations.links import LinkSet, LinkState, LinkStates
from tui.core.relations.model import CHAINS, RELATIONS, Chain, Links, Relation
from tui.core.relations.schema import ChainType, RelationType, Schema
from tui.core.spans import Span, new_span_id, now_iso

__all__ = [
    "Author",
    "LinkChange",
    "LinkRow",
    "LinkType",
    "Linking",
    "Refusal",
    "chain_change",
    "delete_chain",
    "delete_relation",
    "link_rows",
    "names_of",
    "relation_arrow",
    "relation_change",
    "retype_relation",
]

LinkType = RelationType | ChainType


@dataclass(frozen=True, slots=True)
class LinkChange:
    """The states to hand to :meth:`Session.change_links`, and what the step is called."""

    before: LinkStates
    after: LinkStates
    description: str


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why nothing was made: one line for the user."""

    reason: str


@dataclass(frozen=True, slots=True)
class Author:
    """Who makes links, with the clock and the ids they get (tests pass fixed ones)."""

    annotator: str
    clock: Callable[[], str] = now_iso
    new_id: Callable[[], str] = new_span_id


def _name(span: Span) -> str:
    return excerpt(span.text)


def relation_arrow(source: str, rtype: str, target: str, directed: bool = True) -> str:
    """``张三 → 任职 → 北京大学`` (``李四 ↔ 兄弟 ↔ 王五`` when undirected)."""
    arrow = "→" if directed else "↔"
    return f"{source} {arrow} {rtype} {arrow} {target}"


# ----------------------------------------------------------------------------- relations


def relation_change(
    schema: Schema,
    rtype: RelationType,
    source: Span,
    target: Span,
    links: Links,
    author: Author,
) -> LinkChange | Refusal:
    """A new ``rtype`` relation from ``source`` to ``target``, or why not."""
    refused = _relation_refusal(schema, rtype, source, target, links, None)
    if refused is not None:
        return refused
    stamp = author.clock()
    relation = Relation(
        author.new_id(), rtype.name, source.id, target.id, author.annotator, stamp, stamp
    )
    arrow = relation_arrow(_name(source), rtype.name, _name(target), rtype.directed)
    return LinkChange(
        ((RELATIONS, relation.id, None),),
        ((RELATIONS, relation.id, relation.to_record()),),
        f"link {arrow}",
    )


def _relation_refusal(
    schema: Schema,
    rtype: RelationType,
    source: Span,
    target: Span,
    links: Links,
    replacing: Relation | None,
) -> Refusal | None:
    if source.id == target.id:
        return Refusal(f"{_name(source)} cannot be linked to itself: move to another span")
    reason = schema.relation_allowed(rtype, source.label, target.label)
    if reason is not None:
        return Refusal(reason)
    for known in links.relations:
        if known is replacing or known.type != rtype.name:
            continue
        ends = (known.source, known.target)
        if ends == (source.id, target.id) or (
            not rtype.directed and ends == (target.id, source.id)
        ):
            arrow = relation_arrow(_name(source), rtype.name, _name(target), rtype.directed)
            return Refusal(f"already linked: {arrow}")
    return None


def delete_relation(links: LinkSet, relation: Relation, names: Mapping[str, str]) -> LinkChange:
    """Take ``relation`` away (``names``: span id → text, for the description)."""
    before = links.state(RELATIONS, relation.id)
    arrow = relation_arrow(
        names.get(relation.source, "?"), relation.type, names.get(relation.target, "?")
    )
    return LinkChange((before,), ((RELATIONS, relation.id, None),), f"unlink {arrow}")


def retype_relation(
    schema: Schema,
    links: LinkSet,
    current: Links,
    relation: Relation,
    rtype: RelationType,
    ends: tuple[Span, Span],
    clock: Callable[[], str] = now_iso,
) -> LinkChange | Refusal:
    """``relation`` (between the spans ``ends``, source first) as an ``rtype`` one, or why
    not (``current``: the document's links, to refuse a duplicate)."""
    source, target = ends
    if rtype.name == relation.type:
        return Refusal(f"it is already {rtype.name}")
    refused = _relation_refusal(schema, rtype, source, target, current, relation)
    if refused is not None:
        return refused
    before = links.state(RELATIONS, relation.id)
    record = dict(before[2] or relation.to_record())
    record.update(type=rtype.name, modified=clock())
    arrow = relation_arrow(_name(source), rtype.name, _name(target), rtype.directed)
    return LinkChange(
        (before,), ((RELATIONS, relation.id, record),), f"retype {relation.type} → {arrow}"
    )


# -------------------------------------------------------------------------------- chains


def chain_change(
    ctype: ChainType, source: Span, target: Span, links: Links, author: Author
) -> LinkChange | Refusal:
    """``source`` into ``target``'s ``ctype`` chain (a new one when neither has one)."""
    if source.id == target.id:
        return Refusal(f"{_name(source)} cannot be chained to itself: move to another span")
    of_type = [chain for chain in links.chains if chain.type == ctype.name]
    source_chain = next((c for c in of_type if source.id in c.members), None)
    target_chain = next((c for c in of_type if target.id in c.members), None)
    if source_chain is not None and source_chain is target_chain:
        return Refusal(f"{_name(source)} and {_name(target)} are already in one {ctype.name} chain")
    stamp = author.clock()
    before: list[LinkState] = []
    after: list[LinkState] = []
    if target_chain is None and source_chain is not None:
        # Only the source has a chain: the target joins it.
        source, target, target_chain, source_chain = target, source, source_chain, None
    if source_chain is not None:  # the source moves out of its old chain
        before.append((CHAINS, source_chain.id, source_chain.to_record()))
        left = tuple(member for member in source_chain.members if member != source.id)
        kept = Chain(source_chain.id, ctype.name, left, *_made(source_chain), stamp)
        after.append((CHAINS, source_chain.id, kept.to_record() if len(left) > 1 else None))
    if target_chain is None:
        chain = Chain(
            author.new_id(), ctype.name, (target.id, source.id), author.annotator, stamp, stamp
        )
        before.append((CHAINS, chain.id, None))
        description = f"chain {ctype.name}: {_name(target)} · {_name(source)}"
    else:
        members = (*target_chain.members, source.id)
        chain = Chain(target_chain.id, ctype.name, members, *_made(target_chain), stamp)
        before.append((CHAINS, chain.id, target_chain.to_record()))
        description = f"chain {ctype.name}: {_name(source)} joins {_name(target)}"
    after.append((CHAINS, chain.id, chain.to_record()))
    return LinkChange(tuple(before), tuple(after), description)


def _made(chain: Chain) -> tuple[str, str]:
    return chain.annotator, chain.created


def delete_chain(links: LinkSet, chain: Chain) -> LinkChange:
    """Take the whole ``chain`` away (its spans stay)."""
    before = links.state(CHAINS, chain.id)
    return LinkChange(
        (before,),
        ((CHAINS, chain.id, None),),
        f"unchain {chain.type} ({len(chain.members)} spans)",
    )


# ---------------------------------------------------------------------------- the machine


@dataclass
class Linking:
    """Link mode: off, or started on a source span and waiting for a target and a type."""

    schema: Schema
    #: The span the link starts from; None: not linking.
    source: Span | None = None
    #: Keys that pick a type at once; the others (they move the cursor) go by the menu.
    reserved: frozenset[str] = field(default_factory=frozenset)

    @property
    def active(self) -> bool:
        """Whether a link is being made."""
        return self.source is not None

    @property
    def types(self) -> tuple[LinkType, ...]:
        """Every relation and chain type, in the labels file's order."""
        return (*self.schema.relations, *self.schema.chains)

    def start(self, source: Span | None) -> str | Refusal:
        """Start a link from ``source``: what to do next, or why it cannot start."""
        if not self.types:
            return Refusal("no relations or chains: declare them in the labels file (--labels)")
        if source is None:
            return Refusal("no span under the cursor to link from")
        self.source = source
        return self.prompt()

    def prompt(self) -> str:
        """What the user does next, in one line."""
        assert self.source is not None
        return f"link from {_name(self.source)}: move to the target, then the relation key"

    def cancel(self) -> None:
        """Stop linking."""
        self.source = None

    def direct(self, key: str) -> LinkType | None:
        """The type ``key`` picks at once (None: not a type key, or it moves the cursor)."""
        if key in self.reserved:
            return None
        return self.schema.link_for_key(key)

    def choices(self, target: Span) -> tuple[LinkType, ...]:
        """The types that fit the source and ``target``: allowed relations, every chain."""
        assert self.source is not None
        source = self.source
        return tuple(
            ltype
            for ltype in self.types
            if isinstance(ltype, ChainType)
            or self.schema.relation_allowed(ltype, source.label, target.label) is None
        )

    def why_none(self, target: Span) -> str:
        """Why no type fits the source and ``target`` (each relation's reason, joined)."""
        assert self.source is not None
        reasons = [
            self.schema.relation_allowed(rtype, self.source.label, target.label) or ""
            for rtype in self.schema.relations
        ]
        return "; ".join(reason for reason in reasons if reason) or "no relation fits"

    def make(
        self, ltype: LinkType, target: Span | None, links: Links, author: Author
    ) -> LinkChange | Refusal:
        """The change linking the source to ``target`` with ``ltype``; the machine stops
        when it is made and stays (the user may move on to another target) when refused."""
        assert self.source is not None
        if target is None:
            return Refusal("no span under the cursor: move onto the target span")
        if isinstance(ltype, RelationType):
            made = relation_change(self.schema, ltype, self.source, target, links, author)
        else:
            made = chain_change(ltype, self.source, target, links, author)
        if isinstance(made, LinkChange):
            self.cancel()
        return made


def names_of(spans: Sequence[Span]) -> dict[str, str]:
    """Span id → its text as descriptions show it."""
    return {span.id: _name(span) for span in spans}


# ---------------------------------------------------------------------------- the listing


@dataclass(frozen=True, slots=True)
class LinkRow:
    """One row of the relations panel: a relation or a chain as a line of text."""

    link: Relation | Chain
    #: ``张三 → 任职 → 北京大学`` or ``#1 张三 · 他 · 张先生``.
    text: str
    #: Where Enter goes: the relation's source, the chain's first span in the text.
    offset: int
    #: The type's colour ("" when the schema does not know the type).
    colour: str


def link_rows(schema: Schema, links: Links, spans: Mapping[str, Span]) -> list[LinkRow]:
    """The document's relations (by their source's place in the text), then its chains
    (numbered by their first span's place), as the relations panel lists them."""
    rows: list[LinkRow] = []
    placed = [r for r in links.relations if r.source in spans and r.target in spans]
    placed.sort(key=lambda r: (spans[r.source].start, spans[r.target].start, r.type))
    for relation in placed:
        source, target = spans[relation.source], spans[relation.target]
        rtype = schema.relation(relation.type)
        directed = rtype.directed if rtype is not None else True
        arrow = relation_arrow(_name(source), relation.type, _name(target), directed)
        colour = rtype.colour if rtype is not None else ""
        rows.append(LinkRow(relation, arrow, source.start, colour))
    # Numbered as the marks in the text are (李四¹ … 他¹).
    for number, (chain, members) in enumerate(numbered_chains(links, spans), 1):
        ctype = schema.chain(chain.type)
        text = f"#{number} " + " · ".join(_name(member) for member in members)
        start = members[0].start
        rows.append(LinkRow(chain, text, start, ctype.colour if ctype is not None else ""))
    return rows
