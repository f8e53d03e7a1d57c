"""Gazetteer: region detection from organ names and texts, organ levels, and the shipped data."""

from __future__ import annotations

import time
from importlib import resources

import pytest
from nianbao.document import Region
from nianbao.plugins.gazetteer import find_region, organ_level


def _triple(region: Region) -> tuple[str | None, str | None, str | None]:
    return region.province, region.prefecture, region.county


# --- find_region from the organ name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("organ", "expected", "code"),
    [
        # Municipality districts hang directly off the municipality: no prefecture.
        ("重庆市渝北区应急管理局", ("重庆市", None, "渝北区"), "500112"),
        ("重庆市大渡口区人民防空办公室", ("重庆市", None, "大渡口区"), "500104"),
        # A bare county name resolves upwards.
        ("银州区应急管理局", ("辽宁省", "铁岭市", "银州区"), "211202"),
        ("常州市应急管理局", ("江苏省", "常州市", None), "320400"),
        ("淮安市洪泽区人民政府", ("江苏省", "淮安市", "洪泽区"), "320813"),
        ("淮安市人民政府", ("江苏省", "淮安市", None), "320800"),
        # Usual short forms of autonomous divisions.
        ("恩施州人民政府", ("湖北省", "恩施土家族苗族自治州", None), "422800"),
        ("石柱县应急管理局", ("重庆市", None, "石柱土家族自治县"), "500240"),
        # A prefecture stem without 市 counts at the start of an organ name.
        ("常州应急管理局", ("江苏省", "常州市", None), "320400"),
        # A prefecture name settles an ambiguous county inside the organ itself.
        ("北京市朝阳区卫生健康委员会", ("北京市", None, "朝阳区"), "110105"),
        # 大理市 is a county-level city; 大理州 the prefecture.
        ("大理市人民政府", ("云南省", "大理白族自治州", "大理市"), "532901"),
        # Directly administered county-level city: province, no prefecture.
        ("仙桃市人民政府", ("湖北省", None, "仙桃市"), "429004"),
        # 市场监督管理局 after 义乌市 must not hide the city.
        ("义乌市市场监督管理局", ("浙江省", "金华市", "义乌市"), "330782"),
        ("广西壮族自治区人民政府", ("广西壮族自治区", None, None), "450000"),
    ],
)
def test_region_from_organ(organ: str, expected: tuple[str | None, ...], code: str) -> None:
    region = find_region(organ)
    assert _triple(region) == expected
    assert region.code == code
    assert region.decided_by == "organ"


def test_organ_wins_over_texts() -> None:
    region = find_region("常州市应急管理局", ["辽宁省人民政府办公厅", "铁岭市银州区"])
    assert _triple(region) == ("江苏省", "常州市", None)
    assert region.decided_by == "organ"


def test_whitespace_inside_organ_is_ignored() -> None:
    assert _triple(find_region("重庆市 渝北区 应急管理局")) == ("重庆市", None, "渝北区")


def test_ambiguous_county_alone_is_not_guessed() -> None:
    # 鼓楼区 exists in 南京, 徐州, 福州 and 开封.
    assert find_region("鼓楼区教育局") == Region()
    assert find_region("朝阳区卫生健康委员会") == Region()


def test_ambiguous_county_settled_by_text() -> None:
    region = find_region("鼓楼区教育局", ["根据南京市教育局的统一部署"])
    assert _triple(region) == ("江苏省", "南京市", "鼓楼区")
    assert region.code == "320106"
    assert region.decided_by == "organ"


def test_ambiguous_county_keeps_only_what_is_certain() -> None:
    # 江苏 has two 鼓楼区 (南京, 徐州): the province is certain, the county is not.
    region = find_region("鼓楼区教育局", ["江苏省"])
    assert _triple(region) == ("江苏省", None, None)
    assert region.code == "320000"


# --- find_region from texts ---------------------------------------------------------------------


def test_text_elsewhere_does_not_override_an_unresolved_organ() -> None:
    # None of the four 鼓楼区 is in 北京.
    assert find_region("鼓楼区教育局", ["北京市"]) == Region()


def test_region_from_text_when_no_organ() -> None:
    region = find_region(None, ["按照《辽宁省人民政府办公厅关于做好政府信息公开工作的通知》要求"])
    assert _triple(region) == ("辽宁省", None, None)
    assert region.code == "210000"
    assert region.decided_by == "text"


