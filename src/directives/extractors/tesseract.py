"""Running Tesseract: availability checks, and one page image → TSV text.

Tesseract is called in-process through the system libtesseract's C API (ctypes, no extra
dependency): the language model is loaded once per process and kept, and the image is handed over
as memory, not as a PNG. Without a loadable libtesseract the `tesseract` binary is run instead
(PNG on stdin, TSV on stdout). Either way Tesseract's OpenMP threads are limited to one
(OMP_THREAD_LIMIT=1), so that the worker processes, not OpenMP, use the cores.

`DIRECTIVES_TESSERACT=tesserocr` reads through the `tesserocr` wheel instead (the `fast-ocr` extra:
libtesseract 5.5.4 bundled, no OpenMP, the system's tessdata found at run time): ≈ 25 % less CPU
per page than the system's 5.3, but it reads differently (17 of 24 pages, 0.6 % of characters),
and on the dev set worse (typed and stamped fields 613 of 702 right against 627; the seed scan's
CER 0.15 % against 0.12 %), so it is not the default. `cli` forces the binary.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import functools
import os
import re
import shutil
import subprocess
import unicodedata

import cv2
import numpy as np

from directives.errors import OcrUnavailableError

DEBIAN_PACKAGES = "tesseract-ocr tesseract-ocr-vie"
# tessedit_do_invert=0: no second reading of a line on the inverted image (white on black text, which
# these documents do not have). Since Tesseract 5.2 that reading is tried only for lines read with a
# confidence under `invert_threshold` (0.7), so it costs little on print: measured 2026-12-03 (24
# prepared pages, 2 interleaved runs, CPU s/page) system 5.3 0.97 with it and 0.97 without, no gain;
# tesserocr's 5.5.4 0.72 against 0.81. Kept for the 5.5 wheel, and because the dev set is scored with it.
# textord_disable_pitch_test=1: no search for fixed-pitch (typewriter) rows in the page layout; 2.5 %
# of a page's instructions under callgrind (5.76 → 5.62 G), the same TSV on 38 of 38 pages and the same
# fields on the dev set (docs/performance.md, "Scans, the fifth round").
VARIABLES = {"tessedit_do_invert": "0", "textord_disable_pitch_test": "1"}
QUIET = {"debug_file": os.devnull}  # in-process, Tesseract's notes ("Detected 152 diacritics") stay out of stderr


@functools.cache
def _list_langs() -> tuple[str | None, frozenset[str]]:
    """The installed `tesseract`'s tessdata folder (when it names it) and the languages it reads;
    raises `OcrUnavailableError` without tesseract."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailableError(f"tesseract is not installed (Debian packages: {DEBIAN_PACKAGES})")
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailableError(f"tesseract does not run ({exc}; Debian packages: {DEBIAN_PACKAGES})") from exc
    lines = out.stdout.splitlines()
    # 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):'
    named = re.search(r'"([^"]+)"', lines[0]) if lines else None
    return (named.group(1) if named else None), frozenset(ln.strip() for ln in lines[1:] if ln.strip())


def tesseract_languages() -> frozenset[str]:
    """Languages the installed `tesseract` reads; raises `OcrUnavailableError` without tesseract."""
    return _list_langs()[1]


def tessdata_dir() -> str | None:
    """The folder of the language models: $TESSDATA_PREFIX, else the one the installed `tesseract`
    reads (Debian: /usr/share/tesseract-ocr/5/tessdata/), else None."""
    env = os.environ.get("TESSDATA_PREFIX")
    if env and os.path.isdir(env):
        return env
    try:
        folder = _list_langs()[0]
    except OcrUnavailableError:
        return None
    return folder if folder and os.path.isdir(folder) else None


def check_available(lang: str) -> None:
    """Raise `OcrUnavailableError` unless tesseract and every language of `lang` ("vie+eng") exist."""
    missing = [code for code in lang.split("+") if code not in tesseract_languages()]
    if missing:
        raise OcrUnavailableError(f"tesseract language data {', '.join(missing)} is not installed "
                                  f"(Debian packages: {DEBIAN_PACKAGES})")


# --- in-process, through the C API --------------------------------------------------------------


