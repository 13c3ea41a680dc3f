"""The folder's corpus and exports, kept in step with the manifest, document by document.

After the files of a run are recorded, `sync` brings `OUT/corpus.sqlite` to what the manifest says
the folder holds: documents no input refers to any more are deleted, new ones and those whose JSON
changed (by size and mtime) are (re)indexed, in transactions of a few hundred documents; a
document whose first input path changed only moves; the errors are replaced when they differ. Then
`export` rewrites the CSVs, the Parquet files and the workbook that do not show the corpus's
current state, each atomically, spliced from their previous version (`exports.py`: CSV and Parquet
by documents' blocks, the workbook by the rows of the documents at the start that did not change).

Every step compares what is with what should be, so a run killed at any moment (kill -9) leaves
the next run a folder it completes to the bytes an uninterrupted run writes. Cost: a stat per
document and a few queries, plus what changed, plus writing the exports (the CSVs copy the blocks
of unchanged documents, the Parquet files their row groups up to the first changed document, the
workbook's sheets their compressed chunks up to it).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sqlite3
import threading
from array import array
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from directives.batch.manifest import Manifest, db_error, is_damaged
from directives.columns import readme_digest
from directives.errors import OutputError
from directives.index import CORPUS, Corpus, Layout, layout_key, ordered_docs
from directives.procs import die_with_parent
from directives.schemas import Directive
from directives.writers import PARQUET, dataset_names, json_path
from directives.xlsx import XLSX, XLSX_FORMAT

if TYPE_CHECKING:
    from directives.exports import Splicer

log = logging.getLogger(__name__)

BATCH = 300  # documents per transaction while indexing


def remove_leftovers(out: Path) -> None:
    """Temporary files of a run that was killed (only called under the output lock)."""
    for folder in (out, out / "json", out / PARQUET):
        try:
            names = os.listdir(folder)  # (not a glob: the JSON folder holds a name per document)
        except OSError:
            continue
        for name in names:
            if name.startswith(".") and name.endswith(".tmp") and len(name) > 4:  # (".*.tmp")
                (folder / name).unlink(missing_ok=True)


def open_corpus(out: Path, notice: Callable[[str], None]) -> Corpus:
    """OUT/corpus.sqlite for updates; a damaged one, or one of another layout, is started afresh
    (the next `sync` indexes every document again)."""
    path = out / CORPUS
    why = None
    try:
        corpus = Corpus(path)
        if corpus.layout() == layout_key():
            return corpus
        corpus.close()
        why = "it was built by another version"
    except sqlite3.Error as exc:
        if not is_damaged(exc):
            raise db_error(path, exc) from exc
        why = f"it is damaged ({exc})"
    if path.exists():
        message = f"{path} is rebuilt from the JSON outputs: {why}"
        if why.startswith("it is damaged"):
            log.warning(message)
        else:
            notice(message)
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    try:
        return Corpus(path)
    except sqlite3.Error as exc:
        raise db_error(path, exc) from exc


def json_stamps(out: Path) -> dict[str, str]:
    """doc_id → `json_stamp` of every JSON output (one pass over the folder)."""
    stamps: dict[str, str] = {}
    try:
        entries = list(os.scandir(out / "json"))
    except OSError:
        return stamps
    for entry in entries:
        if entry.name.endswith(".json") and not entry.name.startswith("."):
            try:
                st = entry.stat()
            except OSError:
                continue
            stamps[entry.name[:-5]] = f"{st.st_size}:{st.st_mtime_ns}"
    return stamps


def json_stamp(out: Path, doc_id: str) -> str | None:
    """What identifies the JSON output's current content: size and mtime (None: no file). (Not the
    inode: a folder copied with its times, or restored from a backup, needs no new index.)"""
    return file_stamp(json_path(out, doc_id))


def read_output(out: Path, doc_id: str) -> Directive | None:
    """The JSON output of `doc_id` as a model, or None when it is missing or not a valid output."""
    path = json_path(out, doc_id)
    try:
        d = Directive.model_validate_json(path.read_bytes())
    except (OSError, ValueError) as exc:
        log.debug("%s is not a valid output: %s", path, str(exc).splitlines()[0])
        return None
    return d if d.doc_id == doc_id else None


def _chunks(items: list, size: int) -> Iterator[list]:
    for k in range(0, len(items), size):
        yield items[k:k + size]


def sync(out: Path, manifest: Manifest, corpus: Corpus, stamps: dict[str, str] | None = None) -> None:
    """Make the corpus hold what the manifest and the JSON outputs say (see the module docstring).
    `stamps`: `json_stamps` taken since the last JSON was written, when the caller has them."""
    wanted = manifest.doc_positions()
    have = corpus.states()
    stamps = json_stamps(out) if stamps is None else stamps
    gone = [d for d in have if d not in wanted]
    todo, moved = [], {}
    missing = []
    for doc_id, position in wanted.items():
        stamp = stamps.get(doc_id)
        state = have.get(doc_id)
        if stamp is None:
            missing.append(doc_id)
            if state is not None:
                gone.append(doc_id)
        elif state is None or state[1] != stamp:
            todo.append((doc_id, position, stamp))
        elif state[0] != position:
            moved[doc_id] = position
    for doc_id in sorted(missing, key=wanted.__getitem__):
        log.warning("%s is missing: document left out of the datasets until a run redoes it", json_path(out, doc_id))
    todo.sort(key=lambda t: (t[1], t[0]))  # indexed in dataset order
    if gone:
        corpus.remove(gone)
    if moved:
        corpus.move(moved)
    for chunk in _chunks(todo, BATCH):
        docs, bad = [], []
        for doc_id, position, stamp in chunk:
            d = read_output(out, doc_id)
            if d is None:
                log.warning("%s is not a valid output: document left out of the datasets until a run redoes it",
                            json_path(out, doc_id))
                bad.append(doc_id)
            else:
                docs.append((d, position, stamp))
        corpus.add(docs)
        if bad:
            corpus.remove(bad)
    corpus.set_errors(manifest.errors())


def file_stamp(path: Path) -> str | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


def export_files(out: Path) -> list[tuple[str, str, Path]]:
    """(dataset or "xlsx", kind, path) of every export."""
    files = [(name, "csv", out / f"{name}.csv") for name in dataset_names()]
    files += [(name, "parquet", out / PARQUET / f"{name}.parquet") for name in dataset_names()]
    return [*files, ("xlsx", "xlsx", out / XLSX)]


def prepare_exports() -> None:
    """Import what writing the exports needs (NumPy, PyArrow, openpyxl: ≈ 0.2 s), which a run does
    while its last files are processed in their own processes, instead of after. (One that fails to
    import fails where it is used, in `export`, after the files are recorded.)"""
    with contextlib.suppress(ImportError):
        import openpyxl.cell  # noqa: F401 (imported for later)
        import openpyxl.styles  # noqa: F401
        import openpyxl.utils  # noqa: F401
        import pyarrow.parquet  # noqa: F401

        import directives.exports  # noqa: F401


def export(out: Path, corpus: Corpus) -> int:
    """Rewrite every export that does not show the corpus's current state; how many were written."""
    from directives.exports import Splicer, write_csv_dataset, write_parquet_dataset

    docs_gen, errors_gen = corpus.generation("docs"), corpus.generation("errors")
    states = None
    order: list[str] | None = None
    splicers: dict[int, Splicer] = {}  # by the generation an old file shows
    stale = []
    for name, kind, path in export_files(out):
        want = (f"e{errors_gen}" if name == "errors" else f"{docs_gen}:{errors_gen}:{readme_digest()}:{XLSX_FORMAT}" if kind == "xlsx"
                else str(docs_gen))
        stamp, generation, layout = corpus.exported(str(path.relative_to(out)))
        on_disk = stamp is not None and file_stamp(path) == stamp
        if on_disk and generation == want and (kind != "xlsx" or layout is not None):  # (a workbook of a version
            continue  # that kept no layout is written once more, to keep one)
        splicer = None
        if name != "errors":
            if order is None or states is None:
                states, order = corpus.states(), ordered_docs(corpus.db)
            shown = (generation or "").split(":")[0]  # the documents' generation the file shows
            old = int(shown) if on_disk and layout is not None and shown.isdigit() else -1
            if old not in splicers:
                fresh = frozenset(d for d, (_, _, g) in states.items() if g > old)
                splicers[old] = Splicer(order, fresh)
            splicer = splicers[old]
            mostly_new = old < 0 or len(splicer.fresh) > max(64, len(order) // 8)  # cheaper to write it whole
            other_format = kind == "xlsx" and not (generation or "").endswith(f":{XLSX_FORMAT}")  # no chunks to copy
            if mostly_new or other_format or (layout is not None and kind != "xlsx"
                                              and len(layout.extents) != len(layout.docs)):
                layout = None
        stale.append((name, kind, path, want, layout if on_disk else None, splicer))
    if not stale:
        return 0
    results: dict[Path, Layout | None] = {}
    workbook = next((_start_workbook(corpus.path, path, layout, splicer)
                     for _, kind, path, _, layout, splicer in stale if kind == "xlsx"), None)
    for name, kind, path, _, layout, splicer in stale:
        if kind == "csv":
            results[path] = write_csv_dataset(corpus.db, path, name, layout, splicer)
        elif kind == "parquet":
            results[path] = write_parquet_dataset(corpus.db, path, name, layout, splicer)
    if workbook is not None:
        results[out / XLSX] = workbook()
    with corpus.db:  # one transaction: what each file shows is a hint, checked against the file's stamp
        corpus.db.execute("BEGIN")
        for _, _, path, want, _, _ in stale:
            corpus.set_exported(str(path.relative_to(out)), file_stamp(path), want, results.get(path))
    return len(stale)


def _start_workbook(corpus: Path, path: Path, old: Layout | None = None,
                    splicer: Splicer | None = None) -> Callable[[], Layout | None]:
    """Write the workbook beside the other exports (it is mostly zlib's work and the GIL's): in a
    forked process when this one runs no other thread, else in a thread. Returns the wait for it,
    which returns the workbook's layout."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        pool = ThreadPoolExecutor(max_workers=1)
        future = pool.submit(_workbook_written, corpus, path, old, splicer)

        def wait_thread() -> Layout | None:
            try:
                message, layout = future.result()
            finally:
                pool.shutdown()
            if message:
                raise OutputError(message)
            return layout
        return wait_thread
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_workbook_child, args=(send, corpus, path, os.getpid(), old, splicer), daemon=True)
    proc.start()
    send.close()

    def wait_process() -> Layout | None:
        try:
            message, extents = receive.recv()
        except EOFError:
            proc.join()  # its exit code is known once it is reaped
            message, extents = f"cannot write {path}: the process writing it died ({proc.exitcode})", None
        proc.join()
        receive.close()
        if message:
            raise OutputError(message)
        if extents is None or splicer is None:
            return None
        sizes = array("q")
        sizes.frombytes(extents)
        return Layout(tuple(splicer.order), tuple(sizes)) if sizes else Layout((), ())
    return wait_process


def _workbook_written(corpus: Path, path: Path, old: Layout | None = None,
                      splicer: Splicer | None = None) -> tuple[str, Layout | None]:
    """Write the workbook; what went wrong ("" when nothing), reported by the run as its error, and
    the workbook's layout."""
    try:
        layout = _write_workbook(corpus, path, old, splicer)
    except Exception as exc:
        return (exc.reason if isinstance(exc, OutputError) else f"cannot write {path}: {type(exc).__name__}: {exc}"), None
    return "", layout


def _die_with(parent: int) -> None:
    """End this process when the run that forked it ends (kill -9 included): a writer that outlived
    it would hold the run's lock (its descriptor is inherited) and write behind the next run."""
    die_with_parent()
    if os.getppid() != parent:  # gone before that took effect
        os._exit(1)


def _workbook_child(send: Connection, corpus: Path, path: Path, parent: int, old: Layout | None = None,
                    splicer: Splicer | None = None) -> None:
    _die_with(parent)
    try:
        message, layout = _workbook_written(corpus, path, old, splicer)
        if layout is None or splicer is None:
            send.send((message, None))
        else:  # the order is the parent's: only the sizes go back (and none when the layout holds no document)
            send.send((message, array("q", layout.extents).tobytes() if layout.docs else b""))
    finally:
        send.close()


def _write_workbook(corpus: Path, path: Path, old: Layout | None = None, splicer: Splicer | None = None) -> Layout | None:
    from directives.exports import write_xlsx

    db = sqlite3.connect(f"file:{corpus}?mode=ro", uri=True, timeout=60)
    try:
        return write_xlsx(db, path, old, splicer)
    except sqlite3.Error as exc:
        raise OutputError(f"cannot write {path}: {exc}") from exc
    finally:
        db.close()
