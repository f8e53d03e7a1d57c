"""--executor dask on a LocalCluster: the serial run's output byte for byte, and a clear message where
Dask is not installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .batch import make_batch

pytest.importorskip("distributed")  # the test extra installs it; CI always runs these

WITHOUT_DASK = (
    "import sys\n"
    "sys.modules['distributed'] = sys.modules['dask'] = None  # as if not installed\n"
    "from nianbao.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def nb(*args: str, cwd: Path, script: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "nianbao"]
    return subprocess.run(
        [*command, *args], capture_output=True, cwd=cwd, env={**env, "PYTHONIOENCODING": "utf-8"}, timeout=600
    )


def test_a_local_cluster_gives_the_serial_output(tmp_path: Path) -> None:
    batch = make_batch(tmp_path)
    common = [
        "lint",
        "reports",
        "--no-cache",
        "--hierarchy",
        "--format",
        "json",
        "--format",
        "sarif",
        "-o",
        "out.sarif",
    ]
    serial = nb(*common, "--jobs", "1", cwd=batch.parent)
    sarif = (batch.parent / "out.sarif").read_bytes()
    dask = nb(*common, "--executor", "dask", "--jobs", "2", cwd=batch.parent)
    assert dask.stdout == serial.stdout and b'"XY04"' in dask.stdout and b'"NB01"' in dask.stdout
    assert (batch.parent / "out.sarif").read_bytes() == sarif
    assert (dask.returncode, dask.stderr) == (serial.returncode, serial.stderr)


def test_without_dask_a_clear_message(tmp_path: Path) -> None:
    batch = make_batch(tmp_path)
    done = nb("lint", "reports", "--executor", "dask", cwd=batch.parent, script=WITHOUT_DASK)
    assert done.returncode == 2
    assert done.stderr.decode("utf-8") == (
        'nianbao: 错误: --executor dask 需要安装 Dask：pip install "nianbao[dask]"（或 pip install "dask[distributed]"）\n'
    )


def test_a_scheduler_needs_the_dask_executor(tmp_path: Path) -> None:
    done = nb("lint", ".", "--scheduler", "tcp://127.0.0.1:8786", cwd=tmp_path)
    assert done.returncode == 2 and "--scheduler 需要同时给出 --executor dask" in done.stderr.decode("utf-8")


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    batch = make_batch(tmp_path)
    done = nb(
        "lint", "reports", "--no-cache", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", cwd=batch.parent
    )
    assert done.returncode == 2
    assert "无法连接 Dask 调度器 tcp://127.0.0.1:9" in done.stderr.decode("utf-8")


def test_a_worker_with_other_versions_stops_the_run() -> None:
    from nianbao.executors import WorkerSpec, dask_lint_chunk
    from nianbao.lint import LintOptions
    from nianbao.yamlerrors import ConfigError

    spec = WorkerSpec((), LintOptions(), "nianbao 0.0.1; python 3.9; plugins formats=builtin")
    with pytest.raises(ConfigError) as raised:
        dask_lint_chunk(spec, [])
    assert "Dask 工作节点上的 nianbao 或插件与本机不同（本机：nianbao 0.0.1" in raised.value.message
