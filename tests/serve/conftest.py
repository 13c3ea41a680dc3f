"""An output folder of the seed PDF, processed once for the server's tests; Datasette over it, and
`directives serve` started as a user starts it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import SEED_PDF

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from directives.batch import run_files

    out = tmp_path_factory.mktemp("serve-out")
    run_files([SEED_PDF], out)
    return out


@pytest.fixture(scope="module")
def ds(seed_out: Path):
    from directives.serve import make_datasette

    return make_datasette(seed_out, sql_seconds=0.5)


@pytest.fixture(scope="module")
def served(seed_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`directives serve --port 0` in a process of its own; its base URL, as it prints it."""
    log = tmp_path_factory.mktemp("served") / "stderr.txt"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "directives.cli", "serve", "--out", str(seed_out), "--port", "0"],
                                stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line + log.read_text()
        yield url.group()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
