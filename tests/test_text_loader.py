"""Adversarial inputs for the text loader, built from the real seeds by the edits a bad export makes."""

from __future__ import annotations

import codecs
import re

import pytest
from nianbao.loading import InputError, load_document

from .conftest import CORPUS, SEEDS

SEED_000 = CORPUS / "000_98b392332e9fbc59.txt"
SEED_003 = CORPUS / "003_dd547b77e3c6f981.txt"
SEED_004 = CORPUS / "004_5ec655b7f2230a8a.txt"


def _load(host, context, data: bytes | str, name: str = "report.txt"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return load_document(name, host.loaders, context, data=data)


def _without_source(doc) -> dict:
    data = doc.to_dict()
    del data["source"]
    return data


# ---------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem[:3] for s in SEEDS])
@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("gb18030", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),  # Notepad-style UTF-16 without a byte order mark
        ("utf-8", codecs.BOM_UTF8),
    ],
)
def test_other_encodings_give_the_same_document(host, context, seed, encoding, prefix) -> None:
    text = seed.read_text("utf-8")
    reference = _load(host, context, text)
    doc = _load(host, context, prefix + text.encode(encoding))
    assert _without_source(doc) == _without_source(reference)
    assert doc.source.encoding.replace("_", "-").startswith(encoding.split("-")[0])


def test_gbk_copy_decodes_as_gb18030(host, context) -> None:
    text = SEED_003.read_text("utf-8")  # the one seed without characters outside GBK (no U+00A0)
    doc = _load(host, context, text.encode("gbk"))
    assert doc.source.encoding == "gb18030"
    assert doc.meta.organ == "银州区应急管理局"


def test_utf8_with_a_stray_byte_is_refused_not_misread(host, context) -> None:
    data = SEED_000.read_bytes()
    broken = data[:600] + b"\xe9" + data[600:]
    with pytest.raises(InputError) as err:
        _load(host, context, broken)
    assert err.value.code == "NB01"
    position = int(re.search(r"第 (\d+) 字节不是有效的 UTF-8", err.value.reason).group(1))
    assert 599 <= position <= 601  # 1-based, at the character the stray byte broke


def test_binary_file_is_refused(host, context) -> None:
    with pytest.raises(InputError) as err:
        _load(host, context, bytes(range(256)) * 4)
    assert err.value.code == "NB01"


def test_text_that_is_not_a_report_is_nb02(host, context) -> None:
    with pytest.raises(InputError) as err:
        _load(host, context, "会议纪要\n\n今天讨论了食堂的菜单。\n")
    assert err.value.code == "NB02"


# ---------------------------------------------------------------------------- run-together digits

T4_ROW_003 = "\t".join(["0"] * 15)


def test_run_together_digits_with_one_valid_split(host, context) -> None:
    text = SEED_003.read_text("utf-8")
    assert text.count(T4_ROW_003) == 1
    doc = _load(host, context, text.replace(T4_ROW_003, "21317000001324019"))
    cells = doc.tables["t4"].rows["cases"].cells
    assert [c.value for c in cells.values()] == [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]
    assert {c.origin for c in cells.values()} == {"extraction"}
    assert cells["lit_after_review_upheld"].location.column == 11  # "13" starts at the 11th digit
    assert not [d for d in doc.diagnostics if d.code == "NB03"]


def test_run_together_digits_with_two_valid_splits_is_nb03(host, context) -> None:
    text = SEED_003.read_text("utf-8")
    row = "(六) 其他处理\t0\t0\t0\t0\t0\t0\t0\t"
    assert row in text
    # 110000011 reads as 1,10,0,0,0,0,11 or as 11,0,0,0,0,0,11: both balance, so no guess.
    doc = _load(host, context, text.replace(row, "(六) 其他处理\t110000011"))
    assert doc.tables["t3"].rows["other_handling"].cells == {}
    nb03 = [d for d in doc.diagnostics if d.code == "NB03"]
    assert len(nb03) == 1
    assert "110000011" in nb03[0].message and "多种" in nb03[0].message
    assert nb03[0].location.line == text[: text.index(row)].count("\n") + 1


# ---------------------------------------------------------------------------- column-major tables


def _t3_block(text: str) -> tuple[int, int]:
    start = text.index("三、收到和处理政府信息公开申请情况")
    end = text.index("四、政府信息公开行政复议、行政诉讼情况")
    return start, end


