"""Read scanned pages with Tesseract (`vie`) into the shared page model.

A page is rendered with PyMuPDF at its scan's own resolution (a 200 dpi scan gains nothing from a
300 dpi rendering), cleaned up (coloured ink of seals and signatures turned white, deskewed, lightly
denoised, long table rules erased) and read by Tesseract (see `tesseract.py`; PyMuPDF's built-in
OCR drops the space after stacked diacritics: "HỒCHÍ"). Tesseract's TSV words become `Word`s with
boxes in PDF points of the original page (the deskew rotation is undone on the boxes), grouped into
`Line`s by Tesseract's block / paragraph / line numbers. Boldness is estimated per word from the
stroke width of its ink, font size per line from the line's height.

Pages are read in worker processes, one page per task, each process running libtesseract with its
model loaded once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from statistics import median

import cv2
import numpy as np
import pymupdf

from directives.extractors.base import open_pdf
from directives.extractors.cells import read_cells
from directives.extractors.model import Line, Page, Rule, Word
from directives.extractors.number_line import PSM_LINE, reread_number_lines
from directives.extractors.options import OcrOptions
from directives.extractors.scan_rules import (
    Cell,
    erase_mask,
    masks_to_rules,
    rule_cells,
    rule_masks,
    rules_mask,
    unrotate,
)
from directives.extractors.seal import seal_mask
from directives.extractors.signer_block import PSM_SPARSE, reread_signer_blocks, unread_under_titles
from directives.extractors.tesseract import (
    DEBIAN_PACKAGES,
    TSV_COLUMNS,
    check_available,
    image_tsv,
    tesseract_loaded,
    tsv_to_rows,
)

__all__ = ["DEBIAN_PACKAGES", "TSV_COLUMNS", "OcrOptions", "check_available", "erase_mask", "masks_to_rules", "ocr_page", "ocr_pages",
           "rule_cells", "rule_masks", "rules_mask", "tsv_to_rows", "unrotate"]

_DARK = 110  # a pixel whose brightest channel is below this is dark ink whatever its hue


# --- image preparation --------------------------------------------------------------------------


def scan_dpi(page: pymupdf.Page) -> float | None:
    """Resolution of the largest image covering most of the page (the scan), or None."""
    best = None
    area = abs(page.rect)
    for info in page.get_image_info():
        box = pymupdf.Rect(info["bbox"])
        if abs(box) >= 0.5 * area and box.width > 0 and box.height > 0:
            dpi = max(info["width"] / box.width, info["height"] / box.height) * 72
            best = max(best or 0.0, dpi)
    return best


def render_dpi(page: pymupdf.Page, opts: OcrOptions) -> int:
    if opts.dpi:
        return opts.dpi
    native = scan_dpi(page)
    return int(round(min(opts.max_dpi, max(opts.min_dpi, native or opts.max_dpi))))


def page_to_rgb(page: pymupdf.Page, dpi: int) -> np.ndarray:
    """The page rendered at `dpi` as an RGB array (height × width × 3); without its form fields'
    appearances (`without_widgets`) when it has some."""
    if page.first_widget is not None:
        return without_widgets(page, dpi)
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, 3)


def without_widgets(page: pymupdf.Page, dpi: int) -> np.ndarray:
    """The page's content and annotations rendered at `dpi` as an RGB array, not its form fields:
    a signature's appearance (its box, its seal image, the values it stamps) is read from the text
    layer, and OCR would read the box as document text."""
    mupdf = pymupdf.mupdf
    return render(page, dpi, (mupdf.fz_run_page_contents, mupdf.fz_run_page_annots))


def render(page: pymupdf.Page, dpi: int, runs: tuple, rect: tuple[float, float, float, float] | None = None
           ) -> np.ndarray:
    """What `runs` (MuPDF's runners of the page's content, annotations, form fields) draw of the page,
    or of `rect` of it, rendered at `dpi` as an RGB array on white."""
    mupdf = pymupdf.mupdf
    fz = page.this.super() if isinstance(page.this, mupdf.PdfPage) else page.this
    zoom = dpi / 72
    ctm = mupdf.FzMatrix(zoom, 0, 0, zoom, 0, 0)
    area = mupdf.FzRect(*rect) if rect is not None else mupdf.fz_bound_page(fz)
    pix = mupdf.fz_new_pixmap_with_bbox(mupdf.fz_device_rgb(), mupdf.fz_round_rect(mupdf.fz_transform_rect(area, ctm)),
                                        mupdf.FzSeparations(), 0)
    mupdf.fz_clear_pixmap_with_value(pix, 255)
    dev = mupdf.fz_new_draw_device(mupdf.FzMatrix(), pix)
    for run in runs:
        run(fz, dev, ctm, mupdf.FzCookie())
    mupdf.fz_close_device(dev)
    rows = np.frombuffer(mupdf.fz_pixmap_samples_memoryview(pix), dtype=np.uint8).reshape(pix.h(), pix.stride())
    return rows[:, :pix.w() * 3].reshape(pix.h(), pix.w(), 3).copy()


def rgb_to_grey(rgb: np.ndarray, chroma: int | None, dpi: float | None = None) -> np.ndarray:
    """Greyscale; with `chroma`, strongly coloured pixels become white: blue and other inks (a
    signature) all of it, red ink (with `dpi`) only where it is a round seal (`seal.seal_mask`): red
    text, a number stamped into a blank or the rubber stamp of a signer's title, stays as dark as
    its red is. Without `dpi` all coloured ink goes."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if chroma is not None:
        r, g, b = cv2.split(rgb)
        bright, dim = cv2.max(cv2.max(r, g), b), cv2.min(cv2.min(r, g), b)
        coloured = cv2.compare(cv2.subtract(bright, dim), chroma, cv2.CMP_GT)
        if dpi:
            red = coloured & cv2.compare(r, g, cv2.CMP_GE) & cv2.compare(r, b, cv2.CMP_GE)
            if cv2.countNonZero(red):
                coloured &= ~(red & ~seal_mask(red, dpi))
        coloured = cv2.dilate(coloured, np.ones((3, 3), np.uint8))  # the paler rim of the strokes too
        coloured &= cv2.compare(bright, _DARK, cv2.CMP_GT)  # black text under the ink stays
        grey = cv2.max(grey, coloured)  # 255 where coloured (a mask of 0 and 255), else grey as it is
    return grey


