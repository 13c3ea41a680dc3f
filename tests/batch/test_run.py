"""Runs over an output folder: incremental reruns, changed and copied files, the lock, limits
through the CLI, the run summary, and the Dask executor giving the same outputs as a local run."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from directives.batch import BatchOptions, Limits, run_files
from directives.batch.manifest import OutputLock
from directives.batch.task import FileOutcome, FileTask, process_file
from directives.cli import app
from tests.batch.inputs import corpus_rows, letter_lines, output_files, text_pdf


def letters(folder: Path, numbers: range) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in numbers:
        path = folder / f"letter-{n}.pdf"
        text_pdf(path, [letter_lines(n)])
        paths.append(path)
    return paths


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def summary(out: Path) -> dict:
    return json.loads((out / "run-summary.json").read_text())


def test_dask_executor_without_dask_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dask is an optional extra: without it, `--executor dask` stops before any file is processed, with
    the command that installs it (exit 3 from the CLI, as for any missing dependency)."""
    import sys

    from directives.errors import DirectivesError

    letters(tmp_path / "in", range(1))
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` raises ImportError
    with pytest.raises(DirectivesError, match=r"pip install 'directives\[dask\]'"):
        run_files([tmp_path / "in"], tmp_path / "lib", batch=BatchOptions(executor="dask", scheduler="tcp://127.0.0.1:9"))
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "cli"),
                                      "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 3
    assert "pip install 'directives[dask]'" in result.output
    assert not (tmp_path / "cli").exists()


def test_rerun_skips_and_force_redoes(tmp_path: Path) -> None:
    letters(tmp_path / "in", range(3))
    out = tmp_path / "out"
    first = run_files([tmp_path / "in"], out)
    assert [o.skipped for o in first.outcomes] == [False] * 3 and first.failed == 0
    before = output_files(out)
    again = run_files([tmp_path / "in"], out)
    assert again.skipped == 3 and summary(out)["processed"] == 0
    forced = run_files([tmp_path / "in"], out, batch=BatchOptions(force=True))
    assert forced.skipped == 0 and summary(out)["processed"] == 3
    assert output_files(out) == before


def test_changed_file_is_redone_and_its_old_json_removed(tmp_path: Path) -> None:
    (a, b) = letters(tmp_path / "in", range(2))
    out = tmp_path / "out"
    run_files([tmp_path / "in"], out)
    old_ids = set(read_csv(out / "documents.csv")["doc_id"])
    text_pdf(a, [letter_lines(77)])  # new content, same path
    second = run_files([tmp_path / "in"], out)
    assert {Path(o.path).name: o.skipped for o in second.outcomes} == {a.name: False, b.name: True}
    documents = read_csv(out / "documents.csv")
    assert len(documents) == 2 and set(documents["file"]) == {str(a), str(b)}
    assert {p.stem for p in (out / "json").glob("*.json")} == set(documents["doc_id"])
    assert len(old_ids - set(documents["doc_id"])) == 1  # the old JSON of `a` is gone


def test_copies_share_one_task_and_one_json(tmp_path: Path) -> None:
    (a,) = letters(tmp_path / "in", range(1))
    copy = tmp_path / "in" / "bản sao.pdf"
    shutil.copy(a, copy)
    out = tmp_path / "out"
    result = run_files([tmp_path / "in"], out)
    assert sorted(Path(o.path).name for o in result.outcomes) == sorted([a.name, copy.name])
    assert len({o.doc_id for o in result.outcomes}) == 1
    assert list(read_csv(out / "documents.csv")["file"]) == [str(copy)]  # the first path in order
    assert run_files([tmp_path / "in"], out).skipped == 2


def test_missing_input_then_present(tmp_path: Path) -> None:
    out = tmp_path / "out"
    wanted = tmp_path / "later.pdf"
    run_files([wanted], out)
    assert list(read_csv(out / "errors.csv")["code"]) == ["missing"]
    text_pdf(wanted, [letter_lines(3)])
    result = run_files([wanted], out)
    assert result.errors == [] and len(read_csv(out / "errors.csv")) == 0
    assert list(read_csv(out / "documents.csv")["file"]) == [str(wanted)]


def test_errors_of_earlier_runs_stay_in_errors_csv(tmp_path: Path) -> None:
    out = tmp_path / "out"
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"<html></html>")
    run_files([bad], out)
    letters(tmp_path / "in", range(1))
    run_files([tmp_path / "in"], out)  # another folder into the same output
    assert list(read_csv(out / "errors.csv")["file"]) == [str(bad)]
    assert len(read_csv(out / "documents.csv")) == 1


def test_busy_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    letters(tmp_path / "in", range(1))
    out = tmp_path / "out"
    out.mkdir()
    with OutputLock(out):
        result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(out)])
    assert result.exit_code == 4
    assert f"error: {out} is in use by another run" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["run.lock"]  # nothing else touched
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(out)])
    assert result.exit_code == 0, result.output  # the lock is released with its holder


def sleeping_file(task: FileTask) -> FileOutcome:
    """A file that never finishes in time (module level: a fork server's worker imports it)."""
    time.sleep(120)
    return process_file(task)


def test_timeout_through_the_cli_then_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = letters(tmp_path / "in", range(2))
    out = tmp_path / "out"
    monkeypatch.setattr("directives.batch.run.process_file", sleeping_file)
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(out), "--timeout", "0.5"])
    monkeypatch.undo()
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = read_csv(out / "errors.csv")
    assert sorted(errors["file"]) == sorted(map(str, paths))
    assert set(errors["code"]) == {"timeout"} and all("worker killed" in r for r in errors["reason"])
    assert list((out / "json").glob("*.json")) == []
    retried = run_files([tmp_path / "in"], out)  # a limit failure is tried again, not skipped
    assert retried.skipped == 0 and retried.failed == 0
    assert len(read_csv(out / "errors.csv")) == 0


def test_run_summary_file(tmp_path: Path) -> None:
    letters(tmp_path / "in", range(2))
    (tmp_path / "in" / "x.pdf").write_bytes(b"")
    out = tmp_path / "out"
    run_files([tmp_path / "in"], out, batch=BatchOptions(workers=2, limits=Limits(timeout=60)))
    s = summary(out)
    assert (s["inputs"], s["processed"], s["skipped"], s["failed"], s["workers"]) == (3, 3, 0, 1, 2)
    assert s["failures"] == {"empty-file": 1} and s["ok"] + s["partial"] == 2


def test_dask_executor_gives_the_local_outputs(tmp_path: Path) -> None:
    LocalCluster = pytest.importorskip("distributed", reason="the [dask] extra is not installed").LocalCluster

    letters(tmp_path / "in", range(4))
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    local = tmp_path / "local"
    run_files([tmp_path / "in"], local)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        on_dask = tmp_path / "dask"
        result = run_files([tmp_path / "in"], on_dask,
                           batch=BatchOptions(executor="dask", scheduler=cluster.scheduler_address))
    assert len(result.outcomes) == 5 and result.failed == 1
    assert summary(on_dask)["executor"] == "dask"
    assert output_files(on_dask) == output_files(local)
    assert corpus_rows(on_dask) == corpus_rows(local)


def test_two_runs_at_once_on_one_folder(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    import time

    letters(tmp_path / "in", range(12))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "directives.cli", "run", str(tmp_path / "in"), "--out", str(out)]
    env = {**os.environ}
    first = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    lock = out / "run.lock"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text().strip()):
        time.sleep(0.02)
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, check=False)
    _, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err
    assert second.returncode == 4
    assert second.stderr.strip() == f"error: {out} is in use by another run (pid {first.pid}); " \
                                    "wait for it to finish, or give another --out"
    assert len(read_csv(out / "documents.csv")) == 12  # the first run's outputs are whole
    assert [p for p in out.rglob("*") if p.name.startswith(".")] == []


def test_datasets_rebuilt_only_when_something_changed(tmp_path: Path) -> None:
    letters(tmp_path / "in", range(2))
    out = tmp_path / "out"
    run_files([tmp_path / "in", tmp_path / "missing.pdf"], out)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix in (".csv", ".xlsx", ".sqlite")}
    run_files([tmp_path / "in", tmp_path / "missing.pdf"], out)  # nothing new: datasets left as they are
    assert {n: (out / n).stat().st_mtime_ns for n in stamps} == stamps
    workbook = (out / "datasets.xlsx").read_bytes()
    (out / "datasets.xlsx").unlink()
    run_files([tmp_path / "in"], out)  # one export missing: written again, the others left as they are
    assert (out / "datasets.xlsx").read_bytes() == workbook
    assert {n: (out / n).stat().st_mtime_ns for n in stamps if n.endswith(".csv")} == \
           {n: t for n, t in stamps.items() if n.endswith(".csv")}
    letters(tmp_path / "in", range(2, 3))
    run_files([tmp_path / "in"], out)  # a new file: rebuilt with it
    assert len(read_csv(out / "documents.csv")) == 3


def test_documents_keep_the_absolute_path_and_the_path_under_the_input_folder(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Outputs moved with their inputs still name the files: the path under the input folder stays right."""
    inbox = tmp_path / "inbox"
    (nested,) = letters(inbox / "2017" / "tháng 10", range(1))
    (alone,) = letters(tmp_path / "loose", range(5, 6))
    monkeypatch.chdir(tmp_path)
    run_files([Path("inbox"), Path("loose") / alone.name], Path("out"))
    rows = {r["relative_path"]: r for r in read_csv(tmp_path / "out" / "documents.csv").to_dict("records")}
    assert set(rows) == {f"2017/tháng 10/{nested.name}", alone.name}
    inner = rows[f"2017/tháng 10/{nested.name}"]
    assert inner["file"] == f"inbox/2017/tháng 10/{nested.name}" and inner["absolute_path"] == str(nested)
    assert rows[alone.name]["absolute_path"] == str(alone)
    doc = json.loads((tmp_path / "out" / "json" / f"{inner['doc_id']}.json").read_text())
    assert doc["source"]["relative_path"] == f"2017/tháng 10/{nested.name}"
    assert doc["source"]["absolute_path"] == str(nested)
    moved = tmp_path / "moved"
    shutil.move(tmp_path / "inbox", moved / "inbox")
    shutil.move(tmp_path / "out", moved / "out")
    assert (moved / "inbox" / inner["relative_path"]).is_file()  # found again from the moved output's row
