"""The features of each character of a paragraph, for the CRF (:data:`FEATURE_VERSION`).

Everything is computed on the paragraph's simplified shadow (same length, so offsets carry
over), so a model trained on simplified text tags traditional text too, and the other way
round. For each character:

* character n-grams around it: unigrams at -2..+2, and the bigrams and trigrams of that
  window;
* its character class (Han, digit, Latin, other letter, space, punctuation) and the
  classes of its neighbours;
* the jieba word holding it: the character's place in the word (B, M, E, S; with its
  neighbours' places too), the word's length (up to 6), the word's
  dictionary part-of-speech tag (``un`` for a word jieba found but its dictionary lacks),
  paired with the tags of the characters before and after, and the word itself when longer
  than one character (see :meth:`tui.core.segment.Segmenter.word_tags`);
* the lexicon: the length and tag of the longest word of jieba's dictionary starting at
  the character, of the longest ending there, and of the longest word from some earlier
  start that closes there (forward maximum matching), whether or not the segmentation
  chose it (what a lattice model sees; general words, nothing learnt from a data set).

A model records the version it was trained with; a model of another version is refused
when loaded (retrain it), since the same names would mean other things.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Mapping

from tui.core.script import simplified_shadow
from tui.core.segment import Segmenter
from tui.core.text import display_safe

__all__ = ["FEATURE_VERSION", "char_class", "paragraph_features", "shared_segmenter"]

#: Bump when features change: models trained with another version are refused.
FEATURE_VERSION = 1

_segmenter: Segmenter | None = None
_segmenter_lock = threading.Lock()


def shared_segmenter() -> Segmenter:
    """The process's segmenter for features: jieba with every dictionary tag kept (~95 MB
    once loaded; the first call from a worker takes about a second)."""
    global _segmenter
    with _segmenter_lock:
        if _segmenter is None:
            _segmenter = Segmenter(tags=None)
        return _segmenter


def char_class(char: str) -> str:
    """``H`` Han, ``D`` digit, ``L`` Latin letter, ``A`` other letter, ``S`` space, ``P``
    anything else (punctuation, symbols)."""
    if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or char >= "\U00020000":
        return "H"
    if char.isdigit():
        return "D"
    if char.isascii() and char.isalpha():
        return "L"
    if char.isspace():
        return "S"
    if char.isalpha():
        # Full-width Latin (ＡＢＣ) is Latin; kana, hangul, Cyrillic are other letters.
        return "L" if unicodedata.name(char, "").startswith("FULLWIDTH LATIN") else "A"
    return "P"


def paragraph_features(paragraph: str, segmenter: Segmenter | None = None) -> list[list[str]]:
    """One list of feature names per character of ``paragraph`` (canonical text, any
    script): see the module's notes."""
    shadow = simplified_shadow(display_safe(paragraph))
    size = len(shadow)
    if not size:
        return []
    segmenter = segmenter or shared_segmenter()
    words = segmenter.word_tags(shadow)
    starting, ending, closing = _lexicon(shadow, *segmenter.word_table())
    places, tags, word_of, lengths = _word_features(words, shadow, size)
    classes = [char_class(char) for char in shadow]
    padded = "^^" + shadow + "$$"  # two pads a side for the ±2 window
    features: list[list[str]] = []
    for i in range(size):
        m2, m1, c0, p1, p2 = padded[i], padded[i + 1], padded[i + 2], padded[i + 3], padded[i + 4]
        before = classes[i - 1] if i else "^"
        after = classes[i + 1] if i + 1 < size else "$"
        place, tag = places[i], tags[i]
        row = [
            "b",
            "u-2=" + m2,
            "u-1=" + m1,
            "u0=" + c0,
            "u1=" + p1,
            "u2=" + p2,
            "b-2=" + m2 + m1,
            "b-1=" + m1 + c0,
            "b0=" + c0 + p1,
            "b1=" + p1 + p2,
            "t-1=" + m2 + m1 + c0,
            "t0=" + m1 + c0 + p1,
            "t1=" + c0 + p1 + p2,
            "k=" + classes[i],
            "k3=" + before + classes[i] + after,
            "wp=" + place,
            "wt=" + tag,
            "wpt=" + place + tag,
            "wpn="
            + (places[i - 1] if i else "^")
            + place
            + (places[i + 1] if i + 1 < size else "$"),
            "wl=" + lengths[i] + place,
            "wt-1=" + (tags[i - 1] if i else "^") + "|" + tag,
            "wt+1=" + tag + "|" + (tags[i + 1] if i + 1 < size else "$"),
        ]
        if starting[i]:
            row.append("ls=" + starting[i])
        if ending[i]:
            row.append("le=" + ending[i])
        if closing[i]:
            row.append("lc=" + closing[i])
        if word_of[i]:
            row.append("w=" + word_of[i])
        features.append(row)
    return features


def _word_features(
    words: list[tuple[int, int, str]], shadow: str, size: int
) -> tuple[list[str], list[str], list[str], list[str]]:
    """Per character: its place in its word, the word's tag, the word (empty when one
    character long), and the word's length (6 for six or more)."""
    places = [""] * size
    tags = [""] * size
    word_of = [""] * size
    lengths = [""] * size
    for start, end, tag in words:
        word = shadow[start:end] if end - start > 1 else ""
        length = str(min(end - start, 6))
        for i in range(start, end):
            places[i] = (
                "S" if end - start == 1 else "B" if i == start else "E" if i == end - 1 else "M"
            )
            tags[i] = tag
            word_of[i] = word
            lengths[i] = length
    return places, tags, word_of, lengths


def _lexicon(
    shadow: str, frequencies: Mapping[str, int], tags: Mapping[str, str]
) -> tuple[list[str], list[str], list[str]]:
    """Per character: the length and tag of the longest dictionary word (2 to
    :data:`_LONGEST` characters) starting there, of the longest ending there, and of the
    first longest-from-its-start word that closes there ("" when none)."""
    size = len(shadow)
    starting = [""] * size
    ending = [""] * size
    closing = [""] * size
    for i in range(size):
        for length in range(min(_LONGEST, size - i), 1, -1):
            word = shadow[i : i + length]
            if frequencies.get(word):  # 0: only a prefix of longer words
                starting[i] = f"{length}{tags.get(word, 'x')}"
                closing[i + length - 1] = closing[i + length - 1] or starting[i]
                break
        for length in range(min(_LONGEST, i + 1), 1, -1):
            word = shadow[i + 1 - length : i + 1]
            if frequencies.get(word):
                ending[i] = f"{length}{tags.get(word, 'x')}"
                break
    return starting, ending, closing


#: The longest dictionary word the lexicon features look for.
_LONGEST = 6
