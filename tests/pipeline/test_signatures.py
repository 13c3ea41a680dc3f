"""E-office signed documents made in the test (pyHanko, a self-signed test certificate, no network):
the stamped number and date are read, the signatures reported and checked, signature boxes kept out
of the document's fields and text."""

from __future__ import annotations

import datetime as dt
import shutil

import pymupdf
import pytest

from directives.pipeline.run import process
from directives.vntext import fold
from tests.signed_pdf import (
    BOX_LINES,
    DAY_BOX,
    FONT,
    ICT,
    NUMBER_BOX,
    appearance,
    certificate,
    e_office_letter,
    letter,
    scanned,
    sign,
)

ocr = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


@pytest.fixture(scope="module")
def cert_key():
    return certificate()


@pytest.fixture(scope="module")
def signed(tmp_path_factory, cert_key):
    return e_office_letter(tmp_path_factory.mktemp("signed"), cert_key)


def codes(result, field=None) -> list[str]:
    return [w.code for w in result.warnings if field is None or w.field == field]


def test_stamped_number_and_day_are_read_and_the_signatures_hold(signed):
    r = process(signed)
    m = r.metadata
    assert (m.reference, m.number, m.symbol, m.date) == ("542/TB-UBND", "542", "TB-UBND", "2024-11-06")
    assert (m.issuer, m.type) == ("ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM", "Thông báo")
    assert [s.field for s in r.signatures] == ["Signature3", "Signature1", "Signature2"]  # by page, top down
    assert all(s.kind == "digital" and s.intact and s.valid and not s.error for s in r.signatures)
    box, number, day = r.signatures
    assert box.text == "\n".join(BOX_LINES) and box.covers_whole_file and not box.modified_after_signing
    assert (box.signer, box.organization) == ("Ủy ban nhân dân tỉnh Thử Nghiệm", "Tỉnh Thử Nghiệm")
    assert box.signing_time == "2024-11-06T08:54:21+07:00" and box.reason.endswith("đã ký lên văn bản này!")
    assert box.certificate_subject.startswith("Common Name: Ủy ban nhân dân tỉnh Thử Nghiệm")
    # signed earlier: the later signatures' increments follow them, and those signatures hold
    assert number.modified_after_signing and number.later_changes_signed and not number.covers_whole_file
    assert number.box == [float(v) for v in NUMBER_BOX] and number.page == 1
    assert len(number.byte_range) == 4 and number.byte_range[0] == 0
    stamped = {w.field: w.severity for w in r.warnings if w.code == "from-signature-stamp"}
    assert stamped == {"number": "info", "reference": "info", "date": "info"}
    assert "date-differs-from-signing-time" not in codes(r) and "modified-after-signing" not in codes(r)


def test_signature_box_is_not_document_text(signed):
    r = process(signed)
    assert "Ký bởi" not in r.text and "Thời gian ký" not in r.text
    meta = r.metadata.model_dump_json()
    assert "Ký bởi" not in meta and "Cơ quan" not in meta and r.metadata.signer.name == "Nguyễn Văn Thử"


def test_one_byte_changed_after_signing(signed, tmp_path):
    data = bytearray(signed.read_bytes())
    at = data.index(b"Producer")  # a byte every signature covers, inside the document information
    data[at] = ord("p")
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(data))
    r = process(changed)
    assert r.metadata.reference == "542/TB-UBND"  # still processed
    assert all(s.intact is False and s.modified_after_signing for s in r.signatures)
    assert codes(r, "signatures") == ["signature-invalid"] * 3


def test_bytes_added_after_signing(signed, tmp_path):
    added = tmp_path / "added.pdf"
    added.write_bytes(signed.read_bytes() + b"\n% added after signing\n")
    r = process(added)
    assert all(s.intact and s.valid and s.modified_after_signing for s in r.signatures)
    assert not any(s.covers_whole_file or s.later_changes_signed for s in r.signatures)
    assert codes(r, "signatures") == ["modified-after-signing"] * 3


def test_unreadable_signature_is_a_warning_not_a_failure(signed, tmp_path):
    data = signed.read_bytes()
    at = data.rindex(b"/Contents <") + len(b"/Contents <")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[:at] + b"00" * 8 + data[at + 16:])  # the last signature's CMS: zeros
    r = process(broken)
    assert r.metadata.reference == "542/TB-UBND" and r.status.value in ("ok", "partial")
    (bad,) = [s for s in r.signatures if s.error]
    assert bad.field == "Signature3" and bad.intact is None
    # no signature that holds covers the increments after the first two any more
    assert sorted(codes(r, "signatures")) == ["modified-after-signing"] * 2 + ["signature-unreadable"]


