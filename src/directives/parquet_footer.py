"""A Parquet file's footer (its FileMetaData, Thrift compact protocol) read and written losslessly,
so that a file can be extended by whole row groups without reading or writing the ones it keeps.

A Parquet file is "PAR1", the row groups' column chunks one after the other, the footer, its
length (4 bytes) and "PAR1". The bytes of a row group depend on its rows alone; only the footer
says where they are (absolute offsets). So a file whose first k row groups hold rows that did not
change is the old file's bytes up to the end of row group k, then the row groups a writer makes of
the remaining rows (written as a file of their own and moved: every offset shifted by where they
now start), then a footer that lists the old k row groups and the new ones. Written so, the bytes
are those pyarrow writes for the whole file (`tests/test_parquet_splice.py` compares them).

The codec keeps every field as read (id, type, value) and writes them back in the same order with
the canonical compact encoding Apache Thrift's writers use, so a footer read and written again has
its bytes: `decode` then `encode` is checked against the input before anything is spliced.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import cast

MAGIC = b"PAR1"

# compact protocol types
_TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(1, 13)

Field = tuple[int, int, object]  # (field id, compact type, value)
Struct = list[Field]

# parquet.thrift field ids
_FILE_NUM_ROWS, _FILE_ROW_GROUPS = 3, 4
_RG_COLUMNS, _RG_NUM_ROWS, _RG_FILE_OFFSET, _RG_COMPRESSED, _RG_ORDINAL = 1, 3, 5, 6, 7
_CC_FILE_PATH, _CC_FILE_OFFSET, _CC_META, _CC_OFFSET_INDEX, _CC_COLUMN_INDEX = 1, 2, 3, 4, 6
_CC_CRYPTO, _CC_ENCRYPTED = 8, 9
_CM_COMPRESSED, _CM_DATA_PAGE, _CM_INDEX_PAGE, _CM_DICT_PAGE, _CM_BLOOM = 7, 9, 10, 11, 14


class FooterError(ValueError):
    """A footer this module does not splice (damaged, encrypted, page indexes, another layout)."""


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def byte(self) -> int:
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, kind: int) -> object:
        if kind in (_TRUE, _FALSE):  # in a container: one byte
            return self.byte() == _TRUE
        if kind == _BYTE:
            return self.byte()
        if kind in (_I16, _I32, _I64):
            return self.zigzag()
        if kind == _DOUBLE:
            self.pos += 8
            return self.data[self.pos - 8:self.pos]
        if kind == _BINARY:
            n = self.varint()
            self.pos += n
            return self.data[self.pos - n:self.pos]
        if kind in (_LIST, _SET):
            head = self.byte()
            size, elem = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            return (elem, [self.value(elem) for _ in range(size)])
        if kind == _STRUCT:
            return self.struct()
        raise FooterError(f"Thrift type {kind} not expected in a Parquet footer")

    def struct(self) -> Struct:
        fields: Struct = []
        last = 0
        while (head := self.byte()) != 0:
            kind, delta = head & 0x0F, head >> 4
            fid = last + delta if delta else self.zigzag()
            value: object = kind == _TRUE if kind in (_TRUE, _FALSE) else self.value(kind)
            fields.append((fid, kind, value))
            last = fid
        return fields


def _varint(n: int, out: bytearray) -> None:
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _zigzag(n: int, out: bytearray) -> None:
    _varint((n << 1) ^ (n >> 63), out)


def _value(kind: int, value: object, out: bytearray) -> None:
    if kind in (_TRUE, _FALSE):
        out.append(_TRUE if value else _FALSE)
    elif kind == _BYTE:
        out.append(value)  # type: ignore[arg-type]
    elif kind in (_I16, _I32, _I64):
        _zigzag(value, out)  # type: ignore[arg-type]
    elif kind == _DOUBLE:
        out += cast(bytes, value)
    elif kind == _BINARY:
        data = cast(bytes, value)
        _varint(len(data), out)
        out += data
    elif kind in (_LIST, _SET):
        elem, items = cast(tuple[int, list[object]], value)
        if len(items) < 15:
            out.append(len(items) << 4 | elem)
        else:
            out.append(0xF0 | elem)
            _varint(len(items), out)
        for item in items:
            _value(elem, item, out)
    else:
        _struct(value, out)  # type: ignore[arg-type]


def _struct(fields: Struct, out: bytearray) -> None:
    last = 0
    for fid, kind, value in fields:
        if kind in (_TRUE, _FALSE):
            kind = _TRUE if value else _FALSE
        if 0 < fid - last <= 15:
            out.append((fid - last) << 4 | kind)
        else:
            out.append(kind)
            _zigzag(fid, out)
        if kind not in (_TRUE, _FALSE):
            _value(kind, value, out)
        last = fid
    out.append(0)


def decode(data: bytes) -> Struct:
    reader = _Reader(data)
    try:
        fields = reader.struct()
    except (IndexError, TypeError) as exc:
        raise FooterError(f"not a Thrift compact struct: {exc}") from exc
    if reader.pos != len(data):
        raise FooterError("bytes after the footer's struct")
    return fields


def encode(fields: Struct) -> bytes:
    out = bytearray()
    _struct(fields, out)
    return bytes(out)


@dataclass(frozen=True)
class Footer:
    """A Parquet file's footer: its fields, where it starts in the file, and its row groups."""

    fields: Struct
    start: int

    def get(self, fid: int) -> object:
        return next((v for f, _, v in self.fields if f == fid), None)

    @property
    def row_groups(self) -> list[Struct]:
        value = self.get(_FILE_ROW_GROUPS)
        return list(value[1]) if value else []  # type: ignore[index]

    @property
    def num_rows(self) -> int:
        return int(self.get(_FILE_NUM_ROWS) or 0)  # type: ignore[call-overload]

    def other_fields(self) -> Struct:
        """Every field but the row count and the row groups (the schema, the key-value metadata,
        the writer's name, the column orders): what two files of the same schema and writer share."""
        return [f for f in self.fields if f[0] not in (_FILE_NUM_ROWS, _FILE_ROW_GROUPS)]


