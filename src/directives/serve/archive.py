"""What `directives serve` reads beside the corpus database: the documents' JSON and their original files.

A file is served only when the manifest records it for that document and it still lies, resolved, in
the folder it was processed from (a symlink swapped in later leads nowhere); a doc_id is letters,
digits, `_` and `-` only, so no name built from a request can leave the output folder.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

MANIFEST = "manifest.sqlite"
DOC_ID = r"[0-9A-Za-z_-]{1,64}"  # also the routes' pattern
_DOC_ID = re.compile(DOC_ID)


class Refused(Exception):
    def __init__(self, status: HTTPStatus, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Archive:
    """What is served: an output folder, and the folder relative input paths are resolved from."""

    out: Path
    root: Path

    def json_path(self, doc_id: str) -> Path:
        """OUT/json/<doc_id>.json when it exists; Refused otherwise."""
        path = self.out / "json" / f"{doc_id}.json"
        if not _valid_id(doc_id) or not path.is_file():
            raise Refused(HTTPStatus.NOT_FOUND, "no such document")
        return path

    def document(self, doc_id: str) -> dict:
        path = self.json_path(doc_id)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"{path.name} could not be read: {exc}") from None

    def source_file(self, doc_id: str) -> Path:
        """The original file of a document, when it may be served (see the module docstring)."""
        if not _valid_id(doc_id):
            raise Refused(HTTPStatus.NOT_FOUND, "no such document")
        path = self.out / MANIFEST
        if not path.is_file():
            raise Refused(HTTPStatus.NOT_FOUND, "no manifest in the output folder")
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            recorded = [os.fsdecode(bytes(p)) for (p,) in db.execute(
                "SELECT path FROM files WHERE doc_id = ? ORDER BY path", (doc_id,))]
        except sqlite3.Error as exc:
            raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"{MANIFEST} could not be read: {exc}") from None
        finally:
            db.close()
        for name in recorded:
            given = Path(name) if Path(name).is_absolute() else self.root / name
            real = given.resolve()
            if real.is_file() and real.parent == given.parent.resolve():
                return real
        raise Refused(HTTPStatus.NOT_FOUND, "no processed file of that document is available")


def _valid_id(doc_id: str) -> bool:
    return _DOC_ID.fullmatch(doc_id) is not None
