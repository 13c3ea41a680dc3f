"""Read the digits a clerk wrote by hand into a printed blank: the registration number between "Số:"
and the printed "/SYMBOL", the day between "ngày" and "tháng".

OCR cleans a scan for Tesseract by turning coloured ink white, and Tesseract reads handwriting badly
anyway; so the blank is looked at again on the page image itself, in colour. The caller (the pipeline,
which knows from the OCR words where the printed words around a blank are) gives a box in PDF points;
here the ink in it is found (dark or coloured, never the red of a seal), rule lines dropped, split into
digit candidates (connected blobs; blobs one above the other joined, as a 5's flag; wide blobs cut
where the ink is thinnest) and each candidate is classified by the small model of `digits.py`. The
reading comes with the probability of its least sure digit, so that the caller keeps only a reading
that is both sure and possible.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
import pymupdf

from directives.extractors.digits import REJECT, load_model

# Advance widths (em) of Times New Roman, the typeface Decree 30/2020 prescribes for administrative
# documents: how far a printed symbol reaches left of its end ('/SYT-NVY' ≈ 4.8 em).
_TIMES = {**dict.fromkeys("ABCDEFGHKLMNOPQRSTUVWXYZĐ", 0.69), "I": 0.33, "J": 0.39, "S": 0.56, "T": 0.61,
          "E": 0.61, "F": 0.56, "L": 0.61, "P": 0.56, "Z": 0.61, "M": 0.89, "W": 0.94, "-": 0.33, "/": 0.28,
          " ": 0.25, ".": 0.25, ":": 0.28, "–": 0.5}
_TIMES_LOWER = 0.47
_CAP = 0.662  # cap height of Times, in em


def printed_width(text: str) -> float:
    """Width in em of `text` set in Times New Roman (capitals exact enough, lower case averaged)."""
    return sum(_TIMES.get(c, _TIMES_LOWER if c.islower() else 0.5) for c in text)


# --- the page image -------------------------------------------------------------------------------


def clip_rgb(page: pymupdf.Page, box: tuple[float, float, float, float], dpi: int) -> np.ndarray:
    """The part `box` (PDF points of the page as displayed) rendered at `dpi`, RGB."""
    rect = pymupdf.Rect(box) & page.rect  # a clip is in the displayed page's coordinates, rotated or not
    pix = page.get_pixmap(dpi=dpi, clip=rect, colorspace=pymupdf.csRGB, alpha=False)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, 3)


def ink_mask(rgb: np.ndarray) -> np.ndarray:
    """Pen and print ink (255) of a clip: darker than the paper by Otsu's threshold on the clip, or
    clearly coloured but not red (a seal's red never passes for writing)."""
    rgb16 = rgb.astype(np.int16)
    r, g, b = rgb16[..., 0], rgb16[..., 1], rgb16[..., 2]
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    paper = float(np.percentile(grey, 90))
    level, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    if level < 60:  # a scan already black and white: Otsu's split of two values is degenerate
        level = 128
    level = min(level, paper - 40)  # a clip of nearly blank paper: Otsu splits the paper's own grain
    dark = grey < level
    hi, lo = np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)
    red = (r - np.maximum(g, b) > 40) & (r > 120)
    coloured = (hi - lo > 45) & (b > r) & (grey < paper - 30)
    return ((dark | coloured) & ~red).astype(np.uint8) * 255


@dataclass(slots=True)
class Blob:
    x0: int
    y0: int
    x1: int  # exclusive
    y1: int
    area: int
    label: int

    @property
    def w(self) -> int:
        return self.x1 - self.x0

    @property
    def h(self) -> int:
        return self.y1 - self.y0

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


def blobs_of(mask: np.ndarray, min_area: int) -> tuple[list[Blob], np.ndarray]:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = [Blob(int(s[0]), int(s[1]), int(s[0] + s[2]), int(s[1] + s[3]), int(s[4]), k)
           for k, s in enumerate(stats) if k and s[4] >= min_area]
    return sorted(out, key=lambda b: b.x0), labels


def _rules_removed(mask: np.ndarray, em_px: float) -> np.ndarray:
    """The mask without long horizontal strokes (a dotted or drawn leader, an underline): runs of ink
    wider than an em and at most a pen's width high."""
    width = max(8, int(round(em_px)))
    long = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (width, 1)))
    thin = long & ~cv2.morphologyEx(long, cv2.MORPH_OPEN, np.ones((max(3, int(em_px * 0.2)), 1), np.uint8))
    return mask & ~thin


