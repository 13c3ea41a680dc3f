"""Table rules and cells on a scanned page image (binary ink, deskewed), for the OCR reader.

Rules are strokes longer than any letter, looked for on ink thickened across them so that a rule
scanned a little askew still runs straight; cell borders too short for that are kept when they join
two rules at both ends. Each rule becomes a `Rule` along its own slope. Cells are the white regions
the rules close in: the OCR reader reads each on its own, where Tesseract's page layout would run
lines across the borders of side-by-side cells.
"""

from __future__ import annotations

import cv2
import numpy as np

from directives.extractors.model import Rule


def _open(mask: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """`mask` (0 and 255) opened by a rectangle of `size` (width, height); by a long line, only on
    the rows (columns) that can hold a run of ink that long (`open_line`)."""
    if min(size) == 1 and max(size) >= 4 * _BLOCK:
        return open_line(mask, max(size), vertical=size[1] > 1)
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))


_BLOCK = 8  # px: the width of the blocks in which `open_line` looks for long runs first


def open_line(mask: np.ndarray, length: int, vertical: bool = False) -> np.ndarray:
    """`mask` (0 and 255) opened by a line of `length` pixels across (down), the same pixels as
    OpenCV's opening by that line, which works row by row (column by column): only rows that hold a
    run of ink of half that length (a run touching the image's edge can be that short and stay)
    can keep any ink, and they are few (rules, underlines). They are found on the mask reduced to
    blocks of `_BLOCK` pixels that are ink whole, and opened alone."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, length) if vertical else (length, 1))
    anchor = length // 2
    shortest = min(length - anchor, anchor + 1)  # the shortest run that stays: at the image's edge
    blocks = (shortest - 2 * _BLOCK) // _BLOCK  # whole blocks any run that long covers (with a margin)
    along = mask.shape[0 if vertical else 1]
    if blocks < 2 or along < length:  # (a run across the whole of a shorter image stays too)
        return cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    scale = (1.0, 1.0 / _BLOCK) if vertical else (1.0 / _BLOCK, 1.0)
    reduced = cv2.resize(mask[:along // _BLOCK * _BLOCK] if vertical else mask[:, :along // _BLOCK * _BLOCK],
                         None, fx=scale[0], fy=scale[1], interpolation=cv2.INTER_AREA)
    whole = cv2.compare(reduced, 255, cv2.CMP_EQ)  # a block of ink only: its mean is 255
    runs = cv2.erode(whole, np.ones((blocks, 1) if vertical else (1, blocks), np.uint8),
                     borderType=cv2.BORDER_CONSTANT, borderValue=0)
    keep = np.flatnonzero(runs.any(axis=0 if vertical else 1))
    out = np.zeros_like(mask)
    if keep.size:
        if vertical:
            out[:, keep] = cv2.morphologyEx(np.ascontiguousarray(mask[:, keep]), cv2.MORPH_OPEN, kernel)
        else:
            out[keep] = cv2.morphologyEx(mask[keep], cv2.MORPH_OPEN, kernel)
    return out


def _window_hits(mask: np.ndarray, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> np.ndarray:
    """For each box [x0, x1) × [y0, y1) (arrays, clipped to the image): does `mask` have ink in it?"""
    h, w = mask.shape
    x0, x1 = np.clip(x0, 0, w), np.clip(x1, 0, w)
    y0, y1 = np.clip(y0, 0, h), np.clip(y1, 0, h)
    s = cv2.integral((mask > 0).astype(np.uint8), sdepth=cv2.CV_32S)
    return (s[y1, x1] - s[y0, x1] - s[y1, x0] + s[y0, x0]) > 0


def _solid(ink: np.ndarray, vertical: bool) -> bool:
    """Is there a line of ink across this box, unbroken but for a few pixels (a border, not the dots
    of a shaded cell lined up by chance)?"""
    on = ink > 0
    if not vertical:
        on = on.T
    band = on[:, :-2] | on[:, 1:-1] | on[:, 2:] if on.shape[1] > 2 else on
    return bool(band.size) and float(band.mean(axis=0).max()) >= 0.9


def _bridges(short: np.ndarray, rules: np.ndarray, ink: np.ndarray, vertical: bool, reach: int,
             thin_px: int) -> np.ndarray:
    """The strokes of `short` whose two ends both meet a stroke of `rules` (within `reach` pixels):
    a cell border between two rules, too short to be told from a letter by its length alone. Thin
    (at most twice `thin_px` across) and a solid line in `ink`: not a patch of shading or a blot."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(short)
    if n <= 1:
        return np.zeros_like(short)
    x, y, w, h = (stats[1:, k].astype(np.int64) for k in range(4))
    thin = (w if vertical else h) <= 2 * thin_px
    if vertical:
        first = _window_hits(rules, x - 1, y - reach, x + w + 1, y + reach + 1)
        second = _window_hits(rules, x - 1, y + h - 1 - reach, x + w + 1, y + h + reach)
    else:
        first = _window_hits(rules, x - reach, y - 1, x + reach + 1, y + h + 1)
        second = _window_hits(rules, x + w - 1 - reach, y - 1, x + w + reach, y + h + 1)
    keep = np.concatenate(([False], first & second & thin))
    for i in np.nonzero(keep)[0]:
        bx, by, bw, bh = stats[i, :4]
        keep[i] = _solid(ink[by:by + bh, bx:bx + bw], vertical)
    return np.where(keep[labels], np.uint8(255), np.uint8(0))


