"""Ranking, paging, totals and facets of a broad query over many rows agree with a plain SQL reference
that ranks every match (the way `find` ranked before it kept only the best rows)."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from directives.index import CORPUS, HIT_BITS, CorpusBuilder
from directives.schemas import Directive, Metadata, Section, Signer, Source
from directives.search import SearchQuery, facets, find, match_expression, open_corpus, parse_query

WORDS = ["thanh", "niên", "tình", "nguyện", "phòng", "chống", "dịch", "bệnh", "kế", "hoạch", "tổ", "chức", "hội", "nghị", "công", "tác"]
ISSUERS = ["SỞ Y TẾ", "TỈNH ĐOÀN", "UBND HUYỆN"]


def text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def directive(i: int, rng: random.Random, reference: str, issuer: str, year: int) -> Directive:
    # numbers repeat inside a document ("1" under I and under II), as in many plans
    numbers = ["I", "1", "2", "II", "1", "2"]
    sections = [Section(id=f"s{k}", number=n, level=1, title=text(rng, 3), text=text(rng, 12), pages=[k + 1])
                for k, n in enumerate(numbers)]
    return Directive(doc_id=f"{i:04d}", source=Source(path=f"/in/d{i}.pdf", sha256=f"{i:064x}", pages=7),
                     metadata=Metadata(type="Kế hoạch", issuer=issuer, reference=reference, date=f"{year}-05-01",
                                       subject=text(rng, 6), distribution=["Như trên", "Lưu: VT"],
                                       signer=Signer(name=rng.choice(["Lê An", "Trần Bình"]))),
                     sections=sections)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ranking")
    rng = random.Random(7)
    b = CorpusBuilder(folder / CORPUS)
    for i in range(90):
        d = directive(i, rng, f"{i}/KH", ISSUERS[i % 3], 2016 + i % 3)
        b.add(d)
        if i % 5 == 0:  # a copy of it (its scan): same reference, type, issuer and year, same text
            b.add(d.model_copy(update={"doc_id": f"{i:04d}c", "source": Source(path=f"/in/d{i}-scan.pdf",
                                                                             sha256=f"{i + 1000:064x}", pages=7)}))
    b.close()
    return folder


def reference(out: Path, q: SearchQuery) -> list[tuple[str, float]]:
    """Every group that matches `q`, best first: (group key, score), ranking every matching row."""
    terms = parse_query(q.text, q.exact)
    weights = "0, 0, 2.0, 1.0, 0, 0, 0" if q.exact else "0, 0, 0, 0, 2.0, 1.0, 1.0"
    year = "" if q.year is None else f" AND d.year = {int(q.year)}"
    db = sqlite3.connect(out / CORPUS)
    try:
        rows = db.execute(
            f"WITH m AS MATERIALIZED (SELECT h.id, d.grp || char(31) || h.hkey AS g, bm25(search, {weights}) AS score, "
            f"s.position, h.doc_id FROM search JOIN hits h ON h.id = search.rowid JOIN docs d ON d.doc_id = h.doc_id "
            f"JOIN doc_state s ON s.doc_id = h.doc_id WHERE search MATCH ?{year}) "
            "SELECT g, min(score) AS best FROM m GROUP BY g ORDER BY best, min(position), min(doc_id), min(id)",
            [match_expression(terms, q.exact, segmented=True)]).fetchall()
    finally:
        db.close()
    return [(g, -s) for g, s in rows]


def group_of(out: Path, hit_doc: str, section: str | None, kind: str) -> str:
    db = sqlite3.connect(out / CORPUS)
    try:
        return db.execute("SELECT d.grp || char(31) || h.hkey FROM hits h JOIN docs d ON d.doc_id = h.doc_id "
                          "WHERE h.doc_id = ? AND h.kind = ? AND h.section_id IS ?", (hit_doc, kind, section)).fetchone()[0]
    finally:
        db.close()


@pytest.mark.parametrize(("text", "kw"), [("kế hoạch", {}), ("kế hoạch", {"year": 2017}), ("kế hoạch", {"exact": True}),
                                          ("lưu vt", {})])  # every closing the same: all tie
def test_pages_follow_the_full_ranking(out: Path, text: str, kw: dict) -> None:
    q = SearchQuery(text, **kw)
    want = reference(out, q)
    assert len(want) > 64  # more groups than the first round ranks: the total is counted apart
    got: list[tuple[str, float]] = []
    for offset in range(0, len(want) + 9, 9):
        res = find(out, SearchQuery(q.text, limit=9, offset=offset, **kw))
        assert res.total == len(want)
        got += [(group_of(out, h.doc_id, h.section_id, h.kind), h.score) for h in res.hits]
    assert [g for g, _ in got] == [g for g, _ in want]
    assert [s for _, s in got] == pytest.approx([s for _, s in want])
    every = find(out, SearchQuery(q.text, limit=1000, **kw))  # one round holds every match
    assert every.total == len(want) and [h.score for h in every.hits] == pytest.approx([s for _, s in want])


def test_repeated_numbers_are_distinct_hits_and_copies_one(out: Path) -> None:
    res = find(out, SearchQuery("kế hoạch", limit=1000))
    got = [(h.doc_id, h.kind, h.section_id) for h in res.hits]
    db = sqlite3.connect(out / CORPUS)
    try:
        rows = db.execute("SELECT h.doc_id, h.kind, h.section_id FROM search JOIN hits h ON h.id = search.rowid "
                          """WHERE search MATCH '{title_f body_f} : "ke" AND {title_f body_f} : "hoach"'""").fetchall()
    finally:
        db.close()
    # every matching place of the originals is a hit of its own; a copy (same text) joins its original's
    assert sorted(got) == sorted(r for r in rows if not r[0].endswith("c")) and res.total == len(got)
    twice = [d for d in {r[0] for r in got} if {(d, "section", "s1"), (d, "section", "s4")} <= set(got)]
    assert twice  # section "1" under I and "1" under II of one document: two hits
    copied = [h for h in res.hits if len(h.group) > 1]
    assert copied and all([c.doc_id for c in h.group] == [h.doc_id, h.doc_id + "c"] for h in copied)


def test_hits_are_numbered_by_document(out: Path) -> None:
    db = open_corpus(out)
    try:
        rows = db.execute("SELECT h.id, d.dn FROM hits h JOIN docs d ON d.doc_id = h.doc_id").fetchall()
    finally:
        db.close()
    assert rows and all(i >> HIT_BITS == dn for i, dn in rows)


@pytest.mark.parametrize("kw", [{}, {"year": 2018}, {"issuer": "so y te"}])
def test_facets_count_the_matching_documents(out: Path, kw: dict) -> None:
    q = SearchQuery("tình nguyện hội nghị", **kw)
    db = open_corpus(out)
    try:
        got = facets(out, q, db, top=100)
        where = " AND d.year = 2018" if "year" in kw else " AND d.issuer_f = 'so y te'" if "issuer" in kw else ""
        docs = db.execute("SELECT DISTINCT d.doc_id, d.type, d.issuer, d.year, d.signer, d.status FROM search "
                          "JOIN hits h ON h.id = search.rowid JOIN docs d ON d.doc_id = h.doc_id "
                          f"WHERE search MATCH ?{where}",
                          ['{title_f body_f} : "tinh" AND {title_f body_f} : "nguyen" AND {title_f body_f} : "hoi" '
                           'AND {title_f body_f} : "nghi"']).fetchall()
    finally:
        db.close()
    assert docs
    for k, name in enumerate(("type", "issuer", "year", "signer", "status"), start=1):
        assert dict(got[name]) == dict(Counter(r[k] for r in docs)), name
