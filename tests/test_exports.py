"""Exports: CSV guarded against formula injection, one XLSX workbook, Parquet files; the CSV and
the XLSX read back by LibreOffice (headless) with Vietnamese text intact and no formula evaluated."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from directives.exports import (
    csv_blocks,
    guard_formula,
    record_lengths,
    write_csv_dataset,
    write_parquet_dataset,
    write_xlsx,
)
from directives.index import CORPUS, CorpusBuilder, dataset_columns, dataset_names
from directives.schemas import Activity, Directive, ErrorRecord, Metadata, Section, Source

TRICKY = "=1+1"  # would be evaluated by a spreadsheet
TITLE = "Năm Thanh niên tình nguyện: Đoàn TNCS Hồ Chí Minh"


def sample() -> Directive:
    return Directive(
        doc_id="abcdef0123456789", source=Source(path="/in/kế hoạch số 1.pdf", sha256="ab" * 32, pages=3),
        metadata=Metadata(type="Kế hoạch", issuer="ĐOÀN XÃ PHÚC THỊNH", date="2026-01-05", subject=TITLE,
                          reference="09/KH-ĐTN", number="09", symbol="KH-ĐTN"),
        sections=[Section(id="s1", number="3.10", level=1, title=TITLE, text=TRICKY,
                          bullets=["+84 912 345 678", "@đoàn viên"]),
                  Section(id="s2", number="3.1", level=1, title="Ký tự điều khiển\x07 bị bỏ", text="- gạch đầu dòng")],
        activities=[Activity(no=1, name="-5 ngày trước Tết", time_text="Quý I", months=[1, 2, 3], year=2026,
                             table_id="t1", row=0)])


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    b = CorpusBuilder(out / CORPUS)
    b.add(sample())
    b.add_errors([ErrorRecord(file="/in/hỏng.pdf", code="corrupt-pdf", reason="=HYPERLINK(\"x\") không mở được")])
    b.close()
    db = sqlite3.connect(out / CORPUS)
    for name in dataset_names():
        write_csv_dataset(db, out / f"{name}.csv", name)
        write_parquet_dataset(db, out / "parquet" / f"{name}.parquet", name)
    write_xlsx(db, out / "datasets.xlsx")
    db.close()
    return out


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.parametrize(("text", "want"), [
    ("=1+1", "'=1+1"), ("+84", "'+84"), ("-5", "'-5"), ("@x", "'@x"), ("\tx", "'\tx"),
    ("Đoàn", "Đoàn"), ("", ""), ("a=b", "a=b")])
def test_guard_formula(text: str, want: str) -> None:
    assert guard_formula(text) == want


def test_csv_cells_are_guarded(out: Path) -> None:
    sections = read_csv(out / "sections.csv")
    assert list(sections["text"]) == ["'=1+1", "'- gạch đầu dòng"]
    assert sections["bullets"][0] == "'+84 912 345 678 | @đoàn viên"
    assert sections["title"][0] == TITLE
    assert read_csv(out / "activities.csv")["name"][0] == "'-5 ngày trước Tết"
    assert read_csv(out / "errors.csv")["reason"][0].startswith("'=HYPERLINK")
    assert read_csv(out / "documents.csv")["pages"][0] == "3"  # numbers are not text: never guarded


def test_csv_blocks_are_each_documents_records() -> None:
    """One to_csv for several documents, cut where each one's records end: a line break or a quote
    inside a cell does not end a record, and each block is what the csv module writes for it."""
    import csv
    import io

    columns = dataset_columns("warnings")
    tricky = ("a\r\nb", 'say "x"', "=SUM(A1)", "-", "", None, 7, "x,\ny")
    docs = [[tuple(tricky[(k + j) % len(tricky)] for j in range(len(columns))) for k in range(n)] for n in (2, 0, 3, 1)]
    blocks = csv_blocks("warnings", docs)
    assert len(blocks) == 4 and blocks[1] == b""
    for rows, block in zip(docs, blocks, strict=True):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        for row in rows:
            writer.writerow([guard_formula(v) if isinstance(v, str) else "" if v is None else v for v in row])
        assert block == buf.getvalue().encode("utf-8")
    assert list(record_lengths(b"".join(blocks))) == [len(r) for b in blocks for r in csv_lines(b)]


TRICKY_VALUES = ("a\r\nb", 'say "x"', "=SUM(A1)", "-", "-5", "", None, 7, -12, 2**40, "x,\ny", "lone\r", " pad ",
                 "nan", "None", "NULL", "Đoàn", "😀", "+84", "@x", "\tt", "'q")


def pandas_csv(rows: list[tuple[object, ...]], columns: tuple[str, ...]) -> str:
    """What pandas' `to_csv` writes for the rows in an object frame, text cells guarded (the oracle)."""
    import csv

    frame = pd.DataFrame(rows, columns=list(columns), dtype=object)
    for name in frame.columns:
        values = frame[name]
        try:
            formula = values.str.startswith(("=", "+", "-", "@", "\t", "\r"), na=False)
        except AttributeError:
            continue
        if formula.any():
            frame.loc[formula, name] = values[formula].map(guard_formula)
    return frame.to_csv(index=False, header=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def test_csv_text_is_what_pandas_writes() -> None:
    from directives.exports import csv_header, csv_text

    n = len(TRICKY_VALUES)
    rows = [tuple(TRICKY_VALUES[(k * 3 + j) % n] for j in range(5)) for k in range(3 * n)]
    rows += [(None, 1, None, 2, None), (3, 4, 5, 6, 7), ("", "", "", "", "")]  # integer and empty columns
    assert csv_text(rows) == pandas_csv(rows, ("a", "b", "c", "d", "e"))
    for name in dataset_names():
        empty = pd.DataFrame(columns=list(dataset_columns(name)))
        want = empty.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
        assert csv_header(name) == want


def pandas_parquet(rows: list[tuple[object, ...]], schema) -> bytes:
    """The Parquet file of the rows through a pandas frame (integer columns Int64, the rest str)."""
    import io

    import pyarrow as pa

    frame = pd.DataFrame(rows, columns=schema.names, dtype=object)
    frame = frame.astype({f.name: "Int64" if f.type == pa.int64() else "str" for f in schema})
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False).replace_schema_metadata(None)
    buf = io.BytesIO()
    with pq.ParquetWriter(buf, schema, compression="zstd") as writer:
        writer.write_table(table)
    return buf.getvalue()


