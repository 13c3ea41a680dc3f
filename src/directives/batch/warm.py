"""Warm-up before forking workers: the pipeline once over a tiny hand-made page, in this process.

Stages fill caches lazily on first use (lexicons, compiled tables: seconds of work). Done once in
the process that forks the workers, every worker inherits them (copy-on-write) instead of paying
for them per file. A fork server imports this module as its preload, and warms up on import.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import tempfile
from functools import cache
from pathlib import Path

from directives.extractors.model import Line, Page, Word

_LINES = (
    "ĐOÀN TNCS HỒ CHÍ MINH", "Số: 1-KH/ĐTN", "Xã Phúc Thịnh, ngày 5 tháng 1 năm 2024", "KẾ HOẠCH",
    "Tổ chức hoạt động thanh niên tình nguyện", "I. MỤC ĐÍCH", "1. Phát huy vai trò xung kích của đoàn viên.",
    "- Tổ chức các hoạt động giúp đỡ nhân dân.", "TM. BAN CHẤP HÀNH", "BÍ THƯ", "Nguyễn Văn An",
)


def _line(text: str, y: float) -> Line:
    words, x = [], 60.0
    for tok in text.split():
        words.append(Word(tok, x, y, x + 6 * len(tok), y + 12, 12.0))
        x += 6 * len(tok) + 4
    return Line.of(words, 60.0, y, x, y + 12, text)


_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # fonts-dejavu-core (scripts/sysdeps.sh)


def _warm_pdf(folder: Path) -> Path | None:
    """A one-page letter as a born-digital PDF (None without a font for Vietnamese)."""
    import pymupdf

    if not _FONT.exists():
        return None
    path = folder / "warm-up.pdf"
    with pymupdf.open() as doc:
        page = doc.new_page()
        for k, text in enumerate(_LINES):
            page.insert_text((60, 60 + 20 * k), text, fontsize=12, fontname="dv", fontfile=str(_FONT))
        doc.save(path)
    return path


@cache
def warm_up() -> None:
    """Run every stage once: a real PDF through `process` (extraction and NLP models included), and
    OCR-like words through the stages; errors are ignored: a failure here only means the workers
    warm up themselves. Then the warmed objects are moved out of the garbage collector's sight
    (`gc.freeze`), so that a worker's collections do not copy their pages."""
    from directives.pipeline.run import new_document, process, run

    with tempfile.TemporaryDirectory(prefix="directives-warm-") as tmp, contextlib.suppress(Exception):
        if (pdf := _warm_pdf(Path(tmp))) is not None:
            process(pdf)
    lines = [_line(t, 60 + 20 * k) for k, t in enumerate(_LINES)]
    for ln in lines:
        for w in ln.words:
            w.conf = 0.5
    with contextlib.suppress(Exception):
        run(new_document(Path("warm-up.pdf"), [Page(1, 595.0, 842.0, "ocr", lines, confidence=0.5)], "0" * 64))
    with contextlib.suppress(Exception):  # NLP models that only some texts need (NER), when present
        importlib.import_module("directives.pipeline.entities").load_models()
    with contextlib.suppress(Exception):  # OpenCV and the OCR modules, which a text-layer file does not load
        importlib.import_module("directives.extractors.ocr")
    with contextlib.suppress(Exception):  # pyHanko, imported by the first signed file (≈ 0.3 s)
        importlib.import_module("directives.extractors.sigcheck").crypto()
    gc.collect()
    gc.freeze()


warm_up()
