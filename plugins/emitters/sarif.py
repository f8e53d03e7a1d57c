"""``--format sarif``: SARIF 2.1.0 as GitHub code scanning accepts it.

One run per invocation; rule descriptors from the rule metadata; results with repo-relative,
percent-encoded URIs under %SRCROOT% and our own line-independent fingerprints. Files that could not
be read are tool execution notifications (GitHub does not show those, so the exit code says it too).
GitHub keeps at most 5,000 results per run: past that we keep the most severe, deterministically,
and say so.
"""

from __future__ import annotations

import time
from typing import Any

from nianbao import __version__
from nianbao.docs import join_lines, rule_markdown, rule_text
from nianbao.document import Location
from nianbao.lint import DEFAULT_RULESET, FileResult, LintRun
from nianbao.outputs import RenderOptions, artifact_uri, is_relative, repo_path
from nianbao.rules import SEVERITY_RANK, Finding, RuleMeta

from .common import fingerprints, has_text_lines, pretty_json, region, with_position

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "nianbao"
SRCROOT = "%SRCROOT%"
MAX_RESULTS = 5000  # GitHub: "only the top 5,000 results by severity are kept"
MAX_DESCRIPTION = 1024  # GitHub's limit for shortDescription / fullDescription
MAX_TAGS = 20
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}


