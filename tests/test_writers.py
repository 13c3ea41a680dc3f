"""Writers: the CSV datasets agree with the JSON, atomic writes, cell formatting, schema validity."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from enum import Enum, IntEnum
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

import directives.writers as writers
from directives.batch import RunSummary, run_files
from directives.errors import OutputError
from directives.schemas import Status
from directives.writers import DATASETS, ERRORS_COLUMNS, LIST_SEP, atomic_write, cell
from tests.helpers import ROOT, SEED_PDF

SEED = SEED_PDF
SCHEMA_FILE = ROOT / "src" / "directives" / "schemas" / "directive.schema.json"
CSV_NAMES = [ds.name for ds in DATASETS] + ["errors"]
BOM = b"\xef\xbb\xbf"
QUOTED_FIELD = re.compile(rb'"(?:[^"]|"")*"')
# besides the CSVs: JSON, corpus, exports and the batch's own files (tests/batch covers them)
RUN_FILES = ["json", "corpus.sqlite", "datasets.xlsx", "parquet", "manifest.sqlite", "run.lock", "run-summary.json"]


# ---------------------------------------------------------------- helpers (independent of writers.cell)

def plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEP.join(plain(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def expected(value: object) -> str:
    """What a JSON value must look like in a CSV cell, computed from the JSON (not via `cell`):
    text that a spreadsheet would take for a formula starts with an apostrophe (exports.py)."""
    text = plain(value)
    if isinstance(value, str | list) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


# ---------------------------------------------------------------- one pipeline run per module

@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    out = tmp_path_factory.mktemp("out")
    summary = run_files([SEED], out)
    return out, summary


@pytest.fixture(scope="module")
def out(run: tuple[Path, RunSummary]) -> Path:
    return run[0]


@pytest.fixture(scope="module")
def doc(out: Path) -> dict:
    doc_id = hashlib.sha256(SEED.read_bytes()).hexdigest()[:16]
    path = out / "json" / f"{doc_id}.json"
    assert path.is_file(), f"missing {path}"
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def test_run_summary(run: tuple[Path, RunSummary], doc: dict) -> None:
    _, summary = run
    assert summary.errors == []
    assert len(summary.outcomes) == 1
    assert summary.outcomes[0].doc_id == doc["doc_id"]
    assert summary.outcomes[0].status == Status.ok
    assert doc["status"] == Status.ok.value


def test_seed_counts(doc: dict) -> None:
    assert len(doc["activities"]) == 29
    assert len(doc["sections"]) == 12


def test_output_files(out: Path, doc: dict) -> None:
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{n}.csv" for n in CSV_NAMES] + RUN_FILES)
    assert [p.name for p in (out / "json").iterdir()] == [f"{doc['doc_id']}.json"]


@pytest.mark.parametrize("name", CSV_NAMES)
def test_csv_bom_and_crlf(out: Path, name: str) -> None:
    data = (out / f"{name}.csv").read_bytes()
    assert data.startswith(BOM)
    assert not data[len(BOM):].startswith(BOM)
    assert data.endswith(b"\r\n")
    # Record separators (outside quoted fields) must all be CRLF; newlines inside quoted cells are data.
    unquoted = QUOTED_FIELD.sub(b"", data)
    assert b"\n" in unquoted
    assert re.search(rb"(?<!\r)\n", unquoted) is None, "bare LF line end"
    assert re.search(rb"\r(?!\n)", unquoted) is None, "bare CR line end"


@pytest.mark.parametrize("name", CSV_NAMES)
def test_csv_header(out: Path, name: str) -> None:
    columns = {ds.name: ds.columns for ds in DATASETS} | {"errors": ERRORS_COLUMNS}
    assert tuple(read_csv(out / f"{name}.csv").columns) == columns[name]


def test_documents_csv(out: Path, doc: dict) -> None:
    df = read_csv(out / "documents.csv")
    assert len(df) == 1
    row = df.iloc[0]
    m, src = doc["metadata"], doc["source"]
    assert row["doc_id"] == doc["doc_id"]
    assert row["file"] == src["path"]
    assert row["sha256"] == src["sha256"]
    assert row["status"] == doc["status"]
    assert row["pages"] == expected(src["pages"])
    assert row["page_sources"] == expected(src["page_sources"])
    for field in ("regime_header", "parent_organization", "issuer", "reference", "number", "symbol", "type",
                  "place", "date", "subject", "recipients", "distribution"):
        assert row[field] == expected(m[field]), field
    for field in ("name", "title", "authority", "on_behalf_of"):
        assert row[f"signer_{field}"] == expected(m["signer"][field]), field
    for key in ("parts", "sections", "tables", "activities", "warnings"):
        assert row[f"n_{key}"] == str(len(doc[key])), key
    # the lists really are lists joined with the separator
    assert row["recipients"].split(LIST_SEP) == m["recipients"]
    assert row["distribution"].split(LIST_SEP) == m["distribution"]


def test_parts_csv(out: Path, doc: dict) -> None:
    df = read_csv(out / "parts.csv")
    assert len(df) == len(doc["parts"])
    for (_, row), part in zip(df.iterrows(), doc["parts"], strict=True):
        assert row["doc_id"] == doc["doc_id"]
        assert row["part"] == str(part["id"])
        for field in ("type", "title", "subject", "reference", "place", "date", "marks", "pages"):
            assert row[field] == expected(part[field]), field


def test_sections_csv(out: Path, doc: dict) -> None:
    df = read_csv(out / "sections.csv")
    assert len(df) == len(doc["sections"]) == 12
    for (_, row), sec in zip(df.iterrows(), doc["sections"], strict=True):
        assert row["doc_id"] == doc["doc_id"]
        assert row["section_id"] == sec["id"]
        assert row["parent_id"] == expected(sec["parent_id"])
        assert row["part"] == str(sec["part"])
        assert row["number"] == sec["number"]
        assert row["level"] == str(sec["level"])
        assert row["title"] == sec["title"]
        assert row["text"] == expected(sec["text"])
        assert row["pages"] == expected(sec["pages"])
        n_bullets = len(row["bullets"].split(LIST_SEP)) if row["bullets"] else 0
        assert n_bullets == len(sec["bullets"]), sec["id"]
        assert row["bullets"] == expected(sec["bullets"])
        assert row["keywords"] == expected(sec["keywords"]) and sec["keywords"]


def test_entities_csv(out: Path, doc: dict) -> None:
    df = read_csv(out / "entities.csv")
    assert len(df) == len(doc["entities"]) > 50
    for (_, row), ent in zip(df.iterrows(), doc["entities"], strict=True):
        assert row["doc_id"] == doc["doc_id"]
        for field in ("section_id", "label", "text", "normalized", "start", "end"):
            assert row[field] == expected(ent[field]), field
    legal = df[df["label"] == "LEGAL_REF"]
    assert "Kết luận số 21-KL/TW ngày 25/10/2021" in set(legal["text"])  # Vietnamese intact


def test_activities_csv(out: Path, doc: dict) -> None:
    df = read_csv(out / "activities.csv")
    assert len(df) == len(doc["activities"]) == 29
    for (_, row), act in zip(df.iterrows(), doc["activities"], strict=True):
        assert row["doc_id"] == doc["doc_id"]
        assert row["table_id"] == act["table_id"]
        assert row["row"] == str(act["row"])
        assert row["no"] == expected(act["no"])
        assert row["name"] == act["name"]
        assert row["time_text"] == expected(act["time_text"])
        assert row["months"] == ("Tháng " + ", ".join(map(str, act["months"])) if act["months"] else "")
        assert row["year"] == expected(act["year"])
        for key in ("reference", "type", "date", "issuer"):
            assert row[key] == expected(doc["metadata"][key]), key
    months = read_csv(out / "activity_months.csv")  # tidy: a row per activity and month
    assert [(r["row"], int(r["month"])) for _, r in months.iterrows()] == [
        (str(a["row"]), m) for a in doc["activities"] for m in a["months"]]


def test_warnings_have_a_severity(out: Path, doc: dict) -> None:
    from directives.errors import severity_of

    df = read_csv(out / "warnings.csv")
    assert list(df["severity"]) == [severity_of(w["code"]) for w in doc["warnings"]]
    assert [w["severity"] for w in doc["warnings"]] == list(df["severity"])  # stored in the JSON too
    assert set(df["severity"]) <= {"info", "check", "error"}


def test_tables_csv(out: Path, doc: dict) -> None:
    df = read_csv(out / "tables.csv")
    assert len(df) == sum(len(r) for t in doc["tables"] for r in t["rows"])
    m = doc["metadata"]
    want = [
        (doc["doc_id"], m["reference"], m["type"], m["date"], m["issuer"], t["id"], str(t["part"]), expected(t["title"]), str(r), str(c),
         t["columns"][c] if c < len(t["columns"]) else "", text)
        for t in doc["tables"]
        for r, row in enumerate(t["rows"])
        for c, text in enumerate(row)
    ]
    got = [tuple(row) for row in df.itertuples(index=False)]
    assert got == want


def test_warnings_csv(out: Path, doc: dict) -> None:
    df = read_csv(out / "warnings.csv")
    assert list(df["code"]) == [w["code"] for w in doc["warnings"]]
    assert list(df["message"]) == [w["message"] for w in doc["warnings"]]
    assert set(df["doc_id"]) <= {doc["doc_id"]}
    for (_, row), w in zip(df.iterrows(), doc["warnings"], strict=True):
        for field in ("page", "part", "field"):
            assert row[field] == expected(w[field]), field


def test_errors_csv_empty(out: Path) -> None:
    assert len(read_csv(out / "errors.csv")) == 0


def test_json_validates_against_schema(out: Path) -> None:
    v = validator()
    files = sorted((out / "json").glob("*.json"))
    assert files
    for path in files:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
        errors = sorted(v.iter_errors(data), key=lambda e: list(e.path))
        assert not errors, f"{path.name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_schema_rejects_broken_json(doc: dict) -> None:
    """The schema check above is not vacuous."""
    v = validator()
    bad = json.loads(json.dumps(doc))
    bad["metadata"]["date"] = "29/7/2023"
    assert not v.is_valid(bad)
    bad = json.loads(json.dumps(doc))
    bad["unexpected"] = 1
    assert not v.is_valid(bad)


def test_no_temp_files_left(out: Path) -> None:
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".") or p.name.endswith(".tmp")]
    assert leftovers == []


# ---------------------------------------------------------------- atomic_write

def test_atomic_write_writes_content(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    atomic_write(target, "nội dung\n".encode())
    assert target.read_bytes() == "nội dung\n".encode()
    assert os.listdir(tmp_path) == ["a.json"]


def test_atomic_write_replaces_existing(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    target.write_bytes(b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["a.csv"]


def test_atomic_write_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "x" / "y" / "z.json"
    atomic_write(target, b"{}")
    assert target.read_bytes() == b"{}"
    assert os.listdir(target.parent) == ["z.json"]


def test_atomic_write_empty_data(tmp_path: Path) -> None:
    target = tmp_path / "empty.csv"
    atomic_write(target, b"")
    assert target.read_bytes() == b""
    assert os.listdir(tmp_path) == ["empty.csv"]


def _deny_replace(src: object, dst: object) -> None:
    raise OSError(errno.EACCES, "Permission denied")


def test_atomic_write_failure_raises_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "documents.csv"
    target.write_bytes(b"old content")
    monkeypatch.setattr(writers.os, "replace", _deny_replace)
    with pytest.raises(OutputError) as info:
        atomic_write(target, b"new content")
    assert info.value.code == "output"
    assert str(target) in info.value.reason
    assert "Permission denied" in info.value.reason
    assert isinstance(info.value.__cause__, OSError)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["documents.csv"], "temp file left behind"
    assert target.read_bytes() == b"old content"


def test_atomic_write_failure_without_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writers.os, "replace", _deny_replace)
    with pytest.raises(OutputError):
        atomic_write(tmp_path / "new.json", b"{}")
    assert os.listdir(tmp_path) == []


def test_atomic_write_unusable_folder_raises_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_bytes(b"a file where a folder should be")
    with pytest.raises(OutputError) as info:
        atomic_write(blocker / "json" / "x.json", b"{}")
    assert info.value.code == "output"
    assert str(blocker / "json" / "x.json") in info.value.reason
    assert blocker.read_bytes() == b"a file where a folder should be"
    assert os.listdir(tmp_path) == ["out"]


def test_atomic_write_readonly_folder_raises_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def deny_mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(writers.tempfile, "mkstemp", deny_mkstemp)
    with pytest.raises(OutputError) as info:
        atomic_write(tmp_path / "x.json", b"{}")
    assert "Permission denied" in info.value.reason
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- cell()

class Color(Enum):
    red = "rouge"


class Level(IntEnum):
    high = 3


@pytest.mark.parametrize(("value", "text"), [
    (None, ""),
    ("", ""),
    ("Kiên Giang", "Kiên Giang"),
    ([], ""),
    (["a"], "a"),
    (["Như trên", "Lưu: VP"], "Như trên | Lưu: VP"),
    ([1, 2, 3], "1 | 2 | 3"),
    (["a", None, "b"], "a |  | b"),
    ([True, False], "true | false"),
    (True, "true"),
    (False, "false"),
    (0, "0"),
    (42, "42"),
    (-7, "-7"),
    (2.5, "2.5"),
    (Status.ok, "ok"),
    (Status.partial, "partial"),
    (Status.failed, "failed"),
    ([Status.ok, Status.failed], "ok | failed"),
    (Color.red, "rouge"),
    (Level.high, "3"),
])
def test_cell(value: object, text: str) -> None:
    assert cell(value) == text


def test_cell_bool_is_not_an_int() -> None:
    assert cell(True) != "1"
    assert cell(False) != "0"
