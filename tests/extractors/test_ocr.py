"""The OCR reader: image clean-up on arrays, bold from stroke widths, words with diacritics from
generated image-only PDFs, the per-page source choice, and (slow) the CER and bold words of the
scanned seed letter."""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from rapidfuzz.distance import Levenshtein

from directives.errors import OcrUnavailableError
from directives.extractors import cells, ocr, tesseract
from directives.extractors.model import Line
from directives.extractors.ocr import (
    OcrOptions,
    erase_mask,
    font_sizes,
    grey_to_ink,
    masks_to_rules,
    ocr_pages,
    page_to_rgb,
    render_dpi,
    rgb_to_grey,
    rows_to_lines,
    rule_cells,
    rule_masks,
    rules_mask,
    scan_dpi,
    skew_angle,
    stroke_widths,
    tsv_to_rows,
)
from directives.extractors.pdf_text import TextLayerReader
from directives.extractors.read import extract_pages
from directives.pipeline.layout import lines_to_rows
from directives.syllables import is_syllable, text_words, vietnamese_score
from tests.helpers import CORPUS, SEED_PDF, SEED_SCAN, needs_corpus

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
TEXT = "ĐOÀN TNCS HỒ CHÍ MINH"
BODY = "Kính gửi: Ban Thường vụ các huyện, thành đoàn trực thuộc."


def tesseract_ready() -> bool:
    try:
        ocr.check_available("vie")
    except OcrUnavailableError:
        return False
    return FONT.exists()


needs_tesseract = pytest.mark.skipif(not tesseract_ready(), reason="tesseract with vie (or DejaVu font) missing")
needs_fonts = pytest.mark.skipif(not (FONT.exists() and BOLD_FONT.exists()), reason="DejaVu fonts missing")


def typeset(lines: list[str], bold: frozenset[int] = frozenset()) -> pymupdf.Document:
    """A born-digital page: `lines` in DejaVu Sans 14 pt, 30 pt apart; lines `bold` in DejaVu Sans Bold."""
    src = pymupdf.open()
    page = src.new_page()
    for k, text in enumerate(lines):
        name, font = ("dvb", BOLD_FONT) if k in bold else ("dv", FONT)
        page.insert_text((72, 100 + 30 * k), text, fontsize=14, fontname=name, fontfile=str(font))
    return src


def scanned_pdf(tmp_path: Path, lines: list[str], seal: bool = True, angle: float = 0.0,
                bold: frozenset[int] = frozenset()) -> Path:
    """An image-only PDF: `lines` typeset with a Vietnamese font (lines `bold` in its bold face), a
    red seal drawn over them, rasterised at 200 dpi (optionally rotated by `angle` degrees) and
    placed as the page's image."""
    src = typeset(lines, bold)
    page = src[0]
    if seal:
        page.draw_circle((160, 110), 40, color=(0.9, 0.1, 0.1), width=3, stroke_opacity=0.7)  # ink, not paint
    pix = page.get_pixmap(dpi=200, matrix=pymupdf.Matrix(1, 1).prerotate(angle) if angle else None)
    out = pymupdf.open()
    out.new_page(width=page.rect.width, height=page.rect.height).insert_image(page.rect, pixmap=pix)
    path = tmp_path / "scan.pdf"
    out.save(path)
    return path


def reading_text(lines: list[Line]) -> str:
    """Lines in rows top to bottom, left to right; whitespace collapsed, NFC."""
    text = " ".join(ln.raw for row in lines_to_rows(lines) for ln in sorted(row, key=lambda ln: ln.x0))
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def cer(hyp: str, ref: str) -> float:
    return Levenshtein.distance(hyp, ref) / max(1, len(ref))


# ------------------------------------------------------------------------- pure functions


def test_red_and_blue_ink_turn_white_black_stays():
    rgb = np.full((4, 4, 3), 255, np.uint8)
    rgb[0, 0] = (220, 60, 60)  # seal red
    rgb[3, 3] = (40, 50, 170)  # signature blue
    rgb[2, 0] = (20, 20, 20)  # black text
    grey = rgb_to_grey(rgb, 40)
    assert grey[0, 0] == 255 and grey[3, 3] == 255 and grey[2, 0] < 60


