"""Read scanned pages with Tesseract (`vie`) into the shared page model.

A page is rendered with PyMuPDF, cleaned up (coloured ink of seals and signatures turned white,
deskewed, lightly denoised, long table rules erased) and given to the `tesseract` binary directly
(PyMuPDF's built-in OCR drops the space after stacked diacritics: "HỒCHÍ"). Tesseract's TSV words
become `Word`s with boxes in PDF points of the original page (the deskew rotation is undone on the
boxes), grouped into `Line`s by Tesseract's block / paragraph / line numbers.

Pages are read in worker processes, one page per task; Tesseract's own threads are turned off
(OMP_THREAD_LIMIT=1) so that the workers, not OpenMP, use the cores.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from statistics import median

import cv2
import numpy as np
import pymupdf
from pydantic import BaseModel, ConfigDict, Field

from directives.errors import OcrUnavailableError
from directives.extractors.base import open_pdf
from directives.extractors.model import Line, Page, Rule, Word

DEBIAN_PACKAGES = "tesseract-ocr tesseract-ocr-vie"
_DARK = 110  # a pixel whose brightest channel is below this is dark ink whatever its hue


class OcrOptions(BaseModel):
    """How scanned pages are read; the defaults suit Vietnamese administrative scans."""

    model_config = ConfigDict(frozen=True)

    lang: str = "vie"
    dpi: int = Field(300, ge=72, le=600)  # render resolution: 300 reads small diacritics better than 200
    psm: int = Field(3, ge=0, le=13)  # Tesseract page segmentation mode (3 = automatic, no OSD)
    workers: int = Field(0, ge=0)  # parallel worker processes; 0 = one per core
    remove_ink: bool = True  # red / blue seals and signatures → white before binarisation
    deskew: bool = True
    max_skew: float = Field(3.0, ge=0.0, le=15.0)  # degrees searched either way
    erase_rules: bool = True  # long horizontal / vertical lines (table rules) erased before OCR
    chroma: int = Field(40, ge=0, le=255)  # max - min of R, G, B above which a pixel is ink colour
    min_conf: float = Field(0.1, ge=0.0, le=1.0)  # words below are dropped (Tesseract gives 0 to seal remnants)
    timeout: float = Field(300.0, gt=0)  # seconds per page for the tesseract process

    def worker_count(self, tasks: int) -> int:
        return max(1, min(tasks, self.workers or os.cpu_count() or 1))


# --- availability -------------------------------------------------------------------------------


@functools.cache
def tesseract_languages() -> frozenset[str]:
    """Languages the installed `tesseract` reads; raises `OcrUnavailableError` without tesseract."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailableError(f"tesseract is not installed (Debian packages: {DEBIAN_PACKAGES})")
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailableError(f"tesseract does not run ({exc}; Debian packages: {DEBIAN_PACKAGES})") from exc
    return frozenset(ln.strip() for ln in out.stdout.splitlines()[1:] if ln.strip())


def check_available(lang: str) -> None:
    """Raise `OcrUnavailableError` unless tesseract and every language of `lang` ("vie+eng") exist."""
    missing = [code for code in lang.split("+") if code not in tesseract_languages()]
    if missing:
        raise OcrUnavailableError(f"tesseract language data {', '.join(missing)} is not installed "
                                  f"(Debian packages: {DEBIAN_PACKAGES})")


# --- image preparation --------------------------------------------------------------------------


def page_to_rgb(page: pymupdf.Page, dpi: int) -> np.ndarray:
    """The page rendered at `dpi` as an RGB array (height × width × 3)."""
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, 3)


def rgb_to_grey(rgb: np.ndarray, chroma: int | None) -> np.ndarray:
    """Greyscale; with `chroma`, strongly coloured pixels (red seal, blue signature) become white."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if chroma is not None:
        bright = rgb.max(axis=2)
        coloured = ((bright.astype(np.int16) - rgb.min(axis=2)) > chroma).astype(np.uint8)
        coloured = cv2.dilate(coloured, np.ones((3, 3), np.uint8))  # the paler rim of the strokes too
        grey[(coloured > 0) & (bright > _DARK)] = 255  # black text under the ink stays
    return grey


def grey_to_ink(grey: np.ndarray) -> np.ndarray:
    """Binary mask of dark ink (255 = ink), by Otsu's threshold."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def skew_angle(ink: np.ndarray, max_angle: float, step: float = 0.1) -> float:
    """Angle (degrees, counter-clockwise) that makes text rows horizontal: the rotation whose
    row profile is sharpest (largest variance of row sums), searched on a reduced image."""
    scale = min(1.0, 1000.0 / max(ink.shape))
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2, h / 2)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-max_angle, max_angle + step / 2, step):
        m = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rows = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.float64)
        score = float(np.var(rows))
        if score > best_score:
            best, best_score = float(angle), score
    return round(best, 2)


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    """`grey` rotated by `angle` degrees about its centre, same size, white fill."""
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def rule_masks(ink: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """Long horizontal and long vertical strokes (table rules, underlines) as two masks."""
    length = max(10, int(dpi * 0.6))  # 15 mm: longer than any letter stroke
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return horizontal, vertical


def rules_mask(ink: np.ndarray, dpi: int) -> np.ndarray:
    """Every long stroke, grown by a pixel so that erasing it leaves no rim."""
    horizontal, vertical = rule_masks(ink, dpi)
    return cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))