def grey_to_ink(grey: np.ndarray) -> np.ndarray:
    """Binary mask of dark ink (255 = ink), by Otsu's threshold."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _profile_score(profiles: np.ndarray, xc: np.ndarray, angle: float) -> float:
    """Sharpness (sum of squares) of the row profile after rotating by `angle` degrees, the
    rotation approximated by shifting each vertical strip's profile by sin(angle) · its offset."""
    strips, h = profiles.shape
    shifts = np.rint(-np.sin(np.radians(angle)) * xc).astype(np.int64)
    pad = int(np.abs(shifts).max(initial=0))
    rows = (np.arange(h)[None, :] + shifts[:, None] + pad).ravel()
    summed = np.bincount(rows, weights=profiles.ravel(), minlength=h + 2 * pad)
    return float(np.dot(summed, summed))


def skew_angle(ink: np.ndarray, max_angle: float, step: float = 0.1) -> float:
    """Angle (degrees, counter-clockwise) that makes text rows horizontal: the rotation whose row
    profile is sharpest, on a reduced image cut into vertical strips; coarse search, then fine."""
    scale = min(1.0, 1000.0 / max(ink.shape))
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA).astype(np.float64)
    h, w = small.shape
    width = 8
    strips = max(1, w // width)
    profiles = small[:, :strips * width].reshape(h, strips, width).sum(axis=2).T  # strips × rows
    xc = (np.arange(strips) + 0.5) * width - w / 2
    best = 0.0
    for lo, hi, st in ((-max_angle, max_angle, 5 * step), (-4 * step, 4 * step, step)):
        centre = best
        angles = [a for a in np.arange(centre + lo, centre + hi + st / 2, st) if abs(a) <= max_angle + 1e-9]
        best = max(angles, key=lambda a: (_profile_score(profiles, xc, float(a)), -abs(a)))
    return round(float(best), 2)


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    """`grey` rotated by `angle` degrees about its centre, same size, white fill."""
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def small_components(ink: np.ndarray, max_area: int) -> np.ndarray:
    """The pixels (255, else 0) of the 8-connected components of `ink` of at most `max_area` pixels.
    Areas are counted from the labels (`np.bincount`): OpenCV's labelling with statistics costs
    several times its labelling alone on a page."""
    n, labels = cv2.connectedComponents(ink, connectivity=8)
    small = np.bincount(labels.ravel(), minlength=n) <= max_area
    small[0] = False  # background
    if n <= 1 or not small.any():
        return np.zeros_like(ink)
    return np.take(np.where(small, np.uint8(255), np.uint8(0)), labels)


def despeckle(grey: np.ndarray, ink: np.ndarray, dpi: int) -> None:
    """Isolated specks of ink (scanner dust, paper texture) turned white in `grey` and cleared from
    `ink`, in place; a diacritic dot is several times larger than the largest speck removed."""
    specks = small_components(ink, max(2, int(3 * (dpi / 150) ** 2)))
    cv2.max(grey, specks, dst=grey)
    cv2.bitwise_and(ink, cv2.bitwise_not(specks), dst=ink)


def prepare(rgb: np.ndarray, opts: OcrOptions, dpi: int | None = None
            ) -> tuple[np.ndarray, np.ndarray, float, list[Rule], list[Cell]]:
    """The image Tesseract reads (greyscale, cleaned), its ink mask (rules erased), the deskew
    angle applied to them, the drawn rules found (and erased), in PDF points, and the table cells
    they close in (`rule_cells`, in pixels of the image)."""
    dpi = dpi or opts.dpi or opts.max_dpi
    grey = rgb_to_grey(rgb, opts.chroma if opts.remove_ink else None, dpi)
    angle, ink = 0.0, None
    if opts.deskew and opts.max_skew > 0:
        ink = grey_to_ink(grey)
        angle = skew_angle(ink, opts.max_skew)
        if abs(angle) >= 0.05:
            grey, ink = rotate(grey, angle), None
    if ink is None:  # the ink of the unrotated page is the one the skew was measured on
        ink = grey_to_ink(grey)
    despeckle(grey, ink, dpi)
    masks = rule_masks(ink, dpi)
    if opts.erase_rules:
        lines = cv2.compare(erase_mask(masks, ink, dpi), 0, cv2.CMP_GT)
        cv2.max(grey, lines, dst=grey)
        cv2.bitwise_and(ink, cv2.bitwise_not(lines), dst=ink)
    return grey, ink, angle, masks_to_rules(masks, 72.0 / dpi, angle), rule_cells(masks, dpi)


# --- tesseract's words → lines ----------------------------------------------------------------

def stroke_widths(ink: np.ndarray, rows: list[dict]) -> None:
    """Each row's mean stroke width in pixels (row["stroke"]): twice its box's ink area over the
    ink's boundary pixels (a stroke w wide and l long has area w·l and 2·l boundary pixels).
    Sums over boxes come from integral images, so the whole page costs two passes."""
    if not rows:
        return
    h, w = ink.shape
    box = np.array([(r["left"], r["top"], r["left"] + r["width"], r["top"] + r["height"]) for r in rows])
    x0, x1 = np.clip(box[:, 0], 0, w), np.clip(box[:, 2], 0, w)
    y0, y1 = np.clip(box[:, 1], 0, h), np.clip(box[:, 3], 0, h)
    # only the boxes' part of the page, and a pixel round it: the erosion sees the same neighbours
    left, top = max(int(x0.min()) - 1, 0), max(int(y0.min()) - 1, 0)
    x0, x1, y0, y1 = x0 - left, x1 - left, y0 - top, y1 - top
    on = (ink[top:int(y1.max()) + top + 1, left:int(x1.max()) + left + 1] > 0).astype(np.uint8)
    edge = on - cv2.erode(on, cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)))
    sums = []
    for mask in (on, edge):
        s = cv2.integral(mask, sdepth=cv2.CV_32S)
        sums.append(s[y1, x1] - s[y0, x1] - s[y1, x0] + s[y0, x0])
    area, boundary = sums
    width = np.where(boundary > 0, 2.0 * area / np.maximum(boundary, 1), 0.0)
    for row, sw in zip(rows, width, strict=True):
        row["stroke"] = float(sw)


