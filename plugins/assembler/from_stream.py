"""Tables from a stream of cell tokens: text whose table structure was flattened.

Whatever the serialisation (one cell per line, tab-separated rows, labels and numbers on separate
lines, column-major runs), the text is cut into tokens (:func:`tokenize`). Each table is anchored
(caption, corner note, a distinctive header label or one of its row labels); its header labels are
matched to the format's columns; every run of values goes to the row labels just before it. When a
run could belong to its labels in more than one way (row by row or column by column, digits run
together), the candidate readings go to :mod:`.readings`, which decides by the table's identities.
Where values cannot be placed with certainty the reader says so (NB03) instead of guessing.

Other tokenizers (crawler text with no separators, layout text, column-major PDF text) plug in by
producing :class:`Token` objects; :class:`StreamReader` does not care how they were cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from nianbao.document import Cell, GroupLabel, HeaderLabel, Location, Row, Table
from nianbao.formats import RowSpec, TableSpec
from nianbao.plugins.text.labels import key, parse_value
from nianbao.plugins.text.normalize import Line

from .doubts import Doubts
from .matching import TableSet
from .readings import Reading, choose, digit_splits, split_digits

_PROSE_CHARS = 50
# A group label printed one character per line (a vertical merged cell, ``三`` ``、`` ``本`` … in PDF
# text) is a run of at least this many one-character labels; shorter runs are stray characters.
_MIN_VERTICAL = 4


@dataclass(slots=True)
class Token:
    text: str
    line: int  # index into the line list
    start: int
    end: int
    value: tuple[int | float | None, str, str | None] | None  # parse_value() result; None for labels
    first: bool = True  # the first cell of its line: a row written on one line starts here

    @property
    def is_value(self) -> bool:
        return self.value is not None and self.value[1] != "blank"

    @property
    def is_empty(self) -> bool:
        return self.value is not None and self.value[1] == "blank"


_PAGE_NUMBER = re.compile(r"^\s*[-—－]\s*\d{1,3}\s*[-—－]\s*$")


def tokenize(lines: Sequence[Line], skip: set[int]) -> list[Token]:
    """Cut lines into cell tokens; a tab separates cells.

    Empty cells before a line's first text are indentation (rows under a merged group cell start
    with two tabs); empty cells after it are blank cells in their place. A line of tabs alone is one
    blank cell (one cell per line, the cell empty). Page numbers of extracted PDFs (``- 4 -``) are
    no cells: they break tables across pages.
    """
    tokens: list[Token] = []
    for index, line in enumerate(lines):
        if index in skip:
            continue
        text = line.text
        if "\t" not in text:
            stripped = text.strip()
            if stripped and not _PAGE_NUMBER.match(text):
                s = text.find(stripped)
                tokens.append(Token(stripped, index, s, s + len(stripped), parse_value(stripped)))
            continue
        pos = 0
        first = True
        pieces = text.split("\t")
        if not any(p.strip() for p in pieces):
            tokens.append(Token("", index, 0, 0, (None, "blank", None)))
            continue
        for piece in pieces:
            stripped = piece.strip()
            if stripped or not first:
                s = pos + (piece.find(stripped) if stripped else 0)
                tokens.append(Token(stripped, index, s, s + len(stripped), parse_value(stripped), first))
                first = False
            pos += len(piece) + 1
    return tokens


def _is_prose(token: Token) -> bool:
    return token.value is None and ("。" in token.text or len(token.text) > _PROSE_CHARS)


@dataclass(slots=True)
class _Chunk:
    labels: list[Token] = field(default_factory=list)
    values: list[Token] = field(default_factory=list)  # values and empty cells, in order


def _chunks(tokens: Sequence[Token]) -> list[_Chunk]:
    """Runs of labels each followed by its values. A label after values starts a new run, and so
    does a label that starts a line after empty cells (a row of blanks written on one line)."""
    chunks: list[_Chunk] = [_Chunk()]
    for t in tokens:
        if t.value is None:
            current = chunks[-1]
            if current.values and (t.first or any(v.is_value for v in current.values)):
                chunks.append(_Chunk())
            chunks[-1].labels.append(t)
        else:
            chunks[-1].values.append(t)
    return [c for c in chunks if c.labels or c.values]


@dataclass(slots=True)
class _Match:
    index: int  # first label token of the row
    row: RowSpec
    key: str  # where its values are kept
    tokens: list[Token]


class StreamReader:
    """Reads the tables of one edition from a token stream."""

    def __init__(self, tables: TableSet, lines: Sequence[Line], doubts: Doubts) -> None:
        self.tables = tables
        self.lines = lines
        self.doubts = doubts

    def read(
        self, tokens: Sequence[Token], boundaries: set[int], skip: set[str] = frozenset()
    ) -> tuple[dict[str, Table], set[int]]:
        """The tables found (but those in ``skip``, read elsewhere) and the line indexes they occupy.

        ``boundaries`` are line indexes (section headings) a table never runs across.
        """
        anchors: list[tuple[int, TableSpec]] = []
        cursor = 0
        for spec in self.tables.specs:
            if spec.id in skip:
                continue
            keys = self.tables.anchors(spec)
            corner = self.tables.labels[spec.id].corner_key
            for i in range(cursor, len(tokens)):
                t = tokens[i]
                if t.value is not None or not t.text:
                    continue
                k = key(t.text)
                # A corner note may be broken over two cells.
                if k in keys or (corner and len(k) >= 8 and corner.startswith(k)):
                    anchors.append((i, spec))
                    cursor = i + 1
                    break
        tables: dict[str, Table] = {}
        used: set[int] = set()
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
            tables[spec.id] = self._read_table(spec, segment)
            used.update(t.line for t in segment)
        return tables, used

    # ------------------------------------------------------------------ helpers
    def _loc(self, token: Token) -> Location:
        return self.lines[token.line].location(token.start, token.end)

    def _span(self, tokens: Sequence[Token]) -> Location | None:
        if not tokens:
            return None
        loc = self._loc(tokens[0])
        end = self._loc(tokens[-1])
        loc.end_line, loc.end_column = end.end_line, end.end_column
        return loc

    def _cell(self, token: Token) -> Cell:
        value, state, unit = token.value if token.value is not None else (None, "text", None)
        return Cell(raw=token.text, value=value, state=state, unit=unit, location=self._loc(token))

    def _row(self, label_tokens: Sequence[Token]) -> Row:
        """A row with its label as found: the pieces of a label broken over several cells, joined."""
        if not label_tokens:
            return Row(label=None)
        return Row(label="".join(t.text for t in label_tokens), location=self._span(label_tokens))

    # ------------------------------------------------------------------ one table
    def _read_table(self, spec: TableSpec, segment: Sequence[Token]) -> Table:
        table = Table(id=spec.id)
        first = segment[0]
        if spec.caption and key(first.text) == key(spec.caption):
            table.caption = first.text
            table.location = self._loc(first)
            segment = segment[1:]
        elif segment:
            table.location = self._loc(first)

        unlabelled = [r for r in spec.data_rows if not r.label]
        header_tokens: list[Token] = []
        seen_data = False
        for chunk in _chunks(segment):
            self._vertical_groups(spec, table, chunk.labels)
            matched, label_end = self._match_rows(chunk, spec, table)
            if not seen_data:
                header_tokens.extend(t for t in chunk.labels[:label_end] if t.text)
            values = chunk.values
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
        table.header = self._match_header(spec, header_tokens)
        return table

    def _rows_without_values(self, spec: TableSpec, table: Table, matched: list[_Match]) -> None:
        """Row labels with no numbers after them: the rows exist, their cells were lost."""
        for m in matched:
            table.rows.setdefault(m.key, self._row(m.tokens))
        self.doubts.rows(
            spec,
            [m.key for m in matched],
            "只有行标签、没有找到数值（可能在提取中丢失）",
            self._span(matched[0].tokens + matched[-1].tokens),
        )

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
        i = len(labels)
        while i > 0:
            best = None
            for width in (1, 2, 3):
                if i - width < 0:
                    break
                joined = "".join(t.text for t in labels[i - width : i])
                match = labels_of.match_row(joined, taken)
                if match is not None and (best is None or match.score > best[0].score + 1e-9):
                    best = (match, width)
                if match is not None and match.score >= 0.99:
                    break  # the narrowest exact label wins
            if not best:
                break
            match, width = best
            i -= width
            taken.add(match.row.key)
            row = match.row
            # A group row of this edition carries values only where another edition has it as a
            # data row (2019's single （六）其他处理) and the values follow it directly.
            data_key = row.key if row.data else None
            if not row.data and not found and i + width == len(labels) and any(v.is_value for v in chunk.values):
                data_key = self.tables.data_key(spec, row)
            if data_key is not None:
                found.append(_Match(i, row, data_key, list(labels[i : i + width])))
            else:
                self._group(table, row.key, labels[i : i + width])
        found.reverse()
        return found, i

    def _vertical_groups(self, spec: TableSpec, table: Table, labels: Sequence[Token]) -> None:
        """Group labels printed one character per line: recorded as printed; they label no row."""
        labels_of = self.tables.labels[spec.id]
        i = 0
        while i < len(labels):
            j = i
            while j < len(labels) and len(labels[j].text) == 1:
                j += 1
            if j - i >= _MIN_VERTICAL:
                match = labels_of.match_row("".join(t.text for t in labels[i:j]))
                if match is not None and not match.row.data:
                    self._group(table, match.row.key, labels[i:j])
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
        chosen, _ = choose(self.tables.labels[spec.id].equations, readings)
        if chosen is None:
            self.doubts.rows(spec, keys, "的数值可以按行也可以按列读，无法确定", self._span(values))
            return
        origin = "extraction" if chosen.extraction else "document"
        if chosen.extraction:
            table.origin = "extraction"
        for (row_key, col), token in chosen.cells.items():
            cell = self._cell(token)
            cell.origin = origin
            table.rows[row_key].cells[col] = cell

    @staticmethod
    def _reading(keys: list[str], columns: list[str], matrix: list[list[Token]], extraction: bool) -> Reading[Token]:
        cells = {(k, c): t for k, row in zip(keys, matrix, strict=True) for c, t in zip(columns, row, strict=True)}
        numbers = {ref: t.value[0] if t.value else None for ref, t in cells.items()}
        return Reading(cells, numbers, extraction)

    def _row_cells(self, spec: TableSpec, row_key: str, values, real, ncol: int) -> list[Cell] | None:  # noqa: ANN001
        while len(values) > ncol and values[-1].is_empty:
            values = values[:-1]  # a tab ending the row, not a cell
        if len(real) == ncol:
            return [self._cell(v) for v in real]
        if len(real) < ncol and len(values) == ncol:
            return [self._cell(v) for v in values]  # empty tokens are blank cells
        if len(real) < ncol and len(real) == 1 and real[0].value[1] == "number":
            return self._split_digits(spec, row_key, real[0], ncol)
        if len(real) > ncol:
            self.doubts.row(
                spec, row_key, f"有 {len(real)} 个数值，应为 {ncol} 个；多出的数值无法确定归属", self._span(values)
            )
            return [self._cell(v) for v in real[:ncol]]
        self.doubts.row(
            spec, row_key, f"只有 {len(real)} 个数值，应为 {ncol} 个，无法确定缺的是哪一列", self._span(values)
        )
        return None

    def _split_digits(self, spec: TableSpec, row_key: str, token: Token, ncol: int) -> list[Cell] | None:
        """Split digits that lost their separators (``21317000001324019``) using the row's identities."""
        columns = [c.key for c in spec.columns]
        equations = self.tables.labels[spec.id].equations
        pieces, reason = split_digits(token.text, columns, row_key, equations)
        if pieces is None:
            if reason != "数字个数与栏数不符":
                # Several splits fit: say what they are, so a reader of the document can still use them.
                splits = digit_splits(token.text, columns, row_key, equations)
                candidates = [
                    {f"{spec.id}.{row_key}.{c}": int(p) for c, p in zip(columns, split, strict=True)}
                    for split in (splits if len(splits) > 1 else [])
                ]
                self.doubts.row(
                    spec, row_key, f"的数字连在一起（{token.text}），{reason}，未作拆分", self._loc(token), candidates
                )
            else:
                self.doubts.row(spec, row_key, f"只有 1 个数值，应为 {ncol} 个，无法确定缺的是哪一列", self._loc(token))
            return None
        line = self.lines[token.line]
        cells = []
        pos = token.start
        for piece in pieces:
            cells.append(
                Cell(
                    raw=piece,
                    value=int(piece),
                    state="number",
                    location=line.location(pos, pos + len(piece)),
                    origin="extraction",
                )
            )
            pos += len(piece)
        return cells

    # ------------------------------------------------------------------ header
    def _match_header(self, spec: TableSpec, tokens: Sequence[Token]) -> list[HeaderLabel]:
        """Header labels as found, each tied to the column it names (None for group labels)."""
        labels = self.tables.labels[spec.id]
        known = labels.header_keys | labels.extra_keys
        columns = [c.key for c in spec.columns]
        assigned: set[str] = set()
        pointer = 0
        out: list[HeaderLabel] = []
        i = 0
        while i < len(tokens):
            # Join cells broken mid-word (``本年新`` + ``制作数量``) when the join is a known label.
            width = 1
            for w in (3, 2):
                if i + w <= len(tokens) and key("".join(t.text for t in tokens[i : i + w])) in known:
                    if key(tokens[i].text) not in known:
                        width = w
                        break
            group = tokens[i : i + width]
            text = "".join(t.text for t in group)
            column = labels.match_header(text, pointer, assigned, known)
            if column:
                assigned.add(column.key)
                pointer = columns.index(column.key) + 1
            loc = self._span(group) if len(group) > 1 else self._loc(group[0])
            if len(group) > 1 and loc is not None:
                loc.text = text
            out.append(HeaderLabel(text=text, column=column.key if column else None, location=loc))
            i += width
        return out