def test_text_used_when_organ_names_no_place() -> None:
    region = find_region("区应急管理局", ["重庆市渝北区应急管理局 2020年政府信息公开工作年度报告"])
    assert _triple(region) == ("重庆市", None, "渝北区")
    assert region.decided_by == "text"


def test_texts_without_a_dominant_place_give_nothing() -> None:
    assert find_region(None, ["北京市", "上海市"]) == Region()


def test_a_string_is_taken_as_one_text() -> None:
    assert _triple(find_region(None, "辽宁省铁岭市")) == ("辽宁省", "铁岭市", None)


@pytest.mark.parametrize(
    "text",
    [
        "老城区改造和新城区建设",  # generic phrases that are also district names
        "乡镇和县级政府",  # 和县 is a county in 安徽
        "义乌市场很大",  # a market, not 义乌市
        "城区内",
        "渝北",  # a bare stem without 区
        "常州",  # a prefecture stem is not enough inside a text
    ],
)
def test_everyday_words_are_not_places(text: str) -> None:
    assert find_region(None, [text]) == Region()


def test_overlapping_names_prefer_the_first() -> None:
    # 长沙市区 contains 沙市区 (荆州) as well.
    assert _triple(find_region(None, ["长沙市区的道路"])) == ("湖南省", "长沙市", None)


def test_two_character_county_after_its_prefecture() -> None:
    region = find_region(None, ["安徽省马鞍山市和县人民政府"])
    assert _triple(region) == ("安徽省", "马鞍山市", "和县")


def test_nothing_found() -> None:
    assert find_region(None) == Region()
    assert find_region("", []) == Region()
    assert find_region("国务院办公厅", ["根据《中华人民共和国政府信息公开条例》"]) == Region()


def test_long_text_is_scanned_quickly() -> None:
    text = ("本机关严格落实政府信息公开条例，主动公开政府信息，回应社会关切。" * 400) + "铁岭市银州区"
    start = time.perf_counter()
    region = find_region(None, [text])
    elapsed = time.perf_counter() - start
    assert _triple(region) == ("辽宁省", "铁岭市", "银州区")
    assert elapsed < 0.1  # about 1 ms on a developer machine; generous for slow CI


# --- organ_level -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organ", "level"),
    [
        ("重庆市渝北区应急管理局", "department"),
        ("淮安市人民政府", "government"),
        ("龙华街道办事处", "other"),
        ("花桥镇人民政府", "government"),
        ("重庆市大渡口区人民防空办公室", "department"),
        ("常州市第一人民医院", "other"),
        ("淮安市人民政府办公室", "department"),
        ("北京市公安局朝阳分局", "department"),
        ("常州市公共资源交易中心", "other"),
        ("南京大学", "other"),
        (None, None),
        ("  ", None),
    ],
)
def test_organ_level(organ: str | None, level: str | None) -> None:
    assert organ_level(organ) == level


# --- the shipped data ------------------------------------------------------------------------------


def _rows() -> list[list[str]]:
    text = resources.files("nianbao.plugins.gazetteer").joinpath("divisions.tsv").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines()]


def test_data_shape() -> None:
    rows = _rows()
    assert all(len(row) == 4 for row in rows)
    codes = [row[0] for row in rows]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    levels = [row[2] for row in rows]
    assert set(levels) == {"province", "prefecture", "county"}
    assert levels.count("province") == 31
    assert levels.count("county") >= 2800


def test_data_parents_exist_and_match_levels() -> None:
    rows = _rows()
    by_code = {row[0]: row for row in rows}
    for code, name, level, parent in rows:
        if level == "province":
            assert parent == "", name
            continue
        assert parent in by_code, (code, name)
        parent_level = by_code[parent][2]
        assert parent_level == "province" if level == "prefecture" else parent_level != "county", name
        assert code[:2] == parent[:2], name


def test_data_has_no_placeholders() -> None:
    names = {row[1] for row in _rows()}
    assert not names & {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
    assert {"北京市", "天津市", "上海市", "重庆市"} <= names
    assert not names & {"台湾省", "香港特别行政区", "澳门特别行政区"}


def test_municipality_districts_hang_off_the_municipality() -> None:
    by_name = {row[1]: row for row in _rows() if row[2] == "county"}
    assert by_name["渝北区"][3] == "500000"
    assert by_name["海淀区"][3] == "110000"
    assert by_name["浦东新区"][3] == "310000"
