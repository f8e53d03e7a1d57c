"""The PDF loader on the committed PDF fixtures and on broken, hostile and scanned PDFs.

Table values, sections and metadata against the text seeds are checked by test_format_parity.py;
here: locations, tables broken by a page, page furniture, and every way a PDF can be refused.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import yaml
from nianbao.loading import InputError, load_document
from nianbao.plugins.assembler import template_labels
from nianbao.plugins.pdf.bombs import check_decoded_size
from nianbao.plugins.pdf.grids import find_tables, holds_table, is_furniture, join_wrapped
from nianbao.plugins.pdf.pages import PageText, TextLine, open_pdf, read_pages
from nianbao.plugins.text.labels import key

from .conftest import CORPUS
from .make_fixtures.cases_build import CASE_FOLDERS, case_pdf
from .pdf_source import one_page_pdf

FORMATS = CORPUS / "formats"
HOSTILE = CORPUS / "hostile"
PDF_000 = FORMATS / "000_98b392332e9fbc59.pdf"
PDF_001 = FORMATS / "001_cabab7ad1985ba48.pdf"


def _load(host, context, path: Path, data: bytes | None = None):
    return load_document(str(path), host.loaders, context, data=data)


def _page_lines(path: Path, page: int) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path.read_bytes())
    text = pdf[page - 1].get_textpage().get_text_range()
    return [line.rstrip("\r") for line in text.split("\n")]


@pytest.fixture(scope="module")
def doc_000(host, context):
    return _load(host, context, PDF_000)


# ---------------------------------------------------------------------------- locations


def test_paragraph_location_is_a_page_and_a_line_holding_its_text(doc_000) -> None:
    s1 = doc_000.section("s1")
    loc = s1.location
    assert (loc.page, loc.line) == (1, 3)
    assert _page_lines(PDF_000, loc.page)[loc.line - 1] == loc.text == "一、 总体情况"  # as extracted
    assert s1.heading == "一、总体情况"
    para = next(p.location for p in s1.paragraphs if "\n" in p.location.text)  # wrapped over lines
    lines = _page_lines(PDF_000, para.page)
    assert para.text.split("\n") == lines[para.line - 1 : para.end_line]


def test_signature_location_points_at_the_last_page(doc_000) -> None:
    sig = doc_000.meta.signature
    assert sig.date.value == "2021-01-18"
    loc = sig.date.location
    assert _page_lines(PDF_000, loc.page)[loc.line - 1].replace(" ", "") == "2021年1月18日"


def test_cell_location_is_page_table_row_cell_with_the_cell_text(doc_000) -> None:
    cell = doc_000.tables["t2_5"].rows["licensing"].cells["items_last_year"]
    assert (cell.value, cell.raw) == (253, "253")
    loc = cell.location
    assert loc.line is None and loc.column is None
    assert loc.text == "253"
    assert (loc.page, loc.table, loc.cell) == (1, 1, 2)
    row = doc_000.tables["t2_5"].rows["licensing"].location
    assert row.text == "行政许可" and (row.row, row.cell) == (loc.row, 1)


def test_table_broken_across_pages_is_one_table(doc_000) -> None:
    t3 = doc_000.tables["t3"]
    pages = {row.location.page for row in t3.rows.values() if row.location}
    assert len(pages) >= 3  # the fixture's 申请 table runs over three pages
    assert {row.location.table for row in t3.rows.values() if row.location} == {2}
    rows = [row.location.row for row in t3.rows.values() if row.location]
    assert rows == sorted(rows) and len(set(rows)) == len(rows)  # numbered through the whole table
    assert len(t3.rows) == 23 and not doc_000.diagnostics


def _case_pdf(code: str, name: str, member: int | None = None) -> bytes:
    """The committed PDF of a rule case (tests/corpus/cases), or of one of its ``members``."""
    path = next(p for folder in CASE_FOLDERS if (p := folder / f"{code}.yaml").exists())
    spec = yaml.safe_load(path.read_text("utf-8"))
    case = next(c for c in spec["cases"] if c["name"] == name)
    if member is None:
        data = case_pdf(code, name, case["text"])
    else:
        data = case_pdf(code, f"{name} / member{member}", case["members"][member - 1])
    assert isinstance(data, bytes), data
    return data


_OVER_PAGES = ("CN01", "outcome counts in the prose, one differing from the sum of its rows")


def _parts(host, data: bytes, numbers: list[int], follow: bool = True) -> dict[int, list[tuple[int, int]]]:
    """Page -> (table, first row) of each table part the finder gives, searching only ``numbers``."""
    pages = read_pages(open_pdf(data))
    found = find_tables(data, pages, numbers, template_labels(host.templates).printed, follow=follow)
    return {n: [(p.table, p.first_row) for p in parts] for n, parts in found.parts.items()}


def test_a_table_running_to_the_foot_of_a_page_is_looked_for_on_the_next(host) -> None:
    """Searched from page 1 alone, table three is followed over the three pages LibreOffice put it on:
    each page's table runs to the foot of its page, so the next page's top is its continuation."""
    data = _case_pdf(*_OVER_PAGES)
    assert _parts(host, data, [1], follow=False) == {1: [(1, 1)]}
    assert _parts(host, data, [1]) == {1: [(1, 1)], 2: [(1, 12)], 3: [(1, 24)]}


def test_rows_on_the_pages_after_a_table_three_begins_are_its_rows(host, context) -> None:
    doc = _load(host, context, Path("case.pdf"), _case_pdf(*_OVER_PAGES))
    t3 = doc.tables["t3"]
    assert len(t3.rows) == 25 and not [d for d in doc.diagnostics if d.code == "NB03"]
    where = {key: (row.location.page, row.location.table) for key, row in t3.rows.items() if row.location}
    assert where["new_received"] == (1, 1) and where["unable_not_held"] == (2, 1) and where["result_total"] == (3, 1)
    assert t3.rows["unable_not_held"].cells["total"].value == 3
    assert t3.rows["result_total"].cells["natural_person"].value == 20


def _with_running_lines(data: bytes, text: str) -> bytes:
    """``data`` with ``text`` printed as a running header and footer at the same place on every page."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(data)
    wide = (text + "\0").encode("utf-16-le")
    for page in pdf:
        for y in (page.get_height() - 40, 30):
            obj = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(9))
            raw.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(wide), ctypes.POINTER(ctypes.c_ushort)))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 60, y)
            raw.FPDFPage_InsertObject(page.raw, obj)
        assert raw.FPDFPage_GenerateContent(page.raw)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def test_a_running_header_and_footer_do_not_cut_a_table_broken_by_a_page(host, context) -> None:
    data = _with_running_lines(_case_pdf(*_OVER_PAGES), "Annual Report 2023")
    assert all("Annual Report 2023" in [line.text for line in page.lines] for page in read_pages(open_pdf(data)))
    assert _parts(host, data, [1, 2, 3]) == {1: [(1, 1)], 2: [(1, 12)], 3: [(1, 24)]}
    t3 = _load(host, context, Path("case.pdf"), data).tables["t3"]
    assert len(t3.rows) == 25 and {row.location.table for row in t3.rows.values() if row.location} == {1}


