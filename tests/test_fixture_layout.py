"""The writer-neutral layout the fixture builders draw from (tests/make_fixtures/layout.py)."""

from __future__ import annotations

import pytest

from .conftest import CORPUS, SEEDS
from .make_fixtures.layout import HeadingBlock, TableBlock, TextBlock, build_layout, split_number
from .make_fixtures.truth_layout import corpus_2021, layout_from_truth
from .truth import load_truth, truth_cells, truth_format, truth_path


@pytest.fixture(scope="module")
def layout_000(context):
    return build_layout(SEEDS[0], context)


def _table(layout, table_id: str) -> TableBlock:
    return next(t for t in layout.tables() if t.id == table_id)


def test_t3_header_is_drawn_as_the_national_format(layout_000) -> None:
    grid = _table(layout_000, "t3").grid()
    corner = grid[0][0]
    assert corner.role == "corner" and (corner.rowspan, corner.colspan) == (3, 3)
    assert corner.text.startswith("（本列数据的勾稽关系")
    assert (grid[0][3].text, grid[0][3].colspan) == ("申请人情况", 7)
    assert (grid[1][3].text, grid[1][3].rowspan, grid[1][3].column) == ("自然人", 2, "natural_person")
    assert (grid[1][4].text, grid[1][4].colspan) == ("法人或其他组织", 5)
    assert grid[1][9].text == "总计" and grid[1][9].rowspan == 2
    assert [c.text for c in grid[2][4:9]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert grid[2][3] is None and grid[2][9] is None  # covered by the row-spanning leaves


def test_t3_row_groups_are_vertical_labels(layout_000) -> None:
    table = _table(layout_000, "t3")
    grid = table.grid()
    first_data = table.header_rows
    assert grid[first_data][0].text == "一、本年新收政府信息公开申请数量"
    assert grid[first_data][0].colspan == 3
    group = grid[first_data + 2][0]
    # 三、本年度办理结果 spans its 19 leaves and （七）总计 in the 2019 format.
    assert (group.text, group.role, group.rowspan) == ("三、本年度办理结果", "group", 20)
    denied = grid[first_data + 4][1]
    assert (denied.text, denied.rowspan) == ("（三）不予公开", 8)
    assert grid[first_data + 4][2].text == "1.属于国家秘密" and grid[first_data + 4][2].number == "1."
    assert table.n_rows == first_data + 23 and table.n_cols == 10


def test_values_are_the_text_loaders_raw_cells(layout_000, host, context) -> None:
    from nianbao.loading import load_document

    doc = load_document(str(SEEDS[0]), host.loaders, context)
    for table in layout_000.tables():
        got = {(c.row_key, c.column): c.text for c in table.cells if c.role == "value"}
        want = {(r, k): cell.raw for r, row in doc.tables[table.id].rows.items() for k, cell in row.cells.items()}
        assert got == want, table.id
    assert _table(layout_000, "t2_9").covering()[2][2].text == "604.96万元"


def test_every_grid_position_is_covered_once() -> None:
    for seed in SEEDS:
        for table in build_layout(seed).tables():
            covering = table.covering()
            assert all(cell is not None for row in covering for cell in row), (seed.stem, table.id)
            area = sum(c.rowspan * c.colspan for c in table.cells)
            assert area == table.n_rows * table.n_cols, (seed.stem, table.id)


def test_blocks_follow_the_seed_order(layout_000) -> None:
    kinds = [type(b).__name__ for b in layout_000.blocks]
    assert kinds[:3] == ["TextBlock", "TextBlock", "HeadingBlock"]
    title = [b.text for b in layout_000.blocks if isinstance(b, TextBlock) and b.kind == "title"]
    assert title == ["重庆市渝北区应急管理局", "2020年政府信息公开工作年度报告"]
    headings = [b for b in layout_000.blocks if isinstance(b, HeadingBlock)]
    assert [(h.key, h.number, h.ordinal) for h in headings][-1] == ("s6", None, None)  # written without 六、
    assert [b.text for b in layout_000.blocks[-2:]] == ["重庆市渝北区应急管理局", "2021年1月18日"]
    assert layout_000.meta["signature_date_iso"] == "2021-01-18"
    lines = [b.line for b in layout_000.blocks]
    assert lines == sorted(lines)


def test_lost_rows_stay_lost() -> None:
    layout = build_layout(SEEDS[3])  # seed 003 lost t3 rows 一/二 and both t2_6 rows
    assert [t.id for t in layout.tables()] == ["t2_1", "t2_5", "t2_6", "t3", "t4"]
    t2_6 = _table(layout, "t2_6")
    assert not [c for c in t2_6.cells if c.role == "value"]
    t3 = _table(layout, "t3")
    rows = {c.row_key for c in t3.cells if c.role == "label"}
    assert "new_received" not in rows and "granted" in rows


def test_split_number() -> None:
    assert split_number("一、本年新收政府信息公开申请数量") == ("一、", "本年新收政府信息公开申请数量")
    assert split_number("（三）不予公开") == ("（三）", "不予公开")
    assert split_number("行政许可") == (None, "行政许可")


def test_2021_layouts_draw_every_truth_cell(host) -> None:
    for text in corpus_2021():
        layout = layout_from_truth(text, host.templates)
        truth = load_truth(truth_path(text.stem))
        want = {ref: str(value) for ref, value in truth_cells(truth, truth_format(truth, host.templates)).items()}
        got = {f"{t.id}.{c.row_key}.{c.column}": c.text for t in layout.tables() for c in t.cells if c.role == "value"}
        assert got == want, text.stem
        for table in layout.tables():
            assert sum(c.rowspan * c.colspan for c in table.cells) == table.n_rows * table.n_cols, (text.stem, table.id)


def test_a_2019_style_row_in_a_2021_table_is_drawn_as_a_row(host) -> None:
    layout = layout_from_truth(CORPUS / "2021" / "hongze-district-2023.txt", host.templates)
    t3 = _table(layout, "t3")
    label = next(c for c in t3.cells if c.role == "label" and c.row_key == "other_handling")
    assert (label.text, label.col, label.colspan) == ("（六）其他处理", 1, 2)
    group = next(c for c in t3.cells if c.role == "group" and c.row_key == "results")
    assert group.rowspan == 20  # 18 leaves of （一）-（五）, the single （六） row and （七）总计


def test_2021_prose_is_joined_into_paragraphs(host) -> None:
    layout = layout_from_truth(CORPUS / "2021" / "hongze-district-2023.txt", host.templates)
    texts = [b.text for b in layout.blocks if isinstance(b, TextBlock)]
    assert texts[:2] == ["洪泽区人民政府", "2023年政府信息公开工作年度报告"]
    assert "我区在政府网站平台主动公开政府信息1136条。" in next(t for t in texts if t.startswith("（一）主动公开情况"))
    assert not [t for t in texts if t.startswith("- ")]  # page numbers dropped
