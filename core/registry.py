"""All rules known to a run: Python rules from plugins and declarative rules from rule sets."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .host import PluginHost
    from .rules import Rule


def all_rules(host: PluginHost) -> list[Rule]:
    from .ruleset_files import declarative_rules

    rules: list[Rule] = [*host.rules, *declarative_rules(host)]
    return sorted(rules, key=lambda r: r.meta.code)
