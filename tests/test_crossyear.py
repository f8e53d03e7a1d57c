"""Cross-year rules on pairs built from the seeds: the core pairs reports by organ and year, or as
named with --previous, and stays silent without last year's report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nianbao.grouping import Entry, organ_key, pair_by_organ
from nianbao.lint import Linter, LintOptions
from nianbao.plugins.rules.crossyear import similarity

from .conftest import CORPUS
from .test_cli import run

SEED_000 = CORPUS / "000_98b392332e9fbc59.txt"  # 重庆市渝北区应急管理局, 2020, table 三 all zeros
SEED_001 = CORPUS / "001_cabab7ad1985ba48.txt"  # 重庆市大渡口区人民防空办公室, 2020

# Seed 000, line numbers as read in the file: 1 organ, 3 year line of the title, 11 a sentence
# with "2020年度", 123-129 the seven cells of 二、上年结转, 348-354 those of 四、结转下年度继续办理,
# 403 the heading of 五, 412 the 落款 date.
CARRIED_OVER = range(123, 130)
CARRY_FORWARD = range(348, 355)


def _lines() -> list[str]:
    return SEED_000.read_text("utf-8").split("\n")


def last_year(tmp_path: Path, *, carry_forward: int = 0, organ: str | None = None, overview: str | None = None) -> Path:
    """Seed 000 turned into the same organ's 2019 report: the year, the date, and optionally the
    number carried forward to 2020 (自然人 and 总计), the organ line and the overview rewritten."""
    lines = _lines()
    lines[2] = lines[2].replace("2020", "2019")
    lines[10] = lines[10].replace("2020", "2019")
    lines[411] = lines[411].replace("2021年1月18日", "2020年1月16日")
    if carry_forward:
        for n in (CARRY_FORWARD[0], CARRY_FORWARD[-1]):
            lines[n - 1] = f"\t\u00a0{carry_forward}"
    if organ is not None:
        lines[0] = organ
    if overview is not None:
        start, end = 5, _lines().index("二、主动公开政府信息情况")  # the paragraphs of 一 (lines 6..)
        lines[start:end] = [overview]
    path = tmp_path / "yubei-2019.txt"
    path.write_text("\n".join(lines), "utf-8")
    return path


def lint(*paths: Path | str, **options) -> dict[str, list]:
    from nianbao.host import create_host

    run_ = Linter(create_host(entry_points=False), LintOptions(**options)).run([str(p) for p in paths])
    assert run_.problems == []
    return {r.path: r.findings for r in run_.results}


def xy(findings: list) -> list[tuple[str, int | None]]:
    return [(f.code, f.location.line if f.location else None) for f in findings if f.code.startswith("XY")]


def test_seed_lines_are_where_the_derivation_expects() -> None:
    lines = _lines()
    assert lines[121].strip() == "二、上年结转政府信息公开申请数量"
    assert lines[346].strip() == "四、结转下年度继续办理"
    assert [lines[n - 1].strip() for n in (*CARRIED_OVER, *CARRY_FORWARD)] == ["0"] * 14
    assert lines[411].strip() == "2021年1月18日" and lines[2].startswith("2020年")


def test_reports_linted_together_are_paired_by_organ_and_year(tmp_path: Path) -> None:
    previous = last_year(tmp_path, carry_forward=3)
    results = lint(SEED_000, previous)
    findings = results[str(SEED_000)]
    # 二、上年结转 is 0 in 2020 while 2019 carried 3 forward (自然人 and 总计); 一 and 五 are copied.
    assert xy(findings) == [("XY02", 5), ("XY01", 123), ("XY01", 129), ("XY02", 403)]
    carry = [f for f in findings if f.code == "XY01"]
    assert carry[1].message == (
        "表三“总计”列：本年“二、上年结转”为0，2019年度报告“四、结转下年度继续办理”为3；两者应相等，请核对"
    )
    assert carry[1].related[0].path == str(previous) and carry[1].related[0].location.line == 354
    assert xy(results[str(previous)]) == []  # nothing from 2018 to compare the 2019 report with


def test_a_report_alone_is_silent() -> None:
    assert xy(lint(SEED_000)[str(SEED_000)]) == []


def test_other_organs_are_not_paired(tmp_path: Path) -> None:
    previous = last_year(tmp_path, carry_forward=3, organ="重庆市大渡口区人民防空办公室")
    assert xy(lint(SEED_000, previous)[str(SEED_000)]) == []


def test_organ_written_without_the_city_still_pairs(tmp_path: Path) -> None:
    previous = last_year(tmp_path, carry_forward=3, organ="渝北区应急管理局")
    assert ("XY01", 129) in xy(lint(SEED_000, previous)[str(SEED_000)])


def test_rewritten_overview_is_not_similar(tmp_path: Path) -> None:
    overview = (
        "2019年，区应急局围绕安全生产专项整治三年行动，集中公开了危险化学品、非煤矿山和烟花爆竹领域的执法检查计划"
        "与结果；依申请公开方面建立了申请登记台账，由法制科统一审核答复；在区政府网站开设应急管理信息公开专栏，"
        "按月更新事故调查报告、应急预案和值班值守安排，并接受区政务公开办季度检查。"
    )
    previous = last_year(tmp_path, overview=overview)
    codes = xy(lint(SEED_000, previous)[str(SEED_000)])
    assert ("XY02", 5) not in codes and ("XY02", 403) in codes  # 五 is still copied


def test_previous_pairs_explicitly(tmp_path: Path) -> None:
    # Named with --previous, even a report filed under another organ name is compared.
    previous = last_year(tmp_path, carry_forward=2, organ="重庆市大渡口区人民防空办公室")
    findings = lint(SEED_000, previous=str(previous))[str(SEED_000)]
    assert ("XY01", 123) in xy(findings)
    data = json.loads(run("lint", "--format", "json", "--previous", str(previous), str(SEED_000)).stdout)
    (file,) = data["files"]  # last year's report is read, not linted
    related = [f["related"] for f in file["findings"] if f["code"] == "XY01"]
    assert related[0][0]["path"] == str(previous) and related[0][0]["location"]["line"] == 348


def test_previous_needs_exactly_one_report(tmp_path: Path) -> None:
    previous = last_year(tmp_path)
    result = run("lint", "--previous", str(previous), str(SEED_000), str(SEED_001))
    assert result.returncode == 2
    assert "--previous 只能与一份报告一起使用" in result.stderr.decode("utf-8")


def test_unreadable_previous_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe\x00\xd8" * 10 + b"\x00" * 50)
    result = run("lint", "--format", "json", "--previous", str(broken), str(SEED_000))
    assert result.returncode == 2
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert files[str(broken)]["error"]["code"] in ("NB01", "NB02")


def test_pairing_is_unambiguous_or_nothing() -> None:
    entries = [
        Entry("a-2020", "500112/应急管理局", "500112", 2020),
        Entry("a-2019", "500112/应急管理局", "500112", 2019),
        Entry("b-2020", "500104/人民防空办公室", "500104", 2020),
        Entry("b-2019-x", "500104/人民防空办公室", "500104", 2019),
        Entry("b-2019-y", "500104/人民防空办公室", "500104", 2019),
    ]
    pairing = pair_by_organ(entries)
    assert pairing.pairs == [("a-2020", "a-2019")]
    assert pairing.ambiguous == [("b-2020", ["b-2019-x", "b-2019-y"])]


def test_organ_key_ignores_the_place_names_in_front(host, context) -> None:
    from nianbao.loading import load_document

    a = load_document(str(CORPUS / "2021" / "hongze-district-2023.txt"), host.loaders, context)
    b = load_document(str(CORPUS / "2021" / "hongze-district-2024.txt"), host.loaders, context)
    assert (a.meta.organ, b.meta.organ) == ("洪泽区人民政府", "淮安市洪泽区人民政府")
    assert organ_key(a.meta) == organ_key(b.meta) == "320813/人民政府"


@pytest.mark.parametrize(
    ("text", "earlier", "low", "high"),
    [
        # copied with the year and numbers changed: the same text
        ("2020年共收到申请12件，均按时答复。", "2019年共收到申请7件，均按时答复。", 1.0, 1.0),
        # same topic, rewritten: little in common
        ("今年依申请公开工作重点放在答复文书规范化上，制定了统一模板。", "2019年共收到申请7件，均按时答复。", 0.0, 0.1),
        # last year's paragraph plus a new one of the same length: about half
        ("区应急局及时公开防汛信息。区应急局新设了危化品专栏。", "区应急局及时公开防汛信息。", 0.4, 0.6),
    ],
)
def test_similarity_measure(text: str, earlier: str, low: float, high: float) -> None:
    assert low <= similarity(text, earlier) <= high


# Seed 000 lines 114-120: the seven cells of 一、本年新收 (自然人 at 114, 总计 at 120).
NEW_RECEIVED = range(114, 121)


def derived(tmp_path: Path, name: str, organ: str, new_received: int) -> Path:
    lines = _lines()
    lines[0] = organ
    for n in (NEW_RECEIVED[0], NEW_RECEIVED[-1]):
        lines[n - 1] = f"\t\u00a0{new_received}"
    path = tmp_path / name
    path.write_text("\n".join(lines), "utf-8")
    return path


def test_hierarchy_compares_the_aggregate_with_its_departments(tmp_path: Path) -> None:
    government = derived(tmp_path, "a-government.txt", "重庆市渝北区人民政府", 5)
    emergency = derived(tmp_path, "b-emergency.txt", "重庆市渝北区应急管理局", 1)
    air_defence = derived(tmp_path, "c-air-defence.txt", "重庆市渝北区人民防空办公室", 2)
    elsewhere = derived(tmp_path, "d-dadukou.txt", "重庆市大渡口区应急管理局", 7)  # another district
    paths = (government, emergency, air_defence, elsewhere)
    assert [f for f in lint(*paths)[str(government)] if f.code == "XY04"] == []  # only with --hierarchy
    results = lint(*paths, hierarchy=True)
    found = [f for f in results[str(government)] if f.code == "XY04" and f.logical.table == "t3"]
    assert [(f.location.line, f.logical.column) for f in found] == [(114, "natural_person"), (120, "total")]
    # The three copies share seed 000's table 二, so there the aggregate is smaller than the sum.
    licensing = next(f for f in results[str(government)] if f.location.line == 47)
    assert licensing.message.endswith(
        "：汇总报告为253，一并检查的2份本级报告合计为506；汇总数小于各报告之和，汇总可能漏计了部分报告的数据"
    )
    assert found[1].message == (
        "表三“一、本年新收政府信息公开申请数量”“总计”：汇总报告为5，一并检查的2份本级报告合计为3；"
        "差额应来自未一并检查的其他编制主体报告，请补齐核对"
    )
    assert [(r.path, r.location.line) for r in found[1].related] == [(str(emergency), 120), (str(air_defence), 120)]
    assert all(not any(f.code == "XY04" for f in results[str(p)]) for p in paths[1:])


def test_sarif_carries_last_years_place_as_a_related_location(tmp_path: Path) -> None:
    from .test_sarif import schema_errors

    previous = last_year(tmp_path, carry_forward=2)
    current = tmp_path / "yubei-2020.txt"
    current.write_bytes(SEED_000.read_bytes())
    (tmp_path / ".git").mkdir()
    result = run("lint", "--format", "sarif", "--root", str(tmp_path), str(current), str(previous))
    log = json.loads(result.stdout)
    assert schema_errors(log) == []
    xy01 = [r for r in log["runs"][0]["results"] if r["ruleId"] == "XY01"]
    assert xy01 and xy01[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 123
    related = xy01[0]["relatedLocations"][0]
    assert related["id"] == 1
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "yubei-2019.txt"
    assert related["physicalLocation"]["region"]["startLine"] == 348
    assert related["message"]["text"]
