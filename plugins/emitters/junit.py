"""``--format junit`` / ``junit-gitlab``: JUnit XML for Jenkins and GitLab.

One ``testsuite`` per report file and one ``testcase`` per (file x rule evaluated), so passing rules
show as passed tests and the report is a compliance checklist that is never empty. A rule with
findings at or above ``--fail-on`` is one ``failure`` listing them; findings below it leave the test
passing and are listed in its ``system-out`` (the build status agrees with the exit code); a file
that could not be read is one ``error``; a rule that does not apply to the file's edition is ``skipped``.

``junit`` is valid against the Jenkins XSD (strict); ``junit-gitlab`` adds ``testcase@file``, which
GitLab reads and the XSD does not allow.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from nianbao import __version__
from nianbao.engine import INTERNAL_ERROR
from nianbao.lint import FileResult, LintRun
from nianbao.outputs import RenderOptions, repo_path
from nianbao.rules import SEVERITY_RANK, Finding

from .common import describe_position, has_text_lines

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

TOOL_NAME = "nianbao"


@cache
def _not_xml() -> re.Pattern[str]:
    # XML 1.0 Char production; text from PDFs often carries control characters outside it. Compiling
    # this class costs about 5 ms, so it is not done at import: every lint run imports this module.
    return re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold written visibly as ``\\xNN`` / ``\\uNNNN``."""
    return _not_xml().sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def class_name(rel: str) -> str:
    """Dotless: Jenkins shows everything before the last '.' of a classname as a package."""
    return rel.replace(".", "_")


def finding_line(f: Finding) -> str:
    loc = f.location
    if has_text_lines(loc):
        assert loc is not None
        where = f"L{loc.line}:C{loc.column or 1}"
    else:
        where = describe_position(loc) or "全文"  # about the whole report, e.g. a missing section
    logical = f" {f.logical.dotted()}" if f.logical else ""
    return f"{where} {f.message} [{f.code}]{logical}"


class JunitOutput:
    name = "junit"
    description = "JUnit XML（Jenkins，严格符合 Jenkins XSD）"
    machine = True
    family = "strict"

    def render(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> str:
        from xml.etree import ElementTree as ET

        options = options or RenderOptions()
        root = ET.Element("testsuites", {"name": TOOL_NAME})
        used: dict[str, int] = {}
        for r in run.results:
            root.append(self._suite(r, run, options, used))
        if not run.results:  # Jenkins fails a step whose reports hold no test at all
            suite = ET.SubElement(root, "testsuite", {"name": TOOL_NAME})
            ET.SubElement(suite, "testcase", {"name": "no-artifacts", "classname": TOOL_NAME, "time": "0.000"})
            _count(suite, "0.000", self.family)
        totals = {k: 0 for k in ("tests", "failures", "errors", "skipped")}
        seconds = 0.0
        for suite in root:
            for key in totals:
                totals[key] += int(suite.get(key, "0"))
            seconds += float(suite.get("time", "0"))
        for key in ("tests", "failures", "errors"):
            root.set(key, str(totals[key]))
        if self.family != "strict":  # the Jenkins XSD has no testsuites@skipped
            root.set("skipped", str(totals["skipped"]))
        root.set("time", f"{seconds:.3f}")
        ET.indent(root, "  ")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

    def _suite(self, r: FileResult, run: LintRun, options: RenderOptions, used: dict[str, int]) -> Element:
        from xml.etree import ElementTree as ET

        rel = repo_path(r.path, options.root)
        classname = class_name(rel)
        used[classname] = used.get(classname, 0) + 1
        if used[classname] > 1:  # a.txt and a_txt, or a file given twice: (classname, name) must stay unique
            classname = f"{classname}~{used[classname]}"
        suite = ET.Element("testsuite", {"name": xml_text(rel)})
        properties = ET.SubElement(suite, "properties")
        facts = {
            "ruleset": r.ruleset,
            "template_edition": r.meta.get("edition") or "",
            "tool_version": __version__,
            "organ": r.meta.get("organ") or "",
            "report_year": str(r.meta.get("report_year") or ""),
        }
        for key, value in facts.items():
            ET.SubElement(properties, "property", {"name": key, "value": xml_text(value)})
        case_attrs = {"classname": xml_text(classname), "time": "0.000"}
        if self.family == "gitlab":
            case_attrs["file"] = xml_text(rel)

        if r.error:
            meta = run.rules.get(r.error.code)
            case = ET.SubElement(suite, "testcase", {"name": f"{r.error.code} {meta.name if meta else ''}".strip()})
            case.attrib.update(case_attrs)
            error = ET.SubElement(case, "error", {"message": xml_text(r.error.message), "type": r.error.code})
            error.text = xml_text(f"{rel}: {r.error.code} {r.error.message}")
        else:
            by_code: dict[str, list[Finding]] = {}
            for f in r.findings:
                by_code.setdefault(f.code, []).append(f)
            crashes = {c.code: c.error for c in run.failures if c.path == r.path}
            crashes.update({f.code: f.message for f in by_code.get(INTERNAL_ERROR, [])})  # an error, not a failure
            threshold = SEVERITY_RANK[run.fail_on]
            codes = sorted(set(r.rules) | set(by_code) | set(r.not_applicable) | set(crashes))
            for code in codes:
                meta = run.rules.get(code)
                name = meta.name if meta else by_code[code][0].name if code in by_code else ""
                case = ET.SubElement(suite, "testcase", {"name": f"{code} {name}".strip()})
                case.attrib.update(case_attrs)
                if code in r.not_applicable and code not in by_code:
                    ET.SubElement(case, "skipped").text = xml_text(r.not_applicable[code])
                    continue
                if code in crashes:
                    ET.SubElement(case, "error", {"message": xml_text(crashes[code]), "type": "rule-crash"})
                found = by_code.get(code, [])
                # Only findings at or above --fail-on fail a test: the build status then agrees with
                # the exit code. The others are reported as the test's output.
                failing = [f for f in found if SEVERITY_RANK[f.severity] >= threshold]
                below = [f for f in found if SEVERITY_RANK[f.severity] < threshold]
                if failing:
                    worst = max(failing, key=lambda f: SEVERITY_RANK[f.severity]).severity
                    failure = ET.SubElement(case, "failure", {"message": xml_text(failing[0].message), "type": worst})
                    failure.text = xml_text("\n".join(finding_line(f) for f in failing))
                if below:
                    out = ET.SubElement(case, "system-out")
                    out.text = xml_text("\n".join(f"[{f.severity}] {finding_line(f)}" for f in below))
        if options.plugin_options.get("timestamps") and run.started:
            import time

            suite.set("timestamp", time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(run.started)))
        _count(suite, f"{r.seconds:.3f}" if options.plugin_options.get("timestamps") else "0.000", self.family)
        return suite


def _count(suite: Element, seconds: str, family: str) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None and c.find("error") is None)))
    suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
    suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    suite.set("time", seconds)


class JunitGitlabOutput(JunitOutput):
    name = "junit-gitlab"
    description = "JUnit XML（GitLab，带 testcase@file）"
    family = "gitlab"
