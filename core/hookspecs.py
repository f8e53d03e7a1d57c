"""Every extension point of nianbao, in one place.

A plugin is any module or object with functions named after these specs and decorated with
``nianbao.hookimpl``. Built-in plugins are registered directly; third-party plugins are found
through the ``nianbao`` entry-point group. Each hook returns a list of the things the plugin adds,
so pluggy hands the caller one list per plugin and the core never needs to know any of them by name.

This module (and pluggy with it) is imported only once a plugin needs pluggy, a third-party one
above all: without one, the host calls the built-ins' hook functions directly (see ``host.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

from .markers import PROJECT, hookimpl

if TYPE_CHECKING:
    from .formats import ReportFormat
    from .loading import Loader

hookspec = pluggy.HookspecMarker(PROJECT)
__all__ = ["PROJECT", "hookimpl", "hookspec"]


@hookspec
def nianbao_report_formats() -> Sequence[ReportFormat]:
    """Return the report formats (templates) this plugin describes.

    A format is data: its sections, tables, rows, columns and identities, keyed as the canonical
    document keys them. The national 2019 trial and 2021 formats come from the built-in
    ``formats`` plugin.
    """


@hookspec
def nianbao_loaders() -> Sequence[Loader]:
    """Return loaders that turn file bytes into a canonical :class:`~nianbao.document.Document`.

    The core chooses a loader by the format the user names, then by file extension, then by the
    highest :meth:`Loader.sniff` score on the first bytes of the file.
    """


@hookspec
def nianbao_rules() -> Sequence[object]:
    """Return rules: a metadata record plus a check over the canonical document."""


@hookspec
def nianbao_rulesets() -> Sequence[object]:
    """Return rule sets (YAML resources that select, configure and extend rules)."""


@hookspec
def nianbao_output_formats() -> Sequence[object]:
    """Return output formats (console, JSON, SARIF, JUnit, ...) that write findings."""
