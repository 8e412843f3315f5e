"""Agreement figures as lines of plain text: the ``agree`` command and the review panel.

Names and labels are made safe for the terminal; numbers have three decimals, ``n/a``
where a figure is undefined.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from tui.core.agreement import (
    Agreement,
    DocumentLayers,
    DocumentScore,
    PairScore,
    agreement,
    by_document,
    by_label,
)
from tui.core.linebreak import text_cells
from tui.core.relations.agreement import (
    CategoryAgreement,
    CategoryGroup,
    DocumentLinks,
    RelationAgreement,
    category_agreement,
    has_links,
    relation_agreement,
)
from tui.core.text import display_safe

__all__ = [
    "agreement_lines",
    "by_document_lines",
    "by_label_lines",
    "category_lines",
    "link_lines",
    "panel_lines",
    "relation_lines",
]


def agreement_lines(result: Agreement, indent: str = "") -> list[str]:
    """An agreement as a small table: one row per pair, then Fleiss' kappa."""
    if not result.pairs:
        return [f"{indent}fewer than two annotators: nothing to compare"]
    width = max(len(_pair_name(pair)) for pair in result.pairs)
    lines = [f"{indent}{'pair':<{width}}  exact F1  overlap F1  kappa  spans   matches"]
    lines += [f"{indent}{_pair_row(pair, width)}" for pair in result.pairs]
    if len(result.annotators) >= 3:
        documents = f"{result.fleiss_documents:,} documents all annotated"
        lines.append(f"{indent}Fleiss' kappa: {_number(result.fleiss_kappa)} ({documents})")
    return lines


def _pair_row(pair: PairScore, width: int) -> str:
    names = _pair_name(pair)
    spans = f"{pair.spans_first}/{pair.spans_second}"
    return (
        f"{names:<{width}}  {_number(pair.exact_f1):>8}  {_number(pair.overlap_f1):>10}  "
        f"{_number(pair.kappa):>5}  {spans:<7} {pair.matches}"
    )


def _pair_name(pair: PairScore) -> str:
    return display_safe(f"{pair.first} / {pair.second}")


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def by_label_lines(results: dict[str, Agreement]) -> list[str]:
    """One table per label."""
    lines = []
    for label, result in results.items():
        lines.append(f"{display_safe(label)}:")
        lines += agreement_lines(result, "  ")
    return lines or ["no spans"]


def by_document_lines(scores: Sequence[DocumentScore]) -> list[str]:
    """Each document's mean exact F1, worst first."""
    lines = ["mean exact F1  document (worst first)"]
    lines += [f"{_number(item.score):>13}  {display_safe(item.doc_id)}" for item in scores]
    return lines


def panel_lines(
    documents: Sequence[DocumentLayers], links: Iterable[DocumentLinks] = (), worst: int = 30
) -> list[str]:
    """The review panel: the corpus table, one per label, relation and category agreement
    (only when there are some in ``links``), and the ``worst`` documents."""
    if not documents:
        return ["no document has annotations yet"]
    lines = [f"{len(documents):,} documents with annotations", ""]
    lines += agreement_lines(agreement(documents))
    lines += ["", "per label"]
    lines += by_label_lines(by_label(documents))
    if extra := link_lines(list(links)):
        lines += ["", *extra]
    scores = by_document(documents)
    lines += ["", *by_document_lines(scores[:worst])]
    if len(scores) > worst:
        lines.append(f"  … {len(scores) - worst:,} more (biaozhu agree --by document)")
    return lines


def link_lines(
    documents: Sequence[DocumentLinks],
    undirected: Collection[str] = frozenset(),
    groups: Sequence[CategoryGroup] | None = None,
) -> list[str]:
    """Relation agreement (overall and per type) when anyone has a relation, then category
    κ when anyone gave a category; no lines at all when nobody did either."""
    relations, categories = has_links(documents)
    lines: list[str] = []
    if relations:
        overall, per_type = relation_agreement(documents, undirected)
        lines += relation_lines(overall, per_type, undirected)
    if categories:
        lines += [""] if lines else []
        lines += category_lines(category_agreement(documents, groups))
    return lines


def relation_lines(
    overall: RelationAgreement,
    per_type: dict[str, RelationAgreement],
    undirected: Collection[str] = frozenset(),
) -> list[str]:
    """Exact relation F1 per pair, the pairs' mean, and the same per relation type."""
    lines = ["relations (exact: both ends' spans and the type)"]
    if undirected:
        names = ", ".join(display_safe(name) for name in sorted(undirected))
        lines.append(f"undirected (ends in either order): {names}")
    lines += _relation_table(overall, "")
    lines.append("per relation type")
    for kind, result in per_type.items():
        lines.append(f"  {display_safe(kind)}:")
        lines += _relation_table(result, "    ")
    return lines


def _relation_table(result: RelationAgreement, indent: str) -> list[str]:
    if not result.pairs:
        return [f"{indent}fewer than two annotators: nothing to compare"]
    names = [display_safe(f"{pair.first} / {pair.second}") for pair in result.pairs]
    width = max(text_cells(name) for name in [*names, "pair"])
    lines = [f"{indent}{_padded('pair', width)}  rel. F1  relations  matches"]
    for name, pair in zip(names, result.pairs, strict=True):
        sizes = f"{pair.relations_first}/{pair.relations_second}"
        figure = _number(pair.f1)
        lines.append(f"{indent}{_padded(name, width)}  {figure:>7}  {sizes:<9}  {pair.matches}")
    lines.append(f"{indent}mean pairwise F1: {_number(result.mean_f1)}")
    return lines


def category_lines(result: CategoryAgreement) -> list[str]:
    """κ per exclusive group and per yes/no category, documents being the items."""
    kind = "Fleiss' kappa" if result.fleiss else "Cohen's kappa"
    lines = [f"categories ({kind}, documents as items)"]
    if not result.schema:
        lines.append("no schema: each category compared as yes/no")
    if len(result.annotators) < 2:
        return [*lines, "fewer than two annotators: nothing to compare"]
    names = [_category_name(row.name, row.exclusive) for row in result.rows]
    width = max(text_cells(name) for name in [*names, "category"])
    lines.append(f"{_padded('category', width)}  kappa  documents")
    for name, row in zip(names, result.rows, strict=True):
        lines.append(f"{_padded(name, width)}  {_number(row.kappa):>5}  {row.documents:,}")
    return lines


def _padded(text: str, cells: int) -> str:
    """``text`` padded to ``cells`` terminal cells (a Chinese character takes two)."""
    return text + " " * (cells - text_cells(text))


def _category_name(name: str, exclusive: bool) -> str:
    return display_safe(f"{name} (one of)" if exclusive else f"{name} (yes/no)")
