"""Red ink before OCR: the round seal goes, red text (a stamped number, the signer's title stamp) stays."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from directives.extractors.ocr import rgb_to_grey
from directives.extractors.seal import seal_mask
from tests.helpers import CORPUS, needs_corpus

DPI = 200
MM = DPI / 25.4
RED, BLUE, BLACK = (210, 30, 40), (40, 50, 170), (20, 20, 20)


def page_crop() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """A 200 dpi crop: black "So:", red digits in its blank, a red round seal (two rings, letters,
    a star) with a red title stamp touching its ring, a blue signature over the seal. Also each
    thing's pixels, drawn alone."""
    parts: dict[str, np.ndarray] = {}

    def draw(name, fn):
        layer = np.zeros((700, 900), np.uint8)
        fn(layer)
        parts[name] = layer > 0

    centre, r = (330, 450), int(17.5 * MM)
    draw("black", lambda m: cv2.putText(m, "So:", (30, 110), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 255, 3))
    draw("digits", lambda m: cv2.putText(m, "542", (120, 110), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 255, 3))
    draw("seal", lambda m: (cv2.circle(m, centre, r, 255, 6), cv2.circle(m, centre, r - 25, 255, 3),
                            cv2.putText(m, "SO Y TE", (centre[0] - 70, centre[1]), cv2.FONT_HERSHEY_SIMPLEX,
                                        1.0, 255, 2),
                            cv2.drawMarker(m, (centre[0], centre[1] + 60), 255, cv2.MARKER_STAR, 30, 3)))
    draw("title", lambda m: cv2.putText(m, "PHO GIAM DOC", (centre[0] + r - 20, centre[1] - r + 20),
                                        cv2.FONT_HERSHEY_DUPLEX, 1.2, 255, 3))
    draw("signature", lambda m: cv2.polylines(m, [np.array([[250, 520], [420, 380], [460, 470], [600, 420]])],
                                              False, 255, 4))
    rgb = np.full((700, 900, 3), 255, np.uint8)
    for name, colour in (("seal", RED), ("title", RED), ("digits", RED), ("signature", BLUE), ("black", BLACK)):
        rgb[parts[name]] = colour
    parts["title"] &= ~cv2.dilate(parts["seal"].astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    return rgb, parts


def test_seal_goes_red_text_stays():
    rgb, parts = page_crop()
    grey = rgb_to_grey(rgb, 40, DPI)
    ring = parts["seal"] & ~parts["signature"] & ~parts["title"]
    assert (grey[ring] == 255).mean() > 0.99  # the seal, its letters and star
    assert (grey[parts["signature"]] == 255).mean() > 0.99  # blue ink
    assert grey[parts["digits"]].mean() < 110 and grey[parts["black"]].mean() < 60  # red digits read as ink
    title = parts["title"] & ~parts["signature"]
    assert grey[title].mean() < 110  # the title stamp beside the seal, but where it touches the disc


def test_without_dpi_every_coloured_pixel_goes():
    rgb, parts = page_crop()
    grey = rgb_to_grey(rgb, 40)
    assert (grey[parts["digits"]] == 255).all() and (grey[parts["seal"]] == 255).all()


def test_large_red_shape_without_a_ring_is_erased_specks_too():
    box = np.zeros((700, 900), np.uint8)
    cv2.polylines(box, [np.array([[100, 300], [300, 100], [400, 200], [200, 400]])], True, 255, 6)  # "HỎA TỐC", 28 mm
    red = box.copy()
    red[600, 600] = 255  # a speck
    cv2.putText(red, "12", (600, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 255, 3)
    mask = seal_mask(red, DPI)
    assert (mask[box > 0] == 255).all() and mask[600, 600] == 255
    assert not mask[50:120, 590:700].any()  # the digits


@needs_corpus
@pytest.mark.corpus
@pytest.mark.slow
def test_red_title_and_name_stamps_beside_the_seal_are_read():
    """A scan whose signer's title and name are red rubber stamps touching the seal."""
    from directives.pipeline.run import process

    r = process(CORPUS / "docs" / "kiengiang_syt_gm147_hop_kiem_tra_hoa_hau_hoa_binh_2017_scan.pdf")
    assert (r.metadata.signer.title, r.metadata.signer.name) == ("PHÓ GIÁM ĐỐC", "Nguyễn Trúc Giang")
