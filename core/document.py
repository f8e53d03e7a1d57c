"""The canonical report document: what every loader produces and every rule reads.

The JSON form of these classes is described by ``schemas/report.schema.json``; keep the two in step
and bump ``SCHEMA_VERSION`` when a change is not backwards compatible.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = 1

CellState = Literal["number", "blank", "slash", "dash", "text"]
Origin = Literal["document", "extraction"]
SectionKind = Literal["statutory", "preamble", "unknown"]
OrganLevel = Literal["government", "department", "other"]


@dataclass(slots=True)
class Location:
    """Where something is in the original file, plus the text it points at.

    Text-based inputs use 1-based line/column (code points); PDF uses page + line on the page;
    DOCX uses paragraph or table/row/cell indexes. ``text`` lets messages and fingerprints stay
    independent of line numbers.
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

    value: Literal["2019", "2021"] | None = None
    decided_by: Literal["year", "table_shape", "configuration"] | None = None
    # Edition the tables look like, when they say anything; differing from ``value`` is an ST07 matter.
    table_shape: Literal["2019", "2021"] | None = None


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
    """A paragraph of prose and where it starts in the original file."""

    text: str
    location: Location


@dataclass(slots=True)
class Section:
    """A section of the report: one of the format's sections (``key``), or text outside them."""

    key: str | None
    kind: SectionKind
    heading: str | None = None
    title: str | None = None
    number: str | None = None
    location: Location | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)


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
    # Optional[...] / unions: the dataclass member wins, scalars pass through
    member = next((a for a in args if isinstance(a, type) and dataclasses.is_dataclass(a)), None)
    if member is not None:
        return lambda data: _from_plain(member, data) if isinstance(data, dict) else data
    return lambda data: data


def show_number(value: float) -> str:
    """A cell value as a person writes it: 12, not 12.0; 604.96 as is."""
    return str(int(value)) if float(value).is_integer() else str(value)
