"""SARIF 2.1.0 as GitHub code scanning accepts it: schema, then the contract tables row by row
(A: log and run, B: rule descriptors, C: results, D: limits)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from nianbao.document import Location
from nianbao.lint import FileResult, LintRun
from nianbao.outputs import RenderOptions
from nianbao.plugins.emitters.sarif import MAX_RESULTS, SarifOutput
from nianbao.rules import Finding

from .ci_outputs import REPORTS, UNREADABLE, LintedRepo, lint, make_repo
from .conftest import SEEDS


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> LintedRepo:
    root = tmp_path_factory.mktemp("sarif")
    make_repo(root)
    return lint(root, "--format", "sarif", "--output", "nianbao.sarif", "reports")


@pytest.fixture(scope="module")
def log(repo: LintedRepo) -> dict[str, Any]:
    return json.loads(repo.read("nianbao.sarif").decode("utf-8"))


@pytest.fixture(scope="module")
def sarif_run(log: dict[str, Any]) -> dict[str, Any]:
    return log["runs"][0]


def schema_errors(log: dict[str, Any]) -> list[str]:
    """Schema errors that fail an upload; ``uri`` / ``uri-reference`` format errors only warn there."""
    schema = json.loads(resources.files("nianbao.schemas").joinpath("sarif-schema-2.1.0.json").read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    return [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(log)
        if not (e.validator == "format" and e.validator_value in ("uri", "uri-reference"))
    ]


def results_of(sarif_run: dict[str, Any], uri_suffix: str) -> list[dict[str, Any]]:
    return [
        r
        for r in sarif_run["results"]
        if unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).endswith(uri_suffix)
    ]


def test_valid_against_the_oasis_schema(log: dict[str, Any]) -> None:
    assert schema_errors(log) == []


def test_the_schema_check_catches_a_broken_log(log: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    del broken["runs"][0]["results"][1]["message"]
    assert len(schema_errors(broken)) >= 2


# A. log and run


def test_a1_a2_a3_version_schema_and_exactly_one_run(log: dict[str, Any]) -> None:
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1


def test_a4_a5_driver_name_and_semver(sarif_run: dict[str, Any]) -> None:
    import nianbao

    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "nianbao"
    assert driver["semanticVersion"] == nianbao.__version__


def test_a7_rules_unique_and_every_result_resolves(sarif_run: dict[str, Any]) -> None:
    rules = sarif_run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert len({json.dumps(r, sort_keys=True) for r in rules}) == len(rules)
    assert sarif_run["results"]
    for result in sarif_run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]  # C3


def test_a7_rules_are_the_rules_evaluated(sarif_run: dict[str, Any]) -> None:
    ids = {r["id"] for r in sarif_run["tool"]["driver"]["rules"]}
    # passing rules are listed too, and a 2021-only rule is not, for 2019-format reports
    assert {"AR01", "ST01", "TB01", "NB03"} <= ids
    assert "CT04" not in ids


def test_a8_extensions_name_the_rule_sets(sarif_run: dict[str, Any]) -> None:
    # 渝北 is in 重庆: its rule set is chosen by province; the other reports use the national one.
    assert sarif_run["tool"]["extensions"] == [{"name": "chongqing"}, {"name": "national"}]


def test_a9_results_present_and_empty_when_clean(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "r.txt").write_bytes(SEEDS[0].read_bytes())
    clean = lint(tmp_path, "--format", "sarif", "--ignore", "ST04,AR06", "r.txt")
    assert clean.returncode == 0, clean.stderr
    data = json.loads(clean.stdout)
    assert data["runs"][0]["results"] == []
    assert schema_errors(data) == []


def test_a10_automation_id_is_tool_and_ruleset_profile(sarif_run: dict[str, Any]) -> None:
    assert sarif_run["automationDetails"]["id"] == "nianbao/chongqing+national/"
    assert sarif_run["properties"]["rulesets"] == ["chongqing", "national"]


def test_a11_column_kind(sarif_run: dict[str, Any]) -> None:
    assert sarif_run["columnKind"] == "unicodeCodePoints"


def test_a12_no_machine_paths_unless_srcroot_given(repo: LintedRepo, sarif_run: dict[str, Any]) -> None:
    assert "originalUriBaseIds" not in sarif_run
    assert str(repo.root) not in repo.read("nianbao.sarif").decode("utf-8")
    given = lint(repo.root, "--format", "sarif", "--sarif-srcroot", "file:///checkout", "reports/2020/dadukou.txt")
    data = json.loads(given.stdout)
    assert data["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///checkout/"}}
    assert schema_errors(data) == []


def test_a13_a14_unreadable_file_is_a_notification_and_the_exit_code(
    repo: LintedRepo, sarif_run: dict[str, Any]
) -> None:
    invocation = sarif_run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert repo.returncode == 2 and invocation["exitCode"] == 2
    [note] = [n for n in invocation["toolExecutionNotifications"] if n["level"] == "error"]
    assert note["descriptor"]["id"] == "NB01"
    assert sarif_run["tool"]["driver"]["notifications"][note["descriptor"]["index"]]["id"] == "NB01"
    uri = note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert unquote(uri) == UNREADABLE and note["message"]["text"]
    assert not results_of(sarif_run, "坏文件.txt")
    # the good files were still checked
    assert results_of(sarif_run, "年报.txt") and results_of(sarif_run, "dadukou.txt")
    assert "NB01" in repo.stderr


def test_a15_no_working_directory(sarif_run: dict[str, Any]) -> None:
    assert "workingDirectory" not in sarif_run["invocations"][0]


# B. rule descriptors


def test_b_rule_descriptors_from_rule_metadata(sarif_run: dict[str, Any]) -> None:
    from nianbao.engine import TOOL_RULES

    rules = {r["id"]: r for r in sarif_run["tool"]["driver"]["rules"]}
    ar01 = rules["AR01"]
    assert ar01["name"] == "arithmetic.applications-balance"  # B2
    assert ar01["shortDescription"]["text"] == "表三每一列：第一项加第二项之和应等于第三项（七）总计加第四项之和"  # B3
    assert ar01["fullDescription"]["text"].startswith("表三角上印着本表的勾稽关系")  # B4
    assert "国办公开办函〔2019〕60号" in ar01["help"]["text"]  # B5
    assert "**依据**" in ar01["help"]["markdown"] and "**不符合**" in ar01["help"]["markdown"]  # B6
    assert ar01["defaultConfiguration"]["level"] == "error"  # B8
    assert rules["NB03"]["defaultConfiguration"]["level"] == "error"  # as ruff treats syntax errors (issue 12)
    assert rules["NB03"]["properties"]["precision"] == TOOL_RULES["NB03"].precision == "medium"  # B10
    for rule in rules.values():
        assert rule["id"] and "/" not in rule["id"]  # B1
        assert 0 < len(rule["name"]) <= 255
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("note", "warning", "error")
        tags = rule["properties"]["tags"]
        assert tags and len(tags) == len(set(tags)) and len(tags) <= 20  # B9
        assert tags[0] in ("core", "national", "chongqing", "liaoning", "jiangsu")  # the rule's rule set
        assert rule["properties"]["precision"] in ("very-high", "high", "medium", "low")  # B10
        assert rule["properties"]["problem.severity"] in ("error", "warning", "recommendation")  # B11
        assert "security-severity" not in rule["properties"]  # B12
    assert "security-severity" not in json.dumps(sarif_run)


def test_b8_c4_configured_severity_differs_from_default(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "r.txt").write_bytes(SEEDS[0].read_bytes())
    data = json.loads(lint(tmp_path, "--format", "sarif", "--severity", "ST04=error", "r.txt").stdout)
    run = data["runs"][0]
    [st04] = [r for r in run["results"] if r["ruleId"] == "ST04"]
    assert st04["level"] == "error"
    assert run["tool"]["driver"]["rules"][st04["ruleIndex"]]["defaultConfiguration"]["level"] == "warning"


# C. results


def test_c_every_result_row(sarif_run: dict[str, Any]) -> None:
    for result in sarif_run["results"]:
        assert result["message"]["text"] and "id" not in result["message"]  # C1
        assert isinstance(result["ruleId"], str) and result["ruleId"]  # C2
        assert result["level"] in ("note", "warning", "error")  # C4
        assert len(result["locations"]) == 1  # C5
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert not uri.startswith(("file:", "/")) and "\\" not in uri and ".." not in uri.split("/")  # C6
        assert uri == uri.encode("ascii").decode("ascii")  # percent-encoded
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"  # C7
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1  # C8, C9
        assert region["endLine"] >= region["startLine"]  # C10
        if region["endLine"] == region["startLine"]:
            assert region["endColumn"] > region["startColumn"]  # C11
        prints = result["partialFingerprints"]
        assert prints["primaryLocationLineHash"]  # C12
        assert prints["nianbao/contentHash/v1"].startswith(prints["primaryLocationLineHash"].split(":")[0])  # C13
        assert "fingerprints" not in result
        assert "fixes" not in result  # C17: none emitted rather than incomplete ones


def test_c6_uri_is_percent_encoded_repo_relative(sarif_run: dict[str, Any]) -> None:
    uris = {a["location"]["uri"] for a in sarif_run["artifacts"]}
    assert "reports/2020/%E6%B8%9D%E5%8C%97%20%E5%BA%94%E6%80%A5%E5%B1%80.txt" in uris
    assert {unquote(u) for u in uris} == set(REPORTS) | {UNREADABLE}


def test_c6_symlinks_are_resolved(repo: LintedRepo) -> None:
    link = repo.root / "latest.txt"
    link.symlink_to(repo.root / "reports/2020/dadukou.txt")
    try:
        data = json.loads(lint(repo.root, "--format", "sarif", "latest.txt").stdout)
    finally:
        link.unlink()
    assert {a["location"]["uri"] for a in data["runs"][0]["artifacts"]} == {"reports/2020/dadukou.txt"}


def test_c8_to_c11_region_matches_the_text(repo: LintedRepo, sarif_run: dict[str, Any]) -> None:
    """seed 002 line 398: heading "五、存在的问题及改进情况" (ST03); the region covers exactly that text."""
    [st03] = [r for r in results_of(sarif_run, "年报.txt") if r["ruleId"] == "ST03"]
    region = st03["locations"][0]["physicalLocation"]["region"]
    lines = repo.read("reports/2020/年报.txt").decode("utf-8").splitlines()
    line = lines[region["startLine"] - 1]
    assert region["startLine"] == 398
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == "五、存在的问题及改进情况"


def test_c11_columns_are_code_points_beyond_the_bmp(tmp_path: Path) -> None:
    """A character outside the BMP (𬌗) before the finding counts as one column, not two UTF-16 units."""
    (tmp_path / ".git").mkdir()
    text = (
        SEEDS[2].read_text("utf-8").replace("按照政府信息依申请公开工作要求", "按照𬌗政府信息(依申请）公开工作要求", 1)
    )
    (tmp_path / "r.txt").write_text(text, "utf-8")
    data = json.loads(lint(tmp_path, "--format", "sarif", "r.txt").stdout)
    [tx04] = [r for r in data["runs"][0]["results"] if r["ruleId"] == "TX04" and "依申请" in r["message"]["text"]]
    region = tx04["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (7, 8, 13)
    line = text.splitlines()[6]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == "(依申请）"


def test_c12_fingerprints_survive_inserted_lines_and_follow_the_finding(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    original = SEEDS[2].read_text("utf-8")
    lines = original.splitlines(keepends=True)
    heading = lines.index("二、主动公开政府信息情况\n")
    shifted = "".join(lines[:heading] + ["\n", "\n", "\n"] + lines[heading:])
    edited = original.replace("五、存在的问题及改进情况", "五、存在问题及改进情况")

    def results(text: str) -> dict[str, dict[str, Any]]:
        (tmp_path / "r.txt").write_text(text, "utf-8")
        data = json.loads(lint(tmp_path, "--format", "sarif", "r.txt").stdout)
        return {r["partialFingerprints"]["primaryLocationLineHash"]: r for r in data["runs"][0]["results"]}

    before, after, changed = results(original), results(shifted), results(edited)
    assert len(before) == len(json.loads(json.dumps(list(before))))  # unique within the file
    assert set(after) == set(before)
    for key, result in before.items():
        old = result["locations"][0]["physicalLocation"]["region"]["startLine"]
        new = after[key]["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert new == old + (3 if old > heading + 1 else 0)
    st03 = {k for k, r in before.items() if r["ruleId"] == "ST03"}
    assert st03 and not st03 & set(changed)
    assert any(r["ruleId"] == "ST03" for r in changed.values())
    assert set(before) - st03 <= set(changed)  # the other findings keep theirs


def test_c16_logical_locations(sarif_run: dict[str, Any]) -> None:
    [ar06] = [r for r in results_of(sarif_run, "渝北 应急局.txt") if r["ruleId"] == "AR06"][:1]
    assert ar06["locations"][0]["logicalLocations"] == [
        {"name": "decisions", "fullyQualifiedName": "t2_5/licensing/decisions", "kind": "element"}
    ]


def test_chinese_text_round_trips_byte_exact(repo: LintedRepo, sarif_run: dict[str, Any]) -> None:
    raw = repo.read("nianbao.sarif")
    assert raw.decode("utf-8").encode("utf-8") == raw and b"\\u" not in raw
    data = json.loads(lint(repo.root, "--format", "json", "reports").stdout)
    expected = [f["message"] for file in data["files"] for f in file["findings"]]
    assert [r["message"]["text"] for r in sarif_run["results"]] == expected
    assert "“五、存在的主要问题及改进情况”".encode() in raw


def test_per_artifact_rule_set(sarif_run: dict[str, Any]) -> None:
    artifacts = {unquote(a["location"]["uri"]): a["properties"] for a in sarif_run["artifacts"]}
    assert artifacts["reports/2020/年报.txt"] == {"ruleset": "national", "edition": "2019"}
    assert artifacts[UNREADABLE] == {"ruleset": "national", "unreadable": "NB01"}


def test_byte_identical_across_runs_and_timestamps_only_on_request(repo: LintedRepo) -> None:
    again = lint(repo.root, "--format", "sarif", "--output", "again.sarif", "reports")
    assert again.returncode == repo.returncode
    assert repo.read("again.sarif") == repo.read("nianbao.sarif")
    assert b"TimeUtc" not in repo.read("nianbao.sarif")
    timed = json.loads(lint(repo.root, "--format", "sarif", "--timestamps", "reports/2020/dadukou.txt").stdout)
    assert timed["runs"][0]["invocations"][0]["startTimeUtc"].endswith("Z")
    assert schema_errors(timed) == []


def test_empty_run(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "empty").mkdir()
    assert lint(tmp_path, "--format", "sarif", "empty").returncode == 2  # no reports: a usage error
    result = lint(tmp_path, "--force-exclude", "--format", "sarif", "empty")  # pre-commit: nothing left
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["runs"][0]["results"] == [] and data["runs"][0]["artifacts"] == []
    assert schema_errors(data) == []


# D. limits


def _many_findings(count: int) -> LintRun:
    severities = ("info", "warning", "error")
    findings = [
        Finding(
            f"TX0{1 + i % 3}",
            "text.sample",
            severities[i % 3],
            f"第{i}处问题",
            Location(text=f"词{i}", line=i + 1, column=1, end_line=i + 1, end_column=3),
        )
        for i in range(count)
    ]
    return LintRun([FileResult("r.txt", findings, rules=("TX01", "TX02", "TX03"))], {}, "warning")


def test_d_results_capped_at_5000_by_severity_deterministically(tmp_path: Path) -> None:
    run = _many_findings(MAX_RESULTS + 1000)  # 2000 of each severity
    options = RenderOptions(root=str(tmp_path))
    output = SarifOutput()
    text = output.render(run, color=False, options=options)
    assert text == output.render(run, color=False, options=options)
    data = json.loads(text)
    results = data["runs"][0]["results"]
    assert len(results) == MAX_RESULTS
    levels = [r["level"] for r in results]
    assert levels.count("error") == 2000 and levels.count("warning") == 2000 and levels.count("note") == 1000
    # the notes kept are the first 1000 in document order; results stay in document order
    kept_notes = [int(r["message"]["text"][1:-3]) for r in results if r["level"] == "note"]
    assert kept_notes == [i for i in range(0, 6000, 3)][:1000]
    notes = data["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(n["message"]["text"].startswith("结果过多，已截去 1000 条") for n in notes)
    assert output.warnings(run, options) == ["SARIF 最多保留 5000 条结果，已按严重程度截去 1000 条"]
    assert schema_errors(data) == []
    under = _many_findings(MAX_RESULTS)
    assert len(json.loads(output.render(under, False, options))["runs"][0]["results"]) == MAX_RESULTS
    assert output.warnings(under, options) == []
