"""JUnit XML for Jenkins and GitLab: the Jenkins XSD (strict), then the contract table J1-J17."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree
from nianbao.engine import TOOL_RULES
from nianbao.host import create_host
from nianbao.lint import FileResult, LintRun
from nianbao.outputs import RenderOptions
from nianbao.plugins.emitters.junit import JunitOutput, xml_text
from nianbao.registry import all_rules
from nianbao.rules import Finding, scope_of

from .ci_outputs import REPORTS, UNREADABLE, LintedRepo, lint, make_repo

REPORT_000 = next(name for name, seed in REPORTS.items() if seed.name.startswith("000"))  # ST04 error, AR06 info


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> LintedRepo:
    root = tmp_path_factory.mktemp("junit")
    make_repo(root)
    return lint(
        root,
        "--format",
        "junit",
        "--output",
        "junit.xml",
        "--format",
        "junit-gitlab",
        "--output",
        "gitlab.xml",
        "reports",
    )


@pytest.fixture(scope="module")
def xsd() -> etree.XMLSchema:
    text = resources.files("nianbao.schemas").joinpath("jenkins-junit.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text))


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


@pytest.fixture(scope="module")
def strict(repo: LintedRepo) -> etree._Element:
    return parse(repo.read("junit.xml"))


@pytest.fixture(scope="module")
def gitlab(repo: LintedRepo) -> etree._Element:
    return parse(repo.read("gitlab.xml"))


@pytest.fixture(scope="module")
def findings(repo: LintedRepo) -> dict[str, list[dict]]:
    data = json.loads(lint(repo.root, "--format", "json", "reports").stdout)
    return {f["path"]: f["findings"] for f in data["files"]}


def test_strict_family_is_valid_against_the_jenkins_xsd(strict: etree._Element, xsd: etree.XMLSchema) -> None:
    assert xsd.validate(strict), xsd.error_log


def test_the_xsd_check_catches_a_broken_report(strict: etree._Element, xsd: etree.XMLSchema) -> None:
    broken = parse(etree.tostring(strict))
    del broken[0].attrib["tests"]
    case = broken[0].find("testcase")
    case.insert(0, etree.Element("failure"))
    case.append(etree.Element("skipped"))  # skipped after failure breaks the sequence
    assert not xsd.validate(broken)


def test_gitlab_family_differs_only_by_file(gitlab: etree._Element, strict: etree._Element) -> None:
    gitlab = parse(etree.tostring(gitlab))
    cases = gitlab.findall(".//testcase")
    assert all(c.get("file") for c in cases)  # J8
    assert not any(c.get("file") for c in strict.iter("testcase"))
    for case in cases:
        del case.attrib["file"]
    del gitlab.attrib["skipped"]
    assert etree.tostring(gitlab) == etree.tostring(strict)


def test_j1_prolog_and_utf8(repo: LintedRepo) -> None:
    raw = repo.read("junit.xml")
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    assert "渝北 应急局".encode() in raw and b"&#" not in raw.replace(b"&#10;", b"")


def test_j2_j3_counts_add_up(strict: etree._Element, gitlab: etree._Element) -> None:
    for root in (strict, gitlab):
        assert root.tag == "testsuites" and root.get("name") == "nianbao"
        suites = root.findall("testsuite")
        for suite in suites:
            cases = suite.findall("testcase")
            assert int(suite.get("tests")) == len(cases)
            assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
            assert int(suite.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
            assert int(suite.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
            assert suite.get("time")
        for key in ("tests", "failures", "errors"):
            assert int(root.get(key)) == sum(int(s.get(key)) for s in suites)
        assert float(root.get("time")) == sum(float(s.get("time")) for s in suites)
    assert strict.get("skipped") is None  # not in the Jenkins XSD
    assert int(gitlab.get("skipped")) == sum(int(s.get("skipped")) for s in gitlab.findall("testsuite"))


def test_j3_one_suite_per_file_one_case_per_rule_evaluated(strict: etree._Element) -> None:
    suites = {s.get("name"): s for s in strict.findall("testsuite")}
    assert set(suites) == set(REPORTS) | {UNREADABLE}
    rules = all_rules(create_host(entry_points=False))
    for name in REPORTS:
        ruleset = {p.get("name"): p.get("value") for p in suites[name].find("properties")}["ruleset"]
        # Every document rule of the report's rule set (and the rule sets it extends) runs, except the
        # tool's own diagnostics for unreadable input, config and internal errors (NB05, only when nianbao
        # breaks); cross-year rules need last year's report.
        expected = sorted(
            [
                f"{r.meta.code} {r.meta.name}"
                for r in rules
                if r.meta.ruleset in ("national", ruleset) and scope_of(r) == "document"
            ]
            + [f"{m.code} {m.name}" for m in TOOL_RULES.values() if m.code not in ("NB01", "NB02", "NB04", "NB05")]
        )
        assert sorted(c.get("name") for c in suites[name].findall("testcase")) == expected


def test_j5_properties(strict: etree._Element) -> None:
    import nianbao

    suite = next(s for s in strict.findall("testsuite") if s.get("name") == "reports/2020/渝北 应急局.txt")
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["ruleset"] == "chongqing"  # chosen from the report's province (渝北区, 重庆市)
    assert props["template_edition"] == "2019"
    assert props["tool_version"] == nianbao.__version__
    assert props["organ"] == "重庆市渝北区应急管理局"


def test_j6_j7_unique_dotless_names(strict: etree._Element) -> None:
    pairs = [(c.get("classname"), c.get("name")) for c in strict.iter("testcase")]
    assert len(pairs) == len(set(pairs))
    assert all("." not in classname for classname, _ in pairs)
    assert ("reports/2020/年报_txt", "ST03 structure.section-title") in pairs


def test_j7_colliding_classnames_stay_unique(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    seed = next(iter(REPORTS.values())).read_bytes()
    (tmp_path / "a.txt").write_bytes(seed)
    (tmp_path / "a_txt").write_bytes(seed)
    root = parse(lint(tmp_path, "--format", "junit", "a.txt", "a_txt").stdout)
    pairs = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
    assert len(pairs) == len(set(pairs)) and len(pairs) > 60


def test_j9_j10_j11_failure_lists_every_finding(strict: etree._Element, findings: dict[str, list[dict]]) -> None:
    """A rule fails with every finding at or above --fail-on (warning here); info findings alone leave
    the test passing and are listed in its system-out, so Jenkins agrees with the exit code."""
    by_name = {s.get("name"): s for s in strict.findall("testsuite")}
    for path, items in findings.items():
        suite = by_name[path]
        assert all(c.get("time") == "0.000" for c in suite.findall("testcase"))
        cases = {c.get("name").split()[0]: c for c in suite.findall("testcase")}
        failing_codes = {f["code"] for f in items if f["severity"] in ("error", "warning")}
        assert {code for code, case in cases.items() if case.find("failure") is not None} == failing_codes
        for code in {f["code"] for f in items}:
            failure = cases[code].find("failure")
            mine = [f for f in items if f["code"] == code and f["severity"] in ("error", "warning")]
            below = [f for f in items if f["code"] == code and f["severity"] == "info"]
            if below:
                out = cases[code].find("system-out").text.split("\n")
                assert [line.startswith("[info] ") and f["message"] in line for line, f in zip(out, below, strict=True)]
            if not mine:
                assert failure is None
                continue
            assert failure.get("message") == mine[0]["message"]
            assert failure.get("type") in ("error", "warning")
            lines = failure.text.split("\n")
            assert len(lines) == len(mine)
            for line, f in zip(lines, mine, strict=True):
                assert f["message"] in line and line.endswith(
                    f"[{code}]" + (f" {'.'.join(v for v in f['logical'].values() if v)}" if f["logical"] else "")
                )
                if f["location"] and f["location"].get("line"):
                    assert line.startswith(f"L{f['location']['line']}:C{f['location']['column'] or 1} ")


def test_findings_below_fail_on_are_not_failures(repo: LintedRepo) -> None:
    """--fail-on error: a run whose only findings are warnings and infos exits 0, and JUnit says the
    same (no failure anywhere); with --fail-on info every finding is a failure."""
    lenient = parse(lint(repo.root, "--format", "junit", "--fail-on", "error", "--ignore", "ST04", REPORT_000).stdout)
    assert lint(repo.root, "--fail-on", "error", "--ignore", "ST04", REPORT_000).returncode == 0
    assert lenient.get("failures") == "0" and lenient.get("errors") == "0"
    assert {c.get("name").split()[0] for c in lenient.iter("testcase") if c.find("system-out") is not None} == {"AR06"}
    strict_run = parse(lint(repo.root, "--format", "junit", "--fail-on", "info", "--ignore", "ST04", REPORT_000).stdout)
    assert strict_run.get("failures") == "1"
    assert lint(repo.root, "--fail-on", "info", "--ignore", "ST04", REPORT_000).returncode == 1


def test_j13_unreadable_file_is_an_error(strict: etree._Element, repo: LintedRepo) -> None:
    suite = next(s for s in strict.findall("testsuite") if s.get("name") == UNREADABLE)
    [case] = suite.findall("testcase")
    assert case.get("name") == "NB01 input.unreadable"
    error = case.find("error")
    assert error.get("type") == "NB01" and error.get("message")
    assert suite.get("errors") == "1" and suite.get("tests") == "1"
    assert repo.returncode == 2


def test_j14_rule_for_another_edition_is_skipped(strict: etree._Element) -> None:
    suite = strict.find("testsuite")
    [case] = [c for c in suite.findall("testcase") if c.get("name").startswith("CT04 ")]
    assert "2019" in case.find("skipped").text


def test_j15_xml_illegal_characters_are_escaped_visibly(xsd: etree.XMLSchema) -> None:
    message = "表格\x0c第3页\x00出现控制字符 <&> \"'" + "\ud800"
    finding = Finding("TX03", "text.page-residue", "warning", message, path="r\x07.txt")
    run = LintRun([FileResult("r\x07.txt", [finding], rules=("TX03",))], {}, "warning")
    text = JunitOutput().render(run, False, RenderOptions(root="/nonexistent"))
    root = parse(text.encode("utf-8"))
    assert xsd.validate(root), xsd.error_log
    failure = root.find(".//failure")
    assert failure.get("message") == "表格\\x0c第3页\\x00出现控制字符 <&> \"'\\ud800"
    assert root.find("testsuite").get("name").endswith("r\\x07.txt")
    assert xml_text("正常文字\t\n") == "正常文字\t\n"


def test_j16_empty_run_still_has_a_test(tmp_path: Path, xsd: etree.XMLSchema) -> None:
    (tmp_path / "empty").mkdir()
    # A folder without reports is a usage error; a pre-commit run (--force-exclude) that is left with
    # nothing to lint is an empty, valid report.
    assert lint(tmp_path, "--format", "junit", "empty").returncode == 2
    result = lint(tmp_path, "--force-exclude", "--format", "junit", "empty")
    assert result.returncode == 0
    root = parse(result.stdout)
    assert xsd.validate(root), xsd.error_log
    assert [c.get("name") for c in root.iter("testcase")] == ["no-artifacts"]
    assert root.get("tests") == "1" and root.get("failures") == "0"


def test_chinese_round_trip_and_byte_identical(repo: LintedRepo, findings: dict[str, list[dict]]) -> None:
    root = parse(repo.read("junit.xml"))
    messages = [f.get("message") for f in root.iter("failure")]
    expected = []
    for items in findings.values():
        seen: set[str] = set()
        for f in sorted(items, key=lambda f: f["code"]):
            if f["severity"] == "info":  # below --fail-on (warning): not a failure
                continue
            if f["code"] not in seen:
                seen.add(f["code"])
                expected.append(f["message"])
    assert messages == expected
    lint(repo.root, "--format", "junit", "--output", "again.xml", "reports")
    assert repo.read("again.xml") == repo.read("junit.xml")
    assert b"timestamp" not in repo.read("junit.xml")


def test_timestamps_on_request(repo: LintedRepo, xsd: etree.XMLSchema) -> None:
    root = parse(lint(repo.root, "--format", "junit", "--timestamps", "reports/2020/dadukou.txt").stdout)
    assert xsd.validate(root), xsd.error_log
    suite = root.find("testsuite")
    assert suite.get("timestamp") and float(suite.get("time")) > 0
