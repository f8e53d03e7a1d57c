"""Tables from cell grids: one cell per grid position, nothing re-guessed.

A grid (or a part of one, when several statutory tables share a grid separated by caption rows, as
the national Word template draws the 第二十条 tables) is tied to the format table whose caption,
corner note, header or row labels it prints. Its columns are tied to the format's columns by their
header paths, its rows to the format's rows by their labels; each cell keeps the location its
loader gave it. A position covered by a merged cell holds a blank cell of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nianbao.document import HeaderLabel, Row, Table
from nianbao.formats import TableSpec
from nianbao.plugins.text.labels import key

from .doubts import Doubts, blank_cell, is_value, make_cell
from .grid import Grid, GridCell
from .matching import TableSet

_MIN_SCORE = 2


@dataclass(slots=True)
class _Segment:
    grid: Grid
    first: int  # first grid row (the caption row, when there is one)
    end: int
    caption: GridCell | None
    caption_inside: bool  # the caption is a row of the grid, not a line above it


class GridReader:
    """Reads the statutory tables of one edition from the grids a loader found."""

    def __init__(self, tables: TableSet, doubts: Doubts) -> None:
        self.tables = tables
        self.doubts = doubts

    def read(self, grids: Sequence[Grid]) -> dict[str, Table]:
        out: dict[str, Table] = {}
        for segment in self._segments(grids):
            spec = self._identify(segment, [s for s in self.tables.specs if s.id not in out])
            if spec is not None:
                out[spec.id] = self._read(spec, segment)
        return {s.id: out[s.id] for s in self.tables.specs if s.id in out}

    # ------------------------------------------------------------------ finding the tables
    def _segments(self, grids: Sequence[Grid]) -> list[_Segment]:
        """Each grid cut where a table begins: at a caption row (the national template draws the
        第二十条 tables as one Word table), or at a row that prints a table's corner note (two
        tables a page break made look like one)."""
        captions = {k for labels in self.tables.labels.values() if (k := labels.caption_key)}
        corners = {k for labels in self.tables.labels.values() if (k := labels.corner_key)}
        segments: list[_Segment] = []
        for grid in grids:
            covering = grid.covering()
            start, caption, inside = 0, grid.caption, False
            for r in range(grid.n_rows):
                cells = {id(c): c for c in covering[r] if c is not None and c.text}
                texts = {key(c.text) for c in cells.values() if c.row == r}
                if len(cells) == 1 and key(next(iter(cells.values())).text) in captions:
                    if r > start:
                        segments.append(_Segment(grid, start, r, caption, inside))
                    start, caption, inside = r, next(iter(cells.values())), True
                elif r > start and texts & corners:
                    segments.append(_Segment(grid, start, r, caption, inside))
                    start, caption, inside = r, None, False
            segments.append(_Segment(grid, start, grid.n_rows, caption, inside))
        return segments

    def _identify(self, segment: _Segment, specs: list[TableSpec]) -> TableSpec | None:
        texts = {key(c.text) for c in segment.grid.cells if segment.first <= c.row < segment.end and c.text}
        caption = key(segment.caption.text) if segment.caption is not None else None
        best: tuple[int, TableSpec | None] = (0, None)
        for spec in specs:
            labels = self.tables.labels[spec.id]
            score = 0
            if caption and (labels.caption_key == caption or _names(caption, spec)):
                score += 100
            if labels.corner_key and labels.corner_key in texts:
                score += 50
            score += 2 * len(labels.row_keys & texts)
            score += len(labels.header_keys & texts)
            if score > best[0]:
                best = (score, spec)
        return best[1] if best[0] >= _MIN_SCORE else None

    # ------------------------------------------------------------------ one table
    def _read(self, spec: TableSpec, segment: _Segment) -> Table:
        grid = segment.grid
        covering = grid.covering()
        labels = self.tables.labels[spec.id]
        rows = range(segment.first + (1 if segment.caption_inside else 0), segment.end)
        table = Table(id=spec.id)
        if segment.caption is not None:
            table.caption = segment.caption.text
            table.location = segment.caption.location()
        data_start = next(
            (
                r
                for r in rows
                if any(
                    c is not None and c.row == r and (key(c.text) in labels.row_keys or is_value(c.text))
                    for c in covering[r]
                )
            ),
            segment.end,
        )
        header_rows = range(rows.start, data_start)
        value_cols = self._value_columns(spec, covering, header_rows, range(data_start, segment.end), grid.n_cols)
        if table.location is None:
            first = next((c for c in grid.cells if c.row >= rows.start and c.text), None)
            if first is not None:
                table.location = first.location()
        widths = {b[1] for r in header_rows if (b := grid.band(r)) is not None}
        data_widths = {b[1] for r in range(data_start, segment.end) if (b := grid.band(r)) is not None}
        if widths and widths != data_widths:
            # Header rows of other widths than the data: a converter dropped the merged cells, so the
            # header labels stand wherever the row was aligned; read them in order instead.
            table.header = self._header_by_text(spec, covering, header_rows)
        else:
            table.header = self._header(covering, header_rows, value_cols)
        if value_cols is None and not grid.bands:
            self.doubts.table(spec, "的表头与格式的列对不上，无法确定各列含义", table.location)
            return table
        header_band = grid.band(header_rows[-1] if header_rows else data_start)
        taken: set[str] = set()
        for r in range(data_start, segment.end):
            band = grid.band(r)
            if value_cols is None or (band is not None and header_band is not None and band[1] != header_band[1]):
                cells = self._by_order(spec, covering[r], r)  # another page's grid: columns do not line up
                first_value = min((c.col for c in cells.values() if c is not None), default=grid.n_cols)
            else:
                cells = {col: covering[r][g] for col, g in value_cols.items()}
                first_value = min(value_cols.values(), default=grid.n_cols)
            own: list[GridCell] = []
            groups: list[GridCell] = []
            for c in range(first_value):
                cell = covering[r][c]
                if cell is None or not cell.text or any(cell is x for x in own + groups):
                    continue
                (own if cell.row == r else groups).append(cell)
            has_values = any(v is not None and v.row == r and is_value(v.text) for v in cells.values())
            leaf = own[-1] if own else None
            row_key = self._row_key(spec, leaf, own[:-1] + groups, taken, has_values)
            if row_key is None:
                if leaf is not None and has_values:
                    self._unknown_row(table, leaf, r, covering, first_value)
                continue
            taken.add(row_key)
            row = Row(label=leaf.text if leaf else None, location=leaf.location() if leaf else None)
            if not cells:
                self.doubts.row(spec, row_key, "的数值个数与栏数对不上，无法确定各数值所属的栏", row.location)
                table.rows[row_key] = row
                continue
            for col_key, cell in cells.items():
                g = value_cols[col_key] if cell is None and value_cols else (cell.col if cell else 0)
                if cell is None or cell.row != r:
                    # A position covered by a merge from elsewhere holds nothing of its own.
                    row.cells[col_key] = blank_cell(grid.location_at(r, g))
                else:
                    row.cells[col_key] = make_cell(cell.text, cell.location())
            table.rows[row_key] = row
        return table

    @staticmethod
    def _by_order(spec: TableSpec, line: Sequence[GridCell | None], r: int) -> dict[str, GridCell | None]:
        """A row's values by their order, where its columns cannot be trusted: the cells after its
        last label, one per format column (blank cells just after the label are spacing when there
        are more than columns); nothing when they do not come out one per column."""
        origins: list[GridCell] = []
        for cell in line:
            if cell is not None and cell.row == r and all(cell is not x for x in origins):
                origins.append(cell)
        labelled = [i for i, c in enumerate(origins) if c.text and not is_value(c.text)]
        run = origins[labelled[-1] + 1 :] if labelled else origins
        n = len(spec.columns)
        while len(run) > n and not run[0].text:
            run = run[1:]
        if len(run) != n or (not labelled and any(r.label for r in spec.data_rows)):
            return {}
        return {column.key: cell for column, cell in zip(spec.columns, run, strict=True)}

    def _row_key(
        self, spec: TableSpec, leaf: GridCell | None, groups: list[GridCell], taken: set[str], has_values: bool
    ) -> str | None:
        """The key a row's values are kept under, or None for a group row and for a label not in the format."""
        if leaf is None:
            return next((r.key for r in spec.data_rows if not r.label and r.key not in taken), None)
        match = self.tables.labels[spec.id].match_row(leaf.text, taken, {key(g.text) for g in groups})
        if match is None:
            return None
        if match.row.data:
            return match.row.key
        # A group of this edition printed as one row of values, as another edition has it (2019's
        # single （六）其他处理 row in a 2021 table): kept under that edition's row key.
        return self.tables.data_key(spec, match.row) if has_values else None

    @staticmethod
    def _unknown_row(table: Table, label: GridCell, r: int, covering, first_value: int) -> None:  # noqa: ANN001
        """Values after a label the format does not know: kept under their own label, not dropped."""
        row = Row(label=label.text, known=False, location=label.location())
        n = 0
        for g in range(first_value, len(covering[r])):
            cell = covering[r][g]
            if cell is not None and cell.row == r and cell.col == g and cell.text:
                n += 1
                row.cells[str(n)] = make_cell(cell.text, cell.location())
        table.rows.setdefault(label.text, row)

    # ------------------------------------------------------------------ columns
    def _value_columns(self, spec, covering, header_rows, data_rows, n_cols: int) -> dict[str, int] | None:  # noqa: ANN001
        """Format column key -> grid column, from the header paths; by position when the header is lost."""
        paths: list[list[str]] = []
        for g in range(n_cols):
            path: list[str] = []
            for r in header_rows:
                cell = covering[r][g]
                if cell is not None and cell.text and (not path or path[-1] != key(cell.text)):
                    path.append(key(cell.text))
            paths.append(path)
        found = self.tables.labels[spec.id].match_paths(paths)
        if found is not None:
            return found
        # Header lost or unreadable: the value columns are the rightmost ones that hold values.
        value_grid = [
            g
            for g in range(n_cols)
            if any(
                (cell := covering[r][g]) is not None and cell.col == g and cell.row == r and is_value(cell.text)
                for r in data_rows
            )
        ]
        if value_grid and n_cols - value_grid[0] == len(spec.columns):
            return {c.key: g for c, g in zip(spec.columns, range(value_grid[0], n_cols), strict=True)}
        return None

    def _header_by_text(self, spec: TableSpec, covering, header_rows) -> list[HeaderLabel]:  # noqa: ANN001
        cells = [
            cell
            for r in header_rows
            for g, cell in enumerate(covering[r])
            if cell is not None and cell.text and cell.row == r and cell.col == g
        ]
        columns = self.tables.labels[spec.id].name_columns([c.text for c in cells])
        return [HeaderLabel(c.text, column, c.location()) for c, column in zip(cells, columns, strict=True)]

    @staticmethod
    def _header(covering, header_rows, value_cols) -> list[HeaderLabel]:  # noqa: ANN001
        by_grid = sorted((g, k) for k, g in (value_cols or {}).items())
        out: list[HeaderLabel] = []
        seen: set[int] = set()
        for r in header_rows:
            for cell in covering[r]:
                if cell is None or id(cell) in seen or not cell.text or cell.row != r:
                    continue
                seen.add(id(cell))
                # A label over exactly one value column names it; one over several is a group label.
                under = [k for g, k in by_grid if cell.col <= g < cell.col + cell.colspan]
                column = under[0] if len(under) == 1 else None
                out.append(HeaderLabel(text=cell.text, column=column, location=cell.location()))
        return out


def _names(caption: str, spec: TableSpec) -> bool:
    """A caption that names the table as people do: ``表三：收到和处理…`` for the table of section 三."""
    return caption.startswith("表" + spec.name) and caption[len(spec.name) + 1 : len(spec.name) + 2] not in _NUMERALS


_NUMERALS = set("一二三四五六七八九十0123456789")
