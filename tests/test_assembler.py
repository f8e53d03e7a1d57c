"""The table assembler and the readers around it, on real reports and the shapes tools give them.

Inputs are the committed fixtures and serialisations (tests/corpus), edited the way a publisher or a
converter edits them; every test checks values, states, keys, scopes or locations.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.identities import Equation
from nianbao.lint import Linter, LintOptions
from nianbao.loading import load_document
from nianbao.plugins.assembler.doubts import is_value
from nianbao.plugins.assembler.grid import Grid, GridCell, LineSpan
from nianbao.plugins.assembler.readings import Budget, agreed, solve
from nianbao.plugins.text.normalize import Line

from .conftest import CORPUS

SERIALISED = CORPUS / "serialised"
SEED_000 = CORPUS / "000_98b392332e9fbc59.txt"
SEED_003 = CORPUS / "003_dd547b77e3c6f981.txt"
HTML_000 = CORPUS / "formats" / "000_98b392332e9fbc59.html"
HONGZE_2023 = CORPUS / "formats" / "hongze-district-2023.docx"


def _load(host, context, data: str | bytes, name: str = "report.txt"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return load_document(name, host.loaders, context, data=data)


def _values(table) -> dict[str, list[object]]:
    return {k: [c.value for c in r.cells.values()] for k, r in table.rows.items()}


# ---------------------------------------------------------------------------- grids


def _cell(text: str) -> GridCell:
    return GridCell(text, LineSpan(Line(text, 1, text)))


def test_pdf_gaps_are_placed_as_the_ruling_reads() -> None:
    """Table 四's header as a PDF table finder gives it: ``None`` where a merged cell covers."""
    leaves = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [
        [_cell("行政复议"), None, None, None, None, _cell("行政诉讼"), *[None] * 9],
        [*map(_cell, leaves), _cell("未经复议直接起诉"), *[None] * 4, _cell("复议后起诉"), *[None] * 4],
        [*[None] * 5, *map(_cell, leaves * 2)],
        [_cell("0") for _ in range(15)],
    ]
    grid = Grid.from_gaps(rows, is_value)
    covering = grid.covering()
    # Group labels run right over their leaves; the first five leaves run down over two header rows.
    assert [c.text for c in covering[1][5:10]] == ["未经复议直接起诉"] * 5
    assert [c.text for c in covering[2][:5]] == leaves
    assert covering[2][0].rowspan == 2 and covering[0][0].colspan == 5
    # A number never runs down: the value row's cells are all its own.
    assert all(c.row == 3 for c in covering[3])


# ---------------------------------------------------------------------------- markdown


def test_html2text_pipe_tables_with_cells_broken_over_lines(host, context) -> None:
    path = SERIALISED / "html2text" / "002_3dc16392cc7dc7e9.md"
    text = path.read_text("utf-8")
    assert "信息内容| 本年新  \n制作数量|" in text  # html2text broke the header cells at their <br>
    doc = load_document(str(path), host.loaders, context)
    assert _values(doc.tables["t2_1"]) == {"regulations": [0, 0, 0], "normative_documents": [0, 0, 0]}
    assert len(doc.tables["t3"].rows) == 23 and not doc.diagnostics
    cell = doc.tables["t2_5"].rows["licensing"].cells["decisions"]
    line = text.split("\n")[cell.location.line - 1]
    assert line.startswith("行政许可|") and line[cell.location.column - 1] == cell.raw == "0"


def test_ocr_markdown_caption_lines_name_the_tables(host, context) -> None:
    path = SERIALISED / "ocr-md-fragments" / "000_98b392332e9fbc59.md"
    doc = load_document(str(path), host.loaders, context)
    t2_1 = doc.tables["t2_1"]
    assert t2_1.caption == "### 第二十条第（一）项" and _values(t2_1) == {
        "regulations": [0, 0, 0],
        "normative_documents": [0, 0, 0],
    }
    assert _values(doc.tables["t2_9"]) == {"central_procurement": [7, 604.96]}
    # 表三：… names the table of section 三 (its rows are labelled 项目 / 数据1…, not by the format).
    assert doc.tables["t3"].caption == "表三：收到和处理政府信息公开申请情况"
    headings = [s.heading for s in doc.sections if s.kind != "preamble"]
    assert not [h for h in headings if h.startswith(("表", "第二十条", "#"))]


def test_ocr_fragments_are_put_back_together(host, context) -> None:
    """A table cut at a page break into two pipe tables, the second headed 数据1…数据7 and starting with
    a row whose label was lost; a label split over two rows, the first without values."""
    path = SERIALISED / "ocr-md-fragments" / "huaian-city-2024.md"
    text = path.read_text("utf-8")
    assert "|  | 746 | 12 | 0 | 0 | 10 | 1 | 769 |" in text and "| 2.申请人逾期未按收费通知要求缴纳费 |  |" in text
    doc = load_document(str(path), host.loaders, context)
    t3 = doc.tables["t3"]
    assert len(t3.rows) == 25 and all(r.known for r in t3.rows.values())
    # Between 8.属于行政查询事项 and 2.没有现成信息需要另行制作 the format has one row: the lost label's.
    assert _values(t3)["unable_not_held"] == [746, 12, 0, 0, 10, 1, 769]
    assert t3.rows["unable_not_held"].label is None
    fee = t3.rows["other_fee_unpaid"]
    assert fee.label == "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    assert _values(t3)["other_fee_unpaid"] == [6, 0, 0, 0, 0, 0, 6]
    # 表四's group labels repeated in every cell are group labels still.
    named = {h.text for h in doc.tables["t4"].header if h.column}
    assert "行政复议" not in named and "结果维持" in named
    assert not doc.diagnostics


