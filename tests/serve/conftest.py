"""An output folder of the seed PDF, processed once for the server's tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import SEED_PDF


@pytest.fixture(scope="session")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from directives.batch import run_files

    out = tmp_path_factory.mktemp("serve-out")
    run_files([SEED_PDF], out)
    return out


@pytest.fixture(scope="module")
def base_url(seed_out: Path) -> Iterator[str]:
    """The server on a free port of 127.0.0.1, in a thread of this process."""
    from directives.serve import make_server

    server = make_server(seed_out, port=0, sql_seconds=0.5)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
