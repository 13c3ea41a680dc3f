"""The XLSX row templates written directly (`xlsx_rows`) are openpyxl's (`xlsx.row_templates`), byte for byte."""

from __future__ import annotations

from directives import xlsx, xlsx_rows
from directives.schemas import Directive
from directives.writers import DATASETS
from tests.helpers import ROOT

TRICKY = ["plain", "", " lead", "trail ", "in\nside", "tab\there", "cr\rhere", "a & b < c > d", "\"quotes\" 'too'",
          "Đoàn Thanh niên", "emoji 😀 astral", "=SUM(A1)", "+1", "#N/A", "ctrl\x01char", "x" * 40_000,
          "\u00a0nbsp", "2023-07-29", "2023-02-30", "1900-02-28", "1899-12-31", "0001-01-01", "line\u2028sep"]
VALUES = [None, 0, -5, 7, 45136, 10**17, 0.5, 1e-7, 3.14159265358979, True, False, ["a", "b"], [], *TRICKY]


def test_every_kind_of_value_is_written_as_openpyxl_writes_it():
    name = "documents"  # its "date" column is a date column
    width = len(xlsx.sheet_columns(name))
    date_at = xlsx.sheet_columns(name).index("date")
    rows = []
    for v in VALUES:
        row = [v] * width
        rows.append(tuple(row))
        row[date_at] = v if isinstance(v, str) else "2024-01-05"
        rows.append(tuple(row))
    docs = [rows[:7], [], rows[7:]]
    assert xlsx_rows.row_templates(name, docs) == xlsx.row_templates(name, docs)


def test_the_seed_documents_rows_are_openpyxls():
    from directives.index import sql_value

    d = Directive.model_validate_json((ROOT / "tests" / "groundtruth" / "347-CV-TDTN-VP.json").read_text("utf-8"))
    for ds in DATASETS:
        docs = [[tuple(sql_value(v) for v in r) for r in ds.rows(d)]]
        assert xlsx_rows.row_templates(ds.name, docs) == xlsx.row_templates(ds.name, docs), ds.name


def test_a_number_openpyxl_writes_by_other_rules_is_left_to_it():
    assert xlsx_rows.row_templates("documents", [[(float("nan"),)]]) is None
    assert xlsx_rows.column_letter(1) == "A" and xlsx_rows.column_letter(26) == "Z" and \
        xlsx_rows.column_letter(28) == "AB"