def row_to_word(row: dict, scale: float, angle: float, size: tuple[int, int]) -> Word:
    """A TSV word row as a `Word` in PDF points of the unrotated page (box centre rotated back)."""
    w, h = row["width"], row["height"]
    cx, cy = row["left"] + w / 2, row["top"] + h / 2
    if angle:
        cx, cy = (float(v) for v in unrotate(cx, cy, angle, *size))
    x0, y0, x1, y1 = ((cx - w / 2) * scale, (cy - h / 2) * scale, (cx + w / 2) * scale, (cy + h / 2) * scale)
    return Word(row["text"], x0, y0, x1, y1, conf=max(0.0, min(1.0, row["conf"] / 100)))


def font_sizes(heights: list[float], weights: Sequence[float] | None = None, tolerance: float = 0.2) -> list[float]:
    """Font size (pt) of each line from its height, snapped so that noise in the boxes does not look
    like a change of style: the size whose ±`tolerance` window holds the most text (`weights`, e.g.
    characters) takes every line in that window, at the window's weighted median; then the next
    size among the lines left, and so on (body text, then the header's smaller lines, …)."""
    sizes = [h * 0.85 for h in heights]  # a line's ink with Vietnamese marks spans ~1.2 em
    weights = weights or [1.0] * len(sizes)
    out = [0.0] * len(sizes)
    left = set(range(len(sizes)))
    while left:
        windows = [[j for j in sorted(left) if abs(sizes[j] - sizes[i]) <= tolerance * sizes[i]] for i in sorted(left)]
        members = max(windows, key=lambda m: sum(weights[j] for j in m))
        members.sort(key=lambda j: sizes[j])
        half, acc, centre = sum(weights[j] for j in members) / 2, 0.0, sizes[members[-1]]
        for j in members:
            acc += weights[j]
            if acc >= half:
                centre = sizes[j]
                break
        for j in members:
            out[j] = round(centre, 1)
        left -= set(members)
    return out


