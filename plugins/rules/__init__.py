"""The national rules written in Python (rules expressible as data live in rulesets/national.yaml)."""

from __future__ import annotations

from nianbao import hookimpl
from nianbao.rules import Rule


@hookimpl
def nianbao_rules() -> list[Rule]:
    from . import consistency, content, crossyear, hierarchy, publication, regional, structure, tables, text

    rules: list[Rule] = []
    for module in (structure, tables, publication, consistency, content, text, regional, crossyear, hierarchy):
        rules.extend(module.RULES)
    return rules


@hookimpl
def nianbao_rulesets() -> list[object]:
    import os

    from nianbao.packagedata import load_packaged_yaml, package_file
    from nianbao.ruleset_files import RulesetSource

    folder = package_file("nianbao.rulesets", "")
    paths = [os.path.join(folder, name) for name in sorted(os.listdir(folder)) if name.endswith(".yaml")]
    return [
        RulesetSource(os.path.basename(p)[: -len(".yaml")], p, "rules", trusted=True, data=load_packaged_yaml(p))
        for p in paths
    ]
