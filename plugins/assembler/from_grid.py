"""Tables from cell grids: one cell per grid position, nothing re-guessed.

A grid (or a part of one, when several statutory tables share a grid separated by caption rows, as
the national Word template draws the 第二十条 tables) is tied to the format table whose caption,
corner note, header or row labels it prints. Its columns are tied to the format's columns by their
header paths, its rows to the format's rows by their labels; each cell keeps the location its
loader gave it. A position covered by a merged cell holds a blank cell of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nianbao.document import Cell, GroupLabel, HeaderLabel, Location, Row, Table
from nianbao.plugins.text.labels import key, split_labels
from nianbao.templates import RowSpec, TableSpec

from .doubts import Doubts, blank_cell, is_value, make_cell
from .grid import Grid, GridCell
from .matching import RowMatch, TableSet
from .readings import holds

_MIN_SCORE = 2


@dataclass(slots=True)
class _Segment:
    """The rows of one grid that hold one statutory table (a grid may hold several, cut at captions)."""

    grid: Grid
    first: int  # first grid row (the caption row, when there is one)
    end: int
    caption: GridCell | None
    caption_inside: bool  # the caption is a row of the grid, not a line above it


@dataclass(slots=True)
class _Unlabelled:
    """A row of values whose label the file lost (an OCR fragment's first row), placed at the end."""

    cells: dict[str, Cell]
    location: Location | None


@dataclass(slots=True)
class _Reading:
    """One table as its parts are read: the rows in the order the file gives them, unlabelled ones
    where they stand, so they can be placed between the labelled rows around them."""

    table: Table
    order: list[str | _Unlabelled] = field(default_factory=list)


class GridReader:
    """Reads the statutory tables of one edition from the grids a loader found."""

    def __init__(self, tables: TableSet, doubts: Doubts) -> None:
        self.tables = tables
        self.doubts = doubts

    def read(self, grids: Sequence[Grid]) -> dict[str, Table]:
        """Each table from its grid, or from several: a table a page break or a converter cut into
        fragments (the rows go on), or printed as one sub-table per column group (the columns go on)."""
        readings: dict[str, _Reading] = {}
        for segment in self._segments(grids):
            spec = self._identify(segment, set(readings))
            if spec is not None:
                reading = readings.setdefault(spec.id, _Reading(Table(id=spec.id)))
                self._read(spec, segment, reading)
        for spec in self.tables.specs:
            if spec.id in readings:
                self._place_unlabelled(spec, readings[spec.id])
        return {s.id: readings[s.id].table for s in self.tables.specs if s.id in readings}

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

    def _identify(self, segment: _Segment, read: set[str]) -> TableSpec | None:
        """The table whose caption, corner note, row and header labels the segment prints (labels run
        together in one cell counted one by one). A table read already may go on in this segment;
        where two tables score alike, the one not read yet is taken."""
        texts: set[str] = set()
        for c in segment.grid.cells:
            if segment.first <= c.row < segment.end and c.text:
                texts.add(key(c.text))
                texts.update(key(c.text[a:b]) for a, b in split_labels(c.text, self.tables.header_keys) or ())
        caption = key(segment.caption.text) if segment.caption is not None else None
        best: tuple[int, bool, TableSpec | None] = (0, False, None)
        for spec in self.tables.specs:
            labels = self.tables.labels[spec.id]
            score = 0
            if caption and (labels.caption_key == caption or _names(caption, spec)):
                score += 100
            elif caption and caption in labels.header_keys:
                score += 1  # a group label over a sub-table (``**行政复议**``)
            if labels.corner_key and labels.corner_key in texts:
                score += 50
            score += 2 * len(labels.row_keys & texts)
            score += len(labels.header_keys & texts)
            if (score, spec.id not in read) > best[:2]:
                best = (score, spec.id not in read, spec)
        return best[2] if best[0] >= _MIN_SCORE else None

    # ------------------------------------------------------------------ one table
    def _read(self, spec: TableSpec, segment: _Segment, reading: _Reading) -> None:
        grid = segment.grid
        covering = grid.covering()
        labels = self.tables.labels[spec.id]
        table = reading.table
        rows = range(segment.first + (1 if segment.caption_inside else 0), segment.end)
        if (
            segment.caption is not None
            and table.caption is None
            and key(segment.caption.text) not in labels.header_keys
        ):
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
        group = key(segment.caption.text) if segment.caption is not None else None
        value_cols = self._value_columns(
            spec, covering, header_rows, range(data_start, segment.end), grid.n_cols, group
        )
        if table.location is None:
            first = next((c for c in grid.cells if c.row >= rows.start and c.text), None)
            if first is not None:
                table.location = first.location()
        widths = {b[1] for r in header_rows if (b := grid.band(r)) is not None}
        data_widths = {b[1] for r in range(data_start, segment.end) if (b := grid.band(r)) is not None}
        if widths and widths != data_widths:
            # Header rows of other widths than the data: a converter dropped the merged cells, so the
            # header labels stand wherever the row was aligned; read them in order instead.
            header = self._header_by_text(spec, covering, header_rows)
        else:
            header = self._header(covering, header_rows, value_cols, labels.header_keys)
        named = {h.column for h in table.header if h.column}
        if not table.header:
            table.header = header
        elif any(h.column and h.column not in named for h in header):
            # A later part with columns of its own (a sub-table per column group) adds its header.
            table.header += [h for h in header if h.column not in named]
        if value_cols is None and not grid.bands:
            self.doubts.table(spec, "的表头与格式的列对不上，无法确定各列含义", table.location)
            return
        header_band = grid.band(header_rows[-1] if header_rows else data_start)
        taken: set[str] = set()
        carried: list[GridCell] = []  # label pieces of rows without values: a label a line break cut
        # Group labels among them, alone on their rows (recorded unless they turn out to begin a label).
        carried_groups: list[tuple[RowMatch, list[GridCell], GridCell]] = []
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
            above = own[:-1] + groups
            group_keys = {key(g.text) for g in above}
            if leaf is not None and not has_values:
                match = labels.match_row(leaf.text, taken, group_keys)
                if match is None or match.score < 1:
                    carried.append(leaf)  # read with the row below, whose label it may begin
                    if match is not None and not match.row.data:
                        carried_groups.append((match, above, leaf))
                    continue
            label_cells = [leaf] if leaf is not None else []
            if carried and (leaf is not None or has_values):
                joined = "".join(c.text for c in carried) + (leaf.text if leaf else "")
                if labels.match_row(joined, taken, group_keys) is not None:
                    label_cells = [*carried, *label_cells]
                    carried_groups = []
            for group_match, group_above, group_cell in carried_groups:
                self._groups(spec, table, group_match.row, group_above, [group_cell])
            carried, carried_groups = [], []
            text = "".join(c.text for c in label_cells) if label_cells else None
            match = labels.match_row(text, taken, group_keys) if text is not None else None
            row_key = self._row_key(spec, text is None, match, taken, has_values)
            if match is not None:
                # The labels beside it name its groups; a group label alone on its row names itself.
                alone = row_key is None and not match.row.data
                self._groups(spec, table, match.row, above, label_cells if alone else None)
                if label_cells and match.score < 1:
                    self._group_run_in(spec, table, match.row, label_cells[0])
            if row_key is None:
                if leaf is None and has_values and cells:
                    reading.order.append(_Unlabelled(self._cells(grid, r, cells, value_cols), _location(cells)))
                elif leaf is not None and has_values:
                    self._unknown_row(table, leaf, r, covering, first_value)
                continue
            taken.add(row_key)
            row = table.rows.get(row_key)
            if row is None:
                location = _joined_location(label_cells)
                row = table.rows[row_key] = Row(label=text, location=location)
                reading.order.append(row_key)
            if not cells:
                self.doubts.row(spec, row_key, "的数值个数与栏数对不上，无法确定各数值所属的栏", row.location)
                continue
            for col_key, cell in self._cells(grid, r, cells, value_cols).items():
                row.cells.setdefault(col_key, cell)  # a part read before keeps its cells

    def _groups(
        self, spec: TableSpec, table: Table, row: RowSpec, above: list[GridCell], itself: list[GridCell] | None
    ) -> None:
        """Record group labels as printed: the cells ``above`` (beside or over the row, left to right)
        name ``row``'s groups, outermost first; ``itself`` are the pieces of ``row``'s own label when it
        is a group alone on its row. Cells that do not line up one to one with the groups are tied by
        their labels."""
        labels = self.tables.labels[spec.id]
        chain: list[RowSpec] = [row] if itself else []
        parent = labels.parents.get(row.parent) if row.parent else None
        while parent is not None and parent not in chain:
            chain.insert(0, parent)
            parent = labels.parents.get(parent.parent) if parent.parent else None
        recorded = {g.row for g in table.groups}
        if all(g.key in recorded or not g.label for g in chain):
            return  # the common case: every row of a group after its first
        printed: list[list[GridCell]] = [[c] for c in sorted(above, key=lambda c: (c.col, c.row))]
        if itself:
            printed.append(itself)
        if len(printed) == len(chain):
            pairs = list(zip(chain, printed, strict=True))
        else:
            pairs = [
                (m.row, cells)
                for cells in printed
                if (m := labels.match_row("".join(c.text for c in cells))) is not None and m.row in chain
            ]
        for group, cells in pairs:
            if group.label and group.key not in recorded:
                recorded.add(group.key)
                location = _joined_location(cells) or cells[0].location()
                table.groups.append(GroupLabel(text="".join(c.text for c in cells), row=group.key, location=location))

    def _group_run_in(self, spec: TableSpec, table: Table, row: RowSpec, cell: GridCell) -> None:
        """A group label written into the row's label cell before the row's own label."""
        found = self.tables.labels[spec.id].group_before(cell.text, row)
        if found is not None and not any(g.row == found[0].key for g in table.groups):
            text = cell.text[: found[1]]
            table.groups.append(GroupLabel(text=text, row=found[0].key, location=cell.location(0, len(text))))

    @staticmethod
    def _cells(
        grid: Grid, r: int, cells: dict[str, GridCell | None], value_cols: dict[str, int] | None
    ) -> dict[str, Cell]:
        out: dict[str, Cell] = {}
        for col_key, cell in cells.items():
            g = value_cols[col_key] if cell is None and value_cols else (cell.col if cell else 0)
            if cell is None or cell.row != r:
                # A position covered by a merge from elsewhere holds nothing of its own.
                out[col_key] = blank_cell(grid.location_at(r, g))
            else:
                out[col_key] = make_cell(cell.text, cell.location())
        return out

    def _place_unlabelled(self, spec: TableSpec, reading: _Reading) -> None:
        """Rows of values whose labels were lost, placed by the format's row order: a run of them
        between two labelled rows goes to the format's rows between those two, when there are as many;
        and the identities must then hold. Otherwise the rows they may be are doubted (NB03)."""
        order = reading.order
        table = reading.table
        data = [r.key for r in spec.data_rows]
        i = 0
        while i < len(order):
            if not isinstance(order[i], _Unlabelled):
                i += 1
                continue
            j = i
            while j < len(order) and isinstance(order[j], _Unlabelled):
                j += 1
            run = order[i:j]
            before = next((k for k in reversed(order[:i]) if isinstance(k, str)), None)
            after = next((k for k in order[j:] if isinstance(k, str)), None)
            lo = data.index(before) + 1 if before in data else 0
            hi = data.index(after) if after in data else len(data)
            gap = [k for k in data[lo:hi] if k not in table.rows]
            location = run[0].location
            if len(gap) != len(run):
                if gap:
                    self.doubts.rows(spec, gap, "的数值缺少行标签，无法确定各属于哪一行", location)
                i = j
                continue
            for row_key, unlabelled in zip(gap, run, strict=True):
                table.rows[row_key] = Row(label=None, location=unlabelled.location, cells=unlabelled.cells)
            numbers = {
                (k, c): cell.value for k, row in table.rows.items() if row.known for c, cell in row.cells.items()
            }
            involved = [eq for eq in self.tables.labels[spec.id].equations if any(r in gap for r, _ in eq.cells)]
            if holds(involved, numbers) is False:
                for row_key in gap:
                    del table.rows[row_key]
                self.doubts.rows(
                    spec, gap, "的数值缺少行标签，按格式的行序放入后勾稽关系不成立，无法确定所属的行", location
                )
            i = j

    @staticmethod
    def _by_order(spec: TableSpec, line: Sequence[GridCell | None], r: int) -> dict[str, GridCell | None]:
        """A row's values by their order, where its columns cannot be trusted: the cells after its
        last label, one per format column (blank cells just after the label are spacing when there
        are more than columns); nothing when they do not come out one per column."""
        starts: list[GridCell] = []
        for cell in line:
            if cell is not None and cell.row == r and all(cell is not x for x in starts):
                starts.append(cell)
        labelled = [i for i, c in enumerate(starts) if c.text and not is_value(c.text)]
        run = starts[labelled[-1] + 1 :] if labelled else starts
        n = len(spec.columns)
        while len(run) > n and not run[0].text:
            run = run[1:]
        if len(run) != n:
            return {}
        return {column.key: cell for column, cell in zip(spec.columns, run, strict=True)}

    def _row_key(
        self, spec: TableSpec, unlabelled: bool, match: RowMatch | None, taken: set[str], has_values: bool
    ) -> str | None:
        """The key a row's values are kept under (its label matched as ``match``), or None for a group
        row, for a label not in the format, and for a row without a label in a table whose rows all have one."""
        if unlabelled:
            return next((r.key for r in spec.data_rows if not r.label and r.key not in taken), None)
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
    def _value_columns(
        self, spec, covering, header_rows, data_rows, n_cols: int, group: str | None
    ) -> dict[str, int] | None:  # noqa: ANN001
        """Format column key -> grid column, from the header paths; by position when the header is lost.

        A path is the header labels over a grid column, top to bottom, each label run together with
        another (``未经复议直接起诉结果维持``) taken apart; a group label printed over the whole grid
        (``**行政复议**`` above a sub-table) heads every path. A grid holding some of the format's
        columns (one sub-table per column group) gets those, when every column of it is found surely.
        """
        labels = self.tables.labels[spec.id]
        known = labels.header_keys
        paths: list[list[str]] = []
        for g in range(n_cols):
            path: list[str] = [group] if group in known else []
            for r in header_rows:
                cell = covering[r][g]
                if cell is None or not cell.text:
                    continue
                spans = split_labels(cell.text, known)
                for part in [key(cell.text[a:b]) for a, b in spans] if spans else [key(cell.text)]:
                    if not path or path[-1] != part:
                        path.append(part)
            paths.append(path)
        found = labels.match_paths(paths)
        if found is not None:
            return found
        some = labels.match_some_paths(paths)
        holding = {
            g
            for g in range(n_cols)
            for r in data_rows
            if (cell := covering[r][g]) is not None and cell.col == g and cell.row == r and is_value(cell.text)
        }
        if some and holding and holding <= set(some.values()):
            return some
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
    def _header(covering, header_rows, value_cols, known: frozenset[str]) -> list[HeaderLabel]:  # noqa: ANN001
        by_grid = sorted((g, k) for k, g in (value_cols or {}).items())
        # The label lowest over a value column is its leaf; those above it are group labels, even
        # when a converter repeated a group label in every cell under it.
        leaves: dict[int, str] = {}
        for g, column in by_grid:
            for r in reversed(header_rows):
                cell = covering[r][g] if g < len(covering[r]) else None
                if cell is not None and cell.text:
                    leaves.setdefault(id(cell), column)
                    break
        out: list[HeaderLabel] = []
        seen: set[int] = set()
        for r in header_rows:
            for cell in covering[r]:
                if cell is None or id(cell) in seen or not cell.text or cell.row != r:
                    continue
                seen.add(id(cell))
                # A label over exactly one value column, and lowest over it, names it.
                under = [k for g, k in by_grid if cell.col <= g < cell.col + cell.colspan]
                column = under[0] if len(under) == 1 and leaves.get(id(cell)) == under[0] else None
                out += _labels(cell, column, known)
        return out


def _labels(cell: GridCell, column: str | None, known: frozenset[str]) -> list[HeaderLabel]:
    """A header cell as labels: labels run together in it (``未经复议直接起诉结果维持``) one by one,
    the last naming its column, the ones before it group labels."""
    spans = split_labels(cell.text, known)
    if not spans:
        return [HeaderLabel(text=cell.text, column=column, location=cell.location())]
    return [
        HeaderLabel(cell.text[a:b].strip(), column if n == len(spans) - 1 else None, cell.location(a, b))
        for n, (a, b) in enumerate(spans)
    ]


def _location(cells: dict[str, GridCell | None]) -> Location | None:
    first = next((c for c in cells.values() if c is not None and c.text), None)
    return first.location() if first is not None else None


def _joined_location(cells: list[GridCell]) -> Location | None:
    """Where a label printed in several cells is: from its first piece to its last."""
    if not cells:
        return None
    loc = cells[0].location()
    if len(cells) > 1:
        loc = loc.ends_like(cells[-1].location(), "\n".join(c.location().text for c in cells))
    return loc


def _names(caption: str, spec: TableSpec) -> bool:
    """A caption that names the table as people do: ``表三：收到和处理…`` for the table of section 三."""
    return caption.startswith("表" + spec.name) and caption[len(spec.name) + 1 : len(spec.name) + 2] not in _NUMERALS


_NUMERALS = set("一二三四五六七八九十0123456789")
