"""PDF speed: milliseconds per page (medians of ``--runs``) on every PDF fixture, text pages and table
pages apart; the one-off import cost of pypdfium2 (and of pdfplumber, which a lint no longer needs);
and which PDF libraries ``import nianbao.cli`` and loading a PDF pull in. Target: <= 15 ms per page,
table pages included.

    python benchmarks/bench_pdf.py [--runs N]

Columns: ``text ms/pg`` reads every page's text (pypdfium2); ``tbl ms/pg`` is that plus finding the
table grid and reading its cells, per page that shows a table; ``load ms/pg`` is the whole load
(text, tables, the report reader) over all pages, wall time, and ``cpu ms/pg`` the same in this
process's CPU time, which other jobs on a shared machine disturb less. Run it from a regular install or with
PYTHONDONTWRITEBYTECODE unset, so that start-up figures come from byte-compiled modules.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from timing import command_env, median_ms

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
PDFS = sorted((CORPUS / "formats").glob("*.pdf")) + sorted((CORPUS / "pdf").glob("*.pdf"))
TARGET_MS = 15.0


def _ms(fn, runs: int) -> float:  # noqa: ANN001
    return median_ms(fn, runs)[0]


def per_report(runs: int) -> None:
    from nianbao.host import create_host
    from nianbao.loading import LoadContext, load_document
    from nianbao.plugins.assembler import template_labels
    from nianbao.plugins.pdf.grids import find_tables, holds_table
    from nianbao.plugins.pdf.pages import open_pdf, read_pages

    host = create_host(entry_points=False)
    context = LoadContext(templates=host.templates)
    labels = template_labels(host.templates).printed
    load_document(str(PDFS[0]), host.loaders, context)  # imports and caches out of the figures
    print(
        f"{'fixture':<26}{'pages':>6}{'tbl pg':>7}{'text ms/pg':>11}{'tbl ms/pg':>10}{'load ms':>9}{'load ms/pg':>11}"
        f"{'cpu ms/pg':>10}"
    )
    worst = worst_table = 0.0
    for path in PDFS:
        data = path.read_bytes()
        pdf = open_pdf(data)
        pages = read_pages(pdf)
        table_pages = [p.number for p in pages if holds_table(p, labels)]
        for page in pages:
            page.textpage.close()
        pdf.close()

        def text_pass(data: bytes = data) -> None:
            pdf = open_pdf(data)
            for page in read_pages(pdf):
                page.textpage.close()
            pdf.close()

        def finder_pass(data: bytes = data, table_pages: list[int] = table_pages) -> None:
            pdf = open_pdf(data)
            pages = read_pages(pdf)
            find_tables(data, pages, table_pages, labels)
            for page in pages:
                page.textpage.close()
            pdf.close()

        text = _ms(text_pass, runs) / len(pages)
        table = text + (_ms(finder_pass, runs) - text * len(pages)) / max(len(table_pages), 1)

        def load(path: Path = path) -> None:
            load_document(str(path), host.loaders, context)

        total = _ms(load, runs)
        cpu = median_ms(load, runs, time.process_time)[0] / len(pages)
        per_page = total / len(pages)
        worst = max(worst, per_page)
        worst_table = max(worst_table, table) if table_pages else worst_table
        table_cell = f"{table:>10.1f}" if table_pages else f"{'-':>10}"
        print(
            f"{path.stem[:24]:<26}{len(pages):>6}{len(table_pages):>7}{text:>11.1f}{table_cell}"
            f"{total:>9.1f}{per_page:>11.1f}{cpu:>10.1f}"
        )
    print(
        f"worst table page: {worst_table:.1f} ms; worst whole load: {worst:.1f} ms per page (target <= {TARGET_MS:g})"
    )


def imports(runs: int) -> None:
    env = command_env()
    for stmt in ("import pypdfium2", "import pdfplumber"):
        code = f"import time; t=time.perf_counter(); {stmt}; print((time.perf_counter()-t)*1000)"
        times = [
            float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout or "nan")
            for _ in range(runs)
        ]
        print(f"{stmt:<22} {statistics.median(times):6.1f} ms (median of {runs})")
    probe = "import sys; {}; print([m for m in ('pypdfium2', 'pdfplumber', 'pdfminer') if m in sys.modules])"
    loads = (
        "from nianbao.host import create_host; from nianbao.loading import LoadContext, load_document; "
        f"h = create_host(entry_points=False); load_document({str(PDFS[0])!r}, h.loaders, LoadContext(templates=h.templates))"
    )
    for what, stmt in (("`import nianbao.cli`", "import nianbao.cli"), ("loading a PDF", loads)):
        out = subprocess.run([sys.executable, "-c", probe.format(stmt)], capture_output=True, text=True, env=env)
        print(f"PDF modules loaded by {what}: {out.stdout.strip() or out.stderr.strip()[-200:]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    per_report(args.runs)
    imports(args.runs)


if __name__ == "__main__":
    main()
