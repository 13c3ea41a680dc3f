"""Parquet files extended by whole row groups (`parquet_footer.py`, `exports._row_groups_kept`):
the row groups of unchanged documents at the start are copied as bytes, the rest written, the
footer spliced; the file is the one written whole, byte for byte, and reads back the same."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from directives import exports, parquet_footer
from directives.exports import Splicer, write_parquet_dataset
from directives.index import CORPUS, Corpus, ordered_docs
from directives.writers import dataset_names
from tests.test_exports import doc

ROWS = 2  # row groups of two rows: a few documents make several


def parquet_files(db, folder: Path, layouts: dict | None = None, fresh: frozenset[str] = frozenset()) -> dict:
    splicer = Splicer(ordered_docs(db), fresh)
    return {name: write_parquet_dataset(db, folder / f"{name}.parquet", name, (layouts or {}).get(name), splicer)
            for name in dataset_names()}


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Row groups of ROWS rows; the datasets whose file kept row groups, call by call."""
    monkeypatch.setattr(exports, "ROW_GROUP", ROWS)
    calls: list[str] = []
    real = exports._row_groups_kept

    def spy(db, path, name, *args):
        layout = real(db, path, name, *args)
        if layout is not None:
            calls.append(name)
        return layout
    monkeypatch.setattr(exports, "_row_groups_kept", spy)
    return calls


def test_footer_read_and_written_back_byte_for_byte() -> None:
    table = pa.table({"a": pa.array([1, None, 3] * 50, pa.int64()), "b": pa.array(["x", None, "đ" * 300] * 50)})
    buf = io.BytesIO()
    with pq.ParquetWriter(buf, table.schema, compression="zstd") as writer:
        for start in range(0, 150, 20):
            writer.write_table(table.slice(start, 20))
    data = buf.getvalue()
    footer = parquet_footer.read_footer(data)
    (length,) = struct.unpack("<I", data[-8:-4])
    assert parquet_footer.encode(footer.fields) == data[-8 - length:-8]
    assert footer.num_rows == 150 and parquet_footer.row_group_rows(footer) == [20] * 7 + [10]
    assert parquet_footer.row_groups_end(footer, 8) == footer.start == len(data) - 8 - length
    with pytest.raises(parquet_footer.FooterError):
        parquet_footer.read_footer(data[:-1])


def test_row_groups_kept_give_the_file_written_whole(tmp_path: Path, kept: list[str]) -> None:
    corpus = Corpus(tmp_path / CORPUS)
    pos = {n: n.to_bytes(2, "big") for n in range(40)}
    corpus.add([(doc(n), pos[n], None) for n in range(1, 12)])
    spliced = tmp_path / "spliced"
    layouts = parquet_files(corpus.db, spliced)
    everything = {"documents", "sections", "activities"}
    steps = [  # (step, the datasets whose unchanged documents at the start fill a row group at least)
        (lambda: corpus.add([(doc(20), pos[20], None)]), everything),  # appended
        (lambda: corpus.add([(doc(n), pos[n], None) for n in (21, 22, 23)]), everything),
        (lambda: corpus.add([(doc(13, no=2), pos[13], None)]), {"documents", "sections"}),  # "no" becomes an
        (lambda: corpus.add([(doc(9, title="Đổi"), pos[9], None)]), everything),  # integer column; a change
        (lambda: corpus.remove(["0000000000000005"]), everything),
        (lambda: corpus.move({"0000000000000016": pos[0]}), set()),  # to the front: nothing at the start unchanged
        (lambda: corpus.remove(["0000000000000016"]), set()),
        (lambda: corpus.add([(doc(n), pos[n], None) for n in range(24, 30)]), everything),
    ]
    for k, (step, keeping) in enumerate(steps):
        generation = corpus.generation("docs")
        step()
        fresh = frozenset(d for d, (_, _, g) in corpus.states().items() if g > generation)
        kept.clear()
        layouts = parquet_files(corpus.db, spliced, layouts, fresh)
        whole = tmp_path / f"whole-{k}"
        assert parquet_files(corpus.db, whole) == layouts, k
        for name in dataset_names():
            a, b = spliced / f"{name}.parquet", whole / f"{name}.parquet"
            assert a.read_bytes() == b.read_bytes(), (k, name)
            pd.testing.assert_frame_equal(pd.read_parquet(a), pd.read_parquet(b))
        assert set(kept) & everything == keeping, (k, kept)
    assert pq.ParquetFile(spliced / "documents.parquet").metadata.num_row_groups >= 10
    corpus.close()


@pytest.mark.parametrize("damage", ["footer", "tail", "page-index"])
def test_a_file_not_as_its_layout_says_is_written_whole(tmp_path: Path, kept: list[str], damage: str) -> None:
    corpus = Corpus(tmp_path / CORPUS)
    pos = {n: n.to_bytes(2, "big") for n in range(20)}
    corpus.add([(doc(n), pos[n], None) for n in range(1, 9)])
    spliced = tmp_path / "spliced"
    layouts = parquet_files(corpus.db, spliced)
    path = spliced / "documents.parquet"
    if damage == "footer":  # its footer's bytes garbled (the length and magic intact)
        data = bytearray(path.read_bytes())
        (length,) = struct.unpack("<I", data[-8:-4])
        data[-8 - length:-8] = b"\xff" * length
        path.write_bytes(bytes(data))
    elif damage == "tail":  # cut short
        path.write_bytes(path.read_bytes()[:-5])
    else:  # another writer's options: page indexes between the row groups and the footer
        table = pq.ParquetFile(path).read()
        with pq.ParquetWriter(path, table.schema, compression="zstd", write_page_index=True) as writer:
            for start in range(0, table.num_rows, ROWS):
                writer.write_table(table.slice(start, ROWS))
    generation = corpus.generation("docs")
    corpus.add([(doc(15), pos[15], None)])
    fresh = frozenset(d for d, (_, _, g) in corpus.states().items() if g > generation)
    kept.clear()
    parquet_files(corpus.db, spliced, layouts, fresh)
    parquet_files(corpus.db, tmp_path / "whole")
    assert path.read_bytes() == (tmp_path / "whole" / "documents.parquet").read_bytes()
    assert "documents" not in kept and "sections" in kept
    corpus.close()
