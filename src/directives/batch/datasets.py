"""The folder's datasets, rebuilt by every run from all its JSON outputs (not only this run's).

Order: documents by the first input path that produced them (from the manifest), then doc_id; a
JSON not in the manifest comes last. The same JSON files and manifest give the same bytes, so a
run resumed after a kill ends with the files an uninterrupted run writes. The corpus database is
built under a temporary name and renamed last; CSVs, XLSX and Parquet are written from it, each
file atomically.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from directives.batch.manifest import Manifest
from directives.errors import OutputError
from directives.exports import PARQUET, XLSX, write_csvs, write_parquet, write_xlsx
from directives.index import CORPUS, CorpusBuilder, dataset_names
from directives.schemas import Directive

log = logging.getLogger(__name__)


def json_files(out: Path, order: dict[str, str]) -> list[Path]:
    files = list((out / "json").glob("*.json"))
    return sorted(files, key=lambda p: (p.stem not in order, order.get(p.stem, ""), p.stem))


def load_directives(paths: list[Path]) -> Iterator[Directive]:
    """Each JSON output as a model, one at a time (memory does not grow with the folder); a file
    that is not a valid output (written by something else) is left out with a warning."""
    for path in paths:
        try:
            yield Directive.model_validate_json(path.read_bytes())
        except (OSError, ValueError) as exc:
            log.warning("%s left out of the datasets: %s", path, str(exc).splitlines()[0])


def datasets_present(out: Path) -> bool:
    """Whether every file `rebuild` writes is there."""
    names = dataset_names()
    wanted = [out / CORPUS, out / XLSX, *(out / f"{n}.csv" for n in names),
              *(out / PARQUET / f"{n}.parquet" for n in names)]
    return all(p.is_file() for p in wanted)


def remove_leftovers(out: Path) -> None:
    """Temporary files of a run that was killed (only called under the output lock)."""
    for folder in (out, out / "json", out / PARQUET):
        if folder.is_dir():
            for p in folder.glob(".*.tmp"):
                p.unlink(missing_ok=True)


def rebuild(out: Path, manifest: Manifest) -> None:
    """corpus.sqlite, the CSVs, datasets.xlsx and parquet/ from every JSON in OUT/json."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{CORPUS}.", suffix=".tmp", dir=out)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        builder = CorpusBuilder(tmp)
        for d in load_directives(json_files(out, manifest.doc_order())):
            builder.add(d)
        builder.add_errors(manifest.errors())
        builder.close()
        db = sqlite3.connect(f"file:{tmp}?mode=ro", uri=True)
        try:
            write_csvs(db, out)
            write_xlsx(db, out / XLSX)
            write_parquet(db, out / PARQUET)
        finally:
            db.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, out / CORPUS)
    except sqlite3.Error as exc:
        raise OutputError(f"cannot build {out / CORPUS}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
