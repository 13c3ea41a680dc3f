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
