"""Finding, describing and loading documents (DESIGN §2, §4, §9)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tui.core import corpus
from tui.core.convert import Script
from tui.core.corpus import (
    CorpusError,
    DocumentError,
    DocumentRef,
    detect_script,
    discover,
    document_id,
    filter_key,
    id_root,
    load_document,
    peek_title,
    read_info,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def write(path: Path, content: str | bytes = "正文\n") -> Path:
    """Create ``path`` (and its parents) holding ``content``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def ids(refs: list[DocumentRef]) -> list[str]:
    """The names the user sees: paths below the folder given."""
    return [ref.name for ref in refs]


# ------------------------------------------------------------------------- discover


def test_directory_is_read_recursively_with_relative_posix_ids(tmp_path: Path) -> None:
    write(tmp_path / "a.txt")
    write(tmp_path / "卷一" / "第一章.txt")
    write(tmp_path / "卷一" / "deep" / "er" / "notes.md")
    refs = discover([tmp_path], str(tmp_path))
    assert ids(refs) == ["a.txt", "卷一/deep/er/notes.md", "卷一/第一章.txt"]
    assert refs[1].path == tmp_path / "卷一" / "deep" / "er" / "notes.md"


def test_only_text_suffixes_are_taken_case_insensitively(tmp_path: Path) -> None:
    for name in ["a.txt", "b.TXT", "c.text", "d.Md", "e.pdf", "f.json", "g", "h.txt.bak"]:
        write(tmp_path / name)
    assert ids(discover([tmp_path], str(tmp_path))) == ["a.txt", "b.TXT", "c.text", "d.Md"]


def test_hidden_files_and_directories_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / ".hidden.txt")
    write(tmp_path / ".git" / "notes.txt")
    write(tmp_path / "shown.txt")
    assert ids(discover([tmp_path], str(tmp_path))) == ["shown.txt"]


def test_explicit_file_is_taken_whatever_its_extension(tmp_path: Path) -> None:
    odd = write(tmp_path / "sub" / "novel.gb")
    refs = discover([odd], str(tmp_path))
    assert refs == [DocumentRef("sub/novel.gb", odd, "novel.gb")]


def test_chapters_sort_naturally(tmp_path: Path) -> None:
    for n in [10, 2, 1]:
        write(tmp_path / f"第{n}章.txt")
    assert ids(discover([tmp_path], str(tmp_path))) == ["第1章.txt", "第2章.txt", "第10章.txt"]


def test_missing_path_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "x.txt"
    with pytest.raises(CorpusError) as info:
        discover([missing], str(tmp_path))
    assert str(info.value) == f"no such file or directory: {missing}"


def test_unreadable_top_directory_names_it(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read a chmod 000 directory")
    locked = tmp_path / "locked"
    write(locked / "a.txt")
    locked.chmod(0)
    try:
        with pytest.raises(CorpusError) as info:
            discover([locked], str(tmp_path))
    finally:
        locked.chmod(0o755)
    assert str(locked) in str(info.value)
    assert "\n" not in str(info.value)


def test_unreadable_top_directory_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Runs as root too: the scandir failure is injected instead of set up with chmod.
    real_scandir = os.scandir

    def refuse(path: str) -> Any:
        if Path(path) == tmp_path:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(corpus.os, "scandir", refuse)
    with pytest.raises(CorpusError) as info:
        discover([tmp_path], str(tmp_path))
    assert str(info.value) == f"cannot read directory {tmp_path}: permission denied"


def test_unreadable_subdirectory_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "ok.txt")
    write(tmp_path / "locked" / "secret.txt")
    real_scandir = os.scandir

    def refuse(path: str) -> Any:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(corpus.os, "scandir", refuse)
    assert ids(discover([tmp_path], str(tmp_path))) == ["ok.txt"]