def test_specks_up_to_the_area_given_are_found_larger_marks_and_diagonal_neighbours_are_not():
    ink = np.zeros((40, 40), np.uint8)
    ink[2, 2] = 255  # a one-pixel speck
    ink[10:12, 10:12] = 255  # four pixels
    ink[20, 20] = ink[21, 21] = ink[22, 22] = 255  # three pixels touching at corners: one component
    ink[30:33, 30:33] = 255  # nine pixels: a dot of a diacritic
    specks = ocr.small_components(ink, 4)
    assert specks.dtype == np.uint8 and set(np.unique(specks)) == {0, 255}
    assert specks[2, 2] and specks[11, 11] and specks[21, 21] and specks[22, 22]
    assert not specks[31, 31] and not specks[0, 0]
    assert not ocr.small_components(np.zeros((5, 5), np.uint8), 4).any()


def test_despeckle_whitens_specks_in_grey_and_clears_them_from_ink_in_place():
    grey = np.full((30, 30), 250, np.uint8)
    grey[5, 5] = 10
    grey[10:16, 10:16] = 20  # a mark too large to be a speck
    ink = grey_to_ink(grey)
    ocr.despeckle(grey, ink, 200)
    assert grey[5, 5] == 255 and not ink[5, 5]
    assert grey[12, 12] == 20 and ink[12, 12]


def test_opening_by_a_long_line_is_opencvs_own_on_any_mask():
    import cv2

    from directives.extractors import scan_rules

    rng = np.random.default_rng(7)
    for _ in range(200):
        h, w = (int(v) for v in rng.integers(5, 300, 2))
        mask = ((rng.random((h, w)) < rng.random() ** 3) * 255).astype(np.uint8)
        for _ in range(int(rng.integers(0, 6))):  # runs across and down, some touching the edges
            y, x0 = int(rng.integers(0, h)), int(rng.integers(0, w))
            mask[y, x0:int(rng.integers(x0, w + 1))] = 255
            x, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
            mask[y0:int(rng.integers(y0, h + 1)), x] = 255
        length = int(rng.integers(2, 250))
        for vertical in (False, True):
            size = (1, length) if vertical else (length, 1)
            expected = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
            assert np.array_equal(scan_rules.open_line(mask, length, vertical), expected)


def test_skew_angle_found_on_rotated_stripes():
    import cv2

    ink = np.zeros((600, 800), np.uint8)
    for y in range(60, 560, 40):
        ink[y:y + 12, 80:720] = 255
    m = cv2.getRotationMatrix2D((400, 300), -1.2, 1.0)
    skewed = cv2.warpAffine(ink, m, (800, 600), flags=cv2.INTER_NEAREST)
    assert abs(skew_angle(skewed, 3.0) - 1.2) <= 0.15


def test_rules_mask_keeps_letters_takes_long_lines():
    ink = np.zeros((300, 600), np.uint8)
    ink[100:103, 20:580] = 255  # a table rule
    ink[150:180, 40:44] = 255  # a letter stroke
    mask = rules_mask(ink, 300)
    assert mask[101, 300] and not mask[165, 42]


def test_rules_found_become_rules_in_points_askew_as_on_the_page():
    ink = np.zeros((600, 800), np.uint8)
    ink[300:303, 100:700] = 255
    ink[100:500, 400:403] = 255
    rules = masks_to_rules(rule_masks(ink, 300), 72 / 300, 0.5)
    assert sorted((r.horizontal, r.vertical) for r in rules) == [(False, True), (True, False)]
    h = next(r for r in rules if r.horizontal)
    v = next(r for r in rules if r.vertical)
    # straight in the deskewed image, so tilted by the deskew angle on the page: 600 px long, 0.5°
    assert math.hypot(h.x1 - h.x0, h.y1 - h.y0) == pytest.approx(600 * 72 / 300, rel=0.01)
    assert math.degrees(math.atan2(h.y1 - h.y0, h.x1 - h.x0)) == pytest.approx(0.5, abs=0.05)
    assert math.degrees(math.atan2(v.x1 - v.x0, v.y1 - v.y0)) == pytest.approx(-0.5, abs=0.05)
    assert masks_to_rules(rule_masks(ink, 300), 72 / 300, 0.0)[0].y0 == masks_to_rules(rule_masks(ink, 300), 72 / 300, 0.0)[0].y1