def test_a_row_without_its_label_is_placed_only_where_the_identities_allow(host, context, tmp_path: Path) -> None:
    text = (SERIALISED / "ocr-md-fragments" / "huaian-city-2024.md").read_text("utf-8")
    # The lost row's total no longer balances its own row: placed there, T3-ROW-TOTAL would fail.
    path = tmp_path / "r.md"
    path.write_text(
        text.replace("|  | 746 | 12 | 0 | 0 | 10 | 1 | 769 |", "|  | 746 | 12 | 0 | 0 | 10 | 1 | 770 |"), "utf-8"
    )
    doc = load_document(str(path), host.loaders, context)
    assert "unable_not_held" not in doc.tables["t3"].rows
    (nb03,) = [d for d in doc.diagnostics if d.code == "NB03"]
    assert nb03.scope == ["t3.unable_not_held"] and "勾稽关系" in nb03.message
    # Two rows without labels where the format has two: in order.
    two = text.replace("| 2.没有现成信息需要另行制作 |", "|  |")
    path.write_text(two, "utf-8")
    rows = load_document(str(path), host.loaders, context).tables["t3"].rows
    assert _values_of(rows, "unable_not_held", "unable_needs_creation") == [
        [746, 12, 0, 0, 10, 1, 769],
        [11] + [0] * 5 + [11],
    ]
    # One row without a label where the format has two (the other row is missing): it cannot be told.
    one = "\n".join(x for x in text.split("\n") if not x.startswith("| 2.没有现成信息需要另行制作 |"))
    path.write_text(one, "utf-8")
    doc = load_document(str(path), host.loaders, context)
    assert not {"unable_not_held", "unable_needs_creation"} & set(doc.tables["t3"].rows)
    (nb03,) = [d for d in doc.diagnostics if d.code == "NB03"]
    assert nb03.scope == ["t3.unable_not_held", "t3.unable_needs_creation"]


def _values_of(rows, *keys: str) -> list[list[object]]:
    return [[c.value for c in rows[k].cells.values()] for k in keys]


def test_one_sub_table_per_column_group_and_labels_run_together(host, context) -> None:
    """OCR markdown: ``**行政复议**`` over a sub-table of its five columns, ``**行政诉讼**`` over one whose
    header cells run the group and the leaf together (``复议后起诉结果维持``); a header line of labels
    run together (``信息内容本年制发件数本年废止件数现行有效件数``)."""
    path = SERIALISED / "ocr-md-lines" / "huaian-city-2024.md"
    text = path.read_text("utf-8")
    assert "**行政诉讼**" in text and "| 复议后起诉结果维持 |" in text
    doc = load_document(str(path), host.loaders, context)
    assert _values(doc.tables["t4"])["cases"] == [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]
    header = [(h.text, h.column) for h in doc.tables["t4"].header]
    assert ("复议后起诉", None) in header and ("结果维持", "lit_after_review_upheld") in header
    t2_1 = [(h.text, h.column) for h in doc.tables["t2_1"].header]
    assert t2_1 == [
        ("信息内容", None),
        ("本年制发件数", "made"),
        ("本年废止件数", "repealed"),
        ("现行有效件数", "in_force"),
    ]
    result = Linter(host, LintOptions()).lint_file(str(path))
    assert not [f for f in result.findings if f.code.startswith(("TB", "AR", "NB"))]


def test_markdown_escapes_are_no_part_of_labels_or_values(host, context) -> None:
    path = SERIALISED / "mammoth-md" / "004_5ec655b7f2230a8a.md"
    assert "\\-4" in path.read_text("utf-8")
    doc = load_document(str(path), host.loaders, context)
    assert _values(doc.tables["t2_6"])["penalty"] == [226, -4, 132]


# ---------------------------------------------------------------------------- layout text


def test_layout_text_cells_apart_by_spaces_as_written(host, context) -> None:
    """inscriptis: cells apart by two or more spaces; normalisation removes the space between ``规章``
    and ``1``, the tokenizer still sees it in the line as written."""
    path = SERIALISED / "inscriptis" / "huaian-city-2024.txt"
    text = path.read_text("utf-8")
    assert "规章         1       0       11" in text
    doc = load_document(str(path), host.loaders, context)
    assert _values(doc.tables["t2_1"]) == {"regulations": [1, 0, 11], "normative_documents": [8, 26, 66]}
    cell = doc.tables["t2_1"].rows["regulations"].cells["in_force"]
    assert text.split("\n")[cell.location.line - 1][cell.location.column - 1 :].startswith("11")
    t3 = doc.tables["t3"]
    assert _values(t3)["granted"] == [1288, 21, 0, 0, 50, 3, 1362]  # after its group label on the line
    assert {h.column for h in t3.header if h.column} == {c.key for c in _spec(host, "t3").columns}
    assert not doc.diagnostics


def test_a_layout_row_is_no_heading(host, context) -> None:
    text = "三、本年度办理结果     （一）予以公开     0     0"
    doc = _load(host, context, "一、总体情况\n正文。\n" + text + "\n")
    assert [s.heading for s in doc.sections if s.heading] == ["一、总体情况"]


def test_label_then_numbers_apart_by_single_spaces(host, context) -> None:
    """OCR text: ``规章 1 0 11``, and numbers alone on a line (``72 64 178 ...``)."""
    path = SERIALISED / "ocr-md-lines" / "huaian-city-2024.md"
    doc = load_document(str(path), host.loaders, context)
    assert _values(doc.tables["t2_1"]) == {"regulations": [1, 0, 11], "normative_documents": [8, 26, 66]}
    assert _values(doc.tables["t3"])["carry_forward"] == [103, 0, 0, 0, 0, 0, 103]


