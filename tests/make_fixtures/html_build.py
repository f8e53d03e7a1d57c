"""Write tests/corpus/formats/<seed>.html for every seed, the way government portals publish reports.

Every page draws the statutory tables as real ``<table>`` elements with ``rowspan``/``colspan`` as the
national format merges its cells. The pages differ in what a loader has to cope with (see ``PAGES``):

* 000: HTML5, UTF-8 declared with ``<meta charset>``, ``<thead>``/``<th>``, semantic chrome
  (``<header>``, ``<nav>``, ``<footer>``), entities in the text.
* 001: GB2312 declared with ``<meta http-equiv>``, bytes in GBK; a table written as text inside
  ``<p>`` elements, one cell per paragraph (what a Word-to-web conversion leaves).
* 002: UTF-8 without any charset declaration; header cells broken with ``<br>``; prose wrapped over
  several source lines.
* 003: UTF-8 with a BOM; an old layout table around the whole page; the report inside one cell.
* 004: GBK without any charset declaration, wrapped in a portal's chrome: menu, breadcrumb, view
  counter, the metadata block (索引号, 发布机构, 生成日期, 公开日期, ...) as a table, a 扫一扫 share
  block and a footer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from nianbao.plugins.text.chars import is_wide
from nianbao.plugins.text.meta import PORTAL_KEYS

from .layout import FORMATS_DIR, HeadingBlock, ReportLayout, TableBlock, TextBlock
from .truth_layout import corpus_layouts


@dataclass(frozen=True)
class Page:
    encoding: str  # codec the bytes are written in
    declare: str | None  # "meta" (<meta charset>), "http-equiv", or None
    bom: bool = False
    chrome: str = "semantic"  # "semantic", "portal" or "layout_table"
    p_tables: frozenset[str] = field(default_factory=frozenset)  # tables written as <p> text
    th_header: bool = False
    br_headers: bool = False
    wrap_prose: bool = False


PAGES: dict[str, Page] = {
    "000": Page("utf-8", "meta", th_header=True),
    "001": Page("gbk", "http-equiv", p_tables=frozenset({"t2_1", "t2_9"})),
    "002": Page("utf-8", None, br_headers=True, wrap_prose=True),
    "003": Page("utf-8", "meta", bom=True, chrome="layout_table"),
    "004": Page("gbk", None, chrome="portal"),
    # The 2021 corpus, by report name.
    "hongze-district-2023": Page("utf-8", "meta", th_header=True),
    "hongze-district-2024": Page("utf-8", "meta", chrome="layout_table", br_headers=True),
    "huaian-city-2024": Page("gbk", "http-equiv", wrap_prose=True),
}


def page_of(stem: str) -> Page:
    return PAGES[stem] if stem in PAGES else PAGES[stem[:3]]


_CHARSET_NAMES = {"utf-8": "utf-8", "gbk": "gb2312"}


def _text(text: str) -> str:
    return escape(text, quote=False)


def _wrapped(text: str, width: int = 38) -> str:
    """Prose broken over source lines as HTML editors save it (a browser shows one paragraph).

    Breaks fall between two CJK characters only: elsewhere a browser shows a line break as a space.
    """
    pieces: list[str] = []
    start = 0
    for i in range(width, len(text), width):
        while i < len(text) and not (is_wide(text[i - 1]) and is_wide(text[i])):
            i += 1
        if i - start >= width and i < len(text):
            pieces.append(text[start:i])
            start = i
    pieces.append(text[start:])
    return "\n      ".join(_text(p) for p in pieces)


def _cell(cell, page: Page, header: bool) -> str:  # noqa: ANN001 - layout.GridCell
    tag = "th" if header and page.th_header else "td"
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    text = _text(cell.text)
    if page.br_headers and cell.role == "header" and len(cell.text) >= 6:
        half = len(cell.text) // 2
        text = _text(cell.text[:half]) + "<br>" + _text(cell.text[half:])
    if cell.role == "value":
        attrs += ' style="text-align:center"'
    return f"<{tag}{attrs}>{text or '&nbsp;'}</{tag}>" if text else f"<{tag}{attrs}></{tag}>"


def _table(table: TableBlock, page: Page) -> str:
    if table.id in page.p_tables:
        # The table lost in conversion: every cell a paragraph, in reading order.
        return "\n".join(f"<p>{_text(c.text)}</p>" for c in table.cells if c.text)
    rows: list[list[str]] = [[] for _ in range(table.n_rows)]
    for cell in table.cells:
        rows[cell.row].append(_cell(cell, page, cell.row < table.header_rows))
    out = ['<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">']
    head, body = rows[: table.header_rows], rows[table.header_rows :]
    if page.th_header:
        out.append("<thead>")
    out += [f"<tr>{''.join(r)}</tr>" for r in head]
    if page.th_header:
        out += ["</thead>", "<tbody>"]
    out += [f"<tr>{''.join(r)}</tr>" for r in body]
    if page.th_header:
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


_PORTAL_LABEL = re.compile("(" + "|".join(sorted(PORTAL_KEYS, key=len, reverse=True)) + r")\s*[:：]")


def _portal_pairs(line: str) -> list[tuple[str, str]]:
    """``生成日期:2021-01-21公开日期:2021-01-21`` -> [(``生成日期:``, ``2021-01-21``), (``公开日期:``, ...)]."""
    matches = list(_PORTAL_LABEL.finditer(line))
    return [
        (m.group(0), line[m.end() : matches[n + 1].start() if n + 1 < len(matches) else len(line)].strip())
        for n, m in enumerate(matches)
    ]


def _portal_table(lines: list[str]) -> str:
    """The metadata block portals print above the article: label and value cells, as the seed has them."""
    rows = []
    for line in lines:
        cells = "".join(f'<td class="label">{_text(k)}</td><td>{_text(v)}</td>' for k, v in _portal_pairs(line))
        rows.append(f"<tr>{cells}</tr>")
    return '<table class="xxgk-meta">\n' + "\n".join(rows) + "\n</table>"


def _portal_lines(layout: ReportLayout) -> list[str]:
    """The seed's metadata lines (before the title); its other lines there are the chrome drawn below."""
    out = []
    for block in layout.blocks:
        if isinstance(block, TextBlock) and block.kind == "title":
            break
        if isinstance(block, TextBlock) and _portal_pairs(block.text):
            out.append(block.text)
    return out


