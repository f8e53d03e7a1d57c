"""The rule cases (``cases/<CODE>.yaml`` beside each rule's definition: ``plugins/rules/cases/``,
``rulesets/*/cases/``) as Word documents, web pages and PDFs.

Every case is a report written as text; the rule-case harness also reads it as the other formats
people publish, so that every loader is held to the same findings at the same places. A case's text
is drawn as those formats draw a report: each line a paragraph (Word) or a ``<p>`` (a page), each
run of tab-separated lines a table with one cell a field, blank lines left out of the page. The
renderers also say where each line of the text went (:class:`Placement`), which the harness uses to
turn a case's expected line and column into the format's own coordinates.

DOCX and HTML are made when the tests run (fast, no tools needed). The PDFs need LibreOffice, so
``python -m tests.make_fixtures.cases_build`` writes them once into ``tests/corpus/cases/``: one PDF
per rule (every case from a new page, cut apart again by the harness), and ``MANIFEST.json`` with the
pages of each case and the hash of the Word document it was made from, so that a case whose text
changed without its PDF being made again fails instead of passing on an old file.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import yaml

from .docx_build import _CONTENT_TYPES, _DOC_RELS, _RELS, _STYLES, W_NS, package
from .pdf_build import _convert, _widen_tables, available

ROOT = Path(__file__).resolve().parents[2]
# Where nianbao's rules keep their cases: beside the Python rules, and in each built-in rule set's folder.
CASE_FOLDERS = [ROOT / "plugins" / "rules" / "cases", *sorted(ROOT.glob("rulesets/*/cases"))]
OUT = ROOT / "tests" / "corpus" / "cases"
MANIFEST = OUT / "MANIFEST.json"


@dataclass(slots=True)
class Placement:
    """Where one line of a case's text is in a rendering (1-based, as nianbao locates things)."""

    paragraph: int | None = None  # DOCX: the Word paragraph holding the line
    offset: int = 0  # DOCX: what to add to a column of the line to get the column in the paragraph
    table: int | None = None  # DOCX: the table whose row the line is
    row: int | None = None
    fields: list[int] = field(default_factory=list)  # text column (0-based) where each tab-separated field starts
    cells: list[int | None] = field(default_factory=list)  # the grid column of each field's cell (None: merged)
    line: int | None = None  # HTML: the source line
    columns: list[int | None] = field(default_factory=list)  # HTML: source column of each character (None: a tab)

    def cell(self, column: int) -> tuple[int | None, int]:
        """The cell (its 1-based grid column) and the column in its text of a column of the text line."""
        n = max(i for i, start in enumerate(self.fields) if start <= column - 1)
        return self.cells[n], column - self.fields[n]


@dataclass(slots=True)
class Rendering:
    data: bytes
    placements: dict[int, Placement]  # by 1-based line of the case's text


# ------------------------------------------------------------------------------------------ blocks