def test_page_numbers_and_continuation_captions_are_furniture() -> None:
    for text in ("- 3 -", "第 2 页 共 9 页", "续表", "（续表）", "表三（续）", "续上表"):
        assert is_furniture(text), text
    for text in ("续表三的说明见下文", "三、收到和处理政府信息公开申请情况", "2023 年", ""):
        assert not is_furniture(text), text


@pytest.mark.parametrize("member", [None, 1])
def test_a_table_three_of_one_row_is_found(host, context, member) -> None:
    """One row, one label: in the aggregate its label and values are a line; in the member's PDF the label
    wraps and each value is a line of its own, at one height."""
    data = _case_pdf("XY04", "aggregate is less than its departments' sum", member)
    doc = _load(host, context, Path("case.pdf"), data)
    want = 4 if member is None else 2
    cells = doc.tables["t3"].rows["new_received"].cells
    assert [c.value for c in cells.values()] == [want, 0, 0, 0, 0, 0, want]


def test_a_line_ending_in_a_hyphen_stays_a_line_of_its_own() -> None:
    """PDFium joins the line after ``- 1 -`` on as if the dash hyphenated a word (``- 1 \ufffe21 件``)."""
    data = _case_pdf("CN01", "2021 format, statement across a PDF page break")
    (page,) = read_pages(open_pdf(data))
    texts = [line.text for line in page.lines]
    at = texts.index("- 1 -")
    assert texts[at + 1].startswith("21 件") and texts[at - 1].endswith("政府信息公开申请")
    assert [line.number for line in page.lines] == sorted(line.number for line in page.lines)
    assert page.lines[at + 1].y > page.lines[at].y  # placed by its own first character
    assert "\ufffe" not in page.text and "\ufffe" not in "".join(texts)