def test_parquet_rows_are_what_pandas_gives() -> None:
    import io

    import pyarrow as pa

    from directives.exports import _arrow

    schema = pa.schema([("t", pa.string()), ("i", pa.int64()), ("m", pa.string()), ("n", pa.int64()),
                        ("z", pa.string())])
    n = len(TRICKY_VALUES)
    text = [v for v in TRICKY_VALUES if not isinstance(v, int)]
    rows = [(text[k % len(text)], k - 3 if k % 4 else None, TRICKY_VALUES[k % n], None, None) for k in range(50)]
    for batch in (rows, rows[:1], []):
        buf = io.BytesIO()
        with pq.ParquetWriter(buf, schema, compression="zstd") as writer:
            writer.write_table(_arrow(batch, schema))
        assert buf.getvalue() == pandas_parquet(batch, schema), len(batch)


def csv_lines(block: bytes) -> list[bytes]:
    """A block's records, read back by the csv module and written again one at a time."""
    import csv
    import io

    out = []
    for row in csv.reader(io.StringIO(block.decode("utf-8"), newline="")):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow(row)
        out.append(buf.getvalue().encode("utf-8"))
    return out


def column(ws, name: str, row: int = 2):
    header = [c.value for c in ws[1]]
    return ws.cell(row=row, column=header.index(name) + 1)