def test_rules_askew_and_short_cell_borders_found_letters_left():
    import cv2

    ink = np.zeros((700, 1000), np.uint8)
    for y in (100, 160, 220, 280):  # four rules 1.5° askew over 900 px (a 23 px rise)
        cv2.line(ink, (50, y), (950, y - 23), 255, 3)
    for x in (50, 300, 950):  # borders running the table's height
        cv2.line(ink, (x, 100 - round((x - 50) * 23 / 900)), (x, 280 - round((x - 50) * 23 / 900)), 255, 3)
    cv2.line(ink, (600, 86), (600, 146), 255, 3)  # a border of one row only: 60 px, shorter than a long rule
    ink[175:205, 500:503] = 255  # a letter stroke as tall, inside a cell, clear of the rules
    horizontal, vertical = rule_masks(ink, 200)
    rules = masks_to_rules((horizontal, vertical), 72 / 200, 0.0)
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if r.vertical]
    assert len(hs) == 4 and all(r.y1 - r.y0 == pytest.approx(-23 * 72 / 200, abs=1.0) for r in hs)
    assert [round(r.x0 * 200 / 72) for r in sorted(vs, key=lambda r: r.x0)] == pytest.approx([50, 300, 600, 950], abs=2)
    assert not vertical[190, 501]


def test_rules_of_grids_and_straight_strokes_erased_a_lone_slanting_stroke_left():
    import cv2

    ink = np.zeros((700, 1000), np.uint8)
    ink[50:53, 100:900] = 255  # an underline, drawn straight
    cv2.line(ink, (100, 200), (600, 226), 255, 3)  # a lone stroke 3° askew (a signature's)
    for y in (400, 460, 520):  # a grid 1.5° askew
        cv2.line(ink, (100, y), (900, y - 21), 255, 3)
    for x in (100, 500, 900):
        top = 400 - round((x - 100) * 21 / 800)
        cv2.line(ink, (x, top), (x, top + 120), 255, 3)
    masks = rule_masks(ink, 200)
    erased = erase_mask(masks, ink, 200)
    assert erased[51, 500] and erased[430 - 10, 500] and erased[460 - 10, 500]
    assert masks[0][213, 350] and not erased[213, 350]


def test_cells_closed_in_by_rules_not_the_gap_of_a_double_rule_nor_the_open_side():
    ink = np.zeros((700, 1000), np.uint8)
    for y in (100, 106, 200, 300):  # the top rule drawn double, 6 px apart
        ink[y:y + 3, 50:800] = 255
    for x in (50, 300, 800):
        ink[100:303, x:x + 3] = 255
    ink[400:403, 50:950] = 255  # a table cut off on the right: no rule on that side
    ink[500:503, 50:950] = 255
    ink[400:503, 50:53] = 255
    ink[400:503, 400:403] = 255
    cells = rule_cells(rule_masks(ink, 200), 200)
    corners = sorted((x, y) for x, y, *_ in cells)  # just inside the rules at their top left corners
    expected = [(50, 106), (50, 200), (50, 400), (300, 106), (300, 200)]
    assert len(corners) == 5 and all(0 < x - a <= 10 and 0 < y - b <= 10
                                     for (x, y), (a, b) in zip(corners, expected, strict=True))


def _tsv_word(text, left, top, width, height=20, conf=95.0, line=1):
    return {"level": 5, "page_num": 1, "block_num": 1, "par_num": 1, "line_num": line, "word_num": 1,
            "left": left, "top": top, "width": width, "height": height, "conf": conf, "text": text}


def test_a_cell_is_read_again_only_when_the_page_reading_looks_wrong():
    cell = (100, 50, 200, 60)  # x, y, w, h in pixels
    clean = [_tsv_word("Nội", 110, 60, 40), _tsv_word("dung", 160, 60, 50)]
    assert not cells.cell_doubtful(*cell, clean)
    assert cells.cell_doubtful(*cell, [])  # ink but no words
    assert cells.cell_doubtful(*cell, [_tsv_word("Nội", 110, 60, 40, conf=40.0), clean[1]])  # little confidence
    assert cells.cell_doubtful(*cell, [clean[0], _tsv_word("dungPHỤ", 160, 60, 170)])  # runs over the right border
    assert cells.cell_doubtful(*cell, clean, stray=0.4)  # much ink the page's words leave out ('So với kế' lost)
    assert not cells.cell_doubtful(*cell, clean, stray=0.05)
    # 'TRÁ' read twice over: two words of one line overlapping, or the tops of letters read as a line of
    # their own over the words, or as a speck of a word
    assert cells.cell_doubtful(*cell, [_tsv_word("PHỤ", 110, 60, 40), _tsv_word("TRÁ", 155, 60, 40),
                                     _tsv_word("TRÁCH", 170, 60, 60)])
    assert cells.cell_doubtful(*cell, [_tsv_word("TRÁ", 160, 56, 45, height=11), _tsv_word("PHỤ", 110, 62, 45, line=2),
                                     _tsv_word("TRÁCH", 160, 62, 80, line=2)])
    assert cells.cell_doubtful(*cell, [*clean, _tsv_word("'ƠNG", 250, 60, 4, height=5)])
    # words of two lines one above the other do not overlap, nor a descender and the marks under it
    assert not cells.cell_doubtful(*cell, [_tsv_word("Nội", 110, 55, 40), _tsv_word("dung", 115, 80, 50, line=2)])
    assert not cells.cell_doubtful(*cell, [_tsv_word("dùng", 110, 55, 50), _tsv_word("Ấy", 115, 71, 30, line=2)])


