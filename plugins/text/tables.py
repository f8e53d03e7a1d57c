"""Reading the statutory tables out of flattened text, driven entirely by the format data.

Whatever the serialisation (one cell per line, tab-separated rows, labels and numbers on separate
lines, PDF spacing, column-major runs), the text is first cut into a stream of cell tokens. Each
table is then anchored (caption, corner note, a distinctive header label or one of its row
labels), its header labels are matched to the format's columns, and every run of values is given
to the row whose label precedes it. Rows and columns are matched by label, never by position
alone; where values cannot be placed with certainty the loader says so (NB03) instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from nianbao.document import Cell, Diagnostic, HeaderLabel, Location, Row, Table
from nianbao.formats import ReportFormat, TableSpec
from nianbao.identities import Equation, expand

from .labels import at_least, key, parse_value
from .normalize import Line

_PROSE_CHARS = 50
_ROW_MATCH = 0.8
_HEADER_MATCH = 0.75
_MAX_SPLIT_DIGITS = 60
_MAX_CELL_DIGITS = 7
_MAX_SPLIT_STEPS = 200_000


@dataclass(slots=True)
class Token:
    """A piece of a table line: a label, or a value with what ``parse_value`` read from it."""

    text: str
    line: int  # index into the line list
    start: int
    end: int
    value: tuple[int | float | None, str, str | None] | None  # parse_value() result; None for labels

    @property
    def is_value(self) -> bool:
        return self.value is not None and self.value[1] != "blank"

    @property
    def is_empty(self) -> bool:
        return self.value is not None and self.value[1] == "blank"


_PAGE_NUMBER = re.compile(r"^\s*[-—－]\s*\d{1,3}\s*[-—－]\s*$")


def tokenize(lines: Sequence[Line], skip: set[int]) -> list[Token]:
    """Cut lines into cell tokens; a tab separates cells, a leading tab is indentation.

    Page numbers of extracted PDFs (``- 4 -``) are no cells: they break tables across pages.
    """
    tokens: list[Token] = []
    for index, line in enumerate(lines):
        if index in skip or _PAGE_NUMBER.match(line.text):
            continue
        text = line.text
        if not text.strip() and "\t" not in text:
            continue
        pieces = text.split("\t")
        pos = 0
        spans = []
        for piece in pieces:
            spans.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        if text.startswith("\t"):
            spans = spans[1:]
        while len(spans) > 1 and not text[spans[-1][0] : spans[-1][1]].strip():
            spans.pop()
        for start, end in spans:
            piece = text[start:end]
            stripped = piece.strip()
            lead = len(piece) - len(piece.lstrip())
            s = start + lead
            tokens.append(Token(stripped, index, s, s + len(stripped), parse_value(stripped)))
    return tokens


def _is_prose(token: Token) -> bool:
    return token.value is None and ("。" in token.text or len(token.text) > _PROSE_CHARS)


@dataclass(slots=True)
class _Chunk:
    """Labels followed by the values (and empty cells) that belong to them."""

    labels: list[Token] = field(default_factory=list)
    values: list[Token] = field(default_factory=list)  # values and empty cells, in order


def _chunks(tokens: Sequence[Token]) -> list[_Chunk]:
    chunks: list[_Chunk] = [_Chunk()]
    for t in tokens:
        if t.value is None:
            if chunks[-1].values and any(v.is_value for v in chunks[-1].values):
                chunks.append(_Chunk())
            chunks[-1].labels.append(t)
        else:
            chunks[-1].values.append(t)
    return [c for c in chunks if c.labels or c.values]


class TableReader:
    """Reads all tables of one format edition from a token stream."""

    def __init__(self, fmt: ReportFormat) -> None:
        self.fmt = fmt
        self.specs = list(fmt.tables.values())
        self.equations = {spec.id: expand(spec) for spec in self.specs}
        self.header_keys = {
            spec.id: {key(x) for x in (*spec.header_labels, *(c.label for c in spec.columns))} for spec in self.specs
        }

    # ------------------------------------------------------------------ anchors
    def _anchor_keys(self, spec: TableSpec) -> set[str]:
        keys = {key(r.label) for r in spec.rows if r.label}
        if spec.caption:
            keys.add(key(spec.caption))
        if spec.corner_note:
            keys.add(key(spec.corner_note))
        # A header label is distinctive when no other table of the edition prints it.
        others = {
            key(lbl) for s in self.specs if s is not spec for lbl in (*s.header_labels, *(c.label for c in s.columns))
        }
        for label in spec.header_labels:
            if key(label) not in others:
                keys.add(key(label))
        return keys

    def _is_anchor(self, token: Token, keys: set[str], spec: TableSpec) -> bool:
        if token.value is not None or not token.text:
            return False
        k = key(token.text)
        if k in keys:
            return True
        if spec.corner_note and len(k) >= 8 and key(spec.corner_note).startswith(k):
            return True  # a corner note broken over two cells
        return False

    def read(
        self, tokens: Sequence[Token], lines: Sequence[Line], boundaries: set[int]
    ) -> tuple[dict[str, Table], set[int], list[Diagnostic]]:
        """Return the tables found, the line indexes they occupy, and NB03 diagnostics.

        ``boundaries`` are line indexes (section headings) a table never runs across.
        """
        anchors: list[tuple[int, TableSpec]] = []
        cursor = 0
        for spec in self.specs:
            keys = self._anchor_keys(spec)
            for i in range(cursor, len(tokens)):
                if self._is_anchor(tokens[i], keys, spec):
                    anchors.append((i, spec))
                    cursor = i + 1
                    break
        # Empty cells on a line of labels without numbers are header layout, never blank data cells.
        self.label_lines = {t.line for t in tokens if t.value is None and t.text} - {
            t.line for t in tokens if t.is_value
        }
        tables: dict[str, Table] = {}
        used: set[int] = set()
        diagnostics: list[Diagnostic] = []
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
            table = self._read_table(spec, segment, lines, diagnostics)
            tables[spec.id] = table
            used.update(t.line for t in segment)
        return tables, used, diagnostics

    # ------------------------------------------------------------------ one table
    def _read_table(
        self, spec: TableSpec, segment: Sequence[Token], lines: Sequence[Line], diagnostics: list[Diagnostic]
    ) -> Table:
        table = Table(id=spec.id)
        first = segment[0]
        if spec.caption and key(first.text) == key(spec.caption):
            table.caption = first.text
            table.location = lines[first.line].location(first.start, first.end)
            segment = segment[1:]
        elif segment:
            table.location = lines[first.line].location(first.start, first.end)

        unlabelled = [r for r in spec.data_rows if not r.label]
        header_tokens: list[Token] = []
        seen_data = False
        for chunk in _chunks(segment):
            matched, label_end = self._match_rows(chunk.labels, spec, table)
            if not seen_data:
                header_tokens.extend(t for t in chunk.labels[:label_end] if t.text)
            values = chunk.values
            if not any(v.is_value for v in values):
                if matched:
                    self._rows_without_values(spec, table, matched, lines, diagnostics)
                continue
            seen_data = True
            if not matched and unlabelled and not table.rows:
                self._fill_rows(spec, table, [(unlabelled[0], [])], values, lines, diagnostics)
                continue
            if not matched:
                self._unknown_row(spec, table, chunk, lines, diagnostics)
                continue
            self._fill_rows(
                spec, table, [(spec_row, toks) for _, spec_row, toks in matched], values, lines, diagnostics
            )
        table.header = self._match_header(spec, header_tokens, lines)
        return table

    def _rows_without_values(self, spec, table, matched, lines, diagnostics) -> None:  # noqa: ANN001
        """Row labels with no numbers after them: the rows exist, their cells were lost."""
        for _, spec_row, toks in matched:
            table.rows.setdefault(spec_row.key, _row(spec_row.key, toks, lines))
        first = matched[0][2]
        diagnostics.append(
            Diagnostic(
                "NB03",
                f"表{_table_name(spec)}：{len(matched)} 行只有行标签、没有找到数值（可能在提取中丢失），请人工核对",
                _span(first + matched[-1][2], lines),
            )
        )

    def _unknown_row(self, spec, table, chunk, lines, diagnostics) -> None:  # noqa: ANN001
        """Values after a label the format does not know: kept under their own label, not dropped."""
        real = [v for v in chunk.values if not v.is_empty]
        if not chunk.labels or not chunk.labels[-1].text or len(real) > len(spec.columns):
            diagnostics.append(
                Diagnostic(
                    "NB03", f"表{_table_name(spec)}中有一组数值找不到所属的行，已忽略", _span(chunk.values, lines)
                )
            )
            return
        label_token = chunk.labels[-1]
        row = Row(
            label=label_token.text,
            known=False,
            location=lines[label_token.line].location(label_token.start, label_token.end),
        )
        for i, v in enumerate(real):
            row.cells[str(i + 1)] = _cell(v, lines)
        table.rows.setdefault(label_token.text, row)

    def _match_rows(self, labels: Sequence[Token], spec: TableSpec, table: Table):  # noqa: ANN202
        """Row labels at the end of a label run, and where they start.

        Returns ``([(token index, RowSpec, label token)], first index)``: the data rows in order,
        and the index of the first label consumed (group rows included), so that what comes
        before it is header text.

        Several row labels in a row (labels listed before their numbers, as PDF text often has
        them) are all returned; group rows without cells are skipped over.
        """
        candidates = [r for r in spec.rows if r.label and r.key not in table.rows]
        found: list[tuple[int, object, list[Token]]] = []
        i = len(labels)
        while i > 0:
            best = None
            for width in (1, 2, 3):
                if i - width < 0:
                    break
                joined = "".join(t.text for t in labels[i - width : i])
                k = key(joined)
                if not k:
                    continue
                exact = next(
                    (
                        r
                        for r in candidates
                        if k == key(r.label) or (len(key(r.label)) >= 4 and k.endswith(key(r.label)))
                    ),
                    None,
                )
                if exact is not None:
                    best = (1.0, width, exact)
                    break
                if k in self.header_keys[spec.id] or len(k) < 4:
                    continue  # ``总计`` is a column, not a misspelt ``（七）总计``
                for r in candidates:
                    rk = key(r.label)
                    score = at_least(k, rk, _ROW_MATCH) if len(rk) >= 4 else 0.0
                    if score and (best is None or score > best[0] + 1e-9):
                        best = (score, width, r)
            if not best:
                break
            _, width, r = best
            i -= width
            candidates.remove(r)
            if r.data:
                found.append((i, r, list(labels[i : i + width])))
        found.reverse()
        return found, i

    def _fill_rows(self, spec, table, rows, values, lines, diagnostics) -> None:  # noqa: ANN001
        columns = [c.key for c in spec.columns]
        ncol = len(columns)
        real = [v for v in values if v.is_value]
        for spec_row, label_tokens in rows:
            table.rows[spec_row.key] = _row(spec_row.key, label_tokens, lines)
        if len(rows) == 1:
            row = table.rows[rows[0][0].key]
            cells = self._row_cells(spec, rows[0][0].key, values, real, ncol, lines, diagnostics)
            if cells is not None:
                row.cells.update(zip(columns, cells, strict=True))
            return
        if len(real) != ncol * len(rows):
            diagnostics.append(
                Diagnostic(
                    "NB03",
                    f"表{_table_name(spec)}：{len(rows)} 行标签后共有 {len(real)} 个数值，应为 {ncol * len(rows)} 个，无法确定归属",
                    _span(values, lines),
                )
            )
            return
        by_row = [real[i * ncol : (i + 1) * ncol] for i in range(len(rows))]
        by_col = [[real[c * len(rows) + i] for c in range(ncol)] for i in range(len(rows))]
        readings = [by_row]
        if [[v.value for v in r] for r in by_col] != [[v.value for v in r] for r in by_row]:
            readings.append(by_col)
        keys = [r.key for r, _ in rows]
        valid = [rd for rd in readings if self._consistent(spec, keys, [[v.value[0] for v in r] for r in rd])]
        if len(readings) > 1 and len(valid) != 1:
            diagnostics.append(
                Diagnostic(
                    "NB03",
                    f"表{_table_name(spec)}：数值可以按行也可以按列读，无法确定（行：{'、'.join(str(r.label) for r, _ in rows)}）",
                    _span(values, lines),
                )
            )
            return
        chosen = valid[0] if valid else readings[0]
        origin = "extraction" if chosen is by_col else "document"
        if origin == "extraction":
            table.origin = "extraction"
        for (spec_row, _), toks in zip(rows, chosen, strict=True):
            for col, tok in zip(columns, toks, strict=True):
                cell = _cell(tok, lines)
                cell.origin = origin
                table.rows[spec_row.key].cells[col] = cell

    def _row_cells(self, spec, row_key, values, real, ncol, lines, diagnostics):  # noqa: ANN001, ANN202
        values = [v for v in values if not (v.is_empty and v.line in self.label_lines)]
        if len(real) == ncol:
            return [_cell(v, lines) for v in real]
        if len(real) < ncol and len(values) == ncol:
            return [_cell(v, lines) for v in values]  # empty tokens are blank cells
        if len(real) < ncol and len(real) == 1 and real[0].value[1] == "number":
            split = self._split_digits(spec, row_key, real[0], ncol, lines, diagnostics)
            if split is not None:
                return split
            return None
        if len(real) > ncol:
            diagnostics.append(
                Diagnostic(
                    "NB03",
                    f"表{_table_name(spec)}“{_row_label(spec, row_key)}”行有 {len(real)} 个数值，应为 {ncol} 个；多出的数值无法确定归属",
                    _span(values, lines),
                )
            )
            return [_cell(v, lines) for v in real[:ncol]]
        diagnostics.append(
            Diagnostic(
                "NB03",
                f"表{_table_name(spec)}“{_row_label(spec, row_key)}”行只有 {len(real)} 个数值，应为 {ncol} 个，无法确定缺的是哪一列",
                _span(values, lines),
            )
        )
        return None

    def _consistent(self, spec: TableSpec, row_keys: Sequence[str], matrix: Sequence[Sequence[object]]) -> bool:
        cols = [c.key for c in spec.columns]
        known = {(r, c): v for r, vals in zip(row_keys, matrix, strict=True) for c, v in zip(cols, vals, strict=True)}
        checked = False
        for eq in self.equations[spec.id]:
            if all(ref in known for ref in eq.cells):
                vals = [known[ref] for ref in eq.cells]
                if any(not isinstance(v, (int, float)) for v in vals):
                    continue
                checked = True
                if sum(known[r] for r in eq.lhs) != sum(known[r] for r in eq.rhs):
                    return False
        return checked or len(row_keys) == 0

    def _split_digits(self, spec, row_key, token, ncol, lines, diagnostics):  # noqa: ANN001, ANN202
        """Split digits that lost their separators (``21317000001324019``) using the row's identities."""
        digits = token.text
        if not digits.isdigit() or len(digits) < ncol or len(digits) > _MAX_SPLIT_DIGITS:
            return None
        cols = [c.key for c in spec.columns]
        eqs = [eq for eq in self.equations[spec.id] if all(r == row_key for r, _ in eq.cells)]
        index = {c: i for i, c in enumerate(cols)}
        # Check an equation as soon as its last cell has been chosen, to prune early.
        due: dict[int, list[Equation]] = {}
        for eq in eqs:
            due.setdefault(max(index[c] for _, c in eq.cells), []).append(eq)
        solutions: list[list[str]] = []
        steps = 0
        parts: list[str] = []

        def ok(pos: int) -> bool:
            for eq in due.get(pos, ()):
                total = lambda refs: sum(int(parts[index[c]]) for _, c in refs)  # noqa: E731
                if total(eq.lhs) != total(eq.rhs):
                    return False
            return True

        def walk(offset: int) -> bool:
            nonlocal steps
            steps += 1
            if steps > _MAX_SPLIT_STEPS:
                return False
            pos = len(parts)
            remaining = ncol - pos
            if remaining == 0:
                if offset == len(digits):
                    solutions.append(list(parts))
                return len(solutions) < 2
            rest = len(digits) - offset
            for width in range(1, min(_MAX_CELL_DIGITS, rest - (remaining - 1)) + 1):
                piece = digits[offset : offset + width]
                if width > 1 and piece[0] == "0":
                    break
                if rest - width > (remaining - 1) * _MAX_CELL_DIGITS:
                    continue
                parts.append(piece)
                keep_going = (not ok(pos)) or walk(offset + width)
                parts.pop()
                if not keep_going:
                    return False
            return True

        completed = walk(0)
        line = lines[token.line]
        label = _row_label(spec, row_key)
        if len(solutions) == 1 and completed:
            cells = []
            pos = token.start
            for piece in solutions[0]:
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
        if not eqs:
            reason = "该行没有可用于拆分的勾稽关系"
        elif not solutions:
            reason = "没有满足勾稽关系的拆分"
        else:
            reason = "有多种满足勾稽关系的拆分"
        diagnostics.append(
            Diagnostic(
                "NB03",
                f"表{_table_name(spec)}“{label}”行的数字连在一起（{digits}），{reason}，未作拆分",
                line.location(token.start, token.end),
            )
        )
        return None

    # ------------------------------------------------------------------ header
    def _match_header(self, spec: TableSpec, tokens: Sequence[Token], lines: Sequence[Line]) -> list[HeaderLabel]:
        """Header labels as found, each tied to the column it names (None for group labels)."""
        known = [key(lbl) for lbl in (*spec.header_labels, *(c.label for c in spec.columns))]
        if spec.row_header_label:
            known.append(key(spec.row_header_label))
        if spec.corner_note:
            known.append(key(spec.corner_note))
        columns = list(spec.columns)
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
            k = key(text)
            column = None
            ordered = columns[pointer:] + columns[:pointer]
            for c in ordered:
                if c.key in assigned:
                    continue
                ck = key(c.label)
                if k == ck or (len(k) >= 3 and k not in known and at_least(k, ck, _HEADER_MATCH)):
                    column = c.key
                    break
            if column:
                assigned.add(column)
                pointer = [c.key for c in columns].index(column) + 1
            loc = lines[group[0].line].location(group[0].start, group[0].end)
            if len(group) > 1:
                last = group[-1]
                end = lines[last.line].location(last.start, last.end)
                loc.end_line, loc.end_column = end.end_line, end.end_column
                loc.text = "".join(t.text for t in group)
            out.append(HeaderLabel(text=text, column=column, location=loc))
            i += width
        return out


