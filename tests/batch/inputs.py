"""A generated batch of inputs (PyMuPDF, at test time): many small good letters, a few large or odd
good files, and broken files of every kind a batch meets. Nothing binary is kept in the repo."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pymupdf

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
VIETNAMESE_NAME = "Kế hoạch số 5 – Đoàn xã Phúc Thịnh.pdf"

# broken file → the errors.csv codes it may get (PyMuPDF repairs a truncated file into blank pages:
# then no-text)
BROKEN_CODES = {
    "empty": {"empty-file"},
    "truncated": {"corrupt-pdf", "no-text"},
    "garbage": {"corrupt-pdf", "not-a-pdf", "no-text"},
    "header-only": {"corrupt-pdf", "no-text"},
    "encrypted": {"encrypted-pdf"},
    "html": {"not-a-pdf"},
    "text": {"not-a-pdf"},
    "png": {"corrupt-image"},  # read by content: a damaged PNG, whatever its name
    "zip": {"not-a-pdf"},
}


@dataclass
class Inputs:
    folder: Path
    good: list[Path] = field(default_factory=list)
    broken: dict[Path, str] = field(default_factory=dict)  # path → kind (a key of BROKEN_CODES)
    may_fail: dict[Path, set[str]] = field(default_factory=dict)  # good files that may legitimately fail

    @property
    def all(self) -> list[Path]:
        return [*self.good, *self.broken]


def letter_lines(n: int) -> list[str]:
    return [
        "ĐOÀN TNCS HỒ CHÍ MINH                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        f"BCH ĐOÀN XÃ SỐ {n}                           Độc lập - Tự do - Hạnh phúc",
        f"Số: {n}-KH/ĐTN                         Xã Phúc Thịnh, ngày {1 + n % 28} tháng {1 + n % 12} năm 2024",
        "KẾ HOẠCH",
        f"Tổ chức hoạt động Thanh niên tình nguyện đợt {n}",
        "I. MỤC ĐÍCH, YÊU CẦU",
        f"1. Phát huy vai trò xung kích của đoàn viên, thanh niên trong đợt {n}.",
        "- Tổ chức các hoạt động giúp đỡ nhân dân, vệ sinh môi trường.",
        "II. NỘI DUNG",
        f"1. Ra quân chiến dịch tình nguyện với {n % 40 + 10} đoàn viên tham gia.",
        "TM. BAN CHẤP HÀNH",
        "BÍ THƯ",
        f"Nguyễn Văn {chr(65 + n % 26)}",
    ]


@lru_cache(maxsize=1)
def font() -> pymupdf.Font:
    return pymupdf.Font(fontfile=str(FONT))


def write_lines(page: pymupdf.Page, lines: list[str], top: float = 60, step: float = 22, size: float = 11) -> None:
    tw = pymupdf.TextWriter(page.rect)
    for k, text in enumerate(lines):
        tw.append((56, top + step * k), text, font=font(), fontsize=size)
    tw.write_text(page)


def text_pdf(path: Path, pages: list[list[str]]) -> None:
    doc = pymupdf.open()
    for lines in pages:
        write_lines(doc.new_page(), lines)
    doc.subset_fonts()
    doc.save(path, garbage=3, deflate=True)
    doc.close()


def image_pdf(path: Path, lines: list[str]) -> None:
    """A scan-like page: the text rendered to an image, no text layer."""
    src = pymupdf.open()
    page = src.new_page(width=420, height=300)
    write_lines(page, lines, top=40, step=24, size=13)
    pix = page.get_pixmap(dpi=200)
    src.close()
    doc = pymupdf.open()
    out = doc.new_page(width=420, height=300)
    out.insert_image(out.rect, pixmap=pix)
    doc.save(path, deflate=True)
    doc.close()


def drawings_pdf(path: Path, count: int) -> None:
    """Thousands of tiny drawing objects on one page, with a little text."""
    doc = pymupdf.open()
    page = doc.new_page()
    shape = page.new_shape()
    rng = random.Random(7)
    for _ in range(count):
        x, y = rng.uniform(40, 550), rng.uniform(200, 800)
        shape.draw_rect(pymupdf.Rect(x, y, x + 1.5, y + 1.5))
        shape.finish(color=(0, 0, 0), width=0.3)
    shape.commit()
    write_lines(page, letter_lines(999)[:6])
    doc.subset_fonts()
    doc.save(path, deflate=True)
    doc.close()


def make_inputs(folder: Path, n_good: int = 180) -> Inputs:
    folder.mkdir(parents=True, exist_ok=True)
    inp = Inputs(folder)
    sub = folder / "sub folder"
    sub.mkdir()
    for n in range(n_good):
        path = (sub if n % 3 == 0 else folder) / f"letter-{n:03d}.pdf"
        text_pdf(path, [letter_lines(n)])
        inp.good.append(path)

    special = folder / VIETNAMESE_NAME
    text_pdf(special, [letter_lines(5000)])
    inp.good.append(special)
    big = folder / "big-500-pages.pdf"
    text_pdf(big, [letter_lines(6000)] + [[f"Trang {i}: nội dung báo cáo thanh niên tình nguyện, mục {i}."] * 20
                                          for i in range(2, 501)])
    inp.good.append(big)
    drawings = folder / "many-drawings.pdf"
    drawings_pdf(drawings, 5000)
    inp.good.append(drawings)
    for k, lines in enumerate([letter_lines(7000)[3:8], ["   "]]):  # text to read, and a blank scan
        scan = folder / f"scan-{k}.pdf"
        image_pdf(scan, lines)
        inp.good.append(scan)
        inp.may_fail[scan] = {"no-text"}  # OCR may read nothing: a JSON and a no-text row

    seed = inp.good[1].read_bytes()
    rng = random.Random(6)

    def put(name: str, kind: str, data: bytes) -> None:
        path = folder / name
        path.write_bytes(data)
        inp.broken[path] = kind

    for k in range(3):
        put(f"empty-{k}.pdf", "empty", b"")
    for k, share in enumerate((0.1, 0.3, 0.5, 0.7)):
        put(f"truncated-{k}.pdf", "truncated", seed[: int(len(seed) * share)])
    for k in range(4):
        put(f"garbage-{k}.pdf", "garbage", b"%PDF-1.7\n" + rng.randbytes(3000 + 1000 * k))
    for k in range(2):
        put(f"header-only-{k}.pdf", "header-only", b"%PDF-1.4\n%%EOF\n" * (k + 1))
    for k in range(3):
        path = folder / f"encrypted-{k}.pdf"
        with pymupdf.open(inp.good[k]) as doc:
            doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=f"u{k}", owner_pw="o")
        inp.broken[path] = "encrypted"
    for k in range(3):
        put(f"page-{k}.pdf", "html", f"<!DOCTYPE html>\n<html><body>404 Not Found {k}</body></html>\n".encode())
    for k in range(2):
        put(f"note-{k}.pdf", "text", f"Ghi chú {k}: đây không phải PDF.\n".encode())
    put("picture.pdf", "png", b"\x89PNG\r\n\x1a\n" + rng.randbytes(500))
    put("archive.pdf", "zip", b"PK\x03\x04" + rng.randbytes(500))
    return inp


def output_files(out: Path) -> dict[str, bytes]:
    """Every output file that must not depend on how the run went, by name (run-summary.json is the
    run's own record; the corpus database is compared by content: `corpus_rows`)."""
    files = [*(out / "json").glob("*.json"), *out.glob("*.csv"), out / "datasets.xlsx", *(out / "parquet").glob("*")]
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(files)}


