"""What linting one file takes and gives: the unit of work a run hands to this process, a worker
process or a Dask node, and the compact record that comes back (and is cached).

A record holds the file's result (findings, rule set, the few facts outputs show) and, when the run
compares reports, the report's grouping keys and the parts of its document that cross-document rules
read, in plain form (what JSON holds: built once, by whoever linted the file, cheap to send, keep and
cache; turned back into a document only for a report that is paired). It never holds the whole
document: a run over 100,000 reports keeps, sends and caches records, not documents.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .document import Document, Location, Section, Table, _to_plain
from .engine import RuleFailure
from .rules import DocumentParts, Finding, LogicalLocation, Related

if TYPE_CHECKING:
    from .config import Config
    from .grouping import Entry
    from .lint import FileResult


@dataclass(slots=True)
class FileTask:
    """One file to lint, with everything decided about it before it is read."""

    path: str
    config: Config  # the configuration in force for the file (found from its folder)
    ignored: frozenset[str] = frozenset()  # rules per-file-ignores switches off for this path
    lenient: bool = False  # found by a folder walk: a file that is plainly no report is skipped, not NB02
    cross_document: bool = False  # the run compares reports: keep what cross-document rules read
    data: bytes | None = None  # the file's bytes when the run has read them already (cache, Dask)


@dataclass(slots=True)
class FileRecord:
    """What linting one file gives the rest of the run."""

    path: str
    result: FileResult | None = None  # None when the file was skipped
    skipped: str | None = None  # why a folder walk passed over it
    group: Entry | None = None  # the report's grouping keys (organ, place, year), when the run compares
    # The parts cross-document rules read, plain (see :func:`extract`), or as JSON text when taken from
    # the cache (decoded only if a pair or family reads it).
    extract: dict[str, Any] | str | None = None
    failures: list[RuleFailure] = field(default_factory=list)  # rules that raised on this file
    cacheable: bool = False  # the same bytes always give this record (not an OS error, not a bug)
    key: str | None = None  # its cache key, when the run has a cache


def extract(doc: Document, parts: DocumentParts | None) -> dict[str, Any]:
    """The parts of ``doc`` cross-document rules read (see :class:`DocumentParts`; ``None`` keeps it
    whole), in plain form without the file's path (a copy of the file elsewhere gives the same)."""
    data = _reduced(doc, parts).to_dict()
    data["source"]["path"] = ""
    return data


def document(data: dict[str, Any] | str | None, path: str) -> Document:
    """The document an :func:`extract` (or its JSON text) holds, located at ``path``; :class:`BadRecord`
    if it is none."""
    try:
        if type(data) is str:
            data = json.loads(data)
        _check(type(data) is dict)
        doc = Document.from_dict(data)
        _check(isinstance(doc.source.path, str) and type(doc.tables) is dict and type(doc.sections) is list)
        doc.source.path = path
        _check_document(doc)
        return doc
    except BadRecord:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise BadRecord(f"malformed cache entry: {type(exc).__name__}") from None


def _reduced(doc: Document, parts: DocumentParts | None) -> Document:
    if parts is None:
        return doc
    # By keyword (dataclasses.replace): a field added to Section or Table must not shift the others.
    sections = [
        replace(s, paragraphs=s.paragraphs if s.key is not None and s.key in parts.sections else [])
        for s in doc.sections
    ]
    tables: dict[str, Table] = {}
    for key, table in doc.tables.items():
        if parts.every_table:
            tables[key] = table
        elif key in parts.tables:
            rows = parts.tables[key]
            kept = table.rows if rows is None else {k: r for k, r in table.rows.items() if k in rows}
            tables[key] = replace(table, header=[], rows=kept, groups=[])
    return Document(doc.source, doc.meta, sections, tables)


# ------------------------------------------------------------------------------ plain form (cache)
#
# The cache stores records as JSON. Everything read back is checked for shape and type: a cache
# entry is data from disk, never trusted to be what nianbao wrote.


class BadRecord(ValueError):
    """Cached data that is not a record nianbao wrote."""


_LOCATION_INTS = ("line", "column", "end_line", "end_column", "page", "paragraph", "table", "row", "cell")
_LOCATION_KEYS = frozenset(("text", *_LOCATION_INTS))
_SEVERITIES = ("error", "warning", "info")
_ORIGINS = ("document", "extraction")


def _check(condition: bool) -> None:
    if not condition:
        raise BadRecord("malformed cache entry")


def _str(value: Any) -> str:
    _check(type(value) is str)
    return value


def _opt_str(value: Any) -> str | None:
    _check(value is None or type(value) is str)
    return value


def _strings(value: Any) -> list[str]:
    _check(type(value) is list and all(type(x) is str for x in value))
    return value


def _location(data: Any) -> Location | None:
    if data is None:
        return None
    _check(
        type(data) is dict
        and data.keys() <= _LOCATION_KEYS
        and all(type(v) is (str if k == "text" else int) for k, v in data.items())
    )
    return Location(**data)


def finding_plain(f: Finding, path: str) -> list[Any]:
    return [
        f.code,
        f.name,
        f.severity,
        f.message,
        _to_plain(f.location) if f.location is not None else None,
        [f.logical.section, f.logical.table, f.logical.row, f.logical.column] if f.logical is not None else None,
        f.origin,
        f.path if f.path != path else None,
        [[x.path, x.message, _to_plain(x.location) if x.location is not None else None] for x in f.related],
        f.cells,
    ]


