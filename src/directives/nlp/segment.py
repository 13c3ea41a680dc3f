"""Word segmentation with underthesea's tokenizer and CRF model, with character offsets.

`segment(text)` returns what `underthesea.word_tokenize(text, use_token_normalize=False)` returns
(the same syllable tokenizer, the same CRF model `ws_crf_vlsp2013`, the same 43 feature
templates), plus where each word is in `text`. Three things differ from calling word_tokenize,
all for speed, none for the result (`tests/nlp/test_segment.py` checks the words against
word_tokenize on every line of the corpus, and the scores against underthesea_core's featurizer):

- a run of letters between spaces is taken as one syllable without underthesea's regular
  expression (which tries some fifteen patterns at every position);
- the CRF model file is read here (`nlp/crf.py`) and a syllable's score is summed by n-gram from
  tables of weights, instead of building 43 feature strings per syllable for underthesea_core's
  featurizer and tagger (≈ 35 µs per syllable, now ≈ 5);
- the dictionary is loaded with the C unpickler (underthesea's joblib loader unpickles its 72 k
  words in pure Python).

Offline: everything is read from the installed underthesea package.
"""

from __future__ import annotations

import itertools
import pickle
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from directives.errors import ModelError
from directives.nlp.crf import read_crfsuite, viterbi

_MODEL_DIR = ("pipeline", "word_tokenize", "models", "ws_crf_vlsp2013_20230727")
_CACHE_LIMIT = 100_000  # syllables whose scores are kept (some 20 MB at most)
_TEMPLATE = re.compile(r"^T\[(-?\d+)(?:,(-?\d+))?\](?:\.(\w+))?$")


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a segmented text: its syllables joined by spaces, as printed, and its offsets."""

    text: str
    start: int
    end: int

    @property
    def joined(self) -> str:
        """The word with underscores between its syllables ("thanh_niên"), the usual segmented form."""
        return "_".join(self.text.split())


Scores = tuple[tuple[int, float], ...]  # (2 + offset of a position from an n-gram's first syllable, its score)


@dataclass(frozen=True)
class _Tables:
    """The templates of one n-gram size as three look-ups: by the n-gram as printed, by its lower
    case, and by its three true-or-false attributes (index 4 × isdigit + 2 × istitle + is_in_dict)."""

    raw: dict[str, Scores]
    lower: dict[str, Scores]
    flags: tuple[Scores, ...]


@dataclass(frozen=True)
class _Model:
    templates: tuple[tuple[str, int, int, str | None], ...]  # (name, first, last offset, attribute)
    dictionary: frozenset[str]
    tables: tuple[_Tables, _Tables, _Tables]  # unigrams, bigrams, trigrams
    edges: tuple[tuple[float, ...], ...]  # [distance to start][distance to end] (capped at 2) → BOS/EOS score
    transitions: tuple[tuple[float, ...], ...]  # [from][to], 0 = B-W, 1 = I-W
    cache: dict[str, Scores] = field(default_factory=dict)  # syllable → its unigram Scores


def _underthesea_dir() -> Path:
    import underthesea

    return Path(underthesea.__file__).parent


def _templates(names: list[str]) -> tuple[tuple[str, int, int, str | None], ...]:
    out = []
    for name in names:
        m = _TEMPLATE.match(name)
        if m is None:
            raise ModelError(f"unknown feature template {name!r}")
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) is not None else first
        out.append((name, first, last, m.group(3)))
    return tuple(out)


@lru_cache(maxsize=1)
def model() -> _Model:
    """The word segmentation model of the installed underthesea (loaded once per process)."""
    base = _underthesea_dir().joinpath(*_MODEL_DIR)
    with (base / "features.bin").open("rb") as fh:
        templates = _templates(pickle.load(fh))  # noqa: S301 - the installed package's own model file
    with (base / "dictionary.bin").open("rb") as fh:
        dictionary = frozenset(pickle.load(fh))  # noqa: S301
    crf = read_crfsuite(base / "models.bin")
    b, i = crf.labels.index("B-W"), crf.labels.index("I-W")
    by_name = {name: (last - first, attr, 2 - first) for name, first, last, attr in templates}
    merged: list[dict[str | None, dict[str, list[tuple[int, float]]]]] = [{}, {}, {}]
    boundary: dict[str, float] = {}
    for attribute, w in crf.state.items():
        name, _, value = attribute.partition("=")
        if name in by_name:
            size, attr, rel = by_name[name]
            merged[size].setdefault(attr, {}).setdefault(value, []).append((rel, w[i] - w[b]))
            if value in ("BOS", "EOS"):
                boundary[attribute] = w[i] - w[b]
    tables = tuple(_size_tables(m) for m in merged)
    edges = tuple(tuple(sum(_boundary_score(t, boundary, a, z) for t in templates) for z in range(3))
                  for a in range(3))
    transitions = tuple(tuple(crf.transitions[x][y] for y in (b, i)) for x in (b, i))
    return _Model(templates, dictionary, tables, edges, transitions)


def _size_tables(merged: dict[str | None, dict[str, list[tuple[int, float]]]]) -> _Tables:
    """One n-gram size's templates, by attribute and value, as `_Tables`."""
    def by_value(attr: str | None) -> dict[str, Scores]:
        return {v: tuple(e) for v, e in merged.get(attr, {}).items()}

    flags = []
    for key in itertools.product((False, True), repeat=3):  # in the order of the index
        acc = [0.0] * 5
        for attr, value in zip(("isdigit", "istitle", "is_in_dict"), key, strict=True):
            for rel, w in merged.get(attr, {}).get(str(value), ()):
                acc[rel] += w
        flags.append(tuple((rel, w) for rel, w in enumerate(acc) if w))
    return _Tables(by_value(None), by_value("lower"), tuple(flags))


