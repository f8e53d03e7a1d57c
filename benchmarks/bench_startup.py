"""Start-up: wall time of short commands over ``python -c pass`` from the same interpreter, how many
modules each loads, what their imports cost, and what the command line's garbage-collection policy
(nianbao.gcpolicy) changes in a batch. Prints figures; not a test.

Run it with the interpreter of a regular (non-editable) install, so that every module is read from
its byte-compiled file as on a user's machine:

    python -m venv /tmp/nb && /tmp/nb/bin/python -m pip install . && /tmp/nb/bin/python benchmarks/bench_startup.py

Each round runs ``python -c pass`` and every command once, in turn, so a colleague's job slows them
alike; the ratio is of the medians. CPU time (user + system of the child) is printed beside the wall
time: on a shared machine it moves less than wall time does.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import command_env

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "corpus").glob("0*.txt"))
ONE_REPORT = SEEDS[1]
# The console script's own imports, then the number of modules loaded when the command ends.
COUNT_MODULES = (
    "import atexit, re, sys\n"
    "atexit.register(lambda: sys.__stderr__.write(f'MODULES {len(sys.modules)}\\n'))\n"
    "sys.argv = ['nianbao', *sys.argv[1:]]\n"
    "from nianbao.cli import run\n"
    "sys.exit(run())\n"
)
# A batch lint with the interpreter's default collector settings (DEFAULT) or nianbao's, counting
# collections and the time spent in them.
BATCH_GC = """
import gc, sys, time
import nianbao.cli as cli, nianbao.gcpolicy as policy
if sys.argv[1] == "default":
    policy.THRESHOLD = gc.get_threshold()
    cli.startup_done = cli.process_exit = lambda: None
runs, spent, started = [0], [0.0], [0.0]
def count(phase, info):
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        runs[0] += 1
        spent[0] += time.perf_counter() - started[0]
gc.callbacks.append(count)
sys.argv = ["nianbao", "lint", sys.argv[2]]
try:
    cli.run()
finally:
    sys.stderr.write(f"GC {runs[0]} {spent[0] * 1000:.1f}\\n")
"""
_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def nianbao_command() -> list[str]:
    """The console script next to this interpreter (what users run), else ``python -m nianbao``."""
    script = Path(sys.executable).with_name("nianbao.exe" if os.name == "nt" else "nianbao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nianbao"]


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) milliseconds of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    proc.returncode = 0  # reaped by wait4
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def ratios(commands: dict[str, list[str]], runs: int) -> None:
    env = command_env()
    bare = [sys.executable, "-c", "pass"]
    for cmd in (bare, *commands.values()):  # warm the page cache
        _run(cmd, env)
    walls: dict[str, list[float]] = {name: [] for name in ("python -c pass", *commands)}
    cpus: dict[str, list[float]] = {name: [] for name in walls}
    for _ in range(runs):
        for name, cmd in (("python -c pass", bare), *commands.items()):
            wall, cpu = _run(cmd, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    base_wall = statistics.median(walls["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    print(f"start-up, medians of {runs} interleaved runs ({sys.executable})")
    for name in walls:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"  {name:32} wall {wall:6.1f} ms  x{wall / base_wall:4.1f}    cpu {cpu:6.1f} ms  x{cpu / base_cpu:4.1f}")


def module_counts(commands: dict[str, list[str]]) -> None:
    env = command_env()
    bare = subprocess.run(
        [sys.executable, "-c", "import sys; print(len(sys.modules))"], capture_output=True, text=True, env=env
    )
    print(f"modules loaded: bare interpreter {bare.stdout.strip()}", end="")
    for name, cmd in commands.items():
        args = cmd[1:] if cmd[0] != sys.executable else cmd[3:]
        out = subprocess.run([sys.executable, "-c", COUNT_MODULES, *args], capture_output=True, text=True, env=env)
        found = re.search(r"MODULES (\d+)", out.stderr)
        print(f", {name} {found.group(1) if found else '?'}", end="")
    print()


def import_costs(args: list[str], runs: int, top: int) -> None:
    """Median self and cumulative import time per module under ``-X importtime`` (modules imported
    with ``importlib.import_module`` are not reported by CPython, only what they import)."""
    env = command_env()
    own: dict[str, list[int]] = {}
    cumulative: dict[str, list[int]] = {}
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "nianbao", *args], capture_output=True, text=True, env=env
        )
        for match in _IMPORTTIME.finditer(out.stderr):
            own.setdefault(match[4], []).append(int(match[1]))
            cumulative.setdefault(match[4], []).append(int(match[2]))
    total = sum(statistics.median(v) for v in own.values()) / 1000
    print(
        f"imports of nianbao {' '.join(args)}: {len(own)} modules, {total:.1f} ms in all (-X importtime, {runs} runs)"
    )
    print(f"  top {top} by cumulative time (ms, median)        self     cumulative")
    ranked = sorted(cumulative, key=lambda m: -statistics.median(cumulative[m]))
    for module in ranked[:top]:
        print(
            f"  {module:44} {statistics.median(own[module]) / 1000:6.1f} "
            f"{statistics.median(cumulative[module]) / 1000:10.1f}"
        )


def batch_gc(copies: int, runs: int) -> None:
    """Lint every seed ``copies`` times in one run, with the default collector settings and with
    nianbao's: wall time of the whole run, and the collections and the time they took."""
    env = command_env()
    with tempfile.TemporaryDirectory() as folder:
        for n in range(copies):
            for seed in SEEDS:
                shutil.copy(seed, Path(folder) / f"{seed.stem}_{n}.txt")
        figures: dict[str, list[tuple[float, int, float]]] = {"default": [], "nianbao": []}
        for _ in range(runs):
            for policy in figures:
                start = time.perf_counter()
                proc = subprocess.Popen(
                    [sys.executable, "-c", BATCH_GC, policy, folder],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    env=env,
                    text=True,
                )
                _, err = proc.communicate()
                wall = (time.perf_counter() - start) * 1000
                found = re.search(r"GC (\d+) ([\d.]+)", err)
                figures[policy].append((wall, int(found[1]), float(found[2])) if found else (wall, 0, 0.0))
    print(f"garbage collection, lint of {copies * len(SEEDS)} reports in one run (medians of {runs})")
    for policy, rows in figures.items():
        wall = statistics.median(r[0] for r in rows)
        print(
            f"  {policy:8} collector settings: wall {wall:7.0f} ms, {statistics.median(r[1] for r in rows):5.0f} "
            f"collections taking {statistics.median(r[2] for r in rows):6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--batch", type=int, default=40, help="copies of each seed for the GC figures (0: skip)")
    args = parser.parse_args()
    nianbao = nianbao_command()
    commands = {
        f"nianbao lint {ONE_REPORT.name[:3]}.txt": [*nianbao, "lint", str(ONE_REPORT)],
        "nianbao --version": [*nianbao, "--version"],
        "nianbao rules": [*nianbao, "rules"],
    }
    ratios(commands, args.runs)
    module_counts(commands)
    import_costs(["lint", str(ONE_REPORT)], max(5, args.runs // 3), args.top)
    if args.batch:
        batch_gc(args.batch, max(3, args.runs // 7))


if __name__ == "__main__":
    main()
