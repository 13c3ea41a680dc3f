"""The evaluation harness: matchers on hand-made cases, then floors on the seed and the dev corpus."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from directives.cli import app
from directives.evaluation import (
    Counts,
    Report,
    cer,
    column_matches,
    columns_match,
    compare,
    evaluate,
    evaluate_document,
    gold_name,
    heading_key,
    report_json,
    report_markdown,
    score_sections,
    score_tables,
    soft_key,
    strict_key,
    wer,
)
from directives.schemas import Directive, Metadata, Section, Signer, Source, Table
from tests.helpers import CORPUS, GROUNDTRUTH, corpus_available


@pytest.mark.parametrize(
    ("gold", "pred", "strict", "soft"),
    [
        ("Phú Thọ", "Phú Thọ", True, True),
        ("Phú Thọ", "PHU THO", False, True),  # case and diacritics
        ("Phú  Thọ", "Phú Thọ", True, True),  # whitespace collapse
        ("Lưu: VP", "Lưu: VP;", False, True),  # trailing punctuation
        ("Hòa", "Hòa", True, True),  # NFD vs NFC
        (["Như trên", "Lưu: VP"], ["Lưu: VP", "Như trên"], True, True),  # list order
        (["Như trên"], ["Như trên", "Lưu"], False, False),
        ("Kiên Giang", "Kiên Lương", False, False),
    ],
)
def test_matchers(gold, pred, strict, soft):
    assert (strict_key(gold) == strict_key(pred)) is strict
    assert (soft_key(gold) == soft_key(pred)) is soft


def test_compare_counts():
    assert compare("a", "a", strict_key) == Counts(tp=1)
    assert compare("a", "b", strict_key) == Counts(fp=1, fn=1)
    assert compare(None, "b", strict_key) == Counts(fp=1)
    assert compare("a", None, strict_key) == Counts(fn=1)
    assert compare([], [], strict_key) == Counts()
    c = Counts(tp=3, fp=1, fn=2)
    assert (round(c.precision, 3), round(c.recall, 3), round(c.f1, 3)) == (0.75, 0.6, 0.667)


def test_cer_wer():
    assert cer("Hồ Chí Minh", "Hồ Chí Minh") == 0.0
    assert cer("HỒ CHÍ MINH", "HỒCHÍ MINH") == pytest.approx(1 / 11)
    assert wer("HỒ CHÍ MINH", "HỒCHÍ MINH") == pytest.approx(2 / 3)


def test_headings_and_names():
    assert heading_key("I. MỤC ĐÍCH, YÊU CẦU") == heading_key("I Mục đích – yêu cầu") == "i muc dich yeu cau"
    assert gold_name("docs/x_2013.export.pdf") == gold_name("x_2013.doc") == "x_2013"
    pred = Directive(doc_id="0", source=Source(path="x.pdf", sha256="0", pages=1), sections=[
        Section(id="a", number="I", level=1, title="MỤC ĐÍCH, YÊU CẦU"),
        Section(id="b", number="1", level=2, title="Mục đích"),
        Section(id="c", number="II", level=1, title="NỘI DUNG"),
    ])
    assert score_sections(["I. MỤC ĐÍCH, YÊU CẦU", "III. TỔ CHỨC"], pred) == Counts(tp=1, fp=1, fn=1)


def test_tables_matched_by_body_rows_then_by_columns_named_alike():
    assert column_matches("Năm sinh / Nữ", "Năm sinh / Nữ") and column_matches("Nữ", "Năm sinh / Nữ")  # child alone
    assert column_matches("ĐDNK", "ĐDDNK") and column_matches("Chức vụ/vị trí", "Chức vụ / vị trí")  # OCR slips
    assert not column_matches("Họ và tên", "Đơn vị") and not column_matches("Nam", "Năm sinh / Nữ")
    assert columns_match(["", "", ""], []) and not columns_match([], ["STT", "Tên"])  # no names printed
    assert not columns_match(["STT", "Tên"], ["STT", "Tên", "Ghi chú"])
    pred = Directive(doc_id="0", source=Source(path="x.pdf", sha256="0", pages=3), tables=[
        Table(id="t1", pages=[2], columns=["TT", "Nội dung"], rows=[["1", "a"], ["2", "b"]]),
        Table(id="t2", pages=[2], columns=["STT", "Họ và tên"], rows=[["1", "A"], ["2", "B"]]),
        Table(id="t3", pages=[3, 4], columns=[], rows=[["x"]] * 5),
    ])
    gold = [{"page": 2, "rows": 2, "columns": ["STT", "Họ và tên"]}, {"page": 3, "rows": 5, "columns": ["A", "B"]},
            {"page": 2, "rows": 3, "columns": []}]
    assert score_tables(gold, pred) == (3, 2, 1)  # the page-2 table with the gold's columns is taken first


def test_tables_on_scanned_pages_are_scored_apart(tmp_path):
    """A gold table on a page read by OCR counts in the scans' figures too; one on a text-layer page
    does not, and matching is unchanged (a table matches only one starting on its page)."""
    pred = Directive(doc_id="0", source=Source(path="x.pdf", sha256="0", pages=2, page_sources=["text", "ocr"]),
                     tables=[Table(id="t1", pages=[1], columns=["TT", "Nội dung"], rows=[["1", "a"]]),
                             Table(id="t2", pages=[2], columns=["STT", "Tên"], rows=[["1", "A"], ["2", "B"]])])
    gold = {"file": "x.pdf", "pages": 2, "document": {}, "tables": [
        {"page": 1, "rows": 1, "columns": ["TT", "Nội dung"]}, {"page": 2, "rows": 2, "columns": ["STT", "Họ và tên"]},
        {"page": 2, "rows": 5, "columns": []}]}
    (tmp_path / "x.json").write_text(json.dumps(gold), encoding="utf-8")
    d = evaluate_document(pred, tmp_path / "x.json")
    assert (d.tables_gold, d.tables_matched, d.tables_columns) == (3, 2, 1)
    assert d.tables_scanned == (2, 1, 0)
    report = Report([d], [])
    assert "Tables on scanned pages (read by OCR) with the gold row count: 1 of 2; of them with the gold columns: 0" \
        in report_markdown(report)
    assert json.loads(report_json(report))["tables"]["scanned"] == {"gold": 2, "matched": 1, "columns": 0}


def _write_pair(gold_dir, pred_dir, name, gold_doc, pred_meta, handwritten=(), stamped=()):
    gold = {"file": f"{name}.pdf", "pages": 1, "document": gold_doc, "handwritten": list(handwritten),
            "stamped": list(stamped)}
    (gold_dir / f"{name}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    pred = Directive(doc_id=name, source=Source(path=f"{name}.pdf", sha256="0", pages=1), metadata=pred_meta)
    (pred_dir / "json" / f"{name}.json").write_text(pred.model_dump_json(), encoding="utf-8")


@pytest.fixture
def split_case(tmp_path):
    """A scan with a handwritten number, reference and date and a stamped signer, and a typed document.

    Scan: number left null, reference wrong, date right (all three handwritten); signer title right and
    name wrong (both stamped); issuer right. Typed document: number, issuer and signer name right.
    """
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    (pred_dir / "json").mkdir(parents=True)
    _write_pair(gold_dir, pred_dir, "scan",
                {"issuer": "SỞ Y TẾ", "reference": "125/GM-SYT", "number": "125", "date": "2017-03-05",
                 "signer": {"name": "Nguyễn Văn An", "title": "GIÁM ĐỐC"}},
                Metadata(issuer="SỞ Y TẾ", reference="12/GM-SYT", date="2017-03-05",
                         signer=Signer(name="Nguyễn Văn Ân", title="GIÁM ĐỐC")),
                handwritten=["number", "reference", "date"], stamped=["signer.title", "signer.name"])
    _write_pair(gold_dir, pred_dir, "typed", {"issuer": "SỞ Y TẾ", "number": "7", "signer": {"name": "Lê Thị Bình"}},
                Metadata(issuer="SỞ Y TẾ", number="7", signer=Signer(name="Lê Thị Bình")))
    return evaluate([gold_dir], pred_dir)


def test_handwritten_fields_are_scored_apart(split_case):
    r = split_case
    hand, typed = r.group_strict["handwritten"], r.group_strict["typed"]
    # a handwritten field counts in the handwritten group only, the same field typed elsewhere in the typed one
    assert hand["number"] == Counts(fn=1) and typed["number"] == Counts(tp=1)
    assert hand["reference"] == Counts(fp=1, fn=1) and typed["reference"] == Counts()
    assert hand["date"] == Counts(tp=1) and typed["date"] == Counts()
    # a stamped field is print: it counts as typed
    assert typed["signer.title"] == Counts(tp=1) and hand["signer.title"] == Counts()
    assert typed["signer.name"] == Counts(tp=1, fp=1, fn=1)
    assert r.group_fields("handwritten") == ["reference", "number", "date"]
    # handwritten: left null vs wrong
    assert (r.outcomes["handwritten"]["number"].null, r.outcomes["handwritten"]["number"].wrong) == (1, 0)
    assert (r.outcomes["handwritten"]["reference"].null, r.outcomes["handwritten"]["reference"].wrong) == (0, 1)
    o = r.group_outcomes("handwritten")
    assert (o.right, o.null, o.wrong) == (1, 1, 1)
    assert r.micro(group="handwritten") == Counts(tp=1, fp=1, fn=2)
    assert r.micro(group="typed") == Counts(tp=5, fp=1, fn=1)
    # the two groups make up the all-fields figures
    total = r.micro(group="typed")
    total.add(r.micro(group="handwritten"))
    assert total == r.micro()
    # every typed field right in the typed document only; the scan's handwritten misses do not count there
    assert r.all_right_share(group="typed") == 0.5 and r.all_right_share() == 0.5


def test_handwritten_split_in_reports(split_case):
    md = report_markdown(split_case)
    assert "Typed and stamped fields" in md and "Handwritten fields" in md
    hand_table = md.split("Handwritten fields", 1)[1].split("\n\n", 2)[1]
    assert "| number | 1 | 0 | 1 | 0 |" in hand_table and "| **micro** | 3 | 1 | 1 | 1 |" in hand_table
    assert "signer" not in hand_table
    scan_row = next(line for line in md.splitlines() if line.startswith("| scan.pdf |"))
    assert "✍number: '125' → None" in scan_row and "✍reference: '125/GM-SYT' → '12/GM-SYT'" in scan_row
    assert "; signer.name: " in scan_row  # stamped, not marked
    data = json.loads(report_json(split_case))
    assert data["micro"]["strict"]["tp"] == 6  # the all-fields keys stay
    hand = data["groups"]["handwritten"]
    assert set(hand["fields"]) == {"reference", "number", "date"}
    assert hand["micro"]["outcomes"] == {"right": 1, "null": 1, "wrong": 1}
    assert data["groups"]["typed"]["micro"]["strict"]["tp"] == 5
    scan = next(d for d in data["per_document"] if d["file"] == "scan.pdf")
    assert scan["handwritten"] == ["date", "number", "reference"]
    assert scan["wrong"]["number"]["handwritten"] is True and scan["wrong"]["signer.name"]["handwritten"] is False


def test_results_section_shows_both_groups(split_case, tmp_path, monkeypatch):
    import directives.results as results

    monkeypatch.setattr(results, "dev_inputs", lambda shared: ([tmp_path / "pred"], [tmp_path / "gold"]))
    monkeypatch.setattr(results, "run_bench", lambda inputs, runs, scan_pages=None: None)
    monkeypatch.setattr(results, "bench_table", lambda rows: "(bench)")
    monkeypatch.setattr(results, "run_files", lambda inputs, out: shutil.copytree(tmp_path / "pred" / "json",
                                                                                   out / "json"))
    monkeypatch.setattr(results, "ROOT", tmp_path)
    section = results.results_section(tmp_path, runs=1)
    assert section.startswith(results.START) and section.endswith(results.END)
    assert "Typed and stamped fields" in section and "Handwritten fields" in section and "✍number" in section


@pytest.mark.slow  # the whole dev set, run once for both (session fixture dev_run, tests/conftest.py)
def test_eval_cli_on_seed_and_dev_corpus(dev_run, tmp_path):
    golds = [GROUNDTRUTH / "gold"] + ([CORPUS / "gold"] if corpus_available() else [])
    args = ["eval", "--pred", str(dev_run), "--json", str(tmp_path / "r.json")]
    for g in golds:
        args += ["--gold", str(g)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "| **micro** |" in result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    per_doc = {d["file"]: d for d in report["per_document"]}
    assert per_doc["347-CV-TDTN-VP.pdf"]["wrong"] == {}
    assert per_doc["347-CV-TDTN-VP.pdf"]["sections"] == {"tp": 4, "fp": 0, "fn": 0}
    assert per_doc["347-CV-TDTN-VP-scan.pdf"]["cer"] is not None


# Floors re-baselined 2026-12-02 when the corpus grew from 12 to 61 scored documents (32 more Sở Y tế scans, 18
# recent documents of other bodies): measured micro strict F1 63.0 %, every field right in 9.8 % of the documents,
# headings F1 72.3 %, 32 of 65 gold tables with their row count. Raise, never lower (unless the set grows again).
# Headings raised 2026-12-03 (sections read run by run): measured F1 89.3 % (309 of 339 found, 44 extra).
# Tables raised 2026-12-03 (issue 14, tables on scans): measured 62 of 65 gold tables with their body-row count,
# 56 of those with their columns too (count and names).
# Raised 2026-12-03 (issue 12 and the merges of issues 13, 14, 20): measured micro strict F1 86.1 %, every field
# right in 21.3 % of the documents, headings F1 94.0 %; typed and stamped fields 627 of 702 right at precision
# 94.0 %; handwritten fields 38 of 137 right at precision 97.4 %. Set a little under the measured figures.
# Raised 2026-12-03 (a centred title, a scan's subject over mixed weights, a doubled type-code letter): measured
# micro strict F1 86.5 %, typed and stamped fields 629 of 702 right at precision 94.3 %, handwritten 39 of 137
# at precision 100 %.
# Raised 2026-12-03 (issue 20: the month and the slash found on the image, OCR as a second witness, an ensemble
# of digit models, the gate chosen on the corpus): handwritten 57 of 137 right at precision 100 %, micro strict
# F1 88.6 %; typed and stamped 639 of 702 (unchanged).
# Tables raised 2026-12-03 (issue 14: noise at a grid's edge, a repeated header's better reading, a header OCR
# could not read): measured 64 of 65 gold tables with their body-row count, 58 with their columns; on scanned
# pages 54 of 55, 48 with their columns.
# Raised 2026-12-03 (issue 20: a day read among the days the page makes possible, a lost "Số:" or "ngày" placed
# on the image, an unsure printed year read again, a 5's flag kept, no 8 without a loop, gate 0.607): handwritten
# 75 of 137 right at precision 100 %, micro strict F1 90.1 %, every field right in 26.2 % of the documents; typed
# and stamped 642 of 702 (unchanged).
# Raised 2026-12-03 (issue 12: a stamp read into a title's line, a subject line a received stamp set in a column,
# administrative phrases given their marks): typed and stamped 645 of 702 right at precision 95.4 %, micro
# strict F1 90.5 %, every field right in 27.9 % of the documents.
# Tables raised 2026-12-03 (issue 14: a grid's first-row label read unsure kept, each cell word the surer of the
# page's and the cell's readings): 64 of 65 gold tables with their body-row count, 60 with their columns; on
# scanned pages 54 of 55, 50 with their columns (90.9 %).
# Raised 2026-12-03 (issue 12: layouts never seen, printed and scanned; a full stop read for a comma between
# words): typed and stamped 646 of 702 right at precision 95.6 %, micro strict F1 90.7 %.
# Headings raised 2026-12-03 (issue 12: a heading found through OCR's slips in its words, never its number; a
# division's number read from the two around it; an article's numbered clauses): measured 340 of 349 gold
# headings found, 20 extra, F1 95.9 % (on the scans, `scripts/dev_eval.py`: 245 of 254, 18 extra).
# Raised 2026-12-03 (issue 12 and 13: the number line read again, lines cut at a wide blank joined, a department
# completed from the closed list, a deputy's title under "KT."): measured by `make results` on this suite's own
# set (66 documents) micro strict F1 92.0 %, every field right in 36.4 % of the documents, typed and stamped
# 718 of 769 right at precision 96.2 %, handwritten 77 of 137 at 100 %, headings F1 95.9 %, tables 69 of 70 (65
# with their columns), on scanned pages 54 of 55 (50). Earlier floors were
# set from `scripts/dev_eval.py`'s 61 PDFs; these are from the suite's own set, a little under the measures.
FLOORS = {"micro_strict_f1": 0.918, "all_right_strict": 0.36, "headings_f1": 0.957, "tables": 69,
          "tables_columns": 65, "tables_scanned": 54, "tables_scanned_columns": 50, "typed_right": 716,
          "typed_precision": 0.96, "handwritten_right": 77,
          "handwritten_precision": 0.95}
# Born-digital documents whose every field was right when the floors were set: they stay so.
ALL_RIGHT = {"347-CV-TDTN-VP.pdf", "binhduong_ubnd_chithi_09_2009.export.pdf",
             "congdoangd_cv172_tuyen_truyen_dai_hoi_XI_2013.export.pdf",
             "doanxa_phucthinh_kh_dem_nhac_xuan_yeu_thuong.export.pdf", "doanxa_phucthinh_kh_xuan_tinh_nguyen_2026.pdf"}


@pytest.mark.slow  # the whole dev set, run once for both (session fixture dev_run, tests/conftest.py)
def test_dev_set_floors(dev_run):
    golds = [GROUNDTRUTH / "gold"] + ([CORPUS / "gold"] if corpus_available() else [])
    report = evaluate(golds, dev_run)
    assert report.micro().f1 >= FLOORS["micro_strict_f1"], report.micro()
    assert report.all_right_share() >= FLOORS["all_right_strict"]
    assert report.sections().f1 >= FLOORS["headings_f1"], report.sections()
    if corpus_available():
        assert sum(d.tables_matched for d in report.docs) >= FLOORS["tables"]
        assert sum(d.tables_columns for d in report.docs) >= FLOORS["tables_columns"]
        assert sum(d.tables_scanned[1] for d in report.docs) >= FLOORS["tables_scanned"]
        assert sum(d.tables_scanned[2] for d in report.docs) >= FLOORS["tables_scanned_columns"]
        for group in ("typed", "handwritten"):
            outcome, counts = report.group_outcomes(group), report.micro(group=group)
            assert outcome.right >= FLOORS[f"{group}_right"], (group, outcome)
            assert counts.precision >= FLOORS[f"{group}_precision"], (group, counts)
    kept = [d for d in report.docs if d.file in ALL_RIGHT]
    assert kept and all(d.all_right() for d in kept), [(d.file, d.wrong) for d in kept if d.wrong]


def test_eval_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["eval", "--pred", str(tmp_path / "nope"), "--gold", str(tmp_path)])
    assert result.exit_code == 2


def test_results_section_replaced_between_markers():
    from directives.results import END, START, replace_section

    readme = f"# t\n\nintro\n\n{START}\nold\n{END}\n\n## After\n"
    new = replace_section(readme, f"{START}\nnew\n{END}")
    assert new == f"# t\n\nintro\n\n{START}\nnew\n{END}\n\n## After\n"
    assert replace_section("# t\n", f"{START}\nx\n{END}").endswith(f"## Results\n\n{START}\nx\n{END}\n")


def test_untitled_sections_match_the_golds_opening_sentence():
    """The gold gives an article or numbered paragraph without a title of its own as its sentence
    ('Điều 3. Quyết định này có hiệu lực …'), or its number alone ('Điều 2.')."""
    pred = Directive(doc_id="0", source=Source(path="x.pdf", sha256="0", pages=1), sections=[
        Section(id="a", number="Điều 3", level=1, title="", text="Quyết định này có hiệu lực kể từ ngày ký./."),
        Section(id="b", number="Điều 2", level=1, title="Tổ chức thực hiện"),
        Section(id="c", number="1", level=2, title="", text="Sở Tài chính chịu trách nhiệm toàn diện."),
        Section(id="d", number="Điều 4", level=1, title="", text="Các ông, bà chịu trách nhiệm thi hành."),
    ])
    gold = ["Điều 3. Quyết định này có hiệu lực kể từ ngày ký.", "Điều 2.", "1. Sở Tài chính chịu trách nhiệm",
            "Điều 5. Hiệu lực"]
    assert score_sections(gold, pred) == Counts(tp=3, fp=1, fn=1)


def test_headings_found_through_ocr_slips_in_their_words_not_their_number():
    """A heading is found when its number is the gold's and its words are, up to a space OCR lost
    ('Lưuý') or, on a long heading, the odd misread letter ('phối NT với'); a short title one letter
    off, or another number, is not."""
    long_gold = "3. Sở Thông tin và Truyền thông chủ trì, phối hợp với Đài Phát thanh - Truyền hình tỉnh"
    pred = Directive(doc_id="0", source=Source(path="x.pdf", sha256="0", pages=1), sections=[
        Section(id="a", number="2", level=1, title="Lưuý:"),
        Section(id="b", number="3", level=1, title="",
                text="Sở Thông tin và Truyền thông chủ trì, phối NT với Đài Phát thanh - Truyền hình tỉnh, Báo"),
        Section(id="c", number="4", level=1, title="Kinh phi"),
        Section(id="d", number="5", level=1, title="Sở Thông tin và Truyền thông chủ trì, phối hợp với Đài"),
    ])
    gold = ["2. Lưu ý", long_gold, "4. Thời gian", "6. Sở Thông tin và Truyền thông chủ trì, phối hợp với Đài"]
    assert score_sections(gold, pred) == Counts(tp=2, fp=2, fn=2)
    assert score_sections(["4. Kinh phí"], pred).tp == 1  # diacritics never counted
    assert score_sections(["4. Kinh phu"], pred).tp == 0  # a short title one letter off is another title
