"""What the format data says a statutory table prints, and matching printed labels against it.

One place for the label sets (every label of every edition, each edition's distinctive labels, the
labels that anchor one table) and for the two comparisons every reader makes: a printed row label
against the format's rows, and a column's header path (``行政诉讼`` / ``复议后起诉`` / ``结果维持``)
against the format's columns. Labels are compared by :func:`~nianbao.plugins.text.labels.key`
(punctuation and spacing ignored) and, past an exact match, by similarity above a threshold, so a
misspelt or cut label is still recognised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from nianbao.document import Row, Table
from nianbao.identities import Equation, expand
from nianbao.plugins.text.labels import at_least, key, key_positions, split_labels
from nianbao.templates import ColumnSpec, RowSpec, TableSpec, Template, edition_markers

# A row label this similar to the format's is the same label, misspelt or cut by extraction.
ROW_MATCH = 0.8
# Header labels are short (``总计``, ``其他``): a lower bar, and only for labels of 3 characters or more.
HEADER_MATCH = 0.75
# Shorter row labels (``规章``) must match exactly: two characters in common say nothing.
MIN_FUZZY_ROW = 4
# The first part of a long label a line break cut (``5.要求行政机关确认或`` / ``重新出具已获取信息``)
# names the row when no other row's label starts the same way.
MIN_PREFIX = 5
PREFIX_SCORE = 0.9
# A table of a report prints several of the format's labels; a layout table (a signature block,
# a portal header) prints none or one.
MIN_STATUTORY_LABELS = 2


@dataclass(frozen=True, slots=True)
class TemplateLabels:
    """The labels of every edition's tables, for deciding what is a table and which edition it is."""

    row_keys: frozenset[str]  # every row label of every edition
    printed: frozenset[str]  # every label a statutory table prints: rows, columns, header, caption, corner
    markers: dict[str, frozenset[str]] = field(hash=False)  # per edition, the labels no other edition prints
    # What text run together is cut at: every printed label, and the row labels without their item
    # numbers (a converter may drop ``1.``), longest first.
    cuts: tuple[str, ...] = field(default=(), hash=False)

    def is_statutory(self, texts: Iterable[str]) -> bool:
        """Whether cells with these texts are a statutory table (they print several format labels,
        or labels run together: ``未经复议直接起诉结果维持``)."""
        found = 0
        for text in texts:
            if not text:
                continue
            if key(text) in self.printed:
                found += 1
            else:
                found += len(split_labels(text, self.printed) or ())
            if found >= MIN_STATUTORY_LABELS:
                return True
        return False

    def shape(self, labels: Iterable[str]) -> str | None:
        """The edition whose distinctive labels these texts use clearly more often, if any."""
        counts = dict.fromkeys(self.markers, 0)
        for text in labels:
            k = key(text)
            for edition, keys in self.markers.items():
                if k in keys:
                    counts[edition] += 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if len(ranked) >= 2 and ranked[0][1] >= ranked[1][1] + 2:
            return ranked[0][0]
        return None


def template_labels(templates: Sequence[Template]) -> TemplateLabels:
    return _template_labels(tuple(templates))


@lru_cache(maxsize=8)
def _template_labels(templates: tuple[Template, ...]) -> TemplateLabels:
    rows: set[str] = set()
    printed: set[str] = set()
    for template in templates:
        for spec in template.tables.values():
            labels = table_labels(spec)
            rows.update(labels.row_keys)
            printed.update(labels.row_keys, labels.header_keys, labels.extra_keys)
    printed.discard("")
    bare = {_ITEM_KEY.sub("", k) for k in rows}
    cuts = tuple(sorted({k for k in printed | bare if len(k) >= 2}, key=len, reverse=True))
    return TemplateLabels(frozenset(rows), frozenset(printed), edition_markers(templates), cuts)


@dataclass(frozen=True, slots=True)
class RowMatch:
    """A format row a printed label was matched to, and how well."""

    row: RowSpec
    score: float
    part: bool = False  # only the first part of the label was printed here (the rest may follow)


