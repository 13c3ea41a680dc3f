"""Signer blocks a page read missed, read again from crops (extractors/signer_block.py)."""

from __future__ import annotations

import numpy as np
import pytest

from directives.extractors.signer_block import (
    blocks_beside_distribution,
    cut_short,
    is_title_text,
    looks_like_name_text,
    reread_signer_blocks,
    row_groups,
    titles_without_name,
    unread_under_titles,
)

DPI = 144  # 2 pixels a point


def row(text: str, left: int, top: int, width: int | None = None, height: int = 24, conf: float = 95.0,
        block: int = 1, line: int = 1) -> dict:
    return {"text": text, "left": left, "top": top, "width": width or 14 * len(text), "height": height,
            "conf": conf, "block_num": block, "par_num": 1, "line_num": line, "word_num": 1}


def words(text: str, left: int, top: int, **kw) -> list[dict]:
    out, x = [], left
    for w in text.split():
        out.append(row(w, x, top, **kw))
        x += 14 * len(w) + 12
    return out


@pytest.mark.parametrize("text", ["GIÁM ĐỐC", "PHÓ GIÁM ĐÓC", "KT. CHỦ TỊCH", "'GIÁM ĐỘC", "PHÓ THỦ TƯỚNG"])
def test_title_lines_in_capitals_are_titles(text):
    assert is_title_text(text)


@pytest.mark.parametrize("text", ["Giám đốc Sở Y tế", "SỞ Y TẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐÓC"])
def test_other_lines_are_not_titles(text):
    assert not is_title_text(text)


def test_names_as_signed():
    assert looks_like_name_text("Lê Hoàng Anh")
    assert not looks_like_name_text("LÊ HOÀNG ANH") and not looks_like_name_text("Lưu: VT, NVY.")


def test_a_line_of_a_single_column_read_is_cut_at_the_gutter():
    rows = words("Nơi nhận:", 200, 1000) + words("GIÁM ĐỐC", 900, 1000)
    assert [" ".join(r["text"] for r in g) for g in row_groups(rows)] == ["Nơi nhận:", "GIÁM ĐỐC"]


def test_a_title_with_its_name_under_it_is_not_read_again():
    title = words("GIÁM ĐỐC", 900, 1000, block=1)
    name = words("Lê Hoàng Anh", 880, 1200, block=2)
    assert titles_without_name(title + name, DPI / 72) == []
    assert len(titles_without_name(title, DPI / 72)) == 1


def test_the_right_half_beside_the_distribution_label_is_read_when_no_title_was():
    label = words("Nơi nhận:", 200, 1000, block=1)
    assert blocks_beside_distribution(label, 1200, DPI / 72) == [(600, 940, 1200, 1400)]
    title = words("GIÁM ĐỐC", 800, 990, block=2)
    assert blocks_beside_distribution(label + title, 1200, DPI / 72) == []


def test_words_read_again_join_the_page_as_lines_of_their_own():
    grey = np.full((1600, 1200), 255, np.uint8)
    ink = np.zeros_like(grey)
    page = words("Nơi nhận:", 200, 1000, block=1) + words("- Như trên;", 200, 1030, block=2)
    crops = []

    def read(crop, psm):  # what sparse segmentation finds in the crop, in its own pixels
        crops.append(crop.shape)
        return (words("GIÁM ĐỐC", 200, 60) + words("Lê Hoàng Anh", 180, 300)
                + [row("#@", 20, 300, conf=30)])  # a seal's mark far to the left: no part of the name

    out = reread_signer_blocks(grey, ink, page, DPI, read)
    added = out[len(page):]
    assert crops, "the block beside the label was read"
    lines = [" ".join(r["text"] for r in g) for g in row_groups(added)]
    assert lines == ["GIÁM ĐỐC", "Lê Hoàng Anh"]
    assert all(r["left"] >= 600 for r in added), "placed in page pixels, in the right half"


def test_a_line_with_a_doubtful_word_is_dropped_whole():
    grey = np.full((1600, 1200), 255, np.uint8)
    page = words("Nơi nhận:", 200, 1000, block=1)

    calls = []

    def read(crop, psm):  # the block beside the label; then the space under the title, where nothing more is found
        calls.append(crop.shape)
        if len(calls) > 1:
            return []
        return words("GIÁM ĐỐC", 200, 60) + [row("ï,ê", 150, 300, width=24, conf=42)] + words("Hoàng Anh", 186, 300)

    added = reread_signer_blocks(grey, np.zeros_like(grey), page, DPI, read)[len(page):]
    assert [r["text"] for r in added] == ["GIÁM", "ĐỐC"]
    assert len(calls) == 2, "the title read again has no name under it: the space under it is read too"


