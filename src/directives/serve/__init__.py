"""`directives serve`: the corpus of an output folder in the browser, served by Datasette.

`make_datasette` opens OUT/corpus.sqlite immutable (read-only; the server shows the corpus as it was
when it started: restart it after a run into the same folder), with Datasette's SQL time limit and
no database download, and registers the in-process plug-in (`serve/plugin.py`): the search home page,
the document pages, the original files, and the guard that refuses writes and path traversal.
`listen` binds the socket (127.0.0.1 unless told otherwise) and `run` serves on it with uvicorn, as
`datasette serve` does.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from directives.index import CORPUS
from directives.search import open_corpus
from directives.serve.archive import Archive, Refused
from directives.writers import dataset_names


@contextmanager
def _unimportable(name: str) -> Iterator[None]:
    """NAME raises ImportError meanwhile, unless it is imported already."""
    if name in sys.modules:
        yield
        return
    sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get(name, 0) is None:
            del sys.modules[name]


# Datasette's vendored pint probes for dask, which the `dask` extra installs: importing it would be a
# fifth of the server's start-up, for unit conversions of dask arrays that Datasette never makes
with _unimportable("dask"):
    from datasette.app import Datasette
    from datasette.plugins import pm

    from directives.serve import plugin

# tables of the index's own machinery: reachable by URL and SQL, left out of the listings
HIDDEN = ("hits", "search", "doc_state", "doc_rows", "xlsx_rows", "exported", "state")


def metadata(out: Path, root: Path) -> dict:
    tables: dict[str, dict] = {name: {"hidden": True} for name in HIDDEN}
    tables["docs"] = {"description": "One row per document: what the search shows and filters on.",
                      "facets": ["type", "issuer", "year", "signer", "status"], "sort_desc": "date", "label_column": "reference"}
    for name in dataset_names():
        tables[f"ds_{name}"] = {"description": f"The {name} dataset ({name}.csv), its rows in CSV order."}
    return {"title": "directives · kho văn bản", "description": f"The corpus of {out}",
            "databases": {plugin.DATABASE: {"tables": tables}},
            "plugins": {plugin.NAME: {"out": str(out), "root": str(root)}}}


def make_datasette(out: Path, root: Path | None = None, sql_seconds: float = 2.0) -> Datasette:
    """Datasette over OUT (not yet serving); DirectivesError when OUT holds no usable corpus."""
    open_corpus(out).close()
    out = out.resolve()
    if pm.get_plugin(plugin.NAME) is None:
        pm.register(plugin, name=plugin.NAME)
    settings = {"sql_time_limit_ms": max(1, round(sql_seconds * 1000)), "allow_download": False,
                "max_returned_rows": 1000, "suggest_facets": False}
    return Datasette(immutables=[str(out / CORPUS)], metadata=metadata(out, (root or Path.cwd()).resolve()),
                     settings=settings)


def listen(host: str = "127.0.0.1", port: int = 8001) -> socket.socket:
    """A listening socket on HOST:PORT (0: a free port); OSError when it cannot bind."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)  # requests made before uvicorn starts wait in the backlog
    except OSError:
        sock.close()
        raise
    return sock


def run(ds: Datasette, sock: socket.socket) -> None:
    """Serve DS on SOCK until interrupted (uvicorn, one process, as `datasette serve`)."""
    import datasette.handle_exception
    import uvicorn

    # Datasette 0.65 prints every client error (a 404, a refused SQL statement) as a traceback with its
    # locals; the terminal keeps tracebacks for faults of the server (still printed by Datasette)
    datasette.handle_exception.rich = None
    config = uvicorn.Config(ds.app(), log_level="warning", access_log=False, lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


__all__ = ["Archive", "Refused", "listen", "make_datasette", "run"]
