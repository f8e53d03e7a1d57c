"""Gazetteer: region detection from organ names and texts, organ levels, and the shipped data."""

from __future__ import annotations

import importlib.util
import time
from importlib import resources
from pathlib import Path
from types import ModuleType

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


# --- divisions that changed since the former table -------------------------------------------------


@pytest.mark.parametrize(
    ("organ", "expected", "code"),
    [
        # Former divisions come back as they were, with their code of the time: a report that names
        # them was written while they existed.
        ("梁平县人民政府", ("重庆市", None, "梁平县"), "500228"),
        ("莱芜市人民政府", ("山东省", "莱芜市", None), "371200"),
        ("莱芜市钢城区人民政府", ("山东省", "莱芜市", "钢城区"), "371203"),
        ("那曲地区嘉黎县人民政府", ("西藏自治区", "那曲地区", "嘉黎县"), "542422"),
        ("户县人民政府", ("陕西省", "西安市", "户县"), "610125"),
        # Their successors, and divisions created since.
        ("梁平区人民政府", ("重庆市", None, "梁平区"), "500155"),
        ("济南市莱芜区人民政府", ("山东省", "济南市", "莱芜区"), "370116"),
        ("济南市钢城区人民政府", ("山东省", "济南市", "钢城区"), "370117"),
        ("那曲市人民政府", ("西藏自治区", "那曲市", None), "540600"),
        ("西安市鄠邑区人民政府", ("陕西省", "西安市", "鄠邑区"), "610118"),
        ("重庆市两江新区应急管理局", ("重庆市", None, "两江新区"), "500157"),
        ("岑岭县人民政府", ("新疆维吾尔自治区", "喀什地区", "岑岭县"), "653132"),
        # A name the successor kept: today's division unless a former neighbour says otherwise.
        ("钢城区人民政府", ("山东省", "济南市", "钢城区"), "370117"),
        ("嘉黎县人民政府", ("西藏自治区", "那曲市", "嘉黎县"), "540621"),
        # Renamed under the same code: one division, shown by its current name.
        ("邢台市桥东区人民政府", ("河北省", "邢台市", "襄都区"), "130502"),
        # A former name listed by hand (鄠县 until 1964), after its city like every two-character name.
        ("西安市鄠县", ("陕西省", "西安市", "户县"), "610125"),
    ],
)
def test_divisions_that_changed(organ: str, expected: tuple[str | None, ...], code: str) -> None:
    region = find_region(organ)
    assert _triple(region) == expected
    assert region.code == code


def test_a_name_shared_since_the_former_table_is_told_apart_by_context() -> None:
    # 深圳市龙华区 (2017) now shares its name with 海口市龙华区.
    assert find_region("龙华区人民政府") == Region()
    assert _triple(find_region("龙华区人民政府", ["深圳市"])) == ("广东省", "深圳市", "龙华区")
    assert _triple(find_region("龙华区人民政府", ["海口市"])) == ("海南省", "海口市", "龙华区")


def test_a_former_and_a_current_division_of_one_name_elsewhere_stay_apart() -> None:
    # 江北区 of 重庆 (abolished 2025) did not become 宁波's: without context nothing is guessed.
    assert find_region("江北区人民政府") == Region()
    assert find_region("江北区人民政府", ["重庆市"]).code == "500105"
    assert find_region("江北区人民政府", ["宁波市"]).code == "330205"


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


def _former() -> list[list[str]]:
    text = resources.files("nianbao.plugins.gazetteer").joinpath("former.tsv").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if not line.startswith("#")]


