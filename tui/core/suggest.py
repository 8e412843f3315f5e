"""Entity suggestions from jieba's part-of-speech tags (DESIGN §5).

jieba's tags are a rough guide (ns ≈75 % precise, nt ≈91 %, nr ≈43 % full names), so they
are offered as suggestions and never accepted on their own. What jieba 0.42.1 really tags,
measured on the seed texts and on typical sentences:

* ``nr`` (person): real names (李明, 王小明, 欧阳修, 司马光) but also many words picked up
  by its HMM (安青, 纪检监察, 慈善, 阳光, single characters such as 王). Hence the filter:
  2–4 Han characters starting with a common surname (3–4 with a compound surname).
* ``nrfg`` and ``nrt``: a few famous names (习近平 is ``nrfg``) and transliterations, but
  ``nrt`` is mostly noise (察布查尔, 默契, 阿里巴巴); neither is suggested by default.
* ``ns`` (place): 北京, 上海, 迎江区, 察布查尔锡伯自治县, with some noise (城市, 镇里).
* ``nt`` (organisation): 北京大学, 清华大学, 中国科学院, 中国人民银行, 国务院办公厅,
  民政局, 新华社. jieba has no other organisation tag: ``nz`` ("other proper noun") is
  mostly verbs and fragments (印发, 申报, 腾讯 alone) and ``j`` (abbreviation) mixes 纪委,
  村委会 with 同比, 深化; neither is mapped.

A custom mapping may name any of these flags; the surname filter applies to the flags in
:data:`NAME_FLAGS` whatever label they are mapped to, except to words the user dictionary
tags with that flag itself: the user's tag wins (阿依古丽 ``nr`` is a name).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from types import MappingProxyType
from typing import Protocol, TypeVar

from tui.core.labels import DEFAULT_SUGGESTIONS
from tui.core.script import simplified_shadow
from tui.core.text import display_safe

T = TypeVar("T")

__all__ = [
    "COMPOUND_SURNAMES",
    "DEFAULT_MAPPING",
    "MAX_PARAGRAPH",
    "NAME_FLAGS",
    "SURNAMES",
    "TAGS",
    "TAG_PRECISION",
    "PosTagger",
    "Suggestion",
    "SuggestionSource",
    "TagSource",
    "filter_suggestions",
    "keep_disjoint",
    "looks_like_name",
    "merge_sources",
    "paragraph_pieces",
    "paragraphs",
    "suggest_paragraph",
]

#: The name of jieba's tags as a suggestion source (the status line shows it).
TAGS = "jieba"

#: How often jieba's tag is right, measured (DESIGN §5): a tag suggestion's confidence.
#: ``nr`` is the rate before the surname filter, so a floor.
TAG_PRECISION: Mapping[str, float] = MappingProxyType({"ns": 0.75, "nt": 0.91, "nr": 0.43})
_OTHER_TAG_PRECISION = 0.5

#: jieba flag → label. Read-only; pass a dict of your own for another mapping.
DEFAULT_MAPPING: Mapping[str, str] = MappingProxyType(dict(DEFAULT_SUGGESTIONS))

#: Flags whose tokens must look like a Chinese personal name to be suggested. ``nrfg``
#: is not one: it marks dictionary entries of well-known full names, often with rare
#: surnames (习近平), and is rare enough not to need filtering.
NAME_FLAGS = frozenset({"nr"})

#: Common single-character surnames, simplified (the shadow is simplified): the hundred
#: most common by population, then about 160 more. Rarer surnames that mostly start
#: ordinary words jieba mistags as nr (阳光, 海军, 全面, 和平, 国家, 时间) are left out.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦"
    "俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶牟艾尤穆司卓古吉缪简车项连芦麦褚娄窦戚岑景宫费卜晏席卫米柏瞿桂佟臧闵苟邬边卞姬仇栾"
    "隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池麻苑迟邝匡鞠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺廉"
)

#: Compound surnames, simplified.
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
        "夏侯", "长孙", "宇文", "司徒", "端木", "独孤", "南宫", "西门", "轩辕", "呼延",
        "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太史", "申屠", "钟离", "闻人",
        "赫连", "东郭", "百里", "万俟", "司空", "左丘", "拓跋", "完颜",
    }
)  # fmt: skip

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")
#: A paragraph longer than this is tagged in pieces cut after a sentence end: posseg
#: handles ~15 000 characters a second, and a worker should yield now and then.
MAX_PARAGRAPH = 2000
_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』）)】》\"']*")


class PosTagger(Protocol):
    """What suggestions need from a segmenter (:class:`tui.core.segment.Segmenter`)."""

    def pos_tokens(self, shadow: str) -> list[tuple[int, int, str]]:
        """Tokens of ``shadow`` as ``(start, end, jieba flag)``, covering it."""
        ...

    def user_tag(self, shadow_word: str) -> str | None:
        """The tag the user dictionary gives ``shadow_word``, if any."""
        ...


@dataclass(frozen=True, slots=True, order=True)
class Suggestion:
    """A suggested span: canonical ``[start, end)`` and the label it would get; which
    source suggested it and how sure it is (0–1; for jieba, the measured precision of the
    tag). Two suggestions are equal by extent and label alone."""

    start: int
    end: int
    label: str
    source: str = field(default=TAGS, compare=False)
    confidence: float = field(default=1.0, compare=False)


class SuggestionSource(Protocol):
    """One way of suggesting spans: jieba's tags (:class:`TagSource`), a trained model, …

    Called from a worker thread, one paragraph (at most :data:`MAX_PARAGRAPH`
    characters) at a time, so a source never needs the whole document. Each suggestion
    names its source and says how sure it is; where suggestions of several sources
    overlap, the surest is kept (:func:`merge_sources`).
    """

    def suggest(self, paragraph: str) -> list[Suggestion]:
        """Suggestions for ``paragraph`` (canonical text), in offsets within it."""
        ...


class TagSource:
    """Suggestions from jieba's part-of-speech tags mapped to labels (the module's notes)."""

    def __init__(self, tagger: PosTagger, mapping: Mapping[str, str] = DEFAULT_MAPPING) -> None:
        self.tagger = tagger
        self.mapping = mapping

    def suggest(self, paragraph: str) -> list[Suggestion]:
        """Tag the paragraph's simplified shadow (same length, so offsets carry over)."""
        shadow = simplified_shadow(display_safe(paragraph))
        return suggest_paragraph(self.tagger, shadow, 0, len(shadow), self.mapping)


