"""The corpus database OUT/corpus.sqlite: the datasets as tables, an FTS5 full-text index, and what
the exports are written from.

It is updated per document: a document's rows (datasets, search index, export templates) are
deleted and inserted by doc_id inside a transaction, so a reader (or a run killed at any moment)
sees a document entirely or not at all. It holds:

- one table per dataset (`ds_documents`, `ds_sections`, … `ds_errors`), rows and columns exactly as
  in the CSVs, typed (integers stay integers); a document's rows in CSV order (rowid); documents in
  the order of `doc_state.position`, then doc_id (`dataset_rows` returns them in CSV order);
- `docs`: per document the fields a search shows and filters on (reference, date, year, issuer,
  type, signer, and their folded forms; status; `year_alt`, the year printed elsewhere when the date
  was not read, and `year_from`, where: symbol, attachment or subject; `grp`, the key that groups the
  copies of one directive: folded reference, type, issuer and year), and its number `dn`;
- `search` (FTS5) with `hits` beside it (same rowid: the document's number `dn` shifted left by
  `HIT_BITS`, plus the hit's rank in the document, so that a match names its document without a
  look-up): one row per document (subject; issuer, type,
  reference, recipients and the text outside sections), per section (title; paragraphs and bullets)
  and per activity (name; time), each with the page it starts on and its key within a group of copies
  (`hkey`: unique within the document, the n-th section of a number repeated as "s0|1#2");
  a document's row also holds its file name (letters and digits apart: "qd3176" → "qd 3176"), its signer and, for a
  signed file, the signers and organizations of its signatures; a `closing` row (page: the last of the
  main document) holds the signer's name, title and authority and the "Nơi nhận" items. Each text is stored as printed (`title`, `body`: snippets) and
  indexed twice: with its marks (`title_x`, `body_x`: exact search; lower case, tone placement
  unified: hoà = hòa) and folded (`title_f`, `body_f`: no tone or vowel marks, "đ" → "d", lower
  case: accent-insensitive search). `seg_f` holds the folded word-segmented text of a section
  ("thanh_nien tinh_nguyen") when the NLP stage provides one; a query whose adjacent words form such
  a word ranks those sections higher;
- `doc_state`: per document its position (the bytes of the first input path that produced it: the
  order of documents in every dataset), the JSON file it was read from (size and mtime) and the
  generation it was indexed at; `doc_rows`: per document and dataset its row count, the kind of
  value in each column (what the Parquet column types follow) and its longest value per column (the
  workbook's column widths); `xlsx_rows`: its rows as XLSX
  templates (`xlsx_rows.row_templates`, else `xlsx.datasets_row_templates`); `exported`: what each export file was last written from; `state`: the
  layout and the generations (counted up by each change of the documents and of the errors).

A database of another layout (the datasets' columns changed) or a damaged one is rebuilt from the
JSON outputs by the batch (`batch/archive.py`).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from directives.schemas import Directive, ErrorRecord
from directives.vntext import exact_key, search_key
from directives.writers import DATASETS, cell, dataset_columns, dataset_names
from directives.xlsx import datasets_row_templates, value_widths
from directives.xlsx_rows import row_templates as fast_templates

CORPUS = "corpus.sqlite"
# a hit's rowid: its document's number << HIT_BITS | its rank in the document (a million hits each)
HIT_BITS = 20
WORD = re.compile(r"\w+")
# unicode61 keeps "_" inside tokens: segmented words ("thanh_nien") are single tokens
_TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '_'"

__all__ = ["CORPUS", "Corpus", "CorpusBuilder", "Layout", "dataset_columns", "dataset_names", "dataset_rows"]


@dataclass(frozen=True)
class Layout:
    """What an export file holds: its documents in order and the size of each one's block (bytes in
    a CSV, rows in a Parquet file; for the workbook, bytes in each dataset's sheet, dataset after
    dataset)."""

    docs: tuple[str, ...]
    extents: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.extents)


def layout_key() -> str:
    """The corpus layout: the tables below and the datasets' columns (a change rebuilds the corpus)."""
    columns = "|".join(f"{n}:{','.join(dataset_columns(n))}" for n in dataset_names())
    return "8:" + hashlib.sha256(columns.encode()).hexdigest()[:16]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ds_table(name: str) -> str:
    return _quote("ds_" + name)


