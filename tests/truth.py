"""The hand-checked truth of a corpus report (tests/expected/**/<report>.yaml) as table cells.

A truth file gives a table row either as a list of values in the format's column order (table 三, 四) or as
a mapping column -> value, where a value is a number or ``{value, unit, raw}``. Here every form becomes
``{"t3.granted.total": 12, ...}``: one reference per cell, in the notation of ``Diagnostic.scope``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from nianbao.templates import Template

TESTS = Path(__file__).resolve().parent
EXPECTED = TESTS / "expected"
# Where truth files live: the seeds at the top, the 2021 corpus and the feature PDFs in their own folders.
TRUTH_DIRS = (EXPECTED, EXPECTED / "2021", EXPECTED / "pdf")

Number = int | float


def truth_path(report: str) -> Path | None:
    """The truth file of ``report`` (a corpus file's stem), or None when it has none."""
    for folder in TRUTH_DIRS:
        path = folder / f"{report}.yaml"
        if path.exists():
            return path
    return None


@cache
def load_truth(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text("utf-8"))


def cell_value(value: Any) -> Number:
    return value["value"] if isinstance(value, dict) else value


def truth_cells(truth: dict[str, Any], fmt: Template) -> dict[str, Number]:
    """Every cell the report prints, as ``table.row.column`` -> value."""
    out: dict[str, Number] = {}
    for table_id, rows in truth["tables"].items():
        columns = [c.key for c in fmt.tables[table_id].columns]
        for row_key, cells in rows.items():
            pairs = zip(columns, cells, strict=True) if isinstance(cells, list) else cells.items()
            for column, value in pairs:
                out[f"{table_id}.{row_key}.{column}"] = cell_value(value)
    return out


def truth_format(truth: dict[str, Any], formats: list[Template]) -> Template:
    edition = truth["meta"]["edition"]
    return next(f for f in formats if f.edition == edition)
