"""Table grids from ruling lines (plugins/pdf/rulings.py) against pdfplumber's table finder.

pdfplumber (a test dependency) is the reference: on every page of every PDF fixture the grid found
from pypdfium2's paths must be pdfplumber's, cell for cell and merged position for merged position,
and the text read into the cells the same. The fixtures draw rulings as LibreOffice does (stroked
lines), as Word does (filled rectangles cut at every crossing), only between rows, and on pages
stored sideways, directly or inside form XObjects.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from nianbao.loading import load_document
from nianbao.plugins.assembler import template_labels
from nianbao.plugins.pdf import rulings
from nianbao.plugins.pdf.grids import find_tables, holds_table, join_wrapped
from nianbao.plugins.pdf.pages import open_pdf, read_pages
from nianbao.plugins.pdf.rulings import Edge, GridError, Rulings, grids, page_rulings

from .conftest import CORPUS
from .pdf_source import one_page_pdf

FIXTURES = sorted((CORPUS / "formats").glob("*.pdf")) + sorted((CORPUS / "pdf").glob("*.pdf"))
FORMATS = CORPUS / "formats"
PDFS = CORPUS / "pdf"
HELVETICA = b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _close(a, b) -> bool:  # noqa: ANN001 - two boxes or two Nones
    if a is None or b is None:
        return a is b
    return all(abs(x - y) <= 0.01 for x, y in zip(a, b, strict=True))


def _plumber_grids(data: bytes) -> list[list[tuple]]:
    """Per page, pdfplumber's tables as (bbox, rows of cell boxes)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [[(t.bbox, [r.cells for r in t.rows]) for t in page.find_tables()] for page in pdf.pages]


def _our_grids(data: bytes) -> list[list[tuple]]:
    pdf = pdfium.PdfDocument(data)
    pages = read_pages(pdf)
    return [[(g.bbox, g.rows) for g in grids(page_rulings(p.textpage.page, p.space))] for p in pages]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_grid_is_pdfplumbers_on_every_page(path: Path) -> None:
    data = path.read_bytes()
    want, got = _plumber_grids(data), _our_grids(data)
    assert len(want) == len(got)
    for number, (ours, theirs) in enumerate(zip(got, want, strict=True), start=1):
        assert len(ours) == len(theirs), f"page {number}"
        for (box, rows), (ref_box, ref_rows) in zip(ours, theirs, strict=True):
            assert _close(box, ref_box), f"page {number}"
            assert [len(r) for r in rows] == [len(r) for r in ref_rows], f"page {number}"
            for row, ref in zip(rows, ref_rows, strict=True):
                assert all(_close(a, b) for a, b in zip(row, ref, strict=True)), f"page {number}"


def test_the_fixtures_hold_tables_on_most_pages() -> None:
    # The equality above is only worth something if the fixtures have tables to compare.
    tables = sum(len(page) for path in FIXTURES for page in _our_grids(path.read_bytes()))
    assert tables >= 35


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_cells_read_as_from_pdfplumbers_boxes(path: Path, host) -> None:
    """Each table page's rows are the text inside pdfplumber's cells: the cells the loader read before."""
    data = path.read_bytes()
    labels = template_labels(host.templates).printed
    pages = read_pages(open_pdf(data))
    reference = _plumber_grids(data)
    compared = 0
    for page in pages:
        if not holds_table(page, labels):
            continue
        found = find_tables(data, pages, [page.number], labels, follow=False)  # one page: nothing joined
        if found.failed:
            continue  # refused grids are tested below
        want = [
            [None if box is None else join_wrapped(page.cell_text(*box)) for box in row]
            for _, rows in sorted(reference[page.number - 1], key=lambda t: t[0][1])
            for row in rows
        ]
        got = [row.cells for part in found.parts.get(page.number, []) for row in part.rows]
        assert got == [row for row in want if any(row)], f"page {page.number}"
        compared += bool(got)
    assert compared or path.stem in ("letter_spaced", "horizontal_rules", "rotated_forms")


def _tables(doc) -> dict:  # noqa: ANN001
    return {
        t: {r: {k: c.value for k, c in row.cells.items()} for r, row in table.rows.items()}
        for t, table in doc.tables.items()
    }


