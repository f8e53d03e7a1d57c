"""Statutory tables read from real Word table grids: one cell per grid position, nothing re-guessed.

A Word table (or a part of one, when several statutory tables share a Word table separated by
caption rows) is tied to the format table whose caption, corner note, header or row labels it
prints. Its grid columns are tied to the format's columns by their header path (``行政诉讼`` /
``复议后起诉`` / ``结果维持``), its rows to the format's rows by their labels, with the same
tolerant label comparison as the text loader (:mod:`nianbao.plugins.text.labels`).
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.document import Cell, Diagnostic, HeaderLabel, Location, Row, Table
from nianbao.formats import ReportFormat, RowSpec, TableSpec
from nianbao.plugins.text.labels import at_least, key, parse_value
from nianbao.plugins.text.tables import Token

from .body import DocCell, DocTable

_ROW_MATCH = 0.8
_HEADER_MATCH = 0.75


@dataclass(slots=True)
class _Segment:
    table: DocTable
    first: int  # first grid row (the caption row, when there is one)
    end: int
    caption: DocCell | None


def _loc(table: DocTable, cell: DocCell, raw: dict[int, str]) -> Location:
    return Location(text=raw.get(id(cell), cell.text), table=table.index, row=cell.row + 1, cell=cell.col + 1)


def format_label_keys(formats: list[ReportFormat]) -> set[str]:
    """Every label a statutory table prints, in any edition: what makes a Word table a statutory one."""
    keys: set[str] = set()
    for fmt in formats:
        for spec in fmt.tables.values():
            keys.update(key(r.label) for r in spec.rows if r.label)
            keys.update(key(c.label) for c in spec.columns)
            keys.update(key(x) for x in spec.header_labels)
            for extra in (spec.caption, spec.corner_note, spec.row_header_label):
                if extra:
                    keys.add(key(extra))
    keys.discard("")
    return keys


class GridTables:
    """The statutory Word tables of one document (a ``TableSource`` for the text reader)."""

    def __init__(self, tables: list[DocTable], raw_text: dict[int, str]) -> None:
        self.tables = tables
        self.raw = raw_text  # id(cell) -> the cell text as written, before normalisation

    def tokens(self) -> list[Token]:
        return [Token(c.text, 0, 0, len(c.text), parse_value(c.text)) for t in self.tables for c in t.cells if c.text]

    def read(self, fmt: ReportFormat) -> tuple[dict[str, Table], list[Diagnostic]]:
        out: dict[str, Table] = {}
        diagnostics: list[Diagnostic] = []
        specs = list(fmt.tables.values())
        for segment in self._segments(specs):
            spec = self._identify(segment, [s for s in specs if s.id not in out])
            if spec is None:
                continue
            out[spec.id] = self._read(spec, segment, diagnostics)
        ordered = {s.id: out[s.id] for s in specs if s.id in out}
        return ordered, diagnostics

    # ------------------------------------------------------------------ finding the tables
    def _segments(self, specs: list[TableSpec]) -> list[_Segment]:
        captions = {key(s.caption) for s in specs if s.caption}
        segments: list[_Segment] = []
        for table in self.tables:
            covering = table.covering()
            start, caption = 0, None
            for r in range(table.n_rows):
                texts = {c.text for c in covering[r] if c is not None and c.text}
                if len(texts) == 1 and key(next(iter(texts))) in captions:
                    if r > start:
                        segments.append(_Segment(table, start, r, caption))
                    start = r
                    caption = next(c for c in covering[r] if c is not None and c.text)
            segments.append(_Segment(table, start, table.n_rows, caption))
        return segments

    def _identify(self, segment: _Segment, specs: list[TableSpec]) -> TableSpec | None:
        texts = {key(c.text) for c in segment.table.cells if segment.first <= c.row < segment.end and c.text}
        best: tuple[int, TableSpec | None] = (0, None)
        for spec in specs:
            score = 0
            if segment.caption is not None and spec.caption and key(segment.caption.text) == key(spec.caption):
                score += 100
            if spec.corner_note and key(spec.corner_note) in texts:
                score += 50
            score += sum(2 for r in spec.rows if r.label and key(r.label) in texts)
            score += sum(1 for x in {*spec.header_labels, *(c.label for c in spec.columns)} if key(x) in texts)
            if score > best[0]:
                best = (score, spec)
        return best[1] if best[0] >= 2 else None

    # ------------------------------------------------------------------ one table
    def _read(self, spec: TableSpec, segment: _Segment, diagnostics: list[Diagnostic]) -> Table:
        doc_table = segment.table
        covering = doc_table.covering()
        rows = range(segment.first + (1 if segment.caption else 0), segment.end)
        table = Table(id=spec.id)
        if segment.caption is not None:
            table.caption = segment.caption.text
            table.location = _loc(doc_table, segment.caption, self.raw)
        row_keys = {key(r.label) for r in spec.rows if r.label}
        data_start = next(
            (
                r
                for r in rows
                if any(c is not None and key(c.text) in row_keys and c.row == r for c in covering[r])
                or any(_is_value(c) and c.row == r for c in covering[r] if c is not None)
            ),
            segment.end,
        )
        header_rows = range(rows.start, data_start)
        value_cols = self._value_columns(spec, covering, header_rows, range(data_start, segment.end), doc_table)
        if table.location is None and doc_table.cells:
            first = next((c for c in doc_table.cells if c.row >= rows.start), doc_table.cells[0])
            table.location = _loc(doc_table, first, self.raw)
        table.header = self._header(spec, covering, header_rows, value_cols, doc_table)
        if value_cols is None:
            diagnostics.append(
                Diagnostic(
                    "NB03",
                    f"表{spec.caption or spec.id}：表头与格式的列对不上，无法确定各列含义，请人工核对",
                    table.location,
                )
            )
            return table
        first_value = min(value_cols.values()) if value_cols else doc_table.n_cols
        taken: set[str] = set()
        for r in range(data_start, segment.end):
            labels: list[DocCell] = []
            for c in range(first_value):
                cell = covering[r][c]
                if cell is not None and cell.text and all(cell is not x for x in labels):
                    labels.append(cell)
            values = {col: covering[r][g] for col, g in value_cols.items()}
            spec_row = self._match_row(spec, labels, taken)
            has_values = any(v is not None and v.row == r and v.text for v in values.values())
            if spec_row is None:
                if labels and has_values:
                    self._unknown_row(table, labels[-1], values, r, doc_table)
                continue
            if not spec_row.data:
                continue
            taken.add(spec_row.key)
            label = labels[-1] if labels else None
            row = Row(label=label.text if label else None, location=_loc(doc_table, label, self.raw) if label else None)
            for col_key, cell in values.items():
                row.cells[col_key] = self._cell(cell, r, value_cols[col_key], doc_table)
            table.rows[spec_row.key] = row
        return table

    def _cell(self, cell: DocCell | None, r: int, g: int, doc_table: DocTable) -> Cell:
        if cell is None or cell.row != r or cell.col != g:
            # A position covered by a merge from elsewhere holds nothing of its own.
            return Cell(
                raw="",
                value=None,
                state="blank",
                location=Location(text="", table=doc_table.index, row=r + 1, cell=g + 1),
            )
        value, state, unit = parse_value(cell.text) or (None, "text", None)
        return Cell(raw=cell.text, value=value, state=state, unit=unit, location=_loc(doc_table, cell, self.raw))

    def _unknown_row(self, table: Table, label: DocCell, values, r: int, doc_table: DocTable) -> None:  # noqa: ANN001
        """Values after a label the format does not know: kept under their own label, not dropped."""
        row = Row(label=label.text, known=False, location=_loc(doc_table, label, self.raw))
        n = 0
        for g in sorted({c.col for c in values.values() if c is not None}):
            cell = next(c for c in values.values() if c is not None and c.col == g)
            if cell.row == r and cell.text:
                n += 1
                row.cells[str(n)] = self._cell(cell, r, g, doc_table)
        table.rows.setdefault(label.text, row)

    def _match_row(self, spec: TableSpec, labels: list[DocCell], taken: set[str]) -> RowSpec | None:
        candidates = [r for r in spec.rows if r.key not in taken]
        if not labels:
            return next((r for r in candidates if not r.label and r.data), None)
        leaf = key(labels[-1].text)
        groups = {key(c.text) for c in labels[:-1]}
        parents = {r.key: r for r in spec.rows}

        def in_group(r: RowSpec) -> bool:
            parent = parents.get(r.parent) if r.parent else None
            return parent is not None and parent.label is not None and key(parent.label) in groups

        exact = [
            r
            for r in candidates
            if r.label and (leaf == key(r.label) or (len(key(r.label)) >= 4 and leaf.endswith(key(r.label))))
        ]
        if exact:
            return next((r for r in exact if in_group(r)), exact[0])
        if len(leaf) < 4:
            return None
        scored = [
            (at_least(leaf, key(r.label), _ROW_MATCH), r) for r in candidates if r.label and len(key(r.label)) >= 4
        ]
        scored = [(s + (0.01 if in_group(r) else 0), r) for s, r in scored if s]
        return max(scored, key=lambda sr: sr[0])[1] if scored else None

    # ------------------------------------------------------------------ columns
    def _value_columns(self, spec, covering, header_rows, data_rows, doc_table) -> dict[str, int] | None:  # noqa: ANN001
        """Format column key -> grid column, from the header paths; by position when the header is lost."""
        n_cols = doc_table.n_cols
        paths: list[list[str]] = []
        for g in range(n_cols):
            path: list[str] = []
            for r in header_rows:
                cell = covering[r][g]
                if cell is not None and cell.text and (not path or path[-1] != key(cell.text)):
                    path.append(key(cell.text))
            paths.append(path)
        assigned: dict[str, int] = {}
        used: set[int] = set()
        pointer = 0
        for column in spec.columns:
            label = key(column.label)
            groups = [key(x) for x in (column.group or "").split("/") if x]
            best: tuple[float, int] | None = None
            for g in list(range(pointer, n_cols)) + list(range(pointer)):
                if g in used or not paths[g]:
                    continue
                leaf = paths[g][-1]
                score = 1.0 if leaf == label else at_least(leaf, label, _HEADER_MATCH)
                if not score:
                    continue
                if groups and not all(gr in paths[g] for gr in groups):
                    score -= 0.5  # the group labels were lost: only take it if nothing better
                if best is None or score > best[0] + 1e-9:
                    best = (score, g)
            if best is not None:
                assigned[column.key] = best[1]
                used.add(best[1])
                pointer = best[1] + 1
        if len(assigned) == len(spec.columns) and list(assigned.values()) == sorted(assigned.values()):
            return assigned
        # Header lost or unreadable: the value columns are the rightmost ones that hold values.
        value_grid = [
            g
            for g in range(n_cols)
            if any(
                covering[r][g] is not None and covering[r][g].col == g and _is_value(covering[r][g]) for r in data_rows
            )
        ]
        if value_grid:
            first = value_grid[0]
            candidates = list(range(first, n_cols))
            if len(candidates) == len(spec.columns):
                return {c.key: g for c, g in zip(spec.columns, candidates, strict=True)}
        return None

    def _header(self, spec, covering, header_rows, value_cols, doc_table) -> list[HeaderLabel]:  # noqa: ANN001
        by_grid = {g: k for k, g in (value_cols or {}).items()}
        out: list[HeaderLabel] = []
        seen: set[int] = set()
        for r in header_rows:
            for cell in covering[r]:
                if cell is None or id(cell) in seen or not cell.text or cell.row != r:
                    continue
                seen.add(id(cell))
                column = by_grid.get(cell.col) if cell.colspan == 1 else None
                out.append(HeaderLabel(text=cell.text, column=column, location=_loc(doc_table, cell, self.raw)))
        return out


def _is_value(cell: DocCell | None) -> bool:
    if cell is None or not cell.text:
        return False
    parsed = parse_value(cell.text)
    return parsed is not None and parsed[1] != "blank"
