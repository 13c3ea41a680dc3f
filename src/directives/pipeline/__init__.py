"""The pipeline: one module per stage, folded over a `Document` in the order of `run.STAGES`.

Each stage module declares its `STAGE` (`stage.Stage`: name, the fields it reads and writes, its
options model). `python -m directives.pipeline` prints the table. This package file imports
nothing, so that a stage module's name is the module (never a function) and importing one stage
does not load the others.
"""