def test_box_drawing_tables_with_wrapped_labels_and_vertical_group_labels(host, context) -> None:
    """w3m -dump: ``│`` borders, a group label printed one character per line beside the row labels,
    row labels wrapped over lines before and after their values, header labels one character per line."""
    path = SERIALISED / "w3m" / "huaian-city-2024.txt"
    text = path.read_text("utf-8")
    assert "│       │ 其  │ 2.申请人逾期未按收费 │" in text
    doc = load_document(str(path), host.loaders, context)
    t3 = doc.tables["t3"]
    assert _values(t3)["other_fee_unpaid"] == [6, 0, 0, 0, 0, 0, 6]
    assert _values(t3)["unable_needs_creation"] == [11, 0, 0, 0, 0, 0, 11]  # not the group label's 无
    assert all(r.known for r in t3.rows.values()) and len(t3.rows) == 25
    # The label's end, printed on the lines after the values, completes it.
    assert t3.rows["denied_three_safety_one_stability"].label == "3.危及“三安全一稳定”"
    assert (
        t3.rows["other_fee_unpaid"].label == "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )
    header = {h.column: h.text for h in t3.header if h.column}
    assert header["commercial_enterprise"] == "商业企业" and header["total"] == "总计"
    assert _values(doc.tables["t4"])["cases"][:5] == [72, 64, 178, 37, 351]
    assert not doc.diagnostics


def _spec(host, table_id: str, edition: str = "2021"):
    return next(f for f in host.templates if f.edition == edition).tables[table_id]


def test_converter_headers_that_lost_their_merges_are_read_in_order(host, context) -> None:
    """html2text/markitdown write each header row with the cells it has, so the labels stand wherever
    the row was aligned; they are tied to columns by reading them in order, not by position."""
    path = SERIALISED / "html2text" / "huaian-city-2024.md"
    assert "自然人| 法人或其他组织| 总计" in path.read_text("utf-8")
    doc = load_document(str(path), host.loaders, context)
    header = {h.text: h.column for h in doc.tables["t3"].header}
    assert header["自然人"] == "natural_person" and header["总计"] == "total" and header["其他"] == "other_org"
    assert header["法人或其他组织"] is None and header["申请人情况"] is None


def test_list_numbers_restarted_by_a_converter_and_markdown_escapes(host, context) -> None:
    """mammoth writes Word's numbered cells as lists of their own (``1. 其他法律…`` for row 2) and
    escapes literal numbers (``1\\.属于国家秘密``); neither is the report's label."""
    restarted = load_document(str(SERIALISED / "markitdown-docx" / "000_98b392332e9fbc59.md"), host.loaders, context)
    rows = restarted.tables["t3"].rows
    assert rows["denied_law_forbidden"].label == "其他法律行政法规禁止公开"
    assert rows["denied_state_secret"].label == "1. 属于国家秘密"  # its own number: kept
    escaped = load_document(str(SERIALISED / "mammoth-md" / "001_cabab7ad1985ba48.md"), host.loaders, context)
    assert escaped.tables["t3"].rows["denied_state_secret"].label == "1.属于国家秘密"
    for doc in (restarted, escaped):
        result = Linter(host, LintOptions()).lint_file(doc.source.path)
        assert not [f for f in result.findings if f.code == "TB03"]


def test_heading_numbers_lost_in_conversion_are_doubted_once(host, context) -> None:
    path = SERIALISED / "mammoth-raw" / "hongze-district-2023.txt"
    doc = load_document(str(path), host.loaders, context)
    assert [s.number for s in doc.sections if s.key] == [None] * 6
    (nb03,) = [d for d in doc.diagnostics if d.code == "NB03"]
    assert nb03.scope == ["s1", "s2", "s3", "s4", "s5", "s6"] and "自动编号" in nb03.message
    result = Linter(host, LintOptions()).lint_file(str(path))
    assert not [f for f in result.findings if f.code == "ST04"]
    # One heading without its number is the report's own slip: ST04, no doubt.
    seed = Linter(host, LintOptions()).lint_file(str(SEED_000))
    assert [f.logical.section for f in seed.findings if f.code == "ST04"] == ["s6"]


def test_control_characters_are_no_part_of_a_cell(host, context) -> None:
    """LibreOffice's HTML writes a Word content control's value between U+0004 and U+0005."""
    path = SERIALISED / "libreoffice-html" / "002_3dc16392cc7dc7e9.html"
    assert b"\x040\x05" in path.read_bytes()
    doc = load_document(str(path), host.loaders, context)
    cell = doc.tables["t2_1"].rows["regulations"].cells["made"]
    assert (cell.raw, cell.value, cell.state) == ("0", 0, "number")
    assert len(doc.tables["t4"].rows["cases"].cells) == 15


def test_a_table_nested_in_a_layout_table_and_written_on_one_line(host, context) -> None:
    """markitdown writes a table nested in a page's layout table inside the outer cell, rows and all on
    one line; the pipes separate its cells, the empty cells between two pipes say nothing."""
    path = SERIALISED / "markitdown-html" / "003_dd547b77e3c6f981.md"
    assert "| 规章 | 0 | 0 | 0 | | 规范性文件 | 0 | 0 | 0 |" in path.read_text("utf-8")
    doc = load_document(str(path), host.loaders, context)
    assert _values(doc.tables["t2_5"]) == {"licensing": [9, 8, 17], "other_services": [0, 0, 0]}
    assert len(doc.tables["t3"].rows) == 21 and len(doc.tables["t4"].rows["cases"].cells) == 15


def test_a_site_footer_is_no_part_of_the_last_section(host, context) -> None:
    path = SERIALISED / "inscriptis" / "001_cabab7ad1985ba48.txt"
    assert "网站标识码" in path.read_text("utf-8")
    doc = load_document(str(path), host.loaders, context)
    assert doc.section("s6").paragraphs == []
    result = Linter(host, LintOptions()).lint_file(str(path))
    assert [f.logical.section for f in result.findings if f.code == "ST05"] == ["s6"]


# ---------------------------------------------------------------------------- flat text


def test_a_crawler_copy_is_cut_at_the_format_labels_and_split_with_the_identities(host, context) -> None:
    """lxml text_content(): the whole page on one line, no separator anywhere. The digits of a row split
    as the identities of the whole table allow; where they allow several splits, the cells they
    disagree on are doubted, and a row no identity constrains is doubted whole."""
    path = SERIALISED / "lxml-text" / "huaian-city-2024.txt"
    text = path.read_text("utf-8")
    assert "一、本年新收政府信息公开申请数量300153006143119二、" in text and text.count("\n") <= 1
    doc = load_document(str(path), host.loaders, context)
    t3 = doc.tables["t3"]
    assert _values(t3)["new_received"] == [3001, 53, 0, 0, 61, 4, 3119]
    assert _values(t3)["result_total"] == [2932, 53, 0, 0, 61, 4, 3050]
    assert len(t3.rows) == 25 and t3.origin == "extraction"
    cell = t3.rows["new_received"].cells["total"]
    assert text[cell.location.column - 1 : cell.location.end_column - 1] == "3119"
    assert _values(doc.tables["t2_5"]) == {"licensing": [447228]}  # one column: the run is the cell
    assert _values(doc.tables["t2_8"]) == {"fees": [96171.6]}
    # 1011 for three columns: 1|0|11 or 10|1|1, and no identity says which.
    assert doc.tables["t2_1"].rows["regulations"].cells == {}
    # 复议后起诉 1211620: 12+1+1+6 = 20 and 1+2+1+16 = 20; the total 20 is the same in both.
    cases = doc.tables["t4"].rows["cases"].cells
    assert cases["lit_after_review_total"].value == 20 and "lit_after_review_upheld" not in cases
    scopes = {s for d in doc.diagnostics if d.code == "NB03" for s in d.scope}
    assert {"t2_1.regulations", "t2_1.normative_documents", "t4.cases.lit_after_review_upheld"} <= scopes
    assert "t4.cases.lit_after_review_total" not in scopes
    meta = doc.meta
    assert meta.title.normalised == "淮安市人民政府2024年政府信息公开工作年度报告" and meta.organ == "淮安市人民政府"
    assert [s.key for s in doc.sections if s.key] == ["s1", "s2", "s3", "s4", "s5", "s6"]


def test_a_one_line_page_keeps_its_signature_footer_and_a_heading_without_its_number(host, context) -> None:
    path = SERIALISED / "lxml-text" / "000_98b392332e9fbc59.txt"
    assert "增强公众对政策的理解。其他需要报告的事项无。重庆市渝北区应急管理局2021年1月18日版权所有" in path.read_text(
        "utf-8"
    )
    doc = load_document(str(path), host.loaders, context)
    s6 = doc.section("s6")
    assert (s6.number, s6.heading) == (None, "其他需要报告的事项")
    assert [p.text for p in s6.paragraphs] == ["无。"]
    assert doc.meta.signature.organ.value == "重庆市渝北区应急管理局"
    assert doc.meta.signature.date.value == "2021-01-18"
    assert doc.meta.title.normalised == "重庆市渝北区应急管理局2020年政府信息公开工作年度报告"
    # 行政处罚37-1324: the minus starts a number of the signed column, but 37|-1|324, 37|-13|24 and
    # 37|-132|4 all fit and no identity decides: doubted, never guessed.
    assert doc.tables["t2_6"].rows["penalty"].cells == {}
    assert any("t2_6.penalty" in d.scope and "37-1324" in d.message for d in doc.diagnostics)


def test_prose_naming_table_labels_is_not_cut_into_a_table(host, context) -> None:
    prose = "政府信息公开行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件。"
    text = f"某某局2024年政府信息公开工作年度报告一、总体情况{prose}四、政府信息公开行政复议、行政诉讼情况无。"
    doc = _load(host, context, text)
    assert "t4" not in doc.tables
    assert prose in doc.section("s1").paragraphs[0].text


def test_digit_runs_broken_by_stray_spaces_are_split_with_the_identities(host, context) -> None:
    path = SERIALISED / "ocr-md-lines" / "huaian-city-2024.md"
    text = path.read_text("utf-8").replace(
        "一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119",
        "一、本年新收政府信息公开申请数量 30 01 53 0 0 61 4 31 19",
    )
    doc = _load(host, context, text, "r.md")
    assert _values(doc.tables["t3"])["new_received"] == [3001, 53, 0, 0, 61, 4, 3119]
    assert not doc.diagnostics


def test_digit_splitting_is_bounded(host, context) -> None:
    """A run too long for any row, or one that splits too many ways, is doubted without a long search."""
    text = (SERIALISED / "ocr-md-lines" / "huaian-city-2024.md").read_text("utf-8")
    row = "一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119"
    assert row in text
    doc = _load(host, context, text.replace(row, "一、本年新收政府信息公开申请数量 " + "1" * 75), "r.md")
    assert doc.tables["t3"].rows["new_received"].cells == {}
    (nb03,) = [d for d in doc.diagnostics if d.scope == ["t3.new_received"]]
    assert "拆分方式过多或数字过长" in nb03.message


# ---------------------------------------------------------------------------- PDF text


PUBLISHED = CORPUS / "2021"


def test_pdf_text_rows_collected_past_a_vertical_group_label_and_a_header_block(host, context) -> None:
    """pdfminer prints a page of table 三 as its thirteen row labels, the group label 三、本年度办理结果
    one character per line, the header block, then seven columns of thirteen values."""
    path = PUBLISHED / "huaian-city-2024.txt"
    lines = path.read_text("utf-8").split("\n")
    assert lines[225:238:2] == ["本", "年", "度", "办", "理", "结", "果"] and lines[263] == "3001"
    doc = load_document(str(path), host.loaders, context)
    t3 = doc.tables["t3"]
    assert _values(t3)["granted"] == [1288, 21, 0, 0, 50, 3, 1362]
    assert _values(t3)["unable_not_held"] == [746, 12, 0, 0, 10, 1, 769]
    assert not [d for d in doc.diagnostics if any(s.startswith("t3") for s in d.scope)]


def test_pdf_text_column_order_from_the_identities_of_the_whole_table(host, context) -> None:
    """On page 3 of this report pdfminer gives the 总计 column before 其他. Moving one column elsewhere,
    the identities within the page's rows allow several orders (自然人 and 总计 hold the same values, so
    either could be the one moved). The columns' sums over both pages (the results adding up to
    （七）总计 on page 4, 一+二 = 三+四) leave one: 自然人 holds the values, the other applicants 0."""
    doc = load_document(str(PUBLISHED / "hongze-district-2023.txt"), host.loaders, context)
    t3 = doc.tables["t3"]
    assert _values(t3)["new_received"] == [21, 0, 0, 0, 0, 0, 21]
    assert _values(t3)["partially_granted"] == [4, 0, 0, 0, 0, 0, 4]
    assert not [d for d in doc.diagnostics if any(s.startswith("t3") for s in d.scope)]


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("0\n3\n\n0\n0\n\n0\n8", True),  # pdfminer: each column a text box of two stacked lines
        ("0\n0\n0\n\n3\n0\n8", True),  # the same values a row per block of lines
        ("0\n\n3\n\n0\n\n0\n\n0\n\n8", False),  # a box per value: rows or columns, the text cannot say
    ],
)
def test_values_by_rows_or_columns_as_the_blocks_of_lines_tell(host, context, printed: str, read: bool) -> None:
    """Table 第二十条第（一）项 of this pdfminer text: six values under two row labels, which no identity
    places. Lines with no blank line between them are one text box, stacked, so one column (or, in
    blocks as long as a row, one row)."""
    text = (SERIALISED / "pdfminer" / "hongze-district-2024.txt").read_text("utf-8")
    assert text.count("0\n3\n\n0\n0\n\n0\n8\n") == 1
    doc = _load(host, context, text.replace("0\n3\n\n0\n0\n\n0\n8\n", printed + "\n"))
    scopes = {s for d in doc.diagnostics if d.code == "NB03" for s in d.scope}
    if read:
        assert _values(doc.tables["t2_1"]) == {"regulations": [0, 0, 0], "normative_documents": [3, 0, 8]}
        assert not {"t2_1.regulations", "t2_1.normative_documents"} & scopes
    else:
        assert not any(r.cells for r in doc.tables["t2_1"].rows.values())
        assert {"t2_1.regulations", "t2_1.normative_documents"} <= scopes


