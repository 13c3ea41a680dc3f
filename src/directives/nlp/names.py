"""PER / ORG / LOC: capitalised word runs read by rules and a gazetteer, underthesea NER where
the rules cannot tell.

Over the segmented words of a line, a run of capitalised words ("Ban Chấp hành Trung ương",
"Hội Liên hiệp Thanh niên Việt Nam", "Chủ tịch Hồ Chí Minh") is read as:

- ORG when it starts with an organisation head (Ban, Bộ, Hội, Đoàn, Đội, Ủy ban, Tỉnh đoàn …, see
  `gazetteer.ORG_HEADS`) and has a name after it; a following "tỉnh Kiên Giang" belongs to it;
- LOC for a province, city or country of the gazetteer (also after "tỉnh", "Vương quốc" …);
  normalized to its canonical name with its unit ("tỉnh Kiên Giang");
- PER when, titles dropped (Chủ tịch, Bí thư, Đồng chí …), it is two to five capitalised syllables
  starting with a Vietnamese family name.

A run none of these explain (two words or more, not at the start of a sentence) is what underthesea's
NER is run for (its sentence only: it costs ≈ 0.25 ms a word); what it finds there is kept only
when the same rules accept it: a PER must look like a name, an ORG must start with an organisation
head, a LOC must be in the gazetteer (underthesea labels codes such as "21-KL/TW" and titles such as
"Bí thư Thành Đoàn" as LOC; those are dropped).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from directives.nlp.gazetteer import (
    ADMIN_KEYS,
    FAMILY_NAMES,
    ORG_HEAD_KEYS,
    ORG_INNER_KEYS,
    TITLE_KEYS,
    place,
    province_unit,
)
from directives.nlp.segment import Token, locate
from directives.nlp.segment_model import segment_model
from directives.schemas import Entity
from directives.vntext import exact_key

_ROMAN = re.compile(r"^[IVXLC]+\.?$")
_ROMAN_LETTERS = frozenset("IVXLC")
_SENTENCE_OPENERS = frozenset(".!?;:-–+•“\"(")
# organisation heads that are a whole name by themselves
_STANDALONE_ORGS = frozenset(exact_key(n) for n in (
    "Tỉnh đoàn", "Thành đoàn", "Huyện đoàn", "Quận đoàn", "Chính phủ", "Quốc hội", "Bộ Chính trị", "Ban Bí thư",
    "Tỉnh ủy", "Tỉnh uỷ", "Thành ủy", "Thành uỷ", "Huyện ủy", "Huyện uỷ", "Trung ương Đoàn"))


@dataclass(frozen=True, slots=True)
class Found:
    label: str
    start: int
    end: int
    normalized: str | None = None


# places that are also something else: a LOC only after a unit word ("thành phố Hồ Chí Minh")
_AMBIGUOUS_PLACES = frozenset(exact_key(n) for n in ("Hồ Chí Minh", "Huế", "Anh", "Đức", "Pháp", "Nga"))
# an organ of a body without the body's name: not a name by itself
_INCOMPLETE_ORGS = frozenset(exact_key(n) for n in (
    "Ban Thường vụ", "Ban Chấp hành", "Ban Giám đốc", "Ban Giám hiệu", "Ban Tổ chức", "Ban Chỉ đạo",
    "Ban Thường trực", "Hội đồng", "Ban Biên tập", "Ban Tuyên giáo", "Ban Kiểm tra", "Văn phòng", "BCH",
    "Ủy ban nhân dân", "Uỷ ban nhân dân", "UBND", "Hội đồng nhân dân", "HĐND"))


def is_org_name(text: str) -> bool:
    """`text` (as printed, any case) names an organisation: an organisation head, then more than an
    organ's generic name ("BAN THƯỜNG VỤ TỈNH ĐOÀN" yes, "BAN THƯỜNG VỤ" no)."""
    key = exact_key(text)
    sylls = key.split()
    return key not in _INCOMPLETE_ORGS and any(" ".join(sylls[:n]) in ORG_HEAD_KEYS for n in (1, 2, 3))


def _org_head(tok: Token) -> bool:
    """`tok` is, or starts with, an organisation head ("Ban", "Ban Chấp hành Trung ương"), and is
    not a common word that merely starts like one ("Đoàn kết", "Ban đầu")."""
    return _org_head_word(tok.text)


@lru_cache(maxsize=1 << 14)
def _org_head_word(text: str) -> bool:
    key = exact_key(text)
    if key in ORG_HEAD_KEYS:
        return True
    sylls = key.split()
    if not any(" ".join(sylls[:n]) in ORG_HEAD_KEYS for n in (1, 2, 3)):
        return False
    words = text.split()
    return words[1][:1].isupper() or text.lower() not in segment_model().dictionary


