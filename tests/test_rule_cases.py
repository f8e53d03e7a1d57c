"""One harness for every rule's YAML cases (``cases/<CODE>.yaml`` beside the rule's definition:
``plugins/rules/cases/``, ``rulesets/*/cases/``).

A case is a fragment of a real-looking report, read by the text loader exactly as a user's file
would be, and the findings that one rule must give on it: a failing and a passing case at least.
An expected finding may give the ``line`` and ``column`` (1-based, of the case's text) it points at.

Every case written as text is also read as a Word document, a web page and a PDF of the same text
(``tests/make_fixtures/cases_build.py``): the same rule must give the same findings, each at the
same place in that format's own coordinates (the Word paragraph and the character in it, or the
table, row and cell; the line and column of the page's HTML source; for a PDF, the page line whose
characters at the finding's column are the text the finding quotes, which is the text the text
loader's finding quotes). What a format cannot be held to is listed below with the reason.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from nianbao.document import Document, Location
from nianbao.engine import RuleSelection, run_family_rules, run_pair_rules, run_rules
from nianbao.loading import LoadContext, load_document
from nianbao.registry import all_rules
from nianbao.rule_sources import rule_source
from nianbao.rules import Finding, scope_of

from .make_fixtures.cases_build import CASE_FOLDERS, ROOT, Placement, case_docx, case_html, case_pdf, renders

FORMATS = ("docx", "html", "pdf")


def load_cases(folder: Path) -> list[tuple[str, dict, dict]]:
    out = []
    for path in sorted(folder.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text("utf-8"))
        for case in spec["cases"]:
            out.append((spec["rule"], spec, case))
    return out


ALL = sorted((c for folder in CASE_FOLDERS for c in load_cases(folder)), key=lambda c: c[0])

# Why a format cannot hold a case. A case drawn from how a text extraction lays a table out holds
# nothing a Word or HTML table has; the PDF entries are gaps of the PDF reader the harness found.
_TEXT_ONLY_TABLE = (
    "the table is laid out as only a text extraction lays it out ({}); drawn as a Word or HTML table, "
    "one field a cell, it is another table"
)
_HEADER_GAP = (
    "a header row the case leaves a label out of: the text does not say which columns the other labels "
    "stand over, so the drawn header is not the case's"
)
_END_OF_REPORT = (
    "the finding goes to the end of the report, which is a table row in the text; a Word or PDF table's "
    "rows have no line to compare with the paragraphs (core/places.py), so it goes to the last paragraph"
)
# A case a format cannot hold, and why: the test expects it to fail (strict, so an entry that starts
# passing must go).
DIFFERS: dict[tuple[str, str, str], str] = {
    **{
        ("CN03", "digits run together, the prose fits none of their splits", fmt): _TEXT_ONLY_TABLE.format(
            "two cells' digits run together"
        )
        for fmt in FORMATS
    },
    **{
        ("TB03", name, fmt): _HEADER_GAP
        for name in ("table three header without natural person", "table four header without the first total")
        for fmt in FORMATS
    },
    **{
        ("TB03", "a vertical group label one character per line, misspelt", fmt): _TEXT_ONLY_TABLE.format(
            "a group label one character a line"
        )
        for fmt in FORMATS
    },
    **{
        ("TB04", "an empty cell (one cell per line)", fmt): _TEXT_ONLY_TABLE.format("one cell a line")
        for fmt in FORMATS
    },
    **{("TB01", "2019 report without table four", fmt): _END_OF_REPORT for fmt in ("docx", "pdf")},
    ("TX03", "print and close buttons, share bar", "html"): (
        "the HTML loader drops a page's share bar and print and close buttons as page chrome before any rule "
        "reads the text"
    ),
    ("TX07", "doubled four-character word across a line join", "html"): (
        "a page has no hard-wrapped lines: each line of the case is a paragraph of its own, and the doubled "
        "word is split between two"
    ),
    ("TX03", "prose about visits and QR codes is not chrome", "pdf"): (
        "LibreOffice wraps the sentence, and TX03 judges its weak patterns (扫一扫, 分享到) by the line: the "
        "first page line is short and ends without a sentence end, so it reads as chrome (a rule gap in PDFs)"
    ),
}

# Places where a format gives no column, and why; a finding there must then carry none.
NO_COLUMN = {
    "cell": (
        "a statutory table's cell in a Word document or a PDF is located by its table, row and cell: the "
        "table assembler places the cell as a whole, and the cell is what a reader of the document finds"
    ),
}


@pytest.fixture(scope="module")
def rules(host):
    return {r.meta.code: r for r in all_rules(host)}


@pytest.mark.parametrize(("code", "spec", "case"), ALL, ids=[f"{c}-{case['name']}" for c, _, case in ALL])
def test_rule_case(code, spec, case, host, rules) -> None:
    check_case(code, spec, case, host, rules)


def _params() -> list:
    out = []
    for code, spec, case in ALL:
        if not renders(case):
            continue
        for fmt in FORMATS:
            reason = DIFFERS.get((code, case["name"], fmt))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            out.append(pytest.param(code, spec, case, fmt, marks=marks, id=f"{code}-{case['name']}-{fmt}"))
    return out


@pytest.mark.parametrize(("code", "spec", "case", "fmt"), _params())
def test_rule_case_in_other_formats(code, spec, case, fmt, host, rules) -> None:
    """The case read from its Word, HTML and PDF rendering: the same findings, each where the case
    says in the format's own coordinates."""
    check_case(code, spec, case, host, rules, fmt)