def test_an_open_column_order_is_settled_only_where_every_balanced_reading_agrees() -> None:
    """Two rows given column by column, two orders of their blocks allowed by the rows' own identities
    (``a`` + ``b`` = ``t``): a column sum over a row elsewhere decides it; without one, the cells the
    orders disagree on stay open and only those both give alike are agreed."""
    rows_total = [Equation("row", ((r, "a"), (r, "b")), ((r, "t"),)) for r in ("x", "y")]
    by_column = [Equation("column", (("x", c), ("y", c)), (("sum", c),)) for c in ("a", "b")]
    printed = {("x", "a"): 5, ("x", "b"): 0, ("x", "t"): 5, ("y", "a"): 2, ("y", "b"): 0, ("y", "t"): 2}
    moved = {("x", "a"): 0, ("x", "b"): 5, ("x", "t"): 5, ("y", "a"): 0, ("y", "b"): 2, ("y", "t"): 2}
    choices = {"order": [printed, moved]}
    sums = {("sum", "a"): 7, ("sum", "b"): 0}
    readings = solve(choices, sums, rows_total + by_column, Budget(1000))
    assert readings is not None and agreed(readings) == printed
    readings = solve(choices, {}, rows_total + by_column, Budget(1000))
    assert readings is not None and agreed(readings) == {("x", "t"): 5, ("y", "t"): 2}
    assert solve(choices, {("sum", "a"): 6, ("sum", "b"): 0}, rows_total + by_column, Budget(1000)) is None


