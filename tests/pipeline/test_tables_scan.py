"""Tables on real scans: crops of corpus pages (../shared/corpus) made into image-only PDFs at the
scan's own resolution and read by the whole pipeline, OCR included (slow)."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from directives.evaluation import column_matches
from directives.extractors import ocr
from directives.pipeline.run import process
from directives.schemas import Table
from tests.helpers import CORPUS, needs_corpus


def tesseract_ready() -> bool:
    try:
        ocr.check_available("vie")
    except Exception:
        return False
    return True


pytestmark = [needs_corpus, pytest.mark.slow,
              pytest.mark.skipif(not tesseract_ready(), reason="tesseract with vie missing")]


def crop(tmp_path: Path, name: str, page: int, box: tuple[float, float, float, float]) -> Path:
    """Page `page` of corpus file `name`, cut to `box` (points), as an image-only PDF page."""
    src = pymupdf.open(CORPUS / "docs" / name)
    clip = pymupdf.Rect(box)
    pix = src[page - 1].get_pixmap(dpi=200, clip=clip)
    out = pymupdf.open()
    out.new_page(width=clip.width, height=clip.height).insert_image(pymupdf.Rect(0, 0, clip.width, clip.height),
                                                                    pixmap=pix)
    path = tmp_path / f"{Path(name).stem}-p{page}.pdf"
    out.save(path)
    return path


def names_alike(table: Table, expected: list[str]) -> bool:
    return len(table.columns) == len(expected) and all(
        column_matches(e, c) for e, c in zip(expected, table.columns, strict=True))


def test_two_level_header_on_a_table_scanned_askew(tmp_path):
    """A form printed 1° askew on a landscape page: 'Ngày tháng năm sinh' over 'Nam | Nữ', two
    numbered rows and a '….' row, all blank."""
    path = crop(tmp_path, "kiengiang_syt_nvy1987_tap_huan_sxhd_tay_chan_mieng_2017_scan.pdf", 3, (100, 145, 800, 265))
    (table,) = process(path).tables
    assert len(table.rows) == 3
    assert names_alike(table, ["STT", "Họ và tên", "Ngày tháng năm sinh / Nam", "Ngày tháng năm sinh / Nữ",
                               "Đơn vị công tác", "Phòng/khoa"]), table.columns


def test_numbers_row_and_a_parent_without_child_labels_under_a_seal(tmp_path):
    """A statistics table with a seal over its header: 'Năm 2017' over three children, a row of
    column numbers ('1 … 8, 9=7/4, 10=7/5, 11=8/7') naming the columns under 'So sánh (%)'."""
    path = crop(tmp_path, "kiengiang_syt_bc2154_hoat_dong_nganh_y_te_2017_scan.pdf", 10, (10, 70, 830, 520))
    (table,) = process(path).tables
    assert len(table.rows) == 21
    assert len(table.columns) == 11
    assert [c.rsplit(" / ", 1)[-1] for c in table.columns[-3:]] == ["9=7/4", "10=7/5", "11=8/7"]
    assert column_matches("TH 10 tháng", table.columns[5]) and "Năm 2017 / " in table.columns[5]  # seal specks before


def test_dense_grid_with_borders_shorter_than_a_letter_rule(tmp_path):
    """Rows 4 mm high whose column borders run a few rows at most: found as borders, not letters."""
    path = crop(tmp_path, "kiengiang_syt_gavi02_thuc_hien_ket_luan_tong_ket_da_2018_scan.pdf", 3, (30, 125, 800, 495))
    (table,) = process(path).tables
    assert len(table.rows) == 19 and len(table.columns) == 12
    assert column_matches("Năm sinh / Nữ", table.columns[3]) and column_matches("Dân tộc", table.columns[4])


NVY1945 = "kiengiang_syt_nvy1945_bao_cao_hoat_dong_rang_ham_mat_2017_scan.pdf"


def page_of(tmp_path: Path, name: str, page: int) -> Path:
    """Page `page` of corpus file `name` alone, its image as scanned (a crop is rendered again, and
    Tesseract's unsure words change with every rendering)."""
    out = pymupdf.open()
    out.insert_pdf(pymupdf.open(CORPUS / "docs" / name), from_page=page - 1, to_page=page - 1)
    path = tmp_path / f"{Path(name).stem}-page{page}.pdf"
    out.save(path)
    return path


def test_a_header_label_read_unsure_is_kept_in_the_first_row(tmp_path):
    """A header of two-line capital labels: Tesseract reads the second line of 'BVĐK / HUYỆN/THỊ' (its
    'Ị' touching the cell's rule) with confidence 7 of 100, under the page's floor; in a grid's first
    row it is kept, nearly right."""
    table = next(t for t in process(page_of(tmp_path, NVY1945, 4)).tables if len(t.rows) == 19)
    assert names_alike(table, ["2. ĐIỀU TRỊ NGOẠI TRÚ RHM", "BVĐK TỈNH", "TTYT DỰ PHÒNG", "BVĐK HUYỆN/THỊ",
                               "ĐƠN VỊ KHÁC", "TỔNG"]), table.columns


def test_each_header_word_keeps_the_surer_of_the_page_and_cell_readings(tmp_path):
    """'YS / RHM': the page reads 'RHM' surely and 'YS' not, the cell read alone the other way round
    ('RiữHM'); the column is named from the surer reading of each word."""
    table = next(t for t in process(page_of(tmp_path, NVY1945, 2)).tables if len(t.rows) == 6)
    assert len(table.columns) == 9 and table.columns[5] == "YS RHM", table.columns
