"""A zip entry's deflate stream made of chunks compressed apart, so that a later version of the
entry can copy the chunks it shares with this one instead of compressing them again.

Each chunk is raw deflate from a fresh compressor, ended by a sync flush (an empty stored block:
the chunk ends on a byte boundary, with no final block), the last one ended by a final block. A
decoder reads the concatenation as one stream (a chunk makes no reference into the one before: it
only loses the shared window, a fraction of a percent for chunks of a megabyte). The chunks' bytes
depend on their content alone, so the entry is the same whether written whole or from copies.

The entry's CRC-32 is combined from the chunks' (`crc32_combine`, zlib's arithmetic: the CRC of A
then B from those of A and B and B's length). What a later version needs to copy a chunk (its
lengths, its CRC, the rows it holds) is kept in the entry's extra field (`EXTRA_ID`, which readers
of zip files skip as they skip any extra field they do not know).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

EXTRA_ID = 0x6364  # "dc": an extra field id the zip specification does not assign
_VERSION = 1
_HEADER = struct.Struct("<BI")  # version, the chunks' target size
_RECORD = struct.Struct("<IIII")  # uncompressed length, compressed length, CRC-32, rows
_LOCAL_HEADER = struct.Struct("<4s5H3I2H")
_POLY = 0xEDB88320  # CRC-32 (reflected)


@dataclass(frozen=True)
class Chunk:
    """One chunk of an entry: its uncompressed length, compressed length, CRC-32 and row count."""

    size: int
    length: int
    crc: int
    rows: int = 0


def deflate_chunk(data: bytes, last: bool = False) -> tuple[bytes, int]:
    """`data` as a chunk of raw deflate (a stream's end when `last`) and its CRC-32."""
    z = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return z.compress(data) + z.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH), zlib.crc32(data)


def _multiply(a: int, b: int) -> int:
    """a·b modulo the CRC-32 polynomial (reflected: bit 31 is x⁰)."""
    m, p = 1 << 31, 0
    while m:
        if a & m:
            p ^= b
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
    return p


def _powers() -> list[int]:
    out = [1 << 30]  # x¹
    for _ in range(31):
        out.append(_multiply(out[-1], out[-1]))  # x^(2^k)
    return out


_X2N = _powers()


def _x8n(n: int) -> int:
    """x^(8n) modulo the polynomial: what shifts a CRC past n zero bytes."""
    p, k = 1 << 31, 3
    while n:
        if n & 1:
            p = _multiply(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return p


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A followed by B, from crc1 = CRC(A), crc2 = CRC(B) and len2 = len(B)."""
    return _multiply(_x8n(len2), crc1) ^ crc2


def entry_crc(chunks: Sequence[Chunk]) -> int:
    crc = 0
    for c in chunks:
        crc = crc32_combine(crc, c.crc, c.size)
    return crc


def chunk_extra(chunks: Sequence[Chunk], target: int) -> bytes:
    """The extra field that records `chunks`, cut at `target` bytes (empty when they do not fit in one)."""
    if any(max(c.size, c.length, c.rows) >= 1 << 32 for c in chunks):
        return b""
    data = _HEADER.pack(_VERSION, target) + b"".join(_RECORD.pack(c.size, c.length, c.crc, c.rows) for c in chunks)
    return struct.pack("<HH", EXTRA_ID, len(data)) + data if len(data) <= 0xFFFF - 4 else b""


def recorded_chunks(info: zipfile.ZipInfo, target: int) -> list[Chunk] | None:
    """The chunks an entry's extra field records, when they were cut at `target` bytes and add up
    to the entry (else None)."""
    extra, at = info.extra, 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, at)
        data = extra[at + 4:at + 4 + size]
        at += 4 + size
        if (kind != EXTRA_ID or len(data) < _HEADER.size or _HEADER.unpack_from(data) != (_VERSION, target)
                or (len(data) - _HEADER.size) % _RECORD.size):
            continue
        chunks = [Chunk(*r) for r in _RECORD.iter_unpack(data[_HEADER.size:])]
        if (sum(c.size for c in chunks) == info.file_size and sum(c.length for c in chunks) == info.compress_size
                and entry_crc(chunks) == info.CRC and info.compress_type == zipfile.ZIP_DEFLATED):
            return chunks
    return None


def data_offset(fp, info: zipfile.ZipInfo) -> int:
    """Where the entry's compressed data starts in the zip file `fp` (after its local header)."""
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    fields = _LOCAL_HEADER.unpack(header)
    return info.header_offset + _LOCAL_HEADER.size + fields[-2] + fields[-1]