def _scopes(doc) -> set[str]:
    return {s for d in doc.diagnostics if d.code == "NB03" for s in d.scope}


def test_values_after_a_later_caption_go_to_the_one_table_their_header_and_count_fit(host, context) -> None:
    """pdfminer prints 第二十条第（五）/（六）项's values after the next caption, each run right after the
    header label 本年处理决定数量 that both tables have: one value fits only （五） (one row), two only
    （六） (two rows). Given back, they leave the table that held them as an unknown row."""
    text = (PUBLISHED / "huaian-city-2024.txt").read_text("utf-8")
    assert text.index("447228") < text.index("行政处罚") < text.index("第二十条 第（八）项") < text.index("3985758")
    doc = _load(host, context, text)
    assert _values(doc.tables["t2_5"]) == {"licensing": [447228]}
    assert _values(doc.tables["t2_6"]) == {"penalty": [3985758], "coercion": [88283]}
    assert not {s for s in _scopes(doc) if s.startswith(("t2_5", "t2_6"))}
    # Three values under the label: no table has three cells there, so they stay unplaced and doubted.
    doc = _load(host, context, text.replace("3985758\n\n88283", "3985758\n\n88283\n\n7"))
    assert not any(r.cells for r in doc.tables["t2_6"].rows.values() if r.known)
    assert {"t2_6.penalty", "t2_6.coercion"} <= _scopes(doc) or "t2_6" in _scopes(doc)


