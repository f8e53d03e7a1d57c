"""Long fuzzing runs: mutated real reports through the whole ``nianbao lint`` pipeline.

    python benchmarks/fuzz.py [--executions N] [--jobs J] [--seed S] [--out DIR] [--timeout SEC]

Each worker process lints mutated inputs in process (every loader, every rule, every output format);
the parent watches the clock and the memory. A failure is one of

- ``traceback:<type>`` — an exception escaped the pipeline (the user would see a traceback);
- ``internal:<type>``  — nianbao caught its own bug (NB05, a rule that raised);
- ``slow``             — one input took more than --timeout seconds (default 10) of CPU time (CPU, not
  wall time: the machine is shared, and waiting for a core is not slowness of nianbao);
- ``hang``             — no answer after three times that of CPU (or twenty times of wall): killed;
- ``stderr-leak``      — a warning or log line that would reach the user's stderr;
- ``memory``           — the worker's peak RSS passed --max-rss-mb (default 1024), or it ran out of
  its address space (MemoryError or killed).

Every failing input is saved in --out (default ``fuzz-failures/``) as ``<class>-<n><suffix>`` with a
``.txt`` beside it saying which seed and mutators made it and what happened. Prints executions,
failures by class and wall time at the end (and every --report seconds). Workers run at the lowest
priority; the machine is shared. Not a test: tests/test_fuzz.py is the bounded version CI runs.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import re
import resource
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzzing import Pipeline, Seed, mutate, pick_seed, seeds  # noqa: E402

CHEAP_FORMATS = {"console", "json"}
_EXCEPTION = re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception)\b")


def _worker(conn, seed_list: list[Seed], max_as: int) -> None:  # noqa: ANN001 - a multiprocessing Connection
    os.nice(19)
    if max_as:
        resource.setrlimit(resource.RLIMIT_AS, (max_as, max_as))
    pipeline = Pipeline()
    while True:
        job = conn.recv()
        if job is None:
            return
        index, rng_seed = job
        rng = random.Random(rng_seed)
        seed = pick_seed(seed_list, rng)
        try:
            data, mutators = mutate(seed, rng)
        except Exception:  # noqa: BLE001 - the fuzzer's own bug, not nianbao's: lint the seed as it is
            data, mutators = seed.data, ["mutator-failed: " + traceback.format_exc(limit=-1).strip()]
        conn.send(("start", index, seed.name, seed.suffix, mutators, data))
        start = _own_cpu()
        failure = detail = ""
        try:
            # Every output format for every eighth input (SARIF alone costs half a text report's lint: its
            # rule descriptors), the console and JSON for all.
            outcome = pipeline.run(data, seed.suffix, None if index % 8 == 0 else CHEAP_FORMATS)
            if outcome.internal:
                m = _EXCEPTION.search(outcome.internal[0])
                failure = "internal:" + (m.group(0) if m else "other")
                detail = "\n".join(outcome.internal)
            elif outcome.exit_code not in (0, 1, 2):
                failure, detail = "exit-code", str(outcome.exit_code)
            elif outcome.leaks:
                failure, detail = "stderr-leak", "\n".join(outcome.leaks)
        except MemoryError:
            failure, detail = "memory", traceback.format_exc()
        except BaseException as exc:  # noqa: BLE001 - everything that escaped is what we look for
            failure, detail = f"traceback:{type(exc).__name__}", traceback.format_exc()
        seconds = _own_cpu() - start
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        conn.send(("done", index, failure, detail, seconds, rss_mb))
        if failure == "memory":
            return  # start afresh: the peak RSS of this process would taint every later input


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_of(pid: int) -> float | None:
    """CPU seconds a process has used (Linux /proc), or None where that cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class _Slot:
    """One worker process and the input it is on."""

    def __init__(self, seed_list: list[Seed], max_as: int) -> None:
        self.parent, child = mp.Pipe()
        self.proc = mp.Process(target=_worker, args=(child, seed_list, max_as), daemon=True)
        self.proc.start()
        self.current: tuple | None = None  # (index, seed, suffix, mutators, data, started)
        self.sent_at: float | None = None  # when the job in hand was sent (None: none in hand)
        self.cpu_at_send: float | None = None  # the worker's CPU seconds then

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--executions", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0, help="first random seed (input i uses seed + i)")
    ap.add_argument("--out", default="fuzz-failures")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--max-rss-mb", type=float, default=1024)
    ap.add_argument("--report", type=float, default=60.0, help="print progress every this many seconds")
    args = ap.parse_args()

    started = time.time()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    seed_list = seeds()
    # Address space well above the RSS bound (shared libraries are mapped, not resident), so a runaway
    # input dies here instead of taking the machine's memory from everyone else.
    max_as = int(args.max_rss_mb * 4 * 1024 * 1024)
    slots = [_Slot(seed_list, max_as) for _ in range(args.jobs)]
    failures: Counter[str] = Counter()
    by_format: Counter[str] = Counter()
    done = 0
    sent = 0
    last_report = time.time()
    slowest = (0.0, "")
    peak_rss = 0.0

    def save(kind: str, current: tuple, detail: str) -> None:
        index, seed_name, suffix, mutators, data, _ = current
        stem = out / f"{kind.replace(':', '-')}-{args.seed + index}"
        stem.with_suffix(suffix).write_bytes(data)
        stem.with_suffix(suffix + ".txt").write_text(
            f"class: {kind}\nseed file: {seed_name}\nrandom seed: {args.seed + index}\nmutators: {', '.join(mutators)}\n\n{detail}\n",
            encoding="utf-8",
        )

    def feed(slot: _Slot) -> None:
        nonlocal sent
        if sent < args.executions:
            slot.parent.send((sent, args.seed + sent))
            slot.sent_at = time.time()
            slot.cpu_at_send = _cpu_of(slot.proc.pid)
            sent += 1
        else:
            slot.sent_at = None
            slot.parent.send(None)

    for slot in slots:
        feed(slot)
    while done < args.executions:
        for i, slot in enumerate(slots):
            if slot.sent_at is None and sent < args.executions and not slot.proc.is_alive() and not slot.parent.poll():
                slots[i] = slot = _Slot(seed_list, max_as)
                feed(slot)
            if slot.parent.poll(0.05):
                try:
                    msg = slot.parent.recv()
                except EOFError:  # the worker died (out of address space, or killed by the kernel)
                    if slot.sent_at is not None:
                        failures["memory"] += 1
                        if slot.current is not None:
                            save("memory", slot.current, "the worker process died")
                        done += 1
                    slot.kill()
                    slots[i] = slot = _Slot(seed_list, max_as)
                    feed(slot)
                    continue
                if msg[0] == "start":
                    slot.current = (*msg[1:], time.time())
                    continue
                _, index, failure, detail, seconds, rss_mb = msg
                current = slot.current
                assert current is not None
                by_format[current[2]] += 1
                peak_rss = max(peak_rss, rss_mb)
                if seconds > slowest[0]:
                    slowest = (seconds, f"{current[1]} {'+'.join(current[3])}")
                if not failure and seconds > args.timeout:
                    failure, detail = "slow", f"{seconds:.1f} s"
                if not failure and rss_mb > args.max_rss_mb:
                    failure, detail = "memory", f"peak RSS {rss_mb:.0f} MB"
                if failure:
                    failures[failure] += 1
                    save(failure, current, detail)
                done += 1
                slot.current = None
                if failure == "memory":
                    slot.kill()
                    slots[i] = slot = _Slot(seed_list, max_as)
                feed(slot)
            elif slot.sent_at is not None and _stuck(slot, args.timeout):
                failures["hang"] += 1
                if slot.current is not None:
                    save("hang", slot.current, f"no answer after {time.time() - slot.sent_at:.0f} s")
                done += 1
                slot.kill()
                slots[i] = slot = _Slot(seed_list, max_as)
                feed(slot)
        if time.time() - last_report > args.report:
            last_report = time.time()
            _print(done, failures, by_format, time.time() - started, slowest, peak_rss)
    for slot in slots:
        slot.kill()
    _print(done, failures, by_format, time.time() - started, slowest, peak_rss)


def _stuck(slot: _Slot, timeout: float) -> bool:
    """A hang: three times the time limit of CPU spent on one input, or twenty times it of wall time
    (the machine is shared: waiting for a core is not a hang)."""
    assert slot.sent_at is not None
    now = _cpu_of(slot.proc.pid)
    if now is not None and slot.cpu_at_send is not None and now - slot.cpu_at_send > 3 * timeout:
        return True
    return time.time() - slot.sent_at > 20 * timeout


def _print(done: int, failures: Counter, by_format: Counter, wall: float, slowest: tuple, peak: float) -> None:
    formats = ", ".join(f"{k} {v}" for k, v in sorted(by_format.items()))
    print(f"executions: {done} ({formats}); wall time {wall:.0f} s; {done / max(wall, 1e-9):.1f}/s")
    print(f"  slowest input: {slowest[0]:.2f} s of CPU ({slowest[1]}); peak worker RSS {peak:.0f} MB")
    if not failures:
        print("  failures: none")
    for kind, n in sorted(failures.items()):
        print(f"  {kind}: {n}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