def _line(text: str, y: float | None, number: int = 1) -> TextLine:
    return TextLine(text, number, y)


def test_a_page_holds_a_table_when_its_text_shows_a_row_of_values(host) -> None:
    labels = template_labels(host.templates).printed
    assert key("一、本年新收政府信息公开申请数量") in labels

    def holds(*lines: TextLine) -> bool:
        return holds_table(PageText(1, 842.0, (1, 0, 0, -1, 0, 842), lines=list(lines)), labels)

    assert holds(_line("一、本年新收政府信息公开申请数量 4 0 4", 100))
    assert holds(_line("2", 137.0), _line("0", 137.4), _line("2", 136.8))  # a value a line, one height
    assert not holds(_line("2", 137.0), _line("0", 160.0), _line("2", 180.0))  # one a line, down the page
    assert not holds(_line("共收到申请 12 件，办结 10 件，结转 2 件", 100))  # prose with numbers
    assert not holds(_line("一、本年新收政府信息公开申请数量", 100), _line("4 0 4 人次", 100))


def test_row_broken_by_a_page_is_put_back_together(doc_000) -> None:
    # LibreOffice broke 保护第三方合法权益 between two pages: label on both, numbers on the first.
    row = doc_000.tables["t3"].rows["denied_third_party"]
    assert row.label.replace(" ", "") == "4.保护第三方合法权益"
    assert [c.value for c in row.cells.values()] == [0] * 7


def test_spaces_the_extractor_put_around_digits_are_recorded_changes(doc_000) -> None:
    spaces = [c for c in doc_000.changes if c.kind == "space" and c.location.line is not None]
    assert spaces and all(c.location.page for c in spaces)
    first = spaces[0].location
    line = _page_lines(PDF_000, first.page)[first.line - 1]
    assert line[first.column - 1 : first.end_column - 1] == " "


def test_digits_wrapped_in_a_narrow_cell_are_one_number() -> None:
    assert join_wrapped("2562\r\n3") == "25623"
    assert (
        join_wrapped("（二）部分公开（区分处理的，只计\r\n这一情形）") == "（二）部分公开（区分处理的，只计这一情形）"
    )
    assert join_wrapped("Open\r\nData") == "Open Data"


def test_same_pdf_gives_byte_identical_output(host, context) -> None:
    import json

    a = json.dumps(_load(host, context, PDF_001).to_dict(), ensure_ascii=False, sort_keys=True)
    b = json.dumps(_load(host, context, PDF_001).to_dict(), ensure_ascii=False, sort_keys=True)
    assert a == b


def test_a_pdf_is_recognised_by_its_header_whatever_its_name(host, context) -> None:
    doc = load_document("report.bin", host.loaders, context, data=PDF_001.read_bytes())
    assert doc.source.format == "pdf" and doc.tables["t3"].rows


# ---------------------------------------------------------------------------- refused files


def _deflate_spaces(megabytes: int) -> bytes:
    z = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    return b"".join(z.compress(chunk) for _ in range(megabytes)) + z.flush()


def test_a_decompression_bomb_is_refused_before_it_is_inflated(host, context) -> None:
    data = one_page_pdf(_deflate_spaces(200))  # 200 KB that inflate to 200 MB
    assert len(data) < 300_000
    with pytest.raises(InputError) as err:
        _load(host, context, Path("bomb.pdf"), data)
    assert err.value.code == "NB01" and "压缩炸弹" in err.value.reason


def test_a_bomb_inflated_twice_is_counted_at_its_full_size() -> None:
    inner = _deflate_spaces(200)
    with pytest.raises(InputError):
        check_decoded_size(one_page_pdf(zlib.compress(inner, 9), b"[/FlateDecode /FlateDecode]"))


def test_a_small_stream_passes_the_bomb_check_and_an_empty_page_is_no_report(host, context) -> None:
    data = one_page_pdf(zlib.compress(b"BT ET\n" * 100))
    check_decoded_size(data)
    with pytest.raises(InputError) as err:
        _load(host, context, Path("empty.pdf"), data)
    assert err.value.code == "NB02"


