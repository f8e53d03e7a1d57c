"""Who lints the files of a run: this process, or a pool of worker processes (``--jobs N``).

Every executor gives back one record per job in the order the jobs came, whatever order the work
finished in: output is byte-identical to a serial run. Files travel in chunks (a text report takes a
few milliseconds; sending it alone would cost as much), at most a few chunks ahead of the one the run
is waiting for, so memory stays bounded however many files there are.

A worker process that dies (a crash in a reading library, the system killing it for memory) takes
the files it was working on with it, but not the run: each of those files is linted again alone in
a fresh process, and the one that kills that process too is reported as NB05.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .engine import internal_finding

if TYPE_CHECKING:
    from .host import PluginHost
    from .lint import Linter, LintOptions
    from .records import FileRecord, FileTask

# Chunks sent ahead per worker: enough that no worker waits for the next, few enough to bound memory.
AHEAD = 3
MAX_CHUNK = 32
# How worker processes start: ``fork`` on Linux (the workers share the parent's loaded modules, plugins
# and rules, frozen out of the collector's way); ``spawn`` elsewhere (Windows has nothing else, and
# macOS libraries are not fork-safe), where each worker builds its own linter.
START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
CRASHED = "工作进程在检查这个文件时意外退出（可能是内存不足，或读取程序崩溃）"


@dataclass(slots=True)
class Job:
    """A file of the run on its way: the task, its cache key, and its record once known."""

    task: FileTask
    key: str | None = None
    record: FileRecord | None = None
    cached: bool = False  # the record came from the cache


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    """What a worker that did not fork from the run needs to build the same linter."""

    disabled: tuple[str, ...]
    options: LintOptions
    environment: str  # nianbao's and the plugins' versions: a worker with others would lint differently


def worker_spec(linter: Linter) -> WorkerSpec:
    from dataclasses import replace

    from .cache import environment

    # What only the run itself does (reading the configuration file named, baselines, --previous).
    options = replace(linter.options, config=None, baseline=None, write_baseline=None, previous=None)
    return WorkerSpec(tuple(sorted(linter.host.blocked)), options, environment(linter.host))


def crashed(task: FileTask) -> FileRecord:
    from .lint import FileResult
    from .records import FileRecord

    error = internal_finding(task.path, "读取和检查这个文件时", CRASHED)
    return FileRecord(task.path, FileResult(task.path, [], error=error))


class SerialExecutor:
    """Lint in this process, one file after the other."""

    def __init__(self, linter: Linter) -> None:
        self.linter = linter

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, FileRecord]]:
        for job in jobs:
            yield job, job.record if job.record is not None else self.linter.lint_task(job.task)


def chunk_size(total: int, workers: int) -> int:
    """Files per chunk: about eight chunks per worker, so that the last ones finish together."""
    return max(1, min(MAX_CHUNK, total // (workers * 8)))


class ChunkedExecutor:
    """Send chunks of files to workers and give the records back in order; subclasses submit."""

    crash_errors: tuple[type[BaseException], ...] = ()

    def __init__(self, workers: int, total: int) -> None:
        self.workers = workers
        self.chunk = chunk_size(total, workers)

    def _submit(self, tasks: list[FileTask]) -> Any:
        """A future (``done()``, ``result()``) of the records of ``tasks``."""
        raise NotImplementedError

    def _isolated(self, task: FileTask) -> FileRecord:
        """The record of a task that was in a chunk whose worker died, linted alone."""
        raise NotImplementedError

    def _broken(self, future: Any) -> None:
        """The workers that ran ``future`` died: the next submission needs new ones."""

    def _isolation_done(self) -> None:
        """The files of a dead worker's chunk have been linted one by one."""

    def close(self, wait: bool = True) -> None: ...

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, FileRecord]]:
        ahead = self.workers * AHEAD
        pending: deque[tuple[list[Job], list[FileTask], Any]] = deque()
        in_flight = 0
        finished = False
        try:
            chunk: list[Job] = []
            for job in jobs:
                chunk.append(job)
                if len(chunk) < self.chunk:
                    continue
                in_flight += self._queue(pending, chunk)
                chunk = []
                while pending and (in_flight >= ahead or pending[0][2] is None or pending[0][2].done()):
                    in_flight -= pending[0][2] is not None
                    yield from self._collect(*pending.popleft())
            if chunk:
                self._queue(pending, chunk)
            while pending:
                yield from self._collect(*pending.popleft())
            finished = True
        finally:
            for _, _, future in pending:
                if future is not None:
                    future.cancel()
            self.close(wait=finished)  # Ctrl-C or an error: do not wait for the files in progress

    def _queue(self, pending: deque[tuple[list[Job], list[FileTask], Any]], chunk: list[Job]) -> int:
        todo = [job.task for job in chunk if job.record is None]
        future = self._submit(todo) if todo else None
        pending.append((chunk, todo, future))
        return future is not None

    def _collect(self, chunk: list[Job], todo: list[FileTask], future: Any) -> Iterator[tuple[Job, FileRecord]]:
        records: Iterator[FileRecord] = iter(())
        if future is not None:
            try:
                records = iter(future.result())
            except self.crash_errors:
                self._broken(future)
                records = iter([self._isolated(task) for task in todo])
                self._isolation_done()
        for job in chunk:
            yield job, job.record if job.record is not None else next(records)