def _render(fmt: str, code: str, name: str, text: str) -> bytes:
    """``text`` as format ``fmt``: made here (DOCX, HTML), or the committed PDF."""
    if fmt == "docx":
        return case_docx(text).data
    if fmt == "html":
        return case_html(text).data
    data = case_pdf(code, name, text)
    if isinstance(data, str):
        pytest.fail(f"{data}: make the PDFs again with `python -m tests.make_fixtures.cases_build` (needs LibreOffice)")
    return data


def run_case(code: str, spec: dict, case: dict, host, rules: dict, fmt: str = "txt") -> tuple[list[Finding], bytes]:
    """One rule's findings on the case read as a user's file in ``fmt`` (``txt``: the text as written),
    and the bytes of the case's own file."""
    edition = case.get("edition", spec.get("edition"))
    context = LoadContext(templates=host.templates, edition=edition)
    files: dict[str, bytes] = {}

    def load(stem: str, text: str, load_context: LoadContext = context) -> Document:
        if fmt == "txt":
            filename, data = (case.get("file", "case.txt") if stem == "case" else f"{stem}.txt"), text.encode("utf-8")
        else:
            label = case["name"] if stem == "case" else f"{case['name']} / {stem}"
            filename, data = f"{stem}.{fmt}", _render(fmt, code, label, text)
        files[stem] = data
        return load_document(filename, host.loaders, load_context, data=data)

    doc = load("case", case["text"])
    selection = RuleSelection(params={code: case.get("params", {})})
    if scope_of(rules[code]) == "pair":
        # Cross-year rules: the case gives last year's report as ``previous`` (same loader, same edition
        # unless ``previous_edition`` says otherwise).
        previous_context = LoadContext(templates=host.templates, edition=case.get("previous_edition", edition))
        previous = load("previous", case["previous"], previous_context)
        findings = run_pair_rules(doc, previous, [rules[code]], host.templates, selection, failures := [])
        for e, f in zip(case["expect"], findings, strict=False):
            if "related_line" in e:
                if fmt == "txt":
                    assert [r.location.line if r.location else None for r in f.related] == [e["related_line"]]
                assert all(r.path == previous.source.path for r in f.related)
    elif scope_of(rules[code]) == "family":
        # Rules over reports of one place and year: ``members`` are the other reports of the group.
        members = [load(f"member{n}", text) for n, text in enumerate(case["members"], start=1)]
        found = run_family_rules([doc, *members], [rules[code]], host.templates, lambda _: selection, failures := [])
        findings = [f for f in found if f.path == doc.source.path]
        assert len(findings) == len(found)  # the aggregate report holds every finding
    else:
        findings = run_rules(doc, [rules[code]], host.templates, selection, failures := [])
    assert failures == []
    return [f for f in findings if f.code == code], files["case"]