def test_only_doubtful_cells_are_read_again_unless_all_are_asked(monkeypatch):
    grey = np.full((200, 600), 255, np.uint8)
    ink = np.zeros_like(grey)
    ink[60:80, 110:200] = 255  # some ink in both cells
    ink[60:80, 318:400] = 255
    own = np.ones((60, 200), bool)
    boxes = [(100, 50, 200, 60, own), (308, 50, 200, 60, own)]  # side by side across a wall
    rows = [_tsv_word("Nội", 110, 60, 40), _tsv_word("dung", 160, 60, 50),
            _tsv_word("Thòi", 318, 60, 40, conf=30.0)]
    read = []

    def fake_read(crop, opts, dpi):
        read.append(crop.shape)
        return [_tsv_word("Thời", 10, 10, 40)], 90.0

    monkeypatch.setattr(cells, "_read_cell", fake_read)
    assert cells.read_cells(grey, ink, boxes[1:], rows, OcrOptions(), 200) == rows and not read  # a lone box
    out = cells.read_cells(grey, ink, boxes, rows, OcrOptions(), 200)
    assert len(read) == 1  # the confident cell is left as the page read it
    assert [r["text"] for r in out] == ["Nội", "dung", "Thời"] and out[-1]["left"] == 318
    read.clear()
    cells.read_cells(grey, ink, boxes, rows, OcrOptions(read_cells="all"), 200)
    assert len(read) == 2


def test_first_row_cells_are_those_at_the_top_of_their_own_grid():
    own = np.ones((40, 100), bool)
    grid_a = [(x, y, 100, 40, own) for y in (100, 148, 196) for x in (50, 158)]  # 3 rows × 2 columns
    grid_b = [(x, y, 100, 40, own) for y in (600, 648) for x in (50, 158)]
    tall = (266, 100, 100, 88, own)  # a header cell spanning two rows starts at the top too
    lone = (700, 100, 100, 40, own)  # a boxed note: no grid, no first row
    firsts = cells.in_first_row([*grid_a, *grid_b, tall, lone], tol=20)
    assert firsts == [True, True, False, False, False, False, True, True, False, False, True, False]


def test_each_word_of_a_cell_keeps_the_surer_of_the_page_and_cell_readings():
    box = (100, 50, 200, 80)
    cell = [_tsv_word("YS", 110, 60, 30, conf=87.0), _tsv_word("RiữHM", 110, 95, 60, conf=30.0, line=2)]
    page = [_tsv_word("YS", 111, 60, 29, conf=35.0), _tsv_word("RHM", 112, 96, 55, conf=89.0)]
    out = cells.surer_of_each(cell, page, box)
    assert [r["text"] for r in out] == ["YS", "RHM"]
    assert out[1]["line_num"] == 2 and out[1]["left"] == 112  # the page's word, in the cell's line
    # not taken: a page word only a little surer, one running out of the cell, one over two cell words
    assert [r["text"] for r in cells.surer_of_each(cell, [{**page[1], "conf": 55.0}], box)] == ["YS", "RiữHM"]
    assert [r["text"] for r in cells.surer_of_each(cell, [{**page[1], "width": 260}], box)] == ["YS", "RiữHM"]
    two = [_tsv_word("Nha", 110, 60, 40, conf=40.0), _tsv_word("tá,", 155, 60, 30, conf=40.0)]
    assert [r["text"] for r in cells.surer_of_each(two, [_tsv_word("Nhatá,", 110, 60, 75)], box)] == ["Nha", "tá,"]


