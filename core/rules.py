"""The rule model: one metadata record per rule plus a check over the canonical document.

The same :class:`RuleMeta` feeds ``nianbao explain``, the generated ``docs/rules.md`` and the
SARIF rule descriptors. Rules arrive through the ``nianbao_rules`` hook (Python rules) or as
declarative rules in rule-set YAML; the engine treats both alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Literal, Protocol, TypeGuard, runtime_checkable

from .document import Document, Location, Origin
from .templates import Template

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """A rule's identity and documentation: code, name, severity, rationale and basis."""

    code: str  # stable: AR01
    name: str  # dotted: arithmetic.applications-balance
    severity: Severity  # default in the national rule set
    summary: str  # one line, Chinese: what the rule wants
    rationale: str  # why, in words, with its legal or documentary basis
    basis: str  # the source(s): 条例第五十条; 国办公开办函〔2021〕30号; a provincial notice
    editions: tuple[str, ...] = ()  # the editions it checks; none named: every edition the templates describe
    aliases: tuple[str, ...] = ()
    bad_example: str = ""
    good_example: str = ""
    ruleset: str = "national"
    tags: tuple[str, ...] = ()
    precision: Literal["very-high", "high", "medium", "low"] = "high"
    params: Mapping[str, Any] = field(default_factory=dict)  # defaults; rule sets may override

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def applies_to(self, edition: str) -> bool:
        return not self.editions or edition in self.editions

    def naming_editions(self, editions: Sequence[str]) -> RuleMeta:
        """This record as documentation shows it: a rule naming no edition checks every one of ``editions``."""
        return self if self.editions else replace(self, editions=tuple(editions))


@dataclass(slots=True)
class LogicalLocation:
    """Where a finding is in the report's structure (canonical document keys)."""

    section: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None

    def dotted(self) -> str:
        return ".".join(x for x in (self.section, self.table, self.row, self.column) if x)


@dataclass(slots=True)
class Related:
    """Another place a finding points at: for cross-document rules, last year's report."""

    path: str
    message: str
    location: Location | None = None


