"""Search in a document and across a corpus: either script, any case, canonical offsets."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tui.core.corpus import DocumentRef
from tui.core.script import simplified_shadow
from tui.core.search import CorpusIndex, SearchResult, find_all, fold_case, search_key


def hits_in(text: str, query: str) -> list[str]:
    """The canonical text of each hit of ``query`` in ``text``."""
    return [text[start:end] for start, end in find_all(simplified_shadow(text), query)]


# -------------------------------------------------------------------------- find_all


@pytest.mark.parametrize(
    ("text", "query", "found"),
    [
        ("察布查尔县干部", "县", ["县"]),
        ("察布查爾縣幹部", "县", ["縣"]),
        ("察布查尔县干部", "縣", ["县"]),
        ("察布查爾縣幹部", "縣", ["縣"]),
        ("中国人民银行发布公告", "銀行", ["银行"]),
        ("中國人民銀行發布公告", "银行", ["銀行"]),
        ("銀行和银行", "銀行", ["銀行", "银行"]),
    ],
)
def test_either_script_finds_both(text: str, query: str, found: list[str]) -> None:
    assert hits_in(text, query) == found


def test_latin_letters_ignore_case() -> None:
    text = "Xinhua 新华社 XINHUA xinhua"
    assert find_all(text, "xinHUA") == [(0, 6), (11, 17), (18, 24)]


def test_case_folding_keeps_offsets() -> None:
    # ß and ﬁ fold to two letters; they must stay one so that offsets do not move.
    text = "STRAẞE ﬁx Straße Ärger"
    assert len(fold_case(text)) == len(text)
    assert hits_in(text, "straße") == ["STRAẞE", "Straße"]
    assert hits_in(text, "ärger") == ["Ärger"]
    assert find_all(text, "x") == [(8, 9)]


def test_hits_at_start_and_end() -> None:
    assert find_all("北京到北京", "北京") == [(0, 2), (3, 5)]


def test_hits_do_not_overlap() -> None:
    assert find_all("aaaa", "aa") == [(0, 2), (2, 4)]
    assert find_all("aaaaa", "aa") == [(0, 2), (2, 4)]
    assert find_all("天天天", "天天") == [(0, 2)]


def test_offsets_are_code_points_after_astral_characters() -> None:
    text = "😀𠀀𪚥县里有县"
    assert find_all(simplified_shadow(text), "縣") == [(3, 4), (6, 7)]
    assert [text[s:e] for s, e in find_all(simplified_shadow(text), "縣")] == ["县", "县"]


def test_empty_query_and_query_longer_than_text() -> None:
    assert find_all("北京", "") == []
    assert find_all("", "北京") == []
    assert find_all("北", "北京") == []


def test_control_characters_do_not_break_conversion() -> None:
    # OpenCC would truncate at the NUL; the key keeps the text after it.
    text = "前\x00縣後"
    assert len(search_key(text)) == len(text)
    assert find_all(search_key(text), "县后", folded=True) == [(2, 4)]
    assert CorpusIndex.from_texts([("x", text)]).search("县后").total == 1


def test_folded_haystack_is_used_as_given() -> None:
    key = search_key("Beijing 北京")
    assert find_all(key, "BEIJING", folded=True) == [(0, 7)]


def test_many_hits_in_a_big_document() -> None:
    text = "县城" * 200_000
    hits = find_all(text, "縣城")
    assert len(hits) == 200_000 and hits[-1] == (399_998, 400_000)


# ------------------------------------------------------------------------ CorpusIndex


DOCS = [
    ("a.txt", "察布查尔县干部为各族群众解难题。"),
    ("b.txt", "察布查爾縣的幹部下沉社區。\n縣裡的工作。"),
    ("c.txt", "沒有那個字。"),
    ("d.txt", ""),
    ("e.txt", "县"),
]


def test_corpus_search_finds_both_scripts_in_list_order() -> None:
    index = CorpusIndex.from_texts(DOCS)
    result = index.search("縣")
    assert [(h.index, h.doc_id, h.start, h.end) for h in result.hits] == [
        (0, "a.txt", 4, 5),
        (1, "b.txt", 4, 5),
        (1, "b.txt", 14, 15),
        (4, "e.txt", 0, 1),
    ]
    assert (result.total, result.documents, result.truncated) == (4, 3, False)


def test_hits_never_span_two_documents() -> None:
    index = CorpusIndex.from_texts([("1", "前半北"), ("2", "京後半")])
    assert index.search("北京").total == 0
    assert index.search("後半").hits[0].doc_id == "2"


def test_context_is_one_safe_line_of_original_text() -> None:
    text = "第一行\n\t[b]\x1b]0;x\x07粗\u202e體 縣政府 在這裡\r\n" + "後" * 40
    index = CorpusIndex.from_texts([("x", text)])
    (hit,) = index.search("县政府").hits
    at = text.index("縣政府")
    assert (hit.start, hit.end) == (at, at + 3)
    assert "\n" not in hit.context and "\t" not in hit.context and "\x1b" not in hit.context
    assert "\u202e" not in hit.context and "\r" not in hit.context
    width = hit.end - hit.start
    assert hit.context[hit.context_start : hit.context_start + width] == "縣政府"
    assert hit.context_start == at  # the text before the hit is shorter than 20
    assert hit.context == "第一行  [b]␛]0;x␇粗\ufffd體 縣政府 在這裡␍ " + "後" * 14


def test_context_is_cut_to_twenty_characters_each_side() -> None:
    text = "前" * 50 + "县" + "後" * 50
    (hit,) = CorpusIndex.from_texts([("x", text)]).search("縣").hits
    assert hit.context == "前" * 20 + "县" + "後" * 20
    assert hit.context_start == 20


def test_limit_counts_every_hit_and_document() -> None:
    docs = [(f"{n}.txt", "干部和干部" if n % 2 else "没有") for n in range(100)]
    index = CorpusIndex.from_texts(docs)
    result = index.search("幹部", limit=7)
    assert len(result.hits) == 7
    assert [h.index for h in result.hits] == [1, 1, 3, 3, 5, 5, 7]
    assert (result.total, result.documents, result.truncated) == (100, 50, True)
    assert index.search("幹部", limit=0).hits == []
    assert index.search("幹部", limit=0).documents == 50


def test_empty_and_missing_queries() -> None:
    index = CorpusIndex.from_texts(DOCS)
    assert index.search("") == SearchResult([], 0, 0)
    assert index.search("北京大学") == SearchResult([], 0, 0)
    assert index.search("\x00").total == 0  # the separator between documents


def test_astral_characters_and_case_in_the_corpus() -> None:
    index = CorpusIndex.from_texts([("x", "𠀀😀 Beijing 北京"), ("y", "BEIJING")])
    hits = index.search("beijing").hits
    assert [(h.doc_id, h.start, h.end) for h in hits] == [("x", 3, 10), ("y", 0, 7)]


def test_build_reads_documents_and_names_unreadable_ones(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("銀行在這裡", encoding="utf-8")
    gb = tmp_path / "gb.txt"
    gb.write_bytes("中国人民银行发布了关于银行的公告，银行业界普遍关注。".encode("gb18030"))
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 100)
    refs = [
        DocumentRef("good.txt", good),
        DocumentRef("gone.txt", tmp_path / "gone.txt"),
        DocumentRef("binary.txt", binary),
        DocumentRef("gb.txt", gb),
    ]
    index = CorpusIndex.build(refs)
    assert len(index) == 2 and index.complete
    assert index.problems == ["gone.txt: file vanished", f"binary.txt: {_binary_reason()}"]
    result = index.search("银行")
    assert {(h.index, h.doc_id) for h in result.hits} == {(0, "good.txt"), (3, "gb.txt")}
    assert result.total == 4


def _binary_reason() -> str:
    from tui.core.text import DecodeError, decode_document

    try:
        decode_document(b"\x00\x01\x02\xff" * 100)
    except DecodeError as exc:
        return str(exc)
    raise AssertionError("binary data decoded")


def test_build_stops_when_cancelled(tmp_path: Path) -> None:
    refs = []
    for n in range(10):
        path = tmp_path / f"{n}.txt"
        path.write_text("县", encoding="utf-8")
        refs.append(DocumentRef(path.name, path))
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3

    index = CorpusIndex.build(refs, cancelled)
    assert len(index) == 3 and not index.complete
    assert CorpusIndex.from_texts(DOCS, lambda: True).complete is False


def test_index_can_be_searched_from_many_threads() -> None:
    index = CorpusIndex.from_texts([(str(n), "縣政府和县政府") for n in range(2000)])
    totals: list[int] = []

    def search() -> None:
        totals.append(index.search("县政府", limit=10).total)

    threads = [threading.Thread(target=search) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert totals == [4000] * 8
