"""Word files (.docx, .doc, and .odt / .rtf, or a .doc saved as RTF or HTML) read through LibreOffice.

LibreOffice Writer (Debian: libreoffice-writer-nogui) lays the document out and exports a PDF,
which the PDF reader reads like any born-digital PDF: the header table's two columns, the signer
table and ruled tables come out where they are printed, legacy TCVN3 / VNI text is converted by
the text layer's own checks. Why this path and not the DOCX XML: see the README ("Word files").

Each conversion runs `soffice --headless --convert-to pdf` with a profile of its own in a temporary
folder, in the task's process group (the batch's per-file timeout and memory cap apply to it, and
killing the task kills it); on its own timeout every process it started is killed. No LibreOffice
process outlives the conversion. In a batch of several Word files the PDFs are made beforehand by
one resident LibreOffice (`office_batch`), and a task converts its file itself only when that failed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from directives.errors import ConversionError, EncryptedDocumentError, OfficeUnavailableError
from directives.extractors.model import Page
from directives.extractors.ocr import OcrOptions

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003, and an encrypted .docx
# realpath of a Word file → the PDF a resident LibreOffice made of it for this batch (`office_batch`)
PRECONVERTED: dict[str, Path] = {}
CONVERT_TIMEOUT = 300.0  # seconds; the batch's per-file timeout, when shorter, ends it first
# LibreOffice's import filters, tried in turn: named, so that a damaged file fails to load instead of being
# taken for plain text (LibreOffice's last resort); an OLE2 file may be Word 97–2003 or an older Word
IMPORT_FILTERS = {"doc": ("MS Word 97", "MS Word 95", "MS WinWord 6.0"), "docx": ("MS Word 2007 XML",),
                  "odt": ("writer8",), "rtf": ("Rich Text Format",), "html": ("HTML (StarWriter)",),
                  "xml": ("MS Word 2003 XML",)}


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and z.read("mimetype").startswith(b"application/vnd.oasis.opendocument.text"):
                return "odt"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def office_kind(path: Path, head: bytes, suffixes: tuple[str, ...]) -> str | None:
    """What Word-like format `path` holds (a key of `IMPORT_FILTERS`), or None. HTML and XML count
    only under a Word suffix (an HTML error page named .pdf is not a document)."""
    if head.startswith(OLE2_MAGIC):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"{\\rtf"):
        return "rtf"
    if path.suffix.lower() in suffixes and start.startswith((b"<html", b"<!doctype html")):
        return "html"
    if path.suffix.lower() in suffixes and start.startswith(b"<?xml") and b"wordDocument" in head:
        return "xml"
    return None


def encrypted_ole(path: Path) -> bool:
    """An OLE2 file holding an encrypted OOXML package (a .docx saved with a password)."""
    with path.open("rb") as fh:
        return "EncryptedPackage".encode("utf-16-le") in fh.read(1 << 20)


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise OfficeUnavailableError("Word files need LibreOffice Writer: apt-get install libreoffice-writer-nogui "
                                     "(scripts/sysdeps.sh)")
    return found


def _descendants(pid: int) -> list[int]:
    """Processes started by `pid`, at any depth (from /proc: LibreOffice's soffice.bin is the child of
    the oosplash wrapper)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _kill_tree(proc: subprocess.Popen) -> None:
    for pid in [*_descendants(proc.pid), proc.pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    proc.wait()


def convert_to_pdf(path: Path, kind: str, workdir: Path, timeout: float = CONVERT_TIMEOUT) -> Path:
    """`path` (of the `office_kind` `kind`) laid out by LibreOffice as a PDF in `workdir`. Raises
    `EncryptedDocumentError` for a password-protected file, `ConversionError` when LibreOffice cannot
    load it with any filter of its kind."""
    exe = soffice()
    if kind == "doc" and encrypted_ole(path):
        raise EncryptedDocumentError("password-protected Word file: cannot be read without its password")
    src = workdir / ("input" + path.suffix.lower())  # a plain name: LibreOffice names the PDF after it
    os.symlink(path.resolve(), src)
    said = ""
    for name in IMPORT_FILTERS[kind]:
        said = _soffice(exe, ["--infilter=" + name, "--convert-to", "pdf", "--outdir", str(workdir / "out"), str(src)],
                        workdir, timeout)
        pdf = workdir / "out" / "input.pdf"
        if pdf.is_file() and pdf.stat().st_size > 0:
            return pdf
    raise ConversionError("LibreOffice could not load the file (damaged, password-protected, or not a Word "
                          f"document){': ' + said if said else ''}")


def _soffice(exe: str, args: list[str], workdir: Path, timeout: float) -> str:
    """Run LibreOffice headless with a profile in `workdir`; its error lines."""
    cmd = [exe, "--headless", "--norestore", "--nolockcheck", "--nodefault",
           f"-env:UserInstallation={(workdir / 'profile').as_uri()}", *args]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "HOME": str(workdir)})
    try:
        log, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        raise ConversionError(f"LibreOffice did not convert the file within {timeout:g} s") from None
    finally:
        if proc.poll() is None:
            _kill_tree(proc)
    lines = log.decode("utf-8", "replace").splitlines()
    return " ".join(ln.strip() for ln in lines if ln.lower().startswith("error"))[-200:]


class OfficeReader:
    """Word-processor files, laid out by LibreOffice and read as the PDF it exports."""

    name = "Word"
    suffixes = (".docx", ".doc", ".odt", ".rtf")

    def sniff(self, path: Path, head: bytes) -> bool:
        return office_kind(path, head, self.suffixes) is not None

    def read(self, path: Path, ocr: OcrOptions | None, min_rules: int) -> list[Page]:
        from directives.extractors import read_pdf

        with path.open("rb") as fh:
            head = fh.read(2048)
        kind = office_kind(path, head, self.suffixes)
        if kind is None:
            raise ConversionError("not a Word document: no .doc, .docx, .odt, RTF or HTML content")
        made = PRECONVERTED.get(os.path.realpath(path))
        if made is not None and made.is_file():
            return read_pdf(made, ocr, min_rules)
        with tempfile.TemporaryDirectory(prefix="directives-office-") as tmp:
            return read_pdf(convert_to_pdf(path, kind, Path(tmp)), ocr, min_rules)