def _boundary_score(template: tuple[str, int, int, str | None], boundary: dict[str, float], from_start: int,
                    to_end: int) -> float:
    """A template's score at a position `from_start` syllables after the first and `to_end` before
    the last: its BOS value when its window starts before the sentence, else its EOS value when
    the window ends after it (underthesea's featurizer)."""
    name, first, last, _ = template
    if from_start < -first:
        return boundary.get(f"{name}=BOS", 0.0)
    if to_end < last:
        return boundary.get(f"{name}=EOS", 0.0)
    return 0.0


_INT = re.compile(r"[+-]?[0-9]+")


def _is_int32(token: str) -> bool:
    """underthesea_core's `isdigit`: the token parses as a 32-bit integer ("-1" and "01" do, "²" and
    "2147483648" do not)."""
    return _INT.fullmatch(token) is not None and -2**31 <= int(token) < 2**31


def _unigram_score(syllable: str, mdl: _Model) -> Scores:
    """What a syllable adds to the scores of the positions whose templates read it, summed over the
    unigram templates. Its attributes are underthesea_core's: `istitle` when its first character
    does not change in upper case ("1", "-" and "ª" are titles, "ǅ" and "ß" are not), `isdigit`
    when it reads as a 32-bit integer, `is_in_dict` of its lower case."""
    tables = mdl.tables[0]
    lower = syllable.lower()
    acc = [0.0] * 5
    for rel, w in tables.raw.get(syllable, ()):
        acc[rel] += w
    for rel, w in tables.lower.get(lower, ()):
        acc[rel] += w
    first = syllable[:1]
    for rel, w in tables.flags[4 * _is_int32(syllable) + 2 * (first.upper() == first) + (lower in mdl.dictionary)]:
        acc[rel] += w
    return tuple((rel, w) for rel, w in enumerate(acc) if w)


