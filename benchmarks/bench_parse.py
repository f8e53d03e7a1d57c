"""Parse speed: ``nianbao parse`` wall time per seed (interpreter start-up included), in-process
parse time per seed, and the time of text built to make the reader's searches explode (they are
bounded). Prints medians; run it on a quiet machine, it is not a test.

    python benchmarks/bench_parse.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from timing import command_env, command_ms, median_ms

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "corpus").glob("0*.txt"))
HEAVY = ("rich", "lxml", "jsonschema", "pypdfium2", "pdfplumber")


def wall(runs: int) -> None:
    cmd = [sys.executable, "-m", "nianbao", "parse"]
    command_ms([*cmd, str(SEEDS[0])], 1)  # warm .pyc and page cache
    for seed in SEEDS:
        median, least = command_ms([*cmd, str(seed)], runs)
        print(f"wall  nianbao parse {seed.name}: median {median:6.1f} ms  min {least:6.1f} ms")
    median, _ = command_ms([sys.executable, "-c", "pass"], runs)
    print(f"wall  python -c pass (baseline): median {median:6.1f} ms")


def in_process(runs: int) -> None:
    from nianbao.host import create_host
    from nianbao.loading import LoadContext, load_document

    host = create_host(entry_points=False)
    context = LoadContext(templates=host.templates)
    for seed in SEEDS:
        data = seed.read_bytes()
        load_document(str(seed), host.loaders, context, data=data)  # first call loads OpenCC, gazetteer
        median, least = median_ms(lambda: load_document(str(seed), host.loaders, context, data=data), runs * 5)  # noqa: B023
        print(f"parse in-process {seed.name}: median {median:5.2f} ms  min {least:5.2f} ms")


def _hostile() -> dict[str, str]:
    """Text built to make the reader search: digit runs a table's identities must split, a crawler's
    one-line page of labels and numbers, box-drawing and pipe grids of many cells."""
    rows = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开", "（七）总计"]
    labels = ["规章", "行政规范性文件", "（一）予以公开", "结果维持", "总计", "第二十条第（一）项", "信息内容"]
    digits = "1234567891" * 8
    return {
        "table 三 rows of 60-digit runs": "三、收到和处理政府信息公开申请情况\n"
        + "\n".join(f"{r} {digits[i : i + 60]}" for i, r in enumerate(rows * 6)),
        "one line, labels and digits (300 KiB)": "".join(
            labels[i % len(labels)] + digits[i % 10 : i % 10 + 5 + i % 30] for i in range(12000)
        ),
        "box grid, 180k cells": "\n".join("│" + "│".join("  1  " for _ in range(60)) + "│" for _ in range(3000)),
        "pipe rows, 100k cells": "\n".join(
            "|" + "|".join("结果维持总计" for _ in range(50)) + "|" for _ in range(2000)
        ),
    }


def pathological(runs: int) -> None:
    from nianbao.host import create_host
    from nianbao.loading import InputError, LoadContext, load_document

    host = create_host(entry_points=False)
    context = LoadContext(templates=host.templates)

    def load(data: bytes) -> None:
        try:
            load_document("hostile.txt", host.loaders, context, data=data)
        except InputError:
            pass  # not a report: still read to the end

    for name, text in _hostile().items():
        data = text.encode("utf-8")
        median, least = median_ms(lambda: load(data), max(runs // 2, 3))  # noqa: B023
        print(f"pathological {name} ({len(data) // 1024} KiB): median {median:7.1f} ms  min {least:7.1f} ms")


def heavy_imports() -> None:
    code = (
        "import sys, runpy; sys.argv=['nianbao','parse',sys.argv[1]];"
        "from nianbao.cli import main; import io, contextlib\n"
        "with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())): main(sys.argv[1:])\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(SEEDS[0])], capture_output=True, text=True, env=command_env())
    print(f"heavy modules imported by 'nianbao parse' of a .txt: {out.stdout.strip() or out.stderr.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    wall(args.runs)
    in_process(args.runs)
    pathological(args.runs)
    heavy_imports()


if __name__ == "__main__":
    main()
