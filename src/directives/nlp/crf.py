"""A linear-chain CRF model file of CRFsuite (the format underthesea_core's CRFTagger loads), read
into plain Python: the weight of every attribute for every label, and the label transitions.

Layout (CRFsuite's `crf1dm`, little-endian): a 48-byte header ("lCRF", size, "FOMC", version,
counts, chunk offsets), a "FEAT" chunk of (type, source, destination, weight) records (type 0: an
attribute's weight for a label; type 1: a transition from one label to another), and two "CQDB"
string databases that name the labels and the attributes by id.

With the weights in hand the tagger is a sum and a Viterbi pass (`viterbi`), which the word
segmenter runs over sums it caches per n-gram instead of building some 40 feature strings per
syllable.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from directives.errors import ModelError

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_CQDB = struct.Struct("<4sIIIII")
_RECORD = struct.Struct("<II")
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])  # 20 bytes, packed


@dataclass(frozen=True)
class CrfModel:
    labels: tuple[str, ...]
    attributes: tuple[str, ...]  # by id
    weights: np.ndarray  # [attribute id, label]: the attribute's weight for the label
    transitions: tuple[tuple[float, ...], ...]  # [from label][to label]

    @cached_property
    def state(self) -> dict[str, tuple[float, ...]]:
        """attribute → its weight for each label (the attributes that have a feature)."""
        used = np.flatnonzero(self.weights.any(axis=1))
        return {self.attributes[a]: tuple(self.weights[a].tolist()) for a in used}


def _strings(data: bytes, offset: int) -> list[str]:
    """The strings of a CQDB chunk at `offset`, by id (its backward array points at each record)."""
    magic, _size, _flag, _order, count, backward = _CQDB.unpack_from(data, offset)
    if magic != b"CQDB":
        raise ModelError(f"expected a CQDB chunk at byte {offset}, found {magic!r}")
    out = [""] * count
    table = offset + backward
    for (pos,) in struct.iter_unpack("<I", data[table:table + 4 * count]):
        if pos:
            ident, size = _RECORD.unpack_from(data, offset + pos)
            start = offset + pos + _RECORD.size
            out[ident] = data[start:start + size - 1].decode("utf-8")  # the key ends with a NUL byte
    return out


def read_crfsuite(path: Path) -> CrfModel:
    """The labels, attribute weights and transitions of a CRFsuite model file."""
    data = path.read_bytes()
    if len(data) < _HEADER.size:
        raise ModelError(f"{path}: too short for a CRFsuite model")
    magic, _size, kind, _version, _n, n_labels, _n_attrs, off_feat, off_labels, off_attrs, _, _ = \
        _HEADER.unpack_from(data, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ModelError(f"{path}: not a CRFsuite linear-chain model ({magic!r}, {kind!r})")
    labels = _strings(data, off_labels)[:n_labels]
    attrs = _strings(data, off_attrs)
    chunk, _size, count = struct.unpack_from("<4sII", data, off_feat)
    if chunk != b"FEAT":
        raise ModelError(f"{path}: expected the FEAT chunk at byte {off_feat}, found {chunk!r}")
    start = off_feat + 12
    if len(data) < start + _FEATURE.itemsize * count:
        raise ModelError(f"{path}: the FEAT chunk runs past the end of the file")
    feats = np.frombuffer(data, dtype=_FEATURE, count=count, offset=start)
    weights = np.zeros((len(attrs), n_labels))
    trans = np.zeros((n_labels, n_labels))
    state, moves = feats[feats["type"] == 0], feats[feats["type"] == 1]
    np.add.at(weights, (state["src"], state["dst"]), state["weight"])
    np.add.at(trans, (moves["src"], moves["dst"]), moves["weight"])
    return CrfModel(tuple(labels), tuple(attrs), weights, tuple(map(tuple, trans.tolist())))


def viterbi(emission: list[float], transitions: tuple[tuple[float, ...], ...]) -> list[int]:
    """The best path of two labels (0, 1), given each position's score of label 1 over label 0 (a
    per-position constant does not change the best path) and the transition weights; ties go to the
    lower label, as in CRFsuite."""
    (t00, t01), (t10, t11) = transitions
    s0, s1 = 0.0, emission[0]
    back: list[int] = []  # per step: bit 0 = best label before a 0, bit 1 = before a 1
    for e in emission[1:]:
        a0, b0 = s0 + t00, s1 + t10  # into label 0 from 0, from 1
        a1, b1 = s0 + t01, s1 + t11  # into label 1
        if a0 >= b0:
            step, s0 = 0, a0
        else:
            step, s0 = 1, b0
        if a1 >= b1:
            s1 = a1 + e
        else:
            step, s1 = step | 2, b1 + e
        back.append(step)
    label = 0 if s0 >= s1 else 1
    path = [label]
    for step in reversed(back):
        label = (step >> label) & 1
        path.append(label)
    path.reverse()
    return path