def _attached(b: Blob, c: Blob, em_px: float) -> bool:
    """Whether `b` lies right above or below `c`, a stroke the height of a digit (half an em or more):
    overlapping it horizontally by half the narrower's width, at most a pen's gap (0.1 em) from it."""
    overlap = min(b.x1, c.x1) - max(b.x0, c.x0)
    gap = max(c.y0 - b.y1, b.y0 - c.y1)
    return c.h >= 0.5 * em_px and overlap >= 0.5 * min(b.w, c.w) and gap <= 0.1 * em_px


def holes(mask: np.ndarray, em_px: float) -> int:
    """How many loops a blob closes: holes in its ink of at least a pen's width across (not the specks
    of grainy ink)."""
    contours, hierarchy = cv2.findContours((mask > 0).astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0
    least = (0.04 * em_px) ** 2 * 2
    return sum(1 for c, h in zip(contours, hierarchy[0], strict=True) if h[3] >= 0 and cv2.contourArea(c) >= least)


def _groups(blobs: list[Blob]) -> list[list[Blob]]:
    """Blobs one above the other (a 5's flag, a 4 in two strokes) joined: x-overlap ≥ half the narrower."""
    groups: list[list[Blob]] = []
    for b in sorted(blobs, key=lambda b: b.x0):
        if groups:
            last = groups[-1]
            x0, x1 = min(g.x0 for g in last), max(g.x1 for g in last)
            if min(x1, b.x1) - max(x0, b.x0) >= 0.5 * min(x1 - x0, b.w):
                last.append(b)
                continue
        groups.append([b])
    return groups


def _group_mask(labels: np.ndarray, group: list[Blob]) -> np.ndarray:
    x0, y0 = min(b.x0 for b in group), min(b.y0 for b in group)
    x1, y1 = max(b.x1 for b in group), max(b.y1 for b in group)
    sub = labels[y0:y1, x0:x1]
    return np.isin(sub, [b.label for b in group]).astype(np.uint8) * 255


def _cuts(mask: np.ndarray, parts: int) -> list[np.ndarray] | None:
    """`mask` (touching digits) cut into `parts` where the columns hold the least ink, near equal widths."""
    w = mask.shape[1]
    col = (mask > 0).sum(axis=0).astype(np.float32)
    cuts = []
    for k in range(1, parts):
        lo, hi = int(w * (k / parts - 0.18)), int(w * (k / parts + 0.18))
        if hi <= lo + 1:
            return None
        cuts.append(lo + int(np.argmin(col[lo:hi])))
    edges = [0, *cuts, w]
    out = [mask[:, a:b] for a, b in zip(edges, edges[1:], strict=False)]
    return out if all((p > 0).sum() >= 12 for p in out) else None


def _variants(mask: np.ndarray) -> list[np.ndarray]:
    """The blob as written, with a thicker and a thinner pen, and leaning either way."""
    out = [mask, cv2.dilate(mask, np.ones((2, 2), np.uint8))]
    thin = cv2.erode(mask, np.ones((2, 2), np.uint8))
    if (thin > 0).sum() >= 0.4 * (mask > 0).sum():
        out.append(thin)
    h, w = mask.shape
    for shear in (-0.15, 0.15):
        pad = int(abs(shear) * h) + 1
        m = np.array([[1, shear, pad - (shear * h if shear > 0 else 0)], [0, 1, 0]], dtype=np.float32)
        out.append(cv2.warpAffine(mask, m, (w + 2 * pad, h), flags=cv2.INTER_NEAREST))
    return out


def _steady_proba(model, masks: list[np.ndarray]) -> np.ndarray:
    """Class probabilities of blobs averaged over `_variants`: a reading that holds only for one
    exact stroke width or slant is not sure."""
    variants = [_variants(m) for m in masks]
    p = model.classify([v for vs in variants for v in vs])
    out, k = [], 0
    for vs in variants:
        out.append(p[k:k + len(vs)].mean(axis=0))
        k += len(vs)
    return np.stack(out)


# Times' slash: its foot on the baseline, its top at the cap height and 0.28 em to the right
_SLASH_RISE, _SLASH_RUN = 0.68, 0.28


def slash_found(mask: np.ndarray, x_near: float, base: float, em_px: float) -> tuple[float, float, float] | None:
    """Where the printed slash after a blank stands in `mask`: (x of its foot, its baseline row, its run
    to the right), searched within a third of an em of `x_near` and half an em of `base`; None when no
    straight stroke of the slash's height and lean is nearly all ink there. Digits written against the
    slash do not hide it: what counts is how much of the slash's line is ink, not what touches it."""
    h, w = mask.shape
    raw = (mask > 0).astype(np.float32)
    ink = cv2.dilate(raw, np.ones((3, 3), np.uint8))
    t = np.linspace(0.0, 1.0, 24)
    xs0 = np.arange(x_near - em_px / 3, x_near + em_px / 3 + 1, 1.0)
    best: tuple[float, float, float, float] | None = None
    for lean in (0.8, 1.0, 1.2):
        run = _SLASH_RUN * lean * em_px
        xs = np.round(xs0[:, None] + t[None, :] * run).astype(int)
        ok = (xs.min(axis=1) >= 0) & (xs.max(axis=1) < w)
        if not ok.any():
            continue
        for y in np.arange(base - em_px / 2, base + em_px / 2 + 1, 1.0):
            ys = np.round(y - t * _SLASH_RISE * em_px).astype(int)
            if ys.min() < 0 or ys.max() >= h:
                continue
            at = (ys[None, :], np.clip(xs, 0, w - 1))
            near = ink[at].mean(axis=1)  # the line within a pixel of ink: the slash is there
            on = raw[at].mean(axis=1)  # … and on the stroke's middle: exactly there
            score = np.where(ok & (near >= 0.9), near + 0.25 * on - 0.05 * np.abs(xs0 - x_near) / em_px, -1.0)
            k = int(np.argmax(score))
            if score[k] > 0 and (best is None or score[k] > best[0]):
                best = (float(score[k]), float(xs0[k]), float(y), run)
    return None if best is None else best[1:]


def left_of_slash(mask: np.ndarray, slash: tuple[float, float, float], em_px: float) -> np.ndarray:
    """`mask` with the slash and all right of it (the symbol's letters) cleared."""
    out = mask.copy()
    x0, base, run = slash
    half = max(2.0, 0.06 * em_px)
    for row in range(mask.shape[0]):
        x = x0 + (base - row) * run / (_SLASH_RISE * em_px)  # the slash's line, extended above and below
        out[row, max(0, int(x - half)):] = 0
    return out


NO_DIGIT = 0.9  # a blob this likely "not one digit" (in any way it was cut) is no reading at all


@dataclass(slots=True)
class Read:
    """A blank's reading: the digits, the least sure digit's probability, and why nothing was read.
    `digits`: per digit read, its distribution over 0–9 and the factor "no digit" lowered it by (for
    `best_allowed`)."""

    text: str | None
    confidence: float
    note: str = ""
    ink: bool = False
    digits: list[tuple[np.ndarray, float]] = field(default_factory=list)


def best_allowed(read: Read, allowed, changes: int = 1) -> tuple[str | None, float]:
    """The likeliest reading of `read`'s digits among those `allowed` (a predicate on the digit string:
    a day of the month, not after a received date), and its sureness: per digit, its probability among
    the allowed readings (each reading as likely as the product of its digits'), times the factor "no
    digit" lowered it by; the least of these. Without a constraint this is `read`'s own sureness; a
    constraint that rules out a digit's rivals makes the digit surer, one that rules out the digit read
    moves the reading to the likeliest allowed one, changing at most `changes` of the digits read (a
    reading that must change every digit is not of this ink). (None, 0) when no reading is allowed."""
    if not read.digits or read.text is None or len(read.digits) > 3:
        return None, 0.0
    joint = np.ones((1,), np.float64)
    for q, _ in read.digits:  # every reading's probability, digits in order (10 ** n readings)
        joint = (joint[:, None] * q.astype(np.float64)[None, :]).reshape(-1)
    n = len(read.digits)
    texts = [f"{k:0{n}d}" for k in range(10 ** n)]
    possible = np.array([allowed(t) for t in texts]) & (joint > 0)
    near = np.array([sum(a != b for a, b in zip(t, read.text, strict=True)) <= changes for t in texts])
    if not (possible & near).any():
        return None, 0.0
    best = int(np.argmax(np.where(possible & near, joint, 0.0)))
    text = texts[best]
    # each digit as sure as its share among every possible reading: the digits kept from the ink's
    # reading are not made sure by the change of another
    joint = np.where(possible, joint, 0.0)
    total = joint.sum()
    codes = np.arange(10 ** n)
    conf = 1.0
    for i, (_, r) in enumerate(read.digits):
        place = 10 ** (n - 1 - i)
        same = (codes // place) % 10 == int(text[i])
        conf = min(conf, float(joint[same].sum() / total) * r)
    return text, round(conf, 3)


def read_digits(mask: np.ndarray, em_px: float, max_digits: int, core: tuple[int, int] | None = None,
                model=None, right_estimated: bool = False) -> Read:
    """The digits of the ink `mask` (255 = ink) of a blank, left to right.

    Specks and rule lines are dropped; every candidate blob is read whole and, when wider than a digit,
    cut in two or three; the cut that makes the surest digits wins. A digit's sureness is its share
    among the ten digits, lowered when "no digit" is likely above 0.2; nothing is read (text None) when
    a candidate is most likely no digit at all. `core`: the rows (px) of the printed line; ink wholly
    above or below it belongs to the lines around (a rule, the next line's accents). `right_estimated`:
    the right end was computed, not seen; ink it cuts may be half a digit, so nothing is read."""
    model = model or load_model()
    mask = _rules_removed(mask, em_px)
    every, labels = blobs_of(mask, min_area=3)
    if core is not None:
        inside = [b for b in every if b.y1 > core[0] and b.y0 < core[1]]
        # … unless it touches, or all but touches, a stroke of the line right above or below it (a 5's flag)
        every = [b for b in every if b in inside or any(_attached(b, c, em_px) for c in inside)]
    if right_estimated and any(b.x1 >= mask.shape[1] - 1 and b.h >= 0.3 * em_px for b in every):
        return Read(None, 0.0, "ink cut by the blank's estimated end", ink=True)
    blobs = [b for b in every if max(b.h, b.w) >= 0.3 * em_px and b.area >= 0.012 * em_px * em_px]
    if blobs and blobs[-1].x1 >= mask.shape[1] - 1 and blobs[-1].w < 0.3 * em_px and blobs[-1].h < 0.6 * em_px:
        blobs = blobs[:-1]  # the foot of the printed slash after the blank, cut by the box (not a '1')
    if not blobs:
        return Read(None, 0.0, "no ink")
    # faint ink broken into specks (a digit half lost) must not leave a shorter number read as sure;
    # specks at the very left are the colon's dots
    kept = {b.label for b in blobs}
    specks = sum(b.area for b in every if b.label not in kept and b.x0 >= 0.4 * em_px and b.x1 < blobs[-1].x1)
    if specks >= 0.2 * sum(b.area for b in blobs):
        return Read(None, 0.0, "faint ink broken into specks", ink=True)
    groups = _groups(blobs)
    if len(groups) > max_digits * 2:
        return Read(None, 0.0, f"{len(groups)} ink blobs: not a number", ink=True)
    text, conf = "", 1.0
    per_digit: list[tuple[np.ndarray, float]] = []
    for group in groups:
        m = _group_mask(labels, group)
        h, w = m.shape
        options: list[list[np.ndarray]] = [[m]]
        for parts in (2, 3):
            if w >= (0.375 * parts) * h and (cut := _cuts(m, parts)):  # two touching digits: wider than 0.75 h
                options.append(cut)
        best: tuple[float, float, str, float, list] | None = None  # (score, sure, digits, most "no digit", …)
        for opt in options:
            p = _steady_proba(model, opt)
            # an 8 closes a loop and a flat-topped 3 none: a blob without one is no 8, and the model's other
            # readings of it are what is left (shares among them, as a day among the days possible)
            p[:, 8] *= np.array([holes(m, em_px) > 0 for m in opt])
            digit = p[:, :REJECT] / np.maximum(p[:, :REJECT].sum(axis=1, keepdims=True), 1e-9)
            read = digit.argmax(axis=1)
            # a blob the model finds somewhat likely no digit at all is that much less sure a digit
            lowered = np.minimum(1.0, (1.0 - p[:, REJECT]) / 0.8)
            sure = digit.max(axis=1) * lowered
            score = float(np.prod(sure))  # a cut is good when it makes sure digits, every one of them
            if best is None or score > best[0]:
                best = (score, float(sure.min()), "".join(str(int(d)) for d in read), float(p[:, REJECT].max()),
                        [(digit[k], float(lowered[k])) for k in range(len(read))])
        assert best is not None
        if best[3] > NO_DIGIT:
            return Read(None, 0.0, f"ink that is no digit after {text!r}", ink=True)
        text += best[2]
        conf = min(conf, best[1])
        per_digit += best[4]
    if len(text) > max_digits:
        return Read(None, conf, f"{len(text)} digits read: too many", ink=True)
    return Read(text, round(conf, 3), ink=True, digits=per_digit)


def read_blank(page: pymupdf.Page, box: tuple[float, float, float, float], em: float, max_digits: int,
               core: tuple[float, float] | None = None, right_estimated: bool = False, dpi: int = 200) -> Read:
    """The digits handwritten inside `box` (PDF points) of `page`, `em` the printed font size (pt),
    `core` the top and bottom (pt) of the printed line the blank is on."""
    scale = dpi / 72.0
    wide = (box[0], box[1], box[2] + 0.6 * em, box[3]) if right_estimated and core else box
    rgb = clip_rgb(page, wide, dpi)
    if rgb.size == 0:
        return Read(None, 0.0, "empty box")
    top = max(box[1], page.rect.y0)
    rows = (int((core[0] - top) * scale), int((core[1] - top) * scale)) if core else None
    mask = ink_mask(rgb)
    end = min(mask.shape[1], int(round((box[2] - max(box[0], page.rect.x0)) * scale)))
    if wide is not box and rows is not None:
        # where the symbol starts was computed from the font size: the slash itself, seen, says better
        slash = slash_found(mask, end, rows[1], em * scale)
        if slash is not None and slash[0] >= 0.6 * em * scale:  # a blank narrower holds no number: no slash
            return read_digits(left_of_slash(mask, slash, em * scale)[:, :int(slash[0] + slash[2]) + 1], em * scale,
                               max_digits, rows)
    return read_digits(mask[:, :end], em * scale, max_digits, rows, right_estimated=right_estimated)


def colon_in(mask: np.ndarray, em_px: float, base: float) -> tuple[int, int] | None:
    """The leftmost printed colon of `mask` (the ':' of "Số:"; handwriting after it may hold dots too): two
    small dots one above the other, the lower on the baseline row `base` (or a little above), the upper
    about an x-height above it; (its left, its right) in px, or None."""
    blobs, _ = blobs_of(mask, min_area=2)
    dots = [b for b in blobs if b.w <= 0.22 * em_px and b.h <= 0.22 * em_px and b.area >= 0.002 * em_px * em_px]
    best: tuple[int, int] | None = None
    for lo in dots:
        if not -0.3 * em_px <= lo.y1 - base <= 0.15 * em_px:  # OCR's line box may reach a slash's descent
            continue
        for hi in dots:
            gap = lo.y0 - hi.y1
            if hi is lo or abs(hi.xc - lo.xc) > 0.08 * em_px or not 0.12 * em_px <= gap <= 0.45 * em_px:
                continue
            if best is None or lo.x0 < best[0]:
                best = (min(lo.x0, hi.x0), max(lo.x1, hi.x1))
    return best


def colon_before(page: pymupdf.Page, box: tuple[float, float, float, float], em: float, base: float,
                 dpi: int = 200) -> float | None:
    """Where the printed colon of "Số:" ends (PDF points) in `box` of `page`: the start of the number's
    blank when OCR lost the word "Số:" and kept only the symbol after the blank. `base`: the printed
    line's baseline (pt)."""
    rgb = clip_rgb(page, box, dpi)
    if rgb.size == 0:
        return None
    scale = dpi / 72.0
    top = max(box[1], page.rect.y0)
    colon = colon_in(ink_mask(rgb), em * scale, (base - top) * scale)
    return None if colon is None else max(box[0], page.rect.x0) + colon[1] / scale


def printed_em(page: pymupdf.Page, box: tuple[float, float, float, float], dpi: int = 200) -> float | None:
    """The font size (pt) of printed capitals ending at the right of `box` (a symbol 'SYT-NVY'): the
    median height of its last three letters over Times' cap height; None without three letters."""
    rgb = clip_rgb(page, box, dpi)
    if rgb.size == 0:
        return None
    blobs, _ = blobs_of(ink_mask(rgb), min_area=6)
    letters = [b for b in blobs if b.h >= 6 and b.w <= 1.5 * b.h][-3:]
    if len(letters) < 3:
        return None
    heights = sorted(b.h for b in letters)
    return heights[1] / _CAP * 72.0 / dpi