def test_xlsx_sheets_header_and_strings(out: Path) -> None:
    wb = openpyxl.load_workbook(out / "datasets.xlsx")
    assert wb.sheetnames == ["README", *dataset_names()]
    for name in dataset_names():
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert tuple(c.value for c in ws[1]) == dataset_columns(name)
        assert ws["A1"].font.b
    ws = wb["sections"]
    text = column(ws, "text")
    assert (text.value, text.data_type) == (TRICKY, "s")  # the raw text, stored as a string
    assert column(ws, "title").value == TITLE
    assert column(ws, "title", 3).value == "Ký tự điều khiển bị bỏ"
    pages = column(wb["documents"], "pages")
    assert (pages.value, pages.data_type) == (3, "n")


def test_xlsx_for_analysis(out: Path) -> None:
    """Date cells, an autofilter over every sheet, fitted widths, identifiers as text, the document's
    keys on the child sheets, the README sheet."""
    import datetime as dt

    wb = openpyxl.load_workbook(out / "datasets.xlsx")
    for title in wb.sheetnames:
        ws = wb[title]
        columns = [c.value for c in ws[1]]
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(columns))}{ws.max_row}", title
        assert ws.freeze_panes == "A2"
        for k, name in enumerate(columns, 1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(k)].width
            assert len(name) + 4 <= width <= 60, (title, name, width)
    docs = wb["documents"]
    for sheet in ("documents", "sections", "activities", "activity_months", "warnings", "entities", "tables"):
        if wb[sheet].max_row > 1:
            date = column(wb[sheet], "date")
            assert date.value == dt.datetime(2026, 1, 5) and date.is_date and date.number_format == "yyyy-mm-dd"
    subject = openpyxl.utils.get_column_letter([c.value for c in docs[1]].index("subject") + 1)
    assert docs.column_dimensions[subject].width == len(TITLE) + 2  # fitted to the longest value
    for ws, name, want in ((docs, "number", "09"), (docs, "reference", "09/KH-ĐTN"),
                           (wb["sections"], "number", "3.10")):
        c = column(ws, name)
        assert (c.value, c.data_type) == (want, "s")
    assert column(wb["sections"], "number", 3).value == "3.1"
    for sheet in ("sections", "activities", "activity_months", "tables", "entities", "warnings"):
        header = [c.value for c in wb[sheet][1]]
        assert header[:5] == ["doc_id", "reference", "type", "date", "issuer"], sheet
    acts = wb["activities"]
    assert column(acts, "months").value == "Tháng 1, 2, 3" and column(acts, "reference").value == "09/KH-ĐTN"
    months = list(wb["activity_months"].iter_rows(min_row=2, values_only=True))
    header = [c.value for c in wb["activity_months"][1]]
    assert [r[header.index("month")] for r in months] == [1, 2, 3]
    readme = list(wb["README"].iter_rows(values_only=True))
    assert readme[0] == ("sheet", "column", "description")
    described = {(s, c) for s, c, _ in readme[1:] if c}
    for name in dataset_names():
        assert {(name, c) for c in dataset_columns(name)} <= described, name
    assert all(d for *_, d in readme[1:])


def test_xlsx_is_reproducible(out: Path, tmp_path: Path) -> None:
    db = sqlite3.connect(out / CORPUS)
    write_xlsx(db, tmp_path / "again.xlsx")
    db.close()
    assert (tmp_path / "again.xlsx").read_bytes() == (out / "datasets.xlsx").read_bytes()


def test_parquet_has_raw_values_and_integers(out: Path) -> None:
    sections = pq.read_table(out / "parquet" / "sections.parquet")
    assert sections.column("text").to_pylist() == [TRICKY, "- gạch đầu dòng"]
    assert str(sections.schema.field("level").type) == "int64"
    activities = pq.read_table(out / "parquet" / "activities.parquet").to_pylist()
    assert activities[0]["months"] == "Tháng 1, 2, 3" and activities[0]["year"] == 2026
    months = pq.read_table(out / "parquet" / "activity_months.parquet")
    assert months.column("month").to_pylist() == [1, 2, 3] and str(months.schema.field("month").type) == "int64"
    documents = pq.read_table(out / "parquet" / "documents.parquet").to_pylist()[0]
    assert (documents["number"], documents["reference"]) == ("09", "09/KH-ĐTN")  # identifiers keep their form
    assert pq.read_table(out / "parquet" / "sections.parquet").column("number").to_pylist() == ["3.10", "3.1"]
    assert pq.read_table(out / "parquet" / "warnings.parquet").num_rows == 0
    for name in dataset_names():
        assert tuple(pq.read_schema(out / "parquet" / f"{name}.parquet").names) == dataset_columns(name)


