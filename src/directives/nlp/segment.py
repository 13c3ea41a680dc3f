"""Word segmentation with underthesea's tokenizer and CRF model, with character offsets.

`segment(text)` returns what `underthesea.word_tokenize(text, use_token_normalize=False)` returns
(the same syllable tokenizer, the same CRF model `ws_crf_vlsp2013`, the same 43 feature
templates), plus where each word is in `text`; `segment_many(texts)` does it for all the lines of
a document at once. What differs from calling word_tokenize is speed, not the result
(`tests/nlp/test_segment.py` checks the words against word_tokenize on every line of the corpus,
the syllables against its tokenizer on 20 000 random runs, the scores against underthesea_core's
featurizer and the tags against its CRF tagger):

- the common shapes of a run between spaces (letters, letters with punctuation, numbers) are split
  without underthesea's regular expression, which tries some fifteen patterns at every position;
- the CRF model file is read here (`nlp/crf.py`) and each syllable's score is summed by n-gram with
  numpy (`nlp/segment_model.py`), instead of building 43 feature strings per syllable for
  underthesea_core's featurizer and tagger (≈ 35 µs a syllable; now ≈ 4 µs, tokenizer and tagging included);
- a word's offsets are its first and last syllable's, so its text is the span as printed.

The offsets contract: offsets are into the text as given, never into a normalized copy, and a
token's text is always the slice of that text (`text[start:end] == token.text`). underthesea reads
its input after a character normalization (NFC, ð → đ, Ð → Đ); when that changes the text's length
(a Word PDF's text layer with decomposed marks, U+0301 after the vowel), each normalized character
is mapped back to the characters it came from, cluster by cluster (a starter and the combining marks
after it), so a token spans whole clusters of the given text.

Offline: everything is read from the installed underthesea package.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from directives.nlp.crf import viterbi
from directives.nlp.segment_model import cached, emissions, segment_model, underthesea_dir

_CHUNK = re.compile(r"\S+")


class Token(NamedTuple):
    """A word of a segmented text: its syllables joined by spaces, as printed, and its offsets (a
    named tuple: thousands are made per document, twice as fast as a frozen dataclass)."""

    text: str
    start: int
    end: int

    @property
    def joined(self) -> str:
        """The word with underscores between its syllables ("thanh_niên"), the usual segmented form."""
        return "_".join(self.text.split())


_new = tuple.__new__  # Token(...) without its Python-level __new__: a third of the cost, hundreds a page

_OPENING = frozenset('“"(')  # one of these before a word is a syllable of its own
_CLOSING = frozenset(',;:)”".')  # and so is each of these after it (one dot at most)
_ABBREVIATIONS = frozenset(("Tp", "Mr", "Mrs", "Ms", "Dr", "ThS"))  # underthesea keeps "Tp." whole
_UPPER_RUN = re.compile(r"[A-ZĐ]+")  # "TP." is kept whole too (when more text follows)


def _plain(word: str) -> bool:
    """A run of letters underthesea takes as one syllable (all but "Th?S…", read as its "Th.S"
    abbreviation, whose dot is unescaped)."""
    return word.isalpha() and not (word.startswith("Th") and word[3:4] in ("S", "s"))


def chunk_syllables(chunk: str) -> list[tuple[int, int]] | None:
    """The syllables of a run of non-space characters, when it has one of the shapes that make up
    nearly all of a directive's text: letters, a number, one character, or letters between an
    opening mark and up to two closing ones ("niên,", "“Mỗi", "2023”.", "(TĐTN)"); None for
    anything else (codes, dates, abbreviations: underthesea's regular expression decides)."""
    n = len(chunk)
    if n == 1 or chunk.isdecimal() or _plain(chunk):
        return [(0, n)]
    a = 1 if chunk[0] in _OPENING else 0
    b = n
    while b > a and n - b < 2 and chunk[b - 1] in _CLOSING:
        b -= 1
    word, tail = chunk[a:b], chunk[b:]
    if not word or not (_plain(word) or word.isdecimal()) or tail.count(".") > 1 or ":" in tail[:-1]:
        return None  # ".." and ":)", "::" are syllables of their own
    if "." in tail and (tail[0] == "." and word in _ABBREVIATIONS or _UPPER_RUN.fullmatch(word) or word.isdecimal()):
        return None
    return [(0, a)] * a + [(a, b)] + [(k, k + 1) for k in range(b, n)]


def _tokenizer_data() -> tuple[dict[str, str], str, int]:
    """underthesea's character map (applied after NFC) and its tokenizer's regular expression
    (source, flags), read from the package."""
    from underthesea.pipeline.text_normalize.text_normalizer import character_map
    from underthesea.pipeline.word_tokenize.regex_tokenize import patterns

    return dict(character_map), patterns.pattern, patterns.flags


@cache
def _underthesea_tokenizer() -> tuple[Callable[[str], str], re.Pattern[str]]:
    """underthesea's character normalization (NFC, then its character map: ð → đ) and its
    tokenizer's regular expression; their data kept in the user's cache folder after the first
    run, so that a process that finds it there does not import underthesea (≈ 0.3 s CPU)."""
    folder = underthesea_dir() / "pipeline"
    sources = sorted((folder / "text_normalize").iterdir()) + [folder / "word_tokenize" / "regex_tokenize.py"]
    mapping, source, flags = cached("tokenizer", [f for f in sources if f.is_file()], _tokenizer_data)
    pairs = tuple(mapping.items())

    def normalize(text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        for odd, usual in pairs:
            text = text.replace(odd, usual)
        return text

    return normalize, re.compile(source, flags)


def _chunks(text: str) -> list[tuple[int, str]]:
    """The runs of non-space characters of `text` and where each starts (`\\S+`): by `split(" ")`
    when the ASCII space is its only white space (printable text), else by the regular expression."""
    if not text.isprintable():
        return [(m.start(), m.group()) for m in _CHUNK.finditer(text)]
    out = []
    pos = 0
    for chunk in text.split(" "):
        if chunk:
            out.append((pos, chunk))
        pos += len(chunk) + 1
    return out


def syllable_spans(text: str) -> tuple[str, list[tuple[int, int]]]:
    """underthesea's syllable tokenizer (punctuation, numbers, dates, codes split as it splits
    them): where each syllable is in the text it tokenizes, `text` after its character
    normalization (returned too: NFC, and ð, Ð read as đ, Đ).

    The common shapes of a run between spaces are split here (`chunk_syllables`); other runs go
    through underthesea's regular expression, matched in place so that its look-arounds see the
    same text."""
    normalize_characters_in_text, patterns = _underthesea_tokenizer()
    norm = normalize_characters_in_text(text)
    out: list[tuple[int, int]] = []
    add = out.append
    for pos, chunk in _chunks(norm):
        end = pos + len(chunk)
        if chunk.isalpha() and not (chunk.startswith("Th") and chunk[3:4] in ("S", "s")):  # `_plain`, inline
            add((pos, end))
            continue
        if (parts := chunk_syllables(chunk)) is not None:
            out += [(pos + a, pos + b) for a, b in parts]
            continue
        while pos < end:
            found = patterns.match(norm, pos)
            stop = found.end() if found is not None and found.end() > pos else pos + 1
            add((pos, stop))
            pos = stop
    return norm, out


def syllables(text: str) -> list[str]:
    """underthesea's syllables of `text` (`syllable_spans`)."""
    norm, spans = syllable_spans(text)
    return [norm[a:b] for a, b in spans]


def source_spans(text: str, norm: str) -> tuple[list[int], list[int]] | None:
    """For each character of `norm` (`text` after underthesea's character normalization), the
    start and end in `text` of what it comes from: itself where normalization left its cluster (a
    starter and the combining marks after it) as it was, else the whole cluster ("a" + U+0301 → "á"
    from both). None when normalizing cluster by cluster does not give `norm` (compositions across
    starters, as in Hangul)."""
    normalize, _ = _underthesea_tokenizer()
    starts: list[int] = []
    ends: list[int] = []
    pieces: list[str] = []
    k, n = 0, len(text)
    while k < n:
        j = k + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[k:j]
        out = cluster if j - k == 1 and ord(cluster) < 0x80 else normalize(cluster)  # ASCII stays as it is
        if out == cluster:
            starts += range(k, j)
            ends += range(k + 1, j + 1)
        else:
            starts += [k] * len(out)
            ends += [j] * len(out)
        pieces.append(out)
        k = j
    return (starts, ends) if "".join(pieces) == norm else None


def segment_many(texts: list[str], offsets: list[int] | None = None) -> list[list[Token]]:
    """The words of each text (underthesea word segmentation, spelling untouched) with their
    offsets into the text as given, all texts scored at once. A word's text is `text[start:end]`,
    the span from its first syllable to its last, as printed (its syllables joined by single spaces
    when the text has single spaces). In a text whose normalization changed its length, the spans
    are mapped back (`source_spans`; a syllable boundary inside a composed cluster gives two words
    that share it), or, where that fails, the words are looked for (`locate`). `offsets` (one per
    text) are added to the words' offsets: where each text starts in a longer one."""
    parsed = [syllable_spans(t) for t in texts]
    sylls = [[norm[a:b] for a, b in spans] for norm, spans in parsed]
    mdl = segment_model()
    paths = iter([viterbi(e, mdl.transitions) for e in emissions([s for s in sylls if s], mdl)])
    out: list[list[Token]] = []
    for text, (norm, spans), syl, at in zip(texts, parsed, sylls, offsets or [0] * len(texts), strict=True):
        if not syl:
            out.append([])
            continue
        firsts = [k for k, inside in enumerate(next(paths)) if not inside or not k]  # each word's first syllable
        words = list(zip(firsts, [k - 1 for k in firsts[1:]] + [len(syl) - 1], strict=True))  # (first, last)
        if len(norm) == len(text):  # ð → đ, Ð → Đ: the same offsets
            out.append([_new(Token, (text[(s := spans[a][0]):(e := spans[b][1])], at + s, at + e)) for a, b in words])
        elif (mapped := source_spans(text, norm)) is not None:  # NFC composed (or split) some characters
            starts, ends = mapped
            out.append([_new(Token, (text[(s := starts[spans[a][0]]):(e := ends[spans[b][1] - 1])], at + s, at + e))
                        for a, b in words])
        else:
            out.append([Token(text[t.start:t.end], at + t.start, at + t.end)
                        for t in locate([" ".join(syl[a:b + 1]) for a, b in words], text)])
    return out


def segment(text: str) -> list[Token]:
    """The words of `text` with their offsets (`segment_many`)."""
    return segment_many([text])[0]


PIECES = re.compile(r"[^\n|]+")  # lines, and the cells of a table row


def segment_texts(texts: list[str]) -> list[list[Token]]:
    """Words of multi-line texts, offsets into each whole text (segmented line by line, a table row
    cell by cell; all lines of all texts scored at once)."""
    pieces = [(k, m.start(), m.group()) for k, text in enumerate(texts) for m in PIECES.finditer(text)]
    out: list[list[Token]] = [[] for _ in texts]
    for (k, _, _), words in zip(pieces, segment_many([p[2] for p in pieces], [p[1] for p in pieces]), strict=True):
        out[k].extend(words)
    return out


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
