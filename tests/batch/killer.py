"""`python -m tests.batch.killer MODULE:ATTR N ARGS...`: `directives ARGS...`, killed with SIGKILL
when MODULE.ATTR (a function, or a method as Class.method) is called for the Nth time, before it
runs. A kill at a chosen moment of a run, for the tests that resume after it."""

from __future__ import annotations

import importlib
import os
import signal
import sys


def main() -> None:
    target, nth, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    module, attr = target.split(":")
    owner = importlib.import_module(module)
    *path, name = attr.split(".")
    for part in path:
        owner = getattr(owner, part)
    real = getattr(owner, name)
    calls = 0

    def killing(*a: object, **kw: object) -> object:
        nonlocal calls
        calls += 1
        if calls == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*a, **kw)

    setattr(owner, name, killing)
    sys.argv = ["directives", *args]
    from directives.cli import app

    app()


if __name__ == "__main__":
    main()