# ---------------------------------------------------------------------------------------- local processes

_worker: Linter | None = None


def _start_worker(spec: WorkerSpec | None) -> None:
    """In each worker process: the linter it lints with (inherited when forked, else built) and no
    reaction to Ctrl-C (the run itself stops the workers)."""
    import signal

    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _worker is None:
        assert spec is not None
        _worker = build_linter(spec)
    _worker.keep_documents = 0


def build_linter(spec: WorkerSpec, host: PluginHost | None = None) -> Linter:
    """The linter of a worker process, with the command line's collector policy (nianbao.gcpolicy)."""
    import gc

    from .gcpolicy import THRESHOLD
    from .host import create_host
    from .lint import Linter

    gc.set_threshold(*THRESHOLD)
    linter = Linter(host or create_host(disabled=spec.disabled), spec.options)
    linter.host.templates, linter.host.loaders  # noqa: B018 - built once, before the freeze
    gc.freeze()
    return linter


def lint_chunk(tasks: list[FileTask]) -> list[FileRecord]:
    assert _worker is not None
    return [_worker.lint_task(task) for task in tasks]


class ProcessExecutor(ChunkedExecutor):
    """``--jobs N``: a pool of N worker processes on this machine."""

    def __init__(self, linter: Linter, workers: int, total: int, start_method: str | None = None) -> None:
        from concurrent.futures.process import BrokenProcessPool

        super().__init__(workers, total)
        self.crash_errors = (BrokenProcessPool,)
        self.linter = linter
        self.method = start_method or START_METHOD
        self._pool: Any = None
        self._alone: Any = None

    def _new_pool(self, workers: int) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _worker
        context = multiprocessing.get_context(self.method)
        if self.method == "fork":
            # The run's own linter, frozen with everything else at start-up (see nianbao.gcpolicy):
            # forked workers share its pages instead of building their own.
            _worker = self.linter
            return ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(None,))
        return ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(worker_spec(self.linter),))

    def _submit(self, tasks: list[FileTask]) -> Any:
        if self._pool is None:
            self._pool = self._new_pool(self.workers)
        future = self._pool.submit(lint_chunk, tasks)
        future.pool = self._pool  # a chunk of a pool that died later is no reason to stop its successor
        return future

    def _broken(self, future: Any) -> None:
        # Waiting is short (the workers are dead) and leaves no thread of the old pool running when the
        # next one forks.
        if self._pool is not None and future.pool is self._pool:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _isolated(self, task: FileTask) -> FileRecord:
        if self._alone is None:
            self._alone = self._new_pool(1)
        try:
            return self._alone.submit(lint_chunk, [task]).result()[0]
        except self.crash_errors:
            self._alone.shutdown(wait=True)
            self._alone = None
            return crashed(task)

    def _isolation_done(self) -> None:
        if self._alone is not None:
            self._alone.shutdown(wait=True)
            self._alone = None

    def close(self, wait: bool = True) -> None:
        global _worker
        for pool in (self._pool, self._alone):
            if pool is not None:
                pool.shutdown(wait=wait, cancel_futures=True)
        self._pool = self._alone = None
        if _worker is self.linter:
            _worker = None


# ---------------------------------------------------------------------------------------- Dask workers

DASK_MISSING = '--executor dask 需要安装 Dask：pip install "nianbao[dask]"（或 pip install "dask[distributed]"）'
_dask_worker: tuple[WorkerSpec, Linter] | None = None


def dask_missing() -> str | None:
    """Why ``--executor dask`` cannot run here (Dask is not installed), or None. Imports nothing."""
    from importlib.util import find_spec

    return None if find_spec("distributed") is not None and find_spec("dask") is not None else DASK_MISSING


def dask_lint_chunk(spec: WorkerSpec, tasks: list[FileTask]) -> list[FileRecord]:
    """What a Dask worker runs: the chunk's records, with a linter built once per worker process from
    ``spec`` and checked to be the run's (same nianbao, same plugins)."""
    global _dask_worker
    if _dask_worker is None or _dask_worker[0] != spec:
        from .cache import environment
        from .host import create_host
        from .yamlerrors import ConfigError

        host = create_host(disabled=spec.disabled)
        mine = environment(host)
        if mine != spec.environment:
            raise ConfigError(
                "--scheduler",
                f"Dask 工作节点上的 nianbao 或插件与本机不同（本机：{spec.environment}；工作节点：{mine}）；"
                "请在每个工作节点上安装与本机相同版本的 nianbao 和插件",
            )
        _dask_worker = (spec, build_linter(spec, host))
        _dask_worker[1].keep_documents = 0
    linter = _dask_worker[1]
    return [linter.lint_task(task) for task in tasks]
