"""underthesea's word segmentation model (`ws_crf_vlsp2013`) as arrays: what each syllable of a
text scores for "inside a word" (I-W) over "a word begins" (B-W).

underthesea computes 43 feature strings per syllable ("T[-1,0].lower=thanh niên",
"T[0].istitle=True" …) and its CRF tagger sums their weights. Every template reads an n-gram of
one to three syllables around the position, so the same sums come from the n-grams instead: an
n-gram's value (as printed, lower-cased, and three true-or-false attributes) has one row of
weights for the positions −2 … 2 from its first syllable, and a text's scores are these rows
added at their offsets. Unigrams are looked up by string, once per distinct syllable; bigrams and
trigrams by integer codes of their syllables (sorted arrays, numpy `searchsorted`), all the
sentences of a document in one pass.

Attributes, as underthesea_core computes them: `istitle` when no syllable's first character
changes in upper case ("1", "-" and "ª" are titles, "ǅ" and "ß" are not), `isdigit` when the
syllable reads as a 32-bit integer, `is_in_dict` of the lower-cased syllables joined by spaces.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import os
import pickle
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np

from directives.errors import ModelError
from directives.nlp.crf import read_crfsuite

MODEL_DIR = ("pipeline", "word_tokenize", "models", "ws_crf_vlsp2013_20230727")
_TEMPLATE = re.compile(r"^T\[(-?\d+)(?:,(-?\d+))?\](?:\.(\w+))?$")
_INT = re.compile(r"[+-]?[0-9]+")
_INT_START = frozenset("+-0123456789")

Template = tuple[str, int, int, str | None]  # (name, first, last offset, attribute)


@dataclass(frozen=True)
class Codes:
    """Sorted integer codes of n-grams and, for each, a row number."""

    keys: np.ndarray
    rows: np.ndarray

    def find(self, codes: np.ndarray) -> np.ndarray:
        """The row of each code (0 for a code not here)."""
        if not len(self.keys):
            return np.zeros(len(codes), dtype=np.int64)
        pos = np.searchsorted(self.keys, codes)
        pos[pos == len(self.keys)] = 0
        return np.where(self.keys[pos] == codes, self.rows[pos], 0)


@dataclass(frozen=True)
class Tables:
    """The templates of one n-gram size. `rows[k]` is a value's score at the offsets −2 … 2 from the
    n-gram's first syllable (row 0: a value the model does not know); unigram values are found by
    string (`raw`, `lower`), longer ones by code (`raw_codes`, `lower_codes`, `dict_codes`: those
    whose lower case is a dictionary word); `flags` rows are indexed by 4 × isdigit + 2 × istitle +
    is_in_dict."""

    raw: dict[str, int]
    lower: dict[str, int]
    rows: np.ndarray
    flags: np.ndarray
    raw_codes: Codes
    lower_codes: Codes
    dict_codes: Codes


@dataclass(frozen=True)
class SegmentModel:
    templates: tuple[Template, ...]
    dictionary: frozenset[str]
    tables: tuple[Tables, Tables, Tables]  # unigrams, bigrams, trigrams
    vocabulary: dict[str, int]  # syllable → its number (from 1) in the codes of longer n-grams
    edges: tuple[tuple[float, ...], ...]  # [distance to start][distance to end] (capped at 2) → BOS/EOS score
    transitions: tuple[tuple[float, ...], ...]  # [from][to], 0 = B-W, 1 = I-W
    # syllable → `syllable_features` (filled as documents come; documents share most syllables)
    seen: dict[str, tuple[int, int, int, int, int, int]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def base(self) -> int:
        return len(self.vocabulary) + 1


def underthesea_dir() -> Path:
    """The installed underthesea's folder, found without importing it (≈ 0.3 s)."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or spec.origin is None:
        raise ModelError("underthesea is not installed")
    return Path(spec.origin).parent


def parse_templates(names: list[str]) -> tuple[Template, ...]:
    out = []
    for name in names:
        m = _TEMPLATE.match(name)
        if m is None:
            raise ModelError(f"unknown feature template {name!r}")
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) is not None else first
        out.append((name, first, last, m.group(3)))
    return tuple(out)