def test_a_label_read_unsure_is_taken_back_in_a_grids_first_row_only(monkeypatch):
    grey = np.full((400, 700), 255, np.uint8)
    ink = np.zeros_like(grey)
    own = np.ones((90, 200), bool)
    boxes = [(100, 50, 200, 90, own), (308, 50, 200, 90, own), (100, 148, 200, 90, own), (308, 148, 200, 90, own)]
    for x, y, *_ in boxes:
        ink[y + 10:y + 70, x + 10:x + 150] = 255
    rows = [_tsv_word("BVĐK", 140, 62, 90, height=22), _tsv_word("TỈNH", 340, 62, 90, height=22),
            _tsv_word("CÁC", 120, 160, 60, height=22), _tsv_word("CA", 330, 160, 40, height=22)]
    faint = [_tsv_word("HUYỆN/TT", 110, 92, 170, height=32, conf=7.0, line=2),  # under BVĐK: a label
             _tsv_word("LOẠI", 120, 190, 70, height=22, conf=5.0, line=2),  # the same in a body row: left out
             _tsv_word("j", 340, 92, 12, height=40, conf=9.0, line=2),  # a stroke: no label
             _tsv_word("NGG", 440, 60, 60, height=60, conf=8.0, line=2),  # taller than the cell's words
             _tsv_word("NIei", 440, 90, 50, height=22, conf=8.0, line=2)]  # no label's spelling
    monkeypatch.setattr(cells, "cell_doubtful", lambda *a, **k: False)
    out = cells.read_cells(grey, ink, boxes, rows, OcrOptions(), 200, faint)
    assert [r["text"] for r in out] == ["BVĐK", "TỈNH", "CÁC", "CA", "HUYỆN/TT"]
    assert cells.read_cells(grey, ink, boxes, rows, OcrOptions(), 200) == rows  # nothing faint given


def test_a_label_word_is_spelt_like_one():
    assert all(map(cells.label_word, ["HUYỆN/TT", "BVĐK", "(ĐƠN", "hướng", "LOẠI"]))
    assert not any(map(cells.label_word, ["NIei", "Su", "j", "Ì«Ì", "WỨ%_", "HUYỆN/", "10049"]))


def test_tsv_words_grouped_into_lines_and_split_at_wide_gaps():
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "5\t1\t1\t1\t1\t1\t100\t100\t80\t40\t96.5\tHỒ",
        "5\t1\t1\t1\t1\t2\t200\t100\t80\t40\t91\tCHÍ",
        "5\t1\t1\t1\t1\t3\t900\t100\t80\t40\t90\tMINH",  # far right: another column
        "4\t1\t1\t1\t2\t0\t100\t200\t80\t40\t-1\t",
        "5\t1\t1\t1\t2\t1\t100\t200\t80\t40\t90\tHo\u0300",
    ]
    words = tsv_to_rows("\n".join([head, *rows]))
    assert [w["text"] for w in words] == ["HỒ", "CHÍ", "MINH", "Hò"]  # NFC
    lines = rows_to_lines(words, 72 / 300, 0.0, (2480, 3508))
    assert [ln.raw for ln in lines] == ["HỒ CHÍ", "MINH", "Hò"]
    first = lines[0].words[0]
    assert first.x0 == pytest.approx(24.0) and first.y0 == pytest.approx(24.0) and first.conf == 0.965


def test_a_line_after_a_comma_goes_on_across_a_gap_and_eth_reads_as_d_bar():
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [  # "Kiên Giang, [17: handwritten, lost] tháng 10"; then "Ðoàn" with an Icelandic eth
        "5\t1\t1\t1\t1\t1\t100\t100\t120\t40\t96\tGiang,",
        "5\t1\t1\t1\t1\t2\t600\t100\t120\t40\t96\ttháng",
        "5\t1\t1\t1\t2\t1\t100\t200\t120\t40\t96\t\u00d0oàn",
        "5\t1\t1\t1\t3\t1\t100\t300\t120\t40\t96\tngành,",  # a distribution item beside the signer
        "5\t1\t1\t1\t3\t2\t1400\t300\t120\t40\t96\tGIÁM",
    ]
    lines = rows_to_lines(tsv_to_rows("\n".join([head, *rows])), 72 / 300, 0.0, (2480, 3508))
    assert [ln.raw for ln in lines] == ["Giang, tháng", "\u0110oàn", "ngành,", "GIÁM"]


def test_noisy_line_heights_make_no_new_font_size():
    body = [18.0, 19.5, 17.2, 18.6, 20.1, 18.3]  # 14 pt lines, boxes jittering with marks and ascenders
    sizes = font_sizes([*body, 18.9, 30.0])  # a 15 pt title snaps to the body; a 25 pt heading does not
    assert len(set(sizes[:-1])) == 1 and sizes[-1] > 1.3 * sizes[0]


