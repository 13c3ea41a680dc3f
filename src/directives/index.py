"""The corpus database OUT/corpus.sqlite: the datasets as tables, and an FTS5 full-text index.

Built by every run from all the JSON outputs of the folder, into a temporary file renamed over the
old one when complete (a reader never sees half a database). It holds:

- one table per dataset (`ds_documents`, `ds_sections`, … `ds_errors`), rows and columns exactly as
  in the CSVs, typed (integers stay integers); the CSV, XLSX and Parquet exports are written from
  these tables;
- `docs`: per document the fields a search shows and filters on (reference, date, year, issuer,
  type, and their folded forms);
- `search` (FTS5) with `hits` beside it (same rowid): one row per document (subject; issuer, type,
  reference, recipients and the text outside sections), per section (title; paragraphs and bullets)
  and per activity (name; time); a document's row also holds its signer and, for a signed file, the
  signers and organizations of its signatures. Each text is stored as printed (`title`, `body`: snippets) and
  indexed twice: with its marks (`title_x`, `body_x`: exact search; lower case, tone placement
  unified: hoà = hòa) and folded (`title_f`, `body_f`: no tone or vowel marks, "đ" → "d", lower
  case: accent-insensitive search). `seg_f` holds the folded word-segmented text of a section
  ("thanh_nien tinh_nguyen") when the NLP stage provides one; a query whose adjacent words form such
  a word ranks those sections higher.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from directives.schemas import Directive, ErrorRecord, Section
from directives.vntext import exact_key, search_key
from directives.writers import DATASETS, ERRORS_COLUMNS, cell

CORPUS = "corpus.sqlite"
WORD = re.compile(r"\w+")
# unicode61 keeps "_" inside tokens: segmented words ("thanh_nien") are single tokens
_TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '_'"


def dataset_names() -> list[str]:
    return [ds.name for ds in DATASETS] + ["errors"]


def dataset_columns(name: str) -> tuple[str, ...]:
    if name == "errors":
        return ERRORS_COLUMNS
    return next(ds.columns for ds in DATASETS if ds.name == name)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_value(value: object) -> object:
    """A dataset value as stored: integers and floats as such, null as NULL, the rest as its CSV cell."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    return cell(value)


def exact_words(text: str) -> str:
    """`text` for exact search, word by word: marks kept, tone placement unified, lower case."""
    return " ".join(exact_key(w) for w in WORD.findall(text))


def fold_words(text: str) -> str:
    """The accent-insensitive form of `text`, word by word (so that words stay aligned)."""
    return " ".join(search_key(w) for w in WORD.findall(text))


def segmented(section: Section) -> str | None:
    """The section's word-segmented text from the NLP stage (a `segmented` string, or `tokens`, a
    list of words), each multi-syllable word joined by "_"; None when the stage has not run."""
    for name in ("segmented", "tokens"):
        value = getattr(section, name, None)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, list) and value:
            return " ".join("_".join(str(t).split()) for t in value)
    return None


def _fold_segmented(text: str) -> str:
    return " ".join("_".join(search_key(p) for p in tok.split("_")) for tok in WORD.findall(text))


_SCHEMA = f"""
CREATE TABLE docs (doc_id TEXT PRIMARY KEY, file TEXT, reference TEXT, date TEXT, year INTEGER,
                   issuer TEXT, type TEXT, subject TEXT, issuer_f TEXT, type_f TEXT);
CREATE TABLE hits (id INTEGER PRIMARY KEY, kind TEXT, doc_id TEXT, section_id TEXT, number TEXT,
                   part INTEGER);
CREATE VIRTUAL TABLE search USING fts5(title UNINDEXED, body UNINDEXED, title_x, body_x, title_f, body_f, seg_f,
                                      tokenize="{_TOKENIZER}");
"""


class CorpusBuilder:
    """Fills a new corpus database; `close()` commits it."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(path)
        self._db.execute("PRAGMA journal_mode=OFF")  # a fresh temporary file: nothing to roll back to
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.executescript(_SCHEMA)
        for name in dataset_names():
            cols = ", ".join(_quote(c) for c in dataset_columns(name))
            self._db.execute(f"CREATE TABLE {_quote('ds_' + name)} ({cols})")

    def add(self, d: Directive) -> None:
        for ds in DATASETS:
            rows = [tuple(sql_value(v) for v in row) for row in ds.rows(d)]
            if rows:
                marks = ", ".join("?" * len(ds.columns))
                self._db.executemany(f"INSERT INTO {_quote('ds_' + ds.name)} VALUES ({marks})", rows)
        m = d.metadata
        year = int(m.date[:4]) if m.date else None
        self._db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (d.doc_id, d.source.path, m.reference, m.date, year, m.issuer, m.type, m.subject,
                          search_key(m.issuer or ""), search_key(m.type or "")))
        outside = [p.text for p in d.parts if p.text]
        signed = dict.fromkeys(x for s in d.signatures for x in (s.signer, s.organization) if x)
        head = [m.type, m.issuer, m.reference, *m.recipients, m.signer.name, *signed]
        self._hit("document", d.doc_id, None, None, 0, m.subject or "",
                  "\n".join([" · ".join(x for x in head if x), *outside]), None)
        for s in d.sections:
            body = "\n".join([s.text, *s.bullets]) if s.text else "\n".join(s.bullets)
            self._hit("section", d.doc_id, s.id, s.number, s.part, s.title, body, segmented(s))
        for a in d.activities:
            self._hit("activity", d.doc_id, a.table_id, None if a.no is None else str(a.no), 0, a.name,
                      a.time_text or "", None)

    def _hit(self, kind: str, doc_id: str, section_id: str | None, number: str | None, part: int, title: str,
             body: str, seg: str | None) -> None:
        cur = self._db.execute("INSERT INTO hits (kind, doc_id, section_id, number, part) VALUES (?, ?, ?, ?, ?)",
                               (kind, doc_id, section_id, number, part))
        self._db.execute("INSERT INTO search (rowid, title, body, title_x, body_x, title_f, body_f, seg_f) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (cur.lastrowid, title, body, exact_words(title), exact_words(body), fold_words(title),
                          fold_words(body),
                          _fold_segmented(seg) if seg else ""))

    def add_errors(self, errors: Iterable[ErrorRecord]) -> None:
        self._db.executemany(f"INSERT INTO {_quote('ds_errors')} VALUES (?, ?, ?)",
                             ((e.file, e.code, e.reason) for e in errors))

    def close(self) -> None:
        self._db.execute("INSERT INTO search(search) VALUES ('optimize')")
        self._db.commit()
        self._db.close()


def dataset_rows(db: sqlite3.Connection, name: str) -> Iterable[tuple[object, ...]]:
    """The rows of one dataset in insertion (CSV) order."""
    return db.execute(f"SELECT * FROM {_quote('ds_' + name)} ORDER BY rowid")


def integer_columns(db: sqlite3.Connection, name: str) -> set[str]:
    """Columns of a dataset whose every non-null value is an integer."""
    out = set()
    for col in dataset_columns(name):
        kinds = {k for (k,) in db.execute(f"SELECT DISTINCT typeof({_quote(col)}) FROM {_quote('ds_' + name)}")}
        if kinds and kinds <= {"integer", "null"} and "integer" in kinds:
            out.add(col)
    return out