def blocks(text: str) -> list[tuple[str, list[int]]]:
    """The case's text as ("paragraph", line numbers) and ("table", line numbers) blocks, blank lines
    left out: the lines the text loader joins into one paragraph (a hard-wrapped sentence) are one
    paragraph, as its author wrote it; a run of lines holding a tab is one table."""
    joined = _joins(text)
    lines = text.split("\n")
    out: list[tuple[str, list[int]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        kind = "table" if "\t" in line else "paragraph"
        last = out[-1] if out else None
        if last and kind == last[0] == "table" and last[1][-1] == number - 1:
            last[1].append(number)
        elif last and kind == last[0] == "paragraph" and joined.get(last[1][-1]) == number:
            last[1].append(number)
        elif last and kind == "table" and last[1] == [number - 1] and _CAPTION.match(lines[number - 2].strip()):
            out[-1] = ("table", [number - 1, number])  # a caption on the line above: the table's first row
        else:
            out.append((kind, [number]))
    return out


# A table's caption, which the national template draws as the table's first row.
_CAPTION = re.compile(r"^(?:第二十条第[（(][一二三四五六七八九十]+[)）]项|表[一二三四五六七八九十\d]+)")


@lru_cache(maxsize=256)
def _joins(text: str) -> dict[int, int]:
    """Line -> the line the text loader joined to it (a wrapped line and its continuation)."""
    from nianbao.loading import LoadContext, NotAReport, load_document

    host = _host()
    try:
        doc = load_document("case.txt", host.loaders, LoadContext(templates=host.templates), data=text.encode("utf-8"))
    except NotAReport:
        return {}
    return {c.location.line: c.location.end_line for c in doc.changes if c.kind == "line_join"}  # type: ignore[misc]


@lru_cache(maxsize=1)
def _host():  # noqa: ANN202
    from nianbao.host import create_host

    return create_host(entry_points=False)


def _fields(line: str) -> tuple[list[str], list[int]]:
    parts = line.split("\t")
    starts, at = [], 0
    for part in parts:
        starts.append(at)
        at += len(part) + 1
    return parts, starts


# A value cell as tables print them: a number (a unit after it), a slash or dash for none, or nothing.
_NUMBER = re.compile(r"^\s*[-+]?[\d,.]+\s*$")
_VALUE = re.compile(r"^\s*(?:[-+]?[\d,.]+(?:万元|元|%)?|[/／\-—－]|无)?\s*$")


@dataclass(slots=True)
class _Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


def table_grid(lines: list[str]) -> tuple[list[_Cell], int, list[list[int | None]]]:
    """A run of tab-separated lines as the table a person sees in it: the cells of each row with the
    spans a report's table has, the grid's width, and for each line the grid column of each field's
    cell (None: a field the table merged into the cell above).

    The text a converter writes keeps no spans, so they are put back: the values (numbers, slashes,
    blanks) stand right, under the value columns; a row's last label spans the label columns left of
    them; an empty label field, and an empty field of a header row, belongs to the cell above it (a
    group label, a header label over two rows); a header label spans as the format's header does
    (``法人或其他组织`` over five columns). An empty field past a row's values is what the converter
    left after its last tab.
    """
    fields = [line.split("\t") for line in lines]
    rows = [list(range(len(parts))) for parts in fields]  # the fields each row keeps, by index
    counts = [_trailing_values(parts) for parts in fields]
    valued = [c for c in counts if c]
    values = max(set(valued), key=valued.count) if valued else 0
    for parts, kept, n in zip(fields, rows, counts, strict=True):
        while n > values and parts[kept[-1]] == "":
            kept.pop()
            n -= 1
        while n > values and parts[kept[len(kept) - n]] == "":
            del kept[len(kept) - n]
            n -= 1
    counts = [min(c, values) for c in counts]
    labels = max([len(kept) - n for kept, n in zip(rows, counts, strict=True) if n] or [1])
    if not values:  # a header without rows: a label column, the others as the header has them
        values = max(len(kept) for kept in rows) - 1
    if labels == 1 and all(
        _NUMBER.match(parts[kept[0]]) for parts, kept, n in zip(fields, rows, counts, strict=True) if n
    ):
        labels, values = 0, values + 1  # rows of values alone (表四 has no row labels)
        counts = [n + 1 if n else 0 for n in counts]
    width = labels + values
    cells: list[_Cell] = []
    taken: dict[tuple[int, int], _Cell] = {}
    where: list[list[int | None]] = []

    def put(text: str, r: int, c: int, colspan: int = 1) -> int:
        cell = _Cell(text, r, c, colspan=colspan)
        cells.append(cell)
        for k in range(c, c + colspan):
            taken[(r, k)] = cell
        return c + 1

    def merge_up(r: int, c: int) -> bool:
        above = taken.get((r - 1, c))
        if above is None or not above.text or above.col != c:
            return False
        above.rowspan += 1
        for k in range(c, c + above.colspan):
            taken[(r, k)] = above
        return True

    spans = _header_spans()
    for r, (parts, kept, n) in enumerate(zip(fields, rows, counts, strict=True)):
        cols: list[int | None] = [None] * len(parts)
        texts = [parts[i] for i in kept]
        if n:  # a row of values: labels, then the values standing right
            label_parts = texts[: len(texts) - n]
            for k, text in enumerate(label_parts):
                last = k == len(label_parts) - 1
                if text or last or not merge_up(r, k):
                    cols[kept[k]] = put(text, r, k, labels - k if last else 1)
            for k in range(len(texts) - n, len(texts)):
                cols[kept[k]] = put(texts[k], r, width - len(texts) + k)
        elif len(texts) == 1 and r == 0 and _CAPTION.match(texts[0].strip()):  # the caption row
            cols[kept[0]] = put(texts[0], r, 0, width)
        elif len(texts) == width:  # a header row whose spans the converter padded with empty fields
            for k, text in enumerate(texts):
                left = taken.get((r, k - 1))
                if not text and left is not None and left.row == r and left.text:
                    left.colspan += 1
                    taken[(r, k)] = left
                elif text or not merge_up(r, k):
                    cols[kept[k]] = put(text, r, k)
        else:  # a header (or caption) row: what the label columns hold, then the header labels in order
            c = labels
            for k, text in enumerate(texts):
                if k == 0 and labels:
                    if text or not merge_up(r, 0):
                        cols[kept[k]] = put(text, r, 0, labels)
                    continue
                while c < width and (r, c) in taken:
                    c += 1
                if c >= width:
                    continue
                if not text and merge_up(r, c):
                    c += 1
                    continue
                span = min(spans.get(_key(text), 1), width - c)
                cols[kept[k]] = put(text, r, c, span)
                c += span
            for c in range(labels, width):
                if (r, c) not in taken and not merge_up(r, c):
                    put("", r, c)
        for c in range(width):  # a short row: the rest of it empty
            if (r, c) not in taken:
                put("", r, c)
        where.append(cols)
    return sorted(cells, key=lambda x: (x.row, x.col)), width, where


def _trailing_values(parts: list[str]) -> int:
    """How many fields at the end of a row are values; none when they are all empty (a header row
    whose last label spans the columns the converter left empty)."""
    n = 0
    while n < len(parts) - 1 and _VALUE.match(parts[-1 - n]):
        n += 1
    return n if any(p.strip() for p in parts[len(parts) - n :]) else 0


@lru_cache(maxsize=1)
def _header_spans() -> dict[str, int]:
    """How many columns each header label of the formats spans, by label key."""
    out: dict[str, int] = {}
    for fmt in _host().templates:
        for spec in fmt.tables.values():
            for level in spec.raw.get("header") or ():
                for cell in level.get("cells", ()):
                    if isinstance(cell, dict) and int(cell.get("span", 1)) > 1:
                        out[_key(cell["label"])] = int(cell["span"])
    return out


def _key(text: str) -> str:
    from nianbao.plugins.text.labels import key

    return key(text)


# ------------------------------------------------------------------------------------------ DOCX


def _w_p(*lines: str) -> str:
    """A Word paragraph of ``lines``, apart by soft line breaks (a paragraph the author broke by hand,
    or that a converter hard-wrapped)."""
    runs = "<w:r><w:br/></w:r>".join(f'<w:r><w:t xml:space="preserve">{xml_escape(x)}</w:t></w:r>' for x in lines if x)
    return f"<w:p>{runs}</w:p>" if runs else "<w:p/>"


def _w_tbl(lines: list[str]) -> str:
    cells, width, _ = table_grid(lines)
    covering: dict[tuple[int, int], _Cell] = {}
    for cell in cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            covering[(r, cell.col)] = cell
    rows = []
    for r in range(len(lines)):
        xml, c = "", 0
        while c < width:
            cell = covering.get((r, c))
            if cell is None:
                c += 1
                continue
            props = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            if cell.rowspan > 1:
                props += '<w:vMerge w:val="restart"/>' if cell.row == r else "<w:vMerge/>"
            tcpr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
            xml += f"<w:tc>{tcpr}{_w_p(cell.text if cell.row == r else '')}</w:tc>"
            c += cell.colspan
        rows.append(f"<w:tr>{xml}</w:tr>")
    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(width))
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def case_docx(text: str) -> Rendering:
    """The case as a Word document: a paragraph for the lines the text loader reads as one (its lines
    apart by soft line breaks, so they are read as the text's lines), a table a run of tab-separated
    lines."""
    lines = text.split("\n")
    body: list[str] = []
    placements: dict[int, Placement] = {}
    paragraphs = tables = 0
    for kind, numbers in blocks(text):
        written = [lines[n - 1] for n in numbers]
        if kind == "paragraph":
            paragraphs += 1
            body.append(_w_p(*written))
            offset = 0  # the paragraph's characters before the line: earlier lines and their breaks
            for n, line in zip(numbers, written, strict=True):
                placements[n] = Placement(paragraph=paragraphs, offset=offset)
                offset += len(line) + 1
            continue
        tables += 1
        body.append(_w_tbl(written))
        for r, (n, cols) in enumerate(zip(numbers, table_grid(written)[2], strict=True)):
            placements[n] = Placement(table=tables, row=r + 1, fields=_fields(written[r])[1], cells=cols)
        # A paragraph after every table, as Word keeps one: two tables never run together.
        paragraphs += 1
        body.append("<w:p/>")
    sect = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1080" w:bottom="1440" w:left="1080" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>'
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'
        f"{''.join(body)}{sect}</w:body></w:document>"
    )
    numbering = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w="{W_NS}"/>'
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'
    )
    data = package(
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _RELS,
            "docProps/core.xml": core,
            "word/_rels/document.xml.rels": _DOC_RELS,
            "word/document.xml": document,
            "word/styles.xml": _STYLES,
            "word/numbering.xml": numbering,
        }
    )
    return Rendering(data, placements)


