"""Every extension point of nianbao, in one place.

A plugin is any module or object with functions named after these specs and decorated with
``nianbao.hookimpl``. Built-in plugins are registered directly; third-party plugins are found
through the ``nianbao`` entry-point group. Each hook returns a list of the things the plugin adds,
so pluggy hands the caller one list per plugin and the core never needs to know any of them by name.

Two hooks were renamed when "format" stopped meaning three things (see ``markers.RENAMED_HOOKS``):
plugins implementing ``nianbao_report_formats`` or ``nianbao_output_formats`` keep working.

This module (and pluggy with it) is imported only once a plugin needs pluggy, a third-party one
above all: without one, the host calls the built-ins' hook functions directly (see ``host.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

from .markers import PROJECT, hookimpl

if TYPE_CHECKING:
    from .loading import Loader
    from .options import LintOption
    from .outputs import Output
    from .rules import Rule
    from .ruleset_files import RulesetSource
    from .templates import Template

hookspec = pluggy.HookspecMarker(PROJECT)
__all__ = ["PROJECT", "hookimpl", "hookspec"]


@hookspec
def nianbao_templates() -> Sequence[Template]:
    """Return the report templates (editions of the 年度报告格式) this plugin describes.

    A template is data: its sections, tables, rows, columns and identities, keyed as the canonical
    document keys them. The national 2019 trial and 2021 templates come from the built-in
    ``formats`` plugin. The editions users may name (``--edition``) are those of the loaded templates.
    """


@hookspec
def nianbao_loaders() -> Sequence[Loader]:
    """Return loaders that turn file bytes into a canonical :class:`~nianbao.document.Document`.

    The core chooses a loader by the input kind the user names (``--input-format``), then by file
    extension, then by the highest :meth:`Loader.sniff` score on the first bytes of the file.
    """


@hookspec
def nianbao_rules() -> Sequence[Rule]:
    """Return rules: a metadata record plus a check over the canonical document.

    A rule that compares reports says so by its ``scope`` and method: see :class:`~nianbao.rules.PairCheck`
    and :class:`~nianbao.rules.FamilyCheck` (``PairRule`` and ``FamilyRule`` are convenient bases).
    """


@hookspec
def nianbao_rulesets() -> Sequence[RulesetSource]:
    """Return rule sets (YAML resources that select, configure and extend rules)."""


@hookspec
def nianbao_outputs() -> Sequence[Output]:
    """Return outputs (console, JSON, SARIF, JUnit, ...) that write findings: ``--format NAME``."""


@hookspec
def nianbao_lint_options() -> Sequence[LintOption]:
    """Return command-line options this plugin adds to ``nianbao lint`` (as pytest's ``pytest_addoption``).

    Options are declared as data, so that declaring them imports nothing. Their values reach outputs
    in ``RenderOptions.plugin_options`` by ``dest``. An option whose name is taken is skipped with a warning.
    """
