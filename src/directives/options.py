"""The base of every options model: unknown keys are errors, values are frozen, and each field says
what it does in `Field(description=…)` (the CLI's help is taken from there: `help_of`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def help_of(model: type[BaseModel], name: str) -> str:
    """The description of the field `name` of an options model (its CLI help text)."""
    description = model.model_fields[name].description
    if not description:
        raise ValueError(f"{model.__name__}.{name} has no description")
    return description