def check_case(code: str, spec: dict, case: dict, host, rules: dict, fmt: str = "txt") -> None:
    """Load the case's text as a user's file (or its rendering in ``fmt``) and compare one rule's
    findings with ``expect``."""
    findings, data = run_case(code, spec, case, host, rules, fmt)
    want = [e.get("code", code) for e in case["expect"]]
    assert [f.code for f in findings] == want, [f.message for f in findings]
    quoted = [f.location for f in run_case(code, spec, case, host, rules)[0]] if fmt == "pdf" else []
    for n, (e, f) in enumerate(zip(case["expect"], findings, strict=True)):
        if "message" in e:
            assert f.message == e["message"]
        if "origin" in e:
            assert f.origin == e["origin"]
        # A case may leave a line out when the finding has no single line (e.g. a missing section).
        if e.get("line") is None:
            continue
        where = (e["line"], e.get("column"))
        if fmt == "txt":
            assert_text_place(f, *where)
        elif fmt == "docx":
            assert_docx_place(f, case_docx(case["text"]).placements.get(e["line"]), *where)
        elif fmt == "html":
            assert_html_place(f, case_html(case["text"]).placements.get(e["line"]), *where)
        else:
            assert_pdf_place(f, data, quoted[n])


def assert_text_place(f: Finding, line: int, column: int | None) -> None:
    loc = f.location
    assert loc is not None and loc.line == line, (f.message, loc)
    if column is not None:
        assert loc.column == column, (f.message, loc)


def assert_docx_place(f: Finding, placed: Placement | None, line: int, column: int | None) -> None:
    """A line of the case is a Word paragraph (the column is the character in it), or a row of a
    table (the column falls in one of its cells)."""
    loc = f.location
    assert loc is not None and placed is not None, (f.message, loc)
    if placed.paragraph is not None:
        assert loc.paragraph == placed.paragraph, (f.message, loc)
        if column is not None:
            assert loc.column == column + placed.offset, (f.message, loc)
        return
    assert (loc.table, loc.row) == (placed.table, placed.row), (f.message, loc)
    if column is not None:
        cell, in_cell = placed.cell(column)
        assert loc.cell == cell, (f.message, loc)
        assert loc.column in (in_cell, None), (f.message, loc)
        if loc.column is None:
            assert _statutory_cell(loc), (NO_COLUMN["cell"], f.message, loc)


def assert_html_place(f: Finding, placed: Placement | None, line: int, column: int | None) -> None:
    """A line of the case is a line of the page's source; its characters are at known columns."""
    loc = f.location
    assert loc is not None and placed is not None, (f.message, loc)
    assert loc.line == placed.line, (f.message, loc)
    if column is not None:
        assert loc.column == placed.columns[column - 1], (f.message, loc)


def assert_pdf_place(f: Finding, data: bytes, expected: Location | None) -> None:
    """Where LibreOffice put a line of the case is known only from the PDF itself: the finding must
    point at a line of a page whose characters from its column are the text it quotes, and quote what
    the text loader's finding quotes (the PDF may space a number apart from Chinese: ``2020 年``)."""
    loc = f.location
    assert loc is not None and loc.page is not None, (f.message, loc)
    if expected is not None and expected.text:
        assert _squeezed(loc.text) == _squeezed(expected.text), (f.message, loc, expected)
    if loc.line is not None and loc.column is not None:
        page_line = _pdf_lines(data)[(loc.page, loc.line)]
        first = loc.text.split("\n")[0]
        assert page_line[loc.column - 1 :].startswith(first), (f.message, loc, page_line)
    elif loc.cell is not None and loc.column is None:
        assert _statutory_cell(loc), (NO_COLUMN["cell"], f.message, loc)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _statutory_cell(loc: Location) -> bool:
    return loc.cell is not None and loc.line is None and loc.paragraph is None


