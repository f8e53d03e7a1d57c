"""What the templates (the editions of the 年度报告格式) say about themselves, for readers, rules and outputs alike."""

from __future__ import annotations

import pytest
from nianbao.host import create_host
from nianbao.plugins.assembler.matching import template_labels
from nianbao.plugins.text.labels import key
from nianbao.templates import Template, edition_markers, editions, label_key


@pytest.fixture(scope="module")
def templates() -> list[Template]:
    return create_host(entry_points=False).templates


def test_editions_come_from_the_templates(templates: list[Template]) -> None:
    assert editions(templates) == ["2019", "2021"]
    assert editions([*templates, Template({"edition": "2019"})]) == ["2019", "2021"]


def test_tables_are_named_from_their_caption_or_their_sections_number(templates: list[Template]) -> None:
    t2021 = next(t for t in templates if t.edition == "2021")
    assert (t2021.tables["t3"].display_name, t2021.tables["t3"].short_name) == ("表三", "表三")
    first = t2021.tables["t2_1"]
    assert (first.display_name, first.short_name) == ("表“第二十条第（一）项”", "第二十条第（一）项")
    assert [t.display_name for t in templates] == [
        "2019年试行格式（国办公开办函〔2019〕60号）",
        "2021年格式（国办公开办函〔2021〕30号）",
    ]


def test_one_label_normaliser(templates: list[Template]) -> None:
    assert key is label_key
    assert label_key("(二) 部分公开 （区分处理的）") == label_key("（二）部分公开（区分处理的）")
    assert label_key("**规章**") == "规章"


def test_edition_markers_are_what_the_reader_tells_editions_by(templates: list[Template]) -> None:
    markers = edition_markers(templates)
    assert template_labels(templates).markers is markers
    # 2021 split （六）其他处理 into three rows and renamed the columns of 第二十条第（一）项.
    assert label_key("本年制发件数") in markers["2021"] and label_key("本年制发件数") not in markers["2019"]
    assert label_key("本年新制作数量") in markers["2019"]
    assert not markers["2019"] & markers["2021"]
