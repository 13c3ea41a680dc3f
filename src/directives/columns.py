"""What each dataset and column holds: one text for the workbook's README sheet and for the
"CSV datasets" section of output/README.md (`python -m directives.columns output/README.md`
rewrites that section; `--check` fails when it is stale).

A test checks that every column of every dataset (`writers.DATASETS`, errors) is described here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from directives.errors import SEVERITIES, WARNING_SEVERITY

README = "README"
README_COLUMNS = ("sheet", "column", "description")
START, END = "<!-- columns:start -->", "<!-- columns:end -->"

_KEYS = {
    "doc_id": "the document's id: the first 16 hex digits of its file's SHA-256 (the key to join on)",
    "reference": "the document's number and symbol as printed after \"Số:\" (e.g. 347-CV/TĐTN-VP); text",
    "type": "the document's type (Công văn, Kế hoạch, Quyết định …)",
    "date": "the document's date (a date cell in the workbook, YYYY-MM-DD in the CSV)",
    "issuer": "the body that issued the document",
}

# dataset → (one row per, {column: what it holds})
DATASET_DOCS: dict[str, tuple[str, dict[str, str]]] = {
    "documents": ("document", {
        "reference": _KEYS["reference"],
        "type": _KEYS["type"],
        "date": "the date printed in the place-and-date line (a date cell in the workbook)",
        "issuer": _KEYS["issuer"],
        "subject": "after \"V/v\" for a công văn, else the title block under the type name",
        "number": "the number part of the reference, as printed (text: \"09\" stays \"09\")",
        "symbol": "the symbol part of the reference (KH-SYT, CV/TĐTN-VP …)",
        "place": "the place of the place-and-date line",
        "status": "ok; partial (pages without text, or issuer / type / date / signer name not found); failed",
        "signer_name": "the signer's name",
        "signer_title": "the signer's title (BÍ THƯ, PHÓ GIÁM ĐỐC …)",
        "signer_authority": "TM. / KT. / TL. / TUQ. / Q. before the title",
        "signer_on_behalf_of": "the body after the authority word",
        "parent_organization": "the line above the issuer (e.g. UBND TỈNH KIÊN GIANG above SỞ Y TẾ)",
        "regime_header": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / ĐẢNG CỘNG SẢN VIỆT NAM …",
        "recipients": "after \"Kính gửi\", joined by \" | \"",
        "distribution": "the \"Nơi nhận\" items, joined by \" | \"",
        "pages": "pages in the file",
        "n_parts": "documents in the file (main document and attachments)",
        "n_sections": "numbered sections",
        "n_tables": "ruled tables",
        "n_activities": "activity rows of plan tables",
        "n_warnings": "warnings of any severity (see the warnings sheet)",
        "doc_id": _KEYS["doc_id"],
        "file": "the input file's path as given to `directives run`",
        "relative_path": "the path relative to the input folder it was found under (a file named by itself: its "
                         "name); it stays right when the inputs and outputs are moved together",
        "absolute_path": "the input file's absolute path when it was read",
        "sha256": "the input file's SHA-256",
        "page_sources": "per page: text (text layer), ocr, none (no usable text), joined by \" | \"",
    }),
    "parts": ("document inside a file (0 = main document, then attachments)", {
        "doc_id": _KEYS["doc_id"],
        "part": "0 = the main document, 1 … the attachments (PHỤ LỤC, ĐỊNH HƯỚNG …)",
        "type": "the part's type",
        "title": "the part's title line",
        "subject": "the part's subject",
        "reference": "the part's own reference, when printed",
        "place": "the part's place",
        "date": "the part's date (a date cell in the workbook)",
        "marks": "HỎA TỐC, KHẨN, MẬT … joined by \" | \"",
        "pages": "the pages it spans, joined by \" | \"",
    }),
    "sections": ("numbered section", {
        **_KEYS,
        "section_id": "the section's id within the document",
        "parent_id": "the enclosing section's id (empty at the top level)",
        "part": "the part it belongs to",
        "number": "as printed: 3.1, II, Điều 2 (text: \"3.10\" is not 3.1)",
        "level": "1 = the outermost numbering style of its part",
        "title": "the heading's text",
        "text": "the section's paragraphs, one per line",
        "bullets": "its \"-\" / \"+\" items, joined by \" | \"",
        "pages": "the pages it spans",
        "keywords": "up to 5 keywords (TF-IDF over the document's words)",
    }),
    "activities": ("row of an activity-plan table", {
        **_KEYS,
        "table_id": "the table it comes from (tables sheet)",
        "row": "its row in that table (0-based)",
        "no": "the row's number as printed (STT)",
        "name": "the activity",
        "time_text": "its time as printed (Quý III, Tháng 7 – 9 …)",
        "months": "the months read from it, as text (\"Tháng 7, 8, 9\"); one row per month in activity_months",
        "year": "its year: the row's own, else the plan's period, else the document's date",
    }),
    "activity_months": ("activity and month (for pivot tables)", {
        **_KEYS,
        "table_id": "the table it comes from",
        "row": "its row in that table (0-based)",
        "no": "the row's number as printed",
        "name": "the activity",
        "month": "one month (1–12) of the activity",
        "year": "the activity's year",
    }),
    "tables": ("table cell (data rows)", {
        **_KEYS,
        "table_id": "the table's id within the document",
        "part": "the part it belongs to",
        "title": "the caption above the table",
        "row": "the data row (0-based, header excluded)",
        "col": "the column (0-based)",
        "column": "that column's header text",
        "text": "the cell's text",
    }),
    "warnings": ("warning", {
        **_KEYS,
        "severity": "info (nothing to do), check (look at the page: a value missing, doubtful or "
                    "inconsistent), error (the file or a signature is not what it should be)",
        "code": "what kind of warning (listed under \"Warning codes\" below)",
        "message": "what looked wrong or could not be read",
        "page": "the page it concerns",
        "part": "the part it concerns",
        "field": "the field it concerns (number, date, signer.name …)",
        "file": "the input file's path",
    }),
    "entities": ("named entity", {
        **_KEYS,
        "section_id": "the text the offsets refer to: a section id, p<part>, a table id or metadata",
        "label": "PER, ORG, LOC, LEGAL_REF, CAMPAIGN, DATE, PERIOD",
        "text": "as printed",
        "normalized": "LEGAL_REF: compact JSON; DATE / PERIOD: ISO 8601; LOC: canonical name; CAMPAIGN: its word",
        "start": "character offset where it starts",
        "end": "character offset where it ends",
    }),
    "signatures": ("signature (digital, or a printed box with none behind it: stamp-text)", {
        "doc_id": _KEYS["doc_id"],
        "file": "the input file's path",
        "kind": "digital | stamp-text",
        "field": "the signature field's name",
        "page": "the page of its box",
        "signer": "the certificate's common name, else the box's \"Ký bởi:\"",
        "organization": "the certificate's organization, else the box's \"Cơ quan:\"",
        "email": "the certificate's e-mail",
        "signing_time": "ISO 8601, with its UTC offset when given",
        "reason": "the signature's reason",
        "location": "the signature's location",
        "intact": "true when the digest of the signed bytes matches",
        "valid": "true when the signature checks out with the certificate's key (no trust chain checked)",
        "covers_whole_file": "true when the signed range is the whole file",
        "modified_after_signing": "true when bytes were added or changed after signing",
        "later_changes_signed": "true when a later signature that holds covers the added bytes",
        "subfilter": "adbe.pkcs7.detached, ETSI.CAdES.detached …",
        "certificate_subject": "the certificate's subject",
        "certificate_issuer": "the certificate's issuer",
        "byte_range": "/ByteRange: offset, length, offset, length",
        "box": "x0, y0, x1, y1 in PDF points, origin top-left",
        "text": "the box as printed",
        "error": "why it could not be read or checked",
    }),
    "errors": ("file that could not be processed", {
        "file": "the input file's path",
        "code": "unsupported-format, empty-file, not-a-pdf, corrupt-pdf, encrypted-pdf, missing, unreadable, "
                "no-text, internal, output; the batch's limits: timeout, memory, crashed",
        "reason": "what went wrong, in words",
    }),
}


def readme_rows() -> list[tuple[str, str, str]]:
    """The workbook's README sheet: a row per sheet (column empty), then a row per column."""
    rows = [(README, "", "this sheet: what each sheet and column holds"),
            ("", "", "Filter with the header's arrows; dates are date cells; identifiers (reference, number, "
                     "section number) are text. Lists are joined by \" | \"; an empty cell is a value not found.")]
    for name, (per, columns) in DATASET_DOCS.items():
        rows.append((name, "", f"one row per {per}"))
        rows.extend((name, col, text) for col, text in columns.items())
    return rows


