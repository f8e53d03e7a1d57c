"""Positions carried forward: every loader places its lines as it builds them, paragraphs and headings
keep anchors, and a span of their normalised text is located in the original file in every input
format, also in a document read back from the canonical JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nianbao.document import Anchor, Document, Location, Paragraph, _to_plain
from nianbao.loading import load_document
from nianbao.plugins.emitters.common import describe_position
from nianbao.plugins.pdf.assemble import RowPlace
from nianbao.plugins.text.normalize import normalise
from nianbao.schema import validate_report

from .conftest import CORPUS, SEEDS
from .make_fixtures import docx_build
from .test_cli import run

FORMATS = CORPUS / "formats"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ALL_FORMATS = [*SEEDS[:2], FORMATS / "002_3dc16392cc7dc7e9.html", FORMATS / "004_5ec655b7f2230a8a.docx"]
ALL_FORMATS += [FORMATS / "004_5ec655b7f2230a8a.pdf"]


def _load(host, context, path: Path | str, data: bytes | None = None) -> Document:
    return load_document(str(path), host.loaders, context, data=data)


def _paragraphs(doc: Document) -> list[Paragraph]:
    return [p for s in doc.sections for p in s.paragraphs]


def _text_at(path: Path, loc: Location) -> str:
    """What a text file holds at a one-line location."""
    line = path.read_text("utf-8").split("\n")[loc.line - 1]  # type: ignore[operator]
    return line[loc.column - 1 : loc.end_column - 1]  # type: ignore[operator]


# ------------------------------------------------------------------------------------ text files
def test_a_span_of_a_paragraph_is_located_where_the_file_has_it(host, context) -> None:
    for seed in SEEDS:
        for paragraph in _paragraphs(_load(host, context, seed)):
            for start in range(0, len(paragraph.text), 7):
                end = min(start + 3, len(paragraph.text))
                loc = paragraph.locate(start, end)
                if loc.line == loc.end_line:
                    assert _text_at(seed, loc) == loc.text, (seed.name, paragraph.text[start:end], loc)


def test_normalisation_keeps_the_columns_of_what_it_removed(host, context, tmp_path) -> None:
    # Traditional characters with pinyin, full-width digits, a space between CJK characters: the span
    # of the normalised text is found at the characters as written.
    text = "某某局2020年政府信息公开工作年度报告\n一、总体情况\n本報告中所列數(shù)據(jù)的統 計期限為２０２０年。\n"
    doc = _load(host, context, "r.txt", text.encode("utf-8"))
    paragraph = doc.section("s1").paragraphs[0]  # type: ignore[union-attr]
    start = paragraph.text.index("统计期限")
    loc = paragraph.locate(start, start + 4)
    assert (loc.line, loc.column, loc.end_column, loc.text) == (3, 19, 24, "統 計期限")
    start = paragraph.text.index("2020")
    assert paragraph.locate(start, start + 4).text == "２０２０"


def test_a_wrapped_paragraph_spans_its_lines(host, context) -> None:
    text = (
        "某某局2020年政府信息公开工作年度报告\n一、总体情况\n"
        "  按照“谁公开、谁审查”的要求，规范政府信息公开信息\n  公开审查流程，保证信息发布权威、及时、准确。\n"
    )
    doc = _load(host, context, "r.txt", text.encode("utf-8"))
    paragraph = doc.section("s1").paragraphs[0]  # type: ignore[union-attr]
    start = paragraph.text.index("信息公开信息公开")
    loc = paragraph.locate(start, start + 8)
    assert (loc.line, loc.column, loc.end_line, loc.end_column) == (3, 22, 4, 5)
    assert loc.text == "信息公开信息\n  公开"
    assert paragraph.line_spans() == [(0, 25), (25, len(paragraph.text))]


# ------------------------------------------------------------------------------------ HTML
def test_html_spans_are_located_in_the_page_source_entities_included(host, context) -> None:
    page = "<html><body>\n<p>一、总体情况</p>\n<p>我局推进&ldquo;放管服&rdquo;改革,成\n  效明显。</p>\n</body></html>"
    doc = _load(host, context, "r.html", page.encode("utf-8"))
    paragraph = doc.section("s1").paragraphs[0]  # type: ignore[union-attr]
    assert paragraph.text == "我局推进“放管服”改革,成效明显。"
    quoted = paragraph.locate(4, 9)  # “放管服” from the entity that opens it to the one that closes it
    assert (quoted.line, quoted.column, quoted.end_line, quoted.end_column) == (3, 8, 3, 25)
    assert page.split("\n")[2][7:24] == "&ldquo;放管服&rdquo;"
    comma = paragraph.locate(11, 12)
    assert (comma.line, comma.column, comma.end_column) == (3, 27, 28)
    after = paragraph.locate(13, 14)  # on the next source line, past its indentation
    assert (after.line, after.column, after.text) == (4, 3, "效")


# ------------------------------------------------------------------------------------ DOCX
def _docx(body: str, numbering: str = "") -> bytes:
    parts = {
        "[Content_Types].xml": "<Types/>",
        "word/document.xml": f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>',
    }
    if numbering:
        parts["word/numbering.xml"] = f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>'
    return docx_build.package(parts)


def test_docx_columns_count_the_paragraph_its_number_and_its_line_breaks(host, context) -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    )
    body = (
        "<w:p><w:r><w:t>某某局2020年政府信息公开工作年度报告</w:t></w:r></w:p>"
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        "<w:r><w:t>总体情况(概述）</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>第一行文字。</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>第二行,有半角逗号。</w:t></w:r></w:p>"
    )
    doc = _load(host, context, "r.docx", _docx(body, numbering))
    section = doc.section("s1")
    assert section is not None and section.heading == "一、总体情况(概述）"
    heading = section.heading_paragraph()
    assert heading is not None
    bracket = heading.locate(6, 7)  # the number Word draws counts: 一、 are characters 1 and 2
    assert (bracket.paragraph, bracket.column, bracket.end_column, bracket.text) == (2, 7, 8, "(")
    paragraph = section.paragraphs[1]
    comma = paragraph.locate(paragraph.text.index(","), paragraph.text.index(",") + 1)
    # The second line of the paragraph starts after the first and its line break.
    assert (comma.paragraph, comma.column, comma.end_column, comma.line) == (3, 11, 12, None)


def test_docx_text_findings_point_into_the_paragraph(tmp_path) -> None:
    out = run("lint", "--color", "never", str(FORMATS / "hongze-district-2024.docx")).stdout.decode("utf-8")
    assert "hongze-district-2024.docx:第7段第109字: CN01 [error]" in out


# ------------------------------------------------------------------------------------ PDF
def test_pdf_text_findings_carry_page_line_and_column() -> None:
    out = run("lint", "--color", "never", str(FORMATS / "004_5ec655b7f2230a8a.pdf")).stdout.decode("utf-8")
    assert "004_5ec655b7f2230a8a.pdf:第1页第14行第26字: TX04 [warning]" in out


def test_a_row_of_another_pdf_table_locates_each_character_in_its_cell() -> None:
    place = RowPlace(page=2, table=3, row=4, spans=((0, 4, 1), (5, 9, 2), (10, 12, 4)))
    raw = "信息内容\t本年新增\t12"
    loc = place.location(raw, 6, 8)
    assert (loc.page, loc.table, loc.row, loc.cell, loc.column, loc.end_column) == (2, 3, 4, 2, 2, 4)
    across = place.location(raw, 2, 7)  # from the first cell into the second: no end to write
    assert (across.cell, across.column, across.end_column, across.text) == (1, 3, None, "内容\t本年")
    lines, _, _ = normalise(raw, [place])
    assert lines[0].location(10, 12).cell == 4


# ------------------------------------------------------------------------------------ JSON
@pytest.mark.parametrize("path", ALL_FORMATS, ids=lambda p: p.name)
def test_anchors_survive_the_canonical_json(host, context, path) -> None:
    doc = _load(host, context, path)
    plain = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    assert validate_report(plain) == []
    again = Document.from_dict(plain)
    for before, after in zip(_paragraphs(doc), _paragraphs(again), strict=True):
        assert after.anchors == before.anchors
        for start in range(0, len(before.text), 5):
            assert after.locate(start, start + 2) == before.locate(start, start + 2)
    for before, after in zip(doc.sections, again.sections, strict=True):
        assert after.heading_anchors == before.heading_anchors


def test_an_anchor_is_a_short_array_in_json() -> None:
    paragraph = Paragraph(
        "一二", Location(text="一二"), [Anchor(0, 0, 3, 12), Anchor(1, 1, 9, None, None, 5), Anchor(2, 2, 1, 7, 2)]
    )
    assert _to_plain(paragraph)["anchors"] == [[0, 0, 3, 12], [1, 1, 9, None, None, 5], [2, 2, 1, 7, 2]]


def test_a_document_written_before_anchors_is_read_and_linted(tmp_path) -> None:
    parsed = tmp_path / "a.json"
    assert run("parse", "-o", str(parsed), str(SEEDS[4])).returncode == 0
    doc = json.loads(parsed.read_text("utf-8"))
    for section in doc["sections"]:
        del section["heading_anchors"]
        for paragraph in section["paragraphs"]:
            del paragraph["anchors"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    result = run("lint", "--color", "never", str(old))
    out = result.stdout.decode("utf-8")
    assert result.returncode == 1 and "NB01" not in out
    # Without anchors a finding inside a paragraph points at the paragraph, lines 9-13 (with them, at 13:35).
    assert f"{old}:9:1: TX04 [warning]" in out


def test_the_schema_takes_a_column_in_a_paragraph_or_cell_but_not_alone(host, context) -> None:
    plain = _load(host, context, SEEDS[0]).to_dict()

    def errors(location: dict) -> list[str]:
        diagnostic = {"code": "NB03", "message": "m", "location": location, "scope": [], "candidates": []}
        return validate_report({**plain, "diagnostics": [diagnostic]})

    assert errors({"text": "x", "paragraph": 3, "column": 5, "end_column": 6}) == []
    assert errors({"text": "x", "table": 1, "row": 2, "cell": 3, "column": 1}) == []
    assert errors({"text": "x", "page": 1, "line": 4, "column": 2, "end_line": 4, "end_column": 3}) == []
    assert errors({"text": "x", "column": 5}) != []
    assert errors({"text": "x", "paragraph": 3, "end_column": 6}) != []


# ------------------------------------------------------------------------------------ wording
@pytest.mark.parametrize(
    ("location", "said"),
    [
        (Location(paragraph=13, column=1), "第13段"),
        (Location(paragraph=13, column=26), "第13段第26字"),
        (Location(page=1, line=14, column=26), "第1页第14行第26字"),
        (Location(page=4, line=111, column=1), "第4页第111行"),
        (Location(page=2, table=1, row=5, cell=3), "第2页第1个表格第5行第3格"),
        (Location(table=2, row=5, cell=3, column=4), "第2个表格第5行第3格第4字"),
        (Location(page=3), "第3页"),
    ],
)
def test_binary_positions_are_said_in_words(location, said) -> None:
    assert describe_position(location) == said


def test_an_end_is_written_only_in_the_start_s_paragraph() -> None:
    start = Location(text="甲", paragraph=3, column=4, end_column=5)
    assert start.ends_like(Location(paragraph=3, column=9, end_column=12), "甲乙").end_column == 12
    other = start.ends_like(Location(paragraph=4, column=1, end_column=3), "甲\n乙")
    assert (other.paragraph, other.column, other.end_column, other.text) == (3, 4, None, "甲\n乙")