def sql_value(value: object) -> object:
    """A dataset value as stored: integers and floats as such, null as NULL, the rest as its CSV cell."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    return cell(value)


def value_kinds(rows: Sequence[tuple[object, ...]], width: int) -> str:
    """Per column: "s" when a value is neither an integer nor null, else "i" when one is an integer, else "n"."""
    out = []
    for k in range(width):
        seen = {type(r[k]) for r in rows}
        out.append("s" if seen - {int, type(None)} else "i" if int in seen else "n")
    return "".join(out)


def exact_words(text: str) -> str:
    """`text` for exact search, word by word: marks kept, tone placement unified, lower case."""
    return " ".join(exact_key(w) for w in WORD.findall(text))


def fold_words(text: str) -> str:
    """The accent-insensitive form of `text`, word by word (so that words stay aligned)."""
    return " ".join(search_key(w) for w in WORD.findall(text))


def _fold_segmented(text: str) -> str:
    return " ".join("_".join(search_key(p) for p in tok.split("_")) for tok in WORD.findall(text))


_YEAR = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")
_LETTERS_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def file_words(path: str) -> str:
    """A file's name as words to search by: its stem, then letters and digits apart
    ("kiengiang_qd3176_2017.pdf" → "kiengiang_qd3176_2017 kiengiang qd 3176 2017")."""
    stem = Path(path).stem
    words = " ".join(_LETTERS_DIGITS.sub(" ", stem).replace("_", " ").split())
    return stem if words == stem else f"{stem} {words}"


def only_year(text: str | None) -> int | None:
    """The one year (1940–2099) a text names; None when it names none or several."""
    years = {int(y) for y in _YEAR.findall(text or "")}
    return years.pop() if len(years) == 1 else None


def other_year(d: Directive) -> tuple[int | None, str | None]:
    """For a document whose date was not read: the year printed elsewhere, and where (the symbol of
    its reference, an attachment's date, the subject); (None, None) when none or not one."""
    m = d.metadata
    dated = {p.date[:4] for p in d.parts if p.date}
    for year, where in ((only_year(m.reference), "symbol"),
                        (int(dated.pop()) if len(dated) == 1 else None, "attachment"),
                        (only_year(m.subject), "subject")):
        if year:
            return year, where
    return None, None


def group_key(d: Directive, year: int | None) -> str:
    """Copies of one directive (a scan and its born-digital export) share reference, type, issuer and
    year (numbers start again each year); a document without a reference or a year is its own group."""
    m = d.metadata
    if not m.reference or not year:
        return d.doc_id
    return "|".join(search_key(x or "") for x in (m.reference, m.type, m.issuer, str(year)))


def main_pages(d: Directive) -> tuple[int | None, int | None]:
    """The first and last page of the main document (part 0)."""
    pages = next((p.pages for p in d.parts if p.id == 0 and p.pages), None)
    if pages:
        return pages[0], pages[-1]
    return (1, d.source.pages) if d.source.pages else (None, None)


_SCHEMA = f"""
CREATE TABLE docs (doc_id TEXT UNIQUE NOT NULL, file TEXT, reference TEXT, date TEXT, year INTEGER,
                   issuer TEXT, type TEXT, subject TEXT, issuer_f TEXT, type_f TEXT, signer TEXT, status TEXT,
                   year_alt INTEGER, year_from TEXT, grp TEXT, signer_f TEXT, dn INTEGER PRIMARY KEY);
CREATE INDEX docs_grp ON docs (grp);
CREATE TABLE hits (id INTEGER PRIMARY KEY, kind TEXT, doc_id TEXT, section_id TEXT, number TEXT,
                   part INTEGER, page INTEGER, hkey TEXT);
CREATE INDEX hits_doc ON hits (doc_id);
CREATE VIRTUAL TABLE search USING fts5(title UNINDEXED, body UNINDEXED, title_x, body_x, title_f, body_f, seg_f,
                                      tokenize="{_TOKENIZER}");
CREATE TABLE doc_state (doc_id TEXT PRIMARY KEY, position BLOB NOT NULL, stamp TEXT, generation INTEGER);
CREATE INDEX doc_order ON doc_state (position, doc_id);
CREATE TABLE doc_rows (dataset TEXT, doc_id TEXT, nrows INTEGER, kinds TEXT, widths TEXT,
                       PRIMARY KEY (dataset, doc_id));
CREATE INDEX doc_kinds ON doc_rows (dataset, kinds);
CREATE TABLE xlsx_rows (dataset TEXT, doc_id TEXT, xml BLOB, PRIMARY KEY (dataset, doc_id));
CREATE TABLE exported (file TEXT PRIMARY KEY, stamp TEXT, generation TEXT, docs BLOB, extents BLOB);
CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT);
"""


class Corpus:
    """The corpus database, opened for updates (see the module docstring). Raises sqlite3.Error."""

    def __init__(self, path: Path):
        self.path = path
        self._states: dict[str, tuple[bytes, str | None, int]] | None = None
        self._docs: tuple[bytes, tuple[str, ...]] = (b"", ())  # the export layouts' last documents, both forms
        self.db = sqlite3.connect(path, isolation_level=None, timeout=60)
        try:
            self.db.execute("PRAGMA synchronous=NORMAL")  # a lost transaction is redone from the JSON
            if not self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'state'").fetchone():
                self._create()
        except sqlite3.Error:
            self.db.close()
            raise

    def _create(self) -> None:
        with self.db:
            self.db.execute("BEGIN")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            for name in dataset_names():
                cols = ", ".join(_quote(c) for c in dataset_columns(name))
                self.db.execute(f"CREATE TABLE {ds_table(name)} ({cols})")
                if name != "errors":
                    self.db.execute(f"CREATE INDEX {_quote('ds_' + name + '_doc')} ON {ds_table(name)} (doc_id)")
            self.db.executemany("INSERT INTO state VALUES (?, ?)",
                                [("layout", layout_key()), ("docs", "0"), ("errors", "0")])

    def layout(self) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE name = 'layout'").fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.db.close()

    def generation(self, name: str) -> int:
        """How many changes the documents ("docs": content or order) or the errors ("errors") have had."""
        return int(self.db.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()[0])

    def _bump(self, name: str) -> int:
        gen = self.generation(name) + 1
        self.db.execute("UPDATE state SET value = ? WHERE name = ?", (str(gen), name))
        return gen

    def states(self) -> dict[str, tuple[bytes, str | None, int]]:
        """doc_id → (position, stamp of the JSON it was read from, generation it was indexed at). Read
        once, then kept up to date by this object's changes (callers do not change it)."""
        if self._states is None:
            rows = self.db.execute("SELECT doc_id, position, stamp, generation FROM doc_state")
            self._states = {d: (bytes(p), s, g) for d, p, s, g in rows}
        return self._states

    def add(self, docs: Sequence[tuple[Directive, bytes, str | None]]) -> None:
        """(Re)index documents (directive, position, stamp) in one transaction."""
        if not docs:
            return
        rows = [{ds.name: [tuple(sql_value(v) for v in r) for r in ds.rows(d)] for ds in DATASETS} for d, _, _ in docs]
        fast = {ds.name: fast_templates(ds.name, [r[ds.name] for r in rows]) for ds in DATASETS}
        slow = datasets_row_templates({name: [r[name] for r in rows] for name, t in fast.items() if t is None})
        xlsx = {name: slow[name] if t is None else t for name, t in fast.items()}
        states, self._states = self._states, None  # (unknown until the transaction ends)
        with self.db:
            self.db.execute("BEGIN")
            gen = self._bump("docs")
            for k, (d, position, stamp) in enumerate(docs):
                self._delete(d.doc_id)
                self._insert(d, rows[k])
                for ds in DATASETS:
                    self.db.execute("INSERT INTO doc_rows VALUES (?, ?, ?, ?, ?)",
                                    (ds.name, d.doc_id, len(rows[k][ds.name]),
                                     value_kinds(rows[k][ds.name], len(ds.columns)),
                                     ",".join(map(str, value_widths(rows[k][ds.name], len(ds.columns))))))
                    if xlsx[ds.name][k]:
                        self.db.execute("INSERT INTO xlsx_rows VALUES (?, ?, ?)", (ds.name, d.doc_id, xlsx[ds.name][k]))
                self.db.execute("INSERT INTO doc_state VALUES (?, ?, ?, ?)", (d.doc_id, position, stamp, gen))
        if states is not None:
            states.update((d.doc_id, (position, stamp, gen)) for d, position, stamp in docs)
            self._states = states

    def remove(self, doc_ids: Iterable[str]) -> None:
        doc_ids = list(doc_ids)
        states, self._states = self._states, None
        with self.db:
            self.db.execute("BEGIN")
            self._bump("docs")
            for doc_id in doc_ids:
                self._delete(doc_id)
        if states is not None:
            for doc_id in doc_ids:
                states.pop(doc_id, None)
            self._states = states

    def move(self, positions: dict[str, bytes]) -> None:
        """New positions for documents whose first input path changed (their rows stay as they are)."""
        states, self._states = self._states, None
        with self.db:
            self.db.execute("BEGIN")
            self._bump("docs")
            self.db.executemany("UPDATE doc_state SET position = ? WHERE doc_id = ?",
                                [(p, d) for d, p in positions.items()])
        if states is not None:
            states.update((d, (p, *states[d][1:])) for d, p in positions.items() if d in states)
            self._states = states

    def set_errors(self, errors: Sequence[ErrorRecord]) -> bool:
        """Make ds_errors hold `errors` (in this order); whether that changed anything."""
        rows = [(e.file, e.code, e.reason) for e in errors]
        if self.db.execute(f"SELECT * FROM {ds_table('errors')} ORDER BY rowid").fetchall() == rows:
            return False
        with self.db:
            self.db.execute("BEGIN")
            self._bump("errors")
            self.db.execute(f"DELETE FROM {ds_table('errors')}")
            self.db.executemany(f"INSERT INTO {ds_table('errors')} VALUES (?, ?, ?)", rows)
        return True

    def exported(self, file: str) -> tuple[str | None, str | None, Layout | None]:
        """(stamp, generation, layout) an export file was last written with (Nones: never)."""
        row = self.db.execute("SELECT stamp, generation, docs, extents FROM exported WHERE file = ?", (file,)).fetchone()
        if row is None:
            return None, None, None
        stamp, generation, docs, extents = row
        if docs is None:
            return stamp, generation, None
        ids = self._doc_ids(bytes(docs))
        sizes = array("q")
        sizes.frombytes(bytes(extents))
        whole = len(sizes) == len(ids) or (ids and len(sizes) % len(ids) == 0)  # (a workbook: a run per dataset)
        return stamp, generation, Layout(ids, tuple(sizes)) if whole else None

    def _doc_ids(self, data: bytes) -> tuple[str, ...]:
        """An export layout's documents from their stored form (the exports mostly share them: read once)."""
        if data != self._docs[0]:
            self._docs = (data, tuple(data.decode().split("\n")) if data else ())
        return self._docs[1]

    def _doc_bytes(self, docs: tuple[str, ...]) -> bytes:
        if docs != self._docs[1]:
            self._docs = ("\n".join(docs).encode(), docs)
        return self._docs[0]

    def set_exported(self, file: str, stamp: str | None, generation: str, layout: Layout | None) -> None:
        docs = self._doc_bytes(layout.docs) if layout else None
        extents = array("q", layout.extents).tobytes() if layout else None
        self.db.execute("INSERT OR REPLACE INTO exported VALUES (?, ?, ?, ?, ?)", (file, stamp, generation, docs, extents))

    def optimize(self) -> None:
        """Merge the full-text index into one segment (after building a corpus in one go)."""
        self.db.execute("INSERT INTO search(search) VALUES ('optimize')")

    def _delete(self, doc_id: str) -> None:
        self.db.execute("DELETE FROM search WHERE rowid IN (SELECT id FROM hits WHERE doc_id = ?)", (doc_id,))
        self.db.execute("DELETE FROM hits WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM doc_state WHERE doc_id = ?", (doc_id,))
        for ds in DATASETS:
            self.db.execute(f"DELETE FROM {ds_table(ds.name)} WHERE doc_id = ?", (doc_id,))
            self.db.execute("DELETE FROM doc_rows WHERE dataset = ? AND doc_id = ?", (ds.name, doc_id))
            self.db.execute("DELETE FROM xlsx_rows WHERE dataset = ? AND doc_id = ?", (ds.name, doc_id))

    def _insert(self, d: Directive, rows: dict[str, list[tuple[object, ...]]]) -> None:
        for ds in DATASETS:
            if rows[ds.name]:
                marks = ", ".join("?" * len(ds.columns))
                self.db.executemany(f"INSERT INTO {ds_table(ds.name)} VALUES ({marks})", rows[ds.name])
        m = d.metadata
        year = int(m.date[:4]) if m.date else None
        year_alt, year_from = (None, None) if year else other_year(d)
        cur = self.db.execute(
            "INSERT INTO docs (doc_id, file, reference, date, year, issuer, type, subject, issuer_f, type_f, signer, "
            "status, year_alt, year_from, grp, signer_f) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (d.doc_id, d.source.path, m.reference, m.date, year, m.issuer, m.type, m.subject,
             search_key(m.issuer or ""), search_key(m.type or ""), m.signer.name, str(d.status),
             year_alt, year_from, group_key(d, year or year_alt), search_key(m.signer.name or "")))
        assert cur.lastrowid is not None  # an INSERT's row
        hits = _Hits(self.db, cur.lastrowid)
        first, last = main_pages(d)
        outside = [p.text for p in d.parts if p.text]
        signed = dict.fromkeys(x for s in d.signatures for x in (s.signer, s.organization) if x)
        head = [m.type, m.issuer, m.reference, *m.recipients, m.signer.name, *signed, file_words(d.source.path)]
        hits.add("document", d.doc_id, None, None, 0, m.subject or "",
                 "\n".join([" · ".join(x for x in head if x), *outside]), None, first, "d")
        sg = m.signer
        closing = [" ".join(x for x in (sg.authority, sg.on_behalf_of) if x), sg.title, sg.name]
        if any(closing) or m.distribution:
            hits.add("closing", d.doc_id, None, None, 0, " · ".join(x for x in closing if x),
                     "; ".join(m.distribution), None, last, "c")
        for s in d.sections:
            body = "\n".join([s.text, *s.bullets]) if s.text else "\n".join(s.bullets)
            hits.add("section", d.doc_id, s.id, s.number, s.part, s.title, body, s.segmented or None,
                     s.pages[0] if s.pages else None, f"s{s.part}|{s.number}")
        table_page = {t.id: t.pages[0] for t in d.tables if t.pages}
        for a in d.activities:
            hits.add("activity", d.doc_id, a.table_id, None if a.no is None else str(a.no), 0, a.name,
                     a.time_text or "", None, table_page.get(a.table_id), f"a{a.table_id}|{a.row}")


