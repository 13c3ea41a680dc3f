"""Output contract (pydantic models) and the generated JSON Schema."""

from directives.schemas.models import (
    SCHEMA_VERSION,
    Activity,
    Directive,
    Entity,
    ErrorRecord,
    Metadata,
    Notice,
    Part,
    Section,
    Signature,
    Signer,
    Source,
    Status,
    Table,
)

__all__ = [
    "SCHEMA_VERSION",
    "Activity",
    "Directive",
    "Entity",
    "ErrorRecord",
    "Metadata",
    "Notice",
    "Part",
    "Section",
    "Signature",
    "Signer",
    "Source",
    "Status",
    "Table",
]