def _body(layout: ReportLayout, page: Page) -> list[str]:
    out: list[str] = []
    portal_lines = page.chrome == "portal"
    seen_title = False
    for block in layout.blocks:
        if isinstance(block, HeadingBlock):
            out.append(f"<h2>{_text(block.text)}</h2>")
        elif isinstance(block, TableBlock):
            out.append(_table(block, page))
        elif isinstance(block, TextBlock):
            if block.kind == "title":
                seen_title = True
                out.append(f'<h1 class="title">{_text(block.text)}</h1>')
            elif portal_lines and not seen_title and block.kind == "preamble":
                continue  # the seed's portal lines: drawn as chrome and metadata table instead
            elif portal_lines and "扫一扫" in block.text:
                continue  # the seed's trailing share line: drawn in the share block
            elif block.kind == "signature":
                out.append(f'<p style="text-align:right">{_text(block.text)}</p>')
            elif page.wrap_prose and len(block.text) > 40:
                out.append(f"<p>\n      {_wrapped(block.text)}\n    </p>")
            else:
                out.append(f'<p style="text-indent:2em">{_text(block.text)}</p>')
    return out


def html_text(layout: ReportLayout, page: Page) -> str:
    charset = _CHARSET_NAMES[page.encoding]
    head = ["<head>"]
    if page.declare == "meta":
        head.append(f'<meta charset="{charset}">')
    elif page.declare == "http-equiv":
        head.append(f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')
    head += [f"<title>{_text(layout.title or layout.stem)}</title>", "<style>td{border:1px solid #000}</style>"]
    head += ['<script>var _hmt = _hmt || []; if (a < b && c > d) { document.write("<p>统计</p>"); }</script>']
    head.append("</head>")
    body = _body(layout, page)
    if page.chrome == "semantic":
        page_body = [
            '<header class="site-head"><div class="logo">政府门户网站</div></header>',
            '<nav class="menu"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></nav>',
            '<main><article class="content">',
            *body,
            "</article></main>",
            "<footer><p>版权所有：某某市人民政府办公室 &copy; 2021</p><p>网站标识码：3200000000</p></footer>",
        ]
    elif page.chrome == "layout_table":
        page_body = [
            '<table width="100%" border="0"><tr><td class="top">',
            '<a href="/">首页</a> | <a href="/zwgk/">信息公开</a>',
            '</td></tr><tr><td class="main">',
            '<div class="article">',
            *body,
            "</div>",
            "</td></tr><tr><td>",
            "<p>主办单位：某某区人民政府办公室　　技术支持：某某网络公司</p>",
            "</td></tr></table>",
        ]
    else:  # a portal's chrome around the article
        page_body = [
            '<div id="topnav"><ul>',
            '<li><a href="/ldhd/">领导活动</a></li><li><a href="/zwgk/">政务公开</a></li>'
            '<li><a href="/zmhd/">政民互动</a></li>',
            "</ul></div>",
            '<div class="weizhi">您当前的位置: <a href="/">首页</a> &gt;&gt; <a href="/zwgk/">政务公开</a> &gt;&gt; 正文</div>',
            '<div class="count">浏览次数: <span id="hits">1024</span></div>',
            _portal_table(_portal_lines(layout)),
            '<div class="zoom">',
            *body,
            "</div>",
            '<div class="bdsharebuttonbox"><a href="#" class="bds_weixin">微信</a>'
            '<a href="#" class="bds_tsina">微博</a></div>',
            '<div class="ewm"><img src="qr.png" alt=""><p>扫一扫在手机打开当前页</p></div>',
            '<p class="tools">[ <a href="javascript:window.print()">打印本页</a> ]'
            ' [ <a href="javascript:window.close()">关闭窗口</a> ]</p>',
            '<div class="footer">主办单位：常州市人民政府办公室　承办单位：常州市大数据管理局'
            "<br>苏ICP备05000000号 网站标识码：3204000000</div>",
        ]
    doctype = (
        "<!DOCTYPE html>"
        if page.chrome == "semantic"
        else (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
        )
    )
    lines = [doctype, '<html lang="zh-CN">', *head, "<body>", *page_body, "</body>", "</html>", ""]
    return "\n".join(lines)


def html_bytes(layout: ReportLayout, page: Page) -> bytes:
    data = html_text(layout, page).encode(page.encoding)
    return (b"\xef\xbb\xbf" + data) if page.bom else data


def build(out_dir: Path = FORMATS_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for layout in corpus_layouts():
        path = out_dir / f"{layout.stem}.html"
        path.write_bytes(html_bytes(layout, page_of(layout.stem)))
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build():
        print(p)