# fraction / division slash: always "/" here; Icelandic eth (Ð ð), Tesseract's frequent reading of Đ đ
OCR_LOOKALIKES = str.maketrans({"\u2044": "/", "\u2215": "/", "\u00d0": "\u0110", "\u00f0": "\u0111"})


def fix_word(text: str, first: bool) -> str:
    """Known OCR confusions: slash and Đ look-alikes, and the subject label "V/v" (italic in most
    letters) read as "V⁄%", "V/w", "V⁄" at the start of a line."""
    text = text.translate(OCR_LOOKALIKES)
    if first and len(text) <= 3 and text[:2] in ("V/", "v/"):
        return "V/v"
    return text


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def mark_bold(lines: list[list[Word]], strokes: list[list[float]], heights: list[float], ratio: float) -> None:
    """Bold words: stroke width above `ratio` times the page's usual one (median over words of 3+
    letters: most text is regular), the usual width scaled gently (4th root) by the line's height
    against the usual height: larger type has thicker strokes, but line heights are noisy (marks,
    ascenders). Words too short to measure (numbers, punctuation) follow their line's majority."""
    sample = [(s, h) for ws, ss, h in zip(lines, strokes, heights, strict=True)
              for w, s in zip(ws, ss, strict=True) if s > 0 and _letters(w.text) >= 3]
    if len(sample) < 5:
        return
    usual, usual_h = median(s for s, _ in sample), median(h for _, h in sample)
    for ws, ss, h in zip(lines, strokes, heights, strict=True):
        limit = ratio * usual * min(max(h / usual_h, 0.6), 1.6) ** 0.25
        measured = [s > 0 and _letters(w.text) >= 2 for w, s in zip(ws, ss, strict=True)]
        bold = chars = 0
        for w, s, m in zip(ws, ss, measured, strict=True):
            if m:
                w.bold = s >= limit
                chars += len(w.text)
                bold += len(w.text) if w.bold else 0
        for w, m in zip(ws, measured, strict=True):
            if not m:
                w.bold = 2 * bold > chars


