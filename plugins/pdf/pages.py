"""Text of every page with pypdfium2: lines in reading order, each with its height on the page.

pypdfium2 returns the characters in reading order and gets CJK right even where a font's
ToUnicode map misleads pdfminer; it is ~1.6 ms a page. The work per file is bounded: at most
``MAX_PAGES`` pages and ``MAX_PAGE_CHARS`` characters a page (an annual report has 5-40 pages of at
most ~3,000 characters), so a crafted file cannot make us extract without end. Nothing is rendered,
no JavaScript or form is run, and no link is followed.
"""

from __future__ import annotations

import ctypes
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from nianbao.loading import InputError

MAX_PAGES = 300
MAX_PAGE_CHARS = 30_000
# Fewer non-space characters than this in the whole file: there is no usable text layer.
MIN_TEXT_CHARS = 20
_SLACK = 2.0  # points: lines this close in height are on the same level
_HYPHEN_JOIN = "\ufffe"  # what PDFium puts for a hyphen that ends a line, joining the next line on

# (a, b, c, d, e, f): the point (x, y) goes to (a*x + c*y + e, b*x + d*y + f), as in a PDF ``cm``.
Matrix = tuple[float, float, float, float, float, float]


@dataclass(slots=True)
class TextLine:
    text: str
    number: int  # 1-based line on its page, as extracted
    y: float | None  # height of the line's middle from the page top (points); None when unknown


