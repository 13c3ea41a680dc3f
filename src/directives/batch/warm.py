"""Warm-up before forking workers: the pipeline once over a tiny hand-made page, in this process.

Stages fill caches lazily on first use (lexicons, compiled tables: seconds of work). Done once in
the process that forks the workers, every worker inherits them (copy-on-write) instead of paying
for them per file. A fork server imports this module as its preload, and warms up on import.
"""

from __future__ import annotations

import contextlib
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


@cache
def warm_up() -> None:
    """Run every stage once (text-layer and OCR-like words); errors are ignored: a failure here
    only means the workers warm up themselves."""
    from directives.pipeline import new_document, run

    for source, conf in (("text", 1.0), ("ocr", 0.5)):
        lines = [_line(t, 60 + 20 * k) for k, t in enumerate(_LINES)]
        for ln in lines:
            for w in ln.words:
                w.conf = conf
        page = Page(1, 595.0, 842.0, source, lines, confidence=None if source == "text" else conf)
        with contextlib.suppress(Exception):
            run(new_document(Path("warm-up.pdf"), [page], "0" * 64))


warm_up()