def readme_digest() -> str:
    """Changes when the README sheet's text does (the workbook is then written again)."""
    import hashlib

    return hashlib.sha256(repr(readme_rows()).encode()).hexdigest()[:12]


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """The "CSV datasets" tables of output/README.md, between the markers."""
    lines = [START, "", "| file | one row per | columns |", "|---|---|---|"]
    for name, (per, columns) in DATASET_DOCS.items():
        lines.append(f"| {name}.csv | {_md(per)} | {', '.join(columns)} |")
    for name, (_, columns) in DATASET_DOCS.items():
        lines += ["", f"**{name}**", "", "| column | content |", "|---|---|"]
        lines += [f"| {col} | {_md(text)} |" for col, text in columns.items()]
    lines += ["", "Severity of each warning code (`errors.WARNING_SEVERITY`; a code not listed is `check`):", ""]
    for severity in SEVERITIES:
        codes = [f"`{c}`" for c, s in WARNING_SEVERITY.items() if s == severity]
        lines.append(f"- {severity}: {', '.join(codes)}")
    return "\n".join([*lines, "", END])


def replace_section(text: str) -> str:
    head, rest = text.split(START, 1)
    return head + markdown() + rest.split(END, 1)[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("readme", type=Path)
    ap.add_argument("--check", action="store_true", help="exit 1 when the section is stale")
    args = ap.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    new = replace_section(text)
    if args.check:
        if new != text:
            print(f"{args.readme}: the columns section is stale: python -m directives.columns {args.readme}",
                  file=sys.stderr)
            return 1
        return 0
    args.readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
