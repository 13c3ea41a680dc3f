"""The committed JSON Schema is generated from the pydantic models and matches them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from directives.schemas import SCHEMA_VERSION, Directive, Metadata, Part, Signer, Source, generate
from directives.schemas.generate import SCHEMA_PATH, schema_text

METADATA_FIELDS = ["regime_header", "parent_organization", "issuer", "reference", "number", "symbol", "type",
                   "place", "date", "subject", "recipients", "distribution", "signer", "confidence"]
SIGNER_FIELDS = ["name", "title", "authority", "on_behalf_of"]


def minimal_directive(**metadata: object) -> Directive:
    source = Source(path="a.pdf", sha256="0" * 64, pages=1, page_sources=["text"])
    return Directive(doc_id="0" * 16, source=source, metadata=Metadata(**metadata))


def test_schema_path_is_the_committed_file() -> None:
    committed = Path(__file__).resolve().parents[2] / "src" / "directives" / "schemas" / "directive.schema.json"
    assert SCHEMA_PATH.resolve() == committed.resolve()
    assert SCHEMA_PATH.is_file()


def test_committed_schema_is_up_to_date() -> None:
    assert generate.main(["--check"]) == 0, "run: python -m directives.schemas.generate"


def test_schema_text_is_on_disk() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()


def test_check_reports_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "directive.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(generate, "SCHEMA_PATH", stale)
    assert generate.main(["--check"]) == 1
    assert stale.read_text(encoding="utf-8") == "{}\n"  # --check never writes
    monkeypatch.setattr(generate, "SCHEMA_PATH", tmp_path / "missing.json")
    assert generate.main(["--check"]) == 1
    assert not (tmp_path / "missing.json").exists()


def test_generate_writes_schema_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "directive.schema.json"
    monkeypatch.setattr(generate, "SCHEMA_PATH", target)
    assert generate.main([]) == 0
    assert target.read_text(encoding="utf-8") == schema_text()
    assert generate.main(["--check"]) == 0


def test_schema_text_is_a_valid_draft_2020_12_schema() -> None:
    schema = json.loads(schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"directives/directive-{SCHEMA_VERSION}.schema.json"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema_text().endswith("}\n")
    assert "\\u" not in schema_text()  # Vietnamese descriptions stay readable (ensure_ascii=False)


def test_metadata_fields() -> None:
    assert sorted(Metadata.model_fields) == sorted(METADATA_FIELDS)
    assert len(Metadata.model_fields) == len(METADATA_FIELDS)


def test_signer_fields() -> None:
    assert sorted(Signer.model_fields) == sorted(SIGNER_FIELDS)
    assert len(Signer.model_fields) == len(SIGNER_FIELDS)


def test_schema_metadata_properties_match_models() -> None:
    defs = json.loads(schema_text())["$defs"]
    assert sorted(defs["Metadata"]["properties"]) == sorted(METADATA_FIELDS)
    assert sorted(defs["Signer"]["properties"]) == sorted(SIGNER_FIELDS)


@pytest.mark.parametrize("bad", ["29/7/2023", "2023-7-29", "29-07-2023", "2023/07/29", "ngày 29 tháng 7 năm 2023"])
def test_bad_date_fails_validation(bad: str) -> None:
    with pytest.raises(ValidationError):
        Metadata(date=bad)
    with pytest.raises(ValidationError):
        Part(id=0, date=bad)
    with pytest.raises(ValidationError):
        minimal_directive(date=bad)


def test_bad_date_fails_json_schema() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    good = json.loads(minimal_directive(date="2023-07-29").model_dump_json())
    assert validator.is_valid(good)
    bad = json.loads(json.dumps(good))
    bad["metadata"]["date"] = "29/7/2023"
    assert not validator.is_valid(bad)


def test_iso_date_and_null_are_accepted() -> None:
    assert Metadata(date="2023-07-29").date == "2023-07-29"
    assert Metadata().date is None


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Metadata(sender="x")
    with pytest.raises(ValidationError):
        Signer(position="x")


def test_model_round_trips_through_json() -> None:
    d = minimal_directive(date="2023-07-29", recipients=["Như trên"], signer=Signer(name="Phan Đình Nhân"))
    again = Directive.model_validate_json(d.model_dump_json())
    assert again == d
