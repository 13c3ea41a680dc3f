"""`directives bench`: every method timed in its own fresh process, on the same files."""

from __future__ import annotations

import re

import pytest

from directives.bench import TESSERACT, bench_table, page_images, run_bench, sample_files
from tests.helpers import ROOT

# every method timed in fresh processes, several runs each
pytestmark = pytest.mark.slow


def test_bench_times_the_pipeline_and_both_baselines_on_the_seed():
    res = run_bench([ROOT / "samples" / "347-CV-TDTN-VP.pdf"], runs=2)
    assert res.files == {"born-digital": 1, "scanned": 0}
    assert [(r.kind, r.method, r.pages) for r in res.rows] == [
        ("born-digital", "pipeline", 10), ("born-digital", "pymupdf get_text(dict)", 10),
        ("born-digital", "pdfplumber extract_words", 10)]
    for r in res.rows:
        assert 0 < r.best_seconds <= r.seconds and r.cpu_seconds > 0 and r.peak_mib > 0
        assert r.best_pages_per_s >= r.pages_per_s > 0
    table = bench_table(res)
    assert "median of 2 (and the best run)" in table and re.search(r"load average [\d.]+ before", table)
    rows = [ln for ln in table.splitlines() if ln.startswith("| born-digital")]
    assert len(rows) == 3 and all(len(ln.split("|")) == 13 for ln in rows)
    assert rows[0].rstrip().endswith("| 1.00 | 1.00 |")  # the pipeline against itself
    one = res.one_file  # the smallest born-digital PDF, run as a user runs it
    assert one is not None and one.path.endswith("347-CV-TDTN-VP.pdf") and one.pages == 10
    assert len(one.seconds) == 2 and all(s > 0 for s in one.seconds)
    assert "one file: `directives run 347-CV-TDTN-VP.pdf --out NEW_FOLDER` (10 pages" in table


@pytest.mark.slow
def test_bench_sets_bare_tesseract_beside_the_pipeline_on_the_same_scanned_pages(tmp_path):
    import pymupdf

    with pymupdf.open(ROOT / "samples" / "347-CV-TDTN-VP-scan.pdf") as doc:
        doc.select([1])
        doc.save(tmp_path / "scan-page.pdf")
    pngs = page_images([str(tmp_path / "scan-page.pdf")], tmp_path)
    assert [dpi for _, dpi in pngs] == [200]  # the scan's own resolution, as the pipeline reads it
    res = run_bench([tmp_path / "scan-page.pdf"], runs=1)
    assert res.files == {"born-digital": 0, "scanned": 1} and res.one_file is None
    assert [r.method for r in res.rows] == ["pipeline", "pymupdf get_text(dict)", "pdfplumber extract_words",
                                            TESSERACT]
    tess = res.row("scanned", TESSERACT)
    assert tess.pages == 1 and tess.cpu_per_page > 0.1  # Tesseract's CPU time is its child processes'
    assert res.row("scanned", "pipeline").cpu_per_page > 0.1  # and so is the OCR workers'
    line = next(ln for ln in bench_table(res).splitlines() if ln.startswith(f"| scanned | {TESSERACT}"))
    pipe = res.row("scanned", "pipeline")
    assert line.rstrip().endswith(f"| {pipe.cpu_per_page / tess.cpu_per_page:.2f} |")


def test_bench_measures_other_formats_apart_with_the_pipeline_only(tmp_path):
    import shutil

    import pymupdf
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice Writer is not installed")
    with pymupdf.open(ROOT / "samples" / "347-CV-TDTN-VP-scan.pdf") as doc:
        doc[0].get_pixmap(dpi=200).save(tmp_path / "page.png")
    res = run_bench([ROOT / "samples" / "347-CV-TDTN-VP.docx", tmp_path / "page.png"], runs=1)
    assert res.files == {"born-digital": 0, "scanned": 0, "Word": 1, "image": 1}
    assert [(r.kind, r.method, r.pages, r.files) for r in res.rows] == [("Word", "pipeline", 10, 1),
                                                                        ("image", "pipeline", 1, 1)]
    assert all(r.cpu_per_file > 0 for r in res.rows)
    assert [ln.split("|")[1].strip() for ln in bench_table(res).splitlines() if ln.startswith("| ")][1:] == \
        ["Word", "image"]


def test_a_sample_of_the_scans_takes_every_kth_short_file_for_at_most_the_pages_asked(tmp_path):
    import shutil

    import pymupdf

    files = []
    for k in range(5):  # 5 files of 10 pages
        files.append(str(tmp_path / f"{k}.pdf"))
        shutil.copy(ROOT / "samples" / "347-CV-TDTN-VP.pdf", files[-1])
    assert sample_files(files, 40) == (files[::2], 2, 30)
    assert sample_files(files, 200) == (files, 1, 50)
    assert sample_files(files, 25) == (files[::3], 3, 20)  # no file short enough: all of them are the choice
    with pymupdf.open(ROOT / "samples" / "347-CV-TDTN-VP.pdf") as doc:
        doc.select([0])
        doc.save(tmp_path / "one.pdf")
    assert sample_files([files[0], str(tmp_path / "one.pdf")], 8) == ([str(tmp_path / "one.pdf")], 1, 1)
