"""Rebuild every fixture file: ``python -m tests.make_fixtures`` (from the repository root)."""

from __future__ import annotations

from . import (
    cases_build,
    docx_build,
    fuzz_build,
    hostile_build,
    html_build,
    pdf_build,
    pdf_pagebreak_build,
    pdf_rulings_build,
    pdf_spacing_build,
)

BUILDERS = [
    docx_build.build,
    hostile_build.build,
    fuzz_build.build,
    html_build.build,
    # Needs LibreOffice and Droid Sans Fallback; skipped (nothing written) where they are missing.
    pdf_build.build,
    pdf_build.build_hostile,
    pdf_spacing_build.build,
    pdf_pagebreak_build.build,
    # Needs qpdf; redraws the rulings of PDFs written above.
    pdf_rulings_build.build,
    # The rule cases as PDFs (LibreOffice again).
    cases_build.build,
]

for builder in BUILDERS:
    for path in builder():
        print(path)