def corpus_rows(out: Path) -> dict[str, list[tuple]]:
    """The content of OUT/corpus.sqlite by table, independent of the order documents were indexed in:
    the datasets in CSV order, the search index as (hit, text) rows, the rest sorted; the run's own
    bookkeeping (when each document and export was written) left out."""
    from directives.index import dataset_names, dataset_rows

    db = sqlite3.connect(f"file:{out / 'corpus.sqlite'}?mode=ro", uri=True)
    try:
        content = {f"ds_{n}": list(dataset_rows(db, n)) for n in dataset_names()}
        docs = [r[1] for r in db.execute("PRAGMA table_info(docs)") if r[1] != "dn"]  # dn: the order indexed in
        content["docs"] = sorted(db.execute(f"SELECT {', '.join(docs)} FROM docs").fetchall())
        content["search"] = sorted(db.execute(
            "SELECT h.kind, h.doc_id, h.section_id, h.number, h.part, s.title, s.body, s.title_x, s.body_x, "
            "s.title_f, s.body_f, s.seg_f FROM hits h JOIN search s ON s.rowid = h.id"), key=repr)
        content["doc_state"] = sorted(db.execute("SELECT doc_id, position FROM doc_state").fetchall())
        content["doc_rows"] = sorted(db.execute("SELECT dataset, doc_id, nrows, kinds FROM doc_rows").fetchall())
        content["xlsx_rows"] = sorted(db.execute("SELECT dataset, doc_id, xml FROM xlsx_rows").fetchall())
        return content
    finally:
        db.close()
