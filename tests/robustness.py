"""How well a corpus file is read: every truth cell recovered, doubted (NB03) or missed, and every wrong value.

Shared by tests/test_robustness.py and benchmarks/bench_robustness.py. A case is one file: a corpus report
as published (the seed and 2021 texts, the DOCX/HTML/PDF fixtures) or as a tool serialised it
(tests/corpus/serialised/<tool>/<report>.<ext>); its truth is the report's hand-checked file
(tests/truth.py). The rules of the count:

* a cell the reader gives a number must hold the truth's value; any other number is wrong, doubted or not,
  and so is a number in a cell the report does not print;
* a truth cell the reader leaves out, or gives as blank, slash or text, is doubted when an NB03 diagnostic's
  ``scope`` names it or a dot-boundary prefix of it (``t3``, ``t3.granted``, ``t3.granted.total``), else
  missed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nianbao.document import Document
from nianbao.loading import InputError, LoadContext, load_document
from nianbao.templates import Template

from .truth import Number, load_truth, truth_cells, truth_format, truth_path

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "corpus"
SERIALISED = CORPUS / "serialised"

# The published files, under the name the benchmark prints for them.
SOURCES: tuple[tuple[str, str], ...] = (
    ("text", "0*.txt"),  # the seeds: Word, PDF and portal-page text
    ("pdfminer-published", "2021/*.txt"),  # the 2021 corpus: pdfminer.six text of the published PDFs
    ("docx", "formats/*.docx"),
    ("html", "formats/*.html"),
    ("pdf", "formats/*.pdf"),
    ("pdf", "pdf/*.pdf"),
)


@dataclass(frozen=True)
class Case:
    tool: str
    path: Path

    @property
    def report(self) -> str:
        return self.path.stem

    @property
    def id(self) -> str:
        return f"{self.tool}/{self.path.name}"


def cases() -> list[Case]:
    """Every corpus file that has a truth file, the published ones first, then each tool's."""
    found = [Case(tool, p) for tool, pattern in SOURCES for p in sorted(CORPUS.glob(pattern))]
    found += [Case(p.parent.name, p) for p in sorted(SERIALISED.glob("*/*")) if p.suffix != ".yaml"]
    return [c for c in found if truth_path(c.report) is not None]


@dataclass
class Score:
    total: int = 0
    recovered: list[str] = field(default_factory=list)
    doubted: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # "t3.granted.total: 12 (truth 21)"
    error: str | None = None  # the loader refused the file


def covered(ref: str, scopes: list[str]) -> bool:
    return any(ref == s or ref.startswith(s + ".") for s in scopes)


def _same(got: Number, want: Number) -> bool:
    return abs(float(got) - float(want)) < 1e-9


def score(doc: Document | None, truth: dict[str, Number], error: str | None = None) -> Score:
    out = Score(total=len(truth), error=error)
    cells = {}
    scopes: list[str] = []
    if doc is not None:
        for table_id, table in doc.tables.items():
            for row_key, row in table.rows.items():
                if row.known:
                    for column, cell in row.cells.items():
                        cells[f"{table_id}.{row_key}.{column}"] = cell
        scopes = [s for d in doc.diagnostics if d.code == "NB03" for s in d.scope]
    for ref, want in truth.items():
        cell = cells.get(ref)
        if cell is not None and cell.state == "number" and cell.value is not None:
            if _same(cell.value, want):
                out.recovered.append(ref)
            else:
                out.wrong.append(f"{ref}: {cell.raw} (truth {want})")
        elif covered(ref, scopes):
            out.doubted.append(ref)
        else:
            out.missed.append(ref)
    for ref, cell in cells.items():
        if ref not in truth and cell.state == "number" and cell.value is not None:
            out.wrong.append(f"{ref}: {cell.raw} (not in the report)")
    return out


def truth_of(case: Case, formats: list[Template]) -> dict[str, Number]:
    path = truth_path(case.report)
    assert path is not None, case.id
    truth = load_truth(path)
    return truth_cells(truth, truth_format(truth, formats))


def run(case: Case, loaders: list, context: LoadContext) -> Score:
    """Load ``case`` as a user would (the loader its extension picks) and score it."""
    truth = truth_of(case, context.templates)
    try:
        doc = load_document(str(case.path), loaders, context)
    except InputError as exc:
        return score(None, truth, error=str(exc))
    return score(doc, truth)
