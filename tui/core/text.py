"""Canonical document text: decoding, newline normalisation and safe display (DESIGN §2, §3).

A document is decoded once into one canonical string whose code-point indices are the
offsets every span refers to. :func:`display_safe` then makes that string harmless for a
terminal without changing its length, so display columns still map to canonical offsets.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DecodeError",
    "DecodedText",
    "decode_document",
    "display_safe",
    "first_unsafe",
    "normalise_newlines",
]


class DecodeError(Exception):
    """The bytes are not a text document; ``str(error)`` is a one-line human reason."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A decoded document: its canonical text and the encoding it was read with."""

    text: str
    encoding: str


# Only these three are allowed: without the restriction short GB18030/Big5 snippets are
# misread as cp949 or Shift-JIS about half the time (DESIGN §2).
_CANDIDATES = ["utf_8", "gb18030", "big5"]
_CHAOS_THRESHOLD = 0.5
_ENCODING_NAMES = {"utf_8": "utf-8", "gb18030": "gb18030", "big5": "big5"}

# Binary sniffing looks at the start only, so a 20 MB file costs the same as a small one.
_SNIFF_CHARS = 8192
_MAX_CONTROL_RATIO = 0.10
# A handful of stray controls in a short file is hostile text, not a binary file.
_MIN_JUNK = 4

# Controls that text files legitimately carry: whitespace, form feed (old plain-text
# pagination) and ESC (captured coloured terminal logs).
_TEXT_CONTROLS = frozenset("\t\n\r\f\x1b")
_C0_JUNK = frozenset(chr(cp) for cp in range(0x20)) - _TEXT_CONTROLS | {"\x7f"}
# GB18030 and UTF-16 "decode" almost any bytes; what gives noise away is a share of
# unassigned and private-use code points (GBK user-defined areas map to private use) that
# real text does not reach. Checked only for guessed decodes: UTF-8 is never a guess.
_UNLIKELY_CATEGORIES = frozenset({"Cn", "Co", "Cs"})
_MAX_UNLIKELY_RATIO = 0.03

_BINARY = "binary file (NUL bytes / not text)"
_NOT_TEXT = "not valid UTF-8, GB18030 or Big5"


def decode_document(data: bytes) -> DecodedText:
    """Decode a document's bytes into canonical text.

    Order: byte-order mark, strict UTF-8 (a file cut inside its last character, however
    short, ends in U+FFFD), UTF-8 with a few damaged bytes (replaced by U+FFFD), then
    charset-normalizer restricted to UTF-8, GB18030 and Big5. Newlines are normalised.
    Raises :class:`DecodeError` for binary or undecodable data; empty data is a valid
    empty document.
    """
    if not data:
        return DecodedText("", "utf-8")
    decoded = (
        _decode_bom(data) or _decode_utf8(data) or _decode_damaged_utf8(data) or _decode_guess(data)
    )
    if decoded is None:
        raise DecodeError(_BINARY if b"\x00" in data[:_SNIFF_CHARS] else _NOT_TEXT)
    return DecodedText(normalise_newlines(decoded.text), decoded.encoding)


def decode_utf8_head(head: bytes) -> str | None:
    """The first bytes of a file as :func:`decode_document` would read them, when that is
    cheap to tell: clean UTF-8 (a BOM dropped; a character cut by the end of ``head`` left
    out) that does not look binary. None otherwise: only the whole file can say then."""
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    decoded = _utf8_cut_or_whole(head)
    if decoded is None:
        return None
    text = decoded[0][:-1] if decoded[1] else decoded[0]
    if _checked(text, "utf-8", guessed=False) is None:
        return None
    return normalise_newlines(text)


def _decode_bom(data: bytes) -> DecodedText | None:
    if data.startswith(codecs.BOM_UTF8):
        # Not final: EF BB BF is also a valid GB18030 start, so a failure falls through.
        decoded = _utf8_cut_or_whole(data[len(codecs.BOM_UTF8) :])
        if decoded is None:
            return None
        text, cut = decoded
        return _checked(text, DAMAGED_UTF8 if cut else "utf-8-sig", guessed=False)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError("not valid UTF-16 despite its byte-order mark") from exc
        return _require(_checked(text, "utf-16", guessed=True))
    return None


# A UTF-8 file cut mid-character or with a stray byte is still that UTF-8 file: a few bad
# sequences among many good multi-byte characters are replaced by U+FFFD. GB18030 or Big5
# bytes read as UTF-8 give mostly bad sequences, so they never pass this test.
_MAX_DAMAGE_RATIO = 0.001
_MIN_GOOD_PER_BAD = 20
DAMAGED_UTF8 = "utf-8 (damaged bytes replaced)"