def finding_from_plain(data: Any, path: str) -> Finding:
    # The bulk of a warm run's reading: checks inlined rather than a call per field.
    _check(type(data) is list and len(data) == 10)
    code, name, severity, message, location, logical, origin, own_path, related, cells = data
    _check(
        type(code) is str
        and type(name) is str
        and type(message) is str
        and severity in _SEVERITIES
        and origin in _ORIGINS
        and (own_path is None or type(own_path) is str)
        and type(related) is list
        and type(cells) is list
        and all(type(c) is str for c in cells)
    )
    if logical is not None:
        _check(type(logical) is list and len(logical) == 4 and all(x is None or type(x) is str for x in logical))
        logical = LogicalLocation(*logical)
    links = []
    for item in related:
        _check(type(item) is list and len(item) == 3)
        links.append(Related(_str(item[0]), _str(item[1]), _location(item[2])))
    return Finding(code, name, severity, message, _location(location), logical, origin, own_path or path, links, cells)


def result_plain(result: FileResult) -> dict[str, Any]:
    path = result.path
    return {
        "ruleset": result.ruleset,
        "ruleset_source": result.ruleset_source,
        "error": finding_plain(result.error, path) if result.error is not None else None,
        "findings": [finding_plain(f, path) for f in result.findings],
        "meta": result.meta,
        "rules": list(result.rules),
        "not_applicable": result.not_applicable,
    }


def result_from_plain(data: Any, path: str) -> FileResult:
    from .lint import FileResult

    _check(type(data) is dict)
    meta = data["meta"]
    _check(type(meta) is dict and all(v is None or type(v) in (str, int) for v in meta.values()))
    not_applicable = data["not_applicable"]
    _check(type(not_applicable) is dict and all(type(v) is str for v in not_applicable.values()))
    error = data["error"]
    return FileResult(
        path,
        [finding_from_plain(f, path) for f in _list(data["findings"])],
        _str(data["ruleset"]),
        error=finding_from_plain(error, path) if error is not None else None,
        meta=meta,
        ruleset_source=_str(data["ruleset_source"]),
        rules=tuple(_strings(data["rules"])),
        not_applicable=not_applicable,
    )


def _list(value: Any) -> list[Any]:
    _check(type(value) is list)
    return value


def record_plain(record: FileRecord) -> dict[str, Any]:
    """The cacheable part of a record as JSON-ready data (without the path: a copy of the same file
    elsewhere gives the same record)."""
    g = record.group
    return {
        "skipped": record.skipped,
        "result": result_plain(record.result) if record.result is not None else None,
        "group": [g.organ, g.region, g.year, g.name] if g is not None else None,
        "extract": json.loads(record.extract) if type(record.extract) is str else record.extract,
    }


def record_from_plain(data: Any, path: str) -> FileRecord:
    """The record ``record_plain`` made, located at ``path``; :class:`BadRecord` for anything else.
    The extract stays plain (checked when a pair or family reads it, see :func:`document`)."""
    try:
        _check(type(data) is dict)
        skipped = _opt_str(data["skipped"])
        result = data["result"]
        group = data["group"]
        extract_data = data["extract"]
        record = FileRecord(path, skipped=skipped, cacheable=True)
        _check((skipped is None) != (result is None) and (extract_data is None or type(extract_data) in (dict, str)))
        if result is not None:
            record.result = result_from_plain(result, path)
        if group is not None:
            from .grouping import Entry

            _check(type(group) is list and len(group) == 4 and (group[2] is None or type(group[2]) is int))
            record.group = Entry(path, _opt_str(group[0]), _opt_str(group[1]), group[2], _opt_str(group[3]))
        record.extract = extract_data
        return record
    except BadRecord:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadRecord(f"malformed cache entry: {type(exc).__name__}") from None


def _check_document(doc: Document) -> None:
    """The types cross-document rules rely on (``Document.from_dict`` builds whatever it is given)."""
    for section in doc.sections:
        _check(isinstance(section, Section) and type(section.paragraphs) is list)
        for p in section.paragraphs:
            _check(type(p.text) is str)
    for table in doc.tables.values():
        _check(isinstance(table, Table) and type(table.rows) is dict)
        for row in table.rows.values():
            _check(type(row.cells) is dict)
            for cell in row.cells.values():
                _check(type(cell.raw) is str and (cell.value is None or type(cell.value) in (int, float)))


def union_parts(parts: Iterable[DocumentParts | None]) -> DocumentParts | None:
    """What a set of rules reads together; None as soon as one of them reads the whole document."""
    total = DocumentParts()
    for p in parts:
        if p is None:
            return None
        total = total | p
    return total


def parts_for(rules: Iterable[Any], params: Mapping[str, Mapping[str, Any]]) -> DocumentParts | None:
    """What the given cross-document rules read with these parameters (rule code -> parameters)."""
    return union_parts(
        reads({**r.meta.params, **params.get(r.meta.code, {})}) if (reads := getattr(r, "reads", None)) else None
        for r in rules
    )
