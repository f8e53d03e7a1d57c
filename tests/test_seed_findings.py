"""Each seed's exact findings, hand-checked against the text (tests/expected/findings/*.yaml).

A finding that is not listed fails the test: false positives are bugs.
"""

from __future__ import annotations

import pytest
import yaml
from nianbao.lint import Linter, LintOptions

from .conftest import SEEDS, TESTS


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem[:3] for s in SEEDS])
def test_seed_findings(seed, host) -> None:
    expected = yaml.safe_load((TESTS / "expected" / "findings" / f"{seed.stem}.yaml").read_text("utf-8"))
    run = Linter(host, LintOptions()).run([str(seed)])
    (result,) = run.results
    assert result.error is None
    got = sorted((f.code, f.location.line if f.location else None) for f in result.findings)
    want = sorted((e["code"], e["line"]) for e in expected["findings"])
    assert got == want, "\n".join(f"{f.code} {f.location and f.location.line} {f.message}" for f in result.findings)
    assert run.problems == []
