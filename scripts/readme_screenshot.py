"""Regenerate ``docs/html-report.png``, the README's picture of the HTML report.

    python scripts/readme_screenshot.py

Lints ``tests/corpus/people/tables_2020.txt`` (a report with a broken 表三 balance, a negative count
and a "/" in a cell) as HTML, renders it in headless Chromium and keeps part 三 with its findings and
table, the highlighted cells included; a 48-colour palette keeps the PNG small.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402  (a test dependency)

from tests.browser import geometry, measurable_copy, screenshot  # noqa: E402

REPORT = ROOT / "tests" / "corpus" / "people" / "tables_2020.txt"
OUT = ROOT / "docs" / "html-report.png"
WIDTH = 1024  # a laptop's browser window; the findings wrap as they would there


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "nianbao", "lint", "--format", "html", "--output", str(page), str(REPORT)],
            cwd=ROOT,
            check=False,
        )
        measured = measurable_copy(page)
        boxes = geometry(measured, WIDTH)["boxes"]
        top = next(b for b in boxes if b["tag"] == "h3" and b["id"] == "r1-s-s3")
        table = next(b for b in boxes if b["tag"] == "figure" and b["id"] == "r1-c-t3")
        png = screenshot(measured, int(table["y"] + table["h"]) + 40, Path(tmp) / "page.png", WIDTH)
        with Image.open(png) as image:
            box = (0, int(top["y"]) - 12, image.width, int(table["y"] + table["h"]) + 12)
            part = image.convert("RGB").crop(box)
            part.quantize(colors=48, method=Image.Quantize.MEDIANCUT).save(OUT, optimize=True)
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