def test_values_in_the_next_section_and_one_column_under_its_header_label(host, context) -> None:
    """pdfminer puts 第二十条第（六）/（八）项's values inside section 三, under their header labels, and
    （一）项's first column under its own label (``本年制`` / ``发件数`` / ``1`` / ``8``): two values under
    a column of a two-row table are that column's. Two runs that fit the same table place neither."""
    doc = load_document(str(SERIALISED / "pdfminer" / "hongze-district-2023.txt"), host.loaders, context)
    assert _values(doc.tables["t2_6"]) == {"penalty": [4119], "coercion": [195]}
    assert _values(doc.tables["t2_8"]) == {"fees": [7730.28]}
    assert all(r.label not in ("本年处理决定数量", "位：万元）") for r in doc.tables["t3"].rows.values())
    doc = load_document(str(SERIALISED / "pdfminer" / "huaian-city-2024.txt"), host.loaders, context)
    assert _values(doc.tables["t2_1"]) == {"regulations": [1], "normative_documents": [8]}
    assert {f"t2_1.{r}.{c}" for r in ("regulations", "normative_documents") for c in ("repealed", "in_force")} <= (
        _scopes(doc)
    )
    doc = load_document(str(SERIALISED / "pdfminer" / "t3_over_pages.txt"), host.loaders, context)
    assert not any(r.cells for r in doc.tables["t2_5"].rows.values() if r.known)
    assert "t2_5.licensing" in _scopes(doc)


def test_pdf_text_row_labels_out_of_place_are_doubted_not_missing(host, context) -> None:
    """pdfminer puts table 第二十条第（六）项's row labels before its caption and its values elsewhere."""
    path = SERIALISED / "pdfminer" / "t3_over_pages.txt"
    doc = load_document(str(path), host.loaders, context)
    t2_6 = doc.tables["t2_6"]
    known = {k: r for k, r in t2_6.rows.items() if r.known}
    assert set(known) == {"penalty", "coercion"} and not any(r.cells for r in known.values())
    scopes = {s for d in doc.diagnostics if d.code == "NB03" for s in d.scope}
    assert {"t2_6.penalty", "t2_6.coercion"} <= scopes
    result = Linter(host, LintOptions()).lint_file(str(path))
    assert not [f for f in result.findings if f.code == "TB02" and f.logical.table == "t2_6"]


# ---------------------------------------------------------------------------- sections


def test_a_one_line_crawler_page_has_its_sections(host, context) -> None:
    path = SERIALISED / "lxml-text" / "001_cabab7ad1985ba48.txt"
    text = path.read_text("utf-8")
    assert text.count("\n") <= 1
    doc = load_document(str(path), host.loaders, context)
    keys = [s.key for s in doc.sections if s.kind == "statutory"]
    assert keys == ["s1", "s2", "s3", "s4", "s5", "s6"]
    s3 = doc.section("s3")
    assert s3.heading == "三、收到和处理政府信息公开申请情况"
    assert text[s3.location.column - 1 : s3.location.end_column - 1] == s3.heading  # located in the one line
    assert doc.section("s1").paragraphs[0].text.startswith("2020年，区人民防空办认真贯彻落实")


def test_markdown_headings_captions_row_labels_and_sub_headings(host, context) -> None:
    text = SEED_000.read_text("utf-8")
    text = text.replace("二、主动公开政府信息情况\n", "## 二、主动公开政府信息情况\n\n（一）主动公开政府信息情况\n", 1)
    text = text.replace(
        "三、收到和处理政府信息公开申请情况\n",
        "三、收到和处理政府信息公开申请情况\n\n表三：收到和处理政府信息公开申请情况\n",
        1,
    )
    doc = _load(host, context, text)
    statutory = [(s.key, s.heading) for s in doc.sections if s.kind == "statutory"]
    assert statutory[1] == ("s2", "二、主动公开政府信息情况")
    assert [k for k, _ in statutory] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert not [s for s in doc.sections if s.kind == "unknown"]
    assert doc.section("s2").location.column == 4  # after the marks
    assert len(doc.tables["t3"].rows) == 23


def test_a_heading_glued_to_the_sentence_before_it(host, context) -> None:
    text = SEED_000.read_text("utf-8")
    before = "稳步推进平台建设。"
    i = text.index("二、主动公开政府信息情况")
    glued = text[:i].rstrip("\n ") + "二、主动公开政府信息情况" + text[i + len("二、主动公开政府信息情况") :]
    doc = _load(host, context, glued)
    assert [s.key for s in doc.sections if s.kind == "statutory"] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert doc.section("s1").paragraphs and before[:4] in "".join(p.text for p in doc.section("s1").paragraphs)
    assert len(doc.tables["t2_1"].rows) == 2


# ---------------------------------------------------------------------------- blank cells


