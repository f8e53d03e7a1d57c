"""``--format json``: the whole run as one JSON object, stable and byte-identical across runs."""

from __future__ import annotations

import json
from typing import Any

from nianbao import __version__
from nianbao.document import _to_plain
from nianbao.lint import LintRun
from nianbao.outputs import RenderOptions, printable
from nianbao.rules import Finding


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "location": _to_plain(f.location) if f.location else None,
        "logical": _to_plain(f.logical) if f.logical else None,
        "origin": f.origin,
        "related": [
            {"path": printable(x.path), "message": x.message, "location": _to_plain(x.location) if x.location else None}
            for x in f.related
        ],
        "cells": f.cells,
    }


def summary(run: LintRun) -> dict[str, int]:
    """The console's totals: a file that could not be read is one error."""
    findings = run.findings
    return {
        "files": len(run.results),
        "unreadable": sum(1 for r in run.results if r.error),
        "skipped": len(run.skipped),
        "error": sum(1 for f in findings if f.severity == "error"),
        "warning": sum(1 for f in findings if f.severity == "warning"),
        "info": sum(1 for f in findings if f.severity == "info"),
    }


def statistics(run: LintRun) -> list[dict[str, Any]]:
    """``--statistics --format json``: one record per rule with findings, as ruff writes them."""
    from .console import rule_statistics

    return [
        {"code": code, "name": name, "count": n, "severity": dict(sorted(by.items()))}
        for code, name, n, by in rule_statistics(run)
    ]


class JsonOutput:
    name = "json"
    description = "JSON：每个文件的发现、规则集和统计"
    machine = True

    def render(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> str:
        if options is not None and options.statistics:
            return json.dumps(statistics(run), ensure_ascii=False, indent=2) + "\n"
        data = {
            "version": 1,
            "tool": {"name": "nianbao", "version": __version__},
            "rulesets": run.rulesets,
            "fail_on": run.fail_on,
            "summary": summary(run),
            "files": [
                {
                    "path": printable(r.path),
                    "ruleset": r.ruleset,
                    "ruleset_source": r.ruleset_source,
                    "meta": r.meta,
                    "error": finding_dict(r.error) if r.error else None,
                    "findings": [finding_dict(f) for f in r.findings],
                }
                for r in run.results
            ],
            "skipped": [{"path": printable(x.path), "reason": x.reason} for x in run.skipped],
            "problems": [printable(p) for p in run.problems],
            "baseline": {"stale": [{"path": printable(p), "code": c, "surplus": n} for p, c, n in run.stale]},
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
