"""Entity suggestions from jieba's part-of-speech tags, on real sentences with real jieba."""

from __future__ import annotations

import threading
from itertools import pairwise
from pathlib import Path

import pytest

from tui.core.script import simplified_shadow
from tui.core.segment import Segmenter
from tui.core.suggest import (
    COMPOUND_SURNAMES,
    DEFAULT_MAPPING,
    SURNAMES,
    Suggestion,
    TagSource,
    filter_suggestions,
    looks_like_name,
    paragraphs,
    suggest_paragraph,
)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("suggest") / "cache"


def suggested(
    segmenter: Segmenter, text: str, mapping: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """``(covered text, label)`` of each suggestion for ``text`` as one paragraph."""
    shadow = simplified_shadow(text)
    found = suggest_paragraph(segmenter, shadow, 0, len(shadow), mapping or DEFAULT_MAPPING)
    return [(text[s.start : s.end], s.label) for s in found]


# ------------------------------------------------------------------ what jieba tags


def test_pos_tokens_cover_the_text(segmenter: Segmenter) -> None:
    text = "李明在北京大学工作。😀𠀀 a\tb\x00c"
    tokens = segmenter.pos_tokens(text)
    assert tokens[0][0] == 0 and tokens[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(tokens))
    assert [(text[s:e], flag) for s, e, flag in tokens[:4]] == [
        ("李明", "nr"),
        ("在", "p"),
        ("北京大学", "nt"),
        ("工作", "vn"),
    ]
    assert segmenter.pos_tokens("") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # jieba tags the university as one organisation, not 北京 as a place.
        ("李明在北京大学工作", [("李明", "PER"), ("北京大学", "ORG")]),
        ("张三和李四去了上海", [("张三", "PER"), ("李四", "PER"), ("上海", "LOC")]),
        ("新华社记者王小明报道", [("新华社", "ORG"), ("王小明", "PER")]),
        ("诸葛亮和司马懿在五丈原对峙", [("诸葛亮", "PER"), ("司马懿", "PER")]),
        ("中国人民银行发布公告", [("中国人民银行", "ORG")]),
        ("察布查尔锡伯自治县民政局负责人", [("察布查尔锡伯自治县", "LOC"), ("民政局", "ORG")]),
    ],
)
def test_real_sentences(segmenter: Segmenter, text: str, expected: list[tuple[str, str]]) -> None:
    assert suggested(segmenter, text) == expected


def test_five_character_names_are_rejected(segmenter: Segmenter) -> None:
    # jieba's dictionary holds these as nr: a name and what follows it.
    assert segmenter.pos_tokens("杨建华笑笑说没关系")[0] == (0, 5, "nr")
    assert suggested(segmenter, "杨建华笑笑说没关系") == []
    assert suggested(segmenter, "他见到了公孙胜先生") == []


def test_nr_without_a_surname_is_rejected(segmenter: Segmenter) -> None:
    text = "小川和慈善家一起参加活动"
    flags = {text[s:e]: flag for s, e, flag in segmenter.pos_tokens(text)}
    assert flags["小川"] == flags["慈善家"] == "nr"
    assert suggested(segmenter, text) == []
    # 老王 and 和小李 are nr too; 北京 still comes through.
    assert suggested(segmenter, "老王和小李在北京工作") == [("北京", "LOC")]


def test_traditional_text_gives_the_same_offsets(segmenter: Segmenter) -> None:
    simplified, traditional = "张三在中国人民银行工作", "張三在中國人民銀行工作"
    shadow = simplified_shadow(traditional)
    assert shadow == simplified
    found = suggest_paragraph(segmenter, shadow, 0, len(shadow))
    assert found == suggest_paragraph(segmenter, simplified, 0, len(simplified))
    assert [(traditional[s.start : s.end], s.label) for s in found] == [
        ("張三", "PER"),
        ("中國人民銀行", "ORG"),
    ]


def test_paragraph_offsets_are_offsets_in_the_whole_text(segmenter: Segmenter) -> None:
    text = "标题\n\n　　李明在北京大学工作。\n張三去了上海。\n"
    shadow = simplified_shadow(text)
    found = [
        suggestion
        for start, end in paragraphs(text)
        for suggestion in suggest_paragraph(segmenter, shadow, start, end)
    ]
    assert [(text[s.start : s.end], s.label) for s in found] == [
        ("李明", "PER"),
        ("北京大学", "ORG"),
        ("張三", "PER"),
        ("上海", "LOC"),
    ]


def test_the_mapping_is_honoured(segmenter: Segmenter) -> None:
    text = "张三和李四去了上海"
    assert suggested(segmenter, text, {"ns": "PLACE"}) == [("上海", "PLACE")]
    # The surname filter follows the flag, whatever its label is called.
    assert suggested(segmenter, "小川和王刚", {"nr": "人名"}) == [("王刚", "人名")]
    # nrfg (习近平) is a flag of its own, off by default.
    assert suggested(segmenter, "习近平在湖北考察") == [("湖北", "LOC")]
    assert suggested(segmenter, "习近平在湖北考察", {"nrfg": "PER"}) == [("习近平", "PER")]


