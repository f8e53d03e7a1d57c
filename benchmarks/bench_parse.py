"""Parse speed: ``nianbao parse`` wall time per seed (interpreter start-up included) and in-process
parse time per seed. Prints medians; run it on a quiet machine, it is not a test.

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
    context = LoadContext(formats=host.formats)
    for seed in SEEDS:
        data = seed.read_bytes()
        load_document(str(seed), host.loaders, context, data=data)  # first call loads OpenCC, gazetteer
        median, least = median_ms(lambda: load_document(str(seed), host.loaders, context, data=data), runs * 5)  # noqa: B023
        print(f"parse in-process {seed.name}: median {median:5.2f} ms  min {least:5.2f} ms")


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
    heavy_imports()


if __name__ == "__main__":
    main()
