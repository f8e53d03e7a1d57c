"""The national rules written in Python, and the built-in rule sets with the rules they bring.

A built-in rule set is a folder ``rulesets/NAME/`` (laid out as a provincial plugin is): the rule set
``NAME.yaml``, its rules written in Python (if any) in ``rules.py``, and ``cases/`` for its rules. The
national rules expressible as data are in ``rulesets/national/national.yaml``.
"""

from __future__ import annotations

import os

from nianbao import hookimpl
from nianbao.rules import Rule


def _ruleset_folders() -> list[tuple[str, str]]:
    """(name, folder) of every built-in rule set."""
    from nianbao.packagedata import package_file

    root = package_file("nianbao.rulesets", "")
    names = sorted(n for n in os.listdir(root) if os.path.isfile(os.path.join(root, n, n + ".yaml")))
    return [(n, os.path.join(root, n)) for n in names]


@hookimpl
def nianbao_rules() -> list[Rule]:
    import importlib

    from . import consistency, content, crossyear, hierarchy, publication, statutory_tables, structure, text

    rules: list[Rule] = []
    for module in (structure, statutory_tables, publication, consistency, content, text, crossyear, hierarchy):
        rules.extend(module.RULES)
    for name, folder in _ruleset_folders():
        if os.path.isfile(os.path.join(folder, "rules.py")):
            rules.extend(importlib.import_module(f"nianbao.rulesets.{name}.rules").RULES)
    return rules


@hookimpl
def nianbao_rulesets() -> list[object]:
    from nianbao.packagedata import load_packaged_yaml
    from nianbao.ruleset_files import RulesetSource

    paths = [(name, os.path.join(folder, name + ".yaml")) for name, folder in _ruleset_folders()]
    return [RulesetSource(name, p, "rules", trusted=True, data=load_packaged_yaml(p)) for name, p in paths]
