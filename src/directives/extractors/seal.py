"""Round seals in a scan's red ink, told from red text.

Vietnamese documents carry red ink of three kinds: the round seal of the issuing body (33–42 mm
across) over the signature, rubber stamps of the signer's title and name (a line of red capitals),
and, on e-office copies and some paper originals, the number and the day stamped into the blanks
of "Số:" and "ngày". OCR must not read the seal, and must read the rest. A seal is found as a red
shape at least 20 mm across both ways whose outline a circle follows most of the way round (Hough
transform and enclosing circle, checked along the outline); its disc is erased, whatever touches it
outside stays. A red shape that large with no
ring (a seal's faint show-through, a rotated "HỎA TỐC" box) is erased whole, as before.
"""

from __future__ import annotations

import cv2
import numpy as np

PX_PER_MM = 4.0  # the red mask is searched at this resolution
MIN_SEAL_MM = 20.0  # a shape smaller than this one way or the other is text, not a seal
MIN_MARK_MM = 1.0  # a red shape smaller than this both ways is a speck, not a letter
SEAL_RADIUS_MM = (13.0, 22.0)  # seals 26–44 mm across
MIN_RING = 0.5  # share of the circle the shape's outline must follow
MARGIN_MM = 1.0  # erased beyond the ring (its paler rim)
_ANGLES = np.linspace(0.0, 2.0 * np.pi, 120, endpoint=False)
_COS, _SIN = np.cos(_ANGLES), np.sin(_ANGLES)


def ring_share(mask: np.ndarray, cx: float, cy: float, r: float) -> float:
    """Share of the circle (cx, cy, r) along which `mask` has ink (within a pixel of it)."""
    h, w = mask.shape
    hit = np.zeros(_ANGLES.size, dtype=bool)
    for dr in (-1.0, 0.0, 1.0):
        xs = np.clip(np.rint(cx + (r + dr) * _COS).astype(np.int64), 0, w - 1)
        ys = np.clip(np.rint(cy + (r + dr) * _SIN).astype(np.int64), 0, h - 1)
        hit |= mask[ys, xs] > 0
    return float(hit.mean())


def seal_circle(component: np.ndarray, px_mm: float) -> tuple[float, float, float] | None:
    """The outer ring of the seal in `component` (a mask of one red shape, cut out with a margin), or
    None: of the Hough circles of the shape and the circle enclosing it, the one its outline follows
    best, when it follows it most of the way round. Only the outline is scored: inside a seal
    (letters, an emblem) every circle finds ink."""
    contours, _ = cv2.findContours(component, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = np.zeros_like(component)
    cv2.drawContours(outline, contours, -1, 1, thickness=1)
    lo, hi = SEAL_RADIUS_MM
    found = cv2.HoughCircles(cv2.GaussianBlur(component * np.uint8(255), (5, 5), 0), cv2.HOUGH_GRADIENT, dp=1,
                             minDist=2 * px_mm, param1=100, param2=15, minRadius=int(lo * px_mm),
                             maxRadius=int(hi * px_mm))
    candidates = [tuple(map(float, c)) for c in found[0][:20]] if found is not None else []
    (cx, cy), r = cv2.minEnclosingCircle(np.concatenate(contours))
    if r <= hi * px_mm:
        candidates.append((float(cx), float(cy), float(r)))
    if not candidates:
        return None
    share, cx, cy, r = max((ring_share(outline, cx, cy, r), cx, cy, r) for cx, cy, r in candidates)
    return (cx, cy, r) if share >= MIN_RING else None


def seal_mask(red: np.ndarray, dpi: float) -> np.ndarray:
    """The pixels of `red` (a mask of red ink, 255 = red) that belong to round seals, or to red shapes
    as large with no ring; red text stays out of it."""
    px_mm = dpi / 25.4
    scale = min(1.0, PX_PER_MM / px_mm)
    small = cv2.resize(red, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    on = (small > 0).astype(np.uint8)
    joined = cv2.morphologyEx(on, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    m = px_mm * scale
    widths, heights = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    erased = np.maximum(widths, heights) < MIN_MARK_MM * m  # specks of red in the paper, no strokes of letters
    erased[0] = False  # the background
    discs = []
    large = (widths >= MIN_SEAL_MM * m) & (heights >= MIN_SEAL_MM * m)
    large[0] = False
    for i in np.flatnonzero(large):
        x, y, w, h = (int(v) for v in stats[i, :4])
        pad = int(3 * m)
        x0, y0 = max(x - pad, 0), max(y - pad, 0)
        circle = seal_circle((labels[y0:y + h + pad, x0:x + w + pad] == i).astype(np.uint8), m)
        if circle is None:
            erased[i] = True
        else:
            discs.append((x0 + circle[0], y0 + circle[1], circle[2]))
    out = np.zeros_like(red)  # drawn at full resolution: boxes of the shapes erased whole, the seals' discs
    for i in np.flatnonzero(erased):
        x, y, w, h = stats[i, :4]
        out[int(y / scale):int((y + h + 1) / scale) + 1, int(x / scale):int((x + w + 1) / scale) + 1] = 255
    for cx, cy, r in discs:
        cv2.circle(out, (int(round(cx / scale)), int(round(cy / scale))), int(round((r + MARGIN_MM * m) / scale)),
                   255, thickness=-1)
    return out & red