def rule_masks(ink: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """Table rules and underlines as two masks (horizontal, vertical): strokes longer than any letter
    (15 mm), found on ink thickened across the stroke by a few pixels so that a rule drawn or
    scanned a little askew (gone by a pixel every 50, 1°) still makes long straight runs; and
    shorter strokes (2.5 mm) that join two such rules at both their ends: the borders of small
    cells in a dense grid, and rules broken in places."""
    length = max(10, int(dpi * 0.6))
    short = max(6, int(dpi * 0.1))
    thick = max(3, dpi // 40) | 1
    across_h = cv2.dilate(ink, np.ones((thick, 1), np.uint8))
    across_v = cv2.dilate(ink, np.ones((1, thick), np.uint8))
    horizontal, vertical = _open(across_h, (length, 1)), _open(across_v, (1, length))
    # a border runs into the rules it joins; a letter, however tall, stands clear of them. Only
    # between the outermost rules of the page is there anything to join.
    x, y, w, h = cv2.boundingRect(horizontal)
    if h > short:
        box = (slice(y, y + h), slice(x, x + w))
        vertical[box] |= _bridges(_open(across_v[box], (1, short)), horizontal[box] & ink[box], ink[box], True, 2, thick)
    x, y, w, h = cv2.boundingRect(vertical)
    if w > short:
        box = (slice(y, y + h), slice(x, x + w))
        horizontal[box] |= _bridges(_open(across_h[box], (short, 1)), vertical[box] & ink[box], ink[box], False, 2, thick)
    return horizontal, vertical


def _box(mask: np.ndarray, pad: int) -> tuple[slice, slice] | None:
    """The bounding box of `mask`'s ink grown by `pad` pixels (within the image), or None: the work
    on rules is done there, not over the whole page."""
    x, y, w, h = cv2.boundingRect(mask)
    if w == 0:
        return None
    return slice(max(y - pad, 0), y + h + pad), slice(max(x - pad, 0), x + w + pad)


def _meeting(strokes: np.ndarray, across: np.ndarray) -> np.ndarray:
    """The strokes of `strokes` that meet one of `across`."""
    out = np.zeros_like(strokes)
    box = _box(strokes, 2)
    if box is None or not across[box].any():
        return out
    near = cv2.dilate(across[box], np.ones((5, 5), np.uint8))
    _, labels = cv2.connectedComponents(strokes[box])
    hit = np.unique(labels[(near > 0) & (labels > 0)])
    out[box] = np.where(np.isin(labels, hit) & (labels > 0), np.uint8(255), np.uint8(0))
    return out


def _straight(ink: np.ndarray, masks: tuple[np.ndarray, np.ndarray], length: int) -> np.ndarray:
    """Runs of ink at least `length` long, straight across or down: within the masks' strokes (found
    on thickened ink, they hold every such run), looked for in their boxes grown by `length`."""
    out = np.zeros_like(ink)
    for mask, size in ((masks[0], (length, 1)), (masks[1], (1, length))):
        box = _box(mask, length)
        if box is not None:
            out[box] |= _open(ink[box], size)
    return out


def erase_mask(masks: tuple[np.ndarray, np.ndarray], ink: np.ndarray, dpi: int) -> np.ndarray:
    """The ink erased before OCR, grown by a pixel so that erasing it leaves no rim: strokes long
    and straight as drawn (rules, underlines), and the rules of grids (`masks` strokes that meet a
    stroke across them). A lone stroke found only on thickened ink (a signature's, a seal's) stays:
    erasing it gains nothing and unsettles Tesseract's layout of the text around it."""
    length = max(10, int(dpi * 0.6))
    straight = _straight(ink, masks, length)
    grids = _meeting(masks[0], masks[1]) | _meeting(masks[1], masks[0])
    return cv2.dilate((straight | grids) & ink, np.ones((3, 3), np.uint8))


def rules_mask(ink: np.ndarray, dpi: int) -> np.ndarray:
    """The ink `prepare` erases (`erase_mask` of `rule_masks`)."""
    return erase_mask(rule_masks(ink, dpi), ink, dpi)


def _strokes(mask: np.ndarray, limit: float, origin: tuple[int, int] = (0, 0)) -> list[tuple[float, float, float, float]]:
    """Each horizontal stroke of `mask` as its centre line (x0, y0, x1, y1) in pixels: through its
    middle along its own slope (second moments, all strokes at once). A stroke thicker about its
    line than `limit` is two rules joined by something between them (the arc of a seal touching
    both): its rows that run most of its width are read as rules, the rest dropped. `mask` may be
    a cut-out of the page whose top left corner is `origin` (x, y)."""
    x, y, bw, bh = cv2.boundingRect(mask)  # labelling only the part with strokes is much cheaper
    if bw == 0:
        return []
    n, labels, stats, centroids = cv2.connectedComponentsWithStats(mask[y:y + bh, x:x + bw])
    x, y = x + origin[0], y + origin[1]
    ys, xs = np.nonzero(labels)
    lab = labels[ys, xs]
    cnt = np.maximum(np.bincount(lab, minlength=n), 1)
    xs, ys = xs.astype(np.float64), ys.astype(np.float64)
    mx, my = np.bincount(lab, xs, n) / cnt, np.bincount(lab, ys, n) / cnt
    sxx = np.bincount(lab, xs * xs, n) / cnt - mx * mx
    sxy = np.bincount(lab, xs * ys, n) / cnt - mx * my
    syy = np.bincount(lab, ys * ys, n) / cnt - my * my
    slopes = sxy / np.maximum(sxx, 1e-9)
    spread = np.sqrt(np.maximum(syy - sxy * slopes, 0.0))
    out = []
    for i in range(1, n):
        left, top, width, height = (int(v) for v in stats[i, :4])
        if spread[i] <= limit:
            cx, cy, half = x + centroids[i, 0] + 0.5, y + centroids[i, 1] + 0.5, width / 2
            out.append((cx - half, cy - slopes[i] * half, cx + half, cy + slopes[i] * half))
            continue
        own = labels[top:top + height, left:left + width] == i
        full = own.sum(axis=1) >= 0.4 * width
        r = 0
        while r < height:
            if not full[r]:
                r += 1
                continue
            end = r
            while end < height and full[end]:
                end += 1
            cols = np.nonzero(own[r:end].any(axis=0))[0]
            yc = y + top + (r + end) / 2
            out.append((x + left + cols[0], yc, x + left + cols[-1] + 1.0, yc))
            r = end
    return out


def masks_to_rules(masks: tuple[np.ndarray, np.ndarray], scale: float, angle: float) -> list[Rule]:
    """Each stroke of the horizontal and vertical masks as a `Rule` in PDF points of the unrotated
    page: its centre line (`_strokes`: a rule scanned askew stays askew) from end to end, both ends
    rotated back by the deskew angle. A horizontal rule runs left to right, a vertical one top to
    bottom."""
    rules = []
    h, w = masks[0].shape
    limit = 4.0 / scale  # px: 4 pt, a rule is spread less about its line even bent a little by the scan
    for k, mask in enumerate(masks):
        if k == 0:
            strokes = _strokes(mask, limit)
        else:  # the vertical strokes' box turned, not the page (OpenCV copies a transposed view whole)
            bx, by, bw, bh = cv2.boundingRect(mask)
            strokes = [(a, b, c, d) for b, a, d, c in
                       _strokes(np.ascontiguousarray(mask[by:by + bh, bx:bx + bw].T), limit, (by, bx))] if bw else []
        if not strokes:
            continue
        ax, ay, bx, by = (np.array(v) for v in zip(*strokes, strict=True))
        if angle:
            ax, ay = unrotate(ax, ay, angle, w, h)
            bx, by = unrotate(bx, by, angle, w, h)
        for x0, y0, x1, y1 in zip(ax * scale, ay * scale, bx * scale, by * scale, strict=True):
            rules.append(Rule(float(x0), float(y0), float(x1), float(y1)))
    return rules


def unrotate(x, y, angle: float, w: int, h: int):
    """A point (or arrays of points) of the deskewed image back in the rendered page's coordinates."""
    m = cv2.invertAffineTransform(cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0))
    return m[0, 0] * x + m[0, 1] * y + m[0, 2], m[1, 0] * x + m[1, 1] * y + m[1, 2]


Cell = tuple[int, int, int, int, np.ndarray]  # x, y, w, h and the cell's own pixels within that box


def rule_cells(masks: tuple[np.ndarray, np.ndarray], dpi: int) -> list[Cell]:
    """Cells closed in by rules: white regions of the page that no rule crosses and none touches
    the page's edge; not the gap of a double rule (too low or narrow), not an odd shape (a cell
    fills most of its box: where a border is missing two cells are one, in an L), not a frame
    around much of the page. Each as its box in pixels and its own pixels in that box (a box may
    overlap another cell's)."""
    walls = cv2.dilate(masks[0] | masks[1], np.ones((5, 5), np.uint8))
    height, width = walls.shape
    # only inside the walls' box can they close anything in: what touches its edge is open
    bx, by, bw, bh = cv2.boundingRect(walls)
    if bw == 0:
        return []
    n, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_not(walls[by:by + bh, bx:bx + bw]),
                                                           connectivity=4)
    out = []
    for i, (x, y, w, h, area) in enumerate(stats.tolist()):
        if i == 0 or x == 0 or y == 0 or x + w >= bw or y + h >= bh:
            continue
        if w < 0.12 * dpi or h < 0.1 * dpi or w * h > 0.2 * width * height or area < 0.75 * w * h:
            continue
        out.append((bx + x, by + y, w, h, labels[y:y + h, x:x + w] == i))
    return out
