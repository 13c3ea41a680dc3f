"""Limits a child process puts on itself, for any layer that starts one (the batch's tasks, the
workbook writer, the resident LibreOffice)."""

from __future__ import annotations

import contextlib
import ctypes
import resource
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: the kernel kills this process when its parent dies (a killed batch leaves no orphans)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def cap_memory(memory_mb: int | None) -> None:
    """This process's address space (RLIMIT_AS) capped at `memory_mb`, within the hard limit; none when None."""
    if memory_mb:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