def test_directory_symlinks_are_not_followed(tmp_path: Path) -> None:
    write(tmp_path / "real" / "a.txt")
    (tmp_path / "real" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    assert ids(discover([tmp_path], str(tmp_path))) == ["real/a.txt"]


def test_the_same_file_given_twice_appears_once(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt")
    refs = discover([a, tmp_path, a, tmp_path / "." / "a.txt"], str(tmp_path))
    assert ids(refs) == ["a.txt"]


def test_a_file_symlink_to_a_listed_file_appears_once(tmp_path: Path) -> None:
    write(tmp_path / "a.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    assert ids(discover([tmp_path], str(tmp_path))) == ["a.txt"]


def test_equal_ids_from_two_roots_are_told_apart(tmp_path: Path) -> None:
    first = write(tmp_path / "one" / "a.txt", "一")
    second = write(tmp_path / "two" / "a.txt", "二")
    refs = {
        ref.name: ref.path for ref in discover([tmp_path / "one", tmp_path / "two"], str(tmp_path))
    }
    assert refs == {"a.txt": first, "two/a.txt": second}


def test_ids_stay_unique_when_the_prefixed_id_also_exists(tmp_path: Path) -> None:
    write(tmp_path / "one" / "a.txt")
    write(tmp_path / "one" / "two" / "a.txt")
    write(tmp_path / "x" / "two" / "a.txt")
    write(tmp_path / "y" / "two" / "a.txt")
    roots = [tmp_path / "one", tmp_path / "x" / "two", tmp_path / "y" / "two"]
    found = ids(discover(roots, str(tmp_path)))
    assert sorted(found) == ["a.txt", "two/a.txt", "two/a.txt (2)", "two/a.txt (3)"]


def test_two_explicit_files_with_the_same_name(tmp_path: Path) -> None:
    first = write(tmp_path / "甲" / "a.txt")
    second = write(tmp_path / "乙" / "a.txt")
    assert ids(discover([first, second], str(tmp_path))) == ["a.txt", "乙/a.txt"]


def test_ten_thousand_files(tmp_path: Path) -> None:
    # Hard links: creating 10 000 inodes takes seconds on some disks, a link does not.
    # Each link is its own path, so discovery must still list every one.
    source = write(tmp_path / "source.bin", "第一章\n")
    corpus_dir = tmp_path / "corpus"
    expected = []
    for d in range(100):
        folder = corpus_dir / f"d{d:03}"
        folder.mkdir(parents=True)
        for f in range(100):
            os.link(source, folder / f"f{f:03}.txt")
            expected.append(f"d{d:03}/f{f:03}.txt")
    refs = discover([corpus_dir], str(tmp_path))
    assert ids(refs) == expected
    assert all(ref.path == corpus_dir / ref.name for ref in refs)
    assert read_info(refs[-1]).title == "第一章"


# ------------------------------------------------------------------------ read_info


def test_read_info_of_a_seed() -> None:
    (path,) = SEEDS.glob("003_*.txt")
    info = read_info(DocumentRef(path.name, path))
    text = path.read_text(encoding="utf-8")
    assert info.error is None
    assert info.title == "03.25 基層幹部:微信群清理整合後,感覺手機拿著都變輕了"
    assert info.length == len(text)
    assert info.encoding == "utf-8"
    assert info.script is Script.TRADITIONAL
    assert info.title_key == filter_key(info.title)
    assert "层" in info.title_key


def test_title_skips_blank_lines_and_is_capped(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "\n  \n\u3000\u3000第一章　开始  \n正文")
    assert read_info(DocumentRef("a.txt", path)).title == "第一章　开始"
    long = write(tmp_path / "b.txt", "字" * 5000)
    assert read_info(DocumentRef("b.txt", long)).title == "字" * 200


def test_title_is_display_safe(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "\x1b]0;pwned\x07标题\n")
    assert read_info(DocumentRef("a.txt", path)).title == "␛]0;pwned␇标题"


def test_a_peeked_title_is_the_title_read_whole(tmp_path: Path) -> None:
    """The title shown before a file is read whole is the one it keeps afterwards."""
    cases = {
        "blank.txt": "\n  \n\u3000\u3000第一章　开始  \r\n正文",
        "bom.txt": "\ufeff标题\n正文",
        "long.txt": "字" * 5000,
        "short.txt": "只有一行",
        "unsafe.txt": "\x1b]0;pwned\x07标题\n",
        "late.txt": "\n" * 3000 + "标题\n正文\n" * 1000,
        "cut.txt": "字" * 1365 + "标题很长" * 100 + "\n",
    }
    refs = [DocumentRef(name, write(tmp_path / name, text)) for name, text in cases.items()]
    refs += [DocumentRef(path.name, path) for path in sorted(SEEDS.glob("*.txt"))]
    for ref in refs:
        assert peek_title(ref) == read_info(ref).title, ref.name


def test_no_title_is_peeked_where_the_first_bytes_cannot_tell_it(tmp_path: Path) -> None:
    """Not clean UTF-8, or no end of the title line in the first 4 KiB: left to the whole
    file's reading (never a wrong title, never charset guessing before the first paint)."""
    gb = write(tmp_path / "gb.txt", "中华人民共和国\n".encode("gb18030"))
    blank = write(tmp_path / "blank.txt", " " * 5000 + "标题")
    binary = write(tmp_path / "binary.txt", b"\x00\x01\x02" * 100)
    unfinished = write(tmp_path / "line.txt", "\n" * 4000 + "标题" * 200)
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    for path in (gb, blank, binary, unfinished, folder, tmp_path / "gone.txt"):
        assert peek_title(DocumentRef(path.name, path)) is None, path.name


def test_read_info_counts_code_points_of_canonical_text(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "𠀀𪚥\r\n李\r".encode())
    info = read_info(DocumentRef("a.txt", path))
    assert info.length == len("𠀀𪚥\n李\n") == 5


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.txt", b"")
    info = read_info(DocumentRef("empty.txt", path))
    assert (info.error, info.title, info.length, info.script) == (None, "", 0, Script.UNKNOWN)
    assert load_document(DocumentRef("empty.txt", path)).text == ""


def test_gb18030_file(tmp_path: Path) -> None:
    text = (SEEDS / next(p.name for p in SEEDS.glob("000_*.txt"))).read_text(encoding="utf-8")
    path = write(tmp_path / "gb.txt", text.encode("gb18030"))
    info = read_info(DocumentRef("gb.txt", path))
    assert (info.encoding, info.length, info.script) == ("gb18030", len(text), Script.SIMPLIFIED)
    assert load_document(DocumentRef("gb.txt", path)).text == text


def test_file_that_vanished_after_discovery(tmp_path: Path) -> None:
    write(tmp_path / "gone.txt")
    (ref,) = discover([tmp_path], str(tmp_path))
    (tmp_path / "gone.txt").unlink()
    info = read_info(ref)
    assert info.error == "file vanished"
    assert (info.length, info.script, info.encoding, info.title) == (0, Script.UNKNOWN, None, "")
    with pytest.raises(DocumentError) as raised:
        load_document(ref)
    assert str(raised.value) == "gone.txt: file vanished"


def test_directory_that_replaced_a_file(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt")
    path.unlink()
    path.mkdir()
    assert read_info(DocumentRef("a.txt", path)).error == "not a regular file"


def test_binary_file_reports_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "img.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    info = read_info(DocumentRef("pics/img.txt", path))
    assert info.error is not None
    assert info.error.startswith("binary file")
    assert info.length == 0
    with pytest.raises(DocumentError) as raised:
        load_document(DocumentRef("pics/img.txt", path))
    assert str(raised.value).startswith("pics/img.txt: binary file")


def test_unreadable_file_reports_permission(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read a chmod 000 file")
    path = write(tmp_path / "a.txt")
    path.chmod(0)
    assert read_info(DocumentRef("a.txt", path)).error == "permission denied"


def test_load_document_normalises_newlines(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"\xef\xbb\xbfa\r\nb\rc")
    decoded = load_document(DocumentRef("a.txt", path))
    assert (decoded.text, decoded.encoding) == ("a\nb\nc", "utf-8-sig")


# --------------------------------------------------------------------------- script


@pytest.mark.parametrize(
    ("prefix", "script"),
    [
        ("000", Script.SIMPLIFIED),
        ("001", Script.TRADITIONAL),
        ("002", Script.SIMPLIFIED),
        ("003", Script.TRADITIONAL),
        ("004", Script.TRADITIONAL),
    ],
)
def test_seed_scripts(prefix: str, script: Script) -> None:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    assert detect_script(path.read_text(encoding="utf-8")) is script
    assert read_info(DocumentRef(path.name, path)).script is script


def test_half_and_half_is_mixed() -> None:
    simplified = "这是简体中文的句子，说明国家经济发展。"
    traditional = "這是繁體中文的句子，說明國家經濟發展。"
    assert detect_script(simplified) is Script.SIMPLIFIED
    assert detect_script(traditional) is Script.TRADITIONAL
    assert detect_script(simplified + traditional) is Script.MIXED


@pytest.mark.parametrize("text", ["", "hello world 123", "中文", "\x00\x1b"])
def test_text_without_script_specific_characters_is_unknown(text: str) -> None:
    assert detect_script(text) is Script.UNKNOWN


def test_nul_does_not_hide_the_rest_of_the_text() -> None:
    assert detect_script("abc\x00這是繁體中文的句子") is Script.TRADITIONAL


# ------------------------------------------------------------------------ filter_key


def test_filter_key_matches_either_script() -> None:
    assert filter_key("縣") == filter_key("县")
    assert filter_key("基層幹部") == filter_key("基层干部")
    assert filter_key("ABC") == filter_key("abc")


def test_filter_key_survives_hostile_text() -> None:
    assert filter_key("a\x00縣") == "a␀县"


def test_seed_corpus(tmp_path: Path) -> None:
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    infos = [read_info(ref) for ref in discover([copy], str(tmp_path))]
    assert [info.script.value for info in infos] == ["简", "繁", "简", "繁", "繁"]
    assert all(info.error is None and info.title for info in infos)


# ---------------------------------------------------------------------- stable ids


def spelled_ids(paths: list[Path], root: Path) -> list[str]:
    return [ref.doc_id for ref in discover(paths, id_root(root / "annotations"))]


def test_ids_are_the_same_however_the_folder_is_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "seeds" / "a.txt")
    write(tmp_path / "seeds" / "卷一" / "b.txt")
    expected = ["seeds/a.txt", "seeds/卷一/b.txt"]
    (tmp_path / "link").symlink_to(tmp_path / "seeds", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    store = Path("annotations")
    for spelling in ["seeds", "seeds/", "./seeds", str(tmp_path / "seeds"), "link"]:
        assert sorted(ref.doc_id for ref in discover([Path(spelling)], id_root(store))) == expected
    # The whole project folder: the same ids (README.md and the rest come along too).
    assert {ref.doc_id for ref in discover([Path(".")], id_root(store))} >= set(expected)
    monkeypatch.chdir(tmp_path / "seeds")
    store = Path("../annotations")
    assert sorted(ref.doc_id for ref in discover([Path(".")], id_root(store))) == expected
    assert [ref.doc_id for ref in discover([Path("a.txt")], id_root(store))] == ["seeds/a.txt"]


def test_a_file_reached_through_a_symlinked_file_has_the_real_files_id(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "a.txt")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "corpus" / "a.txt")
    assert spelled_ids([tmp_path / "alias.txt"], tmp_path) == ["corpus/a.txt"]


def test_a_file_outside_the_project_is_known_by_its_absolute_path(tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere" / "a.txt")
    project = tmp_path / "project"
    project.mkdir()
    assert spelled_ids([outside.parent], project) == [str(outside.resolve())]
    assert document_id(outside, id_root(project / "annotations")) == str(outside.resolve())


def test_shown_names_stay_relative_to_the_folder_given(tmp_path: Path) -> None:
    write(tmp_path / "seeds" / "卷一" / "b.txt")
    [ref] = discover([tmp_path / "seeds"], str(tmp_path))
    assert (ref.doc_id, ref.name) == ("seeds/卷一/b.txt", "卷一/b.txt")
