"""A small classifier of single handwritten digits, numpy only at run time.

One ink blob (a binary mask cut from a scan) is normalised as MNIST digits are (its longer side
scaled to 20 px, pasted into 28 × 28 by its centre of mass), described by its pixels at 14 × 14 and
histograms of gradient orientation, and classified by a few one-hidden-layer perceptrons (their
probabilities averaged) whose weights are a small file beside this module (`digits.npz`, made by
`scripts/train_digits.py` from fixed seeds; the data they learnt from is named in the file). Class 10 is "not one digit": a fragment, two
digits touching, a printed letter or mark, a smudge.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

MODEL_PATH = Path(__file__).with_name("digits.npz")
SIDE = 28  # normalised image side, as MNIST
BOX = 20  # the blob's longer side inside it
REJECT = 10  # class index of "not one digit"
_BINS = 8  # gradient orientations (signed: a digit's strokes are told apart by their direction)
_CELL = 7  # histogram cells of 7 × 7 px: 4 × 4 cells


def normalise(mask: np.ndarray) -> np.ndarray:
    """One blob (2-D array, ink > 0) → float32 28 × 28 in [0, 1]: its bounding box scaled so the
    longer side is 20 px (aspect kept: a '1' stays thin), centred by its centre of mass."""
    ink = np.asarray(mask, dtype=np.float32)
    if ink.max() > 1.0:
        ink = ink / 255.0
    ys, xs = np.nonzero(ink > 0.05)
    out = np.zeros((SIDE, SIDE), np.float32)
    if len(ys) == 0:
        return out
    crop = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    nh, nw = max(1, int(round(h * scale))), max(1, int(round(w * scale)))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = np.clip(cv2.resize(crop, (nw, nh), interpolation=interp), 0.0, 1.0)
    total = float(small.sum())
    if total <= 0:
        return out
    cy = float((small.sum(axis=1) * np.arange(nh)).sum() / total)
    cx = float((small.sum(axis=0) * np.arange(nw)).sum() / total)
    top = int(round(SIDE / 2 - cy - 0.5))
    left = int(round(SIDE / 2 - cx - 0.5))
    top = min(max(top, 0), SIDE - nh)
    left = min(max(left, 0), SIDE - nw)
    out[top:top + nh, left:left + nw] = small
    return out


def _orientation_histograms(img: np.ndarray) -> np.ndarray:
    """Per 7 × 7 cell, the gradient magnitude summed into 8 signed orientations, L2-normalised."""
    gx = cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=3)
    mag = np.sqrt(gx * gx + gy * gy)
    ang = (np.arctan2(gy, gx) + np.pi) * (_BINS / (2 * np.pi))
    bins = np.minimum(ang.astype(np.int32), _BINS - 1)
    n = SIDE // _CELL
    hist = np.zeros((n, n, _BINS), np.float32)
    cells_y = np.repeat(np.arange(n), _CELL)
    np.add.at(hist, (cells_y[:, None], cells_y[None, :], bins), mag)
    flat = hist.reshape(-1)
    return flat / (np.linalg.norm(flat) + 1e-6)


def features(img: np.ndarray) -> np.ndarray:
    """The feature vector of one normalised 28 × 28 image: 14 × 14 pixels and 4 × 4 × 8 orientations."""
    pixels = cv2.resize(img, (SIDE // 2, SIDE // 2), interpolation=cv2.INTER_AREA).reshape(-1)
    return np.concatenate([pixels, _orientation_histograms(img)]).astype(np.float32)


class DigitModel:
    """The perceptrons: features → ReLU hidden layer → softmax over 0–9 and "not one digit", each
    member's probabilities averaged (arrays stacked along a first axis, one row a member)."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        def stacked(name: str, ndim: int) -> np.ndarray:
            a = arrays[name].astype(np.float32)
            return a if a.ndim == ndim + 1 else a[None]

        self.mean, self.scale = stacked("mean", 1), stacked("scale", 1)
        self.w1, self.b1 = stacked("w1", 2), stacked("b1", 1)
        self.w2, self.b2 = stacked("w2", 2), stacked("b2", 1)
        self.info = json.loads(str(arrays["info"])) if "info" in arrays else {}

    def proba(self, feats: np.ndarray) -> np.ndarray:
        """Class probabilities (n × 11) of feature rows (n × d)."""
        x = np.atleast_2d(feats)
        out = np.zeros((x.shape[0], self.w2.shape[2]), np.float32)
        for k in range(self.w1.shape[0]):
            h = np.maximum(((x - self.mean[k]) / self.scale[k]) @ self.w1[k] + self.b1[k], 0.0)
            z = h @ self.w2[k] + self.b2[k]
            z -= z.max(axis=1, keepdims=True)
            e = np.exp(z)
            out += e / e.sum(axis=1, keepdims=True)
        return out / self.w1.shape[0]

    def classify(self, masks: list[np.ndarray]) -> np.ndarray:
        """Class probabilities (n × 11) of blobs."""
        if not masks:
            return np.zeros((0, REJECT + 1), np.float32)
        return self.proba(np.stack([features(normalise(m)) for m in masks]))


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> DigitModel:
    """The shipped model (loaded once per process)."""
    with np.load(path, allow_pickle=False) as data:
        return DigitModel({k: data[k] for k in data.files})
