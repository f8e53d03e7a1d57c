"""A seed report as an abstract, writer-neutral layout: what the DOCX, HTML and PDF builders draw.

The layout comes from the canonical document the text loader reads from a seed, so every fixture
format carries the same content: the same lines of prose (one block per source line, so wrapped
lines and title lines stay where the text had them), the same section headings with their numbers
separable (a Word builder can make them automatic numbering), and the same table values, drawn as
the national format draws its tables — caption row, merged header cells, vertical row-group
labels. All labels come from the format YAML; cell values are the text loader's ``raw`` values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from nianbao.document import Document, Table
from nianbao.host import create_host
from nianbao.loading import LoadContext, load_document
from nianbao.plugins.text.decode import decode
from nianbao.plugins.text.normalize import normalise
from nianbao.templates import RowSpec, TableSpec, Template

TESTS = Path(__file__).resolve().parent.parent
CORPUS = TESTS / "corpus"
FORMATS_DIR = CORPUS / "formats"

TextKind = Literal["title", "preamble", "paragraph", "signature"]
CellRole = Literal["caption", "corner", "header", "group", "label", "value"]

# An outline number at the start of a label: ``一、`` ``（一）`` ``(一)`` ``1.`` ``1、``. A Word builder
# may generate it with automatic numbering instead of writing it.
_LABEL_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")


def split_number(label: str) -> tuple[str | None, str]:
    """``1.属于国家秘密`` -> (``1.``, ``属于国家秘密``); a label without a number -> (None, label)."""
    m = _LABEL_NUMBER.match(label)
    return (m.group(0), label[m.end() :]) if m else (None, label)


@dataclass(slots=True)
class TextBlock:
    kind: TextKind
    text: str
    line: int  # line in the seed text, for ordering and for messages


@dataclass(slots=True)
class HeadingBlock:
    key: str | None  # s1..s6, or None for a heading the format does not know
    number: str | None  # as written in the seed (``一、``, ``一 、``), None when the seed has none
    ordinal: int | None  # 1-based position of the section in the format, when ``number`` is present
    title: str  # the heading without its number
    text: str  # the heading as written (normalised)
    line: int


@dataclass(slots=True)
class GridCell:
    text: str
    row: int
    col: int
    role: CellRole
    rowspan: int = 1
    colspan: int = 1
    column: str | None = None  # format column key of a value cell or leaf header
    row_key: str | None = None  # format row key of a label or value cell

    @property
    def number(self) -> str | None:
        """The outline number of a label cell (``1.``), for auto-numbering writers."""
        return split_number(self.text)[0] if self.role in ("label", "group") else None


@dataclass(slots=True)
class TableBlock:
    id: str
    line: int
    n_rows: int
    n_cols: int
    header_rows: int  # rows at the top (caption included) that repeat on every page
    cells: list[GridCell] = field(default_factory=list)  # anchor cells only, row-major

    def grid(self) -> list[list[GridCell | None]]:
        """A rectangular grid: each position holds its anchor cell, or None where a merge covers it."""
        out: list[list[GridCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row][cell.col] = cell
        return out

    def covering(self) -> list[list[GridCell]]:
        """A rectangular grid where every position holds the cell that covers it (merges repeated)."""
        out: list[list[Any]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    out[r][c] = cell
        return out


Block = TextBlock | HeadingBlock | TableBlock


@dataclass(slots=True)
class ReportLayout:
    stem: str
    edition: str
    title: str | None
    blocks: list[Block]
    meta: dict[str, Any]  # what the text seed says about itself (title, organ, year, 落款, portal, period)

    def tables(self) -> list[TableBlock]:
        return [b for b in self.blocks if isinstance(b, TableBlock)]

    def headings(self) -> list[HeadingBlock]:
        return [b for b in self.blocks if isinstance(b, HeadingBlock)]


# --------------------------------------------------------------------------- tables


class _Grid:
    """Places cells the way an HTML table does: each new cell takes the next free position."""

    def __init__(self, n_cols: int) -> None:
        self.n_cols = n_cols
        self.taken: list[list[bool]] = []
        self.cells: list[GridCell] = []

    def _ensure(self, rows: int) -> None:
        while len(self.taken) < rows:
            self.taken.append([False] * self.n_cols)

    def free_col(self, row: int, col: int) -> int:
        self._ensure(row + 1)
        while col < self.n_cols and self.taken[row][col]:
            col += 1
        return col

    def put(self, cell: GridCell) -> GridCell:
        self._ensure(cell.row + cell.rowspan)
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                if self.taken[r][c]:
                    raise ValueError(f"cell {cell.text!r} overlaps at ({r}, {c})")
                self.taken[r][c] = True
        self.cells.append(cell)
        return cell


def _depth(spec: TableSpec, row: RowSpec) -> int:
    parents = {r.key: r.parent for r in spec.rows}
    depth, parent = 0, row.parent
    while parent:
        depth += 1
        parent = parents.get(parent)
    return depth


def _ancestors(spec: TableSpec, row: RowSpec) -> list[RowSpec]:
    """The group rows above ``row``, outermost first."""
    by_key = {r.key: r for r in spec.rows}
    out: list[RowSpec] = []
    parent = row.parent
    while parent and parent in by_key:
        out.insert(0, by_key[parent])
        parent = by_key[parent].parent
    return out


def _header_levels(spec: TableSpec) -> list[list[dict[str, Any]]]:
    """The header rows of the format, as lists of ``{label, span, column}``."""
    levels = spec.raw.get("header") or []
    if levels:
        return [
            [c if isinstance(c, dict) else {"label": c} for c in level.get("cells", ())]
            for level in sorted(levels, key=lambda lv: lv.get("level", 0))
        ]
    return [[{"label": c.label, "column": c.key} for c in spec.columns]]


def table_layout(spec: TableSpec, table: Table, line: int) -> TableBlock:
    """Draw ``table`` as the national format does; cells hold the values the text loader read."""
    label_cols = 0
    if any(r.label for r in spec.rows):
        label_cols = max(_depth(spec, r) for r in spec.rows if r.label) + 1
    n_cols = label_cols + len(spec.columns)
    grid = _Grid(n_cols)
    row = 0
    if spec.caption:
        grid.put(GridCell(table.caption or spec.caption, 0, 0, "caption", colspan=n_cols))
        row = 1
    levels = _header_levels(spec)
    corner = spec.corner_note or spec.row_header_label
    if label_cols:
        grid.put(GridCell(corner or "", row, 0, "corner", rowspan=len(levels), colspan=label_cols))
    for depth, level in enumerate(levels):
        col = label_cols
        last = depth == len(levels) - 1
        for item in level:
            col = grid.free_col(row + depth, col)
            span = int(item.get("span", 1))
            leaf = "span" not in item
            rowspan = len(levels) - depth if leaf and not last else 1
            grid.put(
                GridCell(
                    item["label"], row + depth, col, "header", rowspan=rowspan, colspan=span, column=item.get("column")
                )
            )
            col += span
    row += len(levels)
    header_rows = row

    # A group row holding cells itself (a 2019-style single （六）其他处理 row in a 2021 table) is drawn as a leaf.
    present = [
        r
        for r in spec.rows
        if r.key in table.rows
        and table.rows[r.key].known
        and (r.data or not any(c.parent == r.key and c.key in table.rows for c in spec.rows))
    ]
    unknown = [r for r in table.rows.values() if not r.known]
    # Vertical group labels span the rows present under them.
    placed_groups: set[str] = set()
    for n, spec_row in enumerate(present):
        r = row + n
        for depth, group in enumerate(_ancestors(spec, spec_row)):
            if group.key in placed_groups or not group.label:
                continue
            span = sum(1 for x in present if group in _ancestors(spec, x))
            grid.put(GridCell(group.label, r, depth, "group", rowspan=span, row_key=group.key))
            placed_groups.add(group.key)
        if label_cols:
            depth = _depth(spec, spec_row)
            grid.put(
                GridCell(spec_row.label or "", r, depth, "label", colspan=label_cols - depth, row_key=spec_row.key)
            )
        cells = table.rows[spec_row.key].cells
        for i, column in enumerate(spec.columns):
            cell = cells.get(column.key)
            grid.put(
                GridCell(
                    cell.raw if cell else "",
                    r,
                    label_cols + i,
                    "value",
                    column=column.key,
                    row_key=spec_row.key,
                )
            )
    row += len(present)
    for n, extra in enumerate(unknown):
        r = row + n
        if label_cols:
            grid.put(GridCell(extra.label or "", r, 0, "label", colspan=label_cols))
        values = list(extra.cells.values())
        for i in range(len(spec.columns)):
            grid.put(GridCell(values[i].raw if i < len(values) else "", r, label_cols + i, "value"))
    row += len(unknown)
    return TableBlock(id=spec.id, line=line, n_rows=row, n_cols=n_cols, header_rows=header_rows, cells=grid.cells)


# --------------------------------------------------------------------------- the report


def _meta(doc: Document) -> dict[str, Any]:
    m = doc.meta
    return {
        "title": m.title.normalised if m.title else None,
        "organ": m.organ,
        "report_year": m.report_year,
        "edition": m.edition.value,
        "signature_organ": m.signature.organ.value if m.signature.organ else None,
        "signature_date": m.signature.date.raw if m.signature.date else None,
        "signature_date_iso": m.signature.date.value if m.signature.date else None,
        "publication_date": m.publication_date.value if m.publication_date else None,
        "statistics_period": m.statistics_period.raw if m.statistics_period else None,
        "portal": {k: v.value for k, v in m.portal.items()},
    }


def build_layout(seed: Path, context: LoadContext | None = None) -> ReportLayout:
    """The layout of one seed (``tests/corpus/00N_*.txt``)."""
    host = create_host(entry_points=False)
    if context is None:
        context = LoadContext(templates=host.templates)
    doc = load_document(str(seed), host.loaders, context)
    text, _ = decode(seed.read_bytes())
    lines, _, _ = normalise(text)
    fmt = _format_of(doc, context)

    def source_lines(first: int, last: int) -> list[tuple[int, str]]:
        return [(n, lines[n - 1].text.strip()) for n in range(first, last + 1) if lines[n - 1].text.strip()]

    title_lines: set[int] = set()
    if doc.meta.title and doc.meta.title.location.line:
        loc = doc.meta.title.location
        title_lines = set(range(loc.line, (loc.end_line or loc.line) + 1))

    blocks: list[Block] = []
    ordinals = {s.key: n for n, s in enumerate(fmt.sections, start=1)}
    for section in doc.sections:
        if section.heading is not None and section.location and section.location.line:
            blocks.append(
                HeadingBlock(
                    key=section.key,
                    number=section.number,
                    ordinal=ordinals.get(section.key) if section.number and section.key else None,
                    title=section.title or section.heading,
                    text=section.heading,
                    line=section.location.line,
                )
            )
        for paragraph in section.paragraphs:
            loc = paragraph.location
            for n, text in source_lines(loc.line or 0, loc.end_line or loc.line or 0):
                kind: TextKind = "paragraph"
                if section.kind == "preamble":
                    kind = "title" if n in title_lines else "preamble"
                blocks.append(TextBlock(kind, text, n))
    for table in doc.tables.values():
        line = table.location.line if table.location and table.location.line else 0
        blocks.append(table_layout(fmt.tables[table.id], table, line))
    signature = doc.meta.signature
    for located in (signature.organ, signature.date):
        if located is not None and located.location.line:
            blocks.append(TextBlock("signature", lines[located.location.line - 1].text.strip(), located.location.line))
    blocks.sort(key=lambda b: b.line)
    return ReportLayout(
        stem=seed.stem,
        edition=fmt.edition,
        title=doc.meta.title.normalised if doc.meta.title else None,
        blocks=blocks,
        meta=_meta(doc),
    )


def _format_of(doc: Document, context: LoadContext) -> Template:
    """The edition the tables were read with (the shape when it says one, else the report's edition)."""
    edition = doc.meta.edition.table_shape or doc.meta.edition.value
    fmt = context.template(edition) if edition else None
    if fmt is None:
        fmt = list(context.templates)[-1]
    return fmt


def seeds() -> list[Path]:
    return sorted(CORPUS.glob("0*.txt"))
