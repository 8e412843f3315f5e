"""Property: for every format, writing random documents and reading them back keeps them.

Texts mix CJK, astral ideographs, emoji (with joiners), ASCII, line breaks and spaces.
doccano, brat and Label Studio keep texts and spans exactly, overlaps included. CoNLL keeps
them exactly for whitespace-free text without sentence ends and non-overlapping spans; in
general it keeps the non-whitespace characters and every span it does not report dropped.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.formats import FORMATS, DocumentRecord, SpanRecord
from tui.core.formats.model import AttributeRecord, ChainRecord, RelationRecord

ALPHABET = "张三北京大学读书上海𠀀𪚥👨👩👧🎉\u200dab。！ \n"
PLAIN_ALPHABET = "张三北京大学读书𠀀𪚥👨👩🎉\u200dab"
LABELS = ("PER", "LOC", "ORG", "书名", "X-1")


@st.composite
def documents(
    draw: st.DrawFn, alphabet: str = ALPHABET, *, overlapping: bool = True
) -> DocumentRecord:
    """A document with random spans (non-overlapping ones unless ``overlapping``)."""
    text = draw(st.text(alphabet=alphabet, max_size=40))
    offsets = st.integers(0, len(text))
    if overlapping:
        ends = draw(st.lists(st.tuples(offsets, offsets), max_size=6))
        pairs = [(min(a, b), max(a, b)) for a, b in ends]
    else:
        bounds = sorted(draw(st.sets(offsets, max_size=8)))
        pairs = list(zip(bounds[::2], bounds[1::2], strict=False))
    spans = tuple(
        SpanRecord(start, end, draw(st.sampled_from(LABELS)), text[start:end], note=draw(notes))
        for start, end in pairs
        if start < end
    )
    return DocumentRecord(draw(st.sampled_from(["", "d", "文档"])), text, spans)


notes = st.one_of(st.just(""), st.text(alphabet="注释 ab\t", min_size=1, max_size=6))


def round_trip(name: str, docs: list[DocumentRecord]) -> tuple[list[DocumentRecord], int, int]:
    """The documents read back after writing them; also the spans written and dropped."""
    fmt = FORMATS[name]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / ("out" if fmt.out_is_folder else "out" + fmt.suffix)
        report = fmt.write(docs, out)
        return list(fmt.read(out)), report.spans, len(report.dropped)


def exact(doc: DocumentRecord) -> tuple[str, list[tuple[int, int, str, str]]]:
    """A document's text and spans, sorted for formats that regroup them."""
    return doc.text, sorted((s.start, s.end, s.label, s.text) for s in doc.spans)


@settings(max_examples=60, deadline=None)
@given(st.lists(documents(), min_size=1, max_size=3))
def test_doccano_keeps_everything(docs: list[DocumentRecord]) -> None:
    back, _, _ = round_trip("doccano", docs)
    assert [exact(doc) for doc in back] == [exact(doc) for doc in docs]


@settings(max_examples=60, deadline=None)
@given(st.lists(documents(), min_size=1, max_size=3))
def test_label_studio_keeps_everything_with_notes(docs: list[DocumentRecord]) -> None:
    back, _, _ = round_trip("label-studio", docs)
    assert [exact(doc) for doc in back] == [exact(doc) for doc in docs]
    for original, read in zip(docs, back, strict=True):
        assert [s.note for s in read.spans] == [s.note for s in original.spans]


@settings(max_examples=60, deadline=None)
@given(documents())
def test_brat_keeps_everything_with_notes(doc: DocumentRecord) -> None:
    [back], _, _ = round_trip("brat", [doc])
    assert exact(back) == exact(doc)
    assert sorted((s.start, s.note) for s in back.spans) == sorted(
        (s.start, s.note) for s in doc.spans
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(documents(PLAIN_ALPHABET, overlapping=False), min_size=1, max_size=3),
    st.sampled_from(["conll-bio", "conll-bmes"]),
)
def test_conll_keeps_plain_text_and_separate_spans(docs: list[DocumentRecord], name: str) -> None:
    back, _, dropped = round_trip(name, docs)
    assert dropped == 0
    assert [exact(doc) for doc in back] == [exact(doc) for doc in docs if doc.text]


