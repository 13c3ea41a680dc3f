"""A zip entry deflated in chunks: one valid stream, its CRC combined from the chunks', its chunks
recorded in its extra field and read back only when they add up to the entry."""

from __future__ import annotations

import io
import random
import zipfile
import zlib

import pytest

from directives.deflate import (
    Chunk,
    chunk_extra,
    crc32_combine,
    data_offset,
    deflate_chunk,
    entry_crc,
    recorded_chunks,
)


@pytest.mark.parametrize(("a", "b"), [(0, 0), (1, 0), (0, 7), (10, 1000), (70_000, 123_457), (3, 1 << 21)])
def test_crc32_combine_is_the_crc_of_the_concatenation(a: int, b: int) -> None:
    rng = random.Random(a * 31 + b)
    x, y = rng.randbytes(a), rng.randbytes(b)
    assert crc32_combine(zlib.crc32(x), zlib.crc32(y), len(y)) == zlib.crc32(x + y)


def chunked_zip(parts: list[bytes], target: int = 1000) -> tuple[bytes, list[Chunk]]:
    """A zip holding one entry, "a.xml", deflated as `parts` (one chunk each), as the workbook writes it."""
    chunks, data = [], []
    for k, part in enumerate(parts):
        compressed, crc = deflate_chunk(part, last=k == len(parts) - 1)
        data.append(compressed)
        chunks.append(Chunk(len(part), len(compressed), crc, part.count(b"<row ")))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        entry = zipfile.ZipInfo("a.xml", date_time=(2000, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.file_size, entry.compress_size, entry.CRC = sum(map(len, parts)), sum(map(len, data)), entry_crc(chunks)
        entry.extra = chunk_extra(chunks, target)
        entry.header_offset = buf.tell()
        buf.write(entry.FileHeader(False) + b"".join(data))
        zf.start_dir = buf.tell()
        zf.filelist.append(entry)
        zf.NameToInfo[entry.filename] = entry
    return buf.getvalue(), chunks


def test_chunks_read_as_one_entry_and_are_recorded() -> None:
    rng = random.Random(5)
    parts = [b"<head/>", *(b"".join(b'<row r="%d">%s</row>' % (n, rng.randbytes(9).hex().encode())
                                    for n in range(k, k + 400)) for k in (0, 400, 800)), b"", b"</tail>"]
    data, chunks = chunked_zip(parts)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None  # the CRC combined from the chunks' is the entry's
        assert zf.read("a.xml") == b"".join(parts)
        info = zf.getinfo("a.xml")
        assert recorded_chunks(info, 1000) == chunks
        assert [c.rows for c in chunks] == [0, 400, 400, 400, 0, 0]
        assert recorded_chunks(info, 2000) is None  # cut otherwise: not copied
        fh = io.BytesIO(data)
        at = data_offset(fh, info) + sum(c.length for c in chunks[:2])
        alone = zlib.decompressobj(-15).decompress(data[at:at + chunks[2].length])  # a chunk decompresses alone
        assert alone == parts[2]
        crc = 4 + 5 + 8  # the first chunk's CRC in the extra field (after its id, size, header, two lengths)
        info.extra = info.extra[:crc] + bytes([info.extra[crc] ^ 1]) + info.extra[crc + 1:]  # no longer adds up
        assert recorded_chunks(info, 1000) is None


def test_a_table_too_long_for_an_extra_field_is_left_out() -> None:
    assert chunk_extra([Chunk(1, 1, 0, 0)] * 5000, 1000) == b""
    assert chunk_extra([Chunk(1 << 32, 1, 0, 0)], 1000) == b""
    assert len(chunk_extra([Chunk(1, 1, 0, 0)] * 4000, 1000)) == 4 + 5 + 16 * 4000