class _Hits:
    """The search rows of one document, numbered from its `dn` (see HIT_BITS)."""

    def __init__(self, db: sqlite3.Connection, dn: int):
        self.db, self.next = db, dn << HIT_BITS
        self.last = self.next + (1 << HIT_BITS) - 1
        self.keys: dict[str, int] = {}

    def add(self, kind: str, doc_id: str, section_id: str | None, number: str | None, part: int, title: str,
            body: str, seg: str | None, page: int | None, hkey: str) -> None:
        if self.next > self.last:  # more than a million sections and activities: the rest are not searchable
            return
        seen = self.keys[hkey] = self.keys.get(hkey, 0) + 1
        if seen > 1:  # "1" under I and "1" under II: two places, two hits (and the n-th of a copy groups with it)
            hkey = f"{hkey}#{seen}"
        rowid, self.next = self.next, self.next + 1
        self.db.execute("INSERT INTO hits (id, kind, doc_id, section_id, number, part, page, hkey) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (rowid, kind, doc_id, section_id, number, part, page, hkey))
        self.db.execute("INSERT INTO search (rowid, title, body, title_x, body_x, title_f, body_f, seg_f) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (rowid, title, body, exact_words(title), exact_words(body), fold_words(title),
                         fold_words(body), _fold_segmented(seg) if seg else ""))