def test_column_major_table_is_read_by_its_identities(host, context) -> None:
    """Table 三 as PDF text often has it: every row label first, then the numbers column by column."""
    text = SEED_000.read_text("utf-8")
    fmt = context.template("2019").tables["t3"]
    rows = [r for r in fmt.rows if r.label]
    data_rows = [r.key for r in rows if r.data]
    values = {r: [0] * 7 for r in data_rows}
    values["new_received"] = [3, 1, 0, 0, 0, 1, 5]
    values["carried_over"] = [1, 0, 0, 0, 0, 0, 1]
    values["granted"] = [2, 1, 0, 0, 0, 1, 4]
    values["result_total"] = [2, 1, 0, 0, 0, 1, 4]
    values["carry_forward"] = [2, 0, 0, 0, 0, 0, 2]
    numbers = [str(values[r][c]) for c in range(7) for r in data_rows]
    block = (
        "三、收到和处理政府信息公开申请情况\n\n"
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n申请人情况\n自然人\n法人或其他组织\n"
        "总计\n商业企业\n科研机构\n社会公益组织\n法律服务机构\n其他\n"
        + "\n".join(r.label for r in rows)
        + "\n"
        + "\n".join(numbers)
        + "\n\n"
    )
    start, end = _t3_block(text)
    doc = _load(host, context, text[:start] + block + text[end:])
    table = doc.tables["t3"]
    got = {k: [c.value for c in r.cells.values()] for k, r in table.rows.items()}
    assert got == values
    assert table.origin == "extraction"
    assert table.rows["new_received"].cells["total"].origin == "extraction"


def test_column_major_that_fits_both_ways_is_nb03(host, context) -> None:
    """Two rows whose numbers balance read either way: report it, do not pick one."""
    text = SEED_000.read_text("utf-8")
    start, end = _t3_block(text)
    block = (
        "三、收到和处理政府信息公开申请情况\n\n申请人情况\n自然人\n总计\n"
        "一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n"
        # by rows 0,0,0,0,0,1,1 | 0,0,1,0,0,1,2; by columns 0,0,0,1,0,0,1 | 0,0,1,0,1,0,2
        + "\n".join("0 0 0 0 0 1 1 0 0 1 0 0 1 2".split())
        + "\n\n"
    )
    doc = _load(host, context, text[:start] + block + text[end:])
    assert doc.tables["t3"].rows["new_received"].cells == {}
    assert any(d.code == "NB03" and "按行也可以按列" in d.message for d in doc.diagnostics)


# ---------------------------------------------------------------------------- labels


def test_spaced_split_and_misspelt_labels_still_match(host, context) -> None:
    text = SEED_000.read_text("utf-8")
    text = text.replace("\t三、本年度办理结果\n", "\t三、\n\t本\n\t年\n\t度\n\t办\n\t理\n\t结\n\t果\n")
    text = text.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    text = text.replace("4.保护第三方合法权益", "4.保 护 第 三 方\n合法权益")
    text = text.replace("\t商业企业\n", "\t商业\n\t企业\n")
    doc = _load(host, context, text)
    t3 = doc.tables["t3"]
    assert len([r for r in t3.rows.values() if r.known]) == 23
    assert t3.rows["denied_law_forbidden"].label == "2.其他法律行政止公开"
    assert len(t3.rows["denied_third_party"].cells) == 7
    header = {h.column: h.text for h in t3.header if h.column}
    assert header["commercial_enterprise"] == "商业企业"
    assert not doc.diagnostics


def test_headings_with_malformed_numbers_and_variants(host, context) -> None:
    doc = _load(host, context, (CORPUS / "002_3dc16392cc7dc7e9.txt").read_text("utf-8"))
    s1, s5 = doc.section("s1"), doc.section("s5")
    assert (s1.number, s1.heading) == ("一 、", "一、总体情况")
    assert s5.title == "存在的问题及改进情况"
    assert s1.location.line == 2 and s1.location.column == 1


# ---------------------------------------------------------------------------- traditional + pinyin


def test_traditional_text_with_pinyin_is_normalised_and_every_change_located(host, context) -> None:
    raw = SEED_004.read_text("utf-8")
    doc = _load(host, context, raw)
    assert doc.source.traditional_converted
    assert doc.meta.title.normalised == "常州市应急管理局2020年政府信息公开工作年度报告"
    raw_lines = raw.split("\n")
    pinyin = [c for c in doc.changes if c.kind == "pinyin"]
    traditional = [c for c in doc.changes if c.kind == "traditional"]
    assert len(pinyin) == len(re.findall(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", raw))
    first = pinyin[0]
    assert (first.original, first.location.text, first.location.line, first.location.column) == (
        "(lǐng)",
        "領(lǐng)",
        1,
        1,
    )
    for change in pinyin + traditional:
        loc = change.location
        assert raw_lines[loc.line - 1][loc.column - 1 : loc.end_column - 1] == loc.text
    assert ("數", "数") in {(c.original, c.replacement) for c in traditional}
    assert all("(" not in p.text or "shù" not in p.text for s in doc.sections for p in s.paragraphs)


def test_wrapped_lines_are_rejoined_and_recorded(host, context) -> None:
    doc = _load(host, context, (CORPUS / "001_cabab7ad1985ba48.txt").read_text("utf-8"))
    s5 = doc.section("s5")
    assert s5.paragraphs[0].text.startswith("2020年，区人民防空办的信息公开工作虽然取得了一些进展，但依然存在")
    joins = [c for c in doc.changes if c.kind == "line_join"]
    assert any(c.location.line == s5.paragraphs[0].location.line for c in joins)


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("某 市 某 局 2 0 2 0 年 政 府 信 息 公 开", "某市某局2020年政府信息公开"),  # a spaced-out title
        ("2 0 2 1 年 1 月 1 5 日", "2021年1月15日"),  # a spaced-out 落款 date
        ("规 章 0 0 0", "规章0 0 0"),  # table values end the line: they stay apart
        ("规章 0 0 0 件", "规章0 0 0件"),  # after a label written close: values, not a spaced number
    ],
)
def test_letter_spaced_numbers_are_closed_up_only_among_spaced_out_chinese(line: str, want: str) -> None:
    from nianbao.plugins.text.normalize import normalise

    lines, changes, _ = normalise(line)
    assert lines[0].text == want
    removed = sorted(c.location.column for c in changes)
    kept = {i + 1 for i, ch in enumerate(line) if ch == " "} - set(removed)
    assert all(c.kind == "space" and line[c.location.column - 1] == " " for c in changes)
    assert len(kept) == want.count(" ")


