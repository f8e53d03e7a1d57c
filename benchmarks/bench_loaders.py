"""Loader speed per report, in process (medians), and what importing the CLI pulls in.

    python benchmarks/bench_loaders.py [--runs N]

Targets (issue 5): DOCX <= 20 ms per report, HTML <= 10 ms, PDF <= 60 ms per page; importing
``nianbao.cli`` imports none of lxml, pypdfium2, pdfplumber. Fixture formats are discovered from
tests/corpus/formats/, so every loader with fixtures is measured. Not a test: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from timing import command_env, command_ms, median_ms

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
HEAVY = ("lxml", "pypdfium2", "pdfplumber", "zipfile")


def per_report(runs: int) -> None:
    from nianbao.host import create_host
    from nianbao.loading import LoadContext, load_document

    host = create_host(entry_points=False)
    context = LoadContext(templates=host.templates)
    files = sorted(CORPUS.glob("0*.txt")) + sorted((CORPUS / "formats").glob("0*.*"))
    by_kind: dict[str, list[float]] = {}
    for path in files:
        data = path.read_bytes()
        load_document(str(path), host.loaders, context, data=data)  # warm caches and lazy imports
        median, least = median_ms(lambda: load_document(str(path), host.loaders, context, data=data), runs)  # noqa: B023
        by_kind.setdefault(path.suffix, []).append(median)
        print(f"load  {path.name:32s} median {median:6.2f} ms  min {least:6.2f} ms  ({len(data)} bytes)")
    for kind, medians in sorted(by_kind.items()):
        print(f"load  {kind:5s} median over reports {statistics.median(medians):6.2f} ms  worst {max(medians):6.2f} ms")


def cli_imports(runs: int) -> None:
    code = f"import sys, nianbao.cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=command_env(), check=True)
    print(f"import nianbao.cli loads of {', '.join(HEAVY)}: {out.stdout.strip() or 'none'}")
    median, least = command_ms([sys.executable, "-c", "import nianbao.cli"], runs)
    print(f"wall  python -c 'import nianbao.cli': median {median:6.1f} ms  min {least:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    per_report(args.runs)
    cli_imports(max(5, args.runs // 3))


if __name__ == "__main__":
    main()