def split_at_gaps(words: list, gap: float) -> list[list]:
    """A Tesseract line cut where two words stand further apart than `gap` (two columns on one row:
    issuer | regime header, "Nơi nhận" | signer), unless the left one ends in a comma and the right
    one goes on in lower case, or the right one opens with a slash: the line goes on after a
    handwritten word OCR dropped ("Kiên Giang, [ngày 17] tháng 10 năm 2017", "Số: [275] /STTTT-CNTT").
    A distribution item ending in a comma beside the signer's title ("- Các Sở, ngành," | "KT. GIÁM
    ĐỐC") is still cut."""
    runs = [[words[0]]]
    for w in words[1:]:
        goes_on = runs[-1][-1][0].text.endswith(",") and w[0].text[:1].islower() or w[0].text.startswith("/")
        if w[0].x0 - runs[-1][-1][0].x1 > gap and not goes_on:
            runs.append([w])
        else:
            runs[-1].append(w)
    return runs


def rows_to_lines(rows: list[dict], scale: float, angle: float, size: tuple[int, int],
                  bold_ratio: float = 1.22) -> list[Line]:
    """Words grouped into lines by Tesseract's (block, paragraph, line) numbers, in reading order;
    sizes per line, bold per word when the rows carry stroke widths (`stroke_widths`)."""
    groups: dict[tuple[int, int, int], list[tuple[Word, float]]] = {}
    for row in rows:
        key = (row["block_num"], row["par_num"], row["line_num"])
        groups.setdefault(key, []).append((row_to_word(row, scale, angle, size), row.get("stroke", 0.0)))
    runs = []
    for pairs in groups.values():
        height = max(w.y1 for w, _ in pairs) - min(w.y0 for w, _ in pairs)
        runs.extend(split_at_gaps(pairs, 1.5 * height))
    words_of = [[w for w, _ in run] for run in runs]
    heights = [max(w.y1 for w in ws) - min(w.y0 for w in ws) for ws in words_of]
    mark_bold(words_of, [[s for _, s in run] for run in runs], heights, bold_ratio)
    lines = []
    chars = [sum(len(w.text) for w in ws) for ws in words_of]
    for ws, pt in zip(words_of, font_sizes(heights, chars), strict=True):
        for k, w in enumerate(ws):
            w.size = pt
            w.text = fix_word(w.text, k == 0)
        raw = " ".join(w.text for w in ws)
        lines.append(Line.of(ws, min(w.x0 for w in ws), min(w.y0 for w in ws), max(w.x1 for w in ws),
                             max(w.y1 for w in ws), raw))
    return lines


# --- pages --------------------------------------------------------------------------------------

REREAD_BELOW = 30.0  # Tesseract confidence (0–100) under which a long word is read again on its own
REREAD_PSM = 7  # the crop is one line of text


def reread_doubtful(grey: np.ndarray, rows: list[dict], opts: OcrOptions, dpi: int) -> list[dict]:
    """Words Tesseract read with very low confidence, read again from a crop of their own box: on a
    full page a line whose handwritten number was erased can come out as one junk word ("Số: [275]
    /STTTT-CNTT" → "Số:2).S/01T7171-CNIT", confidence 0) that alone it reads right. The new words
    replace the old only when their mean confidence is clearly higher."""
    out: list[dict] = []
    h, w = grey.shape
    for row in rows:
        if row["conf"] >= REREAD_BELOW or len(row["text"]) < 4 or row["height"] < 8:
            out.append(row)
            continue
        pad_y, pad_x = row["height"] // 3, row["height"] // 2
        x0, y0 = max(row["left"] - pad_x, 0), max(row["top"] - pad_y, 0)
        x1, y1 = min(row["left"] + row["width"] + pad_x, w), min(row["top"] + row["height"] + pad_y, h)
        try:
            again = tsv_to_rows(image_tsv(grey[y0:y1, x0:x1], opts.lang, REREAD_PSM, dpi, opts.timeout, opts.in_process))
        except RuntimeError:
            again = []
        if again and sum(r["conf"] for r in again) / len(again) >= row["conf"] + 40:
            for k, r in enumerate(again):
                out.append({**r, "left": r["left"] + x0, "top": r["top"] + y0, "block_num": row["block_num"],
                            "par_num": row["par_num"], "line_num": row["line_num"], "word_num": row["word_num"] + k})
        else:
            out.append(row)
    return out


