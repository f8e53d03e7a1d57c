"""How much of every corpus report the reader recovers, per tool that produced the file's bytes.

    python benchmarks/bench_robustness.py [--reports] [--tool NAME]

For each tool (the published files under their format's name, then every serialiser of
tests/corpus/serialised): cells recovered / total, cells doubted (no value, covered by an NB03 scope),
cells missed (neither), and wrong values. ``--reports`` adds one line per file. The counting rules are
tests/robustness.py's, the same the robustness test asserts. Goal (issue 10): every cell recovered, 0 wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.robustness import Score, cases, run  # noqa: E402


def _line(name: str, scores: list[Score]) -> str:
    total = sum(s.total for s in scores)
    recovered = sum(len(s.recovered) for s in scores)
    doubted = sum(len(s.doubted) for s in scores)
    missed = sum(len(s.missed) for s in scores)
    wrong = sum(len(s.wrong) for s in scores)
    errors = sum(1 for s in scores if s.error)
    share = f"{100 * recovered / total:5.1f}%" if total else "   - "
    refused = f"  refused {errors}" if errors else ""
    return (
        f"{name:40s} {len(scores):3d}  {recovered:5d}/{total:<5d} {share}  doubted {doubted:5d}  "
        f"missed {missed:5d}  wrong {wrong:4d}{refused}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", action="store_true", help="one line per file as well")
    parser.add_argument("--tool", help="only this tool")
    args = parser.parse_args()

    from nianbao.host import create_host
    from nianbao.loading import LoadContext

    host = create_host(entry_points=False)
    context = LoadContext(templates=host.templates)
    by_tool: dict[str, list[tuple[str, Score]]] = {}
    for case in cases():
        if args.tool and case.tool != args.tool:
            continue
        by_tool.setdefault(case.tool, []).append((case.path.name, run(case, host.loaders, context)))
    print(f"{'tool':40s} {'files':>3s}  recovered/total        doubted         missed        wrong")
    everything: list[Score] = []
    for tool, scored in by_tool.items():
        print(_line(tool, [s for _, s in scored]))
        if args.reports:
            for name, s in scored:
                print(_line(f"  {name}", [s]))
        everything += [s for _, s in scored]
    print(_line("all", everything))


if __name__ == "__main__":
    main()
