"""HTML loader speed: in-process parse time per HTML fixture (median), against the .txt of the same seed,
and which heavy modules the CLI imports before and after reading an HTML page. Target: <= 10 ms per
report in-process; importing the CLI must not import lxml.

    python benchmarks/bench_html.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
PAGES = sorted((CORPUS / "formats").glob("0*.html"))
TARGET_MS = 10.0


def _median_ms(fn, runs: int) -> tuple[float, float]:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def in_process(runs: int) -> None:
    from nianbao.host import create_host
    from nianbao.loading import LoadContext, load_document

    host = create_host(entry_points=False)
    context = LoadContext(formats=host.formats)
    medians = []
    for page in PAGES:
        text = CORPUS / f"{page.stem}.txt"
        for path in (page, text):
            data = path.read_bytes()
            load_document(str(path), host.loaders, context, data=data)  # first call: lxml, OpenCC, gazetteer
            med, low = _median_ms(lambda p=path, d=data: load_document(str(p), host.loaders, context, data=d), runs)
            if path is page:
                medians.append(med)
            print(
                f"parse in-process {path.name:28s} {len(data) / 1024:6.1f} KB  median {med:5.2f} ms  min {low:5.2f} ms"
            )
    worst = max(medians)
    verdict = "within" if worst <= TARGET_MS else "OVER"
    print(f"HTML: worst median {worst:.2f} ms per report ({verdict} the {TARGET_MS:.0f} ms target)")


def imports() -> None:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    code = (
        "import sys\nimport nianbao.cli\nbefore = 'lxml' in sys.modules\n"
        "from nianbao.host import create_host\nfrom nianbao.loading import LoadContext, load_document\n"
        "host = create_host(entry_points=False)\nctx = LoadContext(formats=host.formats)\n"
        f"load_document({str(CORPUS / '000_98b392332e9fbc59.txt')!r}, host.loaders, ctx)\n"
        "after_txt = 'lxml' in sys.modules\n"
        f"load_document({str(PAGES[0])!r}, host.loaders, ctx)\n"
        "print(before, after_txt, 'lxml' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    before, after_txt, after_html = (out.stdout.split() + ["?"] * 3)[:3]
    print(f"lxml imported: by 'import nianbao.cli' {before}, after a .txt {after_txt}, after an .html {after_html}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    in_process(args.runs)
    imports()


if __name__ == "__main__":
    main()
