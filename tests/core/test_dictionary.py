"""CC-CEDICT lookups, tone marks, word readings and the word panel's lines."""

from __future__ import annotations

import dataclasses
import gzip
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tui.core.dictionary import (
    Dictionary,
    DictionaryError,
    Entry,
    WordInfo,
    default_path,
    describe_word,
    info_lines,
    numbered_to_marks,
    sub_words,
    syllable_marks,
    warm_up_pinyin,
    word_pinyin,
)

#: Words whose lookups are checked against a plain scan of the file.
SAMPLE = ("行", "乾", "干", "了", "银行", "銀行", "國家", "国家", "台", "U盘", "卡拉OK", "略")


@pytest.fixture(scope="module")
def cedict() -> Dictionary:
    """The real dictionary, loaded once for the module."""
    return Dictionary.load()


@pytest.fixture(scope="module")
def scanned() -> dict[str, list[tuple[str, str, str, tuple[str, ...]]]]:
    """SAMPLE's entries found the slow, obvious way: every line of the file, in order."""
    found: dict[str, list[tuple[str, str, str, tuple[str, ...]]]] = {w: [] for w in SAMPLE}
    with gzip.open(default_path(), "rt", encoding="utf-8") as file:
        for line in file:
            if line.startswith("#") or not line.strip():
                continue
            head, _, rest = line.partition(" [")
            traditional, simplified = head.split(" ")
            pinyin, _, glosses = rest.partition("] ")
            row = (traditional, simplified, pinyin, tuple(glosses.strip().strip("/").split("/")))
            for word in {traditional, simplified} & set(SAMPLE):
                found[word].append(row)
    return found