def split_glued(tokens: list[Token]) -> list[Token]:
    """Words the segmenter glued across a name's edge, split again: "XI Công đoàn" (a roman number
    before a name), "và Công nghệ" (a lower-case word before a capitalised one)."""
    out: list[Token] = []
    for tok in tokens:
        if " " not in tok.text:  # one syllable (a word's syllables are separated by spaces)
            out.append(tok)
            continue
        words = tok.text.split()
        if len(words) > 1 and ((words[0][0] in _ROMAN_LETTERS and _ROMAN.match(words[0]))
                               or (words[0].islower() and words[1][:1].isupper())):
            rest = tok.start + len(words[0])
            rest_text = tok.text[len(words[0]):].lstrip()
            out.append(Token(words[0], tok.start, rest))
            out.append(Token(rest_text, tok.end - len(rest_text), tok.end))
        else:
            out.append(tok)
    return out


def _cap(tok: Token) -> bool:
    return tok.text[:1].isupper() and not (tok.text[0] in _ROMAN_LETTERS and _ROMAN.match(tok.text))


def _key(tokens: list[Token]) -> str:
    return exact_key(" ".join(t.text for t in tokens))


def _place_at(tokens: list[Token], i: int, after_unit: bool = False) -> int:
    """How many tokens from `i` spell a gazetteer place (0 when none)."""
    for n in (3, 2, 1):
        if i + n <= len(tokens) and all(_cap(t) for t in tokens[i:i + n]):
            name = " ".join(t.text for t in tokens[i:i + n])
            if place(name) and (after_unit or exact_key(name) not in _AMBIGUOUS_PLACES):
                return n
    return 0


def _is_person(tokens: list[Token]) -> bool:
    sylls = [s for t in tokens for s in t.text.split()]
    return (2 <= len(sylls) <= 5 and sylls[0] in FAMILY_NAMES and all(s[:1].isupper() for s in sylls)
            and not any(_org_head(t) for t in tokens) and not _place_at(tokens, 0))


def _run_end(tokens: list[Token], i: int) -> int:
    """End (exclusive) of the run of capitalised words starting at `i`; inside an organisation's
    name, a lower-case word such as "thanh niên" continues it when a capitalised word follows."""
    j = i
    org = False
    while j < len(tokens):
        tok = tokens[j]
        if _cap(tok):
            org = org or _org_head(tok)
            j += 1
        elif org and j + 1 < len(tokens) and _cap(tokens[j + 1]) and (
                exact_key(tok.text) in ORG_INNER_KEYS or _and_continues(tokens, j)):
            j += 1
        else:
            break
    return j


def _and_continues(tokens: list[Token], j: int) -> bool:
    """"và" at `j` joins two parts of one name ("Bộ Khoa học và Công nghệ"): the word before it is
    neither the head itself ("Công an và …") nor a place that ends a name ("Công đoàn Việt Nam và
    Nghị quyết …"), and the word after it is no organisation head ("Đoàn và Hội")."""
    prev, nxt = tokens[j - 1], tokens[j + 1]
    return (tokens[j].text in ("và", "&") and exact_key(prev.text) not in ORG_HEAD_KEYS
            and not place(prev.text) and not _org_head(nxt))


def _locality(tokens: list[Token], j: int) -> int:
    """After an organisation ending at `j`: the end of a following "tỉnh Kiên Giang", else `j`."""
    if j < len(tokens) and exact_key(tokens[j].text) in ADMIN_KEYS:
        n = _place_at(tokens, j + 1, after_unit=True)
        if n:
            return j + 1 + n
    return j


def read_run(tokens: list[Token], i: int, j: int, sentence_start: bool) -> tuple[list[Found], bool]:
    """Entities of the capitalised run tokens[i:j], and whether the rules explained it."""
    run = tokens[i:j]
    while run and exact_key(run[0].text) in TITLE_KEYS:  # titles before a name
        run = run[1:]
    # a common word opening a sentence is no part of a name
    if run and sentence_start and not _org_head(run[0]) and run[0].text.split()[0] not in FAMILY_NAMES \
            and not _place_at(run, 0):
        run = run[1:]
    if not run:
        return [], True
    for k, tok in enumerate(run):
        if _org_head(tok):
            name = run[k:]
            last = tokens.index(name[-1]) + 1
            end = _locality(tokens, last)
            key = _key(name)
            for cut in range(1, len(name)):  # "Thành Đoàn Nguyễn Văn A": a body, then a person
                if _key(name[:cut]) in _STANDALONE_ORGS and _is_person(name[cut:]):
                    return [Found("ORG", name[0].start, name[cut - 1].end),
                            Found("PER", name[cut].start, name[-1].end)], True
            inside = len(tok.text.split()) > 1 and exact_key(tok.text) not in ORG_HEAD_KEYS  # "Ban Chấp hành Trung ương"
            if (len(name) >= 2 or key in _STANDALONE_ORGS or end > last or inside) and (
                    key not in _INCOMPLETE_ORGS or end > last):  # "UBND" alone no, "UBND tỉnh Kiên Giang" yes
                return [Found("ORG", name[0].start, tokens[end - 1].end)], True
            return [], True  # "Đoàn", "Hội" alone: the organisation of the context, not a name
        if exact_key(tok.text) in ADMIN_KEYS and k + 1 < len(run) and _place_at(run, k + 1, after_unit=True):
            n = _place_at(run, k + 1, after_unit=True)
            return [_loc(run[k + 1:k + 1 + n])], True
    # a place or a person opens the run; one later in it belongs to a longer name
    # ("Ứng dụng Thanh niên Việt Nam", "CĐGD Việt Nam"), which is not read as a place
    n = _place_at(run, 0)
    if n:
        return [_loc(run[:n])], n == len(run)
    if run[0].text.split()[0] in FAMILY_NAMES and _is_person(run):
        return [Found("PER", run[0].start, run[-1].end)], True
    return [], len(run) < 2