@functools.cache
def _library() -> ctypes.CDLL | None:
    """libtesseract with the C API's signatures declared, or None when it cannot be loaded."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # read by libgomp when it loads, i.e. just below
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("tesseract") or "libtesseract.so.5")
        lib.TessVersion.restype = ctypes.c_char_p
        if int(lib.TessVersion().decode().split(".")[0]) < 4:
            return None
    except (OSError, AttributeError, ValueError):
        return None
    p, i, s = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
    signatures = {
        "TessBaseAPICreate": ([], p), "TessBaseAPIDelete": ([p], None), "TessBaseAPIInit3": ([p, s, s], i),
        "TessBaseAPISetVariable": ([p, s, s], i), "TessBaseAPISetPageSegMode": ([p, i], None),
        "TessBaseAPISetImage": ([p, p, i, i, i, i], None), "TessBaseAPISetSourceResolution": ([p, i], None),
        "TessBaseAPIRecognize": ([p, p], i), "TessBaseAPIGetTsvText": ([p, i], p), "TessDeleteText": ([p], None),
        "TessBaseAPIClear": ([p], None), "TessMonitorCreate": ([], p), "TessMonitorDelete": ([p], None),
        "TessMonitorSetDeadlineMSecs": ([p, i], None),
    }
    for name, (args, res) in signatures.items():
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = args, res
    return lib


class _Api:
    """One initialised TessBaseAPI (language loaded, variables set)."""

    def __init__(self, lib: ctypes.CDLL, lang: str):
        self.lib, self.handle = lib, lib.TessBaseAPICreate()
        if lib.TessBaseAPIInit3(self.handle, None, lang.encode()) != 0:
            lib.TessBaseAPIDelete(self.handle)
            raise OcrUnavailableError(f"tesseract could not load language {lang} (Debian packages: {DEBIAN_PACKAGES})")
        for name, value in {**VARIABLES, **QUIET}.items():
            lib.TessBaseAPISetVariable(self.handle, name.encode(), value.encode())
        atexit.register(self.close)  # else libtesseract complains of leaks at exit

    def tsv(self, grey: np.ndarray, psm: int, dpi: int, timeout: float) -> str:
        lib, grey = self.lib, np.ascontiguousarray(grey)
        lib.TessBaseAPISetPageSegMode(self.handle, psm)
        lib.TessBaseAPISetImage(self.handle, grey.ctypes.data, grey.shape[1], grey.shape[0], 1, grey.strides[0])
        lib.TessBaseAPISetSourceResolution(self.handle, dpi)
        monitor = lib.TessMonitorCreate()
        lib.TessMonitorSetDeadlineMSecs(monitor, int(min(timeout, 2e6) * 1000))
        try:
            if lib.TessBaseAPIRecognize(self.handle, monitor) != 0:
                raise RuntimeError(f"tesseract failed or took longer than {timeout:g} s")
            text = lib.TessBaseAPIGetTsvText(self.handle, 0)
            try:
                return ctypes.string_at(text).decode("utf-8", errors="replace") if text else ""
            finally:
                lib.TessDeleteText(text)
        finally:
            lib.TessMonitorDelete(monitor)
            lib.TessBaseAPIClear(self.handle)

    def close(self) -> None:
        if self.handle:
            self.lib.TessBaseAPIDelete(self.handle)
            self.handle = None


class _TesserocrApi:
    """One initialised `tesserocr.PyTessBaseAPI` (language loaded, variables set)."""

    def __init__(self, module, lang: str):
        path = tessdata_dir()
        try:
            self.api = module.PyTessBaseAPI(**({"path": path} if path else {}), lang=lang,
                                            variables={**VARIABLES, **QUIET})
        except RuntimeError as exc:
            raise OcrUnavailableError(f"tesseract could not load language {lang} from {path or 'its default folder'}"
                                      f" (Debian packages: {DEBIAN_PACKAGES}; or set TESSDATA_PREFIX)") from exc
        atexit.register(self.close)

    def tsv(self, grey: np.ndarray, psm: int, dpi: int, timeout: float) -> str:
        grey = np.ascontiguousarray(grey)
        self.api.SetPageSegMode(psm)
        self.api.SetImageBytes(grey.tobytes(), grey.shape[1], grey.shape[0], 1, grey.strides[0])
        self.api.SetSourceResolution(dpi)
        try:
            if not self.api.Recognize(timeout=int(min(timeout, 2e6) * 1000)):
                raise RuntimeError(f"tesseract failed or took longer than {timeout:g} s")
            return self.api.GetTSVText(0)
        finally:
            self.api.Clear()

    def close(self) -> None:
        if self.api is not None:
            self.api.End()
            self.api = None


@functools.cache
def _tesserocr():
    """The `tesserocr` module, or None when it is not installed."""
    try:
        import tesserocr
    except ImportError:
        return None
    return tesserocr


ENGINES = ("libtesseract", "tesserocr", "cli")


def wanted_engine() -> str:
    """The engine `DIRECTIVES_TESSERACT` asks for; by default the system libtesseract."""
    engine = os.environ.get("DIRECTIVES_TESSERACT") or "libtesseract"
    if engine not in ENGINES:
        raise OcrUnavailableError(f"DIRECTIVES_TESSERACT={engine}: not one of {', '.join(ENGINES)}")
    return engine


def engine_name(in_process: bool = True) -> str:
    """Which engine `image_tsv` uses: "libtesseract 5.3.0", "tesserocr 5.5.4" or "tesseract CLI"."""
    wanted = wanted_engine() if in_process else "cli"
    if wanted == "tesserocr" and (mod := _tesserocr()) is not None:
        return "tesserocr " + mod.tesseract_version().split()[1]
    if wanted == "libtesseract" and (lib := _library()) is not None:
        return "libtesseract " + lib.TessVersion().decode()
    return "tesseract CLI"


def tesseract_loaded() -> bool:
    """Whether this process has loaded the system libtesseract (its OpenMP runtime makes a fork of
    it unsafe; the tesserocr wheel's libtesseract is built without OpenMP)."""
    return _library.cache_info().currsize > 0 and _library() is not None


# (process id, lang): a forked worker makes its own. One per language, whatever the page segmentation
# mode (set per image): loading `vie` costs ≈ 0.14 CPU s, and a page may be read with four modes.
_APIS: dict[tuple[int, str], _Api | _TesserocrApi] = {}


def _api(lang: str) -> _Api | _TesserocrApi | None:
    """The in-process engine asked for (`wanted_engine`), None for the binary or when it cannot
    be loaded."""
    key = (os.getpid(), lang)
    if key not in _APIS:
        wanted = wanted_engine()
        if wanted == "tesserocr" and (mod := _tesserocr()) is not None:
            _APIS[key] = _TesserocrApi(mod, lang)
        elif wanted == "libtesseract" and (lib := _library()) is not None:
            _APIS[key] = _Api(lib, lang)
        else:
            return None
    return _APIS[key]


# --- the binary ---------------------------------------------------------------------------------


def _cli_tsv(grey: np.ndarray, lang: str, psm: int, dpi: int, timeout: float,
             variables: dict[str, str] | None = None) -> str:
    ok, png = cv2.imencode(".png", grey)
    if not ok:
        raise RuntimeError("could not encode the page image")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd = ["tesseract", "stdin", "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(dpi)]
    cmd += [arg for name, value in {**VARIABLES, **(variables or {})}.items() for arg in ("-c", f"{name}={value}")]
    cmd += ["tsv"]
    try:
        out = subprocess.run(cmd, input=png.tobytes(), capture_output=True, env=env, timeout=timeout)
    except FileNotFoundError as exc:
        raise OcrUnavailableError(f"tesseract is not installed (Debian packages: {DEBIAN_PACKAGES})") from exc
    if out.returncode != 0:
        raise RuntimeError(f"tesseract failed: {out.stderr.decode(errors='replace').strip()[:300]}")
    return out.stdout.decode("utf-8", errors="replace")


def image_tsv(grey: np.ndarray, lang: str, psm: int, dpi: int, timeout: float, in_process: bool = True) -> str:
    """Tesseract's TSV for one greyscale image (uint8, height × width) at `dpi`."""
    api = _api(lang) if in_process else None
    if api is None:
        return _cli_tsv(grey, lang, psm, dpi, timeout)
    return api.tsv(grey, psm, dpi, timeout)


def digits_tsv(grey: np.ndarray, lang: str, dpi: int, timeout: float) -> str:
    """Tesseract's TSV for one line of digits (and . / -), by the binary: the in-process model is
    set up for whole pages."""
    return _cli_tsv(grey, lang, 7, dpi, timeout, {"tessedit_char_whitelist": "0123456789./-"})


TSV_COLUMNS = ["level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width",
               "height", "conf", "text"]


def tsv_to_rows(tsv: str) -> list[dict]:
    """Word rows (level 5, non-empty text) of a Tesseract TSV (with or without its header line),
    numbers as ints / floats."""
    lines = tsv.splitlines()
    if lines and lines[0].startswith("level"):
        lines = lines[1:]
    rows = []
    for ln in lines:
        cells = ln.split("\t")
        if len(cells) != len(TSV_COLUMNS) or cells[0] != "5" or not cells[-1].strip():
            continue
        row: dict = {k: int(v) for k, v in zip(TSV_COLUMNS[:-2], cells[:-2], strict=True)}
        row["conf"] = float(cells[-2])
        row["text"] = unicodedata.normalize("NFC", cells[-1].strip())
        rows.append(row)
    return rows