def test_lines_that_may_lack_a_part_are_cut_short():
    ink = np.zeros((1600, 1200), np.uint8)
    name = words("Hoàng Anh", 700, 600)
    assert cut_short(name, ink, []), "two words: the first of a name may be the lost one"
    full = words("Lê Hoàng Anh", 700, 600)
    assert not cut_short(full, ink, [])
    ink[600:624, 680:695] = 255  # print right before the first word
    assert cut_short(full, ink, [])
    title = words("GIÁM ĐỐC", 700, 300)
    assert not cut_short(title, ink, [])
    ink[330:354, 700:820] = 255  # a line of print right under the title: kept apart, not a reason to drop it
    assert not cut_short(title, ink, [])


def test_print_unread_under_a_title_is_kept_apart():
    ink = np.zeros((1600, 1200), np.uint8)
    title = words("GIÁM ĐỐC", 700, 300)
    assert unread_under_titles(title, ink) == []
    ink[340:350, 700:820:3] = 255  # a seal's arc under it: too little ink for a line of print
    assert unread_under_titles(title, ink) == []
    ink[330:354, 700:820] = 255  # a line of print right under the title ('PHÓ GIÁM ĐỐC' read as nothing)
    assert unread_under_titles(title, ink) == [(700, 330, 810, 354)]
    assert unread_under_titles(title + words("PHÓ GIÁM ĐỐC", 700, 330, block=2), ink) == [], "that line was read"
    assert unread_under_titles(words("Phạm Minh Tâm", 700, 300), ink) == [], "only under a title"


def test_a_title_spelt_whole_is_kept_with_less_confidence():
    from directives.extractors.signer_block import _confident

    run = [row("#Ro", 640, 300, conf=55)] + words("GIÁM ĐỐC", 700, 300, conf=45)
    assert [r["text"] for r in _confident(run)] == ["GIÁM", "ĐỐC"]
    assert _confident([row("#Ro", 640, 300, conf=55)] + words("GIÁM ĐỐC", 700, 300, conf=20)) == []
    assert _confident(words("GIÁM ĐÓ", 700, 300, conf=45)) == [], "not a title: 'ĐÓ' is no title word"


def test_a_block_sparse_reading_breaks_up_is_read_again_as_one_block():
    grey = np.full((1600, 1200), 255, np.uint8)
    page = words("Nơi nhận:", 200, 1000, block=1)
    psms = []

    def read(crop, psm):  # sparse reading gives letters of the title; block reading the title whole
        psms.append(psm)
        if psm == 11:
            return [row("GIÁ", 200, 60)] + [row("ĐỌC", 300, 60)] + words("Phạm Minh Tâm", 180, 300)
        return words("GIÁM ĐỐC", 200, 60) + words("Phạm Minh Tâm", 180, 300)

    added = reread_signer_blocks(grey, np.zeros_like(grey), page, DPI, read)[len(page):]
    assert psms == [11, 6]
    assert [" ".join(r["text"] for r in g) for g in row_groups(added)] == ["GIÁM ĐỐC", "Phạm Minh Tâm"]


def test_a_title_keeps_its_confident_words_before_a_doubtful_mark():
    from directives.extractors.signer_block import _confident

    title = words("GIÁM ĐỐC", 700, 300) + [row("ị", 900, 300, conf=20)]
    assert [r["text"] for r in _confident(title)] == ["GIÁM", "ĐỐC"]
    name = words("Lê Hoàng", 700, 600) + [row("Anb", 900, 600, conf=40)]
    assert _confident(name) == [], "a name short of a word would be a wrong name"


def test_block_titles_replace_fragments_but_not_a_name_read_sparsely():
    from directives.extractors.signer_block import with_block_titles

    sparse = [row("GIÁ", 200, 60, block=1)] + [row("ĐỌC", 300, 60, block=2)] + words("Trần Văn Bình", 180, 300, block=3)
    again = words("GIÁM ĐỐC", 200, 60, block=10) + words("Trần Văn cổ", 180, 300, block=11)
    lines = [" ".join(r["text"] for r in g) for g in row_groups(with_block_titles(sparse, again))]
    assert sorted(lines) == ["GIÁM ĐỐC", "Trần Văn Bình"]
    over_name = words("GIÁM ĐỐC", 180, 300, block=12)
    assert with_block_titles(sparse, over_name) == sparse
