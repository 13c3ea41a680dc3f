"""The reader registry: a file's reader chosen by content, then by name; the formats every listing shows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from directives.batch.inputs import is_readable, unsupported_reason
from directives.errors import CorruptImageError, EmptyFileError, NotAPdfError, UnsupportedFormatError
from directives.extractors.image import A4_LONG_IN, page_dpi
from directives.extractors.read import extract_pages
from directives.extractors.registry import READERS, formats_text, reader_for, suffixes
from tests.helpers import SEED_PDF


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def docx_bytes(folder: Path) -> bytes:
    tmp = folder / "tmp.zip"
    with zipfile.ZipFile(tmp, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return tmp.read_bytes()


@pytest.mark.parametrize(("name", "content", "reader"), [
    ("letter.pdf", "pdf", "PDF"),
    ("letter.doc", "pdf", "PDF"),  # a PDF saved as .doc is read as a PDF
    ("old.doc", "rtf", "Word"),  # Word's "save as RTF" under .doc
    ("web.doc", "html", "Word"),  # Word's "web page" under .doc
    ("old.doc", "ole", "Word"),
    ("new.docx", "docx", "Word"),
    ("renamed.pdf", "docx", "Word"),
    ("scan.jpg", "png", "image"),
    ("scan.pdf", "png", "image"),
    ("scan.tif", "tiff", "image"),
    ("photo.webp", "webp", "image"),
])
def test_the_reader_is_chosen_by_content(tmp_path, name, content, reader):
    data = {
        "pdf": SEED_PDF.read_bytes(),
        "rtf": b"{\\rtf1\\ansi Hello}",
        "html": b"<html><body>x</body></html>",
        "ole": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "docx": docx_bytes(tmp_path),
        "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
        "tiff": b"II*\x00" + b"\x00" * 32,
        "webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    }[content]
    assert reader_for(put(tmp_path, name, data)).name == reader


def test_html_named_pdf_stays_a_pdf_error(tmp_path):
    """HTML is a Word file only under a Word suffix: an error page saved as .pdf says what it is."""
    path = put(tmp_path, "x.pdf", b"<!DOCTYPE html><html>404</html>")
    with pytest.raises(NotAPdfError, match="HTML page"):
        extract_pages(path)


def test_unknown_content_goes_to_the_reader_of_its_name(tmp_path):
    with pytest.raises(CorruptImageError, match="not an image"):
        extract_pages(put(tmp_path, "scan.png", b"this is not a picture"))
    with pytest.raises(CorruptImageError, match="damaged"):
        extract_pages(put(tmp_path, "cut.png", b"\x89PNG\r\n\x1a\n" + b"\x07" * 100))


def test_empty_and_unknown_files(tmp_path):
    with pytest.raises(EmptyFileError):
        reader_for(put(tmp_path, "a.docx", b""))
    with pytest.raises(UnsupportedFormatError, match=r"\.txt.*PDF \(\.pdf\)"):
        reader_for(put(tmp_path, "notes.txt", b"plain words"))


def test_every_listing_takes_the_registry():
    assert suffixes() == tuple(s for r in READERS for s in r.suffixes)
    assert {".pdf", ".docx", ".doc", ".png", ".jpg", ".jpeg", ".tif", ".tiff"} <= set(suffixes())
    assert all(is_readable(f"x{s.upper()}") for s in suffixes())
    assert not is_readable("notes.txt")
    assert formats_text() in unsupported_reason("notes.txt")
    assert all(s in formats_text() for s in suffixes())


def test_readme_and_help_list_the_formats():
    from typer.testing import CliRunner

    from directives.cli import app

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert formats_text() in readme
    shown = " ".join(CliRunner().invoke(app, ["run", "--help"], terminal_width=400).output.split())
    assert all(s in shown for s in suffixes()), shown


@pytest.mark.parametrize(("size", "declared", "dpi", "estimated"), [
    ((1654, 2339), 200.0, 200.0, False),  # A4 at 200 dpi, as the file says
    ((2480, 3508), 300.0, 300.0, False),
    ((1654, 2339), 96.0, 2339 / A4_LONG_IN, True),  # no resolution in the file: MuPDF's 96 makes a 24 in sheet
    ((3024, 4032), 72.0, 4032 / A4_LONG_IN, True),  # a phone photo's 72
    ((1654, 2339), None, 2339 / A4_LONG_IN, True),
    ((1169, 827), 100.0, 100.0, False),  # A4 landscape at 100 dpi
    ((2339, 1654), 5000.0, 2339 / A4_LONG_IN, True),
])
def test_page_dpi_from_the_file_when_plausible(size, declared, dpi, estimated):
    got, was_estimated = page_dpi(*size, declared)
    assert (round(got, 3), was_estimated) == (round(dpi, 3), estimated)
