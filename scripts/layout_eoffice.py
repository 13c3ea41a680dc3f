"""E-office pages for scripts/layout_eval.py: the number and the day left blank in the typed lines and
stamped over the blanks afterwards, as text appended at the end of the page's content stream (after
the body), with the publisher's and the signer's box text on the page, as e-office systems issue
signed directives (issue 13). What a person reads on the page, the gold, does not change.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pymupdf

FONT = next((f for f in (Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
                         Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"))
             if f.exists()), Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
BLANK = '<text:s text:c="12"/>'  # the blank a typist leaves for the number and the day
SIGNED_AT = "08:54:21"


def number_and_symbol(reference: str | None) -> tuple[str, str] | None:
    """'239/KH-SYT' → ('239', '/KH-SYT'); None when the reference does not open with its number."""
    if not reference or "/" not in reference:
        return None
    number, _, rest = reference.partition("/")
    return (number, "/" + rest) if number.strip().isdigit() else None


def _words(page: pymupdf.Page) -> list[tuple]:
    return sorted(page.get_text("words"), key=lambda w: (w[5], w[6], w[7]))


def _gap_after(words: list[tuple], first: str, then: str, right: float = 0.0
               ) -> tuple[tuple, tuple | None] | None:
    """The word `first` (in the header, from x = `right` on) and the next word on its line that starts
    with `then` (None when the line wraps in the blank: 'ngày' ends it)."""
    for k, w in enumerate(words):
        if w[4] != first or w[1] > 260 or w[0] < right:
            continue
        for n in words[k + 1:]:
            if (n[5], n[6]) != (w[5], w[6]):
                return w, None
            if n[4].startswith(then):
                return w, n
        return w, None
    return None


def _stamp(page: pymupdf.Page, text: str, gap: tuple[tuple, tuple | None]) -> None:
    """`text` centred in the blank between the two words of `gap` (or after the first), on their baseline."""
    a, b = gap
    size = (a[3] - a[1]) * 0.86
    width = pymupdf.get_text_length(text, fontname="tiro", fontsize=size)
    x = a[2] + (b[0] - a[2] - width) / 2 if b else a[2] + size * 0.6
    page.insert_text((x, a[3] - 0.22 * (a[3] - a[1])), text, fontname="tiro", fontsize=size, color=(0.8, 0, 0))


def _box(page: pymupdf.Page, rect: pymupdf.Rect, text: str) -> None:
    page.insert_textbox(rect, text, fontname="lib", fontfile=str(FONT), fontsize=6.5, color=(0, 0, 0.6))


def stamp_eoffice(src: Path, out: Path, doc: dict) -> None:
    """`src` (laid out with the blanks) → `out`: number and day stamped, the boxes' text added."""
    pdf = pymupdf.open(src)
    first = pdf[0]
    words = _words(first)
    parts = number_and_symbol(doc.get("reference"))
    if parts and (gap := _gap_after(words, "Số:", "/")):
        _stamp(first, parts[0], gap)
    day = date.fromisoformat(doc["date"]) if doc.get("date") else None
    if day and (gap := _gap_after(words, "ngày", "tháng", first.rect.width * 0.4)):
        _stamp(first, f"{day.day:02d}", gap)
    when = f"{day:%d.%m.%Y}" if day else "01.01.2025"
    w = first.rect.width
    _box(first, pymupdf.Rect(w - 215, 6, w - 8, 44),
         f"TRUNG TÂM CÔNG BÁO VÀ TIN HỌC\nthongtin@example.gov.vn\n{when} {SIGNED_AT} +07:00")
    last = pdf[-1]
    label = next((x for x in _words(last) if x[4].startswith("nhận")), None)
    if label:
        signer = (doc.get("issuer") or "Cơ quan ban hành").title()
        _box(last, pymupdf.Rect(w * 0.52, label[3] + 30, w * 0.52 + 190, label[3] + 70),
             f"Ký bởi: {signer}\nCơ quan: {doc.get('place') or 'Tỉnh'}\nThời gian ký: {when} {SIGNED_AT} +07:00")
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(out, garbage=3, deflate=True)
