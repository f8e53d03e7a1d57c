"""Every corpus report, as published and as the tools people use serialise it, read against its truth.

One case per file (tests/robustness.py discovers them). Two properties, each its own test so either shows
alone: the reader never gives a wrong number, and every cell the report prints is either read or doubted
by an NB03 diagnostic whose scope names it. Cases that fail today are the reader's open work (issue 10);
they are neither skipped nor expected to fail.
"""

from __future__ import annotations

import pytest

from .robustness import SERIALISED, Case, Score, cases, run
from .truth import truth_path

CASES = cases()
_SCORES: dict[Case, Score] = {}


@pytest.fixture
def scored(request, host, context) -> Score:
    case = request.param
    if case not in _SCORES:
        _SCORES[case] = run(case, host.loaders, context)
    return _SCORES[case]


@pytest.mark.parametrize("scored", CASES, ids=[c.id for c in CASES], indirect=True)
def test_no_wrong_value(scored: Score) -> None:
    assert not scored.wrong, f"{len(scored.wrong)} wrong values: {scored.wrong[:10]}"


@pytest.mark.parametrize("scored", CASES, ids=[c.id for c in CASES], indirect=True)
def test_every_cell_read_or_doubted(scored: Score) -> None:
    assert scored.error is None, scored.error
    assert not scored.missed, (
        f"{len(scored.missed)} of {scored.total} cells neither read nor doubted by NB03: {scored.missed[:10]}"
    )


def test_every_serialised_file_is_a_case() -> None:
    files = [p for p in SERIALISED.glob("*/*")]
    assert len(files) >= 100  # the committed outputs are there
    assert all(truth_path(p.stem) is not None for p in files), "a serialised file without a truth file"
    tools = {c.tool for c in CASES}
    assert {"lxml-text", "html2text", "pdfminer", "word-copy-tsv", "ocr-md-fragments", "docx", "html", "pdf"} <= tools