def _utf8_cut_or_whole(data: bytes) -> tuple[str, bool] | None:
    """``data`` as UTF-8, and whether it was cut inside its last character.

    Valid UTF-8 up to an unfinished last character (the start of a multi-byte sequence,
    as a copy or download stopped mid-file leaves) is that file cut short, however short
    it is: the unfinished character becomes one U+FFFD. None if any other byte is bad.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return None
    unfinished = decoder.getstate()[0]
    return (text + "\ufffd", True) if unfinished else (text, False)


def _decode_utf8(data: bytes) -> DecodedText | None:
    decoded = _utf8_cut_or_whole(data)
    if decoded is None:
        return None
    text, cut = decoded
    return _require(_checked(text, DAMAGED_UTF8 if cut else "utf-8", guessed=False))


def _decode_damaged_utf8(data: bytes) -> DecodedText | None:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for char in text if char > "\x7f") - text.count("\ufffd")
    if bad > max(1, len(text) * _MAX_DAMAGE_RATIO) or good < bad * _MIN_GOOD_PER_BAD:
        return None
    return _checked(text, DAMAGED_UTF8, guessed=False)


def _decode_guess(data: bytes) -> DecodedText | None:
    best = _best_guess(data)
    if best is None:
        return None
    try:
        text = str(best)
    except UnicodeDecodeError:
        # On large inputs the guess comes from samples; the whole file may still fail.
        return None
    return _checked(text, _ENCODING_NAMES.get(best.encoding, best.encoding), guessed=True)


def _best_guess(data: bytes) -> Any:
    import charset_normalizer

    # The default threshold (0.2) rejects real one-sentence snippets: CJK punctuation
    # counts as "chaos". Binary data is still caught by _checked below.
    matches = charset_normalizer.from_bytes(
        data, cp_isolation=_CANDIDATES, threshold=_CHAOS_THRESHOLD
    )
    best = matches.best()
    if best is None:
        return None
    # A short snippet can be valid, equally plausible GB18030 and Big5; simplified
    # (mainland) text is the more common case, so a tie goes to GB18030.
    for match in matches:
        if match.encoding == "gb18030" and _tied(match, best):
            return match
    return best


def _tied(a: Any, b: Any) -> bool:
    return bool(abs(a.chaos - b.chaos) < 0.005 and abs(a.coherence - b.coherence) <= 0.02)


def _checked(text: str, encoding: str, *, guessed: bool) -> DecodedText | None:
    """Return the decode unless its start looks like binary data."""
    sample = text[:_SNIFF_CHARS]
    controls = sum(1 for ch in sample if ch in _C0_JUNK)
    if _too_many(controls, len(sample), _MAX_CONTROL_RATIO):
        return None
    if guessed and _too_many(_unlikely(sample), len(sample), _MAX_UNLIKELY_RATIO):
        return None
    return DecodedText(text, encoding)


def _unlikely(sample: str) -> int:
    """Count code points real text almost never has but decoded noise often does."""
    return sum(
        1
        for ch in sample
        if "\x80" <= ch <= "\x9f" or unicodedata.category(ch) in _UNLIKELY_CATEGORIES
    )


def _too_many(count: int, total: int, ratio: float) -> bool:
    return count >= _MIN_JUNK and count > ratio * total


def _require(decoded: DecodedText | None) -> DecodedText:
    # A BOM or clean UTF-8 leaves nothing else worth trying: a rejection here is binary.
    if decoded is None:
        raise DecodeError(_BINARY)
    return decoded


def normalise_newlines(text: str) -> str:
    """Turn ``\\r\\n`` and lone ``\\r`` into ``\\n``; nothing else changes."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unsafe_table() -> dict[int, str]:
    table = {cp: chr(0x2400 + cp) for cp in range(0x20) if chr(cp) not in "\n\t"}
    table[0x7F] = "\u2421"
    unsafe = [*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    unsafe += [0x200E, 0x200F, 0x061C, *range(0xD800, 0xE000)]
    table.update(dict.fromkeys(unsafe, "\ufffd"))
    return table


_UNSAFE_TABLE = _unsafe_table()
# "\t" (0x09) and "\n" (0x0A) are deliberately outside the class.
_UNSAFE_RE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def display_safe(text: str) -> str:
    """Replace terminal-hostile code points one for one, so the length never changes.

    C0 controls other than ``\\n`` and ``\\t`` become control pictures (NUL → ␀), DEL
    becomes ␡, and C1 controls, bidi controls and lone surrogates become U+FFFD. Text with
    none of them is returned as is.
    """
    if _UNSAFE_RE.search(text) is None:
        return text
    return text.translate(_UNSAFE_TABLE)


def first_unsafe(text: str) -> str | None:
    """The first code point :func:`display_safe` would replace, or None if there is none.

    Importers refuse values (notes) holding one, with the same test the display applies.
    """
    found = _UNSAFE_RE.search(text)
    return None if found is None else found.group()
