"""One resident LibreOffice for a batch's Word files: the same outputs as one LibreOffice a file, the
files it cannot load left to their own tasks, a file over the timeout costing only itself, and no
LibreOffice process or PDF left behind."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from directives.batch import BatchOptions, run_files
from directives.extractors import office, office_batch
from tests.extractors.test_office import SEED_DOCX, office_processes

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or not office_batch.uno_available(),
                                reason="LibreOffice Writer and python3-uno are not installed (scripts/sysdeps.sh)")


@pytest.fixture
def own_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A TMPDIR of the test's own: LibreOffice's profile and the PDFs go there, so leftovers show."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return tmp


def small_rtf(path: Path) -> None:
    path.write_text("{\\rtf1\\ansi\\uc1 K\\u7871? ho\\u7841?ch c\\u244?ng t\\u225?c \\par}", encoding="ascii")


def test_word_files_of_a_batch_are_converted_once_and_cleaned_up(own_tmp: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_DOCX, folder / "seed.docx")
    small_rtf(folder / "note.rtf")
    (folder / "damaged.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 4096)
    paths = sorted(folder.iterdir())
    with office_batch.batch_pdfs(paths, timeout=120.0, memory_mb=4096) as converted:
        assert converted == 2
        made = dict(office.PRECONVERTED)
        assert set(made) == {str((folder / "seed.docx").resolve()), str((folder / "note.rtf").resolve())}
        assert all(pdf.read_bytes().startswith(b"%PDF") for pdf in made.values())
        assert office_processes(str(own_tmp)) == []  # LibreOffice is gone once the PDFs are made
    assert office.PRECONVERTED == {} and not any(pdf.exists() for pdf in made.values())
    assert list(own_tmp.iterdir()) == []


def test_one_word_file_is_left_to_its_task(tmp_path: Path) -> None:
    shutil.copy(SEED_DOCX, tmp_path / "seed.docx")
    with office_batch.batch_pdfs([tmp_path / "seed.docx", tmp_path / "other.pdf"], 120.0, None) as converted:
        assert converted == 0 and office.PRECONVERTED == {}


def test_a_batch_read_through_the_resident_libreoffice_gives_the_golden_values(own_tmp: Path, tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch
                                                                                ) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_DOCX, folder / "seed.docx")
    small_rtf(folder / "note.rtf")
    made: list[int] = []
    real = office_batch.preconvert

    def spy(*args, **kwargs):
        done = real(*args, **kwargs)
        made.append(len(done))
        return done

    monkeypatch.setattr(office_batch, "preconvert", spy)
    result = run_files([folder], tmp_path / "out", batch=BatchOptions(workers=2))
    assert made == [2] and result.failed == 0
    seed = next(o for o in result.outcomes if o.path.endswith("seed.docx"))
    got = json.loads((tmp_path / "out" / "json" / f"{seed.doc_id}.json").read_text(encoding="utf-8"))
    expected = json.loads((Path(__file__).parents[1] / "groundtruth" / "347-CV-TDTN-VP.json").read_text(encoding="utf-8"))
    for key in ("metadata", "sections", "activities", "tables"):
        assert got[key] == expected[key], key
    assert office_processes(str(own_tmp)) == [] and list(own_tmp.iterdir()) == []


def test_a_file_over_the_timeout_costs_only_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The LibreOffice stuck on a file is killed at the timeout and a new one converts the next file
    (a stand-in LibreOffice: a real one cannot be made to hang on cue)."""
    started: list[subprocess.Popen] = []

    class StuckOnLong:
        def __init__(self, workdir: Path) -> None:
            self.proc = subprocess.Popen(["sleep", "60"])
            started.append(self.proc)

        def convert(self, path: Path, filters: tuple[str, ...], pdf: Path) -> bool:
            if path.name.startswith("long"):
                self.proc.wait()  # until the watchdog kills it
                raise RuntimeError("the bridge is gone")
            pdf.write_bytes(b"%PDF-1.7 stand-in")
            return True

        def close(self) -> None:
            self.proc.kill()
            self.proc.wait()

    monkeypatch.setattr(office_batch, "_Office", StuckOnLong)
    jobs = [{"path": str(tmp_path / name), "kind": "rtf", "pdf": str(tmp_path / f"{i}.pdf")}
            for i, name in enumerate(["long.rtf", "short.rtf", "short2.rtf"])]
    for job in jobs:
        Path(job["path"]).write_text("{\\rtf1 x}", encoding="ascii")
    done = office_batch.convert_jobs(jobs, tmp_path, timeout=0.5)
    assert done == {jobs[1]["path"]: jobs[1]["pdf"], jobs[2]["path"]: jobs[2]["pdf"]}
    assert len(started) == 2 and all(p.poll() is not None for p in started)  # restarted once, none left