def masks_to_rules(masks: tuple[np.ndarray, np.ndarray], scale: float, angle: float) -> list[Rule]:
    """Each stroke of the horizontal and vertical masks as a `Rule` in PDF points of the unrotated
    page (its middle rotated back, its length kept, so that it stays exactly horizontal / vertical)."""
    rules = []
    for k, mask in enumerate(masks):
        h, w = mask.shape
        _, _, stats, _ = cv2.connectedComponentsWithStats(mask)
        for x, y, bw, bh, _ in stats[1:]:
            cx, cy = x + bw / 2, y + bh / 2
            if angle:
                cx, cy = unrotate(cx, cy, angle, w, h)
            if k == 0:
                rules.append(Rule((cx - bw / 2) * scale, cy * scale, (cx + bw / 2) * scale, cy * scale))
            else:
                rules.append(Rule(cx * scale, (cy - bh / 2) * scale, cx * scale, (cy + bh / 2) * scale))
    return rules


def despeckle(grey: np.ndarray, dpi: int) -> np.ndarray:
    """`grey` with isolated specks of ink (scanner dust, paper texture) turned white; a diacritic
    dot is several times larger than the largest speck removed."""
    ink = grey_to_ink(grey)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] <= max(2, int(3 * (dpi / 150) ** 2))
    small[0] = False  # background
    if n > 1 and small.any():
        grey = grey.copy()
        grey[small[labels]] = 255
    return grey


def prepare(rgb: np.ndarray, opts: OcrOptions) -> tuple[np.ndarray, float, list[Rule]]:
    """The image Tesseract reads (greyscale, cleaned), the deskew angle applied to it and the
    drawn rules found (and erased) on it, in PDF points."""
    grey = rgb_to_grey(rgb, opts.chroma if opts.remove_ink else None)
    angle = 0.0
    if opts.deskew and opts.max_skew > 0:
        angle = skew_angle(grey_to_ink(grey), opts.max_skew)
        if abs(angle) >= 0.05:
            grey = rotate(grey, angle)
    grey = despeckle(grey, opts.dpi)
    masks = rule_masks(grey_to_ink(grey), opts.dpi)
    if opts.erase_rules:
        grey[cv2.dilate(masks[0] | masks[1], np.ones((3, 3), np.uint8)) > 0] = 255
    return grey, angle, masks_to_rules(masks, 72.0 / opts.dpi, angle)


# --- tesseract ----------------------------------------------------------------------------------


def tesseract_tsv(grey: np.ndarray, opts: OcrOptions) -> str:
    """Tesseract's TSV for one prepared image (PNG on stdin, TSV on stdout, one thread)."""
    ok, png = cv2.imencode(".png", grey)
    if not ok:
        raise RuntimeError("could not encode the page image")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd = ["tesseract", "stdin", "stdout", "-l", opts.lang, "--psm", str(opts.psm), "--dpi", str(opts.dpi), "tsv"]
    try:
        out = subprocess.run(cmd, input=png.tobytes(), capture_output=True, env=env, timeout=opts.timeout)
    except FileNotFoundError as exc:
        raise OcrUnavailableError(f"tesseract is not installed (Debian packages: {DEBIAN_PACKAGES})") from exc
    if out.returncode != 0:
        raise RuntimeError(f"tesseract failed: {out.stderr.decode(errors='replace').strip()[:300]}")
    return out.stdout.decode("utf-8", errors="replace")


def tsv_to_rows(tsv: str) -> list[dict]:
    """Word rows (level 5, non-empty text) of a Tesseract TSV, numbers as ints / floats."""
    lines = tsv.splitlines()
    if not lines:
        return []
    head = lines[0].split("\t")
    rows = []
    for ln in lines[1:]:
        cells = ln.split("\t")
        if len(cells) != len(head) or cells[0] != "5" or not cells[-1].strip():
            continue
        row = {k: int(v) for k, v in zip(head[:-2], cells[:-2], strict=True)}
        row["conf"] = float(cells[-2])
        row["text"] = unicodedata.normalize("NFC", cells[-1].strip())
        rows.append(row)
    return rows


def unrotate(x: float, y: float, angle: float, w: int, h: int) -> tuple[float, float]:
    """A point of the deskewed image back in the coordinates of the rendered page."""
    m = cv2.invertAffineTransform(cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0))
    return float(m[0, 0] * x + m[0, 1] * y + m[0, 2]), float(m[1, 0] * x + m[1, 1] * y + m[1, 2])