def test_html_trailing_nbsp_cells_and_a_blank_row_stay_in_place(host, context, tmp_path: Path) -> None:
    page = HTML_000.read_text("utf-8")
    row = '<tr><td>规章</td><td style="text-align:center">0</td><td style="text-align:center">0</td><td style="text-align:center">0</td></tr>'
    assert row in page
    page = page.replace(row, "<tr><td>规章</td><td>3</td><td>&nbsp;</td><td>&nbsp;</td></tr>")
    blank_row = '<tr><td>行政强制</td><td style="text-align:center">0</td><td style="text-align:center">0</td><td style="text-align:center">0</td></tr>'
    page = page.replace(blank_row, "<tr><td>行政强制</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td></tr>")
    path = tmp_path / "r.html"
    path.write_text(page, "utf-8")
    doc = load_document(str(path), host.loaders, context)
    regs = doc.tables["t2_1"].rows["regulations"].cells
    assert [(c.value, c.state) for c in regs.values()] == [(3, "number"), (None, "blank"), (None, "blank")]
    assert _values(doc.tables["t2_1"])["normative_documents"] == [0, 0, 0]  # the next row is not shifted
    coercion = doc.tables["t2_6"].rows["coercion"].cells
    assert [c.state for c in coercion.values()] == ["blank"] * 3
    assert _values(doc.tables["t2_6"])["penalty"] == [37, -13, 24]


def test_rows_indented_by_two_tabs_and_a_blank_last_cell(host, context) -> None:
    text = SEED_003.read_text("utf-8")
    row = "1. 属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n"
    assert row in text and "\n\t\t2. 其他法律行政法规 禁止公开\t" in text  # rows under a merged cell: two tabs
    doc = _load(host, context, text.replace(row, "1. 属于国家秘密\t0\t0\t0\t0\t0\t0\t\n"))
    t3 = doc.tables["t3"]
    assert [c.state for c in t3.rows["denied_state_secret"].cells.values()] == ["number"] * 6 + ["blank"]
    assert _values(t3)["denied_law_forbidden"] == [0] * 7
    assert not doc.diagnostics


def test_blank_zero_slash_dash_and_none_are_told_apart(host, context) -> None:
    text = SEED_003.read_text("utf-8")
    row = "(六) 其他处理\t0\t0\t0\t0\t0\t0\t0\t"
    doc = _load(host, context, text.replace(row, "(六) 其他处理\t\t0\t/\t—\t无\t0\t0\t"))
    cells = doc.tables["t3"].rows["other_handling"].cells
    assert [(c.raw, c.state) for c in cells.values()] == [
        ("", "blank"),
        ("0", "number"),
        ("/", "slash"),
        ("—", "dash"),
        ("无", "text"),
        ("0", "number"),
        ("0", "number"),
    ]


# ---------------------------------------------------------------------------- 2019 row in a 2021 table


def test_a_2019_style_row_in_a_2021_table_keeps_the_2019_key(host) -> None:
    doc = load_document(str(HONGZE_2023), host.loaders, _context(host))
    t3 = doc.tables["t3"]
    assert doc.meta.edition.value == "2021"
    row = t3.rows["other_handling"]
    assert row.known and row.label.startswith("（六）其他处理") and len(row.cells) == 7
    assert not [r for r in t3.rows.values() if not r.known]
    (result,) = Linter(host, LintOptions()).run([str(HONGZE_2023)]).results
    codes = [f.code for f in result.findings]
    assert codes.count("ST07") == 1 and "TB02" not in codes


def _context(host):
    from nianbao.loading import LoadContext

    return LoadContext(templates=host.templates)


# ---------------------------------------------------------------------------- doubts


def test_nb03_names_the_rows_it_doubts_and_tb02_leaves_them_alone(host, context, tmp_path: Path) -> None:
    text = SEED_000.read_text("utf-8")
    start = text.index("三、收到和处理政府信息公开申请情况")
    end = text.index("四、政府信息公开行政复议、行政诉讼情况")
    # Two rows whose numbers balance read by rows and by columns: the reader cannot tell.
    block = (
        "三、收到和处理政府信息公开申请情况\n\n申请人情况\n自然人\n总计\n"
        "一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n"
        + "\n".join("0 0 0 0 0 1 1 0 0 1 0 0 1 2".split())
        + "\n\n"
    )
    path = tmp_path / "r.txt"
    path.write_text(text[:start] + block + text[end:], "utf-8")
    doc = load_document(str(path), host.loaders, context)
    (nb03,) = [d for d in doc.diagnostics if d.code == "NB03"]
    assert nb03.scope == ["t3.new_received", "t3.carried_over"]
    assert "请对照原件核对" in nb03.message
    (result,) = Linter(host, LintOptions()).run([str(path)]).results
    rows = {f.logical.row for f in result.findings if f.code == "TB02"}
    assert rows and not rows & {"new_received", "carried_over"}


@pytest.mark.parametrize("name", ["t3_over_pages.pdf", "t3_over_pages_2019_row.pdf"])
def test_table_over_pages_with_wrapped_labels_lints_clean_of_table_findings(host, name) -> None:
    (result,) = Linter(host, LintOptions()).run([str(CORPUS / "pdf" / name)]).results
    assert not [f.code for f in result.findings if f.code.startswith(("TB", "NB", "AR"))]


# ---------------------------------------------------------------------------- group labels


_GROUPS_2019 = ["results", "denied", "unable", "not_processed"]