def test_run_together_digits_with_several_splits_list_them_on_the_nb03(host, context) -> None:
    """The doubt says what the cells may hold: every split that satisfies the row's identities."""
    text = SEED_003.read_text("utf-8")
    row = "(六) 其他处理\t0\t0\t0\t0\t0\t0\t0\t"
    doc = _load(host, context, text.replace(row, "(六) 其他处理\t110000011"))
    (nb03,) = [d for d in doc.diagnostics if d.code == "NB03"]
    assert nb03.scope == ["t3.other_handling"]
    columns = [c.key for c in context.template("2019").tables["t3"].columns]
    readings = [[c[f"t3.other_handling.{k}"] for k in columns] for c in nb03.candidates]
    assert readings == [[1, 10, 0, 0, 0, 0, 11], [11, 0, 0, 0, 0, 0, 11]]


def test_candidates_are_the_readings_the_whole_table_allows(host, context) -> None:
    """Two rows ran together; the column identity (七) = (一) + … + (六) ties them. Row (七) alone could
    also be 1, 1, 0, 10, 0, 0, 12; only the readings of the whole table are listed, over the cells they
    leave in doubt (the others are read)."""
    text = SEED_003.read_text("utf-8")
    zeros = "\t0\t0\t0\t0\t0\t0\t0\t"
    for label, value in [
        ("(一) 予以公开", "\t0\t0\t1\t0\t0\t0\t1\t"),
        ("(六) 其他处理", "\t110000011"),
        ("(七) 总计", "\t110100012"),
    ]:
        assert text.count(label + zeros) == 1
        text = text.replace(label + zeros, label + value)
    doc = _load(host, context, text)
    doubts = {tuple(d.scope): d.candidates for d in doc.diagnostics if d.code == "NB03"}
    cells = ("natural_person", "commercial_enterprise")
    for row in ("other_handling", "result_total"):
        scope = tuple(f"t3.{row}.{c}" for c in cells)
        assert [[c[ref] for ref in scope] for c in doubts[scope]] == [[1, 10], [11, 0]]
    t3 = doc.tables["t3"]
    assert t3.rows["result_total"].cells["research_institution"].value == 1
    assert t3.rows["result_total"].cells["total"].value == 12


def test_run_together_digits_no_split_balances_list_nothing(host, context) -> None:
    text = SEED_003.read_text("utf-8")
    row = "(六) 其他处理\t0\t0\t0\t0\t0\t0\t0\t"
    # 1,2 and a total of 4: no split balances, so there is nothing to list.
    doc = _load(host, context, text.replace(row, "(六) 其他处理\t1200004"))
    (nb03,) = [d for d in doc.diagnostics if d.code == "NB03"]
    assert "没有满足" in nb03.message and nb03.candidates == []


# ---------------------------------------------------------------------------- page metadata


def test_page_metadata_labels_are_portal_metadata(host, context) -> None:
    """``标题：`` / ``来源：`` lines are the page's metadata: the title is the value, the organ carries no label."""
    text = (
        "标题：重庆市某某区应急管理局2020年政府信息公开工作年度报告\n"
        "来源：重庆市某某区人民政府办公室　文号：渝某应急〔2021〕1号\n"
        "一、总体情况\n本年度，区应急局全面落实条例。\n"
    )
    doc = _load(host, context, text)
    portal = {k: v.value for k, v in doc.meta.portal.items()}
    assert portal == {
        "标题": "重庆市某某区应急管理局2020年政府信息公开工作年度报告",
        "来源": "重庆市某某区人民政府办公室",
        "文号": "渝某应急〔2021〕1号",
    }
    assert doc.meta.title.normalised == portal["标题"]
    assert doc.meta.title.location.column == 4  # the value, after the label
    assert (doc.meta.organ, doc.meta.organ_source) == ("重庆市某某区应急管理局", "title")
