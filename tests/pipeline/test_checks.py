from directives.pipeline.checks import checks, stray_years
from directives.schemas import Activity, Metadata, Part, Signer
from tests.helpers import document, line, page


def test_stray_years_ignores_ranges():
    assert stray_years("Tết Trung thu 2023", 2024) == [2023]
    assert stray_years("nhiệm kỳ 2024 - 2029", 2024) == []
    assert stray_years("Hội Liên hiệp Thanh niên Việt Nam (1956 - 2024)", 2024) == []
    assert stray_years("Lễ Thắp nến tri ân 27/7", 2024) == []


def _doc():
    doc = document([page([line("x" * 30, 85, 100, 500)])])
    doc.result.metadata = Metadata(issuer="SỞ Y TẾ", type="Kế hoạch", date="2023-07-29",
                                   signer=Signer(name="Lê Hoàng Anh"))
    doc.result.parts = [Part(id=0, date="2023-07-29"), Part(id=1, type="Phụ lục", date="2023-07-09", pages=[2])]
    return doc


def test_attachment_date_and_status():
    doc = checks(_doc())
    assert [w.code for w in doc.result.warnings] == ["attachment-date-mismatch"]
    assert doc.result.status == "ok"


def test_activity_year_and_missing_field_make_partial():
    doc = _doc()
    doc.result.metadata.issuer = None
    doc.result.activities = [Activity(no=22, name="Tết Trung thu 2023", year=2024, table_id="t1", row=0)]
    doc = checks(doc)
    codes = [w.code for w in doc.result.warnings]
    assert "activity-year-mismatch" in codes and "missing-field" in codes
    assert doc.result.status == "partial"


def test_no_text_at_all_is_failed():
    doc = document([page([])])
    doc.pages[0].source = "none"
    doc = checks(doc)
    assert doc.result.status == "failed"


def test_blank_text_pages_only_is_failed_with_a_reason():
    doc = checks(document([page([]), page([], number=2)]))  # a text layer with nothing on it
    assert doc.result.status == "failed"
    assert [w.message for w in doc.result.warnings if w.code == "no-text"] == [
        "no text on any of the 2 page(s): blank or damaged pages"]
    assert checks(document([page([line("Công văn", 60, 60)]), page([], number=2)])).result.status != "failed"
