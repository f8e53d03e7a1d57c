"""A serialisation adds no findings: the report as a tool wrote it lints no worse than the report itself.

For every serialised file (tests/corpus/serialised/<tool>/<report>.*) the findings of the rules that
depend on how the report was read (ST sections and title, TB tables, AR arithmetic, CN prose against
tables) are compared with those of the file the tool was given (the manifest's ``source``: the HTML,
DOCX or PDF fixture; the emulations are drawn from the layout the DOCX fixture is built from). A finding the serialisation adds is a false finding the reader caused. A finding
it loses must be one the reader said it could not check: its table, row or section is in an NB03 scope.
Findings are compared by rule and logical place (section, table, row, column), not by location, which
differs from file to file.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from nianbao.lint import Linter, LintOptions
from nianbao.loading import load_document
from nianbao.rules import Finding

from .robustness import CORPUS, SERIALISED

READING = ("ST", "TB", "AR", "CN")
MANIFEST = yaml.safe_load((SERIALISED / "MANIFEST.yaml").read_text("utf-8"))
FILES = sorted(p for p in SERIALISED.glob("*/*") if p.suffix != ".yaml")
_FINDINGS: dict[Path, tuple[list[Finding], list[str]]] = {}


def _original(path: Path) -> Path:
    """The fixture the serialisation ``path`` was made from."""
    source = MANIFEST[path.parent.name]["source"]
    ext = ".docx" if source == "layout" else source
    for folder in (CORPUS / "formats", CORPUS / "pdf"):
        if (folder / f"{path.stem}{ext}").exists():
            return folder / f"{path.stem}{ext}"
    raise AssertionError(f"no {ext} fixture for {path}")


def _lint(host, context, path: Path) -> tuple[list[Finding], list[str]]:
    """The reading-dependent findings of ``path``, and the NB03 scopes of its reading."""
    if path not in _FINDINGS:
        result = Linter(host, LintOptions()).lint_file(str(path))
        assert result.error is None, result.error
        doc = load_document(str(path), host.loaders, context)
        scopes = [s for d in doc.diagnostics if d.code == "NB03" for s in d.scope]
        _FINDINGS[path] = ([f for f in result.findings if f.code.startswith(READING)], scopes)
    return _FINDINGS[path]


def _place(finding: Finding) -> tuple[str, str]:
    return finding.code, finding.logical.dotted() if finding.logical else ""


def _doubted(finding: Finding, scopes: list[str]) -> bool:
    """Whether the reader's NB03 names the finding's table, row or (a finding on a heading) section."""
    logical = finding.logical
    if logical is None:
        return False
    if logical.table is None:
        return logical.section is not None and logical.section in scopes
    refs = [logical.table] + ([f"{logical.table}.{logical.row}"] if logical.row else [])
    return any(ref in scopes for ref in refs)


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_a_serialisation_adds_no_findings(host, context, path: Path) -> None:
    got, scopes = _lint(host, context, path)
    want, _ = _lint(host, context, _original(path))
    added = Counter(map(_place, got)) - Counter(map(_place, want))
    shown = [f"{f.code} {f.message}" for f in got if _place(f) in added]
    assert not added, f"{sum(added.values())} findings the original does not have: {shown[:8]}"
    lost = Counter(map(_place, want)) - Counter(map(_place, got))
    unexplained = [f"{f.code} {f.message}" for f in want if _place(f) in lost and not _doubted(f, scopes)]
    assert not unexplained, f"findings lost without an NB03 doubt: {unexplained[:8]}"