class TableLabels:
    """One format table's labels, and matching printed rows and columns to it."""

    def __init__(self, spec: TableSpec) -> None:
        self.spec = spec
        self.row_keys = frozenset(key(r.label) for r in spec.rows if r.label)
        self.column_keys = [key(c.label) for c in spec.columns]
        self.header_keys = frozenset((*self.column_keys, *(key(x) for x in spec.header_labels)))
        extra = (spec.caption, spec.corner_note, spec.row_header_label)
        self.extra_keys = frozenset(key(x) for x in extra if x)
        self.caption_key = key(spec.caption) if spec.caption else None
        self.corner_key = key(spec.corner_note) if spec.corner_note else None
        self.parents = {r.key: r for r in spec.rows}
        self.equations: list[Equation] = expand(spec)
        self._row_label_keys = [(r, key(r.label)) for r in spec.rows if r.label]
        self._by_key: dict[str, list[RowSpec]] = {}
        self._by_start: dict[str, list[RowSpec]] = {}  # first parts of labels (MIN_PREFIX and longer)
        for row, k in self._row_label_keys:
            self._by_key.setdefault(k, []).append(row)
            for n in range(MIN_PREFIX, len(k)):
                self._by_start.setdefault(k[:n], []).append(row)

    # ------------------------------------------------------------------ pieces
    @cached_property
    def _header_pieces(self) -> frozenset[str]:
        return frozenset(_substrings(self.header_keys | self.extra_keys))

    @cached_property
    def _group_pieces(self) -> frozenset[str]:
        """Pieces of group row labels, not the whole labels (a whole one is matched as a row)."""
        groups = {key(r.label) for r in self.spec.rows if r.label and not r.data}
        return frozenset(_substrings(groups) - groups)

    def is_header_piece(self, k: str) -> bool:
        """A header label or a piece of one (``商业企`` / ``业``: a label printed over several lines)."""
        return bool(k) and k in self._header_pieces and k not in self.row_keys

    def is_fragment(self, k: str) -> bool:
        """A piece of a header label or of a group row label (``三`` / ``本`` / ``年``…: a group label printed
        one character per line), never a data row's label: text to read past when collecting row labels."""
        return bool(k) and (k in self._header_pieces or k in self._group_pieces) and k not in self._data_keys

    @cached_property
    def _data_keys(self) -> frozenset[str]:
        return frozenset(key(r.label) for r in self.spec.rows if r.label and r.data)

    # ------------------------------------------------------------------ rows
    def match_row(self, text: str, taken: Iterable[str] = (), groups: Iterable[str] = ()) -> RowMatch | None:
        """The format row a printed label names, among the rows not ``taken``.

        An exact match wins; then a label that ends with the format's (a group label run into it:
        ``三、本年度办理结果（一）予以公开``); then the most similar label above :data:`ROW_MATCH`, or
        the first part of exactly one label (the rest cut off by a line break).
        ``groups`` are the keys of labels printed above or beside it (merged group cells): where the
        format prints a label twice, the row under the right group wins.
        """
        k = key(text)
        if not k:
            return None
        taken = set(taken)
        groups = set(groups)
        exact = [r for r in self._by_key.get(k, ()) if r.key not in taken]
        if exact:  # the common case, answered without comparing every label
            row = next((r for r in exact if self.in_group(r, groups)), exact[0])
            return RowMatch(row, 1.001 if self.in_group(row, groups) else 1.0)
        best: RowMatch | None = None
        starts = [r for r in self._by_start.get(k, ()) if r.key not in taken]
        for row, rk in self._row_label_keys:
            if row.key in taken:
                continue
            if len(rk) >= MIN_FUZZY_ROW and k.endswith(rk):
                score = 0.99
            elif len(rk) >= MIN_FUZZY_ROW and len(k) >= MIN_FUZZY_ROW and k not in self.header_keys:
                score = at_least(k, rk, ROW_MATCH)  # ``总计`` is a column, not a misspelt ``（七）总计``
            else:
                continue
            if not score:
                continue
            if self.in_group(row, groups):
                score += 0.001
            if best is None or score > best.score + 1e-9:
                best = RowMatch(row, score)
        if len(starts) == 1 and (best is None or best.score < PREFIX_SCORE):
            best = RowMatch(starts[0], PREFIX_SCORE + (0.001 if self.in_group(starts[0], groups) else 0), part=True)
        return best

    @cached_property
    def known_header(self) -> frozenset[str]:
        """Every label printed above the table's rows: column and group labels, caption, corner note."""
        return self.header_keys | self.extra_keys

    @cached_property
    def known_header_starts(self) -> frozenset[str]:
        """The first parts of those labels, the labels themselves included."""
        return frozenset(k[:n] for k in self.known_header for n in range(1, len(k) + 1))

    @cached_property
    def longest_row_label(self) -> int:
        """Characters of the longest row label as the format prints it, with room for spacing."""
        return 2 * max((len(r.label) for r in self.spec.rows if r.label), default=0)

    def exact_row(self, text: str) -> RowSpec | None:
        """The data row whose label ``text`` is exactly (as label keys), if one is."""
        return next((r for r in self._by_key.get(key(text), ()) if r.data), None)

    def group_before(self, text: str, row: RowSpec) -> tuple[RowSpec, int] | None:
        """A group label of ``row`` run into its label (``三、本年度办理结果 （一）予以公开``, as a
        converter writes a merged group cell into the first row's cell): the group row and where its
        label ends in ``text``. None unless ``text`` is exactly the two labels."""
        k, positions = key_positions(text)
        own = key(row.label or "")
        if not own or len(k) <= len(own) or not k.endswith(own):
            return None
        head = k[: len(k) - len(own)]
        seen: list[RowSpec] = []
        parent = self.parents.get(row.parent) if row.parent else None
        while parent is not None and parent not in seen:
            if parent.label and key(parent.label) == head:
                return parent, positions[len(head) - 1] + 1
            seen.append(parent)
            parent = self.parents.get(parent.parent) if parent.parent else None
        return None

    def in_group(self, row: RowSpec, groups: set[str]) -> bool:
        parent = self.parents.get(row.parent) if row.parent else None
        return parent is not None and parent.label is not None and key(parent.label) in groups

    def is_anchor(self, text: str) -> bool:
        """A label that says this table starts here: caption, corner note, a row label, or a header
        label no other table prints (see :meth:`TableSet.anchors`)."""
        return key(text) in self.row_keys or key(text) in self.extra_keys

    # ------------------------------------------------------------------ columns
    def match_header(self, text: str, start: int, assigned: set[str], known: frozenset[str]) -> ColumnSpec | None:
        """The column a header label names, looking from column ``start`` on (then wrapping round).

        Used where only the labels are known, not which grid column they stand over (text).
        """
        k = key(text)
        columns = list(self.spec.columns)
        for column in columns[start:] + columns[:start]:
            if column.key in assigned:
                continue
            ck = key(column.label)
            if k == ck or (len(k) >= 3 and k not in known and at_least(k, ck, HEADER_MATCH)):
                return column
        return None

    def name_columns(self, texts: Sequence[str]) -> list[str | None]:
        """The column each header label names, read in order as a person reads a header whose
        layout was lost (a converter dropped the merged cells): a label names the next unnamed
        column it matches from the last one named on, wrapping round; group labels name none."""
        known = self.known_header
        assigned: set[str] = set()
        pointer = 0
        out: list[str | None] = []
        columns = [c.key for c in self.spec.columns]
        for text in texts:
            column = self.match_header(text, pointer, assigned, known)
            if column is not None:
                assigned.add(column.key)
                pointer = columns.index(column.key) + 1
            out.append(column.key if column else None)
        return out

    def match_paths(self, paths: Sequence[Sequence[str]]) -> dict[str, int] | None:
        """Format column key -> index into ``paths``, from each grid column's header path (keys, top
        to bottom); None unless every format column is found.

        A column is found by its leaf label and, where the format prints a leaf several times
        (``结果维持`` under 行政复议 and under both 行政诉讼 groups), by the group labels above it.
        Columns in another order than the format's (总计 first, groups swapped) are accepted only
        when every leaf and group label was found; a match that leaned on a leaf alone must keep
        the format's order.
        """
        assigned: dict[str, int] = {}
        sure = True
        used: set[int] = set()
        pointer = 0
        n = len(paths)
        for column, label in zip(self.spec.columns, self.column_keys, strict=True):
            groups = [key(x) for x in (column.group or "").split("/") if x]
            best: tuple[float, int] | None = None
            for g in list(range(pointer, n)) + list(range(pointer)):
                if g in used or not paths[g]:
                    continue
                leaf = paths[g][-1]
                score = 1.0 if leaf == label else at_least(leaf, label, HEADER_MATCH)
                if not score:
                    continue
                if groups and not all(any(gr == p or at_least(p, gr, HEADER_MATCH) for p in paths[g]) for gr in groups):
                    score -= 0.5  # the group labels were lost: only take it if nothing better
                if best is None or score > best[0] + 1e-9:
                    best = (score, g)
            if best is None:
                return None
            sure = sure and best[0] >= HEADER_MATCH
            assigned[column.key] = best[1]
            used.add(best[1])
            pointer = best[1] + 1
        order = list(assigned.values())
        return assigned if sure or order == sorted(order) else None

    def match_some_paths(self, paths: Sequence[Sequence[str]]) -> dict[str, int] | None:
        """Format column key -> index into ``paths`` for the grid columns that name one format column
        surely: their leaf and every group label of exactly one column are in the path. For a grid
        holding part of a table (a sub-table per column group); None when a labelled grid column names
        no column or several, or two name the same."""
        out: dict[str, int] = {}
        for g, path in enumerate(paths):
            if not path:
                continue
            named = [
                column.key
                for column, label in zip(self.spec.columns, self.column_keys, strict=True)
                if path[-1] == label and all(key(x) in path for x in (column.group or "").split("/") if x)
            ]
            if len(named) > 1:
                return None
            if named:
                if named[0] in out:
                    return None
                out[named[0]] = g
        return out or None


