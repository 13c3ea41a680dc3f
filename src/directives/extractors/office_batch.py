"""Word files of a batch converted to PDF by one resident LibreOffice, not one LibreOffice a file.

Starting LibreOffice costs ≈ 0.9 CPU s of the ≈ 1.1 s a Word file takes through
`office.convert_to_pdf`; a running instance converts a file in 0.2–0.5 s. So when a batch holds
several Word files, the batch first runs this module as a child process (`preconvert`): it starts
one LibreOffice listening on a pipe, converts every file through UNO (Debian: python3-uno, imported
from the system's folders), writes `<n>.pdf` beside the job list and says which files it converted.
The tasks then read those PDFs (`office.PRECONVERTED`) and convert only what is not there themselves,
so a file LibreOffice cannot load fails in its own task with the usual clear reason.

Limits: each file gets the batch's per-file timeout (LibreOffice is killed, then restarted for the
next file), LibreOffice runs under the per-file memory cap, and the kernel kills this child and
LibreOffice when the batch dies. No LibreOffice process outlives `preconvert`.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from directives.procs import cap_memory, die_with_parent

UNO_PATHS = ("/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program")
CONNECT_SECONDS = 60.0  # LibreOffice's first start (a new profile) takes 2–5 s here


def uno_available() -> bool:
    """Whether LibreOffice's Python bridge (python3-uno) can be imported here."""
    return any((Path(p) / "uno.py").is_file() for p in UNO_PATHS)


def _import_uno():
    """The `uno` module from the system's folders, which stay off sys.path afterwards (they hold the
    system's own numpy and others, which must not shadow the environment's)."""
    saved = sys.path[:]
    sys.path.extend(UNO_PATHS)
    try:
        import uno  # noqa: PLC0415

        return uno
    finally:
        sys.path[:] = saved


class _Office:
    """One LibreOffice listening on a pipe, with a profile in `workdir`, and its UNO desktop."""

    def __init__(self, workdir: Path) -> None:
        from directives.extractors.office import soffice

        self.uno = _import_uno()
        self.pipe = f"directives-{os.getpid()}-{time.monotonic_ns()}"
        cmd = [soffice(), "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
               f"-env:UserInstallation={(workdir / 'profile').as_uri()}", f"--accept=pipe,name={self.pipe};urp;"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, env={**os.environ, "HOME": str(workdir)},
                                     preexec_fn=die_with_parent)
        local = self.uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_SECONDS
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # not listening yet  # noqa: BLE001
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.close()
                    raise RuntimeError("LibreOffice did not start") from None
                time.sleep(0.05)
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)

    def _props(self, **values: object) -> tuple:
        from com.sun.star.beans import PropertyValue  # noqa: PLC0415

        out = []
        for name, value in values.items():
            p = PropertyValue()
            p.Name, p.Value = name, value
            out.append(p)
        return tuple(out)

    def convert(self, path: Path, filters: tuple[str, ...], pdf: Path) -> bool:
        """`path` loaded with the first of `filters` that loads it and exported as `pdf`."""
        url = self.uno.systemPathToFileUrl(str(path.resolve()))
        for name in filters:
            try:
                doc = self.desktop.loadComponentFromURL(url, "_blank", 0, self._props(Hidden=True, FilterName=name,
                                                                                      ReadOnly=True))
            except Exception:  # the filter cannot load it  # noqa: BLE001
                doc = None
            if doc is None:
                continue
            try:
                doc.storeToURL(self.uno.systemPathToFileUrl(str(pdf)), self._props(FilterName="writer_pdf_Export"))
            finally:
                with contextlib.suppress(Exception):
                    doc.close(True)
            return pdf.is_file() and pdf.stat().st_size > 0
        return False

    def close(self) -> None:
        from directives.extractors.office import _kill_tree

        with contextlib.suppress(Exception):
            self.desktop.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        _kill_tree(self.proc)