# ---------------------------------------------------------------- LibreOffice reads them back

def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.geteuid() != 0:
        pytest.skip("LibreOffice (soffice) is not installed and this is not root: "
                    "sudo apt-get install -y --no-install-recommends libreoffice-calc-nogui")
    pytest.fail("soffice missing although running as root: `make sysdeps` installs libreoffice-calc-nogui")


def convert(src: Path, dest: Path, profile: Path, infilter: str | None = None) -> list[Path]:
    """`src` converted to CSV files (UTF-8, one per sheet) by LibreOffice headless."""
    cmd = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    # 44 comma, 34 quote, 76 UTF-8, from line 1; token 12 = -1: every sheet to its own file
    cmd += ["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir", str(dest), str(src)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr
    return sorted(dest.glob("*.csv"))


def test_libreoffice_reads_the_csv(out: Path, tmp_path: Path) -> None:
    files = convert(out / "sections.csv", tmp_path / "csv", tmp_path / "profile", infilter="CSV:44,34,76,1")
    back = pd.read_csv(files[0], dtype=str, keep_default_na=False)
    assert back["title"][0] == TITLE
    assert back["text"][0] == "'=1+1"  # shown as text, not evaluated to 2
    assert back["text"][1] == "'- gạch đầu dòng"


def test_libreoffice_reads_the_xlsx(out: Path, tmp_path: Path) -> None:
    files = convert(out / "datasets.xlsx", tmp_path / "xlsx", tmp_path / "profile")
    assert [f.stem.split("-", 1)[1] for f in files] == sorted(["README", *dataset_names()])
    sections = pd.read_csv(tmp_path / "xlsx" / "datasets-sections.csv", dtype=str, keep_default_na=False)
    assert list(sections["title"]) == [TITLE, "Ký tự điều khiển bị bỏ"]
    assert list(sections["text"]) == [TRICKY, "- gạch đầu dòng"]  # raw text, no formula evaluated
    documents = pd.read_csv(tmp_path / "xlsx" / "datasets-documents.csv", dtype=str, keep_default_na=False)
    assert documents["file"][0] == "/in/kế hoạch số 1.pdf" and documents["issuer"][0] == "ĐOÀN XÃ PHÚC THỊNH"
    # a date cell shown as ISO; identifiers as printed (not 9, not 3.1)
    assert (documents["date"][0], documents["number"][0]) == ("2026-01-05", "09")
    assert list(sections["number"]) == ["3.10", "3.1"]


def test_libreoffice_renders_the_xlsx(out: Path, tmp_path: Path) -> None:
    """LibreOffice opens the workbook and prints it to PDF without error. To look at a sheet:

        soffice --headless --convert-to pdf --outdir /tmp/x output/datasets.xlsx
        pdftoppm -png -r 60 -f 1 -l 1 /tmp/x/datasets.pdf /tmp/x/page
    """
    cmd = [soffice(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
           "--outdir", str(tmp_path), str(out / "datasets.xlsx")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr
    pdf = (tmp_path / "datasets.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf.replace(b"/Type/Page", b"/Type /Page")


# ---------------------------------------------------------------- spliced exports, the workbook


def doc(n: int, *, no: int | None = None, title: str = "Mục") -> Directive:
    return Directive(
        doc_id=f"{n:016x}", source=Source(path=f"/in/{n}.pdf", sha256=f"{n:064x}", pages=1),
        metadata=Metadata(type="Kế hoạch", issuer="ĐOÀN XÃ", date="2026-01-05", subject=f"Văn bản {n}"),
        sections=[Section(id=f"s{k}", number=str(k), level=1, title=f"{title} {k}", text="x" * n) for k in range(n % 3)],
        activities=[Activity(no=no, name=f"Hoạt động {n}", table_id="t1", row=0)])


def exports_of(db: sqlite3.Connection, folder: Path, layouts: dict | None = None, fresh: frozenset[str] = frozenset()):
    """Every CSV and Parquet file of the corpus (spliced from `folder`'s files when layouts are given)."""
    from directives.exports import Splicer, write_csv_dataset, write_parquet_dataset
    from directives.index import ordered_docs

    splicer = Splicer(ordered_docs(db), fresh)
    out = {}
    for name in dataset_names():
        for kind, write, path in (("csv", write_csv_dataset, folder / f"{name}.csv"),
                                  ("parquet", write_parquet_dataset, folder / f"{name}.parquet")):
            out[(kind, name)] = write(db, path, name, (layouts or {}).get((kind, name)), splicer)
    out[("xlsx", "")] = write_xlsx(db, folder / "datasets.xlsx", (layouts or {}).get(("xlsx", "")), splicer)
    return out


@pytest.mark.parametrize("chunk", [300, 3000])  # a sheet's chunk ends after a document or two, or after several
def test_spliced_exports_equal_whole_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture, chunk: int) -> None:
    from directives.exports import Splicer
    from directives.index import Corpus, ordered_docs
    from directives.xlsx import kept_chunks

    monkeypatch.setattr("directives.xlsx._FLUSH", chunk)
    corpus = Corpus(tmp_path / CORPUS)
    pos = {n: n.to_bytes(2, "big") for n in range(20)}
    corpus.add([(doc(n), pos[n], None) for n in (1, 3, 5, 7, 9)])  # activity "no" all null: a string column
    spliced = tmp_path / "spliced"
    layouts = exports_of(corpus.db, spliced)
    steps = [
        lambda: corpus.add([(doc(4, no=2), pos[4], None)]),  # in the middle; "no" becomes an integer column
        lambda: corpus.remove(["0000000000000005"]),
        lambda: corpus.add([(doc(9, title="Đổi"), pos[9], None)]),  # changed content, same doc_id
        lambda: corpus.move({"0000000000000007": pos[0]}),  # moves to the front
        lambda: corpus.remove(["0000000000000004"]),  # "no" a string column again
        lambda: corpus.add([(doc(n), pos[n], None) for n in (11, 12)]),
    ]
    copied, carried = [], []  # compressed chunks the workbook copied from its previous version; rows decompressed

    def counted(kept):
        chunks, carry = kept_chunks(kept)
        copied.extend(len(data) for data, _ in chunks)
        carried.append(len(carry))
        return chunks, carry
    monkeypatch.setattr("directives.xlsx.kept_chunks", counted)
    for k, step in enumerate(steps):
        generation = corpus.generation("docs")
        step()
        fresh = frozenset(d for d, (_, _, g) in corpus.states().items() if g > generation)
        layouts = exports_of(corpus.db, spliced, layouts, fresh)
        whole = tmp_path / f"whole-{k}"
        assert exports_of(corpus.db, whole) == layouts
        for name in dataset_names():
            for suffix in ("csv", "parquet"):
                assert (spliced / f"{name}.{suffix}").read_bytes() == (whole / f"{name}.{suffix}").read_bytes(), \
                    (k, name, suffix)
        assert (spliced / "datasets.xlsx").read_bytes() == (whole / "datasets.xlsx").read_bytes(), k
        assert members(spliced / "datasets.xlsx") == reference_members(corpus.db), k
    assert len(copied) >= (4 if chunk == 300 else 1)  # rows before the appended and inserted documents: copied compressed
    assert sum(carried) > 0 if chunk > 300 else sum(carried) == 0  # (and those in a chunk that goes on: decompressed)
    assert "written whole" not in caplog.text
    shutil.copy(tmp_path / "whole-0" / "datasets.xlsx", spliced / "datasets.xlsx")  # not what the layout says
    assert write_xlsx(corpus.db, spliced / "datasets.xlsx", layouts[("xlsx", "")], Splicer(ordered_docs(corpus.db)))
    assert (spliced / "datasets.xlsx").read_bytes() == (tmp_path / f"whole-{k}" / "datasets.xlsx").read_bytes()
    assert "datasets.xlsx: written whole" in caplog.text  # written whole instead
    corpus.close()


def members(path: Path) -> list[tuple[str, int, bytes]]:
    """A zip file's entries in order: name, external attributes, content (uncompressed); every
    entry's CRC checked."""
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        return [(i.filename, i.external_attr, zf.read(i)) for i in zf.infolist()]


def reference_members(db: sqlite3.Connection) -> list[tuple[str, int, bytes]]:
    """The workbook's entries as openpyxl writes them directly, row by row (what write_xlsx must
    hold: the same parts, the same XML; its own deflate stream)."""
    import io

    from directives.columns import README, readme_rows
    from directives.index import dataset_rows
    from directives.xlsx import Frame, fixed_dates, openpyxl_workbook, value_widths

    sheets = [(README, README)] + [(n[:31], n) for n in dataset_names()]
    rows = [readme_rows()] + [list(dataset_rows(db, n)) for n in dataset_names()]
    frames = [Frame(len(r), tuple(value_widths(r, len(r[0]) if r else len(dataset_columns(sheets[i][1])))))
              for i, r in enumerate(rows)]
    src = zipfile.ZipFile(io.BytesIO(openpyxl_workbook(sheets, lambda i: rows[i], frames)))
    return [(i.filename, i.external_attr, fixed_dates(i.filename, src.read(i))) for i in src.infolist()]


def test_xlsx_from_templates_is_what_openpyxl_writes(tmp_path: Path) -> None:
    tricky = ["  leading and trailing  ", "line\nbreak\r\nand\ttab", "=SUM(A1)", "<b>&amp;</b> \"q\" 'a'",
              "ctrl\x01\x1f", "𝔘 beyond the BMP 😀", "x" * 40_000, "", "Đ" * 10]
    b = CorpusBuilder(tmp_path / CORPUS)
    for k, text in enumerate(tricky):
        d = doc(k + 1)
        b.add(d.model_copy(update={"sections": [Section(id="s1", number="1", level=1, title=text, text=text,
                                                        bullets=[text, "b"])]}))
    b.add_errors([ErrorRecord(file=f"/in/{t[:20]}.pdf", code="not-a-pdf", reason=t) for t in tricky])
    b.close()
    db = sqlite3.connect(tmp_path / CORPUS)
    write_xlsx(db, tmp_path / "datasets.xlsx")
    assert members(tmp_path / "datasets.xlsx") == reference_members(db)
    db.close()


def test_a_workbook_of_many_chunks_reads_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook whose sheets are deflated in many chunks, some copied from the previous workbook,
    reads back the same in openpyxl, pandas and LibreOffice."""
    from directives.exports import Splicer
    from directives.index import Corpus, dataset_rows, ordered_docs

    monkeypatch.setattr("directives.xlsx._FLUSH", 300)
    corpus = Corpus(tmp_path / CORPUS)
    corpus.add([(doc(n), n.to_bytes(2, "big"), None) for n in range(1, 12)])
    path = tmp_path / "datasets.xlsx"
    layout = write_xlsx(corpus.db, path)
    corpus.add([(doc(40, title="Mới"), (40).to_bytes(2, "big"), None)])
    order = ordered_docs(corpus.db)
    write_xlsx(corpus.db, path, layout, Splicer(order, frozenset(order[-1:])))  # the rows of 11 documents copied
    with zipfile.ZipFile(path) as zf:
        assert len(zf.getinfo("xl/worksheets/sheet4.xml").extra) > 100  # the sections sheet: many chunks
    want = [tuple("" if v is None else str(v) for v in r) for r in dataset_rows(corpus.db, "sections")]
    corpus.close()
    assert len(want) == 13 and want[-1][dataset_columns("sections").index("title")] == "Mới 0"
    wb = openpyxl.load_workbook(path, read_only=True)
    shown = [tuple("" if v is None else v.date().isoformat() if hasattr(v, "date") else str(v) for v in r)
             for r in wb["sections"].iter_rows(min_row=2, values_only=True)]
    assert shown == want
    frame = pd.read_excel(path, sheet_name="sections", dtype=str, keep_default_na=False)
    assert list(frame["title"]) == [r[dataset_columns("sections").index("title")] for r in want]
    convert(path, tmp_path / "csv", tmp_path / "profile")
    back = pd.read_csv(tmp_path / "csv" / "datasets-sections.csv", dtype=str, keep_default_na=False)
    assert list(back["title"]) == list(frame["title"]) and list(back["doc_id"]) == list(frame["doc_id"])


def test_a_dataset_longer_than_a_sheet_continues_on_more_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr("directives.xlsx.XLSX_MAX_ROWS", 4)  # a header and 3 rows a sheet
    b = CorpusBuilder(tmp_path / CORPUS)
    for n in (2, 5, 8, 11):  # 2 sections each: 8 rows
        b.add(doc(n))
    b.close()
    db = sqlite3.connect(tmp_path / CORPUS)
    write_xlsx(db, tmp_path / "datasets.xlsx")
    db.close()
    wb = openpyxl.load_workbook(tmp_path / "datasets.xlsx", read_only=True)
    titles = [t for t in wb.sheetnames if not t.startswith("README")]
    assert titles[:5] == ["documents", "documents (2)", "parts", "sections", "sections (2)"]
    full = openpyxl.load_workbook(tmp_path / "datasets.xlsx")
    assert [full[t].auto_filter.ref for t in ("sections", "sections (2)", "sections (3)")] == ["A1:O4", "A1:O4", "A1:O3"]
    assert "sections (3)" in wb.sheetnames
    rows = [r for t in ("sections", "sections (2)", "sections (3)") for r in wb[t].iter_rows(values_only=True)]
    header = dataset_columns("sections")
    assert [r for r in rows if r == header] == [header] * 3
    titles = [r[header.index("title")] for r in rows if r != header]
    assert titles == ["Mục 0", "Mục 1"] * 4
    assert any("split over 3 sheets" in r.message for r in caplog.records)


# ---------------------------------------------------------------- pandas, column docs


def test_csv_in_pandas_keeps_identifiers(out: Path) -> None:
    """With dtype=str (what output/README.md says to use) every identifier keeps its form; with
    pandas' defaults every CSV loads, and the identifiers that do not look like numbers keep it."""
    for name in dataset_names():
        as_text = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        default = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")
        assert list(as_text.columns) == list(default.columns) == list(dataset_columns(name))
        assert len(as_text) == len(default)
    docs = read_csv(out / "documents.csv")
    assert (docs["number"][0], docs["reference"][0], docs["doc_id"][0]) == ("09", "09/KH-ĐTN", "abcdef0123456789")
    assert list(read_csv(out / "sections.csv")["number"]) == ["3.10", "3.1"]
    default = pd.read_csv(out / "documents.csv", encoding="utf-8-sig")
    assert (default["reference"][0], default["doc_id"][0]) == ("09/KH-ĐTN", "abcdef0123456789")
    assert default["date"][0] == "2026-01-05"


def test_output_readme_describes_every_column() -> None:
    from directives.columns import DATASET_DOCS, main

    for name in dataset_names():
        assert tuple(DATASET_DOCS[name][1]) == dataset_columns(name), name
    assert main([str(Path(__file__).resolve().parents[1] / "output" / "README.md"), "--check"]) == 0