def cells(text: str) -> int:
    """Terminal cells of ``text``, computed independently of the module under test."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total


def readings(entries: tuple[Entry, ...]) -> list[str]:
    return [entry.pinyin for entry in entries]


# --- the real dictionary ----------------------------------------------------------------


def test_every_entry_of_the_file_is_indexed(cedict: Dictionary) -> None:
    with gzip.open(default_path(), "rt", encoding="utf-8") as file:
        header = [line for line in file if line.startswith("#! entries=")]
    assert len(cedict) == int(header[0].split("=")[1]) == 122_143
    assert cedict.skipped == 0


@pytest.mark.parametrize("word", SAMPLE)
def test_lookup_matches_a_plain_scan(
    cedict: Dictionary,
    scanned: dict[str, list[tuple[str, str, str, tuple[str, ...]]]],
    word: str,
) -> None:
    got = [(e.traditional, e.simplified, e.pinyin, e.glosses) for e in cedict.lookup(word)]
    assert got == scanned[word]
    assert got  # every sample word is in the dictionary


@pytest.mark.parametrize("word", ["银行", "銀行"])
def test_bank_in_either_script(cedict: Dictionary, word: str) -> None:
    info = describe_word(cedict, word, "银行")
    assert info.word == word
    assert info.pinyin == "yínháng"
    assert [(e.traditional, e.simplified) for e in info.entries] == [("銀行", "银行")]
    bank = info.entries[0]
    assert (bank.pinyin, bank.marks, bank.glosses[0]) == ("yin2 hang2", "yín háng", "bank")
    assert info.parts == ()


def test_hang_has_several_readings(cedict: Dictionary) -> None:
    entries = cedict.lookup("行")
    assert readings(entries) == ["hang2", "xing2"]
    assert [e.marks for e in entries] == ["háng", "xíng"]
    assert "to walk" in entries[1].glosses


def test_a_traditional_only_headword(cedict: Dictionary) -> None:
    (entry,) = cedict.lookup("國家")
    assert (entry.traditional, entry.simplified, entry.marks) == ("國家", "国家", "guó jiā")
    assert cedict.lookup("国家") == (entry,)


def test_several_traditional_forms_share_a_simplified_one(cedict: Dictionary) -> None:
    traditional = {entry.traditional for entry in cedict.lookup("干")}
    assert {"乾", "幹", "干"} <= traditional
    assert "gan4" in readings(cedict.lookup("幹"))
    assert "gan4" not in readings(cedict.lookup("乾"))


def test_letters_in_a_reading_pass_through(cedict: Dictionary) -> None:
    assert [e.marks for e in cedict.lookup("U盘")] == ["U pán"]
    assert [e.marks for e in cedict.lookup("卡拉OK")] == ["kǎ lā O K"]


def test_a_word_without_entry_falls_back_to_its_sub_words(cedict: Dictionary) -> None:
    info = describe_word(cedict, "我们的书", "我们的书")
    assert info.entries == ()
    assert info.pinyin == "wǒmendeshū"
    assert [part for part, _ in info.parts] == ["我们", "的", "书"]
    by_part = dict(info.parts)
    assert "wo3 men5" in readings(by_part["我们"])
    assert "shu1" in readings(by_part["书"])


def test_the_fallback_finds_traditional_characters(cedict: Dictionary) -> None:
    info = describe_word(cedict, "們的", "们的")
    assert info.entries == ()
    assert info.pinyin == "mende"
    assert [part for part, _ in info.parts] == ["們", "的"]
    assert readings(info.parts[0][1]) == ["men5"]


@pytest.mark.parametrize("word", ["abc", "2026", "", "，", "\ud800"])
def test_text_that_is_not_chinese(cedict: Dictionary, word: str) -> None:
    assert cedict.lookup(word) == ()
    if word == "\ud800":
        return  # pypinyin cannot take a lone surrogate, and no document holds one
    info = describe_word(cedict, word, word)
    assert (info.entries, info.parts) == ((), ())
    assert info.pinyin == word
    lines = info_lines(info, 30)
    assert lines == [word, "(no dictionary entry)"]


def test_a_mixed_word_keeps_its_letters() -> None:
    assert word_pinyin("U盘") == "Upán"


# --- readings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "reading"),
    [
        ("银行", "yínháng"),
        ("行走", "xíngzǒu"),
        ("重庆", "chóngqìng"),
        ("长大", "zhǎngdà"),
        ("了", "le"),
        ("abc", "abc"),
        ("2026", "2026"),
        ("", ""),
        ("西安", "xī'ān"),
        ("察布查尔", "chábùchá'ěr"),
        ("天安门", "tiān'ānmén"),
        ("恩爱", "ēn'ài"),
        ("海鸥", "hǎi'ōu"),
        ("a安", "aān"),  # no apostrophe after a Latin letter
    ],
)
def test_word_pinyin(word: str, reading: str) -> None:
    assert word_pinyin(word) == reading


@pytest.mark.parametrize(
    ("syllable", "marked"),
    [
        ("lu:4", "lǜ"),
        ("nv3", "nǚ"),
        ("Lu:3", "Lǚ"),
        ("lu:e4", "lüè"),
        ("xiong2", "xióng"),
        ("gou3", "gǒu"),
        ("Ou1", "Ōu"),
        ("liu2", "liú"),
        ("gui4", "guì"),
        ("hao3", "hǎo"),
        ("er5", "er"),
        ("r5", "r"),
        ("Zhong1", "Zhōng"),
        ("a3", "ǎ"),
        ("E4", "È"),
        ("m2", "ḿ"),
        ("ng4", "ǹg"),
        ("A", "A"),
        ("·", "·"),
        ("xx5", "xx"),
    ],
)
def test_syllable_marks(syllable: str, marked: str) -> None:
    assert syllable_marks(syllable) == marked


def test_numbered_to_marks_keeps_the_spaces() -> None:
    assert numbered_to_marks("yin2 hang2") == "yín háng"
    assert numbered_to_marks("Zhong1 guo2 ren2") == "Zhōng guó rén"


def test_importing_the_module_does_not_load_pypinyin() -> None:
    code = (
        "import sys, tui.core.dictionary as d\n"
        "print('pypinyin' in sys.modules)\n"
        "d.warm_up_pinyin()\n"
        "print('pypinyin' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True"]


def test_warm_up_is_idempotent() -> None:
    warm_up_pinyin()
    warm_up_pinyin()
    assert word_pinyin("银行") == "yínháng"


# --- sub-words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "shadow", "parts"),
    [
        ("基層幹部", "基层干部", ("基層", "幹部")),  # traditional: found by its shadow
        ("基层干部", "基层干部", ("基层", "干部")),
        ("组织部", "组织部", ("组织", "部")),
        ("組織部", "组织部", ("組織", "部")),
        ("我们的书", "我们的书", ("我们", "的", "书")),
        ("们的", "们的", ("们", "的")),
    ],
)
def test_sub_words_longest_first_then_characters(
    cedict: Dictionary, word: str, shadow: str, parts: tuple[str, ...]
) -> None:
    assert sub_words(cedict, word, shadow) == parts


def test_sub_words_are_characters_when_no_longer_one_is_known(tmp_path: Path) -> None:
    only_characters = "組 组 [zu3] /to form/\n織 织 [zhi1] /to weave/\n部 部 [bu4] /part/\n"
    small = Dictionary.load(write(tmp_path, "small.txt", only_characters.encode()))
    assert sub_words(small, "组织部", "组织部") == ("组", "织", "部")
    assert sub_words(small, "組織部", "组织部") == ("組", "織", "部")
    info = describe_word(small, "組織部", "组织部")
    assert [(part, readings(entries)) for part, entries in info.parts] == [
        ("組", ["zu3"]),
        ("織", ["zhi1"]),
        ("部", ["bu4"]),
    ]


def test_sub_words_prefer_the_longest_wherever_it_is(tmp_path: Path) -> None:
    # 甲乙 and 乙丙丁 overlap: the longer one is taken, and 甲 stands alone.
    words = "甲乙 甲乙 [jia3 yi3] /ab/\n乙丙丁 乙丙丁 [yi3 bing3 ding1] /bcd/\n"
    small = Dictionary.load(write(tmp_path, "small.txt", words.encode()))
    assert sub_words(small, "甲乙丙丁", "甲乙丙丁") == ("甲", "乙丙丁")


def test_sub_words_of_unknown_characters(cedict: Dictionary) -> None:
    assert sub_words(cedict, "𠀀𠀁㐀", "𠀀𠀁㐀") == ("𠀀", "𠀁", "㐀")
    info = describe_word(cedict, "𠀀𠀁㐀", "𠀀𠀁㐀")
    assert info.parts == (("𠀀", ()), ("𠀁", ()), ("㐀", ()))
    assert info_lines(info, 40)[1:] == ["𠀀: (no entry)", "𠀁: (no entry)", "㐀: (no entry)"]


@pytest.mark.parametrize(
    ("word", "parts"),
    [("abc", ()), ("2026", ()), ("x" * 5000, ()), ("2026年", ("年",)), ("U盘们", ("U盘", "们"))],
)
def test_sub_words_of_letters_and_digits(
    cedict: Dictionary, word: str, parts: tuple[str, ...]
) -> None:
    assert sub_words(cedict, word, word) == parts


def test_sub_words_of_a_long_run(cedict: Dictionary) -> None:
    run = ("基层干部在组织部工作学习" * 6)[:64]
    parts = sub_words(cedict, run, run)
    assert "".join(parts) == run  # every character, once, in order
    assert parts[:4] == ("基层", "干部", "在", "组织")
    assert all(cedict.lookup(part) for part in parts if len(part) > 1)
    assert all(len(part) <= 4 for part in parts)
    unknown = "".join(chr(0x20000 + n) for n in range(64))
    assert sub_words(cedict, unknown, unknown) == tuple(unknown)


def test_a_word_with_an_entry_has_no_sub_words_listed(cedict: Dictionary) -> None:
    assert describe_word(cedict, "组织", "组织").parts == ()
    assert describe_word(cedict, "组织部", "组织部").entries == ()


# --- panel lines --------------------------------------------------------------------


def test_info_lines_for_the_bank(cedict: Dictionary) -> None:
    simplified = info_lines(describe_word(cedict, "银行", "银行"), 60)
    assert simplified == ["银行  yínháng", "銀行 [yín háng] bank; CL:家[jiā],個|个[gè]"]
    traditional = info_lines(describe_word(cedict, "銀行", "银行"), 60)
    assert traditional == ["銀行  yínháng", "银行 [yín háng] bank; CL:家[jiā],個|个[gè]"]


def test_info_lines_wrap_with_an_indent(cedict: Dictionary) -> None:
    info = describe_word(cedict, "银行", "银行")
    lines = info_lines(info, 22)
    assert lines == ["银行  yínháng", "銀行 [yín háng] bank;", "  CL:家[jiā],個|个[gè]"]
    # Narrower, the space before "bank;" is the last break that fits; a word wider than
    # the line is broken anywhere.
    lines = info_lines(info, 20)
    assert lines == ["银行  yínháng", "銀行 [yín háng]", "  bank;", "  CL:家[jiā],個|个[g", "  è]"]


def test_info_lines_show_every_entry(cedict: Dictionary) -> None:
    info = describe_word(cedict, "和", "和")
    lines = info_lines(info, 30)
    assert lines[0] == "和  hé"
    starts = ("[", "咊 [", "龢 [")  # other forms of the headword come before the reading
    assert sum(line.startswith(starts) for line in lines) == len(info.entries) == 8
    assert not any("more" in line or line.endswith("…") for line in lines)
    assert lines[-1] == "  harmonious"  # the last gloss of the last entry


def test_info_lines_for_sub_words(cedict: Dictionary) -> None:
    lines = info_lines(describe_word(cedict, "基層幹部", "基层干部"), 80)
    assert lines[0] == "基層幹部  jīcénggànbù"
    assert lines[1].startswith("基層: 基层 [jī céng] basic level")
    assert lines[2].startswith("幹部: 干部 [gàn bù] cadre")
    assert len(lines) == 3
    lines = info_lines(describe_word(cedict, "组织部", "组织部"), 80)
    heads = [line.split(" ")[0] for line in lines[1:] if not line.startswith(" ")]
    assert heads == ["组织:", "部:"]


def test_info_lines_for_characters(cedict: Dictionary) -> None:
    lines = info_lines(describe_word(cedict, "們的", "们的"), 80)
    assert lines[0] == "們的  mende"
    assert lines[1] == "們: 们 [men] plural marker for pronouns, and nouns referring to individuals"
    assert lines[2].startswith("的: [de] of; ~'s")
    assert not any(line.endswith("more") for line in lines)


@pytest.mark.parametrize(
    "word", ["行", "銀行", "我们的书", "了", "abc", "卡拉OK", "基層幹部", "和", "𠀀" * 30]
)
def test_info_lines_fit_the_width_and_lose_nothing(cedict: Dictionary, word: str) -> None:
    info = describe_word(cedict, word, word.replace("銀", "银"))
    wide = "".join(info_lines(info, 1000)).replace(" ", "")
    for width in range(4, 82, 3):
        lines = info_lines(info, width)
        assert all(cells(line) <= width for line in lines), (width, lines)
        assert lines[0].startswith(word[0])
        # Wrapping only moves text to the next line: every character is still there.
        assert "".join(lines).replace(" ", "") == wide, width


def test_info_lines_on_a_narrow_panel() -> None:
    info = WordInfo("银行", "yínháng", ())
    assert info_lines(info, 0) == []
    assert info_lines(info, 3) == ["银…", "(n…"]
    assert info_lines(info, 30) == ["银行  yínháng", "(no dictionary entry)"]


# --- small files, damaged files ---------------------------------------------------------

SMALL = (
    "# CC-CEDICT\n"
    "#! entries=5\n"
    "乾 乾 [qian2] /heaven/\n"
    "乾 干 [gan1] /dry/\n"
    "\n"
    "幹 干 [gan4] /to do/to work/\n"
    "干 干 [gan1] /shield/\n"
    "銀行 银行 [yin2 hang2] /bank/\r\n"
    "綠 绿 [lu:4] /green/"  # no newline at the end
)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_a_small_file_in_file_order(tmp_path: Path) -> None:
    small = Dictionary.load(write(tmp_path, "small.txt", SMALL.encode()))
    assert (len(small), small.skipped) == (6, 0)
    assert [(e.traditional, e.glosses) for e in small.lookup("干")] == [
        ("乾", ("dry",)),
        ("幹", ("to do", "to work")),
        ("干", ("shield",)),
    ]
    assert readings(small.lookup("乾")) == ["qian2", "gan1"]
    assert small.lookup("銀行")[0].glosses == ("bank",)  # no "\r" left
    assert small.lookup("绿")[0].marks == "lǜ"


def test_a_gzipped_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    data = gzip.compress(b"\xef\xbb\xbf" + SMALL.encode())
    small = Dictionary.load(write(tmp_path, "small.txt.gz", data))
    assert len(small) == 6
    assert small.lookup("乾")[0].pinyin == "qian2"


def test_garbage_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    garbage = [
        b"just some words",
        b"\x00\x01\x02 binary",
        b"\xff\xfe not utf-8 [x1] /x/",
        b"\xe9\x8a\x80 \xe9\x93\xb6 [yin2] /cut in the middle of \xe8\xa1/",  # bad UTF-8
        b"NoPinyin nopinyin /gloss/",
        b"Empty empty [] /gloss/",
        b"NoGloss noGloss [a1]",
        b"EmptyGloss emptyGloss [a1] //",
        b"   ",
        b"Three words here [a1] /x/",
    ]
    lines = SMALL.encode().split(b"\n")
    mixed = b"\n".join([lines[0], *garbage[:5], *lines[1:], *garbage[5:]])
    small = Dictionary.load(write(tmp_path, "mixed.txt", mixed))
    assert (len(small), small.skipped) == (6, 9)  # the blank line is not garbage
    assert readings(small.lookup("干")) == ["gan1", "gan4", "gan1"]
    assert small.lookup("銀") == ()
    assert small.lookup("Three") == ()


def test_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "cedict.txt.gz"
    with pytest.raises(DictionaryError) as raised:
        Dictionary.load(missing)
    message = str(raised.value)
    assert str(missing) in message and "cannot read" in message
    assert "\n" not in message


def test_a_folder_instead_of_a_file(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match="cannot read"):
        Dictionary.load(tmp_path)


def test_a_gz_file_that_is_not_gzip(tmp_path: Path) -> None:
    fake = write(tmp_path, "cedict.txt.gz", SMALL.encode())
    with pytest.raises(DictionaryError) as raised:
        Dictionary.load(fake)
    message = str(raised.value)
    assert str(fake) in message and "gzip" in message
    assert "\n" not in message


def test_a_truncated_gzip_file(tmp_path: Path) -> None:
    data = gzip.compress(SMALL.encode() * 50)
    cut = write(tmp_path, "cut.txt.gz", data[: len(data) // 2])
    with pytest.raises(DictionaryError, match="gzip"):
        Dictionary.load(cut)


@pytest.mark.parametrize(
    "data", [b"", b"# only a comment\n", b"no entry here\nnor here\n", bytes(range(256)) * 10]
)
def test_a_file_without_entries(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.txt", data)
    with pytest.raises(DictionaryError, match="no CC-CEDICT entries") as raised:
        Dictionary.load(path)
    assert str(path) in str(raised.value)


def test_entries_are_frozen_and_slotted(cedict: Dictionary) -> None:
    entry = cedict.lookup("银行")[0]
    assert not hasattr(entry, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.pinyin = "x"  # type: ignore[misc]
    info = describe_word(cedict, "银行", "银行")
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.word = "x"  # type: ignore[misc]