@dataclass(slots=True)
class Finding:
    """One problem a rule found, and where it is."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location | None = None
    logical: LogicalLocation | None = None
    origin: Origin = "document"
    path: str = ""
    related: list[Related] = field(default_factory=list)
    # The table cells the finding is about, as references like ``Diagnostic.scope``: ``t3.granted.total``
    # (a cell), ``t3.granted`` (a row), ``t3`` (a table). A failed identity lists the cells of both
    # sides, so a reader of the report (the HTML output) can show every number involved.
    cells: list[str] = field(default_factory=list)

    def sort_key(self) -> tuple:
        loc = self.location
        return (
            self.path,
            loc.page or 0 if loc else 0,
            loc.line or 0 if loc else 0,
            loc.paragraph or 0 if loc else 0,
            # A Word or PDF table's cells in reading order, as a text file's are by line and column.
            loc.table or 0 if loc else 0,
            loc.row or 0 if loc else 0,
            loc.cell or 0 if loc else 0,
            loc.column or 0 if loc else 0,
            self.code,
            self.logical.dotted() if self.logical else "",
            self.message,
        )


@dataclass(slots=True)
class RuleContext:
    """What a check may use besides the document."""

    template: Template | None  # the template of the document's edition, when known
    params: Mapping[str, Any]  # the rule's effective parameters
    ruleset: str = "national"
    templates: tuple[Template, ...] = ()


@runtime_checkable
class Rule(Protocol):
    """What the ``nianbao_rules`` hook returns: a metadata record and a check of one document."""

    meta: RuleMeta

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]: ...


class BaseRule:
    """Convenience base for Python rules: set ``meta``, implement ``check``, use ``finding``."""

    meta: RuleMeta

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        message: str,
        location: Location | None = None,
        *,
        section: str | None = None,
        table: str | None = None,
        row: str | None = None,
        column: str | None = None,
        origin: Origin = "document",
        cells: Sequence[str] | None = None,
    ) -> Finding:
        """A finding of this rule. ``cells`` defaults to the one cell (or row) that ``table``/``row``/
        ``column`` name; give it when the finding concerns several cells."""
        logical = LogicalLocation(section, table, row, column) if (section or table or row or column) else None
        if cells is None:
            cells = [".".join((table, row, column) if column else (table, row))] if table and row else []
        return Finding(
            code=self.meta.code,
            name=self.meta.name,
            severity=self.meta.severity,
            message=message,
            location=location,
            logical=logical,
            origin=origin,
            cells=list(cells),
        )


# ---------------------------------------------------------------------------------------- cross-document

Scope = Literal["document", "pair", "family"]


@dataclass(frozen=True, slots=True)
class DocumentParts:
    """What of each report a cross-document rule reads.

    A run over thousands of reports keeps, sends between processes and caches only these parts of
    each report until the pairs and families are known, not whole documents. The document a pair or
    family rule is given then holds the report's source and metadata, every section's heading, the
    paragraphs of ``sections`` and the rows of ``tables``; no normalisation changes or diagnostics.
    """

    tables: Mapping[str, tuple[str, ...] | None] = field(default_factory=dict)  # table -> rows (None: all)
    every_table: bool = False
    sections: tuple[str, ...] = ()  # keys of the sections whose paragraphs are read

    def __or__(self, other: DocumentParts) -> DocumentParts:
        tables = dict(self.tables)
        for table, rows in other.tables.items():
            mine = tables.get(table, ())
            tables[table] = None if rows is None or mine is None else tuple(dict.fromkeys((*mine, *rows)))
        return DocumentParts(
            tables, self.every_table or other.every_table, tuple(dict.fromkeys((*self.sections, *other.sections)))
        )


def scope_of(rule: object) -> Scope:
    """``document`` for ordinary rules; cross-document rules say ``pair`` or ``family``."""
    return getattr(rule, "scope", "document")


class PairCheck(Rule, Protocol):
    """What a rule with ``scope = "pair"`` provides (any class will do; :class:`PairRule` is one)."""

    def check_pair(self, doc: Document, previous: Document, ctx: RuleContext) -> Iterable[Finding]: ...


class FamilyCheck(Rule, Protocol):
    """What a rule with ``scope = "family"`` provides (any class will do; :class:`FamilyRule` is one)."""

    def check_family(self, docs: Sequence[Document], ctx: RuleContext) -> Iterable[Finding]: ...


def is_pair(rule: Rule) -> TypeGuard[PairCheck]:
    return scope_of(rule) == "pair"


def is_family(rule: Rule) -> TypeGuard[FamilyCheck]:
    return scope_of(rule) == "family"


class PairRule(BaseRule):
    """A rule that reads a report next to the same organ's report of the year before.

    The core pairs reports (by organ and year, or as the user names them with ``--previous``) and
    calls :meth:`check_pair`; a report without last year's report is never offered, so such a rule
    is silent rather than guessing. Findings are located in ``doc`` (this year's report) and may
    point at ``previous`` through ``Finding.related``.
    """

    scope: ClassVar[Scope] = "pair"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        return ()

    def check_pair(self, doc: Document, previous: Document, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def reads(self, params: Mapping[str, Any]) -> DocumentParts | None:
        """The parts of a report :meth:`check_pair` reads, given the rule's parameters; None (the
        default) for the whole document."""
        return None

    def related(self, previous: Document, message: str, location: Location | None = None) -> Related:
        return Related(previous.source.path, message, location)


class FamilyRule(BaseRule):
    """A rule over the reports of one place and year linted together (``--hierarchy``).

    The core groups reports by region and report year and calls :meth:`check_family` with every
    group of two or more; the rule decides which report aggregates which and sets ``Finding.path``
    to the report each finding belongs to.
    """

    scope: ClassVar[Scope] = "family"

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        return ()

    def check_family(self, docs: Sequence[Document], ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def reads(self, params: Mapping[str, Any]) -> DocumentParts | None:
        """As :meth:`PairRule.reads`."""
        return None
