"""Word boundaries from jieba, on the simplified shadow of the text (DESIGN §5).

jieba costs ~100 ms to import and ~0.5 s (+135 MB) to initialise, so nothing here happens
at import time: :meth:`Segmenter.warm_up` is meant to run in a background worker after the
first paint. jieba's default cache lives in the shared ``/tmp`` and is loaded with
``marshal``; we give it a private per-user cache directory instead.

A user dictionary (jieba's format, ``word [freq] [tag]`` per line) is checked up front by
:meth:`Segmenter.check_userdict` and loaded by :meth:`Segmenter.warm_up`. Part-of-speech
tags (:meth:`Segmenter.pos_tokens`) come from ``jieba.posseg`` over the same tokenizer.
"""

from __future__ import annotations

import codecs
import io
import logging
import os
import re
import stat
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tui.core.script import simplified_shadow
from tui.core.text import display_safe

__all__ = [
    "Segmenter",
    "SegmenterError",
    "UserWord",
    "default_cache_dir",
    "read_userdict",
]

_WORD_CHAR_LIMIT = 64  # no real word is longer; guards against pathological tokens


def default_cache_dir() -> Path:
    """The per-user cache directory (``$XDG_CACHE_HOME/biaozhu`` or ``~/.cache/biaozhu``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "biaozhu"


class SegmenterError(Exception):
    """A user dictionary cannot be used; ``str(error)`` is one line naming file and line."""


@dataclass(frozen=True, slots=True)
class UserWord:
    """One entry of a user dictionary: the word (as written), its frequency and tag."""

    word: str
    freq: int | None
    tag: str | None


# Bigger than any sensible word list; a larger file is a mistake (or a hostile one).
_USERDICT_MAX_BYTES = 64 << 20
# Python refuses to parse integers of more than 4 300 digits; no count needs 19.
_FREQ = re.compile(r"[0-9]{1,18}")
# jieba's own tags are lower-case letters; capitals are allowed for tags of one's own.
_TAG = re.compile(r"[A-Za-z]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    """``text`` made safe to show inside a one-line message."""
    return display_safe(text).replace("\n", " ").replace("\t", " ")


def read_userdict(path: Path) -> list[UserWord]:
    """Read and check a user dictionary in jieba's format, stricter than jieba is.

    Each non-blank line is ``word``, ``word freq``, ``word tag`` or ``word freq tag``
    separated by whitespace, with ``freq`` a non-negative integer and ``tag`` letters;
    a word has at most 64 characters and no control characters. (jieba itself would take
    a malformed line whole as one word with spaces in it, which can never match.) A
    frequency of 0 makes jieba always split the word, in a set shared by the whole
    process. Raises :class:`SegmenterError` naming the file and line.
    """
    name = _one_line(str(path))
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise SegmenterError(f"user dictionary {name}: is a directory")
        # A FIFO or device would block or never end.
        if not stat.S_ISREG(mode):
            raise SegmenterError(f"user dictionary {name}: not a regular file")
        with open(path, "rb") as file:
            data = file.read(_USERDICT_MAX_BYTES + 1)
    except FileNotFoundError:
        raise SegmenterError(f"user dictionary {name}: no such file") from None
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise SegmenterError(f"user dictionary {name}: cannot read: {reason}") from None
    if len(data) > _USERDICT_MAX_BYTES:
        raise SegmenterError(f"user dictionary {name}: larger than 64 MiB")
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        raise SegmenterError(f"user dictionary {name}: line {bad_line}: not UTF-8") from None
    words: list[UserWord] = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        fields = line.split()
        if fields:
            words.append(_user_word(fields, f"user dictionary {name}: line {number}"))
    return words


def _user_word(fields: list[str], where: str) -> UserWord:
    """Parse one line's fields; ``where`` names the file and line in errors."""
    if len(fields) > 3:
        raise SegmenterError(f"{where}: expected 'word [freq] [tag]', got {len(fields)} fields")
    word, rest = fields[0], fields[1:]
    if _CONTROL.search(word):
        raise SegmenterError(f"{where}: control character in word {_one_line(word)[:40]!r}")
    # jieba stores every prefix of a word: a megabyte-long "word" would take terabytes.
    if len(word) > _WORD_CHAR_LIMIT:
        raise SegmenterError(f"{where}: word longer than {_WORD_CHAR_LIMIT} characters")
    freq: int | None = None
    tag: str | None = None
    if len(rest) == 2 or (rest and not _TAG.fullmatch(rest[0])):
        if not _FREQ.fullmatch(rest[0]):
            raise SegmenterError(f"{where}: bad frequency {_one_line(rest[0])[:40]!r}")
        freq = int(rest[0])
        rest = rest[1:]
    if rest:
        if not _TAG.fullmatch(rest[0]):
            raise SegmenterError(f"{where}: bad tag {_one_line(rest[0])[:40]!r}")
        tag = rest[0]
    return UserWord(word, freq, tag)


