"""Search by signer, Nơi nhận, file name; page of a hit; copies grouped; the year filter's fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from directives.index import CORPUS, CorpusBuilder, file_words, only_year
from directives.schemas import Directive, Metadata, Part, Section, Signer, Source
from directives.search import SearchQuery, count_line, find, format_hit, search


def doc(doc_id: str, path: str, *, reference: str | None = "12/KH-SYT", date: str | None = "2017-03-02",
        subject: str = "Kế hoạch phòng chống dịch", signer: str = "Nguyễn Văn Bảy",
        distribution: tuple[str, ...] = ("Như trên", "Phòng Nghiệp vụ Dược"), pages: int = 3) -> Directive:
    return Directive(
        doc_id=doc_id, source=Source(path=path, sha256=doc_id * 4, pages=pages),
        metadata=Metadata(type="Kế hoạch", issuer="SỞ Y TẾ", reference=reference, date=date, subject=subject,
                          distribution=list(distribution), signer=Signer(name=signer, title="GIÁM ĐỐC")),
        parts=[Part(id=0, pages=list(range(1, pages + 1)))],
        sections=[Section(id="s1", number="1", level=1, title="Mục đích", text="Khống chế dịch sốt xuất huyết.",
                          pages=[2])])


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fields")
    b = CorpusBuilder(folder / CORPUS)
    b.add(doc("scan", "/in/kiengiang_syt_kh12_2017_scan.pdf"))
    b.add(doc("digi", "/in/kiengiang_syt_kh12_2017.pdf"))
    b.add(doc("other", "/in/qd3176_hoidong.pdf", reference="3176/QĐ-SYT", signer="Trần Thị Tám",
              distribution=("Bệnh viện Đa khoa tỉnh",), subject="Quyết định thành lập hội đồng"))
    b.add(doc("undated", "/in/khac.pdf", reference="45/2016/KH-UBND", date=None, signer="Lê Chín"))
    b.add(doc("undated2", "/in/khac2.pdf", reference="7/KH-UBND", date=None, signer="Lê Chín",
              subject="Kế hoạch phòng chống dịch năm 2016"))
    b.close()
    return folder


def docs_of(out: Path, text: str, **kw: object) -> list[str]:
    return [h.doc_id for h in search(out, SearchQuery(text, **kw))]


def test_signer_and_distribution_are_found_on_the_closing_page(out: Path) -> None:
    hits = search(out, SearchQuery("tran thi tam"))
    assert hits[0].doc_id == "other" and hits[0].kind == "closing" and hits[0].page == 3
    assert "«Trần Thị Tám»" in hits[0].snippet
    hits = search(out, SearchQuery("benh vien da khoa"))
    assert [(h.doc_id, h.kind) for h in hits] == [("other", "closing")]


def test_file_name_number_finds_the_file(out: Path) -> None:
    assert file_words("/x/qd3176_hoidong.pdf") == "qd3176_hoidong qd 3176 hoidong"
    assert docs_of(out, "3176") == ["other"]
    assert docs_of(out, "qd3176_hoidong") == ["other"]


def test_copies_are_one_hit_listing_their_files_and_pages(out: Path) -> None:
    res = find(out, SearchQuery("sot xuat huyet"))
    first = res.hits[0]
    assert (first.kind, first.page) == ("section", 2)
    assert [c.doc_id for c in first.group] == ["scan", "digi"]
    assert {c.file for c in first.group} == {"/in/kiengiang_syt_kh12_2017_scan.pdf", "/in/kiengiang_syt_kh12_2017.pdf"}
    assert [c.page for c in first.group] == [2, 2]
    # the other documents are not copies: a hit each
    assert res.total == 4 and {h.doc_id for h in res.hits} == {"scan", "other", "undated", "undated2"}
    assert count_line(len(res.hits), 0, res.total) == "4 of 4 hits"
    assert "trang 2" in format_hit(1, first)


def test_limit_and_offset_page_through_the_total(out: Path) -> None:
    a = find(out, SearchQuery("sot xuat huyet", limit=3))
    b = find(out, SearchQuery("sot xuat huyet", limit=3, offset=3))
    assert (len(a.hits), len(b.hits), a.total, b.total) == (3, 1, 4, 4)
    assert count_line(3, 0, 4) == "1–3 of 4 hits"
    assert not {h.doc_id for h in a.hits} & {h.doc_id for h in b.hits}


def test_year_falls_back_to_the_symbol_or_subject_and_says_so(out: Path) -> None:
    assert only_year("45/2016/KH-UBND") == 2016 and only_year("2016 - 2020") is None and only_year("12/KH") is None
    hits = search(out, SearchQuery("sot xuat huyet", year=2016))
    assert {(h.doc_id, h.year_from) for h in hits} == {("undated", "symbol"), ("undated2", "subject")}
    assert "năm theo số ký hiệu" in format_hit(1, next(h for h in hits if h.doc_id == "undated"))
    assert {h.doc_id for h in search(out, SearchQuery("sot xuat huyet", year=2017))} == {"scan", "other"}


def test_signer_and_status_filters(out: Path) -> None:
    assert {h.doc_id for h in search(out, SearchQuery("sot xuat huyet", signer="le chin"))} == {"undated", "undated2"}
    assert {h.doc_id for h in search(out, SearchQuery("sot xuat huyet", signer="Lê Chín"))} == {"undated", "undated2"}
    assert {h.doc_id for h in search(out, SearchQuery("sot xuat huyet", status="failed"))} == set()
