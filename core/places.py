"""The nearest real place for a finding about something absent (a section, table or signature that is
not there): editors and CI problem matchers need a line, and a person needs to know where to look."""

from __future__ import annotations

from .document import Document, Location
from .rules import Finding
from .templates import Template


def start_of_report(doc: Document) -> Location | None:
    """The title, or else the first heading or paragraph."""
    if doc.meta.title is not None:
        return doc.meta.title.location
    for section in doc.sections:
        if section.location is not None:
            return section.location
        if section.paragraphs:
            return section.paragraphs[0].location
    return None


def end_of_report(doc: Document) -> Location | None:
    """The last thing in the report (where a signature or a missing last section would follow): the
    last paragraph, or a table row below it, or the last heading."""
    candidates: list[Location] = []
    for section in reversed(doc.sections):
        if section.paragraphs:
            candidates.append(section.paragraphs[-1].location)
            break
        if section.location is not None:
            candidates.append(section.location)
            break
    for table in doc.tables.values():
        candidates += [r.location for r in table.rows.values() if r.location is not None]
    lined = [c for c in candidates if c.line is not None]
    if lined:  # text, HTML and PDF count lines; a DOCX paragraph and a table row cannot be compared
        return max(lined, key=lambda c: (c.page or 0, c.line or 0))
    return candidates[0] if candidates else None


def section_place(doc: Document, key: str, template: Template | None) -> Location | None:
    """Where section ``key`` is, or where it belongs when it is missing: the heading of the next
    section that is present (the missing one goes before it), or the end of the report."""
    present = doc.section(key)
    if present is not None and present.location is not None:
        return present.location
    order = [s.key for s in template.sections] if template is not None else []
    if key in order:
        for later in order[order.index(key) + 1 :]:
            section = doc.section(later)
            if section is not None and section.location is not None:
                return section.location
    return end_of_report(doc)


def nearest_place(doc: Document, finding: Finding, template: Template | None) -> Location | None:
    """A location for a finding its rule could not place: the table (or row) it names, else its
    section's heading or where that section belongs, else the start of the report."""
    logical = finding.logical
    table_key = logical.table if logical is not None else None
    if table_key is None and finding.cells:
        table_key = finding.cells[0].split(".")[0]
    table = doc.tables.get(table_key) if table_key else None
    if table is not None:
        row = table.rows.get(logical.row) if logical is not None and logical.row else None
        if row is not None and row.location is not None:
            return row.location
        if table.location is not None:
            return table.location
    section_key = logical.section if logical is not None else None
    if section_key is None and table_key and template is not None and table_key in template.tables:
        section_key = template.tables[table_key].section
    if section_key:
        return section_place(doc, section_key, template)
    return start_of_report(doc)
