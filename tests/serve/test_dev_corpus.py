"""`directives serve` over the dev set (samples and ../shared/corpus, run once: `dev_run`): every page of
every document, its original file, its rows, and the search with or without diacritics as the CLI."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from directives.search import SearchQuery, find
from tests.helpers import fetch, needs_corpus

pytestmark = [pytest.mark.slow, needs_corpus]

QUERIES = [("Sở Y tế", "so y te"), ("Phan Đình Nhân", "phan dinh nhan"), ("hội nghị", "hoi nghi"),
           ("3176", "3176"), ("phòng chống dịch", "phong chong dich")]


@pytest.fixture(scope="module")
def dev_ds(dev_run: Path):
    from directives.serve import make_datasette

    return make_datasette(dev_run)


def links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"#]*)', html)]


def test_every_document_page_file_and_rows_answer_200(dev_ds, dev_run: Path) -> None:
    doc_ids = sorted(p.stem for p in (dev_run / "json").glob("*.json"))
    assert len(doc_ids) > 50
    seen: set[str] = set()
    for doc_id in doc_ids:
        r = fetch(dev_ds, f"/doc/{doc_id}")
        assert r.status_code == 200, doc_id
        for path in links(r.text):
            if path not in seen:
                seen.add(path)
                answer = fetch(dev_ds, path, "HEAD" if path.startswith("/file/") else "GET")
                assert answer.status_code == 200, (doc_id, path)
    assert sum(p.startswith("/file/") for p in seen) == len(doc_ids)
    assert sum(p.startswith("/corpus/ds_") for p in seen) > len(doc_ids)


def test_home_facets_and_tables_answer_200(dev_ds) -> None:
    home = fetch(dev_ds, "/")
    assert home.status_code == 200
    facet_links = [p for p in links(home.text) if p.startswith("/?")]
    assert len(facet_links) >= 10
    for path in facet_links:
        assert fetch(dev_ds, path).status_code == 200, path
    for table in fetch(dev_ds, "/corpus.json").json()["tables"]:
        assert fetch(dev_ds, f"/corpus/{table['name']}").status_code == 200, table["name"]


@pytest.mark.parametrize(("marked", "folded"), QUERIES)
def test_search_pages_match_the_cli_with_or_without_diacritics(dev_ds, dev_run: Path, marked: str,
                                                               folded: str) -> None:
    cli = [h.doc_id for h in find(dev_run, SearchQuery(marked, limit=20)).hits]
    assert cli, marked
    for text in (marked, folded):
        r = fetch(dev_ds, f"/api/search?q={quote(text)}")
        assert r.status_code == 200 and [h["doc_id"] for h in r.json()["hits"]] == cli, text
        page = fetch(dev_ds, f"/?q={quote(text)}")
        assert page.status_code == 200 and page.text.count('class="hit"') == len(cli)
        for path in {p for p in links(page.text) if not p.startswith("/file/")}:
            assert fetch(dev_ds, path).status_code == 200, path
