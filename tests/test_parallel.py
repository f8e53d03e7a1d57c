"""--jobs, the result store and streamed outputs: a batch linted by worker processes, or kept on disk,
gives byte for byte what a serial run in memory gives, and a worker that dies costs one file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nianbao.host import create_host
from nianbao.lint import MIN_PARALLEL_FILES, Linter, LintOptions
from nianbao.outputs import RenderOptions, rendered

from .batch import make_batch

FORMATS = ("json", "json-lines", "sarif", "junit", "html", "csv", "gitlab", "github")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_batch(tmp_path_factory.mktemp("batch"))


def nb(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "nianbao", *args],
        capture_output=True,
        cwd=cwd,
        env={**env, "PYTHONIOENCODING": "utf-8"},
        timeout=300,
    )


def outputs(batch: Path, *options: str) -> tuple[dict[str, bytes], subprocess.CompletedProcess]:
    """Every output format of one run over the batch, and the run (console on standard output)."""
    args = ["lint", "reports", "--no-cache", "--hierarchy", "--format", "console"]
    for name in FORMATS:
        args += ["--format", name, "--output", f"out-{'-'.join(options)}.{name}"]
    done = nb(*args, *options, cwd=batch.parent)
    texts = {name: (batch.parent / f"out-{'-'.join(options)}.{name}").read_bytes() for name in FORMATS}
    return texts, done


def test_the_batch_has_what_the_tests_need(batch: Path) -> None:
    texts, done = outputs(batch, "--jobs", "1")
    assert done.returncode == 2  # the unreadable PDF
    files = json.loads(texts["json"])["files"]
    assert len(files) >= MIN_PARALLEL_FILES  # enough for worker processes
    codes = {f["path"].rsplit("/", 1)[-1]: {x["code"] for x in f["findings"]} for f in files}
    assert "XY01" in codes["000_98b392332e9fbc59.txt"]  # a cross-year pair ...
    assert "XY04" in codes["yubei-government.txt"]  # ... and a family, across worker processes
    assert [f["error"]["code"] for f in files if f["error"]] == ["NB01"]
    assert "  reports/README.txt：文件可以读取，但看不出是" in done.stdout.decode("utf-8")  # skipped: no report


def test_jobs_give_the_serial_output_byte_for_byte(batch: Path) -> None:
    serial, one = outputs(batch, "--jobs", "1")
    parallel, two = outputs(batch, "--jobs", "3")
    for name in FORMATS:
        assert parallel[name] == serial[name], name
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)


def _run(batch: Path, on_disk: bool = False, **options: object) -> dict[str, str]:
    host = create_host(entry_points=False)
    run = Linter(host, LintOptions(hierarchy=True, **options)).run([str(batch)])  # type: ignore[arg-type]
    assert run.results.in_memory is not on_disk  # type: ignore[attr-defined]
    render = RenderOptions(root=str(batch.parent))
    formats = {f.name: f for f in host.outputs}
    return {name: "".join(rendered(formats[name], run, False, render)) for name in (*FORMATS, "console")}


def test_workers_started_by_spawn_build_the_same_linter(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows and macOS start workers afresh (no fork): each builds its linter from the run's options."""
    import nianbao.executors

    serial = _run(batch)
    monkeypatch.setattr(nianbao.executors, "START_METHOD", "spawn")
    assert _run(batch, jobs=2) == serial


def test_results_kept_on_disk_render_as_in_memory(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past IN_MEMORY results a run keeps them in a temporary file and outputs read them back."""
    import nianbao.store

    in_memory = _run(batch)
    monkeypatch.setattr(nianbao.store, "IN_MEMORY", 3)
    assert _run(batch, on_disk=True) == in_memory


@pytest.mark.skipif(sys.platform != "linux", reason="the loader is replaced in the parent and forked into the workers")
def test_a_worker_that_dies_costs_only_its_file(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    host = create_host(entry_points=False)
    text_loader = next(x for x in host.loaders if x.name == "text")
    real_load = text_loader.load

    def load(data, source, context):  # noqa: ANN001, ANN202
        if source.path.endswith("002_3dc16392cc7dc7e9.txt"):
            os._exit(7)  # a crash in a C library, or the kernel's OOM killer
        return real_load(data, source, context)

    monkeypatch.setattr(text_loader, "load", load)
    run = Linter(host, LintOptions(jobs=2)).run([str(batch)])
    errors = {Path(r.path).name: r.error for r in run.results if r.error}
    assert set(errors) == {"002_3dc16392cc7dc7e9.txt", "corrupt.pdf"}
    crash = errors["002_3dc16392cc7dc7e9.txt"]
    assert crash.code == "NB05" and "工作进程在检查这个文件时意外退出" in crash.message
    assert len(run.results) == 14 and all(r.meta.get("report_year") for r in run.results if not r.error)
    assert run.exit_code() == 2


def test_json_lines_hold_the_files_of_the_json_output(batch: Path) -> None:
    texts, _ = outputs(batch, "--jobs", "1")
    lines = texts["json-lines"].decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(texts["json"])["files"]


def test_jobs_must_be_a_positive_number(batch: Path) -> None:
    done = nb("lint", "reports", "--jobs", "0", cwd=batch.parent)
    assert done.returncode == 2
    assert "参数 -j/--jobs：需要一个正整数，而不是 “0”" in done.stderr.decode("utf-8")
