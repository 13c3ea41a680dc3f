"""What a run reads: the files found under its input paths, and how their names are shown.

Every file found is either read or reported (`unsupported-format`); the reader registry
(`extractors.registry`) is the one place that says which files are read. Folders are walked
recursively (symbolic links to folders are not followed), in a stable order, without the run's own
output folder when it lies inside one.

File names are stored losslessly (as bytes, `path_key`) and shown as text (`path_text`): a name
that is printable UTF-8 as it is; any other (bytes that are not UTF-8, a newline, a control or
format character) in bash's $'…' quoting, which is readable, cannot break a line or a CSV row, and
reads back to the same bytes (`path_from_text`).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path

from directives.extractors.registry import formats_text, suffixes

_NAME = attrgetter("name")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _suffix(path: str | Path) -> str:
    """`os.path.splitext(os.path.basename(path))[1].lower()`, by slicing (a run asks it of every input)."""
    name = os.fspath(path)
    name = name[name.rfind("/") + 1:]
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 and name[:dot].lstrip(".") else ""  # (leading dots start no suffix)


@functools.cache
def _readable() -> frozenset[str]:
    return frozenset(suffixes())


def is_readable(path: str | Path) -> bool:
    """Whether this version reads `path` (else it is reported as `unsupported-format`)."""
    return _suffix(path) in _readable()


def unsupported_reason(path: str | Path) -> str:
    kind = _suffix(path) or "no suffix"
    return f"unsupported format ({kind}): this version reads {formats_text()}"


def walk_names(paths: list[Path], skip: Path | None = None,
               on_error: Callable[[Path, OSError], None] | None = None,
               relative: dict[str, str] | None = None) -> list[str]:
    """Files as given, folders walked (in the order of their path components; the folder `skip`
    left out; symbolic links to folders not followed, to files taken), as names. With `relative`,
    each name's path relative to the input it was found under is stored there (a file given by
    itself: its name), so that outputs stay meaningful when the inputs move."""
    skip_id = _file_id(skip) if skip is not None else None
    out: list[str] = []
    for p in paths:
        if not p.is_dir():
            out.append(str(p))
            if relative is not None:
                relative.setdefault(str(p), os.path.basename(str(p)))
        elif skip_id is None or _file_id(p) != skip_id:
            found: list[str] = []
            _scan(str(p), skip_id, found, on_error)  # (in the order of their path components)
            out.extend(found)
            if relative is not None:
                start = len(_prefix(str(p)))  # every name found is that prefix and its path below p
                for f in found:
                    relative.setdefault(f, f[start:])
    return out


def walk(paths: list[Path], skip: Path | None = None) -> list[Path]:
    return [Path(f) for f in walk_names(paths, skip)]


def _prefix(folder: str) -> str:
    return "" if folder == "." else folder if folder.endswith("/") else folder + "/"


def _scan(folder: str, skip_id: tuple[int, int] | None, found: list[str],
          on_error: Callable[[Path, OSError], None] | None) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        if on_error is not None:
            on_error(Path(folder), exc)
        return
    prefix = _prefix(folder)
    entries.sort(key=_NAME)  # a folder's entries by name, each subfolder's files where its name sorts
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if skip_id is None or _file_id(Path(entry.path)) != skip_id:
                    _scan(prefix + entry.name, skip_id, found, on_error)
            elif entry.is_file():
                found.append(prefix + entry.name)
        except OSError:  # vanished meanwhile
            continue


def expand_paths(paths: list[Path]) -> list[Path]:
    """The files of `paths` that this version reads (for the benchmarks)."""
    return [p for p in walk(paths) if is_readable(p)]


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


_FS_CODEC = (sys.getfilesystemencoding(), sys.getfilesystemencodeerrors())


def path_key(path: str) -> bytes:
    """The name as the file system has it: the key a path is stored under (`os.fsencode`, without
    its checks: a run asks it of every input)."""
    return path.encode(*_FS_CODEC)


def path_of_key(key: bytes) -> str:
    """The name of a path key (`os.fsdecode`)."""
    return key.decode(*_FS_CODEC)


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def path_text(path: str) -> str:
    """The name as text for outputs and messages (see the module docstring)."""
    if path.isprintable():
        return path
    return "$'" + "".join(ch if ch.isprintable() and ch not in "\\'" else _escape(ch) for ch in path) + "'"


def one_line(text: str) -> str:
    """`text` for one line of a terminal: characters that are not printable escaped (\\n, \\x07 …)."""
    return text if text.isprintable() else "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def path_from_text(text: str) -> str:
    """The name `path_text` showed as `text` (a name that is not quoted is itself)."""
    if not (text.startswith("$'") and text.endswith("'") and len(text) >= 3):
        return text
    body, out, i = text[2:-1], bytearray(), 0
    simple = {v[1]: k for k, v in _ESCAPES.items()}
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 >= len(body):
            out += ch.encode("utf-8", "surrogateescape")
            i += 1
            continue
        kind = body[i + 1]
        width = {"x": 2, "u": 4, "U": 8}.get(kind)
        if kind in simple:
            out += simple[kind].encode()
            i += 2
        elif width and len(body) >= i + 2 + width:
            code = int(body[i + 2:i + 2 + width], 16)
            out += bytes([code]) if kind == "x" else chr(code).encode("utf-8", "surrogatepass")
            i += 2 + width
        else:
            out += b"\\"
            i += 1
    return os.fsdecode(bytes(out))
