"""Agreement figures as lines of plain text: the ``agree`` command and the review panel.

Names and labels are made safe for the terminal; numbers have three decimals, ``n/a``
where a figure is undefined.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.core.agreement import (
    Agreement,
    DocumentLayers,
    DocumentScore,
    PairScore,
    agreement,
    by_document,
    by_label,
)
from tui.core.text import display_safe

__all__ = ["agreement_lines", "by_document_lines", "by_label_lines", "panel_lines"]


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


def panel_lines(documents: Sequence[DocumentLayers], worst: int = 30) -> list[str]:
    """The review panel: the corpus table, one per label, and the ``worst`` documents."""
    if not documents:
        return ["no document has annotations yet"]
    lines = [f"{len(documents):,} documents with annotations", ""]
    lines += agreement_lines(agreement(documents))
    lines += ["", "per label"]
    lines += by_label_lines(by_label(documents))
    scores = by_document(documents)
    lines += ["", *by_document_lines(scores[:worst])]
    if len(scores) > worst:
        lines.append(f"  … {len(scores) - worst:,} more (biaozhu agree --by document)")
    return lines
