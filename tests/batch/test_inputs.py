"""Inputs: the files found under a folder and each one's path relative to it, however the folder is spelled."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from directives.batch.inputs import walk_names


@pytest.mark.parametrize("spelling", [".", "./in", "in/", "in", "in/sub/..", "../top/in", "ABS"])
def test_relative_paths_are_relpath_from_the_folder(spelling: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    top = tmp_path / "top"
    for name in ("in/a.pdf", "in/sub/b.pdf", "in/sub/deeper/c d.pdf", "in/sub/$'x'.pdf"):
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_bytes(b"%PDF")
    cwd = top / "in" if spelling == "." else tmp_path / "elsewhere" if spelling.startswith("..") else top
    cwd.mkdir(exist_ok=True)
    monkeypatch.chdir(cwd)
    folder = Path(str(top / "in") if spelling == "ABS" else spelling)
    relative: dict[str, str] = {}
    names = walk_names([folder], relative=relative)
    assert len(names) == 4
    assert relative == {n: os.path.relpath(n, str(folder)) for n in names}


def test_a_folder_is_walked_in_the_order_of_its_path_components(tmp_path: Path) -> None:
    names = ["b.pdf", "a/z.pdf", "a-b.pdf", "a/b/c.pdf", "a.pdf", "A.pdf", "ab/x.pdf", "a/b.pdf", "é.pdf", "a/a.pdf"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"%PDF")
    found = walk_names([tmp_path])
    assert found == sorted(found, key=lambda f: f.split("/"))  # ("a/…" before "a-b.pdf", though "-" < "/")
    assert [f[len(str(tmp_path)) + 1:] for f in found] == sorted(names, key=lambda f: f.split("/"))


@pytest.mark.parametrize("name", ["a.pdf", "A.PDF", ".pdf", "..pdf", "x/.pdf", "x/..a.PDF", "a.b/c", "a.b/c.Docx",
                                  "noext", "dir/", "a.tar.gz", ".a.b", "...", "a.", "é.PDF", "/x/y/z.tif"])
def test_a_suffix_is_what_splitext_says(name: str) -> None:
    from directives.batch.inputs import _suffix

    assert _suffix(name) == os.path.splitext(os.path.basename(name))[1].lower()
    assert _suffix(Path(name)) == os.path.splitext(os.path.basename(Path(name)))[1].lower()