def convert_jobs(jobs: list[dict], workdir: Path, timeout: float | None) -> dict[str, str]:
    """Each job ({path, kind, pdf}) converted by one resident LibreOffice; {path: pdf} of those converted.
    A file that takes longer than `timeout` gets LibreOffice killed and restarted for the next."""
    from directives.extractors.office import IMPORT_FILTERS, encrypted_ole

    done: dict[str, str] = {}
    office: _Office | None = None
    try:
        for job in jobs:
            path, kind, pdf = Path(job["path"]), job["kind"], Path(job["pdf"])
            if kind not in IMPORT_FILTERS or (kind == "doc" and encrypted_ole(path)):
                continue
            if office is None:
                office = _Office(workdir)
            watchdog = threading.Timer(timeout, office.proc.kill) if timeout else None
            if watchdog:
                watchdog.start()
            try:
                ok = office.convert(path, IMPORT_FILTERS[kind], pdf)
            except Exception:  # LibreOffice died or was killed  # noqa: BLE001
                ok = False
            finally:
                if watchdog:
                    watchdog.cancel()
            if ok:
                done[job["path"]] = str(pdf)
            if office.proc.poll() is not None:
                office.close()
                office = None
    finally:
        if office is not None:
            office.close()
    return done


def preconvert(files: list[tuple[Path, str]], folder: Path, timeout: float | None, memory_mb: int | None
               ) -> dict[str, Path]:
    """Convert `files` ((path, office kind)) to PDFs in `folder` through one resident LibreOffice in a
    child process; {realpath: pdf} of those converted (none when LibreOffice or python3-uno is missing,
    or the child fails: the tasks then convert their files themselves)."""
    if not files or not uno_available():
        return {}
    jobs = [{"path": os.path.realpath(p), "kind": kind, "pdf": str(folder / f"{i}.pdf")}
            for i, (p, kind) in enumerate(files)]
    budget = None if timeout is None else timeout * len(jobs) + CONNECT_SECONDS
    try:
        proc = subprocess.run([sys.executable, "-m", "directives.extractors.office_batch", str(folder),
                               str(timeout or 0), str(memory_mb or 0)],
                              input=json.dumps(jobs), capture_output=True, text=True, timeout=budget,
                              preexec_fn=die_with_parent, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if proc.returncode != 0:
        return {}
    try:
        done = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        return {}
    return {path: Path(pdf) for path, pdf in done.items() if Path(pdf).is_file()}


MIN_FILES = 2  # one Word file gains nothing: it pays LibreOffice's start either way


def office_files(paths: list[Path]) -> list[tuple[Path, str]]:
    """The Word files among `paths`, with their office kind (as `office.OfficeReader` tells them)."""
    from directives.extractors.office import OfficeReader, office_kind

    out = []
    for path in paths:
        if path.suffix.lower() not in OfficeReader.suffixes:
            continue
        try:
            with path.open("rb") as fh:
                head = fh.read(2048)
        except OSError:
            continue
        if (kind := office_kind(path, head, OfficeReader.suffixes)) is not None:
            out.append((path, kind))
    return out


@contextlib.contextmanager
def batch_pdfs(paths: list[Path], timeout: float | None, memory_mb: int | None) -> Iterator[int]:
    """While inside, the Word files among `paths` (when there are `MIN_FILES` or more) are read from the
    PDFs one resident LibreOffice made of them (`office.PRECONVERTED`); yields how many. The PDFs are
    removed on leaving."""
    from directives.extractors.office import PRECONVERTED

    files = office_files(paths)
    if len(files) < MIN_FILES or not uno_available():
        yield 0
        return
    with tempfile.TemporaryDirectory(prefix="directives-office-") as tmp:
        done = preconvert(files, Path(tmp), timeout, memory_mb)
        PRECONVERTED.update(done)
        try:
            yield len(done)
        finally:
            for key in done:
                PRECONVERTED.pop(key, None)


def main(argv: list[str]) -> int:
    folder, timeout, memory = Path(argv[0]), float(argv[1]) or None, int(argv[2]) or None
    jobs = json.loads(sys.stdin.read())
    cap_memory(memory)  # inherited by LibreOffice
    with tempfile.TemporaryDirectory(prefix="directives-office-", dir=folder) as tmp:
        done = convert_jobs(jobs, Path(tmp), timeout)
    sys.stdout.write(json.dumps(done))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
