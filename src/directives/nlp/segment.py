"""Word segmentation with underthesea's tokenizer and CRF model, with character offsets.

`segment(text)` returns what `underthesea.word_tokenize(text, use_token_normalize=False)` returns
(the same syllable tokenizer, the same CRF model `ws_crf_vlsp2013`, the same 43 feature
templates), plus where each word is in `text`. Two things differ from calling word_tokenize, both
for speed, neither for the result (`tests/nlp/test_segment.py` checks both against underthesea on
real text):

- the model is loaded with the C unpickler (underthesea's joblib loader unpickles its 72 k-word
  dictionary in pure Python: 0.36 s → 0.17 s CPU per process);
- the features are computed here from per-n-gram values computed once per sentence, instead of by
  underthesea_core's featurizer (≈ 25 µs per syllable, two thirds of word_tokenize's time).

Offline: everything is read from the installed underthesea package.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

_MODEL_DIR = ("pipeline", "word_tokenize", "models", "ws_crf_vlsp2013_20230727")
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


@dataclass(frozen=True)
class _Model:
    tagger: Any  # underthesea_core.CRFTagger
    templates: tuple[tuple[str, int, int, str | None], ...]  # (name, first, last offset, attribute)
    dictionary: frozenset[str]


def _underthesea_dir() -> Path:
    import underthesea

    return Path(underthesea.__file__).parent


@lru_cache(maxsize=1)
def model() -> _Model:
    """The word segmentation model of the installed underthesea (loaded once per process)."""
    from underthesea_core import CRFTagger

    base = _underthesea_dir().joinpath(*_MODEL_DIR)
    tagger = CRFTagger()
    tagger.load(str(base / "models.bin"))
    with (base / "features.bin").open("rb") as fh:
        names = pickle.load(fh)  # noqa: S301 - the installed package's own model file
    with (base / "dictionary.bin").open("rb") as fh:
        dictionary = frozenset(pickle.load(fh))  # noqa: S301
    templates = []
    for name in names:
        m = _TEMPLATE.match(name)
        if m is None:
            raise ValueError(f"unknown feature template {name!r}")
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) is not None else first
        templates.append((name, first, last, m.group(3)))
    return _Model(tagger, tuple(templates), dictionary)


def _values(tokens: list[str], dictionary: frozenset[str]) -> dict[tuple[int, str | None], list[str]]:
    """Feature values by (n-gram size, attribute), for every start position; the attributes of
    longer n-grams are derived from their words' (istitle: no word starts lower case)."""
    n = len(tokens)
    lower = [t.lower() for t in tokens]
    title = [not t[:1].islower() for t in tokens]
    bi = [f"{tokens[i]} {tokens[i + 1]}" for i in range(n - 1)]
    bi_lower = [f"{lower[i]} {lower[i + 1]}" for i in range(n - 1)]
    tri_lower = [f"{bi_lower[i]} {lower[i + 2]}" for i in range(n - 2)]
    return {
        (1, None): tokens,
        (1, "lower"): lower,
        (1, "isdigit"): [str(t.isdigit()) for t in tokens],
        (1, "istitle"): [str(t) for t in title],
        (1, "is_in_dict"): [str(t in dictionary) for t in lower],
        (2, None): bi,
        (2, "lower"): bi_lower,
        (2, "istitle"): [str(title[i] and title[i + 1]) for i in range(n - 1)],
        (2, "is_in_dict"): [str(t in dictionary) for t in bi_lower],
        (3, None): [f"{bi[i]} {tokens[i + 2]}" for i in range(n - 2)],
        (3, "istitle"): [str(title[i] and title[i + 1] and title[i + 2]) for i in range(n - 2)],
        (3, "is_in_dict"): [str(t in dictionary) for t in tri_lower],
    }


def features(tokens: list[str], mdl: _Model | None = None) -> list[tuple[str, ...]]:
    """The CRF features of each syllable token (what underthesea_core's CRFFeaturizer returns, as
    tuples: the tagger takes any sequence)."""
    mdl = mdl or model()
    n = len(tokens)
    values = _values(tokens, mdl.dictionary)
    columns = []
    for name, first, last, attr in mdl.templates:  # one column per template, built in one go
        head = max(0, -first)  # positions whose window starts before the sentence
        body = max(0, n - head - max(0, last))  # positions whose window is inside it
        column = [f"{name}=BOS"] * min(head, n)
        if body > 0:
            prefix = f"{name}="
            column += [prefix + v for v in values[last - first + 1, attr][head + first:head + first + body]]
        column += [f"{name}=EOS"] * (n - len(column))
        columns.append(column)
    return list(zip(*columns, strict=True))


def syllables(text: str) -> list[str]:
    """underthesea's syllable tokenizer (punctuation, numbers, dates, codes split as it splits them)."""
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    return tokenize(text, use_token_normalize=False)


def segment(text: str) -> list[Token]:
    """The words of `text` (underthesea word segmentation, spelling untouched) with their offsets."""
    sylls = syllables(text)
    if not sylls:
        return []
    mdl = model()
    tags = mdl.tagger.tag(features(sylls, mdl))
    words: list[list[str]] = []
    for tag, syl in zip(tags, sylls, strict=True):
        if tag == "I-W" and words:
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
