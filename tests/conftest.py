"""Shared fixtures (the helpers that tests import are in helpers.py)."""

from __future__ import annotations

import pytest

from tests.helpers import SEED_PDF


@pytest.fixture(scope="session")
def seed_directive():
    from directives.pipeline.run import process

    return process(SEED_PDF)
