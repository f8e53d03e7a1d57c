"""``--format gitlab``: GitLab Code Quality JSON, for line-level merge-request annotations.

A JSON array (no BOM) of issues with ``description``, ``check_name``, ``fingerprint``, ``severity``
and ``location.path`` / ``location.lines.begin``. GitLab collapses issues with the same fingerprint,
so fingerprints are unique in the report and independent of line numbers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from nianbao.lint import LintRun
from nianbao.outputs import RenderOptions, repo_path

from .common import Streamed, fingerprints, has_text_lines, pretty_json, with_position

SEVERITY = {"info": "info", "warning": "minor", "error": "major"}
UNREADABLE_SEVERITY = "critical"  # nothing in the file was checked


class GitlabCodeQualityOutput(Streamed):
    name = "gitlab"
    description = "GitLab Code Quality JSON（合并请求中的行级提示）"
    machine = True

    def stream(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> Iterator[str]:
        options = options or RenderOptions()
        used: set[str] = set()

        def unique(print_: str) -> str:
            while print_ in used:  # the same file given twice: re-salt rather than collapse
                print_ = hashlib.sha256(f"{print_}+".encode()).hexdigest()
            used.add(print_)
            return print_

        separator = "[\n  "
        for r in run.results:
            rel = repo_path(r.path, options.root)
            issues: list[dict[str, Any]] = []
            if r.error:
                print_ = hashlib.sha256(f"{r.error.code}\x1f{rel}".encode()).hexdigest()
                issues.append(_issue(r.error.message, r.error.code, unique(print_), UNREADABLE_SEVERITY, rel, 1))
            for f, print_ in zip(r.findings, fingerprints(r.findings, rel), strict=True):
                line = (f.location.line or 1) if has_text_lines(f.location) else 1  # type: ignore[union-attr]
                message = with_position(f.message, f.location)
                issues.append(_issue(message, f.code, unique(print_), SEVERITY[f.severity], rel, line))
            for issue in issues:
                yield separator + pretty_json(issue, "  ")
                separator = ",\n  "
        yield "[]\n" if separator == "[\n  " else "\n]\n"


def _issue(description: str, check: str, fingerprint: str, severity: str, path: str, line: int) -> dict[str, Any]:
    return {
        "description": description,
        "check_name": check,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": path, "lines": {"begin": line}},
    }