@pytest.mark.parametrize("path", [HTML_000, CORPUS / "formats" / "000_98b392332e9fbc59.docx", SEED_000])
def test_group_labels_are_recorded_as_printed(path, host, context) -> None:
    """Grid (HTML, Word) and text readers alike keep the group rows' labels, which carry no cells."""
    doc = load_document(str(path), host.loaders, context)
    t3 = doc.tables["t3"]
    assert [(g.row, g.text) for g in t3.groups] == [
        ("results", "三、本年度办理结果"),
        ("denied", "（三）不予公开"),
        ("unable", "（四）无法提供"),
        ("not_processed", "（五）不予处理"),
    ]
    assert not set(_GROUPS_2019) & set(t3.rows)  # still no rows of their own


def test_a_group_label_misspelt_in_a_grid_is_placed_by_the_layout(host, context) -> None:
    """In a grid the cell beside the rows is their group label whatever it says (here too far from the
    format's words to be recognised by them)."""
    html = HTML_000.read_text("utf-8")
    assert html.count("三、本年度办理结果") == 1
    doc = _load(host, context, html.replace("三、本年度办理结果", "三、本年度办件情况"), "report.html")
    assert [(g.row, g.text) for g in doc.tables["t3"].groups][0] == ("results", "三、本年度办件情况")
    assert doc.tables["t3"].rows["granted"].cells["total"].value == 0


def test_a_vertical_group_label_one_character_per_line(host, context) -> None:
    """``三`` ``、`` ``本`` … each on a line of its own (a vertical merged cell as PDF text gives it) is one
    label, located from its first character to its last; the rows around it are read as before."""
    text = SEED_000.read_text("utf-8")
    label = "\t三、本年度办理结果\n"
    assert text.count(label) == 1
    doc = _load(host, context, text.replace(label, "".join(f"\t{c}\n" for c in label.strip())))
    t3 = doc.tables["t3"]
    group = t3.groups[0]
    assert (group.row, group.text) == ("results", "三、本年度办理结果")
    assert group.location.end_line - group.location.line == 8
    assert {"new_received", "carried_over", "granted"} <= set(t3.rows)
    assert not [d for d in doc.diagnostics if d.code == "NB03"]


@pytest.mark.parametrize(
    "path",
    [
        SERIALISED / "ocr-md-fragments" / "000_98b392332e9fbc59.md",  # run into the first row's label
        SERIALISED / "w3m" / "000_98b392332e9fbc59.txt",  # a column of its own, broken over lines
        SERIALISED / "pdfminer" / "hongze-district-2023.txt",  # column-major PDF text
    ],
    ids=["ocr-md-fragments", "w3m", "pdfminer"],
)
def test_group_labels_are_recorded_whatever_the_serialisation(path, host, context) -> None:
    """A group label is recorded from where each serialisation puts it, as printed and located there."""
    doc = load_document(str(path), host.loaders, context)
    groups = {g.row: g for g in doc.tables["t3"].groups}
    assert groups["results"].text == "三、本年度办理结果"
    assert groups["denied"].text == "（三）不予公开"
    lines = path.read_text("utf-8").split("\n")  # pdfminer's page breaks (\f) end no line
    for group in groups.values():
        where = group.location
        assert where.line is not None and where.end_line is not None
        printed = "".join(lines[n - 1] for n in range(where.line, where.end_line + 1))
        assert all(ch in printed for ch in group.text)


def test_group_label_pieces_between_row_labels(host, context) -> None:
    """``(三)`` ``不予`` ``公开`` on lines of their own above ``1.属于国家秘密`` (seed 004's text): the
    pieces read past between two row labels together give the group's label, recorded as printed."""
    doc = load_document(str(CORPUS / "004_5ec655b7f2230a8a.txt"), host.loaders, context)
    assert [(g.row, g.text) for g in doc.tables["t3"].groups] == [
        ("denied", "(三)不予公开"),
        ("unable", "(四)无法提供"),
        ("not_processed", "(五)不予处理"),
    ]


def test_a_header_line_of_labels_run_together_is_the_tables_header(host, context) -> None:
    """OCR text prints table 三's header as one line (``申请人情况自然人…总计``) before its corner note: it
    starts the table and names its columns, so TB03 has a header to compare and does not report it missing."""
    path = SERIALISED / "ocr-md-lines" / "huaian-city-2024.md"
    doc = load_document(str(path), host.loaders, context)
    t3 = doc.tables["t3"]
    assert {h.column for h in t3.header if h.column} == {c.key for c in context.template("2021").tables["t3"].columns}
    assert path.read_text("utf-8").splitlines()[t3.location.line - 1].startswith("申请人情况自然人")
    result = Linter(host, LintOptions()).lint_file(str(path))
    assert not [f for f in result.findings if f.code == "TB03"]


def test_a_row_label_in_four_pieces_is_read_whole(host, context) -> None:
    """A narrow label column breaks ``1.本机关不掌握相关政府信息`` over four lines; the pieces that give the
    format's label exactly are its label, not only the last three (which TB03 would report as a tail)."""
    doc = load_document(str(CORPUS / "pdf" / "horizontal_rules.pdf"), host.loaders, context)
    rows = doc.tables["t3"].rows
    assert rows["unable_not_held"].label == "1.本机关不掌握相关政府信息"
    assert rows["unable_needs_creation"].label == "2.没有现成信息需要另行制作"
    assert rows["unable_not_held"].cells["total"].value == 0


def test_a_header_read_from_row_label_pieces_is_not_reported_as_replaced(host) -> None:
    """Pages stored sideways: the reader takes pieces of row labels (``法提供``) for table 三's header.
    That says nothing of the header printed; TB03 does not report it as replaced."""
    result = Linter(host, LintOptions()).lint_file(str(CORPUS / "pdf" / "rotated.pdf"))
    assert not [f for f in result.findings if f.code == "TB03" and "不是格式规定的栏目" in f.message]
