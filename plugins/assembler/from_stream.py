"""Tables from a stream of cell tokens: text whose table structure was flattened.

Whatever the serialisation (one cell per line, tab-separated rows, layout text, labels and numbers
on separate lines, column-major PDF text, a crawler's page with no separator at all), the text is
cut into tokens (:mod:`.tokens`). Each table is anchored in its own section where it can be
(caption, corner note, a distinctive header label or one of its row labels); its header labels are
matched to the format's columns; every run of values goes to the row labels just before it, read
past header blocks and group labels printed one character per line, a label broken over lines
joined in its column. When a run could belong to its labels in more than one way (row by row or
column by column, columns out of order, digits run together), the candidate readings go to
:mod:`.readings`, which decides by the table's identities, the whole table at once for digit runs.
Where values cannot be placed with certainty the reader says so (NB03) instead of guessing.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from nianbao.document import Cell, Diagnostic, GroupLabel, HeaderLabel, Location, Row, Table
from nianbao.plugins.text.labels import key, parse_value, split_labels, unescape
from nianbao.plugins.text.normalize import Line
from nianbao.templates import RowSpec, TableSpec

from .doubts import Doubts
from .matching import RowMatch, TableLabels, TableSet
from .readings import Budget, CellRef, Reading, agreed, alternatives, choose, consistent_orders, solve, split_run
from .tokens import Token

_PROSE_CHARS = 50
# A group label printed one character per line (a vertical merged cell, ``三`` ``、`` ``本`` … in PDF
# text) is a run of at least this many one-character labels; shorter runs are stray characters.
_MIN_VERTICAL = 4


def _is_prose(token: Token) -> bool:
    return token.value is None and not token.run and ("。" in token.text or len(token.text) > _PROSE_CHARS)


@dataclass(slots=True)
class _Chunk:
    """Labels followed by the values (and empty cells) that belong to them."""

    labels: list[Token] = field(default_factory=list)
    values: list[Token] = field(default_factory=list)  # values and empty cells, in order


def _chunks(tokens: Sequence[Token]) -> list[_Chunk]:
    """Runs of labels each followed by its values. A label after values starts a new run, and so
    does a label that starts a line after empty cells (a row of blanks written on one line). Text
    such as ``无`` between two labels of a line is a piece of a label (a group label printed one
    character per line), not a value."""
    chunks: list[_Chunk] = [_Chunk()]
    for i, t in enumerate(tokens):
        if (t.value is None and not t.run) or (
            t.value is not None and t.value[1] == "text" and _inside_labels(tokens, i)
        ):
            current = chunks[-1]
            if current.values and (t.first or any(v.is_value for v in current.values)):
                chunks.append(_Chunk())
            chunks[-1].labels.append(t)
        else:
            chunks[-1].values.append(t)
    return [c for c in chunks if c.labels or c.values]


def _inside_labels(tokens: Sequence[Token], i: int) -> bool:
    t = tokens[i]
    if t.value is None or t.value[1] != "text" or i + 1 >= len(tokens):
        return False
    after = tokens[i + 1]
    return after.line == t.line and after.is_label and bool(after.text)


@dataclass(slots=True)
class _Match:
    """A format row found among a run of labels: where its label starts and where its values go."""

    index: int  # first label token of the row
    row: RowSpec
    key: str  # where its values are kept
    tokens: list[Token]
    score: float = 1.0  # how well the label matched (below 1: similar, or the first part of a label)
    part: bool = False  # matched by the first part of its label only


_ORDER_CHOICE = "column order "  # the name of an open column order among the choices settled (no row key)


@dataclass(slots=True)
class _OpenOrder:
    """Rows given column by column whose column order their own identities leave open: the orders
    they allow (``order[j]``: the block that is column ``j``), to be settled with the whole table."""

    keys: list[str]
    columns: list[str]
    real: list[Token]  # the values, block after block
    orders: list[tuple[int, ...]]
    location: Location | None

    def ways(self) -> list[dict[CellRef, float | int]]:
        """The numbers each order puts in the rows' cells."""
        n = len(self.keys)
        out = []
        for order in self.orders:
            way: dict[CellRef, float | int] = {}
            for j, col in enumerate(self.columns):
                for i, row_key in enumerate(self.keys):
                    t = self.real[order[j] * n + i]
                    if t.value is not None and isinstance(t.value[0], (int, float)):
                        way[(row_key, col)] = t.value[0]
            out.append(way)
        return out


# Search steps for splitting one table's digit runs: per row to split, at least and at most for a table
# (a few tens of milliseconds). A row of table 三 takes about a hundred, a hard one a few thousand.
_ROW_BUDGET = 4_000
_MIN_BUDGET = 15_000  # a single wide row (表四: fifteen numbers, three totals) takes up to ten thousand
_TABLE_BUDGET = 40_000


def _joined(tokens: Sequence[Token]) -> tuple[str, list[int]]:
    """The tokens' texts run together without spaces, and where each starts in it."""
    starts, pieces, at = [], [], 0
    for t in tokens:
        text = t.text.replace(" ", "")
        starts.append(at)
        pieces.append(text)
        at += len(text)
    return "".join(pieces), starts


def _pieces_of(run: str, way: dict[str, float | int], spec: TableSpec) -> list[str]:
    """The run cut where ``way`` cuts it (the way's values, in column order, spell the run)."""
    out, at = [], 0
    for column in spec.columns:
        value = way[column.key]
        for end in range(at + 1, len(run) + 1):
            if _number(run[at:end]) == value and (end == len(run) or run[end] != "."):
                out.append(run[at:end])
                at = end
                break
    return out


def _numbers(way: Sequence[str], spec: TableSpec) -> dict[str, float | int]:
    """One way to split a run (its pieces in column order) as column -> value."""
    return {c.key: _number(piece) for c, piece in zip(spec.columns, way, strict=True)}


def _own_identity(row_key: str, spec: TableSpec, equations) -> bool:  # noqa: ANN001
    """Whether an identity lies within this row alone (a row total), so the row's split stands by itself."""
    return any(all(r == row_key for r, _ in eq.cells) for eq in equations)


