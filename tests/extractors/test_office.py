"""Word files read through LibreOffice: the seed .docx gives the seed PDF's golden values, the corpus
.doc/.docx every gold field and the fields of their PDF exports; a broken or locked file fails alone,
and no LibreOffice process outlives a batch (a killed task included)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from directives.errors import ConversionError, EncryptedDocumentError
from directives.evaluation import evaluate_document, gold_name
from directives.extractors.read import extract_pages
from directives.pipeline.run import process
from tests.helpers import CORPUS, GROUNDTRUTH, SAMPLES, needs_corpus, unicode_to_tcvn3
from tests.test_golden import comparable

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice Writer is not installed (scripts/sysdeps.sh installs it)")
SEED_DOCX = SAMPLES / "347-CV-TDTN-VP.docx"


def liberation_fonts() -> bool:
    return subprocess.run(["fc-list", "Liberation Serif"], capture_output=True, text=True).stdout.strip() != ""


def test_seed_docx_gives_the_seed_pdf_golden_values():
    """Sections, bullets, the 29 activities, parts, tables, text: the golden file of the seed PDF, all but
    the file's own identity."""
    if not liberation_fonts():
        pytest.skip("fonts-liberation2 is not installed: pages break elsewhere than in the seed PDF")
    got = comparable(process(SEED_DOCX))
    expected = json.loads((GROUNDTRUTH / "347-CV-TDTN-VP.json").read_text(encoding="utf-8"))
    for key in ("doc_id", "source"):
        got.pop(key), expected.pop(key)
    assert got == expected
    assert len(got["activities"]) == 29 and len(got["sections"]) == 12


@pytest.mark.slow
@needs_corpus
def test_corpus_word_files_give_every_gold_field_and_their_exports_fields():
    sources = sorted(p for p in (CORPUS / "docs").iterdir() if p.suffix in (".doc", ".docx"))
    assert len(sources) >= 3
    for source in sources:
        directive = process(source)
        score = evaluate_document(directive, CORPUS / "gold" / f"{gold_name(source.name)}.json")
        assert (score.wrong, score.sections.fn, score.sections.fp) == ({}, 0, 0), source.name
        export = source.with_name(f"{source.stem}.export.pdf")
        if export.exists():
            assert directive.metadata.model_dump(exclude={"confidence"}) == \
                process(export).metadata.model_dump(exclude={"confidence"}), source.name


def convert(src: Path, target: str, out: Path) -> Path:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(out / 'lo').as_uri()}", "--convert-to", target,
                    "--outdir", str(out), str(src)], capture_output=True, timeout=300, check=True)
    return out / f"{src.stem}.{target.split(':')[0]}"


def test_rtf_saved_as_doc_and_tcvn3_doc_are_read(tmp_path):
    """A .doc that is RTF is read as RTF; a Word 97 file typed in a TCVN3 font (.VnTime) is converted to
    Unicode like a TCVN3 text layer."""
    text = "Kế hoạch tổ chức hoạt động tình nguyện của đoàn viên thanh niên trong dịp hè năm nay tại xã"
    legacy = "".join(unicode_to_tcvn3(ch)[0] if ord(ch) > 127 else ch for ch in text)
    html = tmp_path / "legacy.html"
    html.write_text(f'<html><head><meta charset="utf-8"></head><body><p><font face=".VnTime">{legacy}</font>'
                    "</p></body></html>", encoding="utf-8")
    doc = convert(html, "doc:MS Word 97", tmp_path)
    lines = [ln.raw for p in extract_pages(doc) for ln in p.lines]
    assert " ".join(" ".join(lines).split()) == text
    rtf = tmp_path / "letter.doc"
    rtf.write_bytes(b"{\\rtf1\\ansi\\uc1 K\\u7871?t lu\\u7853?n s\\u7889? 5}")
    assert [ln.raw for p in extract_pages(rtf) for ln in p.lines] == ["Kết luận số 5"]


def test_broken_and_locked_word_files_fail_with_a_clear_reason(tmp_path):
    damaged = tmp_path / "damaged.doc"
    damaged.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096))
    with pytest.raises(ConversionError, match="LibreOffice could not load the file"):
        extract_pages(damaged)
    locked = tmp_path / "locked.docx"  # what Word writes for a .docx with a password: OLE2 holding the package
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(EncryptedDocumentError, match="password"):
        extract_pages(locked)


def office_processes(marker: str) -> list[str]:
    """Command lines of running processes that mention `marker` (this test's own folder)."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                cmd = Path(f"/proc/{entry.name}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in cmd and "soffice" in cmd:
                found.append(cmd)
    return found


def run_cli(*args: object, tmp: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TMPDIR": str(tmp)}  # LibreOffice's profile and files go under the test's folder
    return subprocess.run([sys.executable, "-m", "directives.cli", "run", *map(str, args)], capture_output=True,
                          text=True, timeout=600, check=False, env=env)


@pytest.mark.slow
def test_a_batch_of_word_files_fails_alone_and_leaves_no_libreoffice_process(tmp_path):
    folder, tmp = tmp_path / "in", tmp_path / "tmp"
    folder.mkdir()
    tmp.mkdir()
    shutil.copy(SEED_DOCX, folder / "good.docx")
    (folder / "damaged.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096))
    (folder / "not-word.docx").write_bytes(b"PK\x03\x04" + os.urandom(300))
    proc = run_cli(folder, "--out", tmp_path / "out", "--workers", "2", tmp=tmp)
    assert proc.returncode == 1, proc.stderr
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert sorted(zip(errors["file"].map(lambda f: Path(f).name), errors["code"], strict=True)) == \
        [("damaged.doc", "conversion-failed"), ("not-word.docx", "conversion-failed")]
    assert len(list((tmp_path / "out" / "json").glob("*.json"))) == 1
    assert office_processes(str(tmp)) == []
    assert list(tmp.iterdir()) == []  # the conversions' folders removed


def long_rtf(path: Path, paragraphs: int = 20000) -> None:
    """A Word file (RTF) that takes LibreOffice several seconds to lay out (≈ 700 pages)."""
    text = "".join(f"\\par Dòng {i}: nội dung kế hoạch công tác đoàn năm 2024 " for i in range(paragraphs))
    path.write_text("{\\rtf1\\ansi\\uc1 " + "".join(c if ord(c) < 128 else f"\\u{ord(c)}?" for c in text) + "}",
                    encoding="ascii")


@pytest.mark.slow
def test_a_word_file_killed_by_the_timeout_leaves_no_libreoffice_process(tmp_path):
    """The task is killed while LibreOffice converts (seen running), and LibreOffice goes with it."""
    folder, tmp = tmp_path / "in", tmp_path / "tmp"
    folder.mkdir()
    tmp.mkdir()
    long_rtf(folder / "long.rtf")
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen([sys.executable, "-m", "directives.cli", "run", str(folder), "--out", str(tmp_path / "out"),
                             "--timeout", "4"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    seen = False
    while proc.poll() is None:
        seen = seen or bool(office_processes(str(tmp)))
        time.sleep(0.1)
    assert proc.returncode == 1
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(errors["code"]) == ["timeout"]
    assert seen, "LibreOffice was not running when the task was killed: the test proves nothing"
    assert office_processes(str(tmp)) == []
