"""Lint speed: ``nianbao lint`` of one seed end to end (start-up included), and all rules on one
parsed document in-process. Prints medians; not a test.

    python benchmarks/bench_lint.py [--runs N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from timing import command_ms, median_ms

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "corpus").glob("0*.txt"))


def wall(runs: int) -> None:
    cmd = [sys.executable, "-m", "nianbao", "lint"]
    command_ms([*cmd, str(SEEDS[0])], 1)  # warm .pyc and page cache
    for seed in SEEDS:
        median, least = command_ms([*cmd, str(seed)], runs)
        print(f"wall  nianbao lint {seed.name}: median {median:6.1f} ms  min {least:6.1f} ms")


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
    context = LoadContext(templates=host.templates)
    for seed in SEEDS:
        doc = load_document(str(seed), host.loaders, context)
        run_rules(doc, rules, host.templates, selection)
        median, least = median_ms(lambda: run_rules(doc, rules, host.templates, selection), runs * 20)  # noqa: B023
        print(f"rules in-process {seed.name} ({len(rules)} rules): median {median:5.2f} ms  min {least:5.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    wall(args.runs)
    rules_in_process(args.runs)


if __name__ == "__main__":
    main()
