"""One exception hierarchy for the whole project.

A `DirectivesError` carries a short, human-readable `reason` that ends up in errors.csv and on
stderr; nothing below the CLI prints tracebacks for these.
"""


class DirectivesError(Exception):
    """Base class of every error this project raises on purpose."""

    code = "error"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class InputError(DirectivesError):
    """The input file cannot be read as a document (not a PDF, empty, corrupt, encrypted …)."""

    code = "bad-input"


class EmptyFileError(InputError):
    code = "empty-file"


class NotAPdfError(InputError):
    code = "not-a-pdf"


class CorruptPdfError(InputError):
    code = "corrupt-pdf"


class EncryptedPdfError(InputError):
    code = "encrypted-pdf"


class UnsupportedFormatError(InputError):
    """No reader of this version reads the file (by content nor by name)."""

    code = "unsupported-format"


class CorruptImageError(InputError):
    code = "corrupt-image"


class ConversionError(InputError):
    """LibreOffice could not turn a Word (or RTF, ODT) file into pages: damaged, or not what it claims."""

    code = "conversion-failed"


class EncryptedDocumentError(InputError):
    code = "encrypted-document"


class OfficeUnavailableError(DirectivesError):
    """A Word file cannot be read: LibreOffice Writer is not installed."""

    code = "office-unavailable"


class OutputError(DirectivesError):
    """An output file could not be written."""

    code = "output"


class OcrUnavailableError(DirectivesError):
    """Scanned pages cannot be read: tesseract or its Vietnamese language data is missing."""

    code = "ocr-unavailable"


class ModelError(DirectivesError):
    """A bundled model file (underthesea's word segmentation model) cannot be read."""

    code = "model"


class BusyError(DirectivesError):
    """The output folder is locked by another run."""

    code = "busy"


class WorkerError(DirectivesError):
    """A file's worker process did not return a result (base of the per-file limits below)."""

    code = "worker"


class FileTimeoutError(WorkerError):
    """The file took longer than the per-file timeout; its worker was killed."""

    code = "timeout"


class MemoryLimitError(WorkerError):
    """The file needed more memory than the per-file cap."""

    code = "memory"


class WorkerCrashError(WorkerError):
    """The worker died (a signal such as SIGSEGV, or an exit) before returning a result."""

    code = "crashed"


# Every warning code, with its severity and what it means: the one table of codes. A severity says
# what a warning asks of the person reading the output: `info` (nothing to do: a repair made, a value
# taken from a signature stamp), `check` (a value is missing, doubtful or inconsistent: look at the
# page), `error` (the file or a signature is not what it should be). Page warnings (the readers')
# carry the page's number.
WARNING_CODES: dict[str, tuple[str, str]] = {
    # the readers, per page
    "page-unreadable": ("check", "the reader could not load the page"),
    "pdf-repaired": ("check", "a damaged PDF the reader repaired; the pages may be incomplete"),
    "legacy-encoding": ("info", "a text layer in a legacy font encoding (TCVN3, VNI) converted to Unicode"),
    "words-rejoined": ("info", "words split at their diacritics by the PDF font rejoined"),
    "text-layer-implausible": ("check", "a text layer that does not read as Vietnamese (legacy font or junk "
                                        "OCR layer), kept"),
    "text-layer-replaced": ("info", "a text layer that does not read as Vietnamese, the page read by OCR "
                                    "instead"),
    "ocr-not-better": ("info", "OCR of a page with an implausible text layer read no better: the layer kept"),
    "ocr-failed": ("check", "OCR of the page failed (the reason is given)"),
    "ocr-unavailable": ("check", "the page was not read: Tesseract or its Vietnamese data is missing"),
    "ocr-empty": ("check", "OCR found no text on the page"),
    "image-dpi-estimated": ("info", "an image without a usable resolution: its size measured against A4"),
    # the stages
    "ocr-repair": ("info", "OCR words respelled (header vocabulary, the document's own usage, the lexicon), a "
                           "symbol read as the issuer's initials, a \"KT. / PHÓ\" signer block restored; each "
                           "change listed"),
    "ocr-heading-number": ("info", "an OCR look-alike of a roman heading number read in sequence"),
    "from-signature-stamp": ("info", "the number, reference or date read from a value a digital signature's "
                                     "appearance laid into the blank of its line (e-office systems)"),
    "number-blank": ("info", "the number is left blank in the original"),
    "attachment-date-mismatch": ("check", "an attachment dated differently from the main document"),
    "activity-year-mismatch": ("check", "an activity names a year other than its plan's (year ranges such as "
                                        "\"2024 - 2029\" are not counted)"),
    "activity-year-unknown": ("check", "an activity's year cannot be placed"),
    "activity-time-unread": ("check", "no month read in an activity's time"),
    "missing-field": ("check", "a mandatory field (issuer, type, date, signer.name) not found"),
    "date-unreadable": ("check", "a place-and-date line with a blank or impossible day or month"),
    "date-implausible": ("check", "a date line names a year no directive can have"),
    "date-differs-from-signing-time": ("check", "the printed date is not the day the signature that stamped "
                                                "it was made (the printed date is kept)"),
    "number-unreadable": ("check", "a number OCR could not read, or a scan's number line without its "
                                   "handwritten number: reference and number null, never a guess"),
    "signer-unreadable": ("check", "a signer field not legible under a seal, signature or stamp"),
    "issuer-unreadable": ("check", "a scan's issuer read only as its place ('TỈNH QUẢNG NGÃI'): its body's "
                                   "name was lost, so the issuer stays null"),
    "handwritten-read": ("check", "a value read from handwriting: check it against the page"),
    "handwritten-unread": ("check", "handwriting that could not be read surely: the field stays null"),
    "signature-unreadable": ("check", "a signature that could not be parsed or checked; the file is still "
                                      "processed"),
    "no-text": ("error", "pages without usable text: no text layer, and OCR unavailable or empty"),
    "signature-invalid": ("error", "the signed bytes were changed, or the signature does not match its key"),
    "modified-after-signing": ("error", "bytes added after a signature, and no later signature that holds "
                                        "covers them"),
}
SEVERITIES = ("info", "check", "error")


def severity_of(code: str) -> str:
    """The severity of a warning code (`WARNING_CODES`); `check` for a code this version does not
    write (outputs of an earlier version)."""
    entry = WARNING_CODES.get(code)
    return entry[0] if entry else "check"
