"""Documents that already hold many spans: reopening one, and keys while spans are drawn.

Figures (printed by :mod:`bench.__main__`):

* ``reopen_2k_spans_ms``: from Enter on the list to the end of the first frame showing the
  text, for the 1 MiB document holding 2 000 stored spans (one in five with a span nested
  inside it) spread over the whole text, its cursor saved half-way: the store file is read,
  every span checked, the cursor restored and the spans drawn.
* ``undo_history_reopen_ms``: the same, with :data:`HISTORY_STEPS` undo steps stored
  beside the spans (see :func:`store_undo_history`); measured in the same run, runs of
  the two interleaved, each figure the median of its runs.
* ``key_to_frame_5k_spans_*``: the keys of :data:`bench.measure.KEY_PLAN` on the 1 MiB
  document with 5 000 spans packed into its first 100 000 characters (about one every
  20 characters, so every screen the keys reach is full of them).
* ``key_to_frame_5k_spans_3k_relations_*``: the same, once 3 000 relations link those
  spans (:func:`relate`), measured in the same run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

from tui.core.annotations import excerpt, text_sha256
from tui.core.corpus import discover, id_root
from tui.core.history import HISTORY_LIMIT, History, SpanStep
from tui.core.relations.model import LinkEdit, Relation
from tui.core.spans import Span, new_span_id, now_iso
from tui.core.store import Store

ANNOTATOR = "bench"
LABELS = ("PER", "LOC", "ORG", "TIME", "NUM", "MISC")
#: Every NESTED_EVERY-th span gets a shorter span of another label inside it.
NESTED_EVERY = 5
#: A line found nowhere in the seeds, where the saved cursor goes (see :func:`marked_copy`).
MARKER = "标记行：光标应在此处"
#: Undo steps stored for ``undo_history_reopen_ms``: as many as a document keeps.
HISTORY_STEPS = HISTORY_LIMIT


def span_places(text: str, count: int, within: int) -> list[tuple[int, int]]:
    """``count`` (start, end) ranges of 2–4 characters spread evenly over ``text[:within]``.

    A range never holds whitespace, so each is a plausible entity and draws as one block.
    """
    limit = min(within, len(text))
    places: list[tuple[int, int]] = []
    for number in range(count):
        start = number * limit // count
        length = 2 + number % 3
        while start < limit and any(char.isspace() for char in text[start : start + length]):
            start += 1
        if start + length <= limit:
            places.append((start, start + length))
    return places


def _spans(
    doc_id: str, sha: str, text: str, places: list[tuple[int, int]], annotator: str = ANNOTATOR
) -> Iterator[Span]:
    stamp = now_iso()
    for number, (start, end) in enumerate(places):
        label = LABELS[number % len(LABELS)]
        yield Span(
            new_span_id(), doc_id, sha, start, end, text[start:end], label, annotator, stamp, stamp
        )
        if number % NESTED_EVERY == 0 and end - start > 2:
            inner = LABELS[(number + 1) % len(LABELS)]
            yield Span(
                new_span_id(), doc_id, sha, start + 1, end, text[start + 1 : end], inner,
                annotator, stamp, stamp,
            )  # fmt: skip


def annotate(
    document: Path, store: Path, spans: int, within: int, annotator: str = ANNOTATOR
) -> str:
    """Store about ``spans`` spans (nested ones included) over ``document[:within]``.

    The saved cursor is the start of the line :data:`MARKER` (see :func:`marked_copy`), or
    0 when the document has none. Returns the text the opened document must show first.
    """
    [ref] = discover([document], id_root(store))
    text = document.read_text(encoding="utf-8")
    sha = text_sha256(text)
    outer = round(spans * NESTED_EVERY / (NESTED_EVERY + 1))
    places = span_places(text, outer, within)
    if annotator != ANNOTATOR:  # another layer: every seventh span a character later
        places = [(s + 1, e + 1) if n % 7 == 0 else (s, e) for n, (s, e) in enumerate(places)]
    records = list(_spans(ref.doc_id, sha, text, places, annotator))
    target = Store(store).document(ref.doc_id, annotator)
    target.put_spans(records[:spans])
    target.set_doc_sha256(sha)
    cursor = text.find(MARKER)
    target.set_cursor(max(cursor, 0))
    return MARKER if cursor >= 0 else first_line_marker(text)


def relate(document: Path, store: Path, relations: int, annotator: str = ANNOTATOR) -> int:
    """Add ``relations`` relations between neighbouring stored spans of ``document`` (each
    span to the next, in text order; ``关联``); returns how many there are."""
    [ref] = discover([document], id_root(store))
    target = Store(store).document(ref.doc_id, annotator)
    spans = target.load().spans
    stamp = now_iso()
    made = [
        Relation(new_span_id(), "关联", source.id, after.id, annotator, stamp, stamp)
        for source, after in pairwise(spans[: relations + 1])
    ]
    target.apply((), links=LinkEdit.of(put=made))
    return len(made)


def marked_copy(document: Path, offset: int) -> Path:
    """A copy of ``document`` with the line :data:`MARKER` at the first line start ≥ ``offset``.

    The test documents repeat the seed text, so no ordinary line is unique; seeing the
    marker line proves a reopened document went back to the saved cursor.
    """
    copy = document.with_name(f"{document.stem}_marked{document.suffix}")
    text = document.read_text(encoding="utf-8")
    cut = text.find("\n", offset) + 1
    marked = f"{text[:cut]}{MARKER}\n{text[cut:]}"
    if not copy.is_file() or copy.read_text(encoding="utf-8") != marked:
        copy.write_text(marked, encoding="utf-8")
    return copy


def first_line_marker(text: str) -> str:
    """The first six characters of the first line that is long enough and not the title.

    The list already shows the title; any other line of the first screen appears only
    once the document is open.
    """
    title = text[: text.find("\n")]
    for line in text.split("\n")[1:]:
        shown = line.strip()
        if len(shown) >= 6 and shown[:6] not in title:
            return shown[:6]
    raise ValueError("no line to mark near the top")


def store_undo_history(
    document: Path, store: Path, steps: int = HISTORY_STEPS, annotator: str = ANNOTATOR
) -> int:
    """Store ``steps`` undo steps beside ``annotator``'s spans of ``document``.

    Each step relabelled one stored span (the larger kind of step: it holds the span before
    and after), so the history fits the spans on disk as a real one would. Returns the
    size of the history file in bytes.
    """
    [ref] = discover([document], id_root(store))
    target = Store(store).document(ref.doc_id, annotator)
    history = History()
    for span in target.load().spans[:steps]:
        before = replace(span, label="MISC" if span.label != "MISC" else "PER")
        description = f"relabel {excerpt(span.text)} {before.label} → {span.label}"
        history.record(SpanStep(((span.id, before),), ((span.id, span),), description))
    target.save_history(history.encode(ref.doc_id))
    return target.history_path.stat().st_size