# ------------------------------------------------------------------------------------------ HTML

_HTML_HEAD = '<!DOCTYPE html>\n<html lang="zh-CN">\n<head><meta charset="utf-8"></head>\n<body>'


def _escaped(text: str, at: int) -> tuple[str, list[int]]:
    """``text`` escaped for HTML, and the 1-based source column of each of its characters when the
    escaped text starts at source column ``at``."""
    out, columns = [], []
    for ch in text:
        columns.append(at)
        piece = escape(ch, quote=False)
        out.append(piece)
        at += len(piece)
    return "".join(out), columns


def case_html(text: str) -> Rendering:
    """The case as a web page: a ``<p>`` a line, a ``<table>`` a run of tab-separated lines, a row a
    source line."""
    lines = text.split("\n")
    source = _HTML_HEAD.split("\n")
    placements: dict[int, Placement] = {}
    for kind, numbers in blocks(text):
        written = [lines[n - 1] for n in numbers]
        if kind == "paragraph":
            # A page has no hard-wrapped lines: each line a paragraph of its own.
            for n, line in zip(numbers, written, strict=True):
                escaped, columns = _escaped(line, len("<p>") + 1)
                placements[n] = Placement(line=len(source) + 1, columns=columns)
                source.append(f"<p>{escaped}</p>")
            continue
        cells, _, where = table_grid(written)
        source.append("<table>")
        for r, (n, line) in enumerate(zip(numbers, written, strict=True)):
            parts, starts = _fields(line)
            field_of = {where[r][k]: k for k in range(len(parts)) if where[r][k] is not None}
            row, columns = "<tr>", [None] * len(line)
            for cell in (c for c in cells if c.row == r):  # in column order, as a browser places them
                row += _td(cell)
                k = field_of.get(cell.col + 1)
                if k is not None:
                    escaped, cols = _escaped(parts[k], len(row) + 1)
                    columns[starts[k] : starts[k] + len(parts[k])] = cols
                    row += escaped
                row += "</td>"
            placements[n] = Placement(line=len(source) + 1, columns=columns)
            source.append(row + "</tr>")
        source.append("</table>")
    source.append("</body>\n</html>\n")
    return Rendering("\n".join(source).encode("utf-8"), placements)