def test_word_style_filled_rules_read_as_the_stroked_ones(host, context) -> None:
    stroked = load_document(str(FORMATS / "000_98b392332e9fbc59.pdf"), host.loaders, context)
    filled = load_document(str(PDFS / "filled_rules.pdf"), host.loaders, context)
    assert _tables(filled) == _tables(stroked) and len(_tables(filled)["t3"]) == 23
    assert not filled.diagnostics


def _page_rows(path: Path, labels: frozenset[str]) -> dict[int, list[list[str | None]] | None]:
    """Each table page's rows, found page by page (nothing joined); None for a page found failed."""
    data = path.read_bytes()
    pages = read_pages(open_pdf(data))
    out: dict[int, list[list[str | None]] | None] = {}
    for page in pages:
        if holds_table(page, labels):
            found = find_tables(data, pages, [page.number], labels, follow=False)
            parts = found.parts.get(page.number, [])
            out[page.number] = None if found.failed else [r.cells for part in parts for r in part.rows]
    return out


def test_pages_stored_sideways_read_upright(host) -> None:
    """/Rotate 90 and 180 pages give the upright report's rows; cell boxes are in the page as shown."""
    labels = template_labels(host.templates).printed
    upright, turned = _page_rows(FORMATS / "003_dd547b77e3c6f981.pdf", labels), _page_rows(PDFS / "rotated.pdf", labels)
    pdf = pdfium.PdfDocument(PDFS / "rotated.pdf")
    sideways = [n for n in turned if pdf[n - 1].get_rotation()]
    # PDFium breaks the text of the /Rotate 270 page (running down the stored page) into single
    # characters, so it shows no table label; its values, one a line at one height, show the table.
    assert {pdf[n - 1].get_rotation() for n in sideways} == {90, 180, 270}
    for number in sideways:
        if pdf[number - 1].get_rotation() == 270:
            # PDFium spaces that page's characters apart differently (``商业企业`` / ``商 业企业``).
            assert _squeezed(turned[number]) == _squeezed(upright[number]), f"page {number}"
        else:
            assert turned[number] == upright[number], f"page {number}"
    assert any("行政许可" in (c or "") for n in sideways for row in turned[n] or [] for c in row)


def _squeezed(rows: list[list[str | None]] | None) -> list[list[str | None]] | None:
    return None if rows is None else [[None if c is None else "".join(c.split()) for c in row] for row in rows]


def test_text_in_a_transformed_form_is_no_grid_to_trust(host, context) -> None:
    """PDFium places some glyphs of a form XObject drawn under a matrix in the form's space: such a
    page's grid is refused (NB03, read as text), never filled with numbers from the wrong cells."""
    labels = template_labels(host.templates).printed
    upright, forms = (
        _page_rows(PDFS / "filled_rules.pdf", labels),
        _page_rows(PDFS / "rotated_forms.pdf", labels),
    )
    assert {n for n, rows in forms.items() if rows is None} == {1, 2, 3, 5}
    assert forms[4] == upright[4] and len(forms[4]) >= 10  # page 4's form is drawn with no transform
    doc = load_document(str(PDFS / "rotated_forms.pdf"), host.loaders, context)
    assert {d.location.page for d in doc.diagnostics if d.code == "NB03" and d.location.line is None} == {1, 2, 3, 5}


def test_a_table_ruled_only_between_rows_is_reported_not_guessed(host, context) -> None:
    doc = load_document(str(PDFS / "horizontal_rules.pdf"), host.loaders, context)
    failed = {d.location.page for d in doc.diagnostics if d.code == "NB03" and d.location.line is None}
    assert failed == {1, 2, 3, 4}


# ---------------------------------------------------------------------------- drawn for the case


def _table_pdf(extra: bytes = b"", text: bytes = b"") -> bytes:
    """A 2 x 2 table of stroked lines at x 100/200/300, y 700/680/660, plus ``extra`` paths and text."""
    lines = b"".join(
        b"%d %d m %d %d l S\n" % seg
        for seg in [
            (100, 700, 300, 700),
            (100, 680, 300, 680),
            (100, 660, 300, 660),
            (100, 700, 100, 660),
            (200, 700, 200, 660),
            (300, 700, 300, 660),
        ]
    )
    return one_page_pdf(b"0.5 w\n" + lines + extra + text, filters=None, fonts=HELVETICA)