def ocr_page(page: pymupdf.Page, opts: OcrOptions) -> Page:
    """One page read by OCR (source "ocr", confidence = mean word confidence): the page as a whole,
    then its table cells one by one (`read_cells`)."""
    dpi = render_dpi(page, opts)
    grey, ink, angle, rules, cells = prepare(page_to_rgb(page, dpi), opts, dpi)
    tsv = image_tsv(grey, opts.lang, opts.psm, dpi, opts.timeout, opts.in_process)
    read = reread_doubtful(grey, tsv_to_rows(tsv), opts, dpi)
    read = reread_number_lines(grey, read, lambda crop: tsv_to_rows(
        image_tsv(crop, opts.lang, PSM_LINE, dpi, opts.timeout, opts.in_process)))
    rows = [r for r in read if r["conf"] >= 100 * opts.min_conf]
    if opts.read_cells != "off":
        rows = read_cells(grey, ink, cells, rows, opts, dpi, [r for r in read if r["conf"] < 100 * opts.min_conf])
    rows = reread_signer_blocks(grey, ink, rows, dpi, lambda crop, psm=PSM_SPARSE: tsv_to_rows(
        image_tsv(crop, opts.lang, psm, dpi, opts.timeout, opts.in_process)))
    stroke_widths(ink, rows)
    h, w = grey.shape
    lines = rows_to_lines(rows, 72.0 / dpi, angle, (w, h), opts.bold_ratio)
    unread = [row_to_word({"left": x0, "top": y0, "width": x1 - x0, "height": y1 - y0, "text": "", "conf": 0},
                          72.0 / dpi, angle, (w, h)) for x0, y0, x1, y1 in unread_under_titles(rows, ink)]
    confs = [wd.conf for ln in lines for wd in ln.words]
    rect = page.rect
    result = Page(page.number + 1, rect.width, rect.height, "ocr", lines, rules,
                  confidence=round(sum(confs) / len(confs), 3) if confs else None,
                  unread=[(u.x0, u.y0, u.x1, u.y1) for u in unread])
    if not lines:
        result.source = "none"
        result.warn("ocr-empty", "OCR found no text on this page")
    return result


def _ocr_task(path: str, index: int, opts: OcrOptions) -> Page:
    doc = open_pdf(Path(path))
    try:
        return ocr_page(doc[index], opts)
    finally:
        doc.close()


def _worker_init() -> None:
    # before libtesseract (and its OpenMP) is loaded. (OpenCV's thread count is left alone: changing
    # it in a forked child whose parent has used OpenCV's threads hangs.)
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _context() -> multiprocessing.context.BaseContext:
    """Fork (cheap, workers are this process's children so their CPU time is accounted to it),
    unless this process has run libtesseract: its OpenMP runtime hangs in a forked child."""
    return multiprocessing.get_context("spawn" if tesseract_loaded() else "fork")


def ocr_pages(path: Path, indexes: Iterable[int], opts: OcrOptions | None = None) -> dict[int, Page | Exception]:
    """Pages `indexes` (0-based) of `path` read by OCR, one page per task in worker processes (as many
    as pages, up to one per core; each loads Tesseract's model once); a page that fails maps to its
    exception. Raises `OcrUnavailableError` up front when tesseract or the language is missing."""
    opts = opts or OcrOptions()
    indexes = list(indexes)
    if not indexes:
        return {}
    check_available(opts.lang)
    results: dict[int, Page | Exception] = {}
    workers = opts.worker_count(len(indexes))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_worker_init) as pool:
        futures = {i: pool.submit(_ocr_task, str(path), i, opts) for i in indexes}
        for i, fut in futures.items():
            try:
                results[i] = fut.result()
            except Exception as exc:  # one bad page (or a worker that died) must not lose the others
                results[i] = exc
    return results