class Segmenter:
    """A lazily initialised jieba tokenizer with a private cache directory.

    ``userdict`` names a user dictionary loaded into the tokenizer by :meth:`warm_up`.
    Its words are converted to their simplified shadow first, because segmentation runs
    on the simplified shadow of the text: a word written in traditional script applies to
    text in either script. Check it with :meth:`check_userdict` before starting the app;
    if it has become unreadable by the time :meth:`warm_up` runs, segmentation goes on
    without it and :attr:`userdict_error` says why.

    ``tags`` are the part-of-speech tags :meth:`pos_tokens` needs to tell (those that
    suggestions map to labels); None keeps every tag. Dictionary words with other tags
    come back as ``x``: jieba's table of every word's tag is ~45 MB of the tagger's ~95.
    """

    def __init__(
        self,
        cache_dir: Path | None = None,
        userdict: Path | None = None,
        tags: Iterable[str] | None = None,
    ) -> None:
        self._cache_dir = cache_dir or default_cache_dir()
        self._userdict = userdict
        self._tags = None if tags is None else frozenset(tags)
        self._lock = threading.Lock()
        self._tokenizer: Any = None
        self._tagger: Any = None
        #: Why the user dictionary was not loaded, or None.
        self.userdict_error: str | None = None
        self._user_tags: dict[str, str] = {}

    @staticmethod
    def check_userdict(path: Path) -> None:
        """Raise :class:`SegmenterError` unless ``path`` is a usable user dictionary.

        Refused: a missing, unreadable or non-regular file, one that is not UTF-8, and any
        bad line (see :func:`read_userdict`). The message is one line naming the file and,
        where it applies, the line, so a command line can print it and stop.
        """
        read_userdict(path)

    @property
    def ready(self) -> bool:
        """Whether jieba is loaded, so that segmenting will not stall."""
        return self._tokenizer is not None

    def warm_up(self) -> None:
        """Import and initialise jieba (idempotent, thread-safe)."""
        if self._tokenizer is not None:
            return
        with self._lock:
            if self._tokenizer is not None:
                return
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.tmp_dir = str(self._private_dir())
            tokenizer.initialize()
            if self._userdict is not None:
                self._load_userdict(tokenizer, self._userdict)
            # Published last: other threads skip the lock once this is set.
            self._tokenizer = tokenizer

    def warm_up_tagger(self) -> None:
        """Import jieba's part-of-speech model (its HMM tables: ~0.1 s and ~17 MB), so the
        first suggestions wait only for the word-tag table (~0.1 s with ``tags``).

        The table itself waits for the first :meth:`pos_tokens`: a reader who never asks
        for suggestions does not carry it.
        """
        _import_posseg()

    def _load_userdict(self, tokenizer: Any, path: Path) -> None:
        """Add the words of ``path`` to ``tokenizer``, as ``load_userdict`` would.

        ``add_word`` is what jieba's ``load_userdict`` calls per line; calling it here
        lets each word be converted to its simplified shadow first.
        """
        try:
            words = read_userdict(path)
        except SegmenterError as exc:
            self.userdict_error = str(exc)
            return
        for entry in words:
            word = simplified_shadow(display_safe(entry.word))
            tokenizer.add_word(word, entry.freq, entry.tag)
            if entry.tag is not None:
                self._user_tags[word] = entry.tag

    def user_tag(self, shadow_word: str) -> str | None:
        """The tag the user dictionary gives ``shadow_word`` (simplified), if any.

        Suggestions trust it over their own filters: a word the user tagged ``nr`` is a
        name even when it does not look like a Chinese one.
        """
        return self._user_tags.get(shadow_word)

    def _private_dir(self) -> Path:
        self._cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self._cache_dir

    def word_starts(self, shadow: str) -> list[int]:
        """Start offsets of the words of ``shadow``, followed by ``len(shadow)``.

        ``shadow`` is simplified text (see :func:`tui.core.script.simplified_shadow`) of the
        same length as the canonical text, so the offsets are canonical offsets too.
        """
        self.warm_up()
        starts: list[int] = []
        position = 0
        for token in self._tokenizer.cut(shadow, HMM=True):
            for piece_start in range(0, len(token), _WORD_CHAR_LIMIT):
                starts.append(position + piece_start)
            position += len(token)
        starts.append(len(shadow))
        return starts

    def pos_tokens(self, shadow: str) -> list[tuple[int, int, str]]:
        """Part-of-speech tokens of ``shadow`` as ``(start, end, flag)``, covering it.

        Flags are jieba's (``nr`` person, ``ns`` place, ``nt`` organisation, ``x`` for
        punctuation and symbols, and for dictionary words whose tag is not among the
        segmenter's ``tags``, …). The first call also loads jieba's tag table (~0.8 s),
        so call it from a worker; after that it is safe from any thread. About 15 000
        characters a second: tag a paragraph at a time.
        """
        tagger = self._tagger or self._build_tagger()
        tokens: list[tuple[int, int, str]] = []
        position = 0
        for pair in tagger.cut(shadow, HMM=True):
            end = position + len(pair.word)
            tokens.append((position, end, pair.flag))
            position = end
        if position != len(shadow):  # never seen; offsets would be wrong
            raise RuntimeError("jieba.posseg tokens do not cover the text")
        return tokens

    def word_table(self) -> tuple[Mapping[str, int], Mapping[str, str]]:
        """jieba's dictionary (a word's frequency; 0 for a prefix that is no word) and its
        word-tag table, the user dictionary's words included: read-only views."""
        tags = (self._tagger or self._build_tagger()).word_tag_tab
        return MappingProxyType(self._tokenizer.FREQ), MappingProxyType(tags)

    def word_tags(self, shadow: str) -> list[tuple[int, int, str]]:
        """The words of ``shadow`` as ``(start, end, tag)``, covering it: jieba's words (new
        words found by its HMM included) with the tag its dictionary gives each word, ``un``
        for a word it lacks.

        Unlike :meth:`pos_tokens`, unknown words are not tagged by jieba's second HMM:
        ~25 times faster (~400 000 characters a second), for the recommender's features.
        """
        tags = (self._tagger or self._build_tagger()).word_tag_tab
        tokens: list[tuple[int, int, str]] = []
        position = 0
        for word in self._tokenizer.cut(shadow, HMM=True):
            end = position + len(word)
            tokens.append((position, end, tags.get(word, "un")))
            position = end
        return tokens

    def _build_tagger(self) -> Any:
        """Build the ``jieba.posseg`` tokenizer over our private tokenizer, once."""
        self.warm_up()
        with self._lock:
            if self._tagger is None:
                tagger = _tagger(self._tokenizer, self._tags)
                # Moves the user dictionary's tags into the tagger now, under the lock,
                # instead of inside the first cut() of whichever thread comes first.
                tagger.makesure_userdict_loaded()
                self._tagger = tagger
            return self._tagger


