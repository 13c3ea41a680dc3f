"""`directives serve` over plain HTTP (urllib, http.client): pages, JSON, files, and what is refused."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from directives.serve import Archive, Refused
from tests.helpers import SEED_PDF

SEED_REF = "347-CV/TĐTN-VP"


def get(url: str, method: str = "GET", data: bytes | None = None) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def raw_status(base: str, path: str) -> int:
    """The status of a request line sent as is (no client-side normalisation of "..")."""
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status


def seed_doc_id(out: Path) -> str:
    return next((out / "json").glob("*.json")).stem


def test_search_page_finds_the_signer_without_accents(base_url: str) -> None:
    status, ctype, body = get(f"{base_url}/?q=phan+dinh+nhan")
    html = body.decode()
    assert status == 200 and ctype.startswith("text/html; charset=utf-8")
    assert re.search(r'id="count">\d+ of \d+ hits<', html)
    first = html.index('class="hit"')
    assert SEED_REF in html[first:first + 600]
    assert "<mark>Phan Đình Nhân</mark>" in html
    # with and without diacritics: the same hits
    assert get(f"{base_url}/?q={quote('Phan Đình Nhân')}")[2].count(b'class="hit"') == html.count('class="hit"')


def test_api_search_carries_page_group_total_and_facets(base_url: str, seed_out: Path) -> None:
    status, ctype, body = get(f"{base_url}/api/search?q=thanh+nien+tinh+nguyen")
    data = json.loads(body)
    assert status == 200 and ctype.startswith("application/json")
    assert data["total"] >= len(data["hits"]) > 0
    hit = data["hits"][0]
    assert hit["reference"] == SEED_REF and hit["page"] >= 1
    assert hit["group"][0] == {"doc_id": seed_doc_id(seed_out), "file": str(SEED_PDF), "page": hit["page"]}
    assert dict(map(tuple, data["facets"]["type"])) == {"Công văn": 1}
    assert [2023, 1] in data["facets"]["year"] and ["Phan Đình Nhân", 1] in data["facets"]["signer"]


def test_facet_filters_narrow_the_hits(base_url: str) -> None:
    assert b"Phan" in get(f"{base_url}/?q=thanh+nien&signer={quote('Phan Đình Nhân')}")[2]
    html = get(f"{base_url}/?q=thanh+nien&year=1999")[2].decode()
    assert 'id="count">0 of 0 hits<' in html


def test_document_page_shows_fields_sections_activities(base_url: str, seed_out: Path) -> None:
    doc_id = seed_doc_id(seed_out)
    status, _, body = get(f"{base_url}/doc/{doc_id}")
    html = body.decode()
    assert status == 200
    assert "Phan Đình Nhân" in html and "BÍ THƯ" in html and "TT Tỉnh đoàn" in html
    activities = html[html.index('class="activities"'):]
    assert activities[:activities.index("</table>")].count("<tr>") == 29 + 1  # header row
    assert 'class="tree"' in html and "Năm Thanh niên tình nguyện" in html
    assert re.search(rf'href="/file/{doc_id}/347-CV-TDTN-VP.pdf#page=\d+"', html)
    data = json.loads(get(f"{base_url}/doc/{doc_id}.json")[2])
    assert data["doc_id"] == doc_id and len(data["activities"]) == 29
    rows = json.loads(get(f"{base_url}/ds/activities?doc_id={doc_id}&format=json")[2])
    assert len(rows) == 29 and rows[0]["doc_id"] == doc_id


@pytest.mark.slow
def test_every_linked_page_answers_200(base_url: str, seed_out: Path) -> None:
    doc_id = seed_doc_id(seed_out)
    todo, seen = ["/", "/?q=thanh+nien", f"/doc/{doc_id}", "/datasets", "/sql"], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        status, ctype, body = get(base_url + path)
        assert status == 200, path
        if ctype.startswith("text/html") and not path.startswith("/ds/"):
            for href in re.findall(r'href="(/[^"#]*)', body.decode()):
                todo.append(href.replace("&amp;", "&"))
    assert any(p.startswith("/file/") for p in seen) and any(p.startswith("/ds/") for p in seen)
    assert len(seen) > 15


def test_original_file_is_served_read_only(base_url: str, seed_out: Path) -> None:
    doc_id = seed_doc_id(seed_out)
    status, ctype, body = get(f"{base_url}/file/{doc_id}/347-CV-TDTN-VP.pdf")
    assert (status, ctype, body) == (200, "application/pdf", SEED_PDF.read_bytes())
    assert get(f"{base_url}/file/0000000000000000/x.pdf")[0] == 404
    for path in ("/file/../../etc/passwd", f"/file/{doc_id}/../../../etc/passwd", "/file/%2e%2e/%2e%2e/etc/passwd",
                 f"/file/{doc_id}/..%2f..%2fetc%2fpasswd", "/static/..%2f__init__.py", "/doc/..%2f..%2fmanifest"):
        assert raw_status(base_url, path) in (400, 404), path


def test_a_recorded_path_that_now_leads_outside_its_folder_is_refused(seed_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(seed_out, out)
    doc_id = seed_doc_id(out)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.pdf").symlink_to("/etc/hostname")
    db = sqlite3.connect(out / "manifest.sqlite")
    with db:
        db.execute("UPDATE files SET path = ? WHERE doc_id = ?", (str(tmp_path / "in" / "seed.pdf").encode(), doc_id))
    db.close()
    with pytest.raises(Refused):
        Archive(out, tmp_path).source_file(doc_id)
    (tmp_path / "in" / "seed.pdf").unlink()
    shutil.copy(SEED_PDF, tmp_path / "in" / "seed.pdf")
    assert Archive(out, tmp_path).source_file(doc_id) == (tmp_path / "in" / "seed.pdf").resolve()


def test_writes_are_refused_and_sql_is_read_only_and_limited(base_url: str, seed_out: Path) -> None:
    before = (seed_out / "corpus.sqlite").read_bytes()
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert get(f"{base_url}/sql", method, b"sql=delete+from+docs")[0] == 405
    for sql in ("DELETE FROM docs", "DROP TABLE docs", "INSERT INTO docs (doc_id) VALUES ('x')",
                "ATTACH '/tmp/x.sqlite' AS x", "PRAGMA query_only = OFF", "CREATE TABLE t (a)"):
        status, _, body = get(f"{base_url}/sql?format=json&sql={quote(sql)}")
        assert status == 400 and "error" in json.loads(body), sql
    slow = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c"
    status, _, body = get(f"{base_url}/sql?format=json&sql={quote(slow)}")
    assert status == 400 and "longer than 0.5 s" in json.loads(body)["error"]
    status, _, body = get(f"{base_url}/sql?format=json&sql={quote('SELECT reference FROM docs')}")
    assert (status, json.loads(body)["rows"]) == (200, [[SEED_REF]])
    assert (seed_out / "corpus.sqlite").read_bytes() == before


def test_cli_serve_binds_localhost_and_prints_its_address(seed_out: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "directives.cli", "serve", "--out", str(seed_out), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        assert get(url.group() + "static/style.css")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_cli_serve_without_a_corpus_is_a_clear_error(tmp_path: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "directives.cli", "serve", "--out", str(tmp_path), "--port", "0"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 4 and "no corpus" in res.stderr and "Traceback" not in res.stderr