@dataclass(slots=True)
class PageText:
    number: int  # 1-based
    height: float
    space: Matrix  # from PDF user space to the page as shown (see :func:`upright`)
    lines: list[TextLine] = field(default_factory=list)
    textpage: Any = field(default=None, repr=False)  # pypdfium2 PdfTextPage, kept open for table cells
    text: str = field(default="", repr=False)  # the page text; text[i] is character i when ``positioned``
    positioned: bool = False
    # Character centres on the page as shown, and the characters' indexes ordered by centre height.
    _centres: list[tuple[float, float]] | None = field(default=None, repr=False)
    _by_height: list[int] = field(default_factory=list, repr=False)
    _heights: list[float] = field(default_factory=list, repr=False)

    def cell_text(self, x0: float, top: float, x1: float, bottom: float) -> str:
        """Text of the characters whose centre lies in a box on the page as shown (see :func:`upright`).

        By centre, not by overlap: a glyph that overhangs its cell (a numbered label's first
        character does in LibreOffice output) stays in the cell it was written in.
        """
        if not self.positioned:
            (ax, ay), (bx, by) = _inverse(self.space, x0, top), _inverse(self.space, x1, bottom)
            return self.textpage.get_text_bounded(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        if self._centres is None:
            self._index_centres()
        centres = self._centres
        assert centres is not None
        band = self._by_height[bisect_left(self._heights, top) : bisect_right(self._heights, bottom)]
        return "".join(self.text[i] for i in sorted(i for i in band if x0 <= centres[i][0] <= x1))

    def _index_centres(self) -> None:
        import pypdfium2.raw as raw

        a, b, c, d, e, f = self.space
        left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        centres = []
        for i in range(len(self.text)):
            if raw.FPDFText_GetCharBox(self.textpage.raw, i, left, right, bottom, top):
                x, y = (left.value + right.value) / 2, (bottom.value + top.value) / 2
                centres.append((a * x + c * y + e, b * x + d * y + f))
            else:
                centres.append((math.nan, math.nan))  # in no cell
        self._centres = centres
        self._by_height = sorted(
            (i for i in range(len(centres)) if not math.isnan(centres[i][1])), key=lambda i: centres[i][1]
        )
        self._heights = [centres[i][1] for i in self._by_height]


def upright(page: Any) -> Matrix:
    """The matrix from a page's PDF user space to the page as a viewer shows it, turned by its /Rotate:
    x to the right and y down from the top-left corner of the visible box, in points.

    Text positions and ruling lines are both taken into this space, so a table on a page that is
    stored sideways (a landscape page printed to PDF on portrait paper) reads upright.
    """
    left, bottom, right, top = page.get_bbox()
    rotation = page.get_rotation()
    if rotation == 90:
        return (0.0, 1.0, 1.0, 0.0, -bottom, -left)
    if rotation == 180:
        return (-1.0, 0.0, 0.0, 1.0, right, -bottom)
    if rotation == 270:
        return (0.0, -1.0, -1.0, 0.0, top, right)
    return (1.0, 0.0, 0.0, -1.0, -left, top)


def _inverse(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    det = a * d - b * c
    return (d * (x - e) - c * (y - f)) / det, (a * (y - f) - b * (x - e)) / det


def open_pdf(data: bytes) -> Any:
    """The pypdfium2 document, or an NB01 :class:`InputError` saying why it cannot be opened."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise InputError("PDF 已加密（设有打开密码），无法读取；请提供未加密的文件") from None
        if code == raw.FPDF_ERR_SECURITY:
            raise InputError("PDF 使用了不支持的加密方式，无法读取；请提供未加密的文件") from None
        raise InputError("PDF 文件已损坏或不完整，无法读取") from None
    count = len(pdf)
    if count == 0:
        pdf.close()
        raise InputError("PDF 文件中没有任何页面")
    if count > MAX_PAGES:
        pdf.close()
        raise InputError(f"PDF 有 {count} 页，超过 {MAX_PAGES} 页的上限，不像一份年度报告")
    return pdf


def read_pages(pdf: Any) -> list[PageText]:
    """Lines of every page; raises NB01 for a page that cannot be read or is implausibly large."""
    import pypdfium2 as pdfium

    pages: list[PageText] = []
    for index in range(len(pdf)):
        try:
            page = pdf[index]
            textpage = page.get_textpage()
            count = textpage.count_chars()
            if count > MAX_PAGE_CHARS:
                raise InputError(
                    f"PDF 第 {index + 1} 页有 {count} 个字符，超过每页 {MAX_PAGE_CHARS} 个的上限，不像一份年度报告"
                )
            text = textpage.get_text_range() if count > 0 else ""
            height = page.get_height()
            space = upright(page)
        except pdfium.PdfiumError:
            raise InputError(f"PDF 第 {index + 1} 页已损坏，无法读取") from None
        # One character per index lets a line's position be looked up from its first character.
        positioned = len(text) == count
        shown = text.replace(_HYPHEN_JOIN, "-")
        result = PageText(index + 1, height, space, textpage=textpage, text=shown, positioned=positioned)
        _, b, _, d, _, f = space
        start = 0
        n = 0
        for printed in text.split("\n"):
            # PDFium writes a line that ends in "-" as a word hyphenated over two lines: the hyphen
            # becomes U+FFFE and the next line follows on. A page number ("- 1 -") ends so, and the
            # next line is a line of its own as printed.
            pieces = printed.split(_HYPHEN_JOIN)
            for k, piece in enumerate(pieces):
                line = piece + "-" if k < len(pieces) - 1 else piece
                stripped = line.rstrip("\r")
                y = None
                if positioned:
                    lead = len(stripped) - len(stripped.lstrip())
                    if lead < len(stripped):
                        left, bottom, right, top = textpage.get_charbox(start + lead)
                        y = b * (left + right) / 2 + d * (bottom + top) / 2 + f
                n += 1
                result.lines.append(TextLine(stripped, n, y))
                start += len(piece) + 1
        result.lines = reading_order(result.lines)
        pages.append(result)
    return pages


def reading_order(lines: list[TextLine]) -> list[TextLine]:
    """The page's lines top to bottom where the extraction order jumps back above everything before.

    PDFium returns a page's characters in content-stream order. Word processors write a floating
    frame (a text box, a header) after the body it is anchored to, so a text box printed at the top
    of the page comes out after the page's last line. A line that sits above every line extracted
    before it starts such a block; blocks are put in order of their top line. Smaller jumps back (the
    second line of a table cell, a second column) keep their place. Lines keep their numbers as
    extracted, so a location still names the line of the page's text.
    """
    blocks: list[list[TextLine]] = []
    top: float | None = None
    for line in lines:
        if line.y is not None and top is not None and line.y < top - _SLACK:
            blocks.append([])
        if not blocks:
            blocks.append([])
        blocks[-1].append(line)
        if line.y is not None:
            top = line.y if top is None else min(top, line.y)
    if len(blocks) == 1:
        return lines
    return [line for block in sorted(blocks, key=_block_top) for line in block]


def _block_top(block: list[TextLine]) -> float:
    return min((line.y for line in block if line.y is not None), default=0.0)


def has_text_layer(pages: list[PageText]) -> bool:
    total = 0
    for page in pages:
        for line in page.lines:
            total += sum(1 for c in line.text if not c.isspace())
            if total >= MIN_TEXT_CHARS:
                return True
    return False