def test_the_input_size_limit_applies_to_pdfs(tmp_path: Path, monkeypatch) -> None:
    from nianbao import loading

    big = tmp_path / "big.pdf"
    big.write_bytes(PDF_001.read_bytes())
    monkeypatch.setattr(loading, "MAX_INPUT_BYTES", 10_000)
    with pytest.raises(InputError) as err:
        loading.read_input(str(big))
    assert "上限" in err.value.reason


def test_importing_the_cli_does_not_import_the_pdf_libraries() -> None:
    code = (
        "import sys, nianbao.cli; print(sorted(m for m in ('pypdfium2', 'pdfplumber', 'pdfminer') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_text_box_written_after_the_body_is_read_where_it_is_printed(host, context) -> None:
    # 002's preamble is a text box at the top of page 1; LibreOffice writes it after the page's body.
    path = FORMATS / "002_3dc16392cc7dc7e9.pdf"
    doc = _load(host, context, path)
    assert doc.sections[0].kind == "preamble" and doc.sections[1].key == "s1"
    para = doc.sections[0].paragraphs[0]
    assert para.text.startswith("根据《中华人民共和国政府信息公开条例》") and para.text.endswith("工作年度报告。")
    lines = _page_lines(path, 1)
    heading = doc.section("s1").location
    assert para.location.page == heading.page == 1
    assert para.location.line > heading.line  # numbered as extracted: the box comes last in the page text
    assert lines[para.location.line - 1].startswith("根据")


def test_reading_order_moves_only_blocks_above_everything_before() -> None:
    from nianbao.plugins.pdf.pages import TextLine, reading_order

    lines = [
        TextLine("一、总体情况", 1, 130.0),
        TextLine("信息内容 本年新制", 2, 640.0),
        TextLine("作数量", 3, 660.0),
        TextLine("本年新公", 4, 640.0),  # the next cell of a header row: a small jump back stays
        TextLine("", 5, None),
        TextLine("根据《条例》", 6, 85.0),  # a text box printed above everything so far
        TextLine("公布年度报告。", 7, 104.0),
    ]
    assert [line.number for line in reading_order(lines)] == [6, 7, 1, 2, 3, 4, 5]
    assert reading_order(lines[:5]) == lines[:5]


def test_letter_spaced_and_distributed_text_is_read_without_the_gaps(host, context) -> None:
    from .make_fixtures import pdf_spacing_build as spaced

    path = CORPUS / "pdf" / "letter_spaced.pdf"
    doc = _load(host, context, path)
    lines = _page_lines(path, 1)
    assert lines[0].startswith("某 市 某 局 2 0 2 0 年 政 府")  # how PDF text extraction reads the gaps

    assert doc.meta.title.normalised == spaced.TITLE
    assert (doc.meta.organ, doc.meta.report_year, doc.meta.report_year_source) == ("某市某局", 2020, "title")
    assert doc.meta.signature.organ.value == spaced.SIGNATURE[0]
    assert doc.meta.signature.date.value == "2021-01-15"
    assert (doc.meta.statistics_period.start, doc.meta.statistics_period.end) == ("2020-01-01", "2020-12-31")
    assert [(s.key, s.heading) for s in doc.sections[1:]] == [("s1", spaced.HEADING_1), ("s6", spaced.HEADING_6)]
    assert "".join(p.text for p in doc.section("s1").paragraphs) == spaced.DISTRIBUTED + spaced.JUSTIFIED
    assert [p.text for p in doc.section("s6").paragraphs] == [spaced.NOTHING]

    spaces = [c for c in doc.changes if c.kind == "space"]
    for change in spaces:
        loc = change.location
        assert loc.page == 1 and loc.line is not None and loc.end_line == loc.line
        assert lines[loc.line - 1][loc.column - 1 : loc.end_column - 1] == change.original == " "
    title_line = sorted(c.location.column for c in spaces if c.location.line == 1)
    assert title_line == [i + 1 for i, ch in enumerate(lines[0]) if ch == " "]  # every gap, digits' too
    assert {c.location.line for c in spaces} >= {1, 2, 3, 6, 11, 13, 14}


def test_document_information_goes_into_properties(host, context) -> None:
    doc = _load(host, context, PDF_001)
    props = {k: v.value for k, v in doc.meta.properties.items()}
    # LibreOffice copied the DOCX core properties into the PDF's information dictionary.
    assert props["title"] == "重庆市大渡口区人民防空办公室2020年政府信息公开工作年度报告"
    assert props["author"] == "重庆市大渡口区人民防空办公室"
    assert len(props["created"]) == len("2026-11-21T21:47:31") and props["created"][4] == "-"