def test_former_divisions_and_names() -> None:
    by_code = {row[0]: row for row in _rows()}
    rows = _former()
    assert all(len(row) == 5 and row[0] in ("former", "alias") and row[4] for row in rows)
    former = {code: (name, successors.split(",")) for kind, code, name, successors, _ in rows if kind == "former"}
    assert len(former) == sum(kind == "former" for kind, *_ in rows)
    for code, (name, successors) in former.items():
        assert by_code[code][1] == name
        assert by_code[code][2] != "province"
        for successor in successors:
            assert successor in by_code and successor not in former, (name, successor)
            assert successor[:2] == code[:2], (name, successor)  # no division changed province
    for kind, code, name, _, _ in rows:
        if kind == "alias":
            assert code in by_code and by_code[code][1] != name
    assert former["500228"] == ("梁平县", ["500155"])
    assert former["371200"] == ("莱芜市", ["370116", "370117"])


def test_current_divisions_hang_off_current_ones() -> None:
    former = {row[1] for row in _former() if row[0] == "former"}
    current = [row for row in _rows() if row[0] not in former]
    assert all(parent not in former for _, _, _, parent in current)
    levels = [row[2] for row in current]
    assert levels.count("province") == 31
    assert levels.count("county") >= 2800
    names = {(row[1], row[3]) for row in current}
    assert ("莱芜区", "370100") in names and ("那曲市", "540000") in names
    assert not {("梁平县", "500000"), ("莱芜市", "370000")} & names


# --- the build script ------------------------------------------------------------------------------


def _build_script() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "scripts" / "build_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_gazetteer", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_OLD = [
    ("130000", "河北省", "province", ""),
    ("130500", "邢台市", "prefecture", "130000"),
    ("130502", "桥东区", "county", "130500"),
    ("370000", "山东省", "province", ""),
    ("370100", "济南市", "prefecture", "370000"),
    ("371200", "莱芜市", "prefecture", "370000"),
    ("371203", "钢城区", "county", "371200"),
    ("500000", "重庆市", "province", ""),
    ("500112", "渝北区", "county", "500000"),
    ("500228", "梁平县", "county", "500000"),
]
_CURRENT = [
    ("130000", "河北省", "province", ""),
    ("130500", "邢台市", "prefecture", "130000"),
    ("130502", "襄都区", "county", "130500"),
    ("370000", "山东省", "province", ""),
    ("370100", "济南市", "prefecture", "370000"),
    ("370116", "莱芜区", "county", "370100"),
    ("370117", "钢城区", "county", "370100"),
    ("500000", "重庆市", "province", ""),
    ("500155", "梁平区", "county", "500000"),
    ("500157", "两江新区", "county", "500000"),
]
_HAND = "# kind\tcode\tname\tsuccessors\tsource\nformer\t371200\t莱芜市\t370116,370117\t2019\nformer\t500112\t渝北区\t500157\t2025\n"


def test_build_derives_successors_by_name_and_takes_the_rest_from_the_hand_list() -> None:
    script = _build_script()
    divisions, former = script.build(_CURRENT, _OLD, script.HandList(_HAND))
    assert [row[0] for row in divisions] == sorted({row[0] for row in _OLD + _CURRENT})
    assert former == [
        ("alias", "130502", "桥东区", "", "code kept, renamed"),
        ("former", "371200", "莱芜市", "370116,370117", "hand: 2019"),
        ("former", "371203", "钢城区", "370117", "same name"),
        ("former", "500112", "渝北区", "500157", "hand: 2025"),
        ("former", "500228", "梁平县", "500155", "same stem"),
    ]


@pytest.mark.parametrize(
    ("hand", "complaint"),
    [
        (_HAND.replace("former\t500112\t渝北区\t500157\t2025\n", ""), "渝北区 is gone"),
        (_HAND + "former\t500228\t梁平县\t500155\t2016\n", "derived .same stem., remove it"),
        (_HAND.replace("370116,370117", "370116,379999"), "not current divisions"),
    ],
)
def test_build_refuses_gaps_and_needless_hand_entries(hand: str, complaint: str) -> None:
    script = _build_script()
    with pytest.raises(SystemExit, match=complaint):
        script.build(_CURRENT, _OLD, script.HandList(hand))