def test_suggestions_from_a_worker_thread(cache: Path) -> None:
    fresh = Segmenter(cache_dir=cache)  # the tag table is built by whichever thread wins
    results: list[list[tuple[int, int, str]]] = []

    def tag() -> None:
        results.append(fresh.pos_tokens("李明在北京大学工作"))

    threads = [threading.Thread(target=tag) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and all(result == results[0] for result in results)


# ------------------------------------------------------------------ names, paragraphs


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("李明", True),
        ("王小明", True),
        ("欧阳修", True),
        ("上官婉儿", True),
        ("欧阳", False),  # a compound surname alone
        ("李", False),
        ("杨建华笑笑", False),
        ("小川", False),
        ("李Ming", False),
        ("李😀", False),
    ],
)
def test_looks_like_name(word: str, name: bool) -> None:
    assert looks_like_name(word) is name


def test_surname_lists_are_simplified_and_large_enough() -> None:
    assert len(SURNAMES) >= 100 and {"王", "李", "张", "刘", "陈"} <= SURNAMES
    assert {"欧阳", "司马", "诸葛", "上官"} <= COMPOUND_SURNAMES
    joined = "".join(SURNAMES) + "".join(COMPOUND_SURNAMES)
    assert simplified_shadow(joined) == joined


def test_paragraphs_are_lines_without_blank_ones() -> None:
    text = "标题\n\n　　第一段。\n第二段。  \n \n\t\n最后"
    assert [text[s:e] for s, e in paragraphs(text)] == ["标题", "第一段。", "第二段。", "最后"]
    assert paragraphs("") == [] and paragraphs("\n \n") == []


def test_long_paragraphs_are_cut_after_sentences() -> None:
    sentence = "李明在北京大学工作。"  # 10 characters
    text = sentence * 25 + "\n短。"
    pieces = paragraphs(text, max_chars=64)
    assert all(end - start <= 64 for start, end in pieces)
    assert "".join(text[s:e] for s, e in pieces) == text.replace("\n", "")
    assert all(text[end - 1] == "。" for _, end in pieces)
    # A sentence longer than the limit is cut at the limit.
    assert paragraphs("字" * 150, max_chars=64) == [(0, 64), (64, 128), (128, 150)]


# ------------------------------------------------------------------------- filtering


def test_filter_drops_overlaps_with_existing_spans() -> None:
    suggestions = [
        Suggestion(0, 2, "PER"),
        Suggestion(3, 7, "ORG"),
        Suggestion(10, 12, "LOC"),
        Suggestion(20, 22, "PER"),
        Suggestion(30, 33, "LOC"),
    ]
    existing = [
        (0, 2, "LOC"),  # same extent, another label
        (5, 9),  # overlaps the end of 3–7
        (12, 15),  # touches 10–12 only at its end: kept
        (19, 23),  # covers 20–22
    ]
    kept = filter_suggestions(suggestions, existing, set())
    assert kept == [Suggestion(10, 12, "LOC"), Suggestion(30, 33, "LOC")]


def test_filter_drops_rejected_suggestions_only_with_their_label() -> None:
    suggestions = [Suggestion(0, 2, "PER"), Suggestion(3, 5, "LOC"), Suggestion(3, 5, "ORG")]
    kept = filter_suggestions(suggestions, [], {(0, 2, "PER"), (3, 5, "LOC")})
    assert kept == [Suggestion(3, 5, "ORG")]


def test_filter_with_a_span_inside_a_suggestion_and_unsorted_spans() -> None:
    suggestions = [Suggestion(0, 9, "ORG"), Suggestion(10, 12, "PER")]
    existing = {(50, 60), (3, 4), (11, 30)}
    assert filter_suggestions(suggestions, existing, set()) == []
    assert filter_suggestions(suggestions, set(), set()) == suggestions


def test_real_suggestions_filtered(segmenter: Segmenter) -> None:
    text = "李明在北京大学工作"
    found = suggest_paragraph(segmenter, text, 0, len(text))
    kept = filter_suggestions(found, {(3, 5, "LOC")}, {(0, 2, "PER")})
    assert kept == []
    assert filter_suggestions(found, set(), {(0, 2, "LOC")}) == found


def test_merging_sources_keeps_the_surest_of_overlapping_suggestions() -> None:
    from tui.core.suggest import merge_sources

    tags = [Suggestion(0, 2, "LOC", "jieba", 0.75), Suggestion(0, 4, "ORG", "jieba", 0.91)]
    model = [Suggestion(0, 4, "ORG", "model", 0.97), Suggestion(6, 8, "PER", "model", 0.4)]
    merged = merge_sources([*tags, *model, Suggestion(7, 9, "PER", "jieba", 0.43)])
    assert [(s.start, s.end, s.label, s.source) for s in merged] == [
        (0, 4, "ORG", "model"),
        (7, 9, "PER", "jieba"),  # 0.43 beats the model's 0.4 there
    ]


def test_tag_suggestions_carry_jiebas_measured_precision(segmenter: Segmenter) -> None:
    found = TagSource(segmenter).suggest("他在北京大学和上海工作。")
    assert {(s.label, s.source, s.confidence) for s in found} >= {("ORG", "jieba", 0.91)}