@settings(max_examples=80, deadline=None)
@given(st.lists(documents(), min_size=1, max_size=3), st.sampled_from(["conll-bio", "conll-bmes"]))
def test_conll_keeps_characters_and_every_span_it_does_not_drop(
    docs: list[DocumentRecord], name: str
) -> None:
    back, written, dropped = round_trip(name, docs)
    kept = [doc for doc in docs if _characters(doc.text)]
    assert [_characters(doc.text) for doc in back] == [_characters(doc.text) for doc in kept]
    assert written + dropped == sum(len(doc.spans) for doc in kept)
    assert sum(len(doc.spans) for doc in back) == written
    for original, read in zip(kept, back, strict=True):
        assert all(read.text[s.start : s.end] == s.text for s in read.spans)
        remaining = Counter((s.label, _characters(s.text)) for s in original.spans)
        remaining.subtract((s.label, _characters(s.text)) for s in read.spans)
        assert min(remaining.values(), default=0) >= 0


def _characters(text: str) -> str:
    return "".join(char for char in text if not char.isspace())


def test_the_registry_names_every_format() -> None:
    assert set(FORMATS) == {"doccano", "brat", "conll-bio", "conll-bmes", "label-studio"}
    assert [name for name, fmt in FORMATS.items() if fmt.out_is_folder] == ["brat"]
    assert all(fmt.name == name for name, fmt in FORMATS.items())


# ---------------------------------------------------------------------------- links

#: What each format carries besides spans.
CARRIES = {
    "doccano": {"relations", "categories"},
    "brat": {"relations", "chains", "attributes"},
    "label-studio": {"relations", "categories", "attributes"},
}


@st.composite
def linked_documents(draw: st.DrawFn) -> DocumentRecord:
    """A document whose distinct spans are linked at random by relations (distinct type,
    from, to), chains, attributes (distinct span and name), with categories."""
    doc = draw(documents())
    unique = {(s.start, s.end, s.label): s for s in doc.spans if "\n" not in s.text}
    spans = tuple(
        SpanRecord(s.start, s.end, s.label, s.text, source_id=f"s{i}")
        for i, s in enumerate(unique.values())
    )
    ids = [span.source_id for span in spans]
    if not ids:
        return DocumentRecord(doc.name, doc.text, (), categories=draw(categories))
    pick = st.sampled_from(ids)
    relations = draw(
        st.lists(st.tuples(pick, pick, st.sampled_from(["住在", "Knows"])), max_size=5, unique=True)
    )
    members = st.lists(pick, min_size=2, max_size=4, unique=True).map(tuple)
    chains = draw(st.lists(members, max_size=2, unique=True)) if len(ids) > 1 else []
    attributes = draw(
        st.lists(
            st.tuples(pick, st.sampled_from(["否定", "程度"]), st.sampled_from(["强", True])),
            max_size=4,
            unique_by=lambda attribute: attribute[:2],
        )
    )
    return DocumentRecord(
        doc.name,
        doc.text,
        spans,
        relations=tuple(RelationRecord(a, b, kind) for a, b, kind in relations),
        chains=tuple(ChainRecord(group, "Coreference") for group in chains),
        attributes=tuple(AttributeRecord(*attribute) for attribute in attributes),
        categories=draw(categories),
    )


categories = st.lists(st.sampled_from(["正面", "负面", "体育"]), unique=True).map(tuple)


def links_of(doc: DocumentRecord, kinds: set[str]) -> dict[str, object]:
    """The document's links with span ids replaced by (start, end, label), for the kinds
    a format carries."""
    key = {span.source_id: (span.start, span.end, span.label) for span in doc.spans}
    links: dict[str, object] = {
        "relations": sorted((key[r.source_id], key[r.target_id], r.type) for r in doc.relations),
        "chains": sorted(tuple(key[m] for m in c.members) for c in doc.chains),
        "attributes": sorted((key[a.span], a.name, str(a.value)) for a in doc.attributes),
        "categories": list(doc.categories),
    }
    return {kind: value for kind, value in links.items() if kind in kinds}


@settings(max_examples=60, deadline=None)
@given(st.lists(linked_documents(), min_size=1, max_size=3), st.sampled_from(sorted(CARRIES)))
def test_links_come_back_from_every_format_that_carries_them(
    docs: list[DocumentRecord], name: str
) -> None:
    if name == "brat":  # read back sorted by file name
        docs = docs[:1]
    back, _, _ = round_trip(name, docs)
    assert [links_of(doc, CARRIES[name]) for doc in back] == [
        links_of(doc, CARRIES[name]) for doc in docs
    ]
