"""The Datasette plug-in of `directives serve`, registered in-process (`serve.make_datasette`), not as a
package of its own.

Routes it adds before Datasette's own: `/` (search box, hits, facets), `/api/search?q=…` (JSON),
`/doc/<doc_id>` (header, closing, sections, activities, warnings, entities), `/doc/<doc_id>.json`,
`/file/<doc_id>/<name>` (the original file) and `/static/style.css`. Datasette serves the rest: the
tables at `/corpus/<table>` (filters, facets, JSON and CSV), read-only SQL at `/corpus?sql=…`.

Its ASGI wrapper refuses, before any route runs, every method but GET and HEAD (405: no write
endpoint can exist, whatever Datasette or a plug-in offers) and any path with a `.` or `..` segment,
plain or percent-encoded, or an encoded slash, backslash or NUL (400).
"""

from __future__ import annotations

import json
import mimetypes
import sqlite3
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import asdict
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from datasette import hookimpl
from datasette.app import Datasette
from datasette.utils.asgi import Request, Response, asgi_send_file

from directives.errors import DirectivesError
from directives.search import FACETS, SearchQuery, _filters, facets, find
from directives.serve import pages
from directives.serve.archive import DOC_ID, Archive, Refused

NAME = "directives"
DATABASE = pages.DATABASE
READ_METHODS = ("GET", "HEAD")
JSON_TYPE = "application/json; charset=utf-8"

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


def archive_of(datasette: Datasette) -> Archive | None:
    config = datasette.plugin_config(NAME) or {}
    return Archive(Path(config["out"]), Path(config["root"])) if "out" in config else None


def refusal(method: str, raw_path: bytes) -> tuple[HTTPStatus, str] | None:
    """Why a request is refused before routing, or None."""
    if method not in READ_METHODS:
        return HTTPStatus.METHOD_NOT_ALLOWED, "read-only: only GET and HEAD are served"
    path = raw_path.partition(b"?")[0].decode("latin-1")
    for part in path.split("/"):
        plain = unquote(part)
        if plain in (".", "..") or any(c in plain for c in "/\\\0"):
            return HTTPStatus.BAD_REQUEST, "path segments '..', '.' and encoded slashes are refused"
    return None


def error_page(status: HTTPStatus, reason: str) -> Response:
    return Response.html(pages.page("directives", f'<p class="error">{pages.e(reason)}</p>'), status=status)


def params_of(request: Request) -> dict[str, str]:
    """The query's parameters, the last value of each."""
    return {k: request.args.getlist(k)[-1] for k in request.args}


def search_query(params: dict[str, str]) -> SearchQuery:
    year = params.get("year", "")
    return SearchQuery(params.get("q", ""), type=params.get("type") or None, issuer=params.get("issuer") or None,
                       year=int(year) if year.isdigit() else None, limit=20, exact=params.get("exact") == "1",
                       signer=params.get("signer") or None, status=params.get("status") or None,
                       offset=int(params["offset"]) if params.get("offset", "").isdigit() else 0)


def latest_docs(db: sqlite3.Connection, q: SearchQuery) -> list[dict]:
    """The 50 newest documents that pass the query's filters: the home page without a query."""
    where, args = _filters(q)
    cur = db.execute(f"SELECT d.doc_id, d.reference, d.date, d.type, d.issuer, d.subject FROM docs d WHERE 1{where} "
                     "ORDER BY d.date IS NULL, d.date DESC, d.doc_id LIMIT 50", args)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur]


async def _in_corpus(datasette: Datasette, fn: Callable[[sqlite3.Connection], Any]) -> Any:
    """fn run on a connection of Datasette's (immutable) corpus database."""
    return await datasette.get_database(DATABASE).execute_fn(fn)


