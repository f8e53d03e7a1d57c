"""Batches (issue 13): milliseconds per text report after start-up at several batch sizes and how
flat that stays, peak memory with ``--format json``, the ``--jobs`` speed-up, the cache speed-up and
the overhead of ``--executor dask`` on a LocalCluster. Prints figures; not a test.

    python benchmarks/bench_batch.py [--sizes 500 5000 50000] [--runs 3] [--parallel 2000] [--no-dask]
                                     [--only throughput jobs cache dask]

The batches are made from the corpus (benchmarks/batch_corpus.py: another organ, county and year per
copy, so rule sets, cross-year pairing and the cache keys vary as in a crawl) in a temporary folder.
Every figure is the median of ``--runs`` runs of the command line, each run timed from outside
(wall time, and the peak resident memory the kernel reports for the process). The machine's load
average is printed with the figures: on a shared machine the ``--jobs`` speed-up means little unless
the load is well under the number of cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch_corpus import write_batch, write_binary_batch
from timing import command_env


def nianbao() -> list[str]:
    script = Path(sys.executable).with_name("nianbao.exe" if os.name == "nt" else "nianbao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nianbao"]


def timed(args: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, peak resident MB and CPU seconds (user + system) of one run (the process itself;
    worker processes are apart). CPU time moves less than wall time when colleagues share the cores."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=command_env())
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def lint(folder: Path, *options: str) -> list[str]:
    return [*nianbao(), "lint", str(folder), "--format", "json", "--output", os.devnull, *options]


def throughput(root: Path, sizes: list[int], runs: int) -> dict[int, Path]:
    """ms per report after start-up (a one-file lint's wall time taken off) and peak memory."""
    folders = {}
    one = root / "one"
    write_batch(one, 1)
    for size in sizes:
        folders[size] = root / f"batch-{size}"
        started = time.perf_counter()
        write_batch(folders[size], size)
        print(f"  wrote {size} reports in {time.perf_counter() - started:.0f} s")
    print(f"batch, --jobs 1 --no-cache --format json ({load()})")
    per_report: dict[int, float] = {}
    cpu_per_report: dict[int, float] = {}
    for size, folder in folders.items():
        walls, peaks, starts, cpus, start_cpus = [], [], [], [], []
        for _ in range(runs if size <= 5000 else 1):
            start_wall, _, start_cpu = timed(lint(one, "--jobs", "1", "--no-cache"), root)
            wall, peak, cpu = timed(lint(folder, "--jobs", "1", "--no-cache"), root)
            starts.append(start_wall)
            start_cpus.append(start_cpu)
            walls.append(wall)
            peaks.append(peak)
            cpus.append(cpu)
        wall, start = statistics.median(walls), statistics.median(starts)
        per_report[size] = (wall - start) / (size - 1) * 1000
        cpu_per_report[size] = (statistics.median(cpus) - statistics.median(start_cpus)) / (size - 1) * 1000
        print(
            f"  {size:>7} reports: {wall:7.1f} s, {per_report[size]:5.2f} ms per report after start-up "
            f"({start * 1000:.0f} ms), CPU {cpu_per_report[size]:5.2f} ms per report, "
            f"peak RSS {statistics.median(peaks):5.0f} MB ({load()})"
        )
    sizes = sorted(per_report)
    for small, large in zip(sizes, sizes[1:], strict=False):
        print(
            f"  per report at {large} over per report at {small}: wall {per_report[large] / per_report[small]:.3f}, "
            f"CPU {cpu_per_report[large] / cpu_per_report[small]:.3f}"
        )
    print(f"  ({load()})")
    return folders


def jobs(folder: Path, runs: int) -> None:
    print(f"--jobs on {sum(1 for _ in folder.rglob('*.txt'))} reports, --no-cache, interleaved ({load()})")
    walls: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(runs):
        for n in walls:
            walls[n].append(timed(lint(folder, "--jobs", str(n), "--no-cache"), folder.parent)[0])
    one, two = statistics.median(walls[1]), statistics.median(walls[2])
    print(f"  --jobs 1 {one:6.1f} s, --jobs 2 {two:6.1f} s: speed-up {one / two:.2f}x ({load()})")


def cache(folder: Path, runs: int) -> None:
    print(f"cache on {sum(1 for _ in folder.rglob('*.txt'))} reports, --jobs 1 ({load()})")
    cold, warm = [], []
    for _ in range(runs):
        cache_dir = folder.parent / "cache"
        shutil.rmtree(cache_dir, ignore_errors=True)
        cold.append(timed(lint(folder, "--jobs", "1", "--cache-dir", str(cache_dir)), folder.parent)[0])
        warm.append(timed(lint(folder, "--jobs", "1", "--cache-dir", str(cache_dir)), folder.parent)[0])
    first, second = statistics.median(cold), statistics.median(warm)
    print(f"  first run {first:6.2f} s, second run {second:6.2f} s: {first / second:.1f}x faster")


def cache_binary(root: Path, copies: int, runs: int) -> None:
    folder = root / "binary"
    count = len(write_binary_batch(folder, copies))
    print(f"cache on {count} PDF and HTML files, --jobs 1 ({load()})")
    cold, warm = [], []
    for _ in range(runs):
        cache_dir = root / "binary-cache"
        shutil.rmtree(cache_dir, ignore_errors=True)
        cold.append(timed(lint(folder, "--jobs", "1", "--cache-dir", str(cache_dir)), root)[0])
        warm.append(timed(lint(folder, "--jobs", "1", "--cache-dir", str(cache_dir)), root)[0])
    first, second = statistics.median(cold), statistics.median(warm)
    print(f"  first run {first:6.2f} s, second run {second:6.2f} s: {first / second:.1f}x faster")


def dask(folder: Path, runs: int) -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("Dask: not installed (pip install 'nianbao[dask]'), skipped")
        return
    print(f"--executor dask on a LocalCluster of 2 workers, {sum(1 for _ in folder.rglob('*.txt'))} reports ({load()})")
    walls: dict[str, list[float]] = {"processes": [], "dask": []}
    for _ in range(runs):
        walls["processes"].append(timed(lint(folder, "--jobs", "2", "--no-cache"), folder.parent)[0])
        walls["dask"].append(timed(lint(folder, "--jobs", "2", "--no-cache", "--executor", "dask"), folder.parent)[0])
    local, cluster = statistics.median(walls["processes"]), statistics.median(walls["dask"])
    print(f"  --jobs 2: {local:6.2f} s; --executor dask --jobs 2: {cluster:6.2f} s; overhead {cluster - local:+.2f} s")


PARTS = ("throughput", "jobs", "cache", "dask")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parallel", type=int, default=2000, help="reports for the --jobs, cache and Dask figures")
    parser.add_argument("--binary-copies", type=int, default=20, help="copies of each PDF and HTML fixture")
    parser.add_argument("--only", choices=PARTS, nargs="+", default=PARTS, help="the figures to measure (default: all)")
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        root = Path(tmp)
        if "throughput" in args.only:
            throughput(root, args.sizes, args.runs)
        folder = root / f"parallel-{args.parallel}"
        if set(args.only) - {"throughput"}:
            write_batch(folder, args.parallel)
        if "jobs" in args.only:
            jobs(folder, args.runs)
        if "cache" in args.only:
            cache(folder, args.runs)
            cache_binary(root, args.binary_copies, args.runs)
        if "dask" in args.only and not args.no_dask:
            dask(folder, args.runs)


if __name__ == "__main__":
    main()