def emission(tokens: list[str], mdl: _Model | None = None) -> list[float]:
    """Each syllable's score of I-W (inside a word) over B-W (a word begins): the sum of the weights
    of its 43 features, as underthesea's featurizer and CRF tagger sum them, computed by n-gram
    (a syllable's unigram sums are cached) instead of from 43 feature strings per syllable."""
    mdl = mdl or model()
    n = len(tokens)
    cache = mdl.cache
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    d = [0.0] * (n + 4)  # d[2 + p] is position p's score; the two cells at each end take what falls outside
    for j, syl in enumerate(tokens):
        scores = cache.get(syl)
        if scores is None:
            scores = cache[syl] = _unigram_score(syl, mdl)
        for k, w in scores:
            d[j + k] += w
    lower = [t.lower() for t in tokens]
    title = [t[:1].upper() == t[:1] for t in tokens]
    dictionary = mdl.dictionary
    bigrams, trigrams = mdl.tables[1], mdl.tables[2]
    for j in range(n - 1):
        raw, low = f"{tokens[j]} {tokens[j + 1]}", f"{lower[j]} {lower[j + 1]}"
        for k, w in bigrams.raw.get(raw, ()):
            d[j + k] += w
        for k, w in bigrams.lower.get(low, ()):
            d[j + k] += w
        for k, w in bigrams.flags[2 * (title[j] and title[j + 1]) + (low in dictionary)]:
            d[j + k] += w
        if j < n - 2:
            raw, low = f"{raw} {tokens[j + 2]}", f"{low} {lower[j + 2]}"
            for k, w in trigrams.raw.get(raw, ()):
                d[j + k] += w
            for k, w in trigrams.flags[2 * (title[j] and title[j + 1] and title[j + 2]) + (low in dictionary)]:
                d[j + k] += w
    for p in {*range(min(2, n)), *range(max(0, n - 2), n)}:
        d[2 + p] += mdl.edges[min(p, 2)][min(n - 1 - p, 2)]
    return d[2:n + 2]


_CHUNK = re.compile(r"\S+")


def syllables(text: str) -> list[str]:
    """underthesea's syllable tokenizer (punctuation, numbers, dates, codes split as it splits
    them). A run of letters between spaces is one syllable, as underthesea's first matching rule
    makes it (except "Th?S…", its "Th.S" abbreviation with an unescaped dot); other runs go through
    its regular expression, matched in place so that its look-arounds see the same text."""
    from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text
    from underthesea.pipeline.word_tokenize.regex_tokenize import patterns

    text = normalize_characters_in_text(text)
    out: list[str] = []
    for m in _CHUNK.finditer(text):
        chunk = m.group()
        if chunk.isalpha() and not (chunk.startswith("Th") and chunk[3:4] in ("S", "s")):
            out.append(chunk)
            continue
        pos, end = m.start(), m.end()
        while pos < end:
            found = patterns.match(text, pos)
            stop = found.end() if found is not None and found.end() > pos else pos + 1
            out.append(text[pos:stop])
            pos = stop
    return out


def segment(text: str) -> list[Token]:
    """The words of `text` (underthesea word segmentation, spelling untouched) with their offsets."""
    sylls = syllables(text)
    if not sylls:
        return []
    mdl = model()
    tags = viterbi(emission(sylls, mdl), mdl.transitions)
    words: list[list[str]] = []
    for tag, syl in zip(tags, sylls, strict=True):
        if tag and words:
            words[-1].append(syl)
        else:
            words.append([syl])
    return locate([" ".join(w) for w in words], text)


def locate(words: list[str], text: str) -> list[Token]:
    """Offsets of `words` found in order in `text` (a word's syllables may be separated by any
    whitespace); a word not found (changed by the tokenizer's character normalization) is placed
    after the previous one."""
    out: list[Token] = []
    pos = 0
    n = len(text)
    for w in words:
        p = pos
        while p < n and text[p].isspace():
            p += 1
        if text.startswith(w, p):  # the usual case: the word as it is, after some spaces
            out.append(Token(w, p, p + len(w)))
            pos = p + len(w)
            continue
        pattern = r"\s+".join(map(re.escape, w.split(" ")))
        m = re.compile(pattern).search(text, pos)
        if m is None or (out and m.start() - pos > 40):
            start = min(pos + (1 if pos else 0), len(text))
            out.append(Token(w, start, min(start + len(w), len(text))))
        else:
            out.append(Token(text[m.start():m.end()], m.start(), m.end()))
        pos = out[-1].end
    return out


def segmented(tokens: list[Token]) -> str:
    """Space-separated words with underscores inside: "Đoàn thanh_niên tình_nguyện"."""
    return " ".join(t.joined for t in tokens)