_LABELS: dict[int, TableLabels] = {}


def table_labels(spec: TableSpec) -> TableLabels:
    """The labels of ``spec``, built once (specs live as long as their format)."""
    labels = _LABELS.get(id(spec))
    if labels is None or labels.spec is not spec:
        labels = _LABELS[id(spec)] = TableLabels(spec)
    return labels


class TableSet:
    """The tables of one edition being read, with the other editions' rows for rows drawn the old way."""

    def __init__(self, template: Template, templates: Sequence[Template] = ()) -> None:
        self.template = template
        self.specs = list(template.tables.values())
        self.labels = {spec.id: table_labels(spec) for spec in self.specs}
        self.header_keys = frozenset(k for labels in self.labels.values() for k in labels.header_keys)
        # Rows another edition has as data rows where this one prints a group: the 2019 single
        # （六）其他处理 row inside a 2021 table keeps the 2019 row's key (ST07 reports the shape).
        self.elsewhere: dict[str, set[str]] = {}
        for other in templates:
            if other.edition == template.edition:
                continue
            for spec in other.tables.values():
                self.elsewhere.setdefault(spec.id, set()).update(r.key for r in spec.rows if r.data)

    def anchors(self, spec: TableSpec) -> set[str]:
        """Keys that say where table ``spec`` starts in running text."""
        labels = self.labels[spec.id]
        keys = set(labels.row_keys) | {k for k in (labels.caption_key, labels.corner_key) if k}
        others = {k for s in self.specs if s is not spec for k in self.labels[s.id].header_keys}
        keys.update(k for k in (key(x) for x in spec.header_labels) if k not in others)
        return keys

    def data_key(self, spec: TableSpec, row: RowSpec) -> str | None:
        """The key values printed on ``row`` are kept under, or None when the row holds no values."""
        if row.data:
            return row.key
        return row.key if row.key in self.elsewhere.get(spec.id, ()) else None


