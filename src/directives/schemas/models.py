"""The output contract: pydantic models are the single source of truth.

`directive.schema.json` beside this file is generated from `Directive` (see `generate.py`); a test
fails when it is stale. Stages fill these models; writers read them.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from directives.errors import severity_of

SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Status(StrEnum):
    ok = "ok"
    partial = "partial"
    failed = "failed"


class Signer(_Model):
    name: str | None = None
    title: str | None = Field(None, description="e.g. BÍ THƯ, PHÓ GIÁM ĐỐC")
    authority: str | None = Field(None, description="TM. | KT. | TL. | TUQ. | Q. | null")
    on_behalf_of: str | None = Field(None, description="the body after the authority word, e.g. BAN THƯỜNG VỤ TỈNH ĐOÀN")


class Metadata(_Model):
    """Header and closing fields of the main document, text as printed (whitespace collapsed)."""

    regime_header: str | None = None
    parent_organization: str | None = None
    issuer: str | None = None
    reference: str | None = Field(None, description="what follows 'Số:', e.g. 347-CV/TĐTN-VP")
    number: str | None = None
    symbol: str | None = None
    type: str | None = Field(None, description="controlled list: Công văn, Kế hoạch, Quyết định …")
    place: str | None = None
    date: str | None = Field(None, description="ISO date YYYY-MM-DD", pattern=r"^\d{4}-\d{2}-\d{2}$")
    subject: str | None = None
    recipients: list[str] = Field(default_factory=list)
    distribution: list[str] = Field(default_factory=list)
    signer: Signer = Field(default_factory=Signer)
    confidence: dict[str, float] = Field(
        default_factory=dict, description="scans only: per field (as named in eval, e.g. 'signer.name'), the "
        "lowest OCR confidence 0..1 of the words it was read from")


class Source(_Model):
    path: str = Field(description="the input file's path as given")
    absolute_path: str | None = Field(None, description="the input file's absolute path, when run as a batch")
    relative_path: str | None = Field(
        None, description="the path relative to the input folder the file was found under (a file given by "
                          "itself: its name), when run as a batch: it stays right when inputs and outputs move")
    sha256: str
    pages: int
    page_sources: list[str] = Field(default_factory=list, description="per page: text | ocr | none")
    page_confidence: list[float | None] = Field(
        default_factory=list, description="per page: mean OCR word confidence 0..1 (null for a text layer)")


class Part(_Model):
    """One document inside the file: the main document, then each attachment (PHỤ LỤC, ĐỊNH HƯỚNG …)."""

    id: int
    type: str | None = None
    title: str | None = None
    subject: str | None = None
    reference: str | None = None
    place: str | None = None
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    marks: list[str] = Field(default_factory=list, description="urgency / confidentiality: HỎA TỐC, KHẨN, MẬT …")
    pages: list[int] = Field(default_factory=list)
    text: str = Field("", description="body paragraphs outside any numbered section, one per line")


class Section(_Model):
    id: str
    parent_id: str | None = None
    part: int = 0
    number: str
    level: int
    title: str
    text: str = ""
    bullets: list[str] = Field(default_factory=list)
    pages: list[int] = Field(default_factory=list)
    segmented: str = Field("", description="title and text segmented into words (underthesea): words "
                                           "separated by spaces, syllables of a word joined by '_'")
    keywords: list[str] = Field(default_factory=list, description="up to 5 keywords (TF-IDF over the "
                                                                   "document's segmented words)")


class Table(_Model):
    id: str
    part: int = 0
    title: str | None = None
    pages: list[int] = Field(default_factory=list)
    columns: list[str] = Field(default_factory=list, description="header row (repeated headers dropped)")
    rows: list[list[str]] = Field(default_factory=list, description="data rows, header excluded")


class Activity(_Model):
    no: int | None = None
    name: str
    time_text: str | None = None
    months: list[int] = Field(default_factory=list)
    year: int | None = None
    table_id: str
    row: int = Field(description="0-based index into the table's rows")


class Entity(_Model):
    label: str = Field(description="PER | ORG | LOC | LEGAL_REF | CAMPAIGN | DATE | PERIOD")
    text: str
    normalized: str | None = Field(None, description="LEGAL_REF: compact JSON {type, number, symbol, year, "
                                   "date, name}; DATE/PERIOD: ISO 8601 (2021-10-25, 2023-07, 2024, 2023/2027); "
                                   "LOC: canonical name with its unit; CAMPAIGN: the programme word")
    section_id: str | None = Field(None, description="the unit the offsets refer to: a section id, "
                                   "'p<part>' (part text), a table id, or 'metadata'")
    start: int | None = None
    end: int | None = None


class Signature(_Model):
    """A digital signature of the file (kind "digital"), or a signature box printed on the page with no
    signature dictionary behind it (kind "stamp-text": a scan signed and flattened, a copy stamp)."""

    kind: str = Field(description="digital | stamp-text")
    field: str | None = Field(None, description="the signature field's name")
    page: int | None = Field(None, description="1-based page of its box")
    box: list[float] | None = Field(None, description="[x0, y0, x1, y1] in PDF points, origin top-left; "
                                    "null for an invisible signature")
    signer: str | None = Field(None, description="the certificate subject's common name, else the box's "
                               "'Ký bởi:' / 'Người ký:'")
    organization: str | None = Field(None, description="the certificate subject's organization, else the "
                                     "box's 'Cơ quan:'")
    email: str | None = None
    signing_time: str | None = Field(None, description="ISO 8601, with the UTC offset when the source gives it")
    reason: str | None = None
    location: str | None = None
    text: str | None = Field(None, description="the box's text as printed, one line per line")
    certificate_subject: str | None = None
    certificate_issuer: str | None = None
    subfilter: str | None = Field(None, description="e.g. adbe.pkcs7.detached, ETSI.CAdES.detached")
    byte_range: list[int] = Field(default_factory=list, description="/ByteRange: offset, length, offset, length")
    covers_whole_file: bool | None = None
    modified_after_signing: bool | None = Field(None, description="bytes were added after the signed range, or "
                                                "the signed bytes were changed (then `intact` is false)")
    later_changes_signed: bool | None = Field(None, description="when bytes were added after signing: a later "
                                              "signature that holds covers them (the e-office system's own "
                                              "later stamps)")
    intact: bool | None = Field(None, description="the digest of the signed bytes matches the signed one")
    valid: bool | None = Field(None, description="the signature over the signed attributes checks out with the "
                               "certificate's key (trust in the certificate chain is not checked)")
    error: str | None = Field(None, description="why the signature could not be read or checked")


class Warning(_Model):
    code: str
    message: str
    severity: str = Field("check", pattern=r"^(info|check|error)$",
                          description="info: nothing to do; check: look at the page; error: the file or a "
                                      "signature is not what it should be (by code: errors.WARNING_SEVERITY)")
    page: int | None = None
    part: int | None = None
    field: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _severity_by_code(cls, data: object) -> object:
        """The severity is the code's (`errors.WARNING_SEVERITY`), given or not; "warning" (outputs
        written before severities were tabled) reads as the code's too."""
        if isinstance(data, dict) and "code" in data and data.get("severity") in (None, "warning"):
            return {**data, "severity": severity_of(data["code"])}
        return data


class Directive(_Model):
    schema_version: str = SCHEMA_VERSION
    doc_id: str
    source: Source
    metadata: Metadata = Field(default_factory=Metadata)
    parts: list[Part] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    signatures: list[Signature] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)
    status: Status = Status.ok
    text: str = Field("", description="the whole text in reading order: one paragraph or table row per line "
                                      "(cells joined by ' | '); for search and for CER against a reference")


class ErrorRecord(_Model):
    """A file that could not be processed: one row of errors.csv."""

    file: str
    code: str
    reason: str
