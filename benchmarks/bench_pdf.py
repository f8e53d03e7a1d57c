"""PDF speed: milliseconds per page (median) for text-only pages and for pages where the table finder
runs, per fixture report; the one-off import cost of pypdfium2 and pdfplumber; and whether
``import nianbao.cli`` pulls in either. Target: <= 60 ms per page, table pages included.

    python benchmarks/bench_pdf.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from timing import command_env, median_ms

ROOT = Path(__file__).resolve().parent.parent
PDFS = sorted((ROOT / "tests" / "corpus" / "formats").glob("0*.pdf"))


def _ms(fn, runs: int) -> float:  # noqa: ANN001
    return median_ms(fn, runs)[0]


def per_report(runs: int) -> None:
    from nianbao.host import create_host
    from nianbao.loading import LoadContext, load_document
    from nianbao.plugins.assembler import format_labels
    from nianbao.plugins.pdf.grids import find_tables, holds_table
    from nianbao.plugins.pdf.pages import open_pdf, read_pages

    host = create_host(entry_points=False)
    context = LoadContext(formats=host.formats)
    labels = format_labels(host.formats).printed
    load_document(str(PDFS[0]), host.loaders, context)  # imports and caches out of the figures
    print(f"{'report':<26}{'pages':>6}{'tbl pg':>7}{'text ms/pg':>11}{'tbl ms/pg':>10}{'total ms':>9}{'ms/pg':>7}")
    worst = 0.0
    for path in PDFS:
        data = path.read_bytes()
        pdf = open_pdf(data)
        pages = read_pages(pdf)
        table_pages = [p.number for p in pages if holds_table(p, labels)]
        pdf.close()

        def text_pass(data: bytes = data) -> None:
            pdf = open_pdf(data)
            read_pages(pdf)
            pdf.close()

        def finder_pass(data: bytes = data, table_pages: list[int] = table_pages) -> None:
            pdf = open_pdf(data)
            pages = read_pages(pdf)
            find_tables(data, pages, table_pages, labels)
            pdf.close()

        text = _ms(text_pass, runs) / len(pages)
        finder = (_ms(finder_pass, runs) - text * len(pages)) / max(len(table_pages), 1)
        total = _ms(lambda: load_document(str(path), host.loaders, context), runs)  # noqa: B023
        per_page = total / len(pages)
        worst = max(worst, per_page)
        print(
            f"{path.stem[:24]:<26}{len(pages):>6}{len(table_pages):>7}{text:>11.1f}{text + finder:>10.1f}"
            f"{total:>9.1f}{per_page:>7.1f}"
        )
    print(f"worst whole-load ms per page: {worst:.1f} (target <= 60)")


def imports(runs: int) -> None:
    env = command_env()
    for stmt in ("import pypdfium2", "import pdfplumber"):
        code = f"import time; t=time.perf_counter(); {stmt}; print((time.perf_counter()-t)*1000)"
        times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout)]
        times += [
            float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout)
            for _ in range(runs - 1)
        ]
        print(f"{stmt:<22} {statistics.median(times):6.1f} ms (median of {runs})")
    code = "import sys, nianbao.cli; print([m for m in ('pypdfium2', 'pdfplumber', 'pdfminer') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout.strip()
    print(f"PDF modules loaded by `import nianbao.cli`: {out}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    per_report(args.runs)
    imports(args.runs)


if __name__ == "__main__":
    main()
