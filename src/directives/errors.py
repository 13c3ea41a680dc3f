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


# What a warning asks of the person reading the output, by code: `info` (nothing to do: a repair
# made, a value taken from a signature stamp), `check` (a value is missing, doubtful or
# inconsistent: look at the page), `error` (the file or a signature is not what it should be).
# A code not listed is `check`.
WARNING_SEVERITY: dict[str, str] = {
    "ocr-repair": "info",
    "ocr-heading-number": "info",
    "from-signature-stamp": "info",
    "page": "info",
    "number-blank": "info",
    "attachment-date-mismatch": "check",
    "activity-year-mismatch": "check",
    "activity-year-unknown": "check",
    "activity-time-unread": "check",
    "missing-field": "check",
    "date-unreadable": "check",
    "date-implausible": "check",
    "date-differs-from-signing-time": "check",
    "number-unreadable": "check",
    "signer-unreadable": "check",
    "handwritten-read": "check",
    "handwritten-unread": "check",
    "signature-unreadable": "check",
    "no-text": "error",
    "signature-invalid": "error",
    "modified-after-signing": "error",
}
SEVERITIES = ("info", "check", "error")


def severity_of(code: str) -> str:
    """The severity of a warning code (`WARNING_SEVERITY`; `check` when not listed)."""
    return WARNING_SEVERITY.get(code, "check")


def needs_action(severity: str) -> bool:
    return severity != "info"
