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
    from importlib import resources

    from nianbao.ruleset_files import RulesetSource

    root = resources.files("nianbao.rulesets")
    return [
        RulesetSource(name=item.name.removesuffix(".yaml"), resource=item, plugin="rules", trusted=True)
        for item in sorted(root.iterdir(), key=lambda x: x.name)
        if item.name.endswith(".yaml")
    ]
