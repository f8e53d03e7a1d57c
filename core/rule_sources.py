"""Where a rule is defined and where its cases are (``nianbao explain`` prints both, as ``ruff rule``
shows a rule's source).

A rule is defined by the line that gives its code: ``code="TX01"`` in the Python module of its class,
or ``- code: AR01`` in the rule set YAML that defines it as data; the tool's own diagnostics (NB) are
defined in the engine. Its cases are ``cases/<CODE>.yaml`` beside that file, as nianbao's rules and
the example plugin keep them.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .host import PluginHost
    from .rules import Rule, RuleMeta


@dataclass(frozen=True, slots=True)
class RuleSource:
    """The file defining a rule, the 1-based line giving its code (None when no line does), and its
    cases file (None when there is none)."""

    path: str
    line: int | None
    cases: str | None


def rule_source(meta: RuleMeta, rules: list[Rule], host: PluginHost) -> RuleSource:
    from . import engine

    code = meta.code
    if code in engine.TOOL_RULES:
        path = engine.__file__
    else:
        path = _ruleset_defining(meta, host) or sys.modules[type(_rule(code, rules)).__module__].__file__
    assert path is not None
    cases = os.path.join(os.path.dirname(path), "cases", code + ".yaml")
    return RuleSource(path, _code_line(path, code), cases if os.path.isfile(cases) else None)


def _rule(code: str, rules: list[Rule]) -> Rule:
    return next(r for r in rules if r.meta.code == code)


def _ruleset_defining(meta: RuleMeta, host: PluginHost) -> str | None:
    """The file of the rule set that defines the rule as data, if one does (its own rule set)."""
    from .ruleset_files import load_ruleset

    for source in host.rulesets:
        if source.name == meta.ruleset:
            ruleset = load_ruleset(source)
            if any(str(d.get("code")) == meta.code for d in ruleset.rules):
                return ruleset.path
    return None


def _code_line(path: str, code: str) -> int | None:
    given = re.compile(r"""\bcode\s*[=:]\s*["']?""" + re.escape(code) + r"""\b""")
    try:
        with open(path, encoding="utf-8") as fh:
            return next((n for n, line in enumerate(fh, start=1) if given.search(line)), None)
    except (OSError, UnicodeDecodeError):
        return None


def shown_path(path: str) -> str:
    """``path`` relative to the working directory when it lies below it (``plugins/rules/text.py`` in a
    checkout), otherwise as it is."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith(os.pardir) else relative