_ITEM_KEY = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?=\D)")  # a row label key's item number
_ITEM_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.．、]\s*")


def _substrings(keys: Iterable[str]) -> set[str]:
    return {k[a:b] for k in keys for a in range(len(k)) for b in range(a + 1, len(k) + 1)}


def drop_restarted_numbers(spec: TableSpec, table: Table) -> None:
    """Sub-row numbers a converter restarted in every cell: Word numbers the rows ``1.`` ... ``8.``
    automatically, and a tool that writes each cell as a list of its own prints them all ``1.``. When
    several rows read ``1.`` where the format numbers them on, and none carries its own number past
    1, the numbers are the converter's, not the report's: the labels keep their words only."""
    wrong: list[Row] = []
    for row_spec in spec.rows:
        row = table.rows.get(row_spec.key)
        if row is None or not row.known or not row.label or not row_spec.label:
            continue
        printed, meant = _ITEM_NUMBER.match(row.label), _ITEM_NUMBER.match(row_spec.label)
        if printed is None or meant is None:
            continue
        if printed.group(1) == meant.group(1) != "1":
            return  # the report numbers its rows itself
        if printed.group(1) == "1" != meant.group(1):
            wrong.append(row)
    if len(wrong) >= 2:
        for row in wrong:
            row.label = _ITEM_NUMBER.sub("", row.label, count=1)
