"""Lint speed: ``nianbao lint`` of one seed end to end (start-up included), and all rules on one
parsed document in-process. Prints medians; not a test.

    python benchmarks/bench_lint.py [--runs N]
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


def wall(runs: int) -> None:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # installed packages run from byte-compiled modules
    cmd = [sys.executable, "-m", "nianbao", "lint"]
    subprocess.run([*cmd, str(SEEDS[0])], capture_output=True, env=env)
    for seed in SEEDS:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([*cmd, str(seed)], capture_output=True, env=env)
            times.append((time.perf_counter() - start) * 1000)
        print(f"wall  nianbao lint {seed.name}: median {statistics.median(times):6.1f} ms  min {min(times):6.1f} ms")


def rules_in_process(runs: int) -> None:
    from nianbao.config import Config, Layer, build_selection, layers_for
    from nianbao.engine import run_rules
    from nianbao.host import create_host
    from nianbao.loading import LoadContext, load_document
    from nianbao.registry import all_rules
    from nianbao.ruleset_files import chain

    host = create_host(entry_points=False)
    rules = all_rules(host)
    metas = [r.meta for r in rules]
    selection = build_selection(layers_for(chain("national", host), Config(), Layer("cli")), metas, "national")
    context = LoadContext(formats=host.formats)
    for seed in SEEDS:
        doc = load_document(str(seed), host.loaders, context)
        run_rules(doc, rules, host.formats, selection)
        times = []
        for _ in range(runs * 20):
            start = time.perf_counter()
            run_rules(doc, rules, host.formats, selection)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"rules in-process {seed.name} ({len(rules)} rules): "
            f"median {statistics.median(times):5.2f} ms  min {min(times):5.2f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    wall(args.runs)
    rules_in_process(args.runs)


if __name__ == "__main__":
    main()