_posseg_lock = threading.Lock()


def _import_posseg() -> Any:
    """``jieba.posseg``, imported without the word-tag table its import builds for its own
    module-level tagger: ~38 MB and ~0.3 s for a tagger biaozhu never uses (it builds its
    own over its private tokenizer, :func:`_tagger`). While the module is imported, jieba's
    default tokenizer hands that tagger an empty dictionary file to read."""
    with _posseg_lock:
        import jieba

        if "jieba.posseg" not in sys.modules:
            jieba.dt.get_dict_file = io.BytesIO  # an instance attribute over the method
            try:
                import jieba.posseg  # used through sys.modules below
            finally:
                del jieba.dt.get_dict_file
        return sys.modules["jieba.posseg"]


def _tagger(tokenizer: Any, tags: frozenset[str] | None) -> Any:
    """A ``jieba.posseg`` tokenizer over ``tokenizer`` whose word-tag table keeps only
    ``tags`` (every tag when None). Words out of the table are still segmented, and
    unknown words still tagged by jieba's HMM: only known words' other tags read ``x``."""
    posseg = _import_posseg()

    if tags is None:
        return posseg.POSTokenizer(tokenizer)
    # One pass of a regular expression over the whole file ("word freq tag" per line):
    # a Python loop over its 350 000 lines was half of the first suggestions' wait.
    wanted = "|".join(sorted(re.escape(tag) for tag in tags)) or "(?!)"
    line = re.compile(rf"^(\S+) \S+ ({wanted})\r?$", re.MULTILINE)

    base: Any = posseg.POSTokenizer

    class KeptTags(base):  # type: ignore[misc]
        def load_word_tag(self, f: Any) -> None:
            with f:
                text = f.read().decode("utf-8")
            self.word_tag_tab = dict(line.findall(text))

    return KeptTags(tokenizer)