class CorpusBuilder:
    """A new corpus from documents in the order given (for tests and one-off builds); `close()` ends it."""

    def __init__(self, path: Path):
        self.corpus = Corpus(path)
        self._count = 0

    def add(self, d: Directive) -> None:
        self.corpus.add([(d, self._count.to_bytes(8, "big"), None)])
        self._count += 1

    def add_errors(self, errors: Iterable[ErrorRecord]) -> None:
        self.corpus.set_errors(list(errors))

    def close(self) -> None:
        self.corpus.optimize()
        self.corpus.close()


def dataset_rows(db: sqlite3.Connection, name: str) -> Iterable[tuple[object, ...]]:
    """The rows of one dataset in CSV order."""
    if name == "errors":
        return db.execute(f"SELECT * FROM {ds_table(name)} ORDER BY rowid")
    return db.execute(f"SELECT t.* FROM doc_state s CROSS JOIN {ds_table(name)} t ON t.doc_id = s.doc_id "
                      "ORDER BY s.position, s.doc_id, t.rowid")  # CROSS JOIN: documents in order, no sort of all rows


def doc_rows(db: sqlite3.Connection, name: str, doc_id: str) -> list[tuple[object, ...]]:
    """The rows of one document in one dataset, in CSV order."""
    return db.execute(f"SELECT * FROM {ds_table(name)} WHERE doc_id = ? ORDER BY rowid", (doc_id,)).fetchall()


