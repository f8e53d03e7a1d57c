"""Parse speed: ``nianbao parse`` wall time per seed (interpreter start-up included) and in-process
parse time per seed. Prints medians; run it on a quiet machine, it is not a test.

    python benchmarks/bench_parse.py [--runs N]
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
SEEDS = sorted((ROOT / "tests" / "corpus").glob("0*.txt"))
HEAVY = ("rich", "lxml", "jsonschema", "pypdfium2", "pdfplumber")


def _env() -> dict[str, str]:
    # Byte-compiled modules are what an installed nianbao runs from; without them every start
    # recompiles the package and the figure says nothing about users.
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def wall(runs: int) -> None:
    cmd = [sys.executable, "-m", "nianbao", "parse"]
    env = _env()
    subprocess.run([*cmd, str(SEEDS[0])], capture_output=True, env=env, check=True)  # warm .pyc and page cache
    for seed in SEEDS:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([*cmd, str(seed)], capture_output=True, env=env, check=True)
            times.append((time.perf_counter() - start) * 1000)
        print(f"wall  nianbao parse {seed.name}: median {statistics.median(times):6.1f} ms  min {min(times):6.1f} ms")
    base = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        base.append((time.perf_counter() - start) * 1000)
    print(f"wall  python -c pass (baseline): median {statistics.median(base):6.1f} ms")


def in_process(runs: int) -> None:
    from nianbao.host import create_host
    from nianbao.loading import LoadContext, load_document

    host = create_host(entry_points=False)
    context = LoadContext(formats=host.formats)
    for seed in SEEDS:
        data = seed.read_bytes()
        load_document(str(seed), host.loaders, context, data=data)  # first call loads OpenCC, gazetteer
        times = []
        for _ in range(runs * 5):
            start = time.perf_counter()
            load_document(str(seed), host.loaders, context, data=data)
            times.append((time.perf_counter() - start) * 1000)
        print(f"parse in-process {seed.name}: median {statistics.median(times):5.2f} ms  min {min(times):5.2f} ms")


def heavy_imports() -> None:
    code = (
        "import sys, runpy; sys.argv=['nianbao','parse',sys.argv[1]];"
        "from nianbao.cli import main; import io, contextlib\n"
        "with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())): main(sys.argv[1:])\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(SEEDS[0])], capture_output=True, text=True, env=_env())
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