def _stacked(values: Sequence[Token], nrows: int, ncol: int) -> bool | None:
    """Whether values listed one per line are given column by column (True) or row by row (False), as
    the text's blocks of lines tell: pdfminer writes each text box as lines with no blank line between
    them, and a box holds lines stacked one above the other, never side by side; so when the blocks are
    ``ncol`` blocks of ``nrows`` values each, every block is a column (and ``nrows`` blocks of ``ncol``,
    a row, as text that leaves a blank line after each row has it). None when the blocks say neither:
    values sharing a line, every value a block of its own, or as many rows as columns."""
    if nrows == ncol or len({t.line for t in values}) != len(values):
        return None
    blocks: list[int] = []
    for n, t in enumerate(values):
        if n and t.line == values[n - 1].line + 1:
            blocks[-1] += 1
        else:
            blocks.append(1)
    if blocks == [nrows] * ncol:
        return True
    if blocks == [ncol] * nrows:
        return False
    return None


def _header_before(
    tokens: Sequence[Token], i: int, columns: dict[str, list[TableSpec]]
) -> tuple[list[Token], list[str]] | None:
    """The column header labels right before token ``i`` (their tokens, and their keys), if the labels
    there end in one: ``本年收费金额（单`` / ``位：万元）`` is one label in two pieces, and
    ``本年废止件数 现行有效件数`` two labels in one piece."""
    for n in range(1, _MAX_HEADER_PIECES + 1):
        pieces = tokens[max(i - n, 0) : i]
        if len(pieces) < n or not all(t.is_label for t in pieces):
            return None
        text = "".join(t.text for t in pieces)
        k = key(text)
        if k in columns:
            return pieces, [k]
        spans = split_labels(text, frozenset(columns)) if n == 1 else None
        if spans:
            return pieces, [key(text[a:b]) for a, b in spans]
    return None


@dataclass(slots=True)
class _Away:
    """Values printed away from their table, after the header label of their column (``columns``: the
    one column they fill top to bottom, or None for all the table's cells)."""

    columns: tuple[str, ...] | None
    header: list[Token]
    values: list[Token]


def _fits(
    names: list[str], count: int, columns: dict[str, list[TableSpec]]
) -> list[tuple[TableSpec, tuple[str, ...] | None]]:
    """The tables, and their cells, that ``count`` values under the header labels ``names`` may fill:
    every cell of a table that has all those columns and ``count`` cells, or the one column named, when
    it has ``count`` rows."""
    out: list[tuple[TableSpec, tuple[str, ...] | None]] = []
    for spec in columns.get(names[-1], []):
        if not all(any(spec is other for other in columns[n]) for n in names):
            continue
        if len(spec.data_rows) * len(spec.columns) == count:
            out.append((spec, None))
        elif len(names) == 1 and len(spec.columns) > 1 and len(spec.data_rows) == count:
            column = next(c.key for c in spec.columns if key(c.label) == names[0])
            out.append((spec, (column,)))
    return out


def _within_next(region: tuple[int, int] | None, headings: list[int], line: int) -> bool:
    """Whether ``line`` is in ``region`` (a section) or in the section after it."""
    if region is None:
        return False
    later = [h for h in headings if h > region[0]]
    end = later[1] if len(later) > 1 else None
    return region[0] <= line and (end is None or line < end)


def _valueless(table: Table) -> bool:
    """Whether none of the table's rows of the format has a number."""
    return not any(cell.value is not None for row in table.rows.values() if row.known for cell in row.cells.values())


def _keeps(first: dict[str, Table], second: dict[str, Table]) -> bool:
    """Whether every number the ``first`` reading put in a row of the format is in the ``second``, in
    the same cell."""
    for table_id, table in first.items():
        other = second.get(table_id)
        for row_key, row in table.rows.items():
            if not row.known:
                continue
            for column, cell in row.cells.items():
                if cell.value is None:
                    continue
                again = other.rows.get(row_key) if other is not None else None
                kept = again.cells.get(column) if again is not None else None
                if kept is None or kept.value != cell.value:
                    return False
    return True


def _one_line(tokens: Sequence[Token]) -> bool:
    return len({t.line for t in tokens}) == 1


def _number(piece: str) -> float | int:
    parsed = parse_value(piece)
    return parsed[0] if parsed is not None and parsed[0] is not None else float("nan")


