"""`directives search`: ranked full-text hits from OUT/corpus.sqlite (see `index.py`).

A query is words (all must occur: in a title or the text below it) and "quoted phrases"; a word
ending in * matches as a prefix. By default words are compared folded (no tone or vowel marks,
"đ" = "d", any case), so "thanh nien tinh nguyen" finds "thanh niên tình nguyện"; `exact` compares
the marks too (any case, tone placement unified when `vntext` is present). Hits are ranked by BM25,
titles weighing twice the text; hits where the words also occur as one phrase, or as the segmented
words of the NLP stage, rank higher; equal scores in dataset order. Snippets are cut from the
original text, matches highlighted.

Copies of one directive (same reference, type, issuer and year: a scan and its born-digital export)
make one hit per place matched (the document, its closing, a section by number, an activity by row),
which lists every copy's file and page. A year filter also takes the documents whose date was not
read but whose symbol, attachment or subject names that year (the hit says where it came from).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from directives.errors import DirectivesError
from directives.index import CORPUS, HIT_BITS, WORD
from directives.vntext import exact_key, search_key

MARK_OPEN, MARK_CLOSE = "«", "»"
_CANDIDATES = 64  # rows ranked in a first round (more when copies or ties fill them)
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
    signer: str | None = None  # part of the signer's name (accents optional)
    status: str | None = None
    offset: int = 0


@dataclass(frozen=True)
class Copy:
    doc_id: str
    file: str
    page: int | None


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
    page: int | None = None  # where the matched text starts in `file` (1-based)
    year_from: str | None = None  # the date was not read: the year filter matched the year of the symbol …
    group: list[Copy] = field(default_factory=list)  # every copy of the directive with this match, this one first


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int  # hits (groups) in all, of which `hits` are those from `offset` on


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


def _columns(exact: bool) -> str:
    return "{title_x body_x}" if exact else "{title_f body_f}"


def _plain_words(terms: list[Term]) -> list[str]:
    return [t.words[0] for t in terms if len(t.words) == 1 and not t.prefix]


def base_expression(terms: list[Term], exact: bool) -> str:
    """The FTS5 MATCH expression of the rows that match: every term in the title or text columns."""
    return " AND ".join(f"{_columns(exact)} : {_fts(t)}" for t in terms)


def segment_pairs(terms: list[Term]) -> str | None:
    """The adjacent plain words of a query as the segmented words they would make ("thanh_nien" OR …)."""
    words = _plain_words(terms)
    return " OR ".join(f'"{a}_{b}"' for a, b in zip(words, words[1:], strict=False)) if len(words) > 1 else None


def match_expression(terms: list[Term], exact: bool, segmented: bool = False) -> str:
    """The FTS5 MATCH expression that ranks: every term in the title or text columns of the mode; for
    several plain words, the same again with the words as one phrase (or as segmented words). FTS5's
    BM25 sums over the phrases of the branches a row matches, so a row with the phrase scores its words
    twice plus the phrase: the boost orders hits without adding any."""
    base = base_expression(terms, exact)
    words = _plain_words(terms)
    if len(words) < 2:
        return base
    boosts = [f"{_columns(exact)} : {_fts(Term(tuple(words)))}"]
    if segmented and not exact:
        boosts.append(f"seg_f : ({segment_pairs(terms)})")
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
    parts: list[str] = []
    pos, matched = tokens[window[0]].start(), []
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
    sql: list[str] = []
    args: list[object] = []
    if q.type:
        sql.append("d.type_f = ?")
        args.append(search_key(q.type))
    if q.issuer:
        sql.append("instr(d.issuer_f, ?) > 0")
        args.append(search_key(q.issuer))
    if q.year is not None:
        sql.append("(d.year = ? OR (d.year IS NULL AND d.year_alt = ?))")
        args += [q.year, q.year]
    if q.signer:
        sql.append("instr(d.signer_f, ?) > 0")
        args.append(search_key(q.signer))
    if q.status:
        sql.append("d.status = ?")
        args.append(q.status)
    return "".join(f" AND {s}" for s in sql), args


def open_corpus(out: Path) -> sqlite3.Connection:
    """OUT/corpus.sqlite read-only; CorpusMissingError when absent or of an older layout."""
    path = out / CORPUS
    if not path.is_file():
        raise CorpusMissingError(f"no corpus at {path}; run `directives run … --out {out}` first")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    columns = {r[1] for r in db.execute("PRAGMA table_info(docs)")}
    if "dn" not in columns:  # hits numbered by document (index.HIT_BITS)
        db.close()
        raise CorpusMissingError(f"{path} was built by an older version; run `directives run … --out {out}` again")
    return db


def _failed(path: Path, exc: sqlite3.Error) -> DirectivesError:
    return DirectivesError(f"search failed on {path}: {exc}")


def _doc_filter(q: SearchQuery) -> tuple[str, list[object]]:
    """The filters of `q` as a condition on the rows of `search` (their documents' numbers)."""
    where, args = _filters(q)
    return (f" AND (search.rowid >> {HIT_BITS}) IN (SELECT d.dn FROM docs d WHERE 1{where})", args) if where else ("", [])


def _segmented(db: sqlite3.Connection, terms: list[Term], exact: bool) -> bool:
    """Whether any section holds a segmented word the query's words make (else that boost is left out:
    it would score nothing and cost the scan of its words once more)."""
    pairs = None if exact else segment_pairs(terms)
    return bool(pairs) and db.execute("SELECT 1 FROM search WHERE search MATCH ? LIMIT 1",
                                      (f"seg_f : ({pairs})",)).fetchone() is not None


def _ranked(db: sqlite3.Connection, q: SearchQuery, terms: list[Term], need: int) -> tuple[list[tuple[int, str, float]], bool]:
    """The best `need` groups in rank order, each as its best row (hit id, group key, BM25 score); and
    whether that is every group that matches. FTS5 scores every match but SQLite keeps only the best
    rows; more are asked for while copies fill them, and rows tied with the last one wanted are ordered
    in SQL (dataset order) instead of sorted here, so that no tied row is left out."""
    weights = "0, 0, 2.0, 1.0, 0, 0, 0" if q.exact else "0, 0, 0, 0, 2.0, 1.0, 1.0"
    flt, args = _doc_filter(q)
    expr = match_expression(terms, q.exact, _segmented(db, terms, q.exact))
    of_doc = f"FROM docs d JOIN doc_state s ON s.doc_id = d.doc_id WHERE d.dn = search.rowid >> {HIT_BITS}"
    order, k = "score", max(_CANDIDATES, 2 * need)
    while True:
        rows = db.execute(f"SELECT rowid, bm25(search, {weights}) AS score FROM search WHERE search MATCH ?{flt} "
                          f"ORDER BY {order} LIMIT ?", [expr, *args, k]).fetchall()
        about = {i: (g, pos, doc) for i, g, pos, doc in db.execute(
            f"SELECT h.id, d.grp || char(31) || h.hkey, s.position, h.doc_id FROM hits h "
            f"JOIN docs d ON d.dn = h.id >> {HIT_BITS} JOIN doc_state s ON s.doc_id = h.doc_id "
            "WHERE h.id IN (SELECT value FROM json_each(?))", (json.dumps([i for i, _ in rows]),))}
        rows.sort(key=lambda r: (r[1], about[r[0]][1], about[r[0]][2], r[0]))  # equal scores in dataset order
        groups: list[tuple[int, str, float]] = []
        seen: set[str] = set()
        for i, score in rows:
            if about[i][0] not in seen:
                seen.add(about[i][0])
                groups.append((i, about[i][0], score))
        if len(rows) < k:
            return groups, True
        if len(groups) >= need and (order != "score" or rows[-1][1] > groups[need - 1][2]):
            return groups[:need], False
        if len(groups) >= need:  # rows left out tie with the last group wanted: rank them in dataset order
            order = f"score, (SELECT s.position {of_doc}), (SELECT d.doc_id {of_doc}), rowid"
        else:
            k *= 4


def _count(db: sqlite3.Connection, q: SearchQuery, terms: list[Term]) -> int:
    """How many groups match: the matching rows, less the second and later rows of each group of copies
    (only the rows of documents that have copies are looked up)."""
    flt, args = _doc_filter(q)
    return db.execute(
        "WITH c AS MATERIALIZED (SELECT dn, grp FROM docs WHERE grp IN (SELECT grp FROM docs GROUP BY grp "
        "HAVING count(*) > 1)) SELECT count(*) - count(c.dn) + count(DISTINCT CASE WHEN c.dn IS NOT NULL THEN "
        "c.grp || char(31) || (SELECT hkey FROM hits WHERE id = search.rowid) END) "
        f"FROM search LEFT JOIN c ON c.dn = search.rowid >> {HIT_BITS} WHERE search MATCH ?{flt}",
        [base_expression(terms, q.exact), *args]).fetchone()[0]


def find(out: Path, q: SearchQuery, db: sqlite3.Connection | None = None) -> Results:
    """Ranked hits for `q` in OUT/corpus.sqlite (`limit` of them from `offset`), and how many in all."""
    terms = parse_query(q.text, q.exact)
    if not terms:
        return Results([], 0)
    own = db is None
    db = db or open_corpus(out)
    try:
        need = max(1, q.limit) + max(0, q.offset)
        groups, every = _ranked(db, q, terms, need)
        total = len(groups) if every else _count(db, q, terms)
        hits = [_hit(db, hit_id, group, -score, terms, q.exact) for hit_id, group, score in groups[max(0, q.offset):need]]
    except sqlite3.Error as exc:
        raise _failed(out / CORPUS, exc) from exc
    finally:
        if own:
            db.close()
    return Results(hits, total)


def search(out: Path, q: SearchQuery) -> list[Hit]:
    """Ranked hits for `q` in OUT/corpus.sqlite."""
    return find(out, q).hits


def _hit(db: sqlite3.Connection, hit_id: int, group: str, score: float, terms: list[Term], exact: bool) -> Hit:
    kind, doc_id, file, ref, date, issuer, type_, sid, number, page, year_from, title, body = db.execute(
        "SELECT h.kind, h.doc_id, d.file, d.reference, d.date, d.issuer, d.type, h.section_id, h.number, h.page, "
        "CASE WHEN d.year IS NULL THEN d.year_from END, search.title, search.body "
        "FROM hits h JOIN docs d ON d.doc_id = h.doc_id JOIN search ON search.rowid = h.id WHERE h.id = ?",
        (hit_id,)).fetchone()
    grp, hkey = group.split("\x1f", 1)
    copies = [Copy(doc_id, file, page)]
    if grp != doc_id:
        copies += [Copy(*r) for r in db.execute(
            "SELECT d.doc_id, d.file, h.page FROM docs d JOIN hits h ON h.doc_id = d.doc_id AND h.hkey = ? "
            "JOIN doc_state s ON s.doc_id = d.doc_id WHERE d.grp = ? AND d.doc_id != ? "
            "GROUP BY d.doc_id ORDER BY s.position, d.doc_id", (hkey, grp, doc_id))]
    text, marks = snippet(body, terms, exact)
    in_title = snippet(title, terms, exact)
    if len({m.lower() for m in in_title[1]}) > len({m.lower() for m in marks}):  # the match is in the title
        text, marks = in_title
    return Hit(kind, doc_id, file, ref, date, issuer, type_, sid, number, title, text, score, marks, page,
               year_from, copies)


FACETS = ("type", "issuer", "year", "signer", "status")


def facets(out: Path, q: SearchQuery, db: sqlite3.Connection, top: int = 8) -> dict[str, list[tuple[object, int]]]:
    """Per facet (type, issuer, year, signer, status): its most frequent values among the documents that
    match `q` (all documents for an empty query), with their document counts."""
    terms = parse_query(q.text, q.exact)
    if terms:  # the documents of the matching rows (no ranking needed), by number
        flt, margs = _doc_filter(q)
        docs = (f"SELECT d.type, d.issuer, d.year, d.year_alt, d.signer, d.status FROM (SELECT DISTINCT search.rowid >> {HIT_BITS} AS dn FROM search "
                f"WHERE search MATCH ?{flt}) md JOIN docs d ON d.dn = md.dn")
        margs = [base_expression(terms, q.exact), *margs]
    else:
        where, margs = _filters(q)
        docs = f"SELECT d.type, d.issuer, d.year, d.year_alt, d.signer, d.status FROM docs d WHERE 1{where}"
    parts = [f"SELECT '{name}', {'coalesce(year, year_alt)' if name == 'year' else name}, count(*) FROM md GROUP BY 2"
             for name in FACETS]
    out_: dict[str, list[tuple[object, int]]] = {name: [] for name in FACETS}
    try:
        rows = db.execute(f"WITH md AS MATERIALIZED ({docs}) " + " UNION ALL ".join(parts), margs).fetchall()
    except sqlite3.Error as exc:
        raise _failed(out / CORPUS, exc) from exc
    for name, value, count in rows:
        if value is not None and value != "":
            out_[name].append((value, count))
    for name in FACETS:
        out_[name] = sorted(out_[name], key=lambda vc: (-vc[1], str(vc[0])))[:top]
    return out_


def format_hit(rank: int, hit: Hit) -> str:
    """Two or three lines for the terminal."""
    head = " · ".join(x for x in (hit.reference or hit.doc_id, hit.date or year_note(hit), hit.type, hit.issuer,
                                  place_of(hit)) if x)
    lines = [f"{rank}. {head}: {hit.title}".rstrip(": ")]
    if hit.snippet and hit.snippet != hit.title:
        lines.append(f"   {hit.snippet}")
    for c in hit.group or [Copy(hit.doc_id, hit.file, hit.page)]:
        lines.append(f"   {c.file}" + (f" (trang {c.page})" if c.page else ""))
    return "\n".join(lines)


def place_of(hit: Hit) -> str:
    """Where in the document the match is: "mục 3.1", "hoạt động 5", "phần ký", "văn bản"."""
    return {"section": f"mục {hit.number}", "activity": f"hoạt động {hit.number or ''}".strip(),
            "closing": "phần ký, nơi nhận", "document": "văn bản"}[hit.kind]


def year_note(hit: Hit) -> str | None:
    """For a hit the year filter took from elsewhere than its (unread) date: where the year came from."""
    where = {"symbol": "số ký hiệu", "attachment": "ngày của phụ lục", "subject": "trích yếu"}
    return f"ngày không đọc được; năm theo {where[hit.year_from]}" if hit.year_from in where else None


def count_line(shown: int, offset: int, total: int) -> str:
    """ "1–20 of 57 hits", "3 of 3 hits"."""
    if total <= shown and offset == 0:
        return f"{total} of {total} hits"
    return f"{offset + 1}–{offset + shown} of {total} hits" if shown else f"0 of {total} hits"
