"""User dictionaries: their words segment as one, in either script; bad files are refused."""

from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest

from tui.core import segment
from tui.core.script import simplified_shadow
from tui.core.segment import Segmenter, SegmenterError, UserWord, read_userdict
from tui.core.suggest import suggest_paragraph

# Traditional on purpose: the word must apply to simplified text too.
# 阿依古丽 and 买买提艾力江 fail the surname filter (no common surname; too long).
USERDICT = "標註工具箱\n苏州河畔 10 ns\n\n布查尔县干部 nt\n阿依古丽 nr\n买买提艾力江 nr\n"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("userdict") / "cache"


@pytest.fixture(scope="module")
def custom(cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Segmenter:
    path = tmp_path_factory.mktemp("dict") / "user.txt"
    path.write_text(USERDICT, encoding="utf-8")
    Segmenter.check_userdict(path)
    segmenter = Segmenter(cache_dir=cache, userdict=path)
    segmenter.warm_up()
    assert segmenter.userdict_error is None
    return segmenter


def words(segmenter: Segmenter, text: str) -> list[str]:
    starts = segmenter.word_starts(simplified_shadow(text))
    return [text[a:b] for a, b in pairwise(starts)]


@pytest.mark.parametrize("text", ["我们用标注工具箱工作", "我們用標註工具箱工作"])
def test_userdict_word_is_one_word_in_either_script(
    segmenter: Segmenter, custom: Segmenter, text: str
) -> None:
    assert text[3:8] not in words(segmenter, text)
    assert text[3:8] in words(custom, text)


def test_userdict_with_frequency_and_tag(segmenter: Segmenter, custom: Segmenter) -> None:
    text = "他在苏州河畔散步"
    assert words(segmenter, text) == ["他", "在", "苏州", "河畔", "散步"]
    assert words(custom, text) == ["他", "在", "苏州河畔", "散步"]
    assert (2, 6, "ns") in custom.pos_tokens(text)


def test_userdict_tag_feeds_suggestions(custom: Segmenter) -> None:
    text = "察布查爾縣幹部下沉"
    shadow = simplified_shadow(text)
    found = suggest_paragraph(custom, shadow, 0, len(shadow))
    assert [(text[s.start : s.end], s.label) for s in found] == [("布查爾縣幹部", "ORG")]


def test_userdict_person_tag_wins_over_the_surname_filter(
    segmenter: Segmenter, custom: Segmenter
) -> None:
    text = "阿依古丽和买买提艾力江在乌鲁木齐工作"
    found = suggest_paragraph(custom, text, 0, len(text))
    assert [(text[s.start : s.end], s.label) for s in found] == [
        ("阿依古丽", "PER"),
        ("买买提艾力江", "PER"),
        ("乌鲁木齐", "LOC"),
    ]
    # Without the user dictionary neither name is suggested whole.
    plain = {text[s.start : s.end] for s in suggest_paragraph(segmenter, text, 0, len(text))}
    assert "阿依古丽" not in plain and "买买提艾力江" not in plain


def test_vanished_userdict_leaves_segmentation_working(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "user.txt"
    path.write_text("标注工具箱\n", encoding="utf-8")
    Segmenter.check_userdict(path)
    segmenter = Segmenter(cache_dir=cache, userdict=path)
    path.unlink()
    segmenter.warm_up()
    assert segmenter.userdict_error is not None and "no such file" in segmenter.userdict_error
    assert words(segmenter, "标注工具箱") == ["标注", "工具箱"]


def test_read_userdict_accepts_jieba_format(tmp_path: Path) -> None:
    path = tmp_path / "user.txt"
    path.write_bytes(
        "\ufeff云计算 5\r\n韩玉鉴赏 3 nz\r\n  \r\n八一双鹿\n台中 n\nabc\u3000 7\n".encode()
    )
    assert read_userdict(path) == [
        UserWord("云计算", 5, None),
        UserWord("韩玉鉴赏", 3, "nz"),
        UserWord("八一双鹿", None, None),
        UserWord("台中", None, "n"),
        UserWord("abc", 7, None),
    ]
    assert read_userdict(_write(tmp_path, b"")) == []


def _write(folder: Path, data: bytes, name: str = "bad.txt") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("标注 -3\n".encode(), "line 1: bad frequency '-3'"),
        ("好词\n标注 1.5 n\n".encode(), "line 2: bad frequency '1.5'"),
        ("标注 1e3\n".encode(), "line 1: bad frequency '1e3'"),
        ("标注 10 n 多余\n".encode(), "line 1: expected 'word [freq] [tag]', got 4 fields"),
        ("标注 10 n1\n".encode(), "line 1: bad tag 'n1'"),
        ("a\n\n标\x1b[2J注 3\n".encode(), "line 3: control character in word"),
        ("好\n".encode() + "标注\n".encode("gb18030"), "line 2: not UTF-8"),
        (b"\x00\x01\xff\xfe" * 10, "line 1: not UTF-8"),
        (("标注 " + "9" * 5000).encode(), "line 1: bad frequency '9999"),
        (("字" * 65 + " 3\n").encode(), "line 1: word longer than 64 characters"),
    ],
)
def test_bad_lines_are_refused_with_file_and_line(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(SegmenterError) as caught:
        Segmenter.check_userdict(path)
    text = str(caught.value)
    assert text.startswith(f"user dictionary {path}: {message}")
    assert "\n" not in text and "\x1b" not in text


def test_missing_directory_and_special_files_are_refused(tmp_path: Path) -> None:
    cases = {tmp_path / "missing.txt": "no such file", tmp_path: "is a directory"}
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    cases[fifo] = "not a regular file"  # opening it would block
    for path, reason in cases.items():
        with pytest.raises(SegmenterError, match=reason):
            Segmenter.check_userdict(path)


def test_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "标注\n".encode())

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # chmod 0 does not stop root, who runs these tests in containers.
    monkeypatch.setattr(segment, "open", denied, raising=False)
    with pytest.raises(SegmenterError, match="cannot read: permission denied"):
        Segmenter.check_userdict(path)


def test_hostile_file_name_stays_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "标注 -1\n".encode(), name="a\nb\x1b[2J.txt")
    with pytest.raises(SegmenterError) as caught:
        Segmenter.check_userdict(path)
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)