def rows_of(doc: pymupdf.Document, dpi: int) -> list[dict]:
    """TSV-like rows for the born-digital words of `doc`'s page, boxes in pixels at `dpi`."""
    k = dpi / 72
    return [{"block_num": b, "par_num": 1, "line_num": ln, "left": int(x0 * k), "top": int(y0 * k),
             "width": int((x1 - x0) * k), "height": int((y1 - y0) * k), "conf": 95.0, "text": t}
            for x0, y0, x1, y1, t, b, ln, _ in doc[0].get_text("words")]


@needs_fonts
def test_bold_line_told_from_regular_lines_by_stroke_width():
    doc = typeset([BODY, "2. Trọng tâm công tác", BODY, "Tổ chức các hoạt động", BODY], bold=frozenset({1}))
    ink = grey_to_ink(rgb_to_grey(page_to_rgb(doc[0], 200), None))
    rows = rows_of(doc, 200)
    stroke_widths(ink, rows)
    lines = rows_to_lines(rows, 72 / 200, 0.0, ink.shape[::-1])
    assert [ln.bold for ln in lines] == [False, True, False, False, False]
    assert all(w.bold for w in lines[1].words)  # "2." follows its line
    assert not any(w.bold for ln in lines if ln is not lines[1] for w in ln.words)


def test_stroke_width_is_twice_the_ink_over_its_boundary_in_each_box_also_at_the_edges():
    import cv2

    ink = np.zeros((60, 80), np.uint8)
    ink[10:14, 5:45] = 255  # a stroke 4 px thick
    ink[30:60, 70:80] = 255  # a block running off the bottom right corner
    ink[0:2, 0:80] = 255  # a rule along the top edge
    rows = [{"left": 0, "top": 5, "width": 50, "height": 15}, {"left": 65, "top": 25, "width": 30, "height": 40},
            {"left": -5, "top": -3, "width": 90, "height": 6}, {"left": 20, "top": 40, "width": 10, "height": 10}]
    stroke_widths(ink, rows)
    on = (ink > 0).astype(np.uint8)
    edge = on - cv2.erode(on, cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3)))
    for r in rows:
        y0, x0 = max(r["top"], 0), max(r["left"], 0)
        box = (slice(y0, r["top"] + r["height"]), slice(x0, r["left"] + r["width"]))
        area, boundary = int(on[box].sum()), int(edge[box].sum())
        assert r["stroke"] == (2.0 * area / boundary if boundary else 0.0)
    assert rows[0]["stroke"] == 2.0 * 160 / 84  # 40 × 4 px, 84 of them on its rim and rows[3]["stroke"] == 0.0


def test_too_few_words_to_judge_bold_leaves_them_regular():
    ink = np.zeros((100, 400), np.uint8)
    ink[20:60, 10:390:10] = 255
    rows = [{"block_num": 1, "par_num": 1, "line_num": 1, "left": 10, "top": 20, "width": 380, "height": 40,
             "conf": 90.0, "text": "ĐOÀN"}]
    stroke_widths(ink, rows)
    assert rows[0]["stroke"] == pytest.approx(2.0, abs=0.2)  # one-pixel bars: 2·area / boundary
    assert not rows_to_lines(rows, 0.24, 0.0, (400, 100))[0].bold


def test_syllables_tell_vietnamese_from_junk():
    assert all(map(is_syllable, text_words("nghiêng quyết gì Nguyễn HỒ CHÍ MINH khuya thuở xoong")))
    assert not any(map(is_syllable, text_words("CQNG VT luyÖn kiÕn thøc")))
    assert not is_syllable("hàt")  # a stop coda takes only sắc or nặng
    assert vietnamese_score(BODY * 3)[0] > 0.9
    assert vietnamese_score("CQNG HOA XA HO! CHU NGHIA VT NAM Doc lap Tu do Hanh phuc " * 3)[0] < 0.5


def test_missing_tesseract_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(tesseract.shutil, "which", lambda name: None)
    tesseract._list_langs.cache_clear()
    try:
        with pytest.raises(OcrUnavailableError) as info:
            ocr.check_available("vie")
    finally:
        tesseract._list_langs.cache_clear()
    assert info.value.code == "ocr-unavailable" and "tesseract-ocr-vie" in info.value.reason


def test_without_tesseract_a_scan_stays_none_with_a_warning(tmp_path, monkeypatch):
    path = scanned_pdf(tmp_path, [TEXT], seal=False)

    def unavailable(lang):
        raise OcrUnavailableError("tesseract is not installed (Debian packages: tesseract-ocr tesseract-ocr-vie)")

    monkeypatch.setattr(ocr, "check_available", unavailable)
    (page,) = extract_pages(path)
    assert page.source == "none" and page.lines == []
    assert any("tesseract-ocr-vie" in w.message for w in page.warnings if w.code == "ocr-unavailable")


