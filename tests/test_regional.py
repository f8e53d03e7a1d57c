"""Regional rule sets: chosen from the report's province, each tried on reports from its own
province and from another one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nianbao.lint import Linter, LintOptions

from .conftest import CORPUS, SEEDS
from .test_cli import run


def lint(host, path: Path | str, **options) -> tuple[str, str, list[tuple[str, str, int | None]]]:
    (result,) = Linter(host, LintOptions(**options)).run([str(path)]).results
    findings = [(f.code, f.severity, f.location.line if f.location else None) for f in result.findings]
    return result.ruleset, result.ruleset_source, findings


def codes(findings: list[tuple[str, str, int | None]]) -> set[str]:
    return {c for c, _, _ in findings}


@pytest.mark.parametrize(
    ("seed", "ruleset", "source"),
    [
        ("000", "chongqing", "province"),  # 重庆市渝北区应急管理局
        ("001", "chongqing", "province"),  # 重庆市大渡口区人民防空办公室
        ("002", "national", "default"),  # no organ, no place
        ("003", "liaoning", "province"),  # 银州区 (铁岭市, 辽宁省)
        ("004", "jiangsu", "province"),  # 常州市 (江苏省)
    ],
)
def test_rule_set_follows_the_province(host, seed: str, ruleset: str, source: str) -> None:
    path = next(s for s in SEEDS if s.name.startswith(seed))
    assert lint(host, path)[:2] == (ruleset, source)


def test_option_and_configuration_win_over_the_province(host, tmp_path: Path) -> None:
    seed = SEEDS[0]
    assert lint(host, seed, ruleset="national")[:2] == ("national", "option")
    report = tmp_path / seed.name
    report.write_bytes(seed.read_bytes())
    (tmp_path / ".nianbao.yaml").write_text("ruleset: national\n", "utf-8")
    assert lint(host, report)[:2] == ("national", "config")
    assert lint(host, report, ruleset="auto")[:2] == ("chongqing", "province")


def test_chongqing_makes_structural_gaps_errors(host) -> None:
    yubei, changzhou = SEEDS[0], SEEDS[4]
    assert ("ST04", "error", 407) in lint(host, yubei)[2]
    assert ("ST04", "warning", 407) in lint(host, yubei, ruleset="national")[2]
    # The same rule set applied to a 江苏 report: its TB03 header findings become errors too.
    tb03 = {s for c, s, _ in lint(host, changzhou, ruleset="chongqing")[2] if c == "TB03"}
    assert tb03 == {"error"}
    assert {s for c, s, _ in lint(host, changzhou)[2] if c == "TB03"} == {"warning"}


DISTRICT = """{organ}
2020年政府信息公开工作年度报告
一、总体情况
2020年，区政府全面落实《中华人民共和国政府信息公开条例》，主动公开政府信息。
六、其他需要报告的事项
无。
"""


def test_cq01_only_for_chongqing_districts(host, tmp_path: Path) -> None:
    chongqing = tmp_path / "cq.txt"
    chongqing.write_text(DISTRICT.format(organ="重庆市渝北区人民政府"), "utf-8")
    jiangsu = tmp_path / "js.txt"
    jiangsu.write_text(DISTRICT.format(organ="淮安市洪泽区人民政府"), "utf-8")
    ruleset, _, findings = lint(host, chongqing)
    assert ruleset == "chongqing" and ("CQ01", "info", 3) in findings
    ruleset, _, findings = lint(host, jiangsu)
    assert ruleset == "jiangsu" and "CQ01" not in codes(findings)
    assert "CQ01" not in codes(lint(host, chongqing, ruleset="national")[2])


LIAONING_STYLE = """附件：
{organ}2020年度政府信息公开工作报告
一、总体情况
2020年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。
六、其他需要报告的事项
无
"""


def test_liaoning_title_form_and_notice(host, tmp_path: Path) -> None:
    tieling = tmp_path / "tieling.txt"
    tieling.write_text(LIAONING_STYLE.format(organ="铁岭市应急管理局"), "utf-8")
    ruleset, _, findings = lint(host, tieling)
    assert ruleset == "liaoning"
    assert "ST06" not in codes(findings)  # 年度政府信息公开工作报告 accepted
    assert ("LN01", "info", 2) in findings and ("LN02", "info", 1) in findings
    # The same text from a 江苏 organ: the title form is wrong there, and LN rules do not run.
    changzhou = tmp_path / "changzhou.txt"
    changzhou.write_text(LIAONING_STYLE.format(organ="常州市应急管理局"), "utf-8")
    ruleset, _, findings = lint(host, changzhou)
    assert ruleset == "jiangsu"
    assert "ST06" in codes(findings) and not codes(findings) & {"LN01", "LN02"}


def test_liaoning_seed_cites_its_notice(host) -> None:
    ruleset, _, findings = lint(host, SEEDS[3])
    assert ruleset == "liaoning" and not codes(findings) & {"LN01", "LN02", "ST06"}


def test_jiangsu_statistics_period(host, tmp_path: Path) -> None:
    ruleset, _, findings = lint(host, SEEDS[4])  # states 2020年1月1日至2020年12月31日
    assert ruleset == "jiangsu" and "JS01" not in codes(findings)
    no_period = DISTRICT.replace("区政府全面", "市局全面")
    js = tmp_path / "js.txt"
    js.write_text(no_period.format(organ="常州市应急管理局"), "utf-8")
    assert ("JS01", "info", 1) in lint(host, js)[2]
    cq = tmp_path / "cq.txt"
    cq.write_text(no_period.format(organ="重庆市渝北区应急管理局"), "utf-8")
    assert "JS01" not in codes(lint(host, cq)[2])


def test_ruleset_shown_in_json_and_console() -> None:
    seed = str(SEEDS[3])
    data = json.loads(run("lint", "--format", "json", seed).stdout)
    assert data["rulesets"] == ["liaoning"]
    assert (data["files"][0]["ruleset"], data["files"][0]["ruleset_source"]) == ("liaoning", "province")
    coloured = run("lint", "--color", "always", seed).stdout.decode("utf-8")
    assert "liaoning（按报告所属地区自动选用）" in coloured
    plain = run("lint", "--ruleset", "national", seed).stdout.decode("utf-8")
    assert "规则集：national（命令行指定） 1 个文件" in plain


def test_regional_rules_are_listed_with_their_rule_set() -> None:
    listing = run("rules").stdout.decode("utf-8")
    for code, ruleset in (("CQ01", "chongqing"), ("LN01", "liaoning"), ("LN02", "liaoning"), ("JS01", "jiangsu")):
        line = next(x for x in listing.splitlines() if x.startswith(code))
        assert f" {ruleset} " in line
    rulesets = run("rulesets").stdout.decode("utf-8")
    assert "适用地区：重庆市" in rulesets and "调整：ST01→error" in rulesets and "自带规则：LN01、LN02" in rulesets


def test_a_jiangsu_government_report_gets_no_other_province_rules(host) -> None:
    # 2021-format reports of 江苏 governments: the 江苏 rule set, never another province's rules.
    ruleset, _, findings = lint(host, CORPUS / "2021" / "huaian-city-2024.txt")
    assert ruleset == "jiangsu" and not codes(findings) & {"CQ01", "LN01", "LN02"}
