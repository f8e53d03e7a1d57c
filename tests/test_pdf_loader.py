"""The PDF loader on the committed PDF fixtures and on broken, hostile and scanned PDFs.

Table values, sections and metadata against the text seeds are checked by test_format_parity.py;
here: locations, tables broken by a page, page furniture, and every way a PDF can be refused.
"""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from nianbao.loading import InputError, load_document
from nianbao.plugins.pdf.bombs import check_decoded_size
from nianbao.plugins.pdf.grids import join_wrapped

from .conftest import CORPUS
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