def merge_sources(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """One suggestion where several overlap: the surest (the first given on a tie), sorted.

    A trained model and jieba often suggest the same name, or nested ones (北京 inside
    北京大学); showing both would draw one mark over the other.
    """
    ranked = sorted(enumerate(suggestions), key=lambda item: (-item[1].confidence, item[0]))
    kept = keep_disjoint((suggestion for _, suggestion in ranked), lambda s: (s.start, s.end))
    return sorted(kept)


def keep_disjoint(ranked: Iterable[T], extent: Callable[[T], tuple[int, int]]) -> list[T]:
    """The items of ``ranked`` (best first) whose ``extent`` overlaps none kept before.

    The kept extents never overlap, so sorted by start their ends are sorted too: the one
    kept extent that may overlap a candidate is the last starting before its end (a
    bisection, where checking every kept one made a screen's merge quadratic).
    """
    kept: list[T] = []
    starts: list[int] = []
    ends: list[int] = []
    for item in ranked:
        start, end = extent(item)
        before = bisect_left(starts, end)
        if before and ends[before - 1] > start:
            continue
        kept.append(item)
        starts.insert(before, start)
        ends.insert(before, end)
    return kept


def looks_like_name(word: str) -> bool:
    """Whether ``word`` (simplified) could be a Chinese personal name.

    2–4 Han characters starting with a common surname; with a compound surname 3–4, as
    the surname alone (欧阳) is not a name.
    """
    if not 2 <= len(word) <= 4 or not _HAN.fullmatch(word):
        return False
    if word[:2] in COMPOUND_SURNAMES:
        return len(word) >= 3
    return word[0] in SURNAMES


def paragraphs(text: str, max_chars: int = MAX_PARAGRAPH) -> list[tuple[int, int]]:
    """The paragraphs of ``text`` as ``(start, end)``: each line, stripped of whitespace.

    Chinese news text puts each paragraph on one line, so every line is a paragraph and
    blank lines are skipped. A line longer than ``max_chars`` is cut into pieces after a
    sentence end (or at ``max_chars`` when a sentence is longer still), so that no piece
    takes a worker long and no entity is cut except inside a giant sentence.
    """
    found: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        found += paragraph_pieces(text, position, position + len(line), max_chars)
        position += len(line) + 1
    return found


def paragraph_pieces(
    text: str, start: int, end: int, max_chars: int = MAX_PARAGRAPH
) -> list[tuple[int, int]]:
    """``text[start:end]`` (one line, or one part of a long one) stripped of whitespace and
    cut into pieces of at most ``max_chars`` as :func:`paragraphs` cuts; none if blank."""
    line = text[start:end]
    stripped = line.strip()
    if not stripped:
        return []
    first = start + line.index(stripped[0])
    return _pieces(text, first, first + len(stripped), max_chars)


def _pieces(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut into pieces of at most ``max_chars`` after sentence ends."""
    pieces: list[tuple[int, int]] = []
    while end - start > max_chars:
        cut = start + max_chars
        last = None
        for match in _SENTENCE_END.finditer(text, start, cut):
            last = match
        if last is not None and last.end() > start:
            cut = last.end()
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def suggest_paragraph(
    segmenter: PosTagger,
    shadow: str,
    start: int,
    end: int,
    mapping: Mapping[str, str] = DEFAULT_MAPPING,
) -> list[Suggestion]:
    """Suggestions for the paragraph ``shadow[start:end]``, in offsets of the whole text.

    ``shadow`` is the simplified shadow of the canonical text (same length), so the
    offsets are canonical. Tokens whose jieba flag is in ``mapping`` get its label; those
    with a flag of :data:`NAME_FLAGS` only when :func:`looks_like_name` or when the user
    dictionary gave the word that flag.
    """
    suggestions: list[Suggestion] = []
    for token_start, token_end, flag in segmenter.pos_tokens(shadow[start:end]):
        label = mapping.get(flag)
        if label is None:
            continue
        if flag in NAME_FLAGS:
            word = shadow[start + token_start : start + token_end]
            if not looks_like_name(word) and segmenter.user_tag(word) != flag:
                continue
        confidence = TAG_PRECISION.get(flag, _OTHER_TAG_PRECISION)
        suggestions.append(
            Suggestion(start + token_start, start + token_end, label, TAGS, confidence)
        )
    return suggestions


def filter_suggestions(
    suggestions: Iterable[Suggestion],
    existing: Iterable[tuple[int, int] | tuple[int, int, str]],
    rejected: Collection[tuple[int, int, str]] = frozenset(),
) -> list[Suggestion]:
    """Drop suggestions that touch an existing span or that were rejected before.

    ``existing`` holds extents of spans already there (a label, if given, is ignored): a
    suggestion overlapping one in any way, or coinciding with it, is dropped whatever the
    labels. ``rejected`` holds ``(start, end, label)`` triples the annotator turned down;
    only that exact suggestion is dropped, so the same extent may come back with another
    label. Each test costs a bisection, so thousands of spans are fine.
    """
    extents = sorted((item[0], item[1]) for item in existing)
    starts = [start for start, _ in extents]
    # The furthest end among the spans starting before each index: a suggestion overlaps
    # some span iff a span starting before its end reaches past its start.
    reach = list(accumulate((end for _, end in extents), max))
    kept: list[Suggestion] = []
    for suggestion in suggestions:
        if (suggestion.start, suggestion.end, suggestion.label) in rejected:
            continue
        before = bisect_left(starts, suggestion.end)
        if before and reach[before - 1] > suggestion.start:
            continue
        kept.append(suggestion)
    return kept
