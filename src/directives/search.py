"""`directives search`: ranked full-text hits from OUT/corpus.sqlite (see `index.py`).

A query is words (all must occur: in a title or the text below it) and "quoted phrases"; a word
ending in * matches as a prefix. By default words are compared folded (no tone or vowel marks,
"đ" = "d", any case), so "thanh nien tinh nguyen" finds "thanh niên tình nguyện"; `exact` compares
the marks too (any case, tone placement unified when `vntext` is present). Hits are ranked by BM25,
titles weighing twice the text; hits where the words also occur as one phrase, or as the segmented
words of the NLP stage, rank higher; equal scores in dataset order. Snippets are cut from the
original text, matches highlighted.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from directives.errors import DirectivesError
from directives.index import CORPUS, WORD
from directives.vntext import exact_key, search_key

MARK_OPEN, MARK_CLOSE = "«", "»"
_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')


class CorpusMissingError(DirectivesError):
    code = "no-corpus"


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # keys of the words (folded or exact); one word, or a phrase
    prefix: bool = False  # the last word is a prefix


@dataclass(frozen=True)
class SearchQuery:
    text: str
    type: str | None = None
    issuer: str | None = None
    year: int | None = None
    limit: int = 20
    exact: bool = False


@dataclass(frozen=True)
class Hit:
    kind: str  # document | section | activity
    doc_id: str
    file: str
    reference: str | None
    date: str | None
    issuer: str | None
    type: str | None
    section_id: str | None
    number: str | None
    title: str
    snippet: str
    score: float
    highlights: list[str] = field(default_factory=list)  # the matched words as printed


def key_of(exact: bool):
    return exact_key if exact else search_key


def parse_query(text: str, exact: bool = False) -> list[Term]:
    """Words and "phrases" of a query, as keys; punctuation dropped; `word*` is a prefix."""
    key = key_of(exact)
    terms = []
    for phrase, word in _QUERY_PART.findall(text):
        raw = phrase if phrase else word
        prefix = not phrase and raw.endswith("*")
        words = tuple(key(w) for w in WORD.findall(raw))
        words = tuple(w for w in words if w)
        if words:
            terms.append(Term(words, prefix and len(words) == 1))
    return terms


def _fts(term: Term) -> str:
    return '"' + " ".join(w.replace('"', '""') for w in term.words) + '"' + (" *" if term.prefix else "")


def match_expression(terms: list[Term], exact: bool, segmented: bool = False) -> str:
    """The FTS5 MATCH expression: every term in the title or text columns of the mode; for several
    plain words, the same again with the words as one phrase (or as segmented words), which adds to
    the BM25 score of the hits that have it without adding hits."""
    cols = "{title_x body_x}" if exact else "{title_f body_f}"
    base = " AND ".join(f"{cols} : {_fts(t)}" for t in terms)
    words = [t.words[0] for t in terms if len(t.words) == 1 and not t.prefix]
    if len(words) < 2:
        return base
    boosts = [f"{cols} : {_fts(Term(tuple(words)))}"]
    if segmented and not exact:
        pairs = " OR ".join(f'"{a}_{b}"' for a, b in zip(words, words[1:], strict=False))
        boosts.append(f"seg_f : ({pairs})")
    return " OR ".join([f"({base})", *(f"(({base}) AND {b})" for b in boosts)])


def snippet(text: str, terms: list[Term], exact: bool = False, width: int = 24) -> tuple[str, list[str]]:
    """The `width` words of `text` around most matches, matches marked «…», cut edges marked "…";
    and the matched words as printed."""
    key = key_of(exact)
    tokens = list(WORD.finditer(text))
    if not tokens:
        return "", []
    full = {w for t in terms for w in (t.words if not t.prefix else t.words[:-1])}
    prefixes = tuple(t.words[-1] for t in terms if t.prefix)
    hit = [key(m.group()) in full or (bool(prefixes) and key(m.group()).startswith(prefixes)) for m in tokens]
    best, count = 0, sum(hit[:width])
    current = count
    for i in range(1, max(1, len(tokens) - width + 1)):
        current += hit[i + width - 1] - hit[i - 1] if i + width - 1 < len(tokens) else -hit[i - 1]
        if current > count:
            best, count = i, current
    if count == 0:
        best = 0
    else:  # centre the matches of the best window
        inside = [i for i in range(best, min(len(tokens), best + width)) if hit[i]]
        best = max(0, min(len(tokens) - width, (inside[0] + inside[-1] - width + 1) // 2))
    window = range(best, min(len(tokens), best + width))
    parts, pos, matched = [], tokens[window[0]].start(), []
    for i in window:
        m = tokens[i]
        gap = text[pos:m.start()]
        if hit[i] and i > window[0] and hit[i - 1] and not gap.strip():
            parts[-1] = parts[-1][:-len(MARK_CLOSE)] + gap + m.group() + MARK_CLOSE  # one mark per run
        elif hit[i]:
            parts.append(gap + MARK_OPEN + m.group() + MARK_CLOSE)
        else:
            parts.append(gap + m.group())
        if hit[i]:
            matched.append(m.group())
        pos = m.end()
    tail = text[pos:] if window[-1] == len(tokens) - 1 else ""  # closing punctuation of the text
    body = " ".join(("".join(parts) + tail).split())
    return ("… " if window[0] > 0 else "") + body + (" …" if window[-1] < len(tokens) - 1 else ""), matched


def _filters(q: SearchQuery) -> tuple[str, list[object]]:
    sql, args = [], []
    if q.type:
        sql.append("d.type_f = ?")
        args.append(search_key(q.type))
    if q.issuer:
        sql.append("instr(d.issuer_f, ?) > 0")
        args.append(search_key(q.issuer))
    if q.year is not None:
        sql.append("d.year = ?")
        args.append(q.year)
    return "".join(f" AND {s}" for s in sql), args


def search(out: Path, q: SearchQuery) -> list[Hit]:
    """Ranked hits for `q` in OUT/corpus.sqlite."""
    path = out / CORPUS
    if not path.is_file():
        raise CorpusMissingError(f"no corpus at {path}; run `directives run … --out {out}` first")
    terms = parse_query(q.text, q.exact)
    if not terms:
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        has_seg = db.execute("SELECT 1 FROM search WHERE seg_f != '' LIMIT 1").fetchone() is not None
        weights = "0, 0, 2.0, 1.0, 0, 0, 0" if q.exact else "0, 0, 0, 0, 2.0, 1.0, 1.0"
        where, args = _filters(q)
        rows = db.execute(
            f"SELECT h.kind, h.doc_id, d.file, d.reference, d.date, d.issuer, d.type, h.section_id, h.number, "
            f"search.title, search.body, bm25(search, {weights}) AS score "
            f"FROM search JOIN hits h ON h.id = search.rowid JOIN docs d ON d.doc_id = h.doc_id "
            f"JOIN doc_state s ON s.doc_id = h.doc_id "
            f"WHERE search MATCH ?{where} ORDER BY score, s.position, h.doc_id, h.id LIMIT ?",
            [match_expression(terms, q.exact, has_seg), *args, max(1, q.limit)]).fetchall()
    except sqlite3.Error as exc:
        if "no such table" in str(exc):
            raise CorpusMissingError(f"{path} was built by an older version; run `directives run … --out {out}` "
                                     "again") from exc
        raise DirectivesError(f"search failed on {path}: {exc}") from exc
    finally:
        db.close()
    hits = []
    for kind, doc_id, file, ref, date, issuer, type_, sid, number, title, body, score in rows:
        text, marks = snippet(body, terms, q.exact)
        if not marks:  # the match is in the title (or only in the segmented words)
            text, marks = snippet(title, terms, q.exact)
        hits.append(Hit(kind, doc_id, file, ref, date, issuer, type_, sid, number, title, text, -score, marks))
    return hits


def format_hit(rank: int, hit: Hit) -> str:
    """Two or three lines for the terminal."""
    where = {"section": f"mục {hit.number}", "activity": f"hoạt động {hit.number or ''}".strip(),
             "document": "văn bản"}[hit.kind]
    head = " · ".join(x for x in (hit.reference or hit.doc_id, hit.date, hit.issuer, where) if x)
    lines = [f"{rank}. {head}: {hit.title}".rstrip(": ")]
    if hit.snippet and hit.snippet != hit.title:
        lines.append(f"   {hit.snippet}")
    lines.append(f"   {hit.file}")
    return "\n".join(lines)