def _loc(tokens: list[Token]) -> Found:
    name = " ".join(t.text for t in tokens)
    return Found("LOC", tokens[0].start, tokens[-1].end, province_unit(name))


def _sentence_start(tokens: list[Token], i: int) -> bool:
    return i == 0 or tokens[i - 1].text[-1:] in _SENTENCE_OPENERS


def line_names(tokens: list[Token]) -> tuple[list[Found], list[tuple[int, int]]]:
    """Entities of one line's words, and the character spans of the runs the rules left unexplained
    (where NER may help)."""
    tokens = split_glued(tokens)
    found: list[Found] = []
    unexplained: list[tuple[int, int]] = []
    caps = [_cap(t) for t in tokens]
    # only a capitalised word, or a unit word before one ("tỉnh Kiên Giang"), can start a name
    starts = [k for k, cap in enumerate(caps) if cap or (k + 1 < len(caps) and caps[k + 1])]
    i = 0
    for k in starts:
        if k < i:
            continue
        i = k
        if not caps[i]:
            if exact_key(tokens[i].text) in ADMIN_KEYS:
                n = _place_at(tokens, i + 1, after_unit=True)  # "tỉnh Kiên Giang" after a lower-case unit word
                if n:
                    found.append(_loc(tokens[i + 1:i + 1 + n]))
                    i += 1 + n
            continue
        j = _run_end(tokens, i)
        got, explained = read_run(tokens, i, j, _sentence_start(tokens, i))
        found.extend(got)
        if got and got[-1].label == "ORG":
            while j < len(tokens) and tokens[j].end <= got[-1].end:
                j += 1
        if not explained:
            unexplained.append((tokens[i].start, tokens[j - 1].end))
        i = max(j, i + 1)
    return found, unexplained


Ner = Callable[[str], list[tuple[str, str, str, str]]]


def underthesea_ner() -> Ner:
    """underthesea's NER, imported (the package: ≈ 0.3 s CPU) and its model loaded on the first
    sentence it reads: most documents need none (`pipeline.entities.worth_ner`). Each tagger (one a
    document) tags a sentence once: a form's heading repeated in its units, its table's rows, costs
    ≈ 6 ms a time (word segmentation, POS, chunking and NER, each a CRF over Python features)."""
    seen: dict[str, list[tuple[str, str, str, str]]] = {}

    def ner(sentence: str) -> list[tuple[str, str, str, str]]:
        if sentence not in seen:
            from underthesea import ner as tagger

            seen[sentence] = tagger(sentence)
        return list(seen[sentence])

    return ner


def ner_names(sentence: str, offset: int, ner: Ner) -> list[Found]:
    """underthesea NER on one sentence, each entity checked by the rules (module docstring)."""
    rows = ner(sentence)
    toks = locate([r[0] for r in rows], sentence)
    spans: list[tuple[str, list[Token]]] = []
    for row, tok in zip(rows, toks, strict=True):
        tag = row[3]
        if tag.startswith("B-") or (tag.startswith("I-") and (not spans or spans[-1][0] != tag[2:])):
            spans.append((tag[2:], [tok]))
        elif tag.startswith("I-"):
            spans[-1][1].append(tok)
    out = []
    for label, span in spans:
        while span and exact_key(span[0].text) in TITLE_KEYS:
            span = span[1:]
        if not span or not all(_cap(t) for t in span):
            continue
        before = toks.index(span[0]) - 1
        if label == "LOC" and before >= 0 and _cap(toks[before]) and exact_key(toks[before].text) not in ADMIN_KEYS:
            continue  # the end of a longer name ("CĐGD Việt Nam"), not a place of its own
        if label == "PER" and _is_person(span):
            out.append(Found("PER", span[0].start + offset, span[-1].end + offset))
        elif label == "ORG" and _org_head(span[0]) and (len(span) >= 2 or _key(span) in _STANDALONE_ORGS) \
                and _key(span) not in _INCOMPLETE_ORGS:
            out.append(Found("ORG", span[0].start + offset, span[-1].end + offset))
        elif label == "LOC" and _place_at(span, 0) == len(span):
            loc = _loc(span)
            out.append(Found("LOC", loc.start + offset, loc.end + offset, loc.normalized))
    return out


def to_entities(found: list[Found], text: str, unit: str | None) -> list[Entity]:
    return [Entity(label=f.label, text=text[f.start:f.end], normalized=f.normalized, section_id=unit,
                   start=f.start, end=f.end) for f in found]
