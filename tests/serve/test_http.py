"""`directives serve` as started from the command line (Datasette under uvicorn), over plain HTTP: the
address it binds, requests sent byte for byte (a raw `../` no client would send), HEAD and writes."""

from __future__ import annotations

import http.client
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest


def raw(base: str, path: str, method: str = "GET", body: bytes | None = None) -> http.client.HTTPResponse:
    """The response to a request line sent as is (no client-side normalisation of "..")."""
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request(method, path, body=body)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp


def test_cli_serve_binds_localhost_and_serves(served: str, seed_out: Path) -> None:
    assert urlsplit(served).hostname == "127.0.0.1"
    assert raw(served, "/static/style.css").status == 200
    home = raw(served, "/?q=phan+dinh+nhan")
    assert home.status == 200 and home.headers["content-type"] == "text/html; charset=utf-8"
    doc_id = next((seed_out / "json").glob("*.json")).stem
    head = raw(served, f"/file/{doc_id}/347-CV-TDTN-VP.pdf", "HEAD")
    assert head.status == 200 and head.headers["content-type"] == "application/pdf"
    assert int(head.headers["content-length"]) > 1000


@pytest.mark.parametrize("path", ["/file/../../etc/passwd", "/doc/../manifest.sqlite", "/../corpus.sqlite",
                                  "/-/static/../../../../etc/passwd", "/static/./style.css", "/corpus/..%2fdocs"])
def test_a_dot_dot_path_is_refused(served: str, path: str) -> None:
    assert raw(served, path).status == 400


def test_writes_are_refused_over_http(served: str) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        resp = raw(served, "/corpus", method, b"sql=DELETE+FROM+docs")
        assert resp.status == 405 and resp.headers["allow"] == "GET, HEAD"


def test_cli_serve_without_a_corpus_is_a_clear_error(tmp_path: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "directives.cli", "serve", "--out", str(tmp_path), "--port", "0"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 4 and "no corpus" in res.stderr and "Traceback" not in res.stderr