def _snippet(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


_MAX_PIECES = 3  # a label is broken into at most this many cells
_MAX_EXACT_PIECES = 6  # ... or into more (narrow cells), when its pieces then give it exactly
_LOOK_BACK = 6  # label tokens of other columns skipped over while collecting a label's pieces


def _pieces(labels: Sequence[Token], end: int, most: int = _MAX_PIECES) -> list[int]:
    """Indexes of the label tokens before ``end`` that may be pieces of one label (``most`` of them),
    last first: the last one and those in its column on the lines above. Tokens of another column in
    between (a group label printed one character per line beside the row labels) are skipped."""
    last = labels[end - 1]
    out = [end - 1]
    for k in range(end - 2, max(end - 2 - _LOOK_BACK, -1), -1):
        if len(out) >= most:
            break
        t = labels[k]
        if t.line != last.line and (t.x is None or last.x is None or t.x == last.x):
            out.append(k)
    return out


def _whole_label(
    labels: Sequence[Token], end: int, best: tuple[RowMatch, int]
) -> tuple[list[int], tuple[RowMatch, int]]:
    """A label matched by its last pieces only (``关不掌握`` ``相关政府`` ``信息`` of a label printed
    in four lines of a narrow cell): the pieces before them that give the format's label exactly, if
    any; otherwise the match as it was."""
    match, width = best
    want = key(match.row.label or "")
    pieces = _pieces(labels, end, _MAX_EXACT_PIECES)
    for more in range(width + 1, len(pieces) + 1):
        joined = key("".join(labels[k].text for k in reversed(pieces[:more])))
        if joined == want:
            return pieces, (RowMatch(match.row, 1.0), more)
        if not want.endswith(joined):
            break
    return pieces[:width], best


class StreamReader:
    """Reads the tables of one edition from a token stream."""

    def __init__(self, tables: TableSet, lines: Sequence[Line], doubts: Doubts) -> None:
        self.tables = tables
        self.lines = lines
        self.doubts = doubts
        self._claims: dict[str, list[_Away]] = {}  # values printed away from their table (:meth:`read`)

    def read(
        self, tokens: Sequence[Token], boundaries: dict[int, str | None], skip: set[str] = frozenset()
    ) -> tuple[dict[str, Table], set[int]]:
        """The tables found (but those in ``skip``, read elsewhere) and the line indexes they occupy.

        ``boundaries`` are the section headings (line index -> section key): a table never runs across
        one, and is anchored in its own section when that section is found there (a PDF's text may
        print one of its header labels in the section before).

        A table whose row labels were found without values may have them printed away from it, under
        its header label (:meth:`_interleaved`): the text is then read again with those values given to
        it, and that reading is kept only if every number the first one read stays as it was.
        """
        before = self.doubts.mark()
        tables, used = self._read_all(tokens, boundaries, skip)
        claims = self._interleaved(tokens, boundaries, tables, skip)
        if not claims:
            return tables, used
        first = self.doubts.mark()
        self.doubts.rollback(before)
        taken = {id(t) for runs in claims.values() for run in runs for t in (*run.header, *run.values)}
        self._claims = claims
        again, used_again = self._read_all([t for t in tokens if id(t) not in taken], boundaries, skip)
        self._claims = {}
        if not _keeps(tables, again):
            self.doubts.rollback(first)
            return tables, used
        return again, used_again | {t.line for runs in claims.values() for run in runs for t in run.values}

    def _regions(self, boundaries: dict[int, str | None]) -> dict[str, tuple[int, int]]:
        """Each section found: its heading's line index and the next heading's (or the end)."""
        headings = sorted(boundaries)
        return {
            k: (line, headings[n + 1] if n + 1 < len(headings) else len(self.lines))
            for n, (line, k) in enumerate(sorted(boundaries.items()))
            if k
        }

    def _interleaved(
        self, tokens: Sequence[Token], boundaries: dict[int, str | None], tables: dict[str, Table], skip: set[str]
    ) -> dict[str, list[_Away]]:
        """Values printed away from their table's row labels, right after their column's header label.

        PDF text of small tables set side by side (the 第二十条 tables) can put one table's values after
        the next table's caption, or in the next section (``本年处理决定数量`` / ``3985758`` / ``88283``),
        or each column's values under its own header label (``本年制发件数`` / ``1`` / ``8``). Such a run
        belongs to a table when the format leaves no other: one table only has columns of those labels
        and as many cells there as the run has values (all its cells, or one column's), the run lies in
        its section or the next, the table's rows were found with no values, and no other run fits the
        same cells.
        """
        regions = self._regions(boundaries)
        headings = sorted(boundaries)
        columns: dict[str, list[TableSpec]] = {}
        for spec in self.tables.specs:
            for c in spec.columns:
                columns.setdefault(key(c.label), []).append(spec)
        found: dict[str, list[_Away]] = {}
        i = 0
        while i < len(tokens):
            j = i
            while j < len(tokens) and not tokens[j].is_label:
                j += 1
            if j == i:
                i += 1
                continue
            values = tokens[i:j]
            header = _header_before(tokens, i, columns) if all(v.is_value and not v.run for v in values) else None
            fits = _fits(header[1], len(values), columns) if header is not None else []
            if len(fits) == 1 and _within_next(regions.get(fits[0][0].section), headings, values[0].line):
                spec, named = fits[0]
                found.setdefault(spec.id, []).append(_Away(named, header[0], values))
            i = j
        out = {}
        for spec_id, runs in found.items():
            named = [c for run in runs for c in run.columns or ("*",)]
            whole = len(runs) == 1 and runs[0].columns is None
            if (whole or (len(set(named)) == len(named) and "*" not in named)) and spec_id not in skip:
                if spec_id in tables and _valueless(tables[spec_id]):
                    out[spec_id] = runs
        return out

    def _read_all(
        self, tokens: Sequence[Token], boundaries: dict[int, str | None], skip: set[str]
    ) -> tuple[dict[str, Table], set[int]]:
        regions = self._regions(boundaries)
        anchors: list[tuple[int, TableSpec]] = []
        cursor = 0
        for spec in self.tables.specs:
            if spec.id in skip:
                continue
            region = regions.get(spec.section)
            found = self._anchor(spec, tokens, cursor, region) if region else None
            if found is None:
                found = self._anchor(spec, tokens, cursor, None, skip=region)
            if found is not None:
                anchors.append((found, spec))
                cursor = found + 1
        tables: dict[str, Table] = {}
        used: set[int] = set()
        lines = [t.line for t in tokens]
        for n, (start, spec) in enumerate(anchors):
            stop = anchors[n + 1][0] if n + 1 < len(anchors) else len(tokens)
            end = start
            while end < stop:
                t = tokens[end]
                if end > start and (
                    _is_prose(t) or any(b in boundaries for b in range(tokens[end - 1].line + 1, t.line + 1))
                ):
                    break
                end += 1
            segment = tokens[start:end]
            region = regions.get(spec.section)
            around = tokens[bisect_left(lines, region[0]) : bisect_left(lines, region[1])] if region else segment
            tables[spec.id] = self._read_table(spec, segment, around)
            used.update(t.line for t in segment)
        return tables, used

    def _anchor(
        self,
        spec: TableSpec,
        tokens: Sequence[Token],
        cursor: int,
        region: tuple[int, int] | None,
        skip: tuple[int, int] | None = None,
    ) -> int | None:
        """The first token from ``cursor`` on (within the lines of ``region``, outside those of
        ``skip``, looked at already) that says table ``spec`` starts here: its caption, corner note, a
        distinctive header label or one of its row labels; or a line of header labels run together
        (``申请人情况自然人法人或其他组织…总计`` in OCR text) holding a distinctive one, right before
        one of those."""
        keys = self.tables.anchors(spec)
        labels = self.tables.labels[spec.id]
        corner = labels.corner_key

        def says(k: str) -> bool:
            # A corner note may be broken over two cells.
            return k in keys or bool(corner and len(k) >= 8 and corner.startswith(k))

        @cache
        def header_run(k: str) -> bool:
            if k in labels.known_header or not any(k.startswith(h) for h in labels.known_header):
                return False
            spans = split_labels(k, labels.known_header)
            return bool(spans) and any(k[a:b] in keys for a, b in spans)

        for i in range(cursor, len(tokens)):
            t = tokens[i]
            if t.value is not None or t.run or not t.text:
                continue
            if region is not None and not region[0] <= t.line < region[1]:
                if t.line >= region[1]:
                    return None
                continue
            if skip is not None and skip[0] <= t.line < skip[1]:
                continue
            k = key(t.text)
            if says(k):
                return i
            if k[:2] in labels.known_header_starts and header_run(k):
                after = next((tokens[j] for j in range(i + 1, len(tokens)) if tokens[j].text), None)
                if after is not None and says(key(after.text)):
                    return i
        return None

    # ------------------------------------------------------------------ helpers
    def _loc(self, token: Token) -> Location:
        return self.lines[token.line].location(token.start, token.end)

    def _span(self, tokens: Sequence[Token]) -> Location | None:
        if not tokens:
            return None
        return self._loc(tokens[0]).ends_like(self._loc(tokens[-1]))

    def _cell(self, token: Token) -> Cell:
        value, state, unit = token.value if token.value is not None else (None, "text", None)
        return Cell(raw=token.text, value=value, state=state, unit=unit, location=self._loc(token))

    def _row(self, label_tokens: Sequence[Token]) -> Row:
        """A row with its label as found: the pieces of a label broken over several cells, joined."""
        if not label_tokens:
            return Row(label=None)
        return Row(label=unescape("".join(t.text for t in label_tokens)), location=self._span(label_tokens))

    # ------------------------------------------------------------------ one table
    def _read_table(self, spec: TableSpec, segment: Sequence[Token], around: Sequence[Token]) -> Table:
        """Table ``spec`` from its ``segment``; ``around`` are the tokens of its section (where a PDF's
        text may have put some of its row labels)."""
        table = Table(id=spec.id)
        first = segment[0]
        if spec.caption and key(first.text) == key(spec.caption):
            table.caption = first.text
            table.location = self._loc(first)
            segment = segment[1:]
        elif segment:
            table.location = self._loc(first)

        unlabelled = [r for r in spec.data_rows if not r.label]
        labels_of = self.tables.labels[spec.id]
        self._pending: dict[str, list[Token]] = {}
        self._bare: dict[str, _Match] = {}  # rows whose labels were found with no values
        self._bare_doubts: list[Diagnostic] = []
        doubts = len(self.doubts.diagnostics)
        self._open_orders: list[_OpenOrder] = []
        self._budget = Budget(_TABLE_BUDGET)
        header_tokens: list[Token] = []
        seen_data = False
        carried: list[Token] = []
        cut: _Match | None = None  # the last row read, when its label lacks an end a line break cut
        chunks = _chunks(segment)
        for chunk in chunks:
            if cut is not None:
                self._complete_label(spec, table, cut, chunk)
                cut = None
            if carried:
                chunk = _Chunk(carried + chunk.labels, chunk.values)
                carried = []
            self._skipped: list[Token] = []
            self._group_labels: list[tuple[str, list[Token]]] = []
            matched, label_end = self._match_rows(chunk, spec, table)
            if not matched:
                label_end, self._skipped = len(chunk.labels), []
            values = chunk.values
            if not values and all(m.score < 1 for m in matched):
                # Labels without values that name no row for certain: the first part of a label a line
                # break cut, or a header; read with what follows.
                carried = chunk.labels
                continue
            self._vertical_groups(spec, chunk.labels)
            for row_key, tokens in sorted(self._group_labels, key=lambda g: (g[1][0].line, g[1][0].start)):
                self._group(table, row_key, tokens)
            if not seen_data:
                header_tokens.extend(t for t in chunk.labels[:label_end] if t.text)
                header_tokens.extend(t for t in reversed(self._skipped) if labels_of.is_header_piece(key(t.text)))
            if not any(v.is_value for v in values):
                if len(matched) == 1 and len(values) == len(spec.columns):
                    self._fill_rows(spec, table, matched, values)  # a row of blank cells
                elif matched:
                    self._rows_without_values(spec, table, matched)
                continue
            seen_data = True
            if not matched and unlabelled and not table.rows:
                self._fill_rows(spec, table, [_Match(0, unlabelled[0], unlabelled[0].key, [])], values)
                continue
            if not matched:
                self._unknown_row(spec, table, chunk)
                continue
            self._fill_rows(spec, table, matched, values)
            if matched[-1].score < 1:
                cut = matched[-1]
        if not seen_data:
            header_tokens.extend(t for t in carried if t.text)
        if self._pending or self._open_orders:
            self._settle(spec, table)
        # Row labels printed out of place in the table's section (a PDF's text put them before the
        # caption), or with no values anywhere after them: the rows are there, their values could not
        # be read.
        stray = []
        missing = any(r.key not in table.rows for r in spec.data_rows if r.label)
        inside = {id(t) for t in segment} if missing else set()
        bare = {id(t) for c in chunks if not any(v.is_value for v in c.values) for t in c.labels} if missing else set()
        longest = labels_of.longest_row_label
        for t in around if missing else ():
            if t.value is None and not t.run and 0 < len(t.text) <= longest and (id(t) not in inside or id(t) in bare):
                row = labels_of.exact_row(t.text)
                if row is not None and row.key not in table.rows and all(m.key != row.key for m in stray):
                    stray.append(_Match(0, row, row.key, [t]))
        if stray:
            self._rows_without_values(spec, table, stray)
        if spec.id in self._claims:
            self._claimed(spec, table, self._claims[spec.id], header_tokens, doubts)
        table.header = self._match_header(spec, header_tokens)
        self._column_groups(labels_of, table, segment)
        return table

    def _complete_label(self, spec: TableSpec, table: Table, cut: _Match, chunk: _Chunk) -> None:
        """The rest of a row label printed on the lines after its values (``3.危及“三安全一`` ... ``稳定”``):
        the following labels in its column, taken from ``chunk`` while they complete the format's label."""
        row = table.rows.get(cut.key)
        if row is None or not cut.row.label:
            return
        want = key(cut.row.label)
        pieces = list(cut.tokens)
        last = pieces[-1]
        for t in list(chunk.labels):
            have = key("".join(p.text for p in pieces))
            if have == want or t.line <= last.line:
                break
            if t.x is not None and last.x is not None and t.x != last.x:
                continue  # another column (a group label beside the row labels)
            if not want.startswith(key(have + t.text)):
                break
            pieces.append(t)
            chunk.labels.remove(t)
            last = t
        if len(pieces) > len(cut.tokens):
            completed = self._row(pieces)
            row.label, row.location = completed.label, completed.location

    def _rows_without_values(self, spec: TableSpec, table: Table, matched: list[_Match]) -> None:
        """Row labels with no numbers after them: the rows exist, their cells were lost (or are printed
        elsewhere: :meth:`_claimed`)."""
        for m in matched:
            table.rows.setdefault(m.key, self._row(m.tokens))
            self._bare.setdefault(m.key, m)
        count = len(self.doubts.diagnostics)
        self.doubts.rows(
            spec,
            [m.key for m in matched],
            "只有行标签、没有找到数值（可能在提取中丢失）",
            self._span(matched[0].tokens + matched[-1].tokens),
        )
        self._bare_doubts += self.doubts.diagnostics[count:]

    def _claimed(self, spec: TableSpec, table: Table, runs: list[_Away], header: list[Token], doubts: int) -> None:
        """The values printed away from the table (:meth:`_interleaved`) put in its rows, when every row
        was found with no values, in the format's order, and nothing else about the table was in doubt
        (``doubts``: how many diagnostics there were before it was read)."""
        rows = [self._bare.get(r.key) for r in spec.data_rows]
        if any(m is None or table.rows[m.key].cells for m in rows):
            return
        printed = sorted(rows, key=lambda m: (m.tokens[0].line, m.tokens[0].start) if m.tokens else (-1, -1))
        new = self.doubts.diagnostics[doubts:]
        if printed != rows or {id(d) for d in new} != {id(d) for d in self._bare_doubts}:
            return
        self.doubts.withdraw(new)
        for run in runs:
            header.extend(run.header)
        if runs[0].columns is None:
            self._fill_rows(spec, table, rows, runs[0].values)
            return
        # One column's values, top to bottom: the rows in their order.
        for run in runs:
            for m, token in zip(rows, run.values, strict=True):
                table.rows[m.key].cells[run.columns[0]] = self._cell(token)
        order = [c.key for c in spec.columns]
        for m in rows:
            row = table.rows[m.key]
            row.cells = {c: row.cells[c] for c in order if c in row.cells}
            missing = [c for c in order if c not in row.cells]
            if missing:
                self.doubts.cells(spec, m.key, missing, "的数值没有找到（可能在提取中丢失）", self._span(m.tokens))

    def _unknown_row(self, spec: TableSpec, table: Table, chunk: _Chunk) -> None:
        """Values after a label the format does not know: kept under their own label, not dropped."""
        real = [v for v in chunk.values if not v.is_empty]
        if not chunk.labels or not chunk.labels[-1].text or len(real) > len(spec.columns):
            self.doubts.table(spec, "中有一组数值找不到所属的行，已忽略", self._span(chunk.values))
            return
        label_token = chunk.labels[-1]
        row = Row(label=label_token.text, known=False, location=self._loc(label_token))
        for i, v in enumerate(real):
            row.cells[str(i + 1)] = self._cell(v)
        table.rows.setdefault(label_token.text, row)

    def _match_rows(self, chunk: _Chunk, spec: TableSpec, table: Table) -> tuple[list[_Match], int]:
        """Row labels at the end of a label run, and the index where they start.

        Several row labels in a row (labels listed before their numbers, as PDF text often has
        them) are all returned; group rows without cells are skipped over. The index of the first
        label consumed (group rows included) tells what comes before it: header text.
        """
        labels_of = self.tables.labels[spec.id]
        labels = chunk.labels
        taken = set(table.rows)
        found: list[_Match] = []
        maybe: list[_Match] = []
        passed: list[Token] = []
        i = len(labels)
        while i > 0:
            k = key(labels[i - 1].text)
            if chunk.values and (not k or labels_of.is_fragment(k)):
                # A header block between the row labels and their values, or a group label printed
                # one character per line among the row labels (PDF text): no row, read past it.
                passed.append(labels[i - 1])
                i -= 1
                continue
            pieces = _pieces(labels, i)
            best = None
            for width in range(1, len(pieces) + 1):
                joined = "".join(labels[k].text for k in reversed(pieces[:width]))
                match = labels_of.match_row(joined, taken)
                if match is not None and (best is None or match.score > best[0].score + 1e-9):
                    best = (match, width)
                if match is not None and match.score >= 0.99:
                    break  # the narrowest exact label wins
            if not best:
                break
            if best[0].score < 1 and best[1] == _MAX_PIECES:
                pieces, best = _whole_label(labels, i, best)
            self._skipped += passed  # between the values and a row label, or between row labels
            self._passed_group(labels_of, passed)
            passed = []
            match, width = best
            used = sorted(pieces[:width])
            last = i
            i = used[0]
            taken.add(match.row.key)
            row = match.row
            # A group row of this edition carries values only where another edition has it as a
            # data row (2019's single （六）其他处理) and the values follow it directly.
            data_key = row.key if row.data else None
            if not row.data and any(v.is_value for v in chunk.values):
                elsewhere = self.tables.data_key(spec, row)
                if elsewhere is not None and not found and last == len(labels):
                    data_key = elsewhere
                elif elsewhere is not None:
                    maybe.append(_Match(i, row, elsewhere, [labels[k] for k in used], match.score, match.part))
            if data_key is not None:
                found.append(_Match(i, row, data_key, [labels[k] for k in used], match.score, match.part))
                if match.score < 1:
                    self._group_run_in(labels_of, row, labels[used[0]])
            elif all(m.row is not row for m in maybe) and (match.score >= 1 or len(used) == 1):
                # A group label as printed; pieces joined into one only when they give it exactly.
                self._group_labels.append((row.key, [labels[k] for k in used]))
        self._passed_group(labels_of, passed)
        i += len(passed)  # read past above the first row label: that is header, above the rows
        count = sum(1 for v in chunk.values if v.is_value) if maybe or self._skipped else 0
        if maybe and count == len(spec.columns) * (len(found) + len(maybe)):
            # Labels listed before their values: a group printed as one row, as another edition has it,
            # holds values when the count says every listed row does.
            found = sorted(found + maybe, key=lambda m: -m.index)
        else:
            self._group_labels += [(m.row.key, m.tokens) for m in maybe]
        header_skipped = self._skipped and any(labels_of.is_header_piece(key(t.text)) for t in self._skipped)
        if header_skipped and (count != len(spec.columns) * len(found) or any(m.part for m in found)):
            # Read past a header block only when what is found there is sure: whole labels, and values
            # enough for exactly those rows. Otherwise the values may be another row's (a PDF puts a
            # row's values before the rest of its label).
            return [], len(labels)
        found.reverse()
        return found, i

    def _group_run_in(self, labels_of: TableLabels, row: RowSpec, token: Token) -> None:
        """A group label written into a row's label before the row's own label (in its first piece)."""
        found = labels_of.group_before(token.text, row)
        if found is not None:
            text = token.text[: found[1]]
            piece = Token(text, token.line, token.start, token.start + len(text), None, x=token.x)
            self._group_labels.append((found[0].key, [piece]))

    def _passed_group(self, labels_of: TableLabels, passed: Sequence[Token]) -> None:
        """Pieces read past between row labels that together are a group label exactly (``(三)`` ``不予``
        ``公开`` on lines of their own above ``1.属于国家秘密``): recorded as printed."""
        if len(passed) < 2:
            return
        tokens = list(reversed(passed))  # collected walking back
        match = labels_of.match_row("".join(t.text for t in tokens))
        if match is not None and not match.row.data and match.score >= 1:
            self._group_labels.append((match.row.key, tokens))

    def _column_groups(self, labels_of: TableLabels, table: Table, segment: Sequence[Token]) -> None:
        """Group labels in a column of their own in layout text, broken over lines beside the rows
        (``（三`` ``）不`` ``予公`` ``开`` between the row labels and their values, as ``w3m`` draws a
        merged cell): the pieces on consecutive lines of one column that give a group label exactly."""
        longest = labels_of.longest_row_label  # a longer run is no group label (and is not compared)
        columns: dict[int, list[Token]] = {}
        for t in segment:
            if t.x is not None and t.is_label and t.text:
                columns.setdefault(t.x, []).append(t)
        for tokens in columns.values():
            run: list[Token] = []
            size = 0
            for t in [*tokens, None]:
                if t is not None and run and t.line == run[-1].line + 1:
                    run.append(t)
                    size += len(t.text)
                    continue
                if len(run) > 1 and size <= longest:
                    match = labels_of.match_row("".join(r.text for r in run))
                    if match is not None and not match.row.data and match.score >= 1:
                        self._group(table, match.row.key, run)
                run, size = ([t], len(t.text)) if t is not None else ([], 0)
        table.groups.sort(key=lambda g: (g.location.page or 0, g.location.line or 0, g.location.column or 0))

    def _vertical_groups(self, spec: TableSpec, labels: Sequence[Token]) -> None:
        """Group labels printed one character per line, among ``labels``: they label no row, but are
        recorded as printed with the chunk's other group labels."""
        labels_of = self.tables.labels[spec.id]
        i = 0
        while i < len(labels):
            j = i
            while j < len(labels) and len(labels[j].text) == 1:
                j += 1
            if j - i >= _MIN_VERTICAL:
                match = labels_of.match_row("".join(t.text for t in labels[i:j]))
                if match is not None and not match.row.data:
                    self._group_labels.append((match.row.key, list(labels[i:j])))
            i = max(j, i + 1)

    def _group(self, table: Table, row_key: str, tokens: Sequence[Token]) -> None:
        """A group row's label as printed (it carries no cells), once per group."""
        if any(g.row == row_key for g in table.groups):
            return
        text = "".join(t.text for t in tokens)
        location = self._span(tokens) or Location()
        if len(tokens) > 1:
            location.text = text  # the label's pieces, joined
        table.groups.append(GroupLabel(text=text, row=row_key, location=location))

    def _fill_rows(self, spec: TableSpec, table: Table, rows: list[_Match], values: list[Token]) -> None:
        columns = [c.key for c in spec.columns]
        ncol = len(columns)
        real = [v for v in values if v.is_value]
        for m in rows:
            table.rows[m.key] = self._row(m.tokens)
        if len(rows) == 1:
            cells = self._row_cells(spec, rows[0].key, values, real, ncol)
            if cells is not None:
                table.rows[rows[0].key].cells.update(zip(columns, cells, strict=True))
            return
        keys = [m.key for m in rows]
        if len(real) != ncol * len(rows):
            self.doubts.rows(
                spec,
                keys,
                f"的标签后共有 {len(real)} 个数值，应为 {ncol * len(rows)} 个，无法确定归属",
                self._span(values),
            )
            return
        by_row = [real[i * ncol : (i + 1) * ncol] for i in range(len(rows))]
        by_col = [[real[c * len(rows) + i] for c in range(ncol)] for i in range(len(rows))]
        readings = [self._reading(keys, columns, by_row, False), self._reading(keys, columns, by_col, True)]
        equations = self.tables.labels[spec.id].equations
        chosen, why = choose(equations, readings)
        if chosen is None and why == "none":
            self._by_column_blocks(spec, table, keys, real, values)
            return
        if chosen is None:
            by_column = _stacked(real, len(rows), ncol)
            if by_column is None:
                self.doubts.rows(spec, keys, "的数值可以按行也可以按列读，无法确定", self._span(values))
                return
            chosen = readings[1] if by_column else readings[0]
        origin = "extraction" if chosen.extraction else "document"
        if chosen.extraction:
            table.origin = "extraction"
        for (row_key, col), token in chosen.cells.items():
            cell = self._cell(token)
            cell.origin = origin
            table.rows[row_key].cells[col] = cell

    def _by_column_blocks(self, spec: TableSpec, table: Table, keys: list[str], real: list[Token], values) -> None:  # noqa: ANN001
        """Values given column by column, the columns in another order than the format's (PDF text
        puts a page's 总计 column before 其他): every order of the column blocks the identities within
        these rows allow is a reading; a cell all of them agree on is kept now, the others once the
        whole table is read, when its identities (the columns' sums over rows of other pages) leave
        one value (:meth:`_settle`)."""
        n, columns = len(keys), [c.key for c in spec.columns]
        blocks = [[t.value[0] if t.value else None for t in real[c * n : (c + 1) * n]] for c in range(len(columns))]
        own = [eq for eq in self.tables.labels[spec.id].equations if all(r in keys for r, _ in eq.cells)]
        orders = consistent_orders(blocks, keys, columns, own, self._budget) if own else None
        if not orders:
            self.doubts.rows(spec, keys, "的数值按行、按列读都与勾稽关系不符，无法确定", self._span(values))
            return
        table.origin = "extraction"
        for i, row_key in enumerate(keys):
            agreed = [c for j, c in enumerate(columns) if len({blocks[order[j]][i] for order in orders}) == 1]
            for j, col in enumerate(columns):
                if col in agreed:
                    cell = self._cell(real[orders[0][j] * n + i])
                    cell.origin = "extraction"
                    table.rows[row_key].cells[col] = cell
        if len(orders) > 1:
            self._open_orders.append(_OpenOrder(keys, columns, real, orders, self._span(values)))

    @staticmethod
    def _reading(keys: list[str], columns: list[str], matrix: list[list[Token]], extraction: bool) -> Reading[Token]:
        cells = {(k, c): t for k, row in zip(keys, matrix, strict=True) for c, t in zip(columns, row, strict=True)}
        numbers = {ref: t.value[0] if t.value else None for ref, t in cells.items()}
        return Reading(cells, numbers, extraction)

    def _row_cells(self, spec: TableSpec, row_key: str, values, real, ncol: int) -> list[Cell] | None:  # noqa: ANN001
        while len(values) > ncol and values[-1].is_empty:
            values = values[:-1]  # a tab ending the row, not a cell
        runs = [v for v in real if v.run or (v.value is not None and v.value[1] == "number")]
        if len(real) == ncol and not any(v.run for v in real):
            return [self._cell(v) for v in real]
        if len(real) < ncol and len(values) == ncol and not any(v.run for v in real):
            return [self._cell(v) for v in values]  # empty tokens are blank cells
        if ncol == 1 and len(real) == 1 and real[0].value is not None:
            return [self._cell(real[0])]  # a run standing for one cell is that cell
        if runs and len(runs) == len(real) and (any(v.run for v in real) or len(real) == 1 or _one_line(real)):
            # Numbers whose separators were lost (a crawler's text), or broken by stray spaces: split
            # with the identities once the whole table is read.
            self._pending[row_key] = real
            return None
        self.doubts.row(
            spec, row_key, f"有 {len(real)} 个数值，应为 {ncol} 个，无法确定各数值所属的栏", self._span(values)
        )
        return None

    def _settle(self, spec: TableSpec, table: Table) -> None:
        """What the rows left open, decided all at once by the identities of the whole table, rows and
        columns together: rows whose numbers ran together (each row's ways to split) and rows given
        column by column in an order their own identities leave open (the orders they allow). A cell
        every reading that balances the table agrees on is kept; the others are doubted (NB03), as is a
        row no identity constrains (its digits could be one number whose neighbours were blank) unless
        it has a digit per cell."""
        equations = self.tables.labels[spec.id].equations
        choices: dict[str, list[dict[CellRef, float | int]]] = {}
        row_ways: dict[str, list[dict[str, float | int]]] = {}
        texts: dict[str, tuple[str, list[int]]] = {}
        if self._pending:
            self._budget.left = min(self._budget.left, max(_MIN_BUDGET, _ROW_BUDGET * len(self._pending)))
        for row_key, tokens in self._pending.items():
            run, starts = _joined(tokens)
            texts[row_key] = (run, starts)
            ways = split_run(run, spec.columns, row_key, equations, self._budget)
            certain = ways is not None and len(ways) == 1 and len(run) == len(spec.columns)
            constrained = any(row_key in (r for r, _ in eq.cells) for eq in equations)
            if not ways or not (certain or constrained):
                why = (
                    "拆分方式过多或数字过长"
                    if ways is None
                    else "没有满足勾稽关系的拆分"
                    if not ways
                    else "没有可用于拆分的勾稽关系"
                )
                # A row no identity constrains: every split is a possible reading.
                numbers = [_numbers(way, spec) for way in ways or ()]
                self.doubts.row(
                    spec,
                    row_key,
                    f"的数字连在一起（{_snippet(run)}），{why}，未作拆分",
                    self._span(tokens),
                    self._candidates(spec, row_key, numbers, [c.key for c in spec.columns]),
                )
                continue
            row_ways[row_key] = [_numbers(way, spec) for way in ways]
            choices[row_key] = [{(row_key, c): v for c, v in way.items()} for way in row_ways[row_key]]
        for n, open_order in enumerate(self._open_orders):
            choices[f"{_ORDER_CHOICE}{n}"] = open_order.ways()
        if not choices:
            return
        fixed = {(k, c): cell.value for k, row in table.rows.items() if row.known for c, cell in row.cells.items()}
        readings = solve(choices, fixed, equations, self._budget)
        balanced = readings is not None
        if readings is not None:
            kept = agreed(readings)
        else:
            # No reading of the whole table balances (the report's own sums may be wrong, or the search
            # gave up): a row that its own identities allow to be split one way only keeps that way.
            kept = {
                (k, c): v
                for k, ways in row_ways.items()
                if len(ways) == 1 and _own_identity(k, spec, equations)
                for c, v in ways[0].items()
            }
        for row_key, ways in row_ways.items():
            tokens = self._pending[row_key]
            cells = {c: v for (r, c), v in kept.items() if r == row_key}
            if cells:
                self._place(table.rows[row_key], spec, tokens, texts[row_key], ways, cells)
            missing = [c.key for c in spec.columns if c.key not in cells]
            if missing:
                if balanced:
                    why = "有多种满足勾稽关系的拆分"
                elif len(ways) > 1:
                    why = "有多种满足该行勾稽关系的拆分，放入表中后勾稽关系都不成立"
                else:
                    why = "按该行拆分后表中勾稽关系不成立"
                # What the doubted cells may hold: as the readings of the whole table have them, or
                # as the row's own identities allow when none balances.
                possible = (
                    [{c: v for (_, c), v in r[row_key].items()} for r in readings] if readings is not None else ways
                )
                self.doubts.cells(
                    spec,
                    row_key,
                    missing,
                    f"的数字连在一起（{_snippet(texts[row_key][0])}），{why}",
                    self._span(tokens),
                    self._candidates(spec, row_key, possible, missing),
                )
        for open_order in self._open_orders:
            self._place_order(spec, table, open_order, kept)
        table.origin = "extraction"

    def _place_order(
        self, spec: TableSpec, table: Table, open_order: _OpenOrder, kept: dict[CellRef, float | int]
    ) -> None:
        """The cells of column blocks whose order the whole table decided, each from the block an order
        giving every decided value puts there; the cells still open are doubted."""
        ways = open_order.ways()
        decided = {ref: v for ref, v in kept.items() if any(ref in w for w in ways)}
        fitting = [k for k, way in enumerate(ways) if all(way.get(ref) == v for ref, v in decided.items())]
        n = len(open_order.keys)
        for i, row_key in enumerate(open_order.keys):
            row = table.rows[row_key]
            for j, col in enumerate(open_order.columns):
                if col in row.cells or (row_key, col) not in decided or not fitting:
                    continue
                cell = self._cell(open_order.real[open_order.orders[fitting[0]][j] * n + i])
                cell.origin = "extraction"
                row.cells[col] = cell
            row.cells = {c: row.cells[c] for c in open_order.columns if c in row.cells}
            doubted = [c for c in open_order.columns if c not in row.cells]
            if doubted:
                self.doubts.cells(
                    spec, row_key, doubted, "的数值按列给出、列的次序无法从勾稽关系确定", open_order.location
                )

    @staticmethod
    def _candidates(
        spec: TableSpec, row_key: str, ways: Sequence[dict[str, float | int]], columns: Sequence[str]
    ) -> list[dict[str, float | int]]:
        """The readings of a row's doubted ``columns`` to list on its NB03 (2 to 12 of them), each
        keyed by the full cell reference (``t3.granted.total``)."""
        return [{f"{spec.id}.{row_key}.{c}": v for c, v in reading.items()} for reading in alternatives(ways, columns)]

    def _place(self, row: Row, spec: TableSpec, tokens, text, ways, cells) -> None:  # noqa: ANN001
        """The agreed cells, each located at its digits in the run (in a way that gives them)."""
        run, starts = text
        way = next(w for w in ways if all(w[c] == v for c, v in cells.items()))
        offset = 0
        for column, piece in zip(spec.columns, _pieces_of(run, way, spec), strict=True):
            if column.key in cells:
                value, state, unit = parse_value(piece) or (cells[column.key], "number", None)
                location = self._run_location(tokens, starts, offset, offset + len(piece))
                row.cells[column.key] = Cell(piece, value, state, location, unit=unit, origin="extraction")
            offset += len(piece)

    def _run_location(self, tokens: Sequence[Token], starts: list[int], a: int, b: int) -> Location:
        """Where characters ``a:b`` of the tokens' joined text are (in the first token they touch)."""
        k = max(i for i, s in enumerate(starts) if s <= a)
        t = tokens[k]
        return self.lines[t.line].location(t.start + a - starts[k], min(t.end, t.start + b - starts[k]))

    # ------------------------------------------------------------------ header
    def _match_header(self, spec: TableSpec, tokens: Sequence[Token]) -> list[HeaderLabel]:
        """Header labels as found, each tied to the column it names (None for group labels)."""
        labels = self.tables.labels[spec.id]
        known = labels.known_header
        done: set[int] = set()
        found: list[tuple[str, Location | None]] = []
        for i in range(len(tokens)):
            if i in done:
                continue
            group = [tokens[k] for k in _header_pieces(tokens, i, done, known, labels.known_header_starts)]
            text = "".join(t.text for t in group)
            spans = split_labels(text, known) if len(group) == 1 and key(text) not in known else None
            if spans:  # labels run together (an OCR line ``信息内容本年制发件数本年废止件数…``)
                t = group[0]
                found += [(text[a:b].strip(), self.lines[t.line].location(t.start + a, t.start + b)) for a, b in spans]
                continue
            loc = self._span(group) if len(group) > 1 else self._loc(group[0])
            if len(group) > 1 and loc is not None:
                loc.text = text
            found.append((text, loc))
        columns = labels.name_columns([text for text, _ in found])
        return [HeaderLabel(text=text, column=c, location=loc) for (text, loc), c in zip(found, columns, strict=True)]


_MAX_HEADER_PIECES = 8  # a header label written one character per line: 未经复议直接起诉


def _header_pieces(
    tokens: Sequence[Token], i: int, done: set[int], known: frozenset[str], starts: frozenset[str]
) -> list[int]:
    """Token ``i`` and the tokens that continue it into a known label, if any: the next cells (text
    without laid-out columns: ``本年新`` / ``制作数量``), or the cells under it in its column (a label
    printed one character per line beside other columns: ``商`` / ``业`` / ``企`` / ``业``).
    The chosen indexes are added to ``done``."""
    first = tokens[i]
    chain = [i]
    best = [i]
    if key(first.text) not in known:
        k = i + 1
        while k < len(tokens) and len(chain) < _MAX_HEADER_PIECES:
            t, last = tokens[k], tokens[chain[-1]]
            if k in done or (first.x is not None and (t.x != first.x or t.line == last.line)):
                k += 1
                if first.x is not None and t.line > last.line + 2:
                    break
                continue
            joined = key("".join(tokens[j].text for j in (*chain, k)))
            if joined not in starts:
                break
            chain.append(k)
            if joined in known:
                best = list(chain)
            k += 1
    done.update(best)
    return best