# ------------------------------------------------------------------------- tesseract on generated scans


@needs_tesseract
def test_generated_scan_keeps_diacritics_and_spaces(tmp_path):
    path = scanned_pdf(tmp_path, [TEXT, BODY])
    (page,) = extract_pages(path, OcrOptions(workers=1))
    assert page.source == "ocr" and 0.5 < page.confidence <= 1.0
    texts = [w.text for w in page.words]
    assert "HỒ" in texts and "CHÍ" in texts and "MINH" in texts  # three words, not "HỒCHÍ"
    assert cer(reading_text(page.lines), f"{TEXT} {BODY}") <= 0.03
    first = page.lines[0]
    assert 60 <= first.x0 <= 80 and 80 <= first.y0 <= 100 and first.y1 <= 110  # PDF points, top-left origin


@needs_tesseract
def test_scan_read_at_its_own_resolution_with_bold_words(tmp_path):
    path = scanned_pdf(tmp_path, [TEXT, "2. Trọng tâm công tác", BODY, BODY], seal=False, bold=frozenset({1}))
    doc = pymupdf.open(path)
    assert scan_dpi(doc[0]) == pytest.approx(200, abs=1) and render_dpi(doc[0], OcrOptions()) == 200
    assert render_dpi(doc[0], OcrOptions(dpi=300)) == 300
    (page,) = extract_pages(path, OcrOptions(workers=1))
    bold = {ln.raw: ln.bold for ln in page.lines}
    assert bold.get("2. Trọng tâm công tác") is True
    assert [ln.bold for ln in page.lines if "Kính gửi" in ln.raw] == [False, False]


@needs_tesseract
def test_tesseract_binary_and_library_read_alike(tmp_path):
    path = scanned_pdf(tmp_path, [TEXT, BODY], seal=False)
    lib = ocr_pages(path, [0], OcrOptions(workers=1))[0]
    cli = ocr_pages(path, [0], OcrOptions(workers=1, in_process=False))[0]
    assert [w.text for w in lib.words] == [w.text for w in cli.words]


@needs_tesseract
def test_tesserocr_engine_when_asked_reads_with_the_systems_tessdata(tmp_path, monkeypatch):
    pytest.importorskip("tesserocr")
    folder = tesseract.tessdata_dir()  # found from the installed tesseract, not written in the code
    assert folder is not None and (Path(folder) / "vie.traineddata").is_file()
    path = scanned_pdf(tmp_path, [TEXT, BODY], seal=False)
    cli = ocr_pages(path, [0], OcrOptions(workers=1, in_process=False))[0]
    monkeypatch.setenv("DIRECTIVES_TESSERACT", "tesserocr")
    assert tesseract.engine_name().startswith("tesserocr 5.")
    page = ocr_pages(path, [0], OcrOptions(workers=1))[0]
    assert [w.text for w in page.words] == [w.text for w in cli.words]
    monkeypatch.setenv("DIRECTIVES_TESSERACT", "tesseract-9")
    with pytest.raises(OcrUnavailableError):
        tesseract.engine_name()


@needs_tesseract
def test_skewed_scan_is_read_and_boxes_stay_on_the_page(tmp_path):
    path = scanned_pdf(tmp_path, [TEXT, BODY, BODY], seal=False, angle=0.8)
    (page,) = extract_pages(path, OcrOptions(workers=1))
    assert "Thường" in [w.text for w in page.words]
    assert all(0 <= w.x0 < w.x1 <= page.width and 0 <= w.y0 < w.y1 <= page.height for w in page.words)


@needs_tesseract
def test_pages_read_in_parallel_keep_their_order(tmp_path):
    doc = pymupdf.open()
    for k in range(3):
        one = pymupdf.open(scanned_pdf(tmp_path, [f"Trang số {k + 1} của văn bản"], seal=False))
        doc.insert_pdf(one)
    path = tmp_path / "three.pdf"
    doc.save(path)
    pages = extract_pages(path, OcrOptions(workers=2))
    assert [p.number for p in pages] == [1, 2, 3] and {p.source for p in pages} == {"ocr"}
    assert [p.words[1].text for p in pages] == ["số"] * 3 and [p.words[2].text for p in pages] == ["1", "2", "3"]


# ------------------------------------------------------------------------- real documents (slow)


