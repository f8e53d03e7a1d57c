"""Output formats are plugins: each renders a finished lint run as text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .lint import LintRun


@runtime_checkable
class OutputFormat(Protocol):
    name: str
    description: str
    # Machine formats are always written as UTF-8 bytes; human formats follow the console encoding.
    machine: bool

    def render(self, run: LintRun, color: bool) -> str: ...