def _clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = join_lines(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rule_id(code: str) -> str:
    # A "/" makes a SARIF rule id hierarchical (spec 3.27.5); our codes never have one, but a
    # third-party rule might.
    return code.replace("/", ".")


def descriptor(meta: RuleMeta) -> dict[str, Any]:
    tags = list(dict.fromkeys((meta.ruleset, *meta.tags, *meta.editions)))[:MAX_TAGS]
    out: dict[str, Any] = {
        "id": rule_id(meta.code),
        "name": meta.name[:255],
        "shortDescription": {"text": _clip(meta.summary)},
        "fullDescription": {"text": _clip(meta.rationale or meta.summary)},
        "help": {"text": rule_text(meta), "markdown": "\n".join(rule_markdown(meta)) + "\n"},
        "defaultConfiguration": {"level": LEVEL[meta.severity]},
        "properties": {
            "tags": tags,
            "precision": meta.precision,
            "problem.severity": PROBLEM_SEVERITY[meta.severity],
        },
    }
    if meta.aliases:
        out["deprecatedIds"] = [rule_id(a) for a in meta.aliases]
    return out


def _placeholder_meta(code: str, finding: Finding) -> RuleMeta:
    """A finding whose rule is unknown to the run (a plugin emitting another code) still needs a descriptor."""
    return RuleMeta(code, finding.name or code, finding.severity, finding.name or code, "", "")


def automation_id(run: LintRun) -> str:
    """The analysis category: tool and rule-set profile. GitHub keeps one analysis per category."""
    return f"{TOOL_NAME}/{'+'.join(run.rulesets) or DEFAULT_RULESET}/"


def _kept(run: LintRun) -> tuple[set[int] | None, int]:
    """Positions (in run order) of the findings that fit in one run, None for all; how many were dropped.
    Positions, not the findings themselves: a large run reads its results from disk on every pass."""
    total = run.totals.count - run.totals.unreadable  # an unreadable file's error is no result
    if total <= MAX_RESULTS:
        return None, 0
    ordered = (
        (-SEVERITY_RANK[f.severity], f.code, n) for n, f in enumerate(f for r in run.results for f in r.findings)
    )
    return {n for _, _, n in sorted(ordered)[:MAX_RESULTS]}, total - MAX_RESULTS


def _truncation_message(dropped: int) -> str:
    return (
        f"结果过多，已截去 {dropped} 条：GitHub 每次分析最多接收 {MAX_RESULTS} 条结果，"
        f"共 {MAX_RESULTS + dropped} 条中保留了最严重的 {MAX_RESULTS} 条（完整结果请用 --format json 或 csv 输出）"
    )


def _logical(f: Finding) -> list[dict[str, Any]] | None:
    if f.logical is None:
        return None
    parts = [x for x in (f.logical.section, f.logical.table, f.logical.row, f.logical.column) if x]
    return [{"name": parts[-1], "fullyQualifiedName": "/".join(parts), "kind": "element"}] if parts else None


class SarifOutput:
    name = "sarif"
    description = "SARIF 2.1.0（GitHub 代码扫描等）"
    machine = True

    def warnings(self, run: LintRun, options: RenderOptions) -> list[str]:
        _, dropped = _kept(run)
        return [f"SARIF 最多保留 {MAX_RESULTS} 条结果，已按严重程度截去 {dropped} 条"] if dropped else []

    def render(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> str:
        return pretty_json(self.log(run, options or RenderOptions())) + "\n"

    def log(self, run: LintRun, options: RenderOptions) -> dict[str, Any]:
        artifacts: list[dict[str, Any]] = []
        artifact_index: dict[str, int] = {}
        codes: set[str] = set()
        examples: dict[str, Finding] = {}
        errors: dict[str, Finding] = {}
        unreadable: list[tuple[str, Finding]] = []
        for r in run.results:
            rel = repo_path(r.path, options.root)
            if rel not in artifact_index:
                artifact_index[rel] = len(artifacts)
                artifacts.append(self._artifact(r, rel))
            codes.update(r.rules)
            for f in r.findings:
                codes.add(f.code)
                examples[f.code] = f
            if r.error:
                errors[r.error.code] = r.error
                unreadable.append((rel, r.error))
        metas = [run.rules.get(c) or _placeholder_meta(c, examples[c]) for c in sorted(codes)]
        rule_index = {m.code: i for i, m in enumerate(metas)}
        error_codes = sorted(errors)
        notification_metas = [run.rules.get(c) or _placeholder_meta(c, errors[c]) for c in error_codes]

        kept, dropped = _kept(run)
        results = []
        position = 0
        for r in run.results:
            rel = repo_path(r.path, options.root)
            for f, print_ in zip(r.findings, fingerprints(r.findings, rel), strict=True):
                if kept is None or position in kept:
                    results.append(self._result(f, rel, artifact_index[rel], rule_index[f.code], print_, options))
                position += 1

        notifications = []
        for rel, error in unreadable:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{error.message}（{rel}）"},
                    "descriptor": {"id": rule_id(error.code), "index": error_codes.index(error.code)},
                    "locations": [{"physicalLocation": {"artifactLocation": self._location(rel)}}],
                }
            )
        notifications += [{"level": "warning", "message": {"text": p}} for p in run.problems]
        notifications += [
            {
                "level": "note",
                "message": {"text": f"已跳过：{x.reason}"},
                "locations": [
                    {"physicalLocation": {"artifactLocation": self._location(repo_path(x.path, options.root))}}
                ],
            }
            for x in run.skipped
        ]
        if dropped:
            notifications.append({"level": "warning", "message": {"text": _truncation_message(dropped)}})

        invocation: dict[str, Any] = {"executionSuccessful": True, "exitCode": run.exit_code()}
        if notifications:
            invocation["toolExecutionNotifications"] = notifications
        if options.plugin_options.get("timestamps") and run.started:
            invocation["startTimeUtc"] = _utc(run.started)
            invocation["endTimeUtc"] = _utc(run.started + run.totals.seconds)

        editions = [t.edition for t in run.templates]
        driver: dict[str, Any] = {
            "name": TOOL_NAME,
            "semanticVersion": __version__,
            "rules": [descriptor(m.naming_editions(editions)) for m in metas],
        }
        if notification_metas:
            driver["notifications"] = [descriptor(m.naming_editions(editions)) for m in notification_metas]
        tool: dict[str, Any] = {"driver": driver}
        if run.rulesets:
            tool["extensions"] = [{"name": name} for name in run.rulesets]
        sarif_run: dict[str, Any] = {
            "tool": tool,
            "automationDetails": {"id": automation_id(run)},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
        }
        srcroot = options.plugin_options.get("sarif_srcroot")
        if srcroot:
            root = srcroot if srcroot.endswith("/") else srcroot + "/"
            sarif_run["originalUriBaseIds"] = {SRCROOT: {"uri": root}}
        sarif_run["artifacts"] = artifacts
        sarif_run["results"] = results
        sarif_run["properties"] = {"rulesets": run.rulesets, "failOn": run.fail_on}
        return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [sarif_run]}

    @staticmethod
    def _location(rel: str) -> dict[str, Any]:
        location: dict[str, Any] = {"uri": artifact_uri(rel)}
        if is_relative(rel):
            location["uriBaseId"] = SRCROOT
        return location

    def _artifact(self, r: FileResult, rel: str) -> dict[str, Any]:
        properties: dict[str, Any] = {"ruleset": r.ruleset}
        if r.meta.get("edition"):
            properties["edition"] = r.meta["edition"]
        if r.error:
            properties["unreadable"] = r.error.code
        return {"location": self._location(rel), "properties": properties}

    @staticmethod
    def _region(loc: Location | None) -> dict[str, Any]:
        start_line, start_col, end_line, end_col = region(loc)
        reg: dict[str, Any] = {
            "startLine": start_line,
            "startColumn": start_col,
            "endLine": end_line,
            "endColumn": end_col,
        }
        if has_text_lines(loc) and loc is not None and loc.text:
            reg["snippet"] = {"text": loc.text}
        return reg

    def _result(
        self, f: Finding, rel: str, artifact: int, index: int, print_: str, options: RenderOptions
    ) -> dict[str, Any]:
        loc = f.location
        artifact_location = {**self._location(rel), "index": artifact}
        result: dict[str, Any] = {
            "ruleId": rule_id(f.code),
            "ruleIndex": index,
            "level": LEVEL[f.severity],
            "message": {"text": with_position(f.message, loc)},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location, "region": self._region(loc)}}],
            "partialFingerprints": {
                "primaryLocationLineHash": f"{print_[:16]}:1",
                f"{TOOL_NAME}/contentHash/v1": print_,
            },
        }
        logical = _logical(f)
        if logical:
            result["locations"][0]["logicalLocations"] = logical
        if f.related:
            # Cross-document findings point at last year's report (or a department's) as well.
            result["relatedLocations"] = [
                {
                    "id": i,
                    "physicalLocation": {
                        "artifactLocation": self._location(repo_path(x.path, options.root)),
                        "region": self._region(x.location),
                    },
                    "message": {"text": with_position(x.message, x.location)},
                }
                for i, x in enumerate(f.related, 1)
            ]
        if f.origin == "extraction":
            result["properties"] = {"origin": "extraction"}
        return result


def _utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
