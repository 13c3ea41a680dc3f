"""Corpus index and search: accent-insensitive and exact matching, ranking, filters, snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

from directives.index import CORPUS, CorpusBuilder, fold_words
from directives.schemas import Activity, Directive, Metadata, Section, Source
from directives.search import (
    CorpusMissingError,
    SearchQuery,
    Term,
    format_hit,
    match_expression,
    parse_query,
    search,
    snippet,
)


def directive(doc_id: str, *, type_: str = "Kế hoạch", issuer: str = "ĐOÀN XÃ PHÚC THỊNH", date: str = "2024-01-05",
              sections: list[Section] = (), activities: list[Activity] = ()) -> Directive:
    return Directive(doc_id=doc_id, source=Source(path=f"/in/{doc_id}.pdf", sha256=doc_id * 4, pages=1),
                     metadata=Metadata(type=type_, issuer=issuer, date=date, reference=f"{doc_id[:2]}/KH-ĐTN",
                                       subject="Kế hoạch tổ chức hoạt động"),
                     sections=list(sections), activities=list(activities))


def section(sid: str, number: str, title: str, text: str = "", **extra: object) -> Section:
    return Section(id=sid, number=number, level=1, title=title, text=text, **extra)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    b = CorpusBuilder(out / CORPUS)
    b.add(directive("aaaa", sections=[
        section("s1", "1", "Chủ đề: Năm Thanh niên tình nguyện"),
        section("s2", "2", "Công tác Đoàn", "Củng cố tổ chức đoàn cơ sở; thanh niên tham gia sinh hoạt."),
    ], activities=[Activity(no=1, name="Chiến dịch Thanh niên tình nguyện hè", time_text="Quý III", table_id="t1",
                            row=0)]))
    b.add(directive("bbbb", type_="Công văn", issuer="SỞ Y TẾ KIÊN GIANG", date="2018-03-01", sections=[
        section("s1", "I", "Tình hình", "Thanh niên trong ngành y tế; công tác tình nguyện hiến máu; hoà giải."),
    ]))
    b.close()
    return out


def hits_of(out: Path, text: str, **kw: object) -> list[tuple[str, str | None]]:
    return [(h.doc_id, h.section_id) for h in search(out, SearchQuery(text, **kw))]


def test_fold_words() -> None:
    assert fold_words("Thanh niên TÌNH NGUYỆN, Đoàn") == "thanh nien tinh nguyen doan"


def test_parse_query_folds_and_keeps_phrases() -> None:
    assert parse_query('Thanh niên "tình nguyện" đoàn*') == [
        Term(("thanh",)), Term(("nien",)), Term(("tinh", "nguyen")), Term(("doan",), prefix=True)]
    assert parse_query("Thanh niên", exact=True) == [Term(("thanh",)), Term(("niên",))]
    assert parse_query(" , ; ") == []


def test_match_expression_boosts_the_phrase_without_widening() -> None:
    terms = parse_query("thanh nien")
    expr = match_expression(terms, exact=False)
    assert expr.startswith('({title_f body_f} : "thanh" AND {title_f body_f} : "nien")')
    assert '"thanh nien"' in expr
    assert "seg_f" not in expr
    assert '"thanh_nien"' in match_expression(terms, exact=False, segmented=True)
    assert match_expression(terms, exact=True).startswith('({title_x body_x} : "thanh"')


def test_accent_insensitive_finds_marked_text_phrase_first(corpus: Path) -> None:
    hits = hits_of(corpus, "thanh nien tinh nguyen")
    assert set(hits) == {("aaaa", "s1"), ("aaaa", "t1"), ("bbbb", "s1")}
    # the words as one phrase in a title rank above the same words scattered in a text
    assert hits[-1] == ("bbbb", "s1")


def test_d_folds_to_dj(corpus: Path) -> None:
    assert ("aaaa", "s2") in hits_of(corpus, "cong tac doan")


def test_exact_needs_the_marks(corpus: Path) -> None:
    assert hits_of(corpus, "thanh nien", exact=True) == []
    assert ("aaaa", "s1") in hits_of(corpus, "Thanh niên", exact=True)
    assert hits_of(corpus, "doan", exact=True) == []
    assert hits_of(corpus, "hoà", exact=True) == hits_of(corpus, "hòa", exact=True) == [("bbbb", "s1")]


def test_filters(corpus: Path) -> None:
    assert {d for d, _ in hits_of(corpus, "thanh nien", type="cong van")} == {"bbbb"}
    assert {d for d, _ in hits_of(corpus, "thanh nien", issuer="phuc thinh")} == {"aaaa"}
    assert {d for d, _ in hits_of(corpus, "thanh nien", year=2018)} == {"bbbb"}
    assert hits_of(corpus, "thanh nien", year=1999) == []
    assert len(hits_of(corpus, "thanh nien", limit=1)) == 1


def test_hit_fields_and_snippet_from_original_text(corpus: Path) -> None:
    hit = search(corpus, SearchQuery("tinh nguyen hien mau"))[0]
    assert (hit.kind, hit.reference, hit.date, hit.issuer, hit.number) == (
        "section", "bb/KH-ĐTN", "2018-03-01", "SỞ Y TẾ KIÊN GIANG", "I")
    assert "«tình nguyện hiến máu»" in hit.snippet
    assert hit.highlights == ["tình", "nguyện", "hiến", "máu"]
    text = format_hit(1, hit)
    assert text.startswith("1. bb/KH-ĐTN · 2018-03-01 · Công văn · SỞ Y TẾ KIÊN GIANG · mục I: Tình hình")
    assert "/in/bbbb.pdf" in text


def test_prefix_query(corpus: Path) -> None:
    assert hits_of(corpus, "cun*") == [("aaaa", "s2")]  # Củng
    assert hits_of(corpus, "cun") == []


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusMissingError) as info:
        search(tmp_path, SearchQuery("x"))
    assert "directives run" in info.value.reason


def test_snippet_window_and_marks() -> None:
    text = " ".join(f"w{i}" for i in range(100)) + " Thanh niên tình nguyện cuối."
    out, marks = snippet(text, parse_query("thanh nien tinh nguyen"), width=10)
    assert out.startswith("… ") and "«Thanh niên tình nguyện»" in out
    assert out.endswith("cuối.")
    assert marks == ["Thanh", "niên", "tình", "nguyện"]
    out, marks = snippet("không có gì", parse_query("doan"))
    assert (out, marks) == ("không có gì", [])


def test_segmented_words_rank_higher(tmp_path: Path) -> None:
    text = "Thanh niên tình nguyện giúp đỡ nhân dân."
    plain = section("s1", "1", "Hoạt động", text)
    seg = section("s2", "2", "Hoạt động", text,
                  segmented="Thanh_niên tình_nguyện giúp_đỡ nhân_dân .")
    b = CorpusBuilder(tmp_path / CORPUS)
    b.add(directive("cccc", sections=[plain, seg]))
    b.close()
    assert hits_of(tmp_path, "thanh nien tinh nguyen") == [("cccc", "s2"), ("cccc", "s1")]


def test_seed_sections_come_first(tmp_path: Path) -> None:
    """Acceptance: the seed's corpus, searched without accents, lists its matching sections first."""
    from directives.batch import run_files
    from tests.conftest import SEED_PDF

    run_files([SEED_PDF], tmp_path)
    hits = search(tmp_path, SearchQuery("thanh nien tinh nguyen", limit=5))
    first = hits[0]
    assert (first.kind, first.reference, first.number) == ("section", "347-CV/TĐTN-VP", "1")
    assert "«Thanh niên tình nguyện»" in first.snippet
    assert all(h.file == str(SEED_PDF) for h in hits)
    assert [h.kind for h in hits].count("section") >= 3
