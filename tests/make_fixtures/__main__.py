"""Rebuild every fixture file: ``python -m tests.make_fixtures`` (from the repository root)."""

from __future__ import annotations

from . import docx_build

BUILDERS = [
    docx_build.build,
]

for builder in BUILDERS:
    for path in builder():
        print(path)
