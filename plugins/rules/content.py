"""Placeholder: filled in by the rule authors."""

from nianbao.rules import Rule

RULES: list[Rule] = []