def cache_dir() -> Path:
    """Where built tables are kept between runs: $DIRECTIVES_CACHE, else the user's cache folder."""
    env = os.environ.get("DIRECTIVES_CACHE")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "directives"


def _cache_key(base: Path) -> str:
    """What the built tables depend on: the model's files (size, time) and the code that builds them."""
    h = hashlib.sha256()
    for f in sorted(base.iterdir()):
        st = f.stat()
        h.update(f"{f.name} {st.st_size} {st.st_mtime_ns}\n".encode())
    for module in (__file__, read_crfsuite.__code__.co_filename):
        h.update(Path(module).read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def segment_model() -> SegmentModel:
    """The word segmentation model of the installed underthesea (loaded once per process): from the
    tables built on a first run and kept in `cache_dir()` (≈ 0.05 s), else built from the model's
    files (≈ 0.8 s CPU) and kept there for the next run (when the folder is writable)."""
    base = underthesea_dir().joinpath(*MODEL_DIR)
    try:
        target: Path | None = cache_dir() / f"segment-{_cache_key(base)}.pkl"
    except OSError:
        target = None  # the model's files are missing: building says so
    if target is not None and target.exists():
        try:
            return pickle.loads(target.read_bytes())  # noqa: S301 - written below, in the user's own cache
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            pass  # damaged or unreadable: built again
    model = build_segment_model(base)
    if target is not None:
        _keep(target, pickle.dumps(replace(model, seen={}), protocol=pickle.HIGHEST_PROTOCOL))
    return model


T = TypeVar("T")


def cached(name: str, sources: list[Path], build: Callable[[], T]) -> T:
    """`build()`, kept pickled in `cache_dir()` under `name` and a key of `sources` (size and time
    of each) and this module's code; read back from there while they stay the same."""
    try:
        h = hashlib.sha256(Path(__file__).read_bytes())
        for f in sources:
            st = f.stat()
            h.update(f"{f} {st.st_size} {st.st_mtime_ns}\n".encode())
        target: Path | None = cache_dir() / f"{name}-{h.hexdigest()[:16]}.pkl"
    except OSError:
        target = None
    if target is not None and target.exists():
        try:
            value: T = pickle.loads(target.read_bytes())  # noqa: S301 - written below, in the user's own cache
            return value
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            pass
    value = build()
    if target is not None:
        _keep(target, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def _keep(target: Path, data: bytes) -> None:
    """`data` written to `target` whole or not at all; a read-only cache folder is no error."""
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".segment-", delete=False) as fh:
            tmp = fh.name
            fh.write(data)
        os.replace(tmp, target)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def build_segment_model(base: Path) -> SegmentModel:
    """The segmentation tables built from the model files in `base` (module docstring)."""
    with (base / "features.bin").open("rb") as fh:
        templates = parse_templates(pickle.load(fh))  # noqa: S301 - the installed package's own model file
    with (base / "dictionary.bin").open("rb") as fh:
        dictionary = frozenset(pickle.load(fh))  # noqa: S301
    crf = read_crfsuite(base / "models.bin")
    b, i = crf.labels.index("B-W"), crf.labels.index("I-W")
    by_name = {name: (last - first, attr, 2 - first) for name, first, last, attr in templates}
    merged: list[dict[str | None, dict[str, list[tuple[int, float]]]]] = [{}, {}, {}]
    boundary: dict[str, float] = {}
    scores = (crf.weights[:, i] - crf.weights[:, b]).tolist()
    for attribute, score in zip(crf.attributes, scores, strict=True):
        if not score:
            continue
        name, _, value = attribute.partition("=")
        if name in by_name:
            size, attr, rel = by_name[name]
            merged[size].setdefault(attr, {}).setdefault(value, []).append((rel, score))
            if value in ("BOS", "EOS"):
                boundary[attribute] = score
    vocabulary = _vocabulary(merged, dictionary)
    one, two, three = (_size_tables(n + 1, m, vocabulary, dictionary) for n, m in enumerate(merged))
    edges = tuple(tuple(sum(_boundary_score(t, boundary, a, z) for t in templates) for z in range(3))
                  for a in range(3))
    transitions = tuple(tuple(crf.transitions[x][y] for y in (b, i)) for x in (b, i))
    return SegmentModel(templates, dictionary, (one, two, three), vocabulary, edges, transitions)


def _vocabulary(merged: list[dict[str | None, dict[str, list[tuple[int, float]]]]],
                dictionary: frozenset[str]) -> dict[str, int]:
    """The syllables of the model's bigram and trigram values and of the dictionary's words."""
    syllables: set[str] = set()
    for value in itertools.chain(*(by_value for m in merged[1:] for by_value in m.values()), dictionary):
        if 1 <= value.count(" ") <= 2:  # only bigrams and trigrams are looked up by code
            syllables.update(value.split(" "))
    syllables.discard("")
    return {s: n for n, s in enumerate(sorted(syllables), 1)}


def codes_of(values: list[str], size: int, vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the values that are `size` known syllables (and which of `values` they are)."""
    get = vocabulary.get
    ids, which = [], []
    for k, value in enumerate(values):
        if value.count(" ") == size - 1:
            numbers = [get(p, 0) for p in value.split(" ")]
            if all(numbers):
                ids.append(numbers)
                which.append(k)
    table = np.array(ids, dtype=np.int64).reshape(-1, size)
    codes = np.zeros(len(table), dtype=np.int64)
    for column in range(size):
        codes = codes * (len(vocabulary) + 1) + table[:, column]
    return codes, np.array(which, dtype=np.int64)


def _codes(by_value: dict[str, int], size: int, vocabulary: dict[str, int]) -> Codes:
    values = list(by_value)
    codes, which = codes_of(values, size, vocabulary)
    rows = np.array([by_value[v] for v in values], dtype=np.int64)[which] if len(which) else which
    order = np.argsort(codes)
    return Codes(codes[order], rows[order])


def _size_tables(size: int, merged: dict[str | None, dict[str, list[tuple[int, float]]]],
                 vocabulary: dict[str, int], dictionary: frozenset[str]) -> Tables:
    rows: list[list[float]] = [[0.0] * 5]
    index: dict[str | None, dict[str, int]] = {None: {}, "lower": {}}
    for attr, by_value in index.items():
        for value, scores in merged.get(attr, {}).items():
            by_value[value] = len(rows)
            rows.append([0.0] * 5)
            for rel, w in scores:
                rows[-1][rel] += w
    flags = np.zeros((8, 5))
    for n, key in enumerate(itertools.product((False, True), repeat=3)):  # in the order of the index
        for attr, flag in zip(("isdigit", "istitle", "is_in_dict"), key, strict=True):
            for rel, w in merged.get(attr, {}).get(str(flag), ()):
                flags[n, rel] += w
    if size == 1:
        none = Codes(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        return Tables(index[None], index["lower"], np.array(rows), flags, none, none, none)
    return Tables({}, {}, np.array(rows), flags, _codes(index[None], size, vocabulary),
                  _codes(index["lower"], size, vocabulary), _codes(dict.fromkeys(dictionary, 1), size, vocabulary))


def _boundary_score(template: Template, boundary: dict[str, float], from_start: int, to_end: int) -> float:
    """A template's score at a position `from_start` syllables after the first and `to_end` before
    the last: its BOS value when its window starts before the sentence, else its EOS value when
    the window ends after it (underthesea's featurizer)."""
    name, first, last, _ = template
    if from_start < -first:
        return boundary.get(f"{name}=BOS", 0.0)
    if to_end < last:
        return boundary.get(f"{name}=EOS", 0.0)
    return 0.0


def is_int32(token: str) -> bool:
    """underthesea_core's `isdigit`: the token parses as a 32-bit integer ("-1" and "01" do, "²" and
    "2147483648" do not)."""
    return token[:1] in _INT_START and _INT.fullmatch(token) is not None and -2**31 <= int(token) < 2**31


def _scatter(d: np.ndarray, rows: np.ndarray) -> None:
    """Add to `d` (positions shifted by 2) what n-grams starting at 0, 1 … add to the positions −2 …
    2 from their first syllable."""
    for k in range(5):
        d[k:k + len(rows)] += rows[:, k]


_MAX_SEEN = 1 << 18


def syllable_features(syllable: str, mdl: SegmentModel) -> tuple[int, int, int, int, int, int]:
    """What `emissions` needs of a syllable, remembered in `mdl.seen`: its unigram rows (as printed,
    lower-cased), its flags row (4 × isdigit + 2 × istitle + is_in_dict), its number and its
    lower case's number in the vocabulary, and whether it is title-cased ("" stands for the space
    between sentences: no flag, no number)."""
    uni = mdl.tables[0]
    lower = syllable.lower()
    title = bool(syllable) and syllable[:1].upper() == syllable[:1]
    flags = 4 * is_int32(syllable) + 2 * title + (lower in mdl.dictionary)
    out = (uni.raw.get(syllable, 0), uni.lower.get(lower, 0), flags, mdl.vocabulary.get(syllable, 0),
           mdl.vocabulary.get(lower, 0), int(title))
    mdl.seen[syllable] = out
    return out


def emissions(sentences: list[list[str]], mdl: SegmentModel | None = None) -> list[list[float]]:
    """Each syllable's score of I-W over B-W: the sum of the weights of its 43 features, as
    underthesea's featurizer and CRF tagger sum them (module docstring)."""
    mdl = mdl or segment_model()
    uni, bi, tri = mdl.tables
    toks, starts = ["", ""], []  # "" stands between sentences (two of them), and at both ends
    for sent in sentences:
        starts.append(len(toks))
        toks += sent
        toks += ("", "")
    syllables = list(dict.fromkeys(toks))  # distinct, "" first
    number = {t: n for n, t in enumerate(syllables)}
    at = np.fromiter(map(number.__getitem__, toks), dtype=np.int64, count=len(toks))
    seen = mdl.seen
    if len(seen) > _MAX_SEEN:
        seen.clear()
    features = np.array([seen.get(t) or syllable_features(t, mdl) for t in syllables], dtype=np.int64)
    raw_row, low_row, flags, raw_id, low_id, title = features.T
    unigram = uni.rows[raw_row] + uni.rows[low_row]
    unigram += uni.flags[flags]
    unigram[0] = 0.0
    raw_id, low_id, title, real = raw_id[at], low_id[at], title[at].astype(bool), at != 0

    d = np.zeros(len(at) + 4)
    _scatter(d, unigram[at])
    base = mdl.base
    for size, tables in ((2, bi), (3, tri)):
        n = len(at) - size + 1
        raw, low = raw_id[:n].copy(), low_id[:n].copy()
        ok, titled = real[:n].copy(), title[:n].copy()
        for k in range(1, size):
            raw = raw * base + raw_id[k:k + n]
            low = low * base + low_id[k:k + n]
            ok &= real[k:k + n]
            titled &= title[k:k + n]
        scores = tables.rows[tables.raw_codes.find(raw)] + tables.rows[tables.lower_codes.find(low)]
        scores += tables.flags[2 * titled + tables.dict_codes.find(low).astype(bool)]
        scores[~ok] = 0.0
        _scatter(d, scores)

    flat = d.tolist()
    out = []
    for start, sent in zip(starts, sentences, strict=True):
        n = len(sent)
        scores_of = flat[start + 2:start + 2 + n]
        for p, score in _edge_scores(mdl.edges, n):
            scores_of[p] += score
        out.append(scores_of)
    return out


@lru_cache(maxsize=256)
def _edge_scores(edges: tuple[tuple[float, ...], ...], n: int) -> tuple[tuple[int, float], ...]:
    """What the BOS/EOS values add to the first two and last two positions of a sentence of `n`."""
    return tuple((p, edges[min(p, 2)][min(n - 1 - p, 2)]) for p in sorted({*range(min(2, n)), *range(max(0, n - 2), n)}))