def row_to_word(row: dict, scale: float, angle: float, size: tuple[int, int]) -> Word:
    """A TSV word row as a `Word` in PDF points of the unrotated page (box centre rotated back)."""
    w, h = row["width"], row["height"]
    cx, cy = row["left"] + w / 2, row["top"] + h / 2
    if angle:
        cx, cy = unrotate(cx, cy, angle, *size)
    x0, y0, x1, y1 = ((cx - w / 2) * scale, (cy - h / 2) * scale, (cx + w / 2) * scale, (cy + h / 2) * scale)
    return Word(row["text"], x0, y0, x1, y1, conf=max(0.0, min(1.0, row["conf"] / 100)))


def font_sizes(heights: list[float]) -> list[float]:
    """Font size (pt) of each line from its word-box height; near the page's usual size → that size,
    so that noise in the boxes does not look like a change of style."""
    if not heights:
        return []
    sizes = [h * 0.85 for h in heights]  # a line's ink with Vietnamese marks spans ~1.2 em
    usual = median(sizes)
    return [round(usual if abs(s - usual) <= 0.25 * usual else s, 1) for s in sizes]


def split_at_gaps(words: list[Word], gap: float) -> list[list[Word]]:
    """A Tesseract line cut where two words stand further apart than `gap` (two columns on one row:
    issuer | regime header, "Nơi nhận" | signer)."""
    runs = [[words[0]]]
    for w in words[1:]:
        if w.x0 - runs[-1][-1].x1 > gap:
            runs.append([w])
        else:
            runs[-1].append(w)
    return runs


def rows_to_lines(rows: list[dict], scale: float, angle: float, size: tuple[int, int]) -> list[Line]:
    """Words grouped into lines by Tesseract's (block, paragraph, line) numbers, in reading order."""
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for row in rows:
        key = (row["block_num"], row["par_num"], row["line_num"])
        groups.setdefault(key, []).append(row_to_word(row, scale, angle, size))
    words_of = []
    for ws in groups.values():
        height = max(w.y1 for w in ws) - min(w.y0 for w in ws)
        words_of.extend(split_at_gaps(ws, 1.5 * height))
    heights = [max(w.y1 for w in ws) - min(w.y0 for w in ws) for ws in words_of]
    lines = []
    for ws, pt in zip(words_of, font_sizes(heights), strict=True):
        for w in ws:
            w.size = pt
        raw = " ".join(w.text for w in ws)
        lines.append(Line.of(ws, min(w.x0 for w in ws), min(w.y0 for w in ws), max(w.x1 for w in ws),
                             max(w.y1 for w in ws), raw))
    return lines


def ocr_page(page: pymupdf.Page, opts: OcrOptions) -> Page:
    """One page read by OCR (source "ocr", confidence = mean word confidence)."""
    rgb = page_to_rgb(page, opts.dpi)
    grey, angle, rules = prepare(rgb, opts)
    rows = [r for r in tsv_to_rows(tesseract_tsv(grey, opts)) if r["conf"] >= 100 * opts.min_conf]
    h, w = grey.shape
    lines = rows_to_lines(rows, 72.0 / opts.dpi, angle, (w, h))
    confs = [wd.conf for ln in lines for wd in ln.words]
    rect = page.rect
    result = Page(page.number + 1, rect.width, rect.height, "ocr", lines, rules,
                  confidence=round(sum(confs) / len(confs), 3) if confs else None)
    if not lines:
        result.source = "none"
        result.warnings.append("OCR found no text on this page")
    return result


def _ocr_task(path: str, index: int, opts: OcrOptions) -> Page:
    doc = open_pdf(Path(path))
    try:
        return ocr_page(doc[index], opts)
    finally:
        doc.close()


def ocr_pages(path: Path, indexes: Iterable[int], opts: OcrOptions | None = None) -> dict[int, Page | Exception]:
    """Pages `indexes` (0-based) of `path` read by OCR, in worker processes; a page that fails maps
    to its exception. Raises `OcrUnavailableError` up front when tesseract or the language is missing."""
    opts = opts or OcrOptions()
    indexes = list(indexes)
    if not indexes:
        return {}
    check_available(opts.lang)
    results: dict[int, Page | Exception] = {}
    workers = opts.worker_count(len(indexes))
    if workers == 1:
        for i in indexes:
            try:
                results[i] = _ocr_task(str(path), i, opts)
            except Exception as exc:  # one bad page must not lose the others
                results[i] = exc
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {i: pool.submit(_ocr_task, str(path), i, opts) for i in indexes}
        for i, fut in futures.items():
            try:
                results[i] = fut.result()
            except Exception as exc:
                results[i] = exc
    return results
