"""``--executor dask``: the files of a run linted on a Dask cluster (issue 13: a national crawl of
100,000 reports outgrows one machine).

With ``--scheduler ADDRESS`` the run joins an existing cluster; otherwise it starts a ``LocalCluster``
of ``--jobs`` worker processes on this machine, and stops it at the end. The run reads each file here
and sends its bytes with the task, so the workers need not see this machine's files; the
configuration in force for each file travels with it too. Every worker must have the same nianbao
and plugins installed (checked: a worker with other versions stops the run). Records come back in
file order: the output is byte for byte that of a serial run.

Dask is an optional extra (``pip install "nianbao[dask]"``); this module is imported only by a run
that asks for it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .executors import ChunkedExecutor, crashed, dask_lint_chunk, worker_spec

if TYPE_CHECKING:
    from .lint import Linter
    from .records import FileRecord, FileTask


class DaskExecutor(ChunkedExecutor):
    def __init__(self, linter: Linter, workers: int, scheduler: str | None, total: int) -> None:
        from distributed.scheduler import KilledWorker

        super().__init__(workers, total)
        self.crash_errors = (KilledWorker,)
        self.scheduler = scheduler
        self.spec = worker_spec(linter)
        self._client: Any = None
        self._cluster: Any = None

    def _connect(self) -> Any:
        """The client, on first use: a run whose files all come from the cache starts no cluster."""
        if self._client is None:
            from distributed import Client, LocalCluster

            if self.scheduler:
                try:
                    self._client = Client(self.scheduler, timeout="10s")
                except (OSError, TimeoutError) as exc:
                    from .yamlerrors import ConfigError

                    raise ConfigError("--scheduler", f"无法连接 Dask 调度器 {self.scheduler}：{exc}") from None
                self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
            else:
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,  # the rules are pure Python: one file per process at a time
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self._client = Client(self._cluster)
        return self._client

    def _submit(self, tasks: list[FileTask]) -> Any:
        return self._connect().submit(dask_lint_chunk, self.spec, tasks, pure=False)

    def _isolated(self, task: FileTask) -> FileRecord:
        try:
            return self._connect().submit(dask_lint_chunk, self.spec, [task], pure=False).result()[0]
        except self.crash_errors:
            return crashed(task)

    def close(self, wait: bool = True) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None
