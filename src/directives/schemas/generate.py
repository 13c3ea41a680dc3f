"""Generate `directive.schema.json` from the pydantic models.

    python -m directives.schemas.generate        # rewrite the file
    python -m directives.schemas.generate --check  # exit 1 when the file is stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from directives.schemas.models import SCHEMA_VERSION, Directive

SCHEMA_PATH = Path(__file__).with_name("directive.schema.json")


def schema_text() -> str:
    schema = Directive.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"directives/directive-{SCHEMA_VERSION}.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = schema_text()
    if "--check" in argv:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
        if current != text:
            print(f"{SCHEMA_PATH} is stale: run python -m directives.schemas.generate", file=sys.stderr)
            return 1
        return 0
    SCHEMA_PATH.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