def read_footer(data: bytes | memoryview, size: int | None = None, check: bool = True) -> Footer:
    """The footer of a Parquet file, from its last bytes `data` (the whole file, or its end when
    `size` is the file's size). `check`: that it is written back byte for byte (the footer of a
    file the same writer made, as `Footer.other_fields` tells, need not be checked again)."""
    size = len(data) if size is None else size
    if len(data) < 8 or bytes(data[-4:]) != MAGIC:
        raise FooterError("no Parquet magic at the end")
    (length,) = struct.unpack("<I", data[-8:-4])
    if length + 8 > len(data) or length + 12 > size:
        raise FooterError("footer length out of the file")
    raw = bytes(data[len(data) - 8 - length:len(data) - 8])
    fields = decode(raw)
    if check and encode(fields) != raw:  # a writer this codec does not mirror: no splice
        raise FooterError("footer not in the canonical compact encoding")
    return Footer(fields, size - 8 - length)


def _row_group_rows(group: Struct) -> int:
    return int(next(v for f, _, v in group if f == _RG_NUM_ROWS))  # type: ignore[call-overload]


def row_group_rows(footer: Footer) -> list[int]:
    return [_row_group_rows(g) for g in footer.row_groups]


def _shift(fields: Struct, ids: tuple[int, ...], delta: int) -> Struct:
    return [(f, k, v + delta if f in ids and isinstance(v, int) else v) for f, k, v in fields]


def _column_shifted(chunk: Struct, delta: int) -> Struct:
    out: Struct = []
    for fid, kind, value in chunk:
        if fid in (_CC_FILE_PATH, _CC_OFFSET_INDEX, _CC_COLUMN_INDEX, _CC_CRYPTO, _CC_ENCRYPTED):
            raise FooterError(f"column chunk field {fid} (another file, page indexes, encryption)")
        if fid == _CC_META:
            value = _shift(value, (_CM_DATA_PAGE, _CM_INDEX_PAGE, _CM_DICT_PAGE, _CM_BLOOM), delta)  # type: ignore[arg-type]
        elif fid == _CC_FILE_OFFSET and value:  # (parquet-cpp writes 0 here: left as it is)
            value = value + delta  # type: ignore[operator]
        out.append((fid, kind, value))
    return out


def moved_row_group(group: Struct, delta: int, ordinal: int) -> Struct:
    """A row group's footer entry once its bytes start `delta` bytes later, as row group `ordinal`."""
    out: Struct = []
    for fid, kind, value in group:
        if fid == _RG_COLUMNS:
            elem, chunks = cast(tuple[int, list[Struct]], value)
            value = (elem, [_column_shifted(c, delta) for c in chunks])
        elif fid == _RG_FILE_OFFSET:
            value = value + delta  # type: ignore[operator]
        elif fid == _RG_ORDINAL:
            value = ordinal
        out.append((fid, kind, value))
    return out


def row_groups_end(footer: Footer, count: int) -> int:
    """Where the first `count` row groups' bytes end (they follow "PAR1" one after the other)."""
    end = len(MAGIC)
    for group in footer.row_groups[:count]:
        size = next((v for f, _, v in group if f == _RG_COMPRESSED), None)
        if not isinstance(size, int):
            raise FooterError("a row group without its compressed size")
        end += size
    return end


def spliced_footer(old: Footer, keep: int, tail: Footer, delta: int) -> bytes:
    """The footer of a file made of `old`'s first `keep` row groups then `tail`'s, those moved by
    `delta` bytes; with the length and magic that end the file."""
    groups = old.row_groups[:keep] + [moved_row_group(g, delta, keep + i) for i, g in enumerate(tail.row_groups)]
    rows = sum(map(_row_group_rows, groups))
    fields: Struct = []
    for fid, kind, value in tail.fields:
        if fid == _FILE_NUM_ROWS:
            value = rows
        elif fid == _FILE_ROW_GROUPS:
            value = (value[0], groups)  # type: ignore[index]
        fields.append((fid, kind, value))
    if not any(f == _FILE_ROW_GROUPS for f, _, _ in fields):
        raise FooterError("a footer without row groups")
    raw = encode(fields)
    return raw + struct.pack("<I", len(raw)) + MAGIC
