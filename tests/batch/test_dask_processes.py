"""`--executor dask` on a cluster of worker processes, as on a real cluster: each task pickled to
another process, run there (a scan's OCR included) and written through the shared output folder."""

from __future__ import annotations

import os
from pathlib import Path

import pymupdf
import pytest

from directives.batch import BatchOptions, run_files
from tests.batch.inputs import corpus_rows, output_files
from tests.batch.test_run import letters
from tests.helpers import ROOT

pytest.importorskip("distributed")


@pytest.mark.slow
def test_dask_worker_processes_give_the_local_outputs(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster, get_task_stream

    inputs = tmp_path / "in"
    letters(inputs, range(3))
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pymupdf.open(ROOT / "samples" / "347-CV-TDTN-VP-scan.pdf") as doc:
        doc.select([1])  # one scanned page: OCR in the worker's own child process
        doc.save(inputs / "scan.pdf")
    local = tmp_path / "local"
    run_files([inputs], local)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        pids = client.run(os.getpid)
        assert len(pids) == 2 and os.getpid() not in pids.values()  # the workers are other processes
        on_dask = tmp_path / "dask"
        with get_task_stream(client=client) as stream:
            result = run_files([inputs], on_dask, batch=BatchOptions(executor="dask", scheduler=cluster.scheduler_address))
    ran = [t for t in stream.data if str(t["key"]).startswith("directives-file-")]
    assert len(ran) == 5 and {t["worker"] for t in ran} <= set(pids)  # every file ran on a worker process
    assert len(result.outcomes) == 5 and result.failed == 1
    assert output_files(on_dask) == output_files(local)  # the JSON the workers wrote, byte for byte
    assert corpus_rows(on_dask) == corpus_rows(local)
    scan = next(o for o in result.outcomes if o.path.endswith("scan.pdf"))
    assert scan.doc_id is not None and not scan.failed