def test_printed_date_differing_from_the_signing_day_is_kept_with_a_warning(tmp_path, cert_key):
    doc = letter(tmp_path / "letter.pdf")
    doc = sign(doc, tmp_path / "s1.pdf", "Signature1", NUMBER_BOX, appearance(tmp_path / "n.pdf", NUMBER_BOX, ("542",), 13),
               cert_key)
    doc = sign(doc, tmp_path / "s2.pdf", "Signature2", DAY_BOX, appearance(tmp_path / "d.pdf", DAY_BOX, ("06",), 13),
               cert_key, when=dt.datetime(2024, 11, 7, 9, 0, 0, tzinfo=ICT))
    r = process(doc)
    assert r.metadata.date == "2024-11-06"
    (w,) = [w for w in r.warnings if w.code == "date-differs-from-signing-time"]
    assert w.field == "date" and "2024-11-07T09:00:00+07:00" in w.message


@ocr
def test_number_drawn_only_as_an_image_is_read_by_ocr(tmp_path, cert_key):
    r = process(e_office_letter(tmp_path, cert_key, image_number=True))
    assert (r.metadata.reference, r.metadata.number) == ("542/TB-UBND", "542")
    assert {"number", "reference"} <= {w.field for w in r.warnings if w.code == "from-signature-stamp"}


@ocr
def test_signed_scan_with_only_a_box_text_layer_is_ocred(tmp_path, cert_key):
    """A scan whose text layer holds only a signature box printed at the top right (no signature
    dictionary behind it), and the number and day stamped by signatures over its blanks."""
    scan = scanned(tmp_path / "scan.pdf", letter(tmp_path / "letter.pdf"))
    with pymupdf.open(scan) as doc:
        for k, text in enumerate(BOX_LINES):
            doc[0].insert_text((400, 16 + 9 * k), text, fontsize=7, fontname="dvs", fontfile=FONT, color=(0, 0, 0.6))
        doc.save(tmp_path / "boxed.pdf")
    doc = sign(tmp_path / "boxed.pdf", tmp_path / "s1.pdf", "Signature1", NUMBER_BOX,
               appearance(tmp_path / "n.pdf", NUMBER_BOX, ("542",), 13), cert_key)
    doc = sign(doc, tmp_path / "s2.pdf", "Signature2", DAY_BOX, appearance(tmp_path / "d.pdf", DAY_BOX, ("06",), 13),
               cert_key)
    r = process(doc)
    assert r.source.page_sources == ["ocr"]
    stamp_text = [s for s in r.signatures if s.kind == "stamp-text"]
    assert len(stamp_text) == 1 and stamp_text[0].signer == "Ủy ban nhân dân tỉnh Thử Nghiệm"
    assert stamp_text[0].organization == "Tỉnh Thử Nghiệm" and stamp_text[0].signing_time == "2024-11-06T08:54:21+07:00"
    assert fold(r.metadata.issuer) == "uy ban nhan dan tinh thu nghiem" and r.metadata.type == "Thông báo"
    assert "Ký bởi" not in r.text and "Cơ quan" not in r.text
    assert (r.metadata.number, r.metadata.date) == ("542", "2024-11-06")


def test_signatures_dataset_and_corpus_index(tmp_path):
    from directives.batch import run_files
    from directives.search import SearchQuery, search
    from tests.test_writers import read_csv

    doc = e_office_letter(tmp_path, certificate("Trung tâm Lưu trữ Điện tử", "Sở Văn hóa Thử Nghiệm"))
    out = tmp_path / "out"
    run_files([doc], out)
    rows = read_csv(out / "signatures.csv")
    assert list(rows["field"]) == ["Signature3", "Signature1", "Signature2"]
    assert set(rows["signer"]) == {"Trung tâm Lưu trữ Điện tử"} and set(rows["kind"]) == {"digital"}
    assert list(rows["intact"]) == ["true"] * 3 and list(rows["covers_whole_file"]) == ["true", "false", "false"]
    assert "from-signature-stamp" in set(read_csv(out / "warnings.csv")["code"])
    for text in ("Trung tâm Lưu trữ", "van hoa thu nghiem"):  # signer, organization (without marks)
        assert [h.kind for h in search(out, SearchQuery(text))] == ["document"]
