"""`python -m directives.pipeline`: the stages in order, with what each reads and writes (Markdown)."""

from directives.pipeline.run import STAGES
from directives.pipeline.stage import stage_table

print(stage_table(STAGES))