@needs_tesseract
@pytest.mark.slow
def test_seed_scan_page_one_cer_at_most_two_percent():
    page = ocr_pages(SEED_SCAN, [0], OcrOptions(workers=1))[0]
    ref = TextLayerReader().read_page(pymupdf.open(SEED_PDF), 0)
    assert page.source == "ocr"
    assert cer(reading_text(page.lines), reading_text(ref.lines)) <= 0.02


@needs_tesseract
@needs_corpus
@pytest.mark.slow
def test_junk_ocr_layer_is_read_again_by_ocr():
    pages = extract_pages(CORPUS / "docs" / "kiengiang_syt_qd3176_hoi_dong_skkn_2017_scan_badOCR.pdf")
    assert [p.source for p in pages] == ["ocr", "ocr"]
    assert [w.code for w in pages[0].warnings][:1] == ["text-layer-replaced"]
    assert "page read by OCR instead" in pages[0].warnings[0].message
    assert vietnamese_score(" ".join(ln.raw for ln in pages[0].lines))[0] > 0.8


@needs_tesseract
@pytest.mark.slow
def test_seed_scan_whole_cer_at_most_one_percent_and_bold_words_found():
    """Every page of the scanned seed against the born-digital seed: CER over the document ≤ 1 %, and
    the bold words (matched by text in reading order) found with precision and recall ≥ 0.9."""
    import difflib

    born = pymupdf.open(SEED_PDF)
    found = ocr_pages(SEED_SCAN, range(born.page_count), OcrOptions(workers=2))
    dist = size = tp = fp = fn = 0
    for i in range(born.page_count):
        ref = TextLayerReader().read_page(born, i)
        assert found[i].source == "ocr"
        hyp_text, ref_text = reading_text(found[i].lines), reading_text(ref.lines)
        dist, size = dist + Levenshtein.distance(hyp_text, ref_text), size + len(ref_text)
        hyp_w = [w for row in lines_to_rows(found[i].lines) for ln in sorted(row, key=lambda ln: ln.x0) for w in ln.words]
        ref_w = [w for row in lines_to_rows(ref.lines) for ln in sorted(row, key=lambda ln: ln.x0) for w in ln.words]
        match = difflib.SequenceMatcher(None, [w.text for w in ref_w], [w.text for w in hyp_w], autojunk=False)
        for a, b, n in match.get_matching_blocks():
            for r, h in zip(ref_w[a:a + n], hyp_w[b:b + n], strict=True):
                tp, fp, fn = tp + (r.bold and h.bold), fp + (h.bold and not r.bold), fn + (r.bold and not h.bold)
    assert dist / size <= 0.01
    assert tp >= 100 and tp / (tp + fp) >= 0.9 and tp / (tp + fn) >= 0.9


def test_doubtful_word_is_replaced_only_by_a_clearly_better_reading(monkeypatch):
    grey = np.full((400, 1200), 255, np.uint8)
    junk = {"block_num": 2, "par_num": 1, "line_num": 1, "word_num": 1, "left": 200, "top": 100,
            "width": 500, "height": 40, "conf": 0.0, "text": "Số:2).S/01T7171-CNIT"}
    good = {"block_num": 2, "par_num": 1, "line_num": 1, "word_num": 2, "left": 800, "top": 100,
            "width": 90, "height": 40, "conf": 96.0, "text": "Phú"}
    head = "\t".join(["level", *ocr.TSV_COLUMNS[1:]])
    crop_tsv = "\n".join([head, "5\t1\t1\t1\t1\t1\t20\t13\t60\t40\t93\tSố:", "5\t1\t1\t1\t1\t2\t200\t13\t300\t40\t91\t/STTTT-CNTT"])
    seen = []

    def fake_tsv(image, lang, psm, dpi, timeout, in_process=True):
        seen.append((image.shape, psm))
        return crop_tsv

    monkeypatch.setattr(ocr, "image_tsv", fake_tsv)
    rows = ocr.reread_doubtful(grey, [junk, good], OcrOptions(), 300)
    assert [r["text"] for r in rows] == ["Số:", "/STTTT-CNTT", "Phú"]
    assert seen == [((40 + 2 * 13, 500 + 2 * 20), ocr.REREAD_PSM)]  # only the doubtful word, padded
    assert rows[1]["left"] == 200 - 20 + 200 and rows[1]["top"] == 100 - 13 + 13 and rows[1]["line_num"] == 1
    monkeypatch.setattr(ocr, "image_tsv", lambda *a, **k: "\n".join([head, "5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t35\tS6"]))
    assert ocr.reread_doubtful(grey, [junk], OcrOptions(), 300) == [junk]  # not clearly better: kept
