"""Shared fixtures (the helpers that tests import are in helpers.py)."""

from __future__ import annotations

import pytest

from tests.helpers import CORPUS, SAMPLES, SEED_PDF, corpus_available


@pytest.fixture(scope="session")
def seed_directive():
    from directives.pipeline.run import process

    return process(SEED_PDF)


@pytest.fixture(scope="session")
def dev_run(tmp_path_factory):
    """samples/ and, when present, the corpus documents, run once into one output folder (the dev set's
    evaluation and the server's pages over it)."""
    from directives.batch import run_files

    out = tmp_path_factory.mktemp("dev")
    inputs = [SAMPLES] + ([CORPUS / "docs"] if corpus_available() else [])
    run_files(inputs, out)
    return out
