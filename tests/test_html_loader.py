"""The HTML loader: encodings, portal chrome, metadata block, real and <p> tables, locations, hostile pages."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pytest
from nianbao.document import Document, Location
from nianbao.loading import InputError, load_document
from nianbao.plugins.assembler.grid import Grid, GridCell, LineSpan
from nianbao.plugins.html import encoding as html_encoding
from nianbao.plugins.html import reader as html_reader
from nianbao.plugins.text.normalize import Line

from .conftest import CORPUS, SEEDS

FORMATS = CORPUS / "formats"
HTML = {s.stem[:3]: FORMATS / f"{s.stem}.html" for s in SEEDS}

TITLE = "某某市统计局2020年政府信息公开工作年度报告"
BODY = f"""
<h1>{TITLE}</h1>
<h2>一、总体情况</h2>
<p>2020年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息。</p>
<h2>二、主动公开政府信息情况</h2>
<table border="1">
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年新<br>制作数量</td><td>本年新<br>公开数量</td><td>对外公开总数量</td></tr>
<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr>
<tr><td>规范性文件</td><td>4</td><td>5</td><td>6</td></tr>
</table>
<h2>五、存在的主要问题及改进情况</h2>
<p>一是公开内容还不够全面；二是解读形式较为单一。下一步将进一步加强。</p>
<p style="text-align:right">某某市统计局</p>
<p style="text-align:right">2021年1月20日</p>
"""


def _page(body: str = BODY, head: str = "", doctype: str = "<!DOCTYPE html>") -> str:
    return f"{doctype}\n<html>\n<head>{head}<title>t</title></head>\n<body>\n{body}\n</body>\n</html>\n"


def _load(host, context, tmp_path: Path, data: bytes, name: str = "report.html") -> Document:
    path = tmp_path / name
    path.write_bytes(data)
    return load_document(str(path), host.loaders, context)


def _source_text(path: Path, loc: Location, encoding: str = "utf-8") -> str:
    """The characters of the HTML source a single-line location covers."""
    lines = path.read_bytes().decode(encoding).split("\n")
    assert loc.line == loc.end_line
    return lines[loc.line - 1][loc.column - 1 : loc.end_column - 1]


def _t2_1(doc: Document) -> dict[str, list[object]]:
    return {k: [c.value for c in r.cells.values()] for k, r in doc.tables["t2_1"].rows.items()}


# ---------------------------------------------------------------------- encodings


def test_utf8_bom(host, context, tmp_path) -> None:
    doc = _load(host, context, tmp_path, codecs.BOM_UTF8 + _page().encode("utf-8"))
    assert doc.source.encoding == "utf-8"
    assert doc.meta.title.normalised == TITLE


def test_declared_gb2312_with_gbk_bytes(host, context, tmp_path) -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    doc = _load(host, context, tmp_path, _page(head=head).encode("gbk"))
    assert doc.source.encoding == "gb18030"  # GB2312 pages hold GBK characters: decoded as the superset
    assert doc.meta.title.normalised == TITLE


def test_gbk_without_any_declaration_is_detected_not_mojibake(host, context, tmp_path) -> None:
    doc = _load(host, context, tmp_path, _page().encode("gbk"))
    assert doc.source.encoding == "gb18030"
    assert doc.meta.title.normalised == TITLE
    assert doc.meta.signature.organ.value == "某某市统计局"


def test_utf8_without_any_declaration(host, context, tmp_path) -> None:
    doc = _load(host, context, tmp_path, _page().encode("utf-8"))
    assert doc.source.encoding == "utf-8"
    assert _t2_1(doc) == {"regulations": [1, 2, 3], "normative_documents": [4, 5, 6]}


@pytest.mark.parametrize("declared", ["utf-8", "iso-8859-1", "windows-1252"])
def test_a_wrong_declaration_does_not_win_over_the_bytes(host, context, tmp_path, declared) -> None:
    """CMS defaults and migrations leave GBK pages declaring UTF-8 or Latin-1."""
    doc = _load(host, context, tmp_path, _page(head=f'<meta charset="{declared}">').encode("gbk"))
    assert doc.source.encoding == "gb18030"
    assert doc.meta.title.normalised == TITLE


def test_declared_charset_forms() -> None:
    assert html_encoding.declared_charset(b'<meta charset="GBK">') == "gb18030"
    assert html_encoding.declared_charset(b"<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=UTF-8'>") == (
        "utf-8"
    )
    assert html_encoding.declared_charset(b'<?xml version="1.0" encoding="gb2312"?><html>') == "gb18030"
    assert html_encoding.declared_charset(b'<meta charset="no-such-charset">') is None
    assert html_encoding.declared_charset(b"<p>no declaration</p>") is None


def test_fixture_encodings(host, context) -> None:
    got = {n: load_document(str(p), host.loaders, context).source.encoding for n, p in HTML.items()}
    assert got == {"000": "utf-8", "001": "gb18030", "002": "utf-8", "003": "utf-8", "004": "gb18030"}
    assert HTML["004"].read_bytes().find(b"charset") < 0  # GBK page with no declaration at all


# ---------------------------------------------------------------------- chrome and metadata

CHROME_PHRASES = ("领导活动", "您当前的位置", "首页", "浏览次数", "扫一扫", "打印本页", "关闭窗口", "主办单位", "ICP")


def _all_text(doc: Document) -> list[str]:
    return [p.text for s in doc.sections for p in s.paragraphs] + [s.heading or "" for s in doc.sections]


def test_portal_chrome_is_removed_and_the_report_kept(host, context) -> None:
    doc = load_document(str(HTML["004"]), host.loaders, context)
    texts = _all_text(doc)
    for phrase in CHROME_PHRASES:
        assert not [t for t in texts if phrase in t], phrase
    s5 = doc.section("s5")
    assert s5.paragraphs[-1].text.startswith("一是政府信息公开工作制度建设需要进一步加强")
    assert doc.section("s1").paragraphs[0].text.startswith("2020年,市应急管理局在市委市政府坚强领导下")


@pytest.mark.parametrize("seed", ["000", "003"])
def test_semantic_and_layout_table_chrome_is_removed(host, context, seed) -> None:
    texts = _all_text(load_document(str(HTML[seed]), host.loaders, context))
    assert "政府门户网站" not in texts  # the site logo line
    for phrase in ("互动交流", "版权所有", "网站标识码", "技术支持"):
        assert not [t for t in texts if phrase in t], phrase
    assert not [t for t in texts if "首页" in t]


def test_chrome_by_class_and_link_density_but_never_the_body(host, context, tmp_path) -> None:
    long_para = "本局坚持以公开为常态、不公开为例外，" * 20 + "全面推进决策、执行、管理、服务、结果公开。"
    body = (
        '<div class="breadcrumb">首页 &gt; 政务公开</div>'
        '<ul><li><a href="/a">机构概况</a></li><li><a href="/b">政策文件</a></li></ul>'
        '<div class="share-box">分享：<a href="#">微信</a></div>'
        + BODY.replace("<h2>五、", f'<div class="nav-content"><p>{long_para}</p></div>\n<h2>五、')
    )
    doc = _load(host, context, tmp_path, _page(body).encode("utf-8"))
    texts = _all_text(doc)
    assert not [t for t in texts if "政务公开" in t and len(t) < 20 or "机构概况" in t or "分享" in t]
    # A misleading class name (``nav-content``) never costs the report a long paragraph.
    assert long_para in texts


def test_portal_metadata_table_goes_into_meta(host, context) -> None:
    doc = load_document(str(HTML["004"]), host.loaders, context)
    portal = {k: v.value for k, v in doc.meta.portal.items()}
    assert portal["索引号"] == "014110243/2021-00009"
    assert portal["发布机构"] == "市应急管理局"
    assert portal["生成日期"] == "2021-01-21"
    assert portal["公开日期"] == "2021-01-21"
    assert "文件编号" not in portal  # printed empty on the page
    assert doc.meta.publication_date.value == "2021-01-21"
    loc = doc.meta.portal["索引号"].location
    assert _source_text(HTML["004"], loc, "gbk") == "014110243/2021-00009"


def test_portal_metadata_as_spans_and_labels_without_colons(host, context, tmp_path) -> None:
    meta = (
        '<div class="xxgk"><span>索引号：11320000/2021-00001</span> <span>发布机构：某某市统计局</span></div>'
        "<table><tr><td>文号</td><td>统办〔2021〕1号</td><td>公开日期</td><td>2021-01-25</td></tr></table>"
    )
    doc = _load(host, context, tmp_path, _page(meta + BODY).encode("utf-8"))
    portal = {k: v.value for k, v in doc.meta.portal.items()}
    assert portal == {
        "索引号": "11320000/2021-00001",
        "发布机构": "某某市统计局",
        "文号": "统办〔2021〕1号",
        "公开日期": "2021-01-25",
    }
    assert doc.meta.publication_date.value == "2021-01-25"


# ---------------------------------------------------------------------- tables


def test_grid_expands_rowspan_and_colspan() -> None:
    def c(text: str, rowspan: int = 1, colspan: int = 1) -> GridCell:
        return GridCell(text, LineSpan(Line(text, 1, text)), rowspan=rowspan, colspan=colspan)

    corner, applicant = c("勾稽", 3, 3), c("申请人情况", 1, 7)
    natural, legal, total = c("自然人", 2), c("法人或其他组织", 1, 5), c("总计", 2)
    leaves = [c(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")]
    grid = Grid.from_rows([[corner, applicant], [natural, legal, total], leaves]).covering()
    assert len(grid) == 3 and all(len(r) == 10 for r in grid)
    assert [x.text for x in grid[2]] == ["勾稽"] * 3 + ["自然人", "商业企业", "科研机构"] + [
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert (natural.row, natural.col, total.col, leaves[0].col) == (1, 3, 9, 4)


def test_grid_caps_hostile_spans() -> None:
    cell = GridCell("x", LineSpan(Line("x", 1, "x")), rowspan=1, colspan=1)
    from nianbao.plugins.assembler.grid import MAX_SPAN, span

    assert span("100000") == MAX_SPAN and span("-3") == 1 and span("abc") == 1 and span(None) == 1
    assert len(Grid.from_rows([[cell]]).covering()[0]) == 1


def test_merged_header_tables_match_the_text_version(host, context) -> None:
    txt = load_document(str(SEEDS[0]), host.loaders, context)
    doc = load_document(str(HTML["000"]), host.loaders, context)
    for table_id in ("t3", "t4"):
        want = {k: {c: x.value for c, x in r.cells.items()} for k, r in txt.tables[table_id].rows.items()}
        got = {k: {c: x.value for c, x in r.cells.items()} for k, r in doc.tables[table_id].rows.items()}
        assert got == want, table_id
    columns = [h.column for h in doc.tables["t3"].header if h.column]
    assert columns[:2] == ["natural_person", "commercial_enterprise"] or "natural_person" in columns


def test_tables_written_as_paragraphs_are_read_by_the_text_table_reader(host, context) -> None:
    page = HTML["001"].read_bytes().decode("gbk")
    assert "<p>第二十条第（一）项</p>" in page and "<p>规章</p>" in page  # the fixture really has <p> cells
    txt = load_document(str(SEEDS[1]), host.loaders, context)
    doc = load_document(str(HTML["001"]), host.loaders, context)
    for table_id in ("t2_1", "t2_9"):
        want = {k: [c.value for c in r.cells.values()] for k, r in txt.tables[table_id].rows.items()}
        assert {k: [c.value for c in r.cells.values()] for k, r in doc.tables[table_id].rows.items()} == want


def test_broken_header_cells_and_small_table(host, context, tmp_path) -> None:
    doc = _load(host, context, tmp_path, _page().encode("utf-8"))
    header = {h.text: h.column for h in doc.tables["t2_1"].header}
    assert header["本年新制作数量"] == "made" and header["本年新公开数量"] == "published"


def test_columns_in_another_order_are_matched_by_their_header_labels(host, context, tmp_path) -> None:
    swapped = BODY.replace(
        "<td>本年新<br>制作数量</td><td>本年新<br>公开数量</td><td>对外公开总数量</td>",
        "<td>对外公开总数量</td><td>本年新<br>制作数量</td><td>本年新<br>公开数量</td>",
    )
    doc = _load(host, context, tmp_path, _page(swapped).encode("utf-8"))
    assert _t2_1(doc) == {"regulations": [2, 3, 1], "normative_documents": [5, 6, 4]}
    cells = doc.tables["t2_1"].rows["regulations"].cells
    assert (cells["total_public"].value, cells["made"].value) == (1, 2)


def test_repeated_labels_are_told_apart_by_their_groups(host, context, tmp_path) -> None:
    """Table 四 with its two 行政诉讼 groups swapped: 结果维持 etc. are matched under the right group."""
    leaves = "".join(f"<td>{x}</td>" for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2)
    review, after, direct = ["1", "0", "0", "0", "1"], ["2", "0", "1", "0", "3"], ["4", "1", "0", "0", "5"]
    values = "".join(f"<td>{v}</td>" for v in review + after + direct)
    table = (
        '<h2>四、政府信息公开行政复议、行政诉讼情况</h2>\n<table border="1">'
        '<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
        '<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td>'
        '<td rowspan="2">尚未审结</td><td rowspan="2">总计</td>'
        '<td colspan="5">复议后起诉</td><td colspan="5">未经复议直接起诉</td></tr>'
        f"<tr>{leaves}</tr><tr>{values}</tr></table>\n"
    )
    body = BODY.replace("<h2>五、", table + "<h2>五、")
    doc = _load(host, context, tmp_path, _page(body).encode("utf-8"))
    cells = doc.tables["t4"].rows["cases"].cells
    assert [cells[f"lit_direct_{k}"].value for k in ("upheld", "corrected", "other", "pending", "total")] == [
        4,
        1,
        0,
        0,
        5,
    ]
    assert cells["lit_after_review_total"].value == 3 and cells["review_total"].value == 1


# ---------------------------------------------------------------------- locations


def test_locations_point_into_the_html_source(host, context, tmp_path) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(_page().encode("utf-8"))
    doc = load_document(str(path), host.loaders, context)
    lines = path.read_text("utf-8").split("\n")
    s2 = doc.section("s2")
    assert lines[s2.location.line - 1].startswith("<h2>二、主动公开政府信息情况")
    assert _source_text(path, s2.location) == "二、主动公开政府信息情况"
    cell = doc.tables["t2_1"].rows["normative_documents"].cells["total_public"]
    assert cell.location.text == "6"
    assert lines[cell.location.line - 1] == "<tr><td>规范性文件</td><td>4</td><td>5</td><td>6</td></tr>"
    assert _source_text(path, cell.location) == "6"
    assert _source_text(path, doc.meta.signature.date.location) == "2021年1月20日"


def test_locations_in_a_gbk_portal_page(host, context) -> None:
    doc = load_document(str(HTML["004"]), host.loaders, context)
    row = doc.tables["t2_5"].rows["licensing"]
    assert _source_text(HTML["004"], row.location, "gbk") == "行政许可"
    assert _source_text(HTML["004"], row.cells["decisions"].location, "gbk") == "342"
    para = doc.section("s1").paragraphs[0]
    assert _source_text(HTML["004"], para.location, "gbk") == para.text


def test_entities_and_wrapped_source_lines(host, context, tmp_path) -> None:
    body = BODY.replace(
        "<p>2020年，本局认真贯彻落实",
        "<p>2020年，本局&nbsp;认真贯彻落实&amp;推进\n  政务公开，",
    )
    path = tmp_path / "report.html"
    path.write_bytes(_page(body).encode("utf-8"))
    doc = load_document(str(path), host.loaders, context)
    para = doc.section("s1").paragraphs[0]
    # A source line break between CJK characters is no space; ``&nbsp;`` between them is layout.
    assert para.text.startswith("2020年，本局认真贯彻落实&推进政务公开，")
    loc = para.location
    assert (loc.line, loc.column, loc.end_line) == (8, 4, 9)
    space = next(c for c in doc.changes if c.kind == "space")
    assert space.original == "\xa0" and _source_text(path, space.location) == "&nbsp;"


def test_traditional_text_changes_are_located_in_the_source(host, context, tmp_path) -> None:
    body = BODY.replace("主动公开政府信息。</p>", "主動公開政府資訊。</p>")
    path = tmp_path / "report.html"
    path.write_bytes(_page(body).encode("utf-8"))
    doc = load_document(str(path), host.loaders, context)
    assert doc.source.traditional_converted
    change = next(c for c in doc.changes if c.original == "動")
    assert change.kind == "traditional" and _source_text(path, change.location) == "動"


# ---------------------------------------------------------------------- hostile and broken pages


def test_entity_expansion_is_not_performed(host, context, tmp_path) -> None:
    doctype = (
        '<!DOCTYPE html [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    )
    body = BODY.replace("主动公开政府信息。", "主动公开政府信息&d;。")
    doc = _load(host, context, tmp_path, _page(body, doctype=doctype).encode("utf-8"))
    text = doc.section("s1").paragraphs[0].text
    assert "哈哈" not in text and len(text) < 100


def test_external_entities_are_not_fetched_or_read(host, context, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容不应出现", "utf-8")
    doctype = f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}"><!ENTITY y SYSTEM "http://127.0.0.1:9/x">]>'
    body = BODY.replace("主动公开政府信息。", "主动公开政府信息&x;&y;。")
    doc = _load(host, context, tmp_path, _page(body, doctype=doctype).encode("utf-8"))
    assert not [t for t in _all_text(doc) if "机密" in t]
    assert doc.section("s1") is not None


def test_oversized_page_is_refused_with_a_clear_message(host, context, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(html_reader, "MAX_HTML_BYTES", 1024 * 1024)
    data = _page(BODY + "<p>" + "填充" * 300_000 + "</p>").encode("utf-8")
    with pytest.raises(InputError) as info:
        _load(host, context, tmp_path, data)
    assert info.value.code == "NB01"
    assert info.value.reason == "网页文件超过 1 MB 的上限，不像是一份年度报告"


def test_binary_junk_named_html(host, context, tmp_path) -> None:
    with pytest.raises(InputError) as info:
        _load(host, context, tmp_path, bytes(range(256)) * 16)
    assert info.value.code == "NB01"
    assert "二进制" in info.value.reason


def test_undecodable_bytes_named_html(host, context, tmp_path) -> None:
    with pytest.raises(InputError) as info:
        _load(host, context, tmp_path, b"<html><body>" + bytes(range(0x80, 0x100)) * 8 + b"</body></html>")
    assert info.value.code == "NB01"
    assert "编码" in info.value.reason


def test_a_page_that_is_not_a_report(host, context, tmp_path) -> None:
    with pytest.raises(InputError) as info:
        _load(host, context, tmp_path, _page("<p>欢迎访问本网站。</p>").encode("utf-8"))
    assert info.value.code == "NB02"


def test_deeply_nested_page_does_not_crash(host, context, tmp_path) -> None:
    data = _page("<div>" * 5000 + BODY + "</div>" * 5000).encode("utf-8")
    with pytest.raises(InputError) as info:
        _load(host, context, tmp_path, data)
    assert info.value.code == "NB01"
    assert info.value.reason.startswith("网页在第 5 行处无法继续解析（Excessive depth in document: 256")


def test_scripts_are_neither_run_nor_read(host, context, tmp_path) -> None:
    head = (
        '<script src="http://127.0.0.1:9/x.js"></script><script>document.write("<h2>三、脚本写入的标题</h2>")</script>'
    )
    doc = _load(host, context, tmp_path, _page(head=head).encode("utf-8"))
    assert [s.heading for s in doc.sections if s.heading and "脚本" in s.heading] == []


def test_sniffing_a_page_without_extension(host, context, tmp_path) -> None:
    doc = _load(host, context, tmp_path, _page().encode("utf-8"), name="report")
    assert doc.source.format == "html"


# ---------------------------------------------------------------------- start-up


def test_the_cli_does_not_import_lxml_until_an_html_file_is_read() -> None:
    code = (
        "import sys\nimport nianbao.cli\nprint('lxml' in sys.modules)\n"
        "from nianbao.host import create_host\nfrom nianbao.loading import LoadContext, load_document\n"
        "host = create_host(entry_points=False)\nctx = LoadContext(templates=host.templates)\n"
        f"load_document({str(SEEDS[0])!r}, host.loaders, ctx)\nprint('lxml' in sys.modules)\n"
        f"load_document({str(HTML['000'])!r}, host.loaders, ctx)\nprint('lxml' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]


def test_a_broken_page_in_a_batch_is_reported_and_the_others_linted(tmp_path) -> None:
    import json

    from .test_cli import run

    bad = tmp_path / "坏网页.html"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    good = str(HTML["004"])
    result = run("lint", "--format", "json", good, str(bad), str(SEEDS[0]))
    assert result.returncode == 2
    files = json.loads(result.stdout)["files"]
    assert [f["path"] for f in files] == [good, str(bad), str(SEEDS[0])]
    assert files[1]["error"]["code"] == "NB01"
    assert files[0]["findings"] and files[2]["findings"]


def test_page_title_and_site_meta_tags_go_into_properties(host, context, tmp_path: Path) -> None:
    head = (
        '<meta charset="utf-8">\n<meta name="ArticleTitle" content="统计局 年度报告">\n'
        '<meta name="PubDate" content="2021-01-22 09:30">\n<meta name="author" content="">\n'
    )
    doc = _load(host, context, tmp_path, _page(head=head).encode("utf-8"))
    props = {k: (v.value, v.location.line if v.location else None) for k, v in doc.meta.properties.items()}
    # Lines as in the source (<title> follows the four meta tags, on line 7); an empty author is no fact.
    assert props == {"title": ("t", 7), "article_title": ("统计局 年度报告", 4), "published": ("2021-01-22 09:30", 5)}