async def home(datasette: Datasette, request: Request) -> Response:
    archive, params = archive_of(datasette), params_of(request)
    assert archive is not None  # the routes exist only when it is configured
    q = search_query(params)

    def answer(db: sqlite3.Connection) -> tuple[Any, dict, list[dict]]:
        found = find(archive.out, q, db) if q.text.strip() else None
        return found, facets(archive.out, q, db), [] if found else latest_docs(db, q)

    try:
        found, counts, latest = await _in_corpus(datasette, answer)
    except DirectivesError as exc:
        return error_page(HTTPStatus.SERVICE_UNAVAILABLE, exc.reason)
    return Response.html(pages.home(params, found.hits if found else [], found.total if found else 0, q.offset,
                                    counts, latest))


async def api_search(datasette: Datasette, request: Request) -> Response:
    archive = archive_of(datasette)
    assert archive is not None
    q = search_query(params_of(request))
    try:
        found, counts = await _in_corpus(datasette, lambda db: (find(archive.out, q, db), facets(archive.out, q, db)))
    except DirectivesError as exc:
        return Response(json.dumps({"error": exc.reason}), HTTPStatus.SERVICE_UNAVAILABLE, content_type=JSON_TYPE)
    body = {"query": asdict(q), "total": found.total, "hits": [asdict(h) for h in found.hits],
            "facets": {k: [[v, n] for v, n in counts[k]] for k in FACETS}}
    return Response(json.dumps(body, ensure_ascii=False), content_type=JSON_TYPE)


async def document(datasette: Datasette, request: Request) -> Response:
    archive, doc_id = archive_of(datasette), request.url_vars["doc_id"]
    assert archive is not None
    try:
        doc = archive.document(doc_id)
    except Refused as exc:
        return error_page(exc.status, exc.reason)
    counts = await _in_corpus(datasette, lambda db: db.execute(
        "SELECT dataset, nrows FROM doc_rows WHERE doc_id = ? AND nrows > 0", (doc_id,)).fetchall())
    return Response.html(pages.document(doc, [(n, c) for n, c in counts]))


async def document_json(datasette: Datasette, request: Request) -> Response:
    archive = archive_of(datasette)
    assert archive is not None
    try:
        body = archive.json_path(request.url_vars["doc_id"]).read_bytes()
    except Refused as exc:
        return error_page(exc.status, exc.reason)
    return Response(body, content_type=JSON_TYPE)


async def original(datasette: Datasette, request: Request, send: Callable[[Any], Awaitable[None]]) -> Response | None:
    archive = archive_of(datasette)
    assert archive is not None
    try:
        path = archive.source_file(request.url_vars["doc_id"])
    except Refused as exc:
        return error_page(exc.status, exc.reason)
    await asgi_send_file(send, path, content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                         chunk_size=1 << 16)
    return None


def style() -> Response:
    css = resources.files(__package__).joinpath("static/style.css").read_text(encoding="utf-8")
    return Response(css, content_type="text/css; charset=utf-8")


@hookimpl
def register_routes(datasette: Datasette) -> list[tuple[str, Callable[..., Any]]]:
    if archive_of(datasette) is None:
        return []
    return [(r"^/$", home), (r"^/api/search$", api_search), (rf"^/doc/(?P<doc_id>{DOC_ID})$", document),
            (rf"^/doc/(?P<doc_id>{DOC_ID})\.json$", document_json),
            (rf"^/file/(?P<doc_id>{DOC_ID})/[^/]+$", original), (r"^/static/style\.css$", style)]


@hookimpl
def asgi_wrapper(datasette: Datasette) -> Callable[[ASGIApp], ASGIApp]:
    def wrap(app: ASGIApp) -> ASGIApp:
        async def guarded(scope: Scope, receive: Callable[[], Awaitable[Any]],
                          send: Callable[[Any], Awaitable[None]]) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return

            async def send_nosniff(message: Any) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", []),
                                                      (b"x-content-type-options", b"nosniff")]}
                await send(message)

            raw = scope.get("raw_path") or scope["path"].encode("utf-8")
            why = refusal(scope["method"], raw)
            if why:
                status, reason = why
                headers = {"Allow": ", ".join(READ_METHODS)} if status == HTTPStatus.METHOD_NOT_ALLOWED else {}
                await Response.text(reason + "\n", status=status, headers=headers).asgi_send(send_nosniff)
                return
            await app(scope, receive, send_nosniff)

        return guarded

    return wrap