def ordered_docs(db: sqlite3.Connection) -> list[str]:
    """doc_ids in dataset order."""
    return [d for (d,) in db.execute("SELECT doc_id FROM doc_state ORDER BY position, doc_id")]


def value_widths_of(db: sqlite3.Connection, name: str) -> list[int]:
    """Per column of a dataset, its longest value (characters) over every document."""
    width = len(dataset_columns(name))
    if name == "errors":
        return value_widths(db.execute(f"SELECT * FROM {ds_table(name)}"), width)
    out = [0] * width
    for (widths,) in db.execute("SELECT DISTINCT widths FROM doc_rows WHERE dataset = ? AND nrows > 0", (name,)):
        out = [max(a, int(b)) for a, b in zip(out, widths.split(","), strict=True)]
    return out


def integer_columns(db: sqlite3.Connection, name: str) -> set[str]:
    """Columns of a dataset whose every non-null value is an integer (and at least one is)."""
    columns = dataset_columns(name)
    if name == "errors":
        kinds = [value_kinds(db.execute(f"SELECT * FROM {ds_table(name)}").fetchall(), len(columns))]
    else:
        kinds = [k for (k,) in db.execute("SELECT DISTINCT kinds FROM doc_rows WHERE dataset = ?", (name,))]
    return {c for i, c in enumerate(columns)
            if any(k[i] == "i" for k in kinds) and not any(k[i] == "s" for k in kinds)}