def _row(key: str, label_tokens: Sequence[Token], lines: Sequence[Line]) -> Row:
    """A row with its label as found: the pieces of a label broken over several cells, joined."""
    if not label_tokens:
        return Row(label=None)
    loc = _span(label_tokens, lines)
    return Row(label="".join(t.text for t in label_tokens), location=loc)


def _cell(token: Token, lines: Sequence[Line]) -> Cell:
    value, state, unit = token.value if token.value is not None else (None, "text", None)
    return Cell(
        raw=token.text, value=value, state=state, unit=unit, location=lines[token.line].location(token.start, token.end)
    )


def _span(tokens: Sequence[Token], lines: Sequence[Line]) -> Location | None:
    if not tokens:
        return None
    first, last = tokens[0], tokens[-1]
    loc = lines[first.line].location(first.start, first.end)
    end = lines[last.line].location(last.start, last.end)
    loc.end_line, loc.end_column = end.end_line, end.end_column
    return loc


def _table_name(spec: TableSpec) -> str:
    return spec.caption or {"s3": "三", "s4": "四"}.get(spec.section, spec.id)


def _row_label(spec: TableSpec, row_key: str) -> str:
    row = next((r for r in spec.rows if r.key == row_key), None)
    return row.label if row and row.label else "数据"


def label_keys(formats: Iterable[ReportFormat]) -> tuple[set[str], dict[str, set[str]]]:
    """All row-label keys, and per edition the label keys no other edition prints (its shape markers)."""
    per: dict[str, set[str]] = {}
    rows: set[str] = set()
    for fmt in formats:
        keys: set[str] = set()
        for spec in fmt.tables.values():
            keys.update(key(r.label) for r in spec.rows if r.label)
            rows.update(key(r.label) for r in spec.rows if r.label)
            keys.update(key(c.label) for c in spec.columns)
            if spec.caption:
                keys.add(key(spec.caption))
        per[fmt.edition] = keys
    distinct = {ed: ks - set().union(*(o for e, o in per.items() if e != ed)) for ed, ks in per.items()}
    return rows, distinct


def table_shape(tokens: Sequence[Token], markers: dict[str, set[str]]) -> str | None:
    """The edition whose distinctive labels the text uses clearly more often, if any."""
    counts = {ed: 0 for ed in markers}
    for t in tokens:
        if t.value is None and t.text:
            k = key(t.text)
            for ed, ks in markers.items():
                if k in ks:
                    counts[ed] += 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) >= 2 and ranked[0][1] >= ranked[1][1] + 2:
        return ranked[0][0]
    return None
