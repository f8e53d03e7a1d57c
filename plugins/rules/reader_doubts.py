"""What the reader said (NB03) it could not read with confidence. A section, table or row it doubted
may look missing or misnumbered; that is the reader's doubt, reported once by NB03, not the report's
fault, so the rules say nothing about it."""

from __future__ import annotations

from nianbao.document import Document


def doubted(doc: Document, *refs: str) -> bool:
    """Whether an NB03 names any of ``refs``: a section key, a table id or ``table.row``."""
    return any(ref in refs for d in doc.diagnostics if d.code == "NB03" for ref in d.scope)


def doubted_within(doc: Document, table: str) -> bool:
    """Whether an NB03 names this table or any row or cell of it."""
    prefix = table + "."
    return any(ref == table or ref.startswith(prefix) for d in doc.diagnostics if d.code == "NB03" for ref in d.scope)