def _td(cell: _Cell) -> str:
    spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
        f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
    )
    return f"<td{spans}>"


# ------------------------------------------------------------------------------------------ PDF


def documents() -> dict[str, list[tuple[str, str]]]:
    """Every text the harness renders, by rule: (case id, text); a cross-document case's other
    reports (``previous``, ``members``) are texts of their own."""
    out: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((p for folder in CASE_FOLDERS for p in folder.glob("*.yaml")), key=lambda p: p.name):
        spec = yaml.safe_load(path.read_text("utf-8"))
        texts = out.setdefault(spec["rule"], [])
        for case in spec["cases"]:
            if not renders(case):
                continue
            texts.append((case["name"], case["text"]))
            if "previous" in case:
                texts.append((case["name"] + " / previous", case["previous"]))
            for n, member in enumerate(case.get("members") or (), start=1):
                texts.append((f"{case['name']} / member{n}", member))
    return out


def renders(case: dict) -> bool:
    """Whether a case is rendered in the other formats: it is a text file (a case written as HTML or
    markdown holds what only that format has)."""
    return Path(case.get("file", "case.txt")).suffix in (".txt", "")


def docx_hash(text: str) -> str:
    return hashlib.sha256(case_docx(text).data).hexdigest()


def _body(text: str) -> str:
    """The body of a case's Word document, without its section properties."""
    with zipfile.ZipFile(io.BytesIO(case_docx(text).data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return xml[xml.index("<w:body>") + len("<w:body>") : xml.index("<w:sectPr")]


def _for_rendering(bodies: list[str]) -> bytes:
    """A Word document of ``bodies``, each from a new page, its tables stretched to the page as
    ``pdf_build`` does (LibreOffice lays ``auto`` columns out one character wide)."""
    with zipfile.ZipFile(io.BytesIO(case_docx("").data)) as z:
        files = {name: z.read(name) for name in z.namelist()}
    joined = bodies[0]
    for body in bodies[1:]:
        # The next case starts a page of its own with no empty line above it, as it does alone.
        joined += body.replace("<w:p>", "<w:p><w:pPr><w:pageBreakBefore/></w:pPr>", 1)
    xml = files["word/document.xml"].decode("utf-8").replace("<w:body>", "<w:body>" + joined, 1)
    files["word/document.xml"] = _widen_tables(xml).encode("utf-8")
    return package(files)


def build(out_dir: Path = OUT) -> list[Path]:
    """One PDF per rule, and the manifest. Each text is also converted alone, to count its pages; the
    rule's PDF must have them all, each text's first page starting with what its own PDF starts with."""
    if not available():
        return []
    import pypdfium2 as pdfium

    by_rule = {rule: texts for rule, texts in documents().items() if texts}
    manifest: dict[str, dict] = {}
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        alone, joined = work / "alone", work / "joined"
        alone.mkdir()
        joined.mkdir()
        for rule, texts in by_rule.items():
            for n, (_, text) in enumerate(texts):
                (alone / f"{rule}-{n:02d}.docx").write_bytes(_for_rendering([_body(text)]))
            (joined / f"{rule}.docx").write_bytes(_for_rendering([_body(text) for _, text in texts]))
        firsts: dict[str, list[str]] = {}
        counts: dict[str, list[int]] = {}
        for pdf in _convert(sorted(alone.glob("*.docx")), alone, alone / "out"):
            rule = pdf.stem.rsplit("-", 1)[0]
            doc = pdfium.PdfDocument(pdf.read_bytes())
            counts.setdefault(rule, []).append(len(doc))
            firsts.setdefault(rule, []).append(_first_line(doc[0]))
        for pdf in _convert(sorted(joined.glob("*.docx")), joined, joined / "out"):
            rule = pdf.stem
            doc = pdfium.PdfDocument(pdf.read_bytes())
            first = 0
            for (name, text), pages, line in zip(by_rule[rule], counts[rule], firsts[rule], strict=True):
                if _first_line(doc[first]) != line:
                    raise RuntimeError(f"{rule}/{name}: page {first + 1} of {pdf.name} does not start the case")
                manifest[f"{rule}/{name}"] = {"pdf": pdf.name, "first": first, "pages": pages, "docx": docx_hash(text)}
                first += pages
            if first != len(doc):
                raise RuntimeError(f"{pdf.name}: {len(doc)} pages, the cases alone make {first}")
            target = out_dir / pdf.name
            shutil.copyfile(pdf, target)
            written.append(target)
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    return [*written, MANIFEST]


def _first_line(page) -> str:  # noqa: ANN001 - a pypdfium2 PdfPage
    text = page.get_textpage().get_text_range()
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def case_pdf(rule: str, name: str, text: str) -> bytes | str:
    """The committed PDF of a text (its rule's PDF cut to its pages), or why there is none."""
    if not MANIFEST.exists():
        return "tests/corpus/cases/MANIFEST.json is missing"
    entry = json.loads(MANIFEST.read_text("utf-8")).get(f"{rule}/{name}")
    if entry is None:
        return "no PDF was made of this case"
    if entry["docx"] != docx_hash(text):
        return "the case (or the Word renderer) changed since its PDF was made"
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument((OUT / entry["pdf"]).read_bytes())
    cut = pdfium.PdfDocument.new()
    cut.import_pages(source, list(range(entry["first"], entry["first"] + entry["pages"])))
    buffer = io.BytesIO()
    cut.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    for p in build():
        print(p)
