"""Each seed report against expectations written by hand from the text (tests/expected/*.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from nianbao.document import Document
from nianbao.loading import load_document
from nianbao.schema import validate_report

from .conftest import SEEDS, TESTS

EXPECTED = TESTS / "expected"


def _expected(seed: Path) -> dict:
    return yaml.safe_load((EXPECTED / f"{seed.stem}.yaml").read_text("utf-8"))


@pytest.fixture(scope="module", params=SEEDS, ids=[s.stem[:3] for s in SEEDS])
def case(request, host, context) -> tuple[Document, dict]:
    seed = request.param
    return load_document(str(seed), host.loaders, context), _expected(seed)


def test_meta(case) -> None:
    doc, exp = case
    meta, want = doc.meta, exp["meta"]
    assert (meta.title.normalised if meta.title else None) == want["title"]
    assert meta.organ == want["organ"]
    assert meta.report_year == want["report_year"]
    assert meta.edition.value == want["edition"]
    assert (meta.region.province, meta.region.prefecture, meta.region.county) == (
        want["region"]["province"],
        want["region"]["prefecture"],
        want["region"]["county"],
    )
    assert meta.organ_level == want["organ_level"]
    assert (meta.signature.organ.value if meta.signature.organ else None) == want["signature_organ"]
    assert (meta.signature.date.value if meta.signature.date else None) == want["signature_date"]
    assert (meta.publication_date.value if meta.publication_date else None) == want["publication_date"]
    period = meta.statistics_period
    assert ({"start": period.start, "end": period.end} if period else None) == want["statistics_period"]


def test_sections(case, context) -> None:
    doc, exp = case
    spec = context.template(doc.meta.edition.value).tables
    with_tables = {spec[t].section for t in doc.tables}
    want = exp["sections"]
    statutory = [s for s in doc.sections if s.kind == "statutory"]
    assert [s.key for s in statutory] == want["found"]
    for key in want["missing"]:
        assert doc.section(key) is None
    assert {s.key: s.heading for s in statutory} == want["headings"]
    assert [s.key for s in statutory if not s.paragraphs and s.key not in with_tables] == want["empty"]


def _cell_expectation(value: object) -> dict:
    if isinstance(value, dict):
        out = {"state": "number", "unit": None, **value}
        return out
    return {"value": value, "state": "number", "unit": None}


def test_tables(case, context) -> None:
    doc, exp = case
    spec = context.template(doc.meta.edition.value).tables
    assert sorted(doc.tables) == sorted(exp["tables"])
    for table_id in exp["missing_tables"]:
        assert table_id not in doc.tables
    for table_id, rows in exp["tables"].items():
        table = doc.tables[table_id]
        known = {k: r for k, r in table.rows.items() if r.known}
        assert sorted(known) == sorted(rows), table_id
        for row_key, cells in rows.items():
            row = known[row_key]
            if isinstance(cells, list):
                columns = [c.key for c in spec[table_id].columns]
                assert [row.cells[c].value for c in columns if c in row.cells] == cells, (table_id, row_key)
                assert len(row.cells) == len(columns)
                assert all(c.state == "number" for c in row.cells.values())
                continue
            assert sorted(row.cells) == sorted(cells), (table_id, row_key)
            for col, value in cells.items():
                want = _cell_expectation(value)
                cell = row.cells[col]
                got = {"value": cell.value, "state": cell.state, "unit": cell.unit}
                if "raw" in want:
                    got["raw"] = cell.raw
                assert got == want, (table_id, row_key, col)
    for table_id, row_keys in exp["missing_rows"].items():
        for row_key in row_keys:
            assert row_key not in doc.tables.get(table_id).rows


def test_schema_valid(case) -> None:
    doc, _ = case
    assert validate_report(doc.to_dict()) == []
