from __future__ import annotations

import numpy as np

from directives.extractors.number_line import (
    number_line_runs,
    number_read_alone,
    reread_number_lines,
    surer_words,
)


def _row(text: str, left: int, top: int, conf: float, width: int = 60, height: int = 30, line: int = 1) -> dict:
    return {"text": text, "left": left, "top": top, "width": width, "height": height, "conf": conf,
            "block_num": 1, "par_num": 1, "line_num": line, "word_num": 1}


def test_the_number_line_is_found_in_the_pages_top_left():
    rows = [_row("Số:", 250, 240, 88), _row("32", 320, 240, 68), _row("/TH-UBND", 400, 240, 71),
            _row("Quảng", 900, 245, 96), _row("Ngãi,", 990, 245, 96)]  # the date line, across a wide gap
    (run,) = number_line_runs(rows, (1650, 2340))
    assert [r["text"] for r in run] == ["Số:", "32", "/TH-UBND"]
    # a "số" in the body, or a "Số:" line without a figure, is none
    assert number_line_runs([_row("số", 250, 1500, 93), _row("3916/QĐ-BYT", 320, 1500, 80)], (1650, 2340)) == []
    assert number_line_runs([_row("Số:", 250, 240, 88), _row("/TB-UBND", 400, 240, 71)], (1650, 2340)) == []


def test_each_word_keeps_its_surer_reading():
    old = [_row("Số:", 250, 240, 88), _row("32", 320, 240, 68), _row("/TH-UBND", 400, 240, 71)]
    new = [_row("Số:", 250, 240, 96), _row("542", 322, 243, 93), _row("/TB-UBND", 400, 240, 91)]
    assert [r["text"] for r in surer_words(old, new)] == ["Số:", "542", "/TB-UBND"]
    assert (surer_words(old, new)[1]["left"], surer_words(old, new)[1]["top"]) == (320, 240), "the page's box stays"
    # a word the page read surer stays ('11' over 'II')
    old = [_row("Số:", 250, 240, 71), _row("11", 320, 240, 71), _row("/CTUBND", 400, 240, 40)]
    new = [_row("Số:", 250, 240, 95), _row("II", 320, 240, 50), _row("/CT-UBND", 400, 240, 78)]
    assert [r["text"] for r in surer_words(old, new)] == ["Số:", "11", "/CT-UBND"]
    # cut into other words: the new reading whole only when surer on average by a margin
    old = [_row("Số:", 250, 240, 93), _row("31/6B/QĐ-SYT", 320, 240, 49)]
    new = [_row("Số:", 250, 240, 93), _row("3176B", 320, 240, 91), _row("/QĐ-SYT", 400, 240, 90)]
    assert [r["text"] for r in surer_words(old, new)] == ["Số:", "3176B", "/QĐ-SYT"]
    assert surer_words(new, old) is new
    assert surer_words(old, []) is old


def test_the_number_line_read_again_from_its_crop():
    rows = [_row("ỦY", 250, 150, 97, line=0), _row("Số:", 250, 240, 88), _row("32", 320, 240, 68),
            _row("/TH-UBND", 400, 240, 71), _row("Quảng", 900, 245, 96)]
    crops = []

    def read(crop: np.ndarray) -> list[dict]:
        crops.append(crop.shape)
        return [_row("Số:", 10, 10, 96), _row("542", 80, 10, 93), _row("/TB-UBND", 160, 10, 91)]

    out = reread_number_lines(np.full((2340, 1650), 255, np.uint8), rows, read)
    assert [r["text"] for r in out] == ["ỦY", "Số:", "542", "/TB-UBND", "Quảng"]
    assert len(crops) == 1 and crops[0][0] < 60, "one crop, one line high"
    assert out[2]["left"] == 80 + 250 - 10 and out[2]["line_num"] == 1  # page coordinates, the old line's place


def test_an_unsure_number_is_read_once_more_alone():
    grey = np.full((400, 800), 255, np.uint8)
    seen = []

    def read(crop: np.ndarray) -> list[dict]:
        seen.append(crop.shape)
        return [_row("287", 20, 20, 97)]

    word = _row("257", 300, 100, 64)
    again = number_read_alone(grey, word, read)
    assert (again["text"], again["conf"], again["left"]) == ("287", 97, 300)
    assert seen and seen[0][0] == 30 + 2 * 15 + 2 * 20, "its box, padded, on a white border"
    # a sure number, a word without a figure, or a reading no surer: as it was
    assert number_read_alone(grey, _row("542", 300, 100, 93), read)["text"] == "542"
    assert number_read_alone(grey, _row("/TB-UBND", 300, 100, 40), read)["text"] == "/TB-UBND"
    assert number_read_alone(grey, _row("Số:2013/SYT-", 300, 100, 40), read)["text"] == "Số:2013/SYT-", \
        "a number glued to its label and symbol (handwritten in the blank) is not a figure alone"
    assert number_read_alone(grey, _row("257", 300, 100, 98), read)["text"] == "257"
    assert number_read_alone(grey, word, lambda crop: [])["text"] == "257"