def _find(data: bytes):  # noqa: ANN202
    pages = read_pages(open_pdf(data))
    return find_tables(data, pages, [1])


def _text(x: int, y: int, s: bytes) -> bytes:
    return b"BT /F1 10 Tf %d %d Td (%s) Tj ET\n" % (x, y, s)


def test_cells_and_their_text() -> None:
    found = _find(_table_pdf(text=_text(110, 686, b"Label") + _text(210, 686, b"12") + _text(210, 666, b"3")))
    assert [r.cells for p in found.parts[1] for r in p.rows] == [["Label", "12"], ["", "3"]]


def test_a_diagonal_in_a_header_cell_is_no_ruling() -> None:
    plain, slashed = _table_pdf(), _table_pdf(b"100 700 m 200 680 l S\n")
    assert _our_grids(slashed) == _our_grids(plain) == _plumber_grids(slashed)


def test_rules_made_of_filled_rectangles_and_cell_outlines() -> None:
    # Each cell outlined by its own rectangle, borders doubled where cells meet: one grid.
    outlines = b"".join(b"%d %d 100 20 re S\n" % (x, y) for x in (100, 200) for y in (680, 660))
    filled = b"".join(b"99.75 %d 200.5 0.5 re f\n" % y for y in (700, 680, 660))
    filled += b"".join(b"%d 659.75 0.5 40.5 re f\n" % x for x in (100, 200, 300))
    for content in (outlines, filled):
        data = one_page_pdf(content, filters=None)
        assert _our_grids(data) == _plumber_grids(data)
        assert [len(r) for r in _our_grids(data)[0][0][1]] == [2, 2]


def test_a_merged_cell_leaves_none_where_it_covers() -> None:
    # No vertical between the two top cells: one cell across both columns.
    lines = b"100 700 m 300 700 l S 100 680 m 300 680 l S 100 660 m 300 660 l S "
    lines += b"100 700 m 100 660 l S 300 700 m 300 660 l S 200 680 m 200 660 l S\n"
    data = one_page_pdf(lines, filters=None)
    rows = _our_grids(data)[0][0][1]
    assert rows[0][1] is None and rows[0][0] == (100.0, 142.0, 300.0, 162.0)
    assert _our_grids(data) == _plumber_grids(data)


def test_text_inside_a_table_but_in_no_cell_fails_the_page() -> None:
    # Two tables touching at a corner are one table; the empty corners are holes, text there is no cell.
    second = b"".join(
        b"%d %d m %d %d l S\n" % seg
        for seg in [(300, 660, 400, 660), (300, 640, 400, 640), (400, 660, 400, 640), (300, 660, 300, 640)]
    )
    clean = _find(_table_pdf(second, _text(110, 686, b"7")))
    assert clean.parts and not clean.failed
    found = _find(_table_pdf(second, _text(110, 646, b"7")))
    assert found.failed == [1] and not found.parts


def test_overlapping_cells_are_no_grid() -> None:
    # A stub of ruling inside a cell makes pdfplumber's method return a cell inside another.
    edges = Rulings(
        horizontal=[Edge(0, 0, 40), Edge(40, 0, 40), Edge(20, 20, 40)],
        vertical=[Edge(0, 0, 40), Edge(40, 0, 40), Edge(20, 20, 40)],
    )
    with pytest.raises(GridError):
        grids(edges)


def test_a_page_with_too_many_path_segments_is_read_as_text(monkeypatch) -> None:
    monkeypatch.setattr(rulings, "MAX_SEGMENTS", 10)
    found = _find(_table_pdf())
    assert found.failed == [1] and not found.parts


def test_loading_a_pdf_imports_neither_pdfplumber_nor_pdfminer() -> None:
    code = (
        "import sys; from nianbao.host import create_host; from nianbao.loading import LoadContext, load_document; "
        f"h = create_host(entry_points=False); d = load_document({str(FORMATS / '000_98b392332e9fbc59.pdf')!r}, "
        "h.loaders, LoadContext(templates=h.templates)); assert d.tables['t3'].rows; "
        "print(sorted(m for m in ('pypdfium2', 'pdfplumber', 'pdfminer') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['pypdfium2']"
