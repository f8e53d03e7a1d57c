"""Every fixture format of a seed (tests/corpus/formats/<seed>.<ext>) reads as the text seed does.

Formats are discovered from the files present, so each builder's fixtures join automatically.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.document import Document
from nianbao.loading import load_document

from .conftest import CORPUS, SEEDS

FORMATS = CORPUS / "formats"
CASES = sorted(p for p in FORMATS.glob("0*.*") if (CORPUS / f"{p.stem}.txt").exists())


def _tables(doc: Document) -> dict:
    return {
        table_id: {
            (row_key if row.known else f"?{row.label}"): {
                col: (cell.raw, cell.value, cell.state, cell.unit) for col, cell in row.cells.items()
            }
            for row_key, row in table.rows.items()
        }
        for table_id, table in doc.tables.items()
    }


# Lines of portal chrome the text seeds carry because they were copied from a web page (see the
# comments in tests/expected/<seed>.yaml). A loader that removes page chrome (HTML) does not keep
# them; every other word must be the same.
PAGE_CHROME = {"004": ("领导活动", "您当前的位置:", "首页>>政务公开>>正文", "浏览次数:", "扫一扫在手机打开当前页")}
DROPS_PAGE_CHROME = {".html"}


def _sections(doc: Document, chrome: tuple[str, ...] = ()) -> list:
    # Paragraph breaks and the spaces between them may differ between formats (a wrapped line is one
    # paragraph in text, two in Word; a metadata table has no spaces between its cells); the words
    # of each section may not.
    out = []
    for s in doc.sections:
        text = "".join("".join(p.text.split()) for p in s.paragraphs)
        for line in chrome:
            text = text.replace(line, "", 1)
        out.append((s.key, s.kind, s.heading, text))
    return out


def _meta(doc: Document) -> dict:
    m = doc.meta
    return {
        "title": m.title.normalised if m.title else None,
        "organ": m.organ,
        "report_year": m.report_year,
        "edition": (m.edition.value, m.edition.table_shape),
        "region": (m.region.province, m.region.prefecture, m.region.county),
        "organ_level": m.organ_level,
        "signature": (
            m.signature.organ.value if m.signature.organ else None,
            m.signature.date.value if m.signature.date else None,
        ),
        "publication_date": m.publication_date.value if m.publication_date else None,
        "period": (m.statistics_period.start, m.statistics_period.end) if m.statistics_period else None,
        "portal": {k: v.value for k, v in m.portal.items()},
    }


@pytest.fixture(scope="module")
def text_docs(host, context) -> dict[str, Document]:
    return {seed.stem: load_document(str(seed), host.loaders, context) for seed in SEEDS}


def test_every_seed_has_a_docx_fixture() -> None:
    assert {p.stem for p in CASES if p.suffix == ".docx"} == {s.stem for s in SEEDS}


@pytest.mark.parametrize("path", CASES, ids=[f"{p.stem[:3]}-{p.suffix[1:]}" for p in CASES])
def test_format_reads_like_the_text_seed(path: Path, host, context, text_docs) -> None:
    doc = load_document(str(path), host.loaders, context)
    want = text_docs[path.stem]
    assert doc.source.format == path.suffix[1:]
    assert _tables(doc) == _tables(want)
    chrome = PAGE_CHROME.get(path.stem[:3], ()) if path.suffix in DROPS_PAGE_CHROME else ()
    assert _sections(doc) == _sections(want, chrome)
    assert _meta(doc) == _meta(want)
    assert [d.code for d in doc.diagnostics] == [d.code for d in want.diagnostics]
