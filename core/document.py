"""The canonical report document: what every loader produces and every rule reads.

The JSON form of these classes is described by ``schemas/report.schema.json``; keep the two in step
and bump ``SCHEMA_VERSION`` when a change is not backwards compatible.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

SCHEMA_VERSION = 1

CellState = Literal["number", "blank", "slash", "dash", "text"]
# Whether a value (a table, a cell, a finding about them) is as the document wrote it, or was rebuilt
# by the reader from text that lost the table's layout ("extraction").
Origin = Literal["document", "extraction"]
SectionKind = Literal["statutory", "preamble", "unknown"]
OrganLevel = Literal["government", "department", "other"]


@dataclass(slots=True)
class Location:
    """Where something is in the original file, plus the text it points at.

    Text-based inputs use 1-based line/column (code points); PDF uses page + line on the page +
    column on that line; DOCX uses paragraph + column in the paragraph, or table/row/cell (+ column
    in the cell's text). The end (``end_line``/``end_column``) is on the start's page, paragraph or
    cell; a span that runs into another one has no end. ``text`` lets messages and fingerprints
    stay independent of line numbers.
    """

    text: str = ""
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    def ends_like(self, last: Location, text: str | None = None) -> Location:
        """This location, ending where ``last`` ends (when both are on one page, paragraph or cell: a
        span into another has no end we can write), pointing at ``text`` when given."""
        same = _unit(self) == _unit(last)
        # Built directly: ``dataclasses.replace`` costs ten times as much, and paragraphs call this.
        return Location(
            self.text if text is None else text,
            self.line,
            self.column,
            last.end_line if same else None,
            last.end_column if same else None,
            self.page,
            self.paragraph,
            self.table,
            self.row,
            self.cell,
        )


class Anchor(NamedTuple):
    """Where a stretch of a normalised text starts in the original file.

    From offset ``at`` of the normalised text (and ``raw`` of the location's text as written) on,
    characters map one to one onto columns from ``column`` of the same line, page line, Word
    paragraph or cell, until the next anchor. ``end_column`` is given only when the stretch's source
    is wider than its text (an HTML entity: one character, ``&ldquo;`` in the file). A tuple, not a
    dataclass: a document holds hundreds, and JSON writes each as a short array.
    """

    at: int
    raw: int
    column: int
    line: int | None = None
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    end_column: int | None = None


def locate(location: Location, anchors: Sequence[Anchor] | None, start: int, end: int, length: int) -> Location:
    """The location of characters ``start:end`` of a normalised text of ``length`` characters found
    at ``location`` (its ``text`` as written), through the text's anchors; the whole ``location``
    when there are none (a document from another extractor) or the span is empty."""
    if not anchors or end <= start:
        return location
    first = anchors[max(bisect_right(anchors, start, key=_at) - 1, 0)]
    n = max(bisect_right(anchors, end - 1, key=_at) - 1, 0)
    last = anchors[n]
    k, m = start - first.at, end - last.at  # m: characters of the last stretch taken
    stretch = (anchors[n + 1].at if n + 1 < len(anchors) else length) - last.at
    if last.end_column is not None and m >= stretch:
        end_column = last.end_column
    else:
        end_column = last.column + m
    same = _unit(first) == _unit(last)
    return Location(
        text=location.text[first.raw + k : last.raw + m],
        line=first.line,
        column=first.column + k,
        end_line=last.line if same else None,
        end_column=end_column if same else None,
        page=first.page,
        paragraph=first.paragraph,
        table=first.table,
        row=first.row,
        cell=first.cell,
    )


def _at(anchor: Anchor) -> int:
    return anchor.at


def _unit(place: Location | Anchor) -> tuple[int | None, ...]:
    """The page, paragraph or cell a position is in: an end is written only inside the start's."""
    return place.page, place.paragraph, place.table, place.row, place.cell


@dataclass(slots=True)
class Located:
    """A value read from the document together with where it was read."""

    value: str
    location: Location


@dataclass(slots=True)
class Source:
    """The file a document was read from: the path as named, its input format, content hash and size."""

    path: str
    format: str
    sha256: str
    size: int
    encoding: str | None = None
    traditional_converted: bool = False


@dataclass(slots=True)
class Title:
    """The report's title as written, and normalised for comparison."""

    as_written: str
    normalised: str
    location: Location


@dataclass(slots=True)
class Edition:
    """Which national format the report follows, and what decided it."""

    value: str | None = None  # a template's edition
    decided_by: Literal["year", "table_shape", "configuration"] | None = None
    # Edition the tables look like, when they say anything; differing from ``value`` is an ST07 matter.
    table_shape: str | None = None


@dataclass(slots=True)
class Region:
    """The administrative division a report belongs to: its names per level and the adcode."""

    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    code: str | None = None
    decided_by: str | None = None


@dataclass(slots=True)
class DateValue:
    """A date as written in the report, with its ISO form when it is a valid date."""

    raw: str
    value: str | None  # ISO 8601 date, or None when the raw text is not a valid date
    location: Location


@dataclass(slots=True)
class Signature:
    """The 落款: the organ that signs the report and the date under it."""

    organ: Located | None = None
    date: DateValue | None = None


@dataclass(slots=True)
class Period:
    """The statistics period the report states (统计期限), as written and as ISO dates."""

    raw: str
    start: str | None
    end: str | None
    location: Location


@dataclass(slots=True)
class Meta:
    """What the report says about itself: title, organ, year, edition, region, 落款, portal block."""

    title: Title | None = None
    organ: str | None = None
    organ_source: str | None = None
    report_year: int | None = None
    report_year_source: str | None = None
    edition: Edition = field(default_factory=Edition)
    region: Region = field(default_factory=Region)
    organ_level: OrganLevel | None = None
    signature: Signature = field(default_factory=Signature)
    # Portal metadata block, keyed by the label as normalised (索引号, 发布机构, 公开日期, ...).
    portal: dict[str, Located] = field(default_factory=dict)
    publication_date: DateValue | None = None
    statistics_period: Period | None = None
    submitter: Located | None = None
    # What the file container says about itself (DOCX core properties, PDF document information):
    # ``author``, ``created``, ``modified``, ``title``, ``last_modified_by``. Not report content.
    properties: dict[str, Located] = field(default_factory=dict)


@dataclass(slots=True)
class Paragraph:
    """A paragraph of prose (normalised), where it is in the original file (its lines as written),
    and the anchors that place any span of its text there (None when not known)."""

    text: str
    location: Location
    anchors: list[Anchor] | None = None

    def locate(self, start: int, end: int) -> Location:
        """Where ``text[start:end]`` is in the original file."""
        return locate(self.location, self.anchors, start, end, len(self.text))

    def anchor_at(self, offset: int) -> Anchor | None:
        """The anchor of the stretch holding ``text[offset]``; None when there are no anchors."""
        if not self.anchors:
            return None
        return self.anchors[max(bisect_right(self.anchors, offset, key=_at) - 1, 0)]

    def line_spans(self) -> list[tuple[int, int]]:
        """``(start, end)`` of each line of the text as written (``location.text``, lines apart by
        ``\\n``) in ``text``: the lines a PDF or a hard-wrapped file broke the paragraph into. One span
        when there are no anchors."""
        if not self.anchors:
            return [(0, len(self.text))]
        starts: list[int] = []
        written = self.location.text
        line = -1
        for anchor in self.anchors:
            n = written.count("\n", 0, anchor.raw)
            if n != line:
                starts.append(anchor.at)
                line = n
        return list(zip(starts, [*starts[1:], len(self.text)], strict=True))


@dataclass(slots=True)
class Section:
    """A section of the report: one of the format's sections (``key``), or text outside them."""

    key: str | None
    kind: SectionKind
    heading: str | None = None
    title: str | None = None
    number: str | None = None
    location: Location | None = None
    heading_anchors: list[Anchor] | None = None  # place spans of ``heading`` in ``location``
    paragraphs: list[Paragraph] = field(default_factory=list)

    def heading_paragraph(self) -> Paragraph | None:
        """The heading as a paragraph of its own, for rules that read headings as they read prose."""
        if self.heading is None or self.location is None:
            return None
        return Paragraph(self.heading, self.location, self.heading_anchors)


@dataclass(slots=True)
class Cell:
    """A table cell: the text as written, the value read from it and what kind of content it is."""

    raw: str
    value: int | float | None
    state: CellState
    location: Location
    unit: str | None = None
    origin: Origin = "document"


@dataclass(slots=True)
class Row:
    """A table row, by the label it was matched with, and its cells keyed by column."""

    label: str | None
    location: Location | None = None
    known: bool = True
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass(slots=True)
class HeaderLabel:
    """A column header as printed, and the format's column it was matched to."""

    text: str
    column: str | None
    location: Location


@dataclass(slots=True)
class GroupLabel:
    """A group row's label as printed (``三、本年度办理结果``, ``（三）不予公开``): a label over rows
    that carries no cells of its own, kept so its wording can be checked."""

    text: str
    row: str  # the format's group row key it was matched to
    location: Location


@dataclass(slots=True)
class Table:
    """A statutory table: its header labels and its rows, keyed as the format keys them."""

    id: str
    caption: str | None = None
    location: Location | None = None
    header: list[HeaderLabel] = field(default_factory=list)
    rows: dict[str, Row] = field(default_factory=dict)
    origin: Origin = "document"
    groups: list[GroupLabel] = field(default_factory=list)


@dataclass(slots=True)
class Change:
    """One edit made by normalisation, located in the original file."""

    kind: Literal["traditional", "pinyin", "fullwidth", "space", "line_join"]
    original: str
    replacement: str
    location: Location


@dataclass(slots=True)
class Diagnostic:
    """A loader's note on the extraction (NB03: a value not read with confidence), located."""

    code: str
    message: str
    location: Location | None = None
    # The table cells the diagnostic casts doubt on, as references: ``t3`` (the whole table),
    # ``t3.granted`` (a row), ``t3.granted.total`` (one cell). Rules leave those cells alone, and
    # a reader of the document knows which values were not read with confidence.
    scope: list[str] = field(default_factory=list)
    # What the doubted cells may hold, when the reader can list every possibility (the splits of a
    # digit run that lost its separators): each entry is one complete reading, cell reference
    # (``t2_1.normative_documents.made``) -> value. Empty when the reader cannot say.
    candidates: list[dict[str, int | float]] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    """The canonical document: what every loader produces and every rule reads."""

    source: Source
    meta: Meta = field(default_factory=Meta)
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def number(self, table: str, row: str, column: str) -> Cell | None:
        """The cell at table/row/column when it holds a number, else None (missing, blank, slash, text)."""
        t = self.tables.get(table)
        r = t.rows.get(row) if t else None
        cell = r.cells.get(column) if r else None
        return cell if cell is not None and cell.state == "number" and cell.value is not None else None

    def to_dict(self) -> dict[str, Any]:
        return _to_plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return _from_plain(cls, data)


_FIELDS: dict[type, tuple[str, ...] | None] = {}  # None: not a dataclass


def _to_plain(obj: Any) -> Any:
    tp = type(obj)
    if tp is str or tp is int or obj is None or tp is float or tp is bool:
        return obj
    try:
        names = _FIELDS[tp]
    except KeyError:
        names = _FIELDS[tp] = tuple(f.name for f in dataclasses.fields(obj)) if dataclasses.is_dataclass(obj) else None
    if names is not None:
        if tp is Location:
            # Locations are the bulk of the document; unused coordinates say nothing.
            return {n: v for n in names if (v := getattr(obj, n)) is not None}
        return {n: _to_plain(getattr(obj, n)) for n in names}
    if tp is Anchor:
        # A short array: the coordinates it does not use are the trailing ones (see the schema).
        out = list(obj)
        while out[-1] is None:
            out.pop()
        return out
    if tp is dict:
        return {k: _to_plain(v) for k, v in obj.items()}
    if tp is list:
        return [_to_plain(v) for v in obj]
    return obj


_DECODERS: dict[Any, Any] = {}


def _from_plain(tp: Any, data: Any) -> Any:
    """Rebuild dataclasses from their plain form (the inverse of ``_to_plain``)."""
    decode = _DECODERS.get(tp)
    if decode is None:
        decode = _DECODERS[tp] = _decoder(tp)
    return decode(data)


def _decoder(tp: Any) -> Any:
    """A function that rebuilds values of type ``tp``, made once per type from its annotations."""
    import typing

    if tp is Anchor:
        return lambda data: None if data is None else Anchor(*data)
    origin = typing.get_origin(tp)
    if origin is None and isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [(f.name, hints[f.name]) for f in dataclasses.fields(tp)]

        def build(data: Any) -> Any:
            if data is None:
                return None
            return tp(**{name: _from_plain(hint, data[name]) for name, hint in fields if name in data})

        return build
    args = typing.get_args(tp)
    if origin is dict:
        value = args[1]
        return lambda data: None if data is None else {k: _from_plain(value, v) for k, v in data.items()}
    if origin is list:
        item = args[0]
        return lambda data: None if data is None else [_from_plain(item, v) for v in data]
    # Optional[...] / unions: the dataclass or list member wins, scalars pass through
    member = next((a for a in args if isinstance(a, type) and dataclasses.is_dataclass(a)), None)
    listed = next((a for a in args if typing.get_origin(a) is list), None)
    if member is None and listed is None:
        return lambda data: data

    def union(data: Any) -> Any:
        if member is not None and isinstance(data, dict):
            return _from_plain(member, data)
        if listed is not None and isinstance(data, list):
            return _from_plain(listed, data)
        return data

    return union


def show_number(value: float) -> str:
    """A cell value as a person writes it: 12, not 12.0; 604.96 as is."""
    return str(int(value)) if float(value).is_integer() else str(value)
