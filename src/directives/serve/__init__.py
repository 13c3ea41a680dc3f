"""`directives serve`: the corpus of an output folder in the browser (standard library HTTP server).

Pages: `/` (search box, hits, facets), `/doc/<doc_id>` (header, closing, sections, activities,
warnings, entities), `/doc/<doc_id>.json`, `/ds/<dataset>?doc_id=…` (rows; `&format=json|csv`),
`/datasets`, `/sql?sql=…` (read-only SQL), `/api/search?q=…` (JSON) and `/file/<doc_id>/<name>`
(the original file). Everything is served from this package: no external assets.

Safety: the corpus and manifest are opened read-only (`mode=ro`, `query_only`: a batch may grow the
folder while it is served, which `immutable` would not allow); any method but GET/HEAD is refused;
SQL passes an authorizer that admits reading only (no ATTACH, PRAGMA or writes) and is stopped after
`sql_seconds`; a file is served only when the manifest records it for that document and it still
lies, resolved, in the folder it was processed from; it binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import csv
import io
import json
import mimetypes
import os
import re
import sqlite3
import time
from dataclasses import asdict, dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from directives.errors import DirectivesError
from directives.index import CORPUS, dataset_columns, dataset_names, ds_table
from directives.search import FACETS, SearchQuery, _filters, facets, find, open_corpus
from directives.serve import pages

MANIFEST = "manifest.sqlite"
DOC_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
MAX_ROWS = 1000
_READ_ONLY_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                      getattr(sqlite3, "SQLITE_RECURSIVE", 33)}


class Refused(Exception):
    def __init__(self, status: HTTPStatus, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Archive:
    """What is served: an output folder, and the folder relative input paths are resolved from."""

    out: Path
    root: Path
    sql_seconds: float = 2.0

    def corpus(self) -> sqlite3.Connection:
        db = open_corpus(self.out)
        db.execute("PRAGMA query_only = ON")
        return db

    def read_only_sql(self, sql: str) -> tuple[list[str], list[tuple[object, ...]], bool]:
        """Columns, up to MAX_ROWS rows, and whether there were more; DirectivesError when refused,
        wrong or too slow."""
        db = self.corpus()
        deadline = time.monotonic() + self.sql_seconds
        db.set_authorizer(lambda action, *_: sqlite3.SQLITE_OK if action in _READ_ONLY_ACTIONS
                          else sqlite3.SQLITE_DENY)
        db.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            cur = db.execute(sql)
            rows = cur.fetchmany(MAX_ROWS + 1)
            return [c[0] for c in cur.description or ()], rows[:MAX_ROWS], len(rows) > MAX_ROWS
        except sqlite3.Error as exc:
            if time.monotonic() > deadline:
                raise DirectivesError(f"the query ran longer than {self.sql_seconds:g} s and was stopped") from exc
            raise DirectivesError(f"SQL error: {exc}") from exc
        finally:
            db.close()

    def source_file(self, doc_id: str) -> Path:
        """The original file of a document, when it may be served (see the module docstring)."""
        path = self.out / MANIFEST
        if not path.is_file():
            raise Refused(HTTPStatus.NOT_FOUND, "no manifest in the output folder")
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            recorded = [os.fsdecode(bytes(p)) for (p,) in db.execute(
                "SELECT path FROM files WHERE doc_id = ? ORDER BY path", (doc_id,))]
        finally:
            db.close()
        for name in recorded:
            given = Path(name) if Path(name).is_absolute() else self.root / name
            real = given.resolve()
            if real.is_file() and real.parent == given.parent.resolve():
                return real
        raise Refused(HTTPStatus.NOT_FOUND, "no processed file of that document is available")


def _doc(archive: Archive, doc_id: str) -> dict:
    if not DOC_ID.match(doc_id):
        raise Refused(HTTPStatus.NOT_FOUND, "no such document")
    path = archive.out / "json" / f"{doc_id}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Refused(HTTPStatus.NOT_FOUND, "no such document") from None
    except (OSError, ValueError) as exc:
        raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"{path.name} could not be read: {exc}") from None


def _query(params: dict[str, str]) -> SearchQuery:
    year = params.get("year", "")
    return SearchQuery(params.get("q", ""), type=params.get("type") or None, issuer=params.get("issuer") or None,
                       year=int(year) if year.isdigit() else None, limit=20, exact=params.get("exact") == "1",
                       signer=params.get("signer") or None, status=params.get("status") or None,
                       offset=int(params["offset"]) if params.get("offset", "").isdigit() else 0)


def _latest(db: sqlite3.Connection, q: SearchQuery) -> list[dict]:
    where, args = _filters(q)
    cur = db.execute(f"SELECT d.doc_id, d.reference, d.date, d.type, d.issuer, d.subject FROM docs d WHERE 1{where} "
                     "ORDER BY d.date IS NULL, d.date DESC, d.doc_id LIMIT 50", args)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur]


class Handler(BaseHTTPRequestHandler):
    archive: Archive  # set on the subclass made by `make_server`
    server_version = "directives-serve"
    quiet = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        if not self.quiet:
            super().log_message(format, *args)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(head=True)

    def _refuse_write(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"read-only: only GET and HEAD are served\n",
                   "text/plain; charset=utf-8", extra={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = _refuse_write  # noqa: N815

    def _answer(self, head: bool) -> None:
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        parts = [unquote(p) for p in url.path.split("/")[1:]]
        try:
            if any(p in ("..", ".") or "/" in p or "\\" in p or "\0" in p for p in parts):
                raise Refused(HTTPStatus.BAD_REQUEST, "path segments '..', '.' and encoded slashes are refused")
            status, body, kind = self._route(parts, params)
        except Refused as exc:
            status, body, kind = exc.status, pages.page("directives", f'<p class="error">{pages.e(exc.reason)}</p>'), "html"
        except DirectivesError as exc:
            status, body, kind = HTTPStatus.SERVICE_UNAVAILABLE, pages.page(
                "directives", f'<p class="error">{pages.e(exc.reason)}</p>'), "html"
        if isinstance(body, Path):
            self._send_file(body, head)
            return
        types = {"html": "text/html; charset=utf-8", "json": "application/json; charset=utf-8",
                 "csv": "text/csv; charset=utf-8", "css": "text/css; charset=utf-8"}
        self._send(status, body.encode("utf-8") if isinstance(body, str) else body, types[kind], head=head)

    def _send(self, status: HTTPStatus, data: bytes, ctype: str, head: bool = False,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _send_file(self, path: Path, head: bool) -> None:
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(size))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                while chunk := fh.read(1 << 16):
                    self.wfile.write(chunk)

    def _route(self, parts: list[str], params: dict[str, str]) -> tuple[HTTPStatus, str | bytes | Path, str]:
        a = self.archive
        match parts:
            case [""]:
                return HTTPStatus.OK, self._home(params), "html"
            case ["api", "search"]:
                return HTTPStatus.OK, self._api_search(params), "json"
            case ["static", "style.css"]:
                return HTTPStatus.OK, resources.files(__package__).joinpath("static/style.css").read_bytes(), "css"
            case ["doc", name] if name.endswith(".json"):
                _doc(a, name[:-5])
                return HTTPStatus.OK, (a.out / "json" / name).read_bytes(), "json"
            case ["doc", doc_id]:
                doc = _doc(a, doc_id)
                db = a.corpus()
                try:
                    counts = [(n, c) for n, c in db.execute(
                        "SELECT dataset, nrows FROM doc_rows WHERE doc_id = ? AND nrows > 0", (doc_id,))]
                finally:
                    db.close()
                return HTTPStatus.OK, pages.document(doc, counts), "html"
            case ["file", doc_id, _name]:
                if not DOC_ID.match(doc_id):
                    raise Refused(HTTPStatus.NOT_FOUND, "no such document")
                return HTTPStatus.OK, a.source_file(doc_id), "file"
            case ["datasets"]:
                return HTTPStatus.OK, self._datasets(), "html"
            case ["ds", name] if name in dataset_names():
                return self._dataset(name, params)
            case ["sql"]:
                return self._sql(params)
        raise Refused(HTTPStatus.NOT_FOUND, "no such page")

    def _home(self, params: dict[str, str]) -> str:
        q = _query(params)
        db = self.archive.corpus()
        try:
            found = find(self.archive.out, q, db) if q.text.strip() else None
            counts = facets(self.archive.out, q, db)
            latest = [] if found else _latest(db, q)
        finally:
            db.close()
        return pages.home(params, found.hits if found else [], found.total if found else 0, q.offset, counts, latest)

    def _api_search(self, params: dict[str, str]) -> str:
        q = _query(params)
        db = self.archive.corpus()
        try:
            found = find(self.archive.out, q, db)
            counts = facets(self.archive.out, q, db)
        finally:
            db.close()
        return json.dumps({"query": asdict(q), "total": found.total, "hits": [asdict(h) for h in found.hits],
                           "facets": {k: [[v, n] for v, n in counts[k]] for k in FACETS}}, ensure_ascii=False)

    def _datasets(self) -> str:
        db = self.archive.corpus()
        try:
            rows = [(n, db.execute(f"SELECT count(*) FROM {ds_table(n)}").fetchone()[0]) for n in dataset_names()]
        finally:
            db.close()
        links = "".join(f'<li><a href="/ds/{n}">{n}</a> ({c} dòng)</li>' for n, c in rows)
        return pages.page("Bộ dữ liệu · directives", f"<h1>Bộ dữ liệu</h1><ul>{links}</ul>")

    def _dataset(self, name: str, params: dict[str, str]) -> tuple[HTTPStatus, str, str]:
        columns = dataset_columns(name)
        doc_id = params.get("doc_id")
        db = self.archive.corpus()
        try:
            if doc_id and name != "errors":
                rows = db.execute(f"SELECT * FROM {ds_table(name)} WHERE doc_id = ? ORDER BY rowid LIMIT ?",
                                  (doc_id, MAX_ROWS)).fetchall()
            else:
                rows = db.execute(f"SELECT * FROM {ds_table(name)} ORDER BY rowid LIMIT ?", (MAX_ROWS,)).fetchall()
        finally:
            db.close()
        fmt = params.get("format")
        if fmt == "json":
            return HTTPStatus.OK, json.dumps([dict(zip(columns, r, strict=True)) for r in rows], ensure_ascii=False), "json"
        if fmt == "csv":
            buf = io.StringIO()
            csv.writer(buf).writerows([columns, *rows])
            return HTTPStatus.OK, buf.getvalue(), "csv"
        base = f"/ds/{name}" + (f"?doc_id={doc_id}&" if doc_id else "?")
        links = (f'<a href="{pages.e(base)}format=json">JSON</a> · <a href="{pages.e(base)}format=csv">CSV</a>'
                 + (f' · <a href="/doc/{pages.e(doc_id)}">văn bản</a>' if doc_id else ""))
        note = f"{len(rows)} dòng" + (f" (tối đa {MAX_ROWS})" if len(rows) == MAX_ROWS else "")
        return HTTPStatus.OK, pages.rows_page(f"{name}" + (f" · {doc_id}" if doc_id else ""), columns, rows,
                                              links, note), "html"

    def _sql(self, params: dict[str, str]) -> tuple[HTTPStatus, str, str]:
        sql = params.get("sql", "").strip()
        columns: list[str] = []
        rows: list[tuple[object, ...]] = []
        more, error, status = False, None, HTTPStatus.OK
        if sql:
            try:
                columns, rows, more = self.archive.read_only_sql(sql)
            except DirectivesError as exc:
                error, status = exc.reason, HTTPStatus.BAD_REQUEST
        if params.get("format") == "json":
            body: dict[str, object] = {"error": error} if error else {"columns": columns, "rows": rows, "truncated": more}
            return status, json.dumps(body, ensure_ascii=False, default=str), "json"
        note = f"{len(rows)} dòng" + (f" (dừng ở {MAX_ROWS})" if more else "")
        return status, pages.sql_page(sql, columns, rows, error, note), "html"


def make_server(out: Path, host: str = "127.0.0.1", port: int = 8001, root: Path | None = None,
                sql_seconds: float = 2.0) -> ThreadingHTTPServer:
    """A server for OUT (not yet serving); DirectivesError when OUT holds no usable corpus."""
    open_corpus(out).close()
    archive = Archive(out.resolve(), (root or Path.cwd()).resolve(), sql_seconds)
    handler = type("ArchiveHandler", (Handler,), {"archive": archive})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


__all__ = ["CORPUS", "Archive", "make_server"]