@lru_cache(maxsize=8)
def _pdf_lines(data: bytes) -> dict[tuple[int, int], str]:
    """The text of every line of every page of a PDF, as the PDF loader numbers them."""
    from nianbao.plugins.pdf.pages import open_pdf, read_pages

    pdf = open_pdf(data)
    try:
        pages = read_pages(pdf)
        return {(p.number, line.number): line.text for p in pages for line in p.lines}
    finally:
        for page in pages:
            page.textpage.close()
        pdf.close()


def test_explain_finds_every_rules_definition_and_cases(host) -> None:
    """``nianbao explain`` points at the line giving each rule's code and at its cases, which are the
    files this harness runs: ``cases/<CODE>.yaml`` beside the definition, none elsewhere."""
    rules = all_rules(host)
    found = set()
    for rule in rules:
        source = rule_source(rule.meta, rules, host)
        assert (
            source.line is not None
            and rule.meta.code in Path(source.path).read_text("utf-8").splitlines()[source.line - 1]
        )
        assert source.cases is not None, f"{rule.meta.code}: no cases/{rule.meta.code}.yaml beside {source.path}"
        found.add(_in_checkout(source.cases))
    assert found == {p.relative_to(ROOT).as_posix() for folder in CASE_FOLDERS for p in folder.glob("*.yaml")}


def test_every_rule_has_a_failing_and_a_passing_case(host) -> None:
    failing: set[str] = set()
    passing: set[str] = set()
    for code, _, case in ALL:
        (failing if case["expect"] else passing).add(code)
    codes = {r.meta.code for r in all_rules(host)}  # national, regional and cross-document rules alike
    assert sorted(codes - failing) == [], "rules without a failing case"
    assert sorted(codes - passing) == [], "rules without a passing case"


def _in_checkout(path: str) -> str:
    """Where an installed file of nianbao is in the source tree (``plugins/rules/text.py``), for an
    editable and a regular install alike."""
    import nianbao
    import nianbao.plugins
    import nianbao.rulesets

    for folder, package in (("plugins", nianbao.plugins), ("rulesets", nianbao.rulesets), ("core", nianbao)):
        base = Path(package.__file__).parent
        if base in Path(path).parents:
            return f"{folder}/{Path(path).relative_to(base).as_posix()}"
    raise AssertionError(f"{path} is not part of nianbao")


def where_rules_live(host) -> list[str]:
    """CONTRIBUTING.md's table of where each rule is defined and where its cases are, by the file
    defining them, in order of their first code."""
    from nianbao.engine import TOOL_RULES

    rules = all_rules(host)
    files: dict[tuple[str, str], list[str]] = {}
    for meta in sorted([r.meta for r in rules] + list(TOOL_RULES.values()), key=lambda m: m.code):
        source = rule_source(meta, rules, host)
        cases = f"`{_in_checkout(source.cases).rpartition('/')[0]}/`" if source.cases else "–"
        files.setdefault((_in_checkout(source.path), cases), []).append(meta.code)
    rows = ["| codes | defined in | cases |", "|---|---|---|"]
    rows += [f"| {' '.join(codes)} | `{path}` | {cases} |" for (path, cases), codes in files.items()]
    return rows


def test_contributing_says_where_every_rule_lives(host) -> None:
    text = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text("utf-8").splitlines()
    start = text.index("| codes | defined in | cases |")
    committed = text[start : text.index("", start)]
    assert committed == where_rules_live(host), "CONTRIBUTING.md: the table of where rules live is stale"
