"""``--format json``: the whole run as one JSON object, stable and byte-identical across runs; and
``--format json-lines``: one line per file, the same object as an element of ``files``.

``--format json`` stays one JSON document however many files a run has (a consumer's parser must not
break when a batch grows past some size): it is written a file at a time, with the run's summary,
counted before the first file is written, at the top as always. ``json-lines`` is for streams
(``jq -c``, ``pandas.read_json(lines=True)``, a database load): a line per file as soon as it is
written, the run-wide parts (summary, skipped files, warnings) on standard error and in the exit code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from nianbao import __version__
from nianbao.document import _to_plain
from nianbao.lint import FileResult, LintRun
from nianbao.outputs import RenderOptions, printable
from nianbao.rules import Finding

from .common import Streamed, pretty_json


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
    totals = run.totals
    return {
        "files": totals.files,
        "unreadable": totals.unreadable,
        "skipped": len(run.skipped),
        "error": totals.severities["error"],
        "warning": totals.severities["warning"],
        "info": totals.severities["info"],
    }


def file_dict(r: FileResult) -> dict[str, Any]:
    return {
        "path": printable(r.path),
        "ruleset": r.ruleset,
        "ruleset_source": r.ruleset_source,
        "meta": r.meta,
        "error": finding_dict(r.error) if r.error else None,
        "findings": [finding_dict(f) for f in r.findings],
    }


def statistics(run: LintRun) -> list[dict[str, Any]]:
    """``--statistics --format json``: one record per rule with findings, as ruff writes them."""
    from .console import rule_statistics

    return [
        {"code": code, "name": name, "count": n, "severity": dict(sorted(by.items()))}
        for code, name, n, by in rule_statistics(run)
    ]


class JsonOutput(Streamed):
    name = "json"
    description = "JSON：每个文件的发现、规则集和统计"
    machine = True

    def stream(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> Iterator[str]:
        if options is not None and options.statistics:
            yield json.dumps(statistics(run), ensure_ascii=False, indent=2) + "\n"
            return
        head = {
            "version": 1,
            "tool": {"name": "nianbao", "version": __version__},
            "rulesets": run.rulesets,
            "fail_on": run.fail_on,
            "summary": summary(run),
        }
        yield pretty_json(head)[:-2] + ',\n  "files": ['  # the object left open after "summary"
        separator = "\n    "
        for r in run.results:
            yield separator + pretty_json(file_dict(r), "    ")
            separator = ",\n    "
        tail = {
            "skipped": [{"path": printable(x.path), "reason": x.reason} for x in run.skipped],
            "problems": [printable(p) for p in run.problems],
            "baseline": {"stale": [{"path": printable(p), "code": c, "surplus": n} for p, c, n in run.stale]},
        }
        yield ("]" if separator == "\n    " else "\n  ]") + ",\n" + pretty_json(tail)[2:] + "\n"


class JsonLinesOutput(Streamed):
    name = "json-lines"
    description = "JSON Lines：每个文件一行（与 json 的 files 中的对象相同），适合流式处理"
    machine = True

    def stream(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> Iterator[str]:
        for r in run.results:
            yield json.dumps(file_dict(r), ensure_ascii=False) + "\n"
