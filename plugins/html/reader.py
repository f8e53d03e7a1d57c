"""From the bytes of a saved portal page to the canonical document."""

from __future__ import annotations

from nianbao.document import Document, Located, Location, Source
from nianbao.loading import InputError, LoadContext, NotAReport
from nianbao.plugins.assembler import Grid, GridCell, LineSpan, line_cell, template_labels
from nianbao.plugins.text.normalize import Line, normalise
from nianbao.plugins.text.reader import read_report

from .chrome import chrome
from .dom import PageCell, Walker
from .encoding import decode_html
from .lines import HtmlPlace
from .source import SourceMap, StreamCursor

# What a page says about itself: the <title> and the <meta name=...> tags a Chinese government site
# carries (ArticleTitle, PubDate, ContentSource: the 政府网站 page-metadata convention), plus author.
_META_NAMES = {
    "author": "author",
    "articletitle": "article_title",
    "pubdate": "published",
    "contentsource": "content_source",
}

# A report page is tens to hundreds of KB; pages with inline images reach a few MB. Far more is a
# mistake or an attack, and parsing it would cost memory for nothing (the parsed tree takes 30 times
# the page: 10 MB of table cells, 330 MB).
MAX_HTML_BYTES = 10 * 1024 * 1024
# A report page, portal navigation included, has a few thousand elements. Each costs about 30 us and
# 1 KB to read, so a page of 20 MB of table cells took 19 s and 1.4 GB; it is refused after parsing.
MAX_HTML_ELEMENTS = 100_000


def _parse(text: str):  # noqa: ANN202 - lxml has no type hints
    # lxml is imported here, not at module level: starting the CLI must not pay for it.
    from lxml import etree
    from nianbao.safexml import html_parser

    # The HTML parser neither resolves entities declared in a DOCTYPE nor loads external ones;
    # no_network and the default depth/size limits (no huge_tree) hold for whatever gets through.
    parser = html_parser("utf-8")
    try:
        root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"网页无法解析：{exc}") from None
    # The parser recovers from ordinary tag soup; a fatal error (nesting deeper than libxml2's limit)
    # means it stopped reading, and what follows would silently be missing from the report.
    fatal = next((e for e in parser.error_log if e.level_name == "FATAL"), None)
    if fatal is not None:
        raise InputError(f"网页在第 {fatal.line} 行处无法继续解析（{fatal.message.strip()}），其后的内容无法读取")
    if root is not None:
        elements = sum(1 for _ in root.iter())
        if elements > MAX_HTML_ELEMENTS:
            raise InputError(
                f"网页有 {elements:,} 个元素，超过 {MAX_HTML_ELEMENTS:,} 个的上限（一份年度报告的网页只有几千个），"
                "不像是一份年度报告；请确认选对了文件"
            )
    return root


def load_html(data: bytes, source: Source, context: LoadContext) -> Document:
    if len(data) > MAX_HTML_BYTES:
        raise InputError(f"网页文件超过 {MAX_HTML_BYTES // (1024 * 1024)} MB 的上限，不像是一份年度报告")
    text, source.encoding = decode_html(data)
    root = _parse(text)
    if root is None:
        raise NotAReport("网页没有任何内容")
    source_map = SourceMap(text)
    try:
        walker = Walker(StreamCursor(source_map), chrome(), template_labels(list(context.templates)))
        blocks = walker.run(root)
    except RecursionError:
        raise InputError("网页的元素嵌套过深，无法读取") from None
    if not blocks and not walker.tables:
        raise NotAReport("网页中没有任何正文文字")
    properties = _page_properties(root)
    # Table cells are normalised with the text, each as a line of its own after the page's blocks.
    cells = [cell for table in walker.tables for row in table for cell in row]
    texts = [b.text for b in blocks] + [c.text for c in cells]
    places: list[HtmlPlace] = []
    number = 1
    for pos in [b.pos for b in blocks] + [c.pos for c in cells]:
        if pos:
            number = source_map.line_of(pos[0])
        places.append(HtmlPlace(pos, source_map, number))
    lines, changes, source.traditional_converted = normalise("\n".join(texts), places)
    cell_lines = iter(lines[len(blocks) :])
    grids = [Grid.from_rows([[_cell(c, next(cell_lines)) for c in row] for row in table]) for table in walker.tables]
    doc = read_report(lines[: len(blocks)], changes, source, context, grids)
    doc.meta.properties.update(properties)
    return doc


def _cell(cell: PageCell, line: Line) -> GridCell:
    text, start = line_cell(line)
    return GridCell(text, LineSpan(line, start), rowspan=cell.rowspan, colspan=cell.colspan)


def _page_properties(root) -> dict[str, Located]:  # noqa: ANN001 - lxml has no type hints
    found: dict[str, Located] = {}
    title = root.find(".//title")
    if title is not None and (text := " ".join((title.text or "").split())):
        found["title"] = Located(text, Location(text=text, line=title.sourceline))
    for meta in root.iter("meta"):
        key = _META_NAMES.get((meta.get("name") or "").strip().lower())
        value = " ".join((meta.get("content") or "").split())
        if key and value and key not in found:
            found[key] = Located(value, Location(text=value, line=meta.sourceline))
    return found
