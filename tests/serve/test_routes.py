"""`directives serve`'s routes through Datasette's own test client: pages, JSON, files, and what is refused."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest

from directives.serve import Archive, Refused, make_datasette
from directives.serve.plugin import refusal
from tests.helpers import SEED_PDF, fetch

SEED_REF = "347-CV/TĐTN-VP"


def seed_doc_id(out: Path) -> str:
    return next((out / "json").glob("*.json")).stem


def test_search_page_finds_the_signer_without_accents(ds) -> None:
    r = fetch(ds, "/?q=phan+dinh+nhan")
    html = r.text
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert re.search(r'id="count">\d+ of \d+ hits<', html)
    first = html.index('class="hit"')
    assert SEED_REF in html[first:first + 600]
    assert "<mark>Phan Đình Nhân</mark>" in html
    # with and without diacritics: the same hits
    accented = fetch(ds, f"/?q={quote('Phan Đình Nhân')}").text
    assert accented.count('class="hit"') == html.count('class="hit"') > 0


def test_api_search_carries_page_group_total_and_facets(ds, seed_out: Path) -> None:
    r = fetch(ds, "/api/search?q=thanh+nien+tinh+nguyen")
    data = r.json()
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert data["total"] >= len(data["hits"]) > 0
    hit = data["hits"][0]
    assert hit["reference"] == SEED_REF and hit["page"] >= 1
    assert hit["group"][0] == {"doc_id": seed_doc_id(seed_out), "file": str(SEED_PDF), "page": hit["page"]}
    assert dict(map(tuple, data["facets"]["type"])) == {"Công văn": 1}
    assert [2023, 1] in data["facets"]["year"] and ["Phan Đình Nhân", 1] in data["facets"]["signer"]
    folded = fetch(ds, "/api/search?q=thanh+nien+tinh+nguyen").json()["hits"]
    marked = fetch(ds, f"/api/search?q={quote('thanh niên tình nguyện')}").json()["hits"]
    assert [h["doc_id"] for h in folded] == [h["doc_id"] for h in marked]


def test_home_facets_and_filters(ds) -> None:
    home = fetch(ds, "/").text
    for label in ("Loại văn bản", "Cơ quan ban hành", "Năm", "Người ký", "Trạng thái"):
        assert f"<h3>{label}</h3>" in home
    assert home.count('<input type="search" name="q"') == 1
    assert "Phan" in fetch(ds, f"/?q=thanh+nien&signer={quote('Phan Đình Nhân')}").text
    assert 'id="count">0 of 0 hits<' in fetch(ds, "/?q=thanh+nien&year=1999").text
    assert SEED_REF in fetch(ds, f"/?type={quote('Công văn')}").text  # a facet without a query: the documents


def test_document_page_shows_fields_sections_activities(ds, seed_out: Path) -> None:
    doc_id = seed_doc_id(seed_out)
    r = fetch(ds, f"/doc/{doc_id}")
    html = r.text
    assert r.status_code == 200
    assert "Phan Đình Nhân" in html and "BÍ THƯ" in html and "TT Tỉnh đoàn" in html
    activities = html[html.index('class="activities"'):]
    assert activities[:activities.index("</table>")].count("<tr>") == 29 + 1  # header row
    assert 'class="tree"' in html and "Năm Thanh niên tình nguyện" in html
    assert re.search(rf'href="/file/{doc_id}/347-CV-TDTN-VP.pdf#page=\d+"', html)
    data = fetch(ds, f"/doc/{doc_id}.json").json()
    assert data["doc_id"] == doc_id and len(data["activities"]) == 29
    # the document's rows in a dataset: Datasette's table page, linked from the document page
    link = f"/corpus/ds_activities?doc_id={doc_id}"
    assert f'href="{link}"' in html
    rows = fetch(ds, f"/corpus/ds_activities.json?doc_id={doc_id}&_shape=array").json()
    assert len(rows) == 29 and {r["doc_id"] for r in rows} == {doc_id}
    assert fetch(ds, f"/corpus/ds_activities.csv?doc_id={doc_id}").text.count("\n") >= 30


def test_every_linked_page_answers_200(ds, seed_out: Path) -> None:
    """Every link of the project's pages (document, search, home), Datasette's pages among them."""
    doc_id = seed_doc_id(seed_out)
    ours = ["/", "/?q=thanh+nien", "/?q=phan+dinh+nhan", f"/doc/{doc_id}"]
    todo, seen = list(ours), set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        r = fetch(ds, path)
        assert r.status_code == 200, path
        if path == "/" or path.startswith(("/?", "/doc/")) and not path.endswith(".json"):
            todo += [h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"#]*)', r.text)]
    assert any(p.startswith("/file/") for p in seen) and any(p.startswith("/corpus/ds_") for p in seen)
    assert {"/corpus", "/static/style.css", f"/doc/{doc_id}.json"} <= seen and len(seen) > 15
    tables = fetch(ds, "/corpus.json").json()["tables"]
    for table in tables:  # Datasette's own pages of every table, hidden ones too
        for path in (f"/corpus/{table['name']}", f"/corpus/{table['name']}.json"):
            assert fetch(ds, path).status_code == 200, path
    assert {t["name"] for t in tables if not t["hidden"]} >= {"docs", "ds_documents", "ds_activities"}


def test_database_is_immutable_and_sql_is_time_limited(ds, seed_out: Path) -> None:
    corpus = ds.get_database("corpus")
    assert not corpus.is_mutable and corpus.path == str(seed_out.resolve() / "corpus.sqlite")
    assert ds.setting("sql_time_limit_ms") == 500 and ds.setting("allow_download") is False
    assert fetch(ds, "/corpus.db").status_code == 403
    r = fetch(ds, f"/corpus.json?_shape=array&sql={quote('SELECT reference FROM docs')}")
    assert (r.status_code, r.json()) == (200, [{"reference": SEED_REF}])
    slow = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c"
    r = fetch(ds, f"/corpus.json?sql={quote(slow)}")
    assert r.status_code == 400 and "took too long" in r.json()["error"]


def test_writes_are_refused(ds, seed_out: Path) -> None:
    before = (seed_out / "corpus.sqlite").read_bytes()
    doc_id = seed_doc_id(seed_out)
    for path in ("/", "/corpus", "/corpus/docs", f"/doc/{doc_id}", "/corpus?sql=delete+from+docs", "/-/messages"):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            r = fetch(ds, path, method, data={"sql": "DELETE FROM docs"})
            assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD", (method, path)
    for sql in ("DELETE FROM docs", "DROP TABLE docs", "INSERT INTO docs (doc_id) VALUES ('x')",
                "ATTACH '/tmp/x.sqlite' AS x", "PRAGMA query_only = OFF", "CREATE TABLE t (a)",
                "WITH x AS (SELECT 1) DELETE FROM docs", "SELECT load_extension('/tmp/x')"):
        r = fetch(ds, f"/corpus.json?sql={quote(sql)}")
        assert r.status_code == 400 and r.json()["ok"] is False, sql
    assert fetch(ds, f"/corpus.json?_shape=array&sql={quote('SELECT count(*) AS n FROM docs')}").json() == [{"n": 1}]
    assert (seed_out / "corpus.sqlite").read_bytes() == before


def test_original_file_is_served_read_only(ds, seed_out: Path) -> None:
    doc_id = seed_doc_id(seed_out)
    r = fetch(ds, f"/file/{doc_id}/347-CV-TDTN-VP.pdf")
    assert (r.status_code, r.headers["content-type"], r.content) == (200, "application/pdf", SEED_PDF.read_bytes())
    assert r.headers["x-content-type-options"] == "nosniff"
    assert fetch(ds, "/file/0000000000000000/x.pdf").status_code == 404
    # Datasette's client normalises a plain "../" away: those are sent raw in test_http.py
    for path in ("/file/%2e%2e/%2e%2e/etc/passwd", f"/file/{doc_id}/..%2f..%2fetc%2fpasswd", "/static/..%2f__init__.py",
                 "/doc/..%2f..%2fmanifest", f"/file/{doc_id}/%2E%2E", "/-/static/..%5capp.css", f"/doc/{doc_id}%00.json"):
        assert fetch(ds, path).status_code == 400, path


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", b"/file/../../etc/passwd", 400), ("GET", b"/a/./b", 400), ("GET", b"/x/%2E%2e/y", 400),
    ("GET", b"/x/a%2Fb", 400), ("HEAD", b"/doc/abc", None), ("GET", b"/?q=..", None), ("GET", b"/corpus/docs", None),
    ("POST", b"/", 405), ("OPTIONS", b"/corpus", 405)])
def test_refusal_before_routing(method: str, path: bytes, status: int | None) -> None:
    why = refusal(method, path)
    assert (why[0] if why else None) == status


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
    assert fetch(make_datasette(out, tmp_path), f"/file/{doc_id}/seed.pdf").status_code == 404
    (tmp_path / "in" / "seed.pdf").unlink()
    shutil.copy(SEED_PDF, tmp_path / "in" / "seed.pdf")
    assert Archive(out, tmp_path).source_file(doc_id) == (tmp_path / "in" / "seed.pdf").resolve()


def test_unknown_pages_and_documents_are_404(ds) -> None:
    for path in ("/doc/0000000000000000", "/doc/0000000000000000.json", "/nope", "/corpus/nope"):
        assert fetch(ds, path).status_code == 404, path
    body = json.loads(fetch(ds, "/corpus/nope.json").text)
    assert body["ok"] is False and body["status"] == 404
