"""Command-line options that plugins add to ``nianbao lint`` (hook ``nianbao_lint_options``).

A plugin declares each option as data, as ``argparse.add_argument`` takes it, so that declaring one
imports nothing: the emitters plugin declares its outputs' options without loading the outputs. The
values reach the outputs in :attr:`nianbao.outputs.RenderOptions.plugin_options`, by ``dest``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple


class LintOption(NamedTuple):
    """An option of ``nianbao lint``: its names (``--timestamps``) and ``add_argument``'s keywords."""

    names: tuple[str, ...]
    settings: Mapping[str, Any]
