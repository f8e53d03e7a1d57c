"""The results cache: a second run over unchanged files reads none of them and prints the same, every
input that decides a result is in the key, and an entry nianbao did not write is never trusted."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nianbao.host import create_host
from nianbao.lint import Linter, LintOptions
from nianbao.outputs import RenderOptions, rendered

from .batch import make_batch


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    return make_batch(tmp_path)


def nb(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    return subprocess.run(
        [sys.executable, "-m", "nianbao", *args],
        capture_output=True,
        cwd=cwd,
        env={**base, "PYTHONIOENCODING": "utf-8", **(env or {})},
        timeout=300,
    )


class Counted:
    """Lint runs in this process with the cache in ``folder``, counting the files actually read."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        import nianbao.lint

        self.folder = folder
        self.reads: list[str] = []
        real = nianbao.lint.load_document

        def load_document(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            self.reads.append(Path(path).name)
            return real(path, *args, **kwargs)

        monkeypatch.setattr(nianbao.lint, "load_document", load_document)

    def run(self, paths: list[Path], **options: object) -> tuple[str, list[str]]:
        """The run's JSON and SARIF output, and the names of the files it read."""
        from nianbao.config import find_config

        self.reads = []
        find_config.cache_clear()  # a new process would look for configuration files afresh
        host = create_host(entry_points=False)
        settings: dict = {"cache": True, "cache_dir": str(self.folder), "hierarchy": True, **options}
        opts = LintOptions(**settings)
        run = Linter(host, opts).run([str(p) for p in paths])
        formats = {f.name: f for f in host.outputs}
        render = RenderOptions(root=str(paths[0].parent))
        text = "".join("".join(rendered(formats[name], run, False, render)) for name in ("json", "sarif", "junit"))
        return text, sorted(self.reads)


def entries(folder: Path) -> list[Path]:
    """Every entry: a file's record, or what the cross-document rules found in a pair or family."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.parent.parent.parent == folder)


def file_entries(folder: Path) -> list[Path]:
    return [p for p in entries(folder) if b'"skipped":' in p.read_bytes()]


def test_a_second_run_reads_no_file_and_prints_the_same(batch: Path, tmp_path: Path, monkeypatch) -> None:
    counted = Counted(tmp_path / "cache", monkeypatch)
    fresh, read = counted.run([batch], cache=False)
    assert len(read) == 15  # 14 reports and the README
    first, read = counted.run([batch])
    assert first == fresh and len(read) == 15
    # Cross-year and --hierarchy findings come back from the cached parts of each report.
    second, read = counted.run([batch])
    assert second == fresh and read == []
    assert "XY01" in second and "XY04" in second
    # The unreadable PDF (NB01) and the README (skipped) are cached like any result; so is what the
    # cross-document rules found in each pair and family.
    assert len(file_entries(tmp_path / "cache")) == 15 and len(entries(tmp_path / "cache")) == 15 + 4


def test_the_cache_folder_is_marked_and_ignored(batch: Path) -> None:
    done = nb("lint", "reports", cwd=batch.parent)
    assert done.returncode == 2  # the unreadable PDF
    cache = batch.parent / ".nianbao_cache"  # no git repository, no configuration: here
    assert (cache / "CACHEDIR.TAG").read_text("utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    assert (cache / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"
    assert len(file_entries(cache)) == 15
    # Its entries are never linted, even when --exclude replaces the default exclusions.
    shutil.copy(batch / "001_cabab7ad1985ba48.txt", cache / "stray.txt")
    walked = nb("lint", ".", "--no-cache", "--exclude", "nothing", "--format", "json", cwd=batch.parent)
    assert not any(".nianbao_cache" in f["path"] for f in json.loads(walked.stdout)["files"])


def test_the_cache_lives_at_the_project_root(batch: Path) -> None:
    (batch.parent / "pyproject.toml").write_text('[tool.nianbao]\nruleset = "auto"\n', "utf-8")
    nb("lint", ".", cwd=batch / "2021")
    assert entries(batch.parent / ".nianbao_cache") and not (batch / "2021" / ".nianbao_cache").exists()


def test_no_cache_and_the_environment_variable_write_nothing(batch: Path) -> None:
    nb("lint", "reports", "--no-cache", cwd=batch.parent)
    nb("lint", "reports", cwd=batch.parent, env={"NIANBAO_NO_CACHE": "1"})
    assert not (batch.parent / ".nianbao_cache").exists()
    nb("lint", "reports", cwd=batch.parent, env={"NIANBAO_CACHE_DIR": "elsewhere"})
    assert len(file_entries(batch.parent / "elsewhere")) == 15


def test_clean_and_clear_cache(batch: Path) -> None:
    cache = batch.parent / ".nianbao_cache"
    nb("lint", "reports", cwd=batch.parent)
    assert cache.exists()
    cleaned = nb("clean", cwd=batch.parent)
    assert cleaned.returncode == 0 and not cache.exists()
    assert cleaned.stdout.decode("utf-8") == f"已删除缓存目录 {cache}\n"
    assert nb("clean", cwd=batch.parent).stdout.decode("utf-8") == f"没有缓存目录 {cache}\n"
    nb("lint", "reports", cwd=batch.parent)
    (cache / "0.1.0" / "old-entry").write_text("x", "utf-8")
    nb("lint", "reports", "--clear-cache", cwd=batch.parent)
    assert not (cache / "0.1.0" / "old-entry").exists() and len(file_entries(cache)) == 15
    # A folder nianbao did not make is never removed, whatever --cache-dir names.
    (batch.parent / "mine").mkdir()
    refused = nb("clean", "--cache-dir", "mine", cwd=batch.parent)
    assert refused.returncode == 2 and (batch.parent / "mine").exists()
    assert "不是 nianbao 的缓存目录" in refused.stderr.decode("utf-8")


def test_every_input_of_a_result_is_in_its_key(batch: Path, tmp_path: Path, monkeypatch) -> None:
    counted = Counted(tmp_path / "cache", monkeypatch)
    counted.run([batch])
    # Other rule options: every file again.
    _, read = counted.run([batch], ignore=["TX01"])
    assert len(read) == 15
    # One file changed: that file only; a copy of a file under another name: none.
    report = batch / "001_cabab7ad1985ba48.txt"
    report.write_text(report.read_text("utf-8").replace("2020年，", "2020年度，", 1), "utf-8")
    shutil.copy(batch / "003_dd547b77e3c6f981.txt", batch / "copy-of-003.txt")
    text, read = counted.run([batch])
    assert read == ["001_cabab7ad1985ba48.txt"]
    assert text.count("copy-of-003.txt") > 0  # the copy's findings, at its own path
    # A configuration in force for some files: those files.
    (batch / "2021" / ".nianbao.yaml").write_text("ignore: [CT04]\n", "utf-8")
    _, read = counted.run([batch])
    assert read == ["hongze-district-2023.txt", "hongze-district-2024.txt", "huaian-city-2024.txt"]
    # A rule set given as a file: its content, not its name.
    mine = tmp_path / "mine.yaml"
    mine.write_text("name: mine\nextends: national\nignore: [TX04]\n", "utf-8")
    counted.run([batch / "2021"], ruleset=str(mine))
    assert counted.run([batch / "2021"], ruleset=str(mine))[1] == []
    mine.write_text("name: mine\nextends: national\nignore: [TX03]\n", "utf-8")
    assert len(counted.run([batch / "2021"], ruleset=str(mine))[1]) == 3


def _rewrite(entry: Path, payload: bytes) -> None:
    """A well-formed entry (header, its own key, the payload's checksum) around ``payload``."""
    head, key, _, _ = entry.read_bytes().split(b"\n", 3)
    entry.write_bytes(b"\n".join((head, key, hashlib.sha256(payload).hexdigest().encode(), payload)))


def test_an_extract_is_checked_when_read_not_when_its_record_is(batch: Path, tmp_path: Path, monkeypatch) -> None:
    """A warm run leaves a record's extract as text until a pair or family reads it: an extract that is
    not even JSON, in an entry that is otherwise whole, is found then, and its file linted again."""
    counted = Counted(tmp_path / "cache", monkeypatch)
    fresh, _ = counted.run([batch], cache=False)
    counted.run([batch])
    damaged = 0
    for entry in entries(tmp_path / "cache"):
        payload = entry.read_bytes().split(b"\n", 3)[3]
        if entry not in file_entries(tmp_path / "cache"):
            entry.unlink()  # what a pair or family found: without it, the extracts are read
        elif b',"extract":{' in payload:
            _rewrite(entry, payload.replace(b',"extract":{', b',"extract":{]', 1))
            damaged += 1
    assert damaged
    again, read = counted.run([batch])
    assert again == fresh and read and "NB05" not in again
    assert counted.run([batch]) == (fresh, [])


@pytest.mark.parametrize(
    "damage",
    [
        "garbage",
        "truncated",
        "payload altered",
        "another entry under this name",
        "a record nianbao would not write",
        "an extract nianbao would not write",
    ],
)
def test_an_entry_nianbao_did_not_write_is_ignored(batch: Path, tmp_path: Path, monkeypatch, damage: str) -> None:
    counted = Counted(tmp_path / "cache", monkeypatch)
    fresh, _ = counted.run([batch], cache=False)
    counted.run([batch])
    stored = entries(tmp_path / "cache")
    for n, entry in enumerate(stored):
        data = entry.read_bytes()
        if damage == "garbage":
            entry.write_bytes(os.urandom(len(data)))
        elif damage == "truncated":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "payload altered":
            entry.write_bytes(data.replace(b'"skipped"', b'"Skipped"'))
        elif damage == "another entry under this name":
            entry.write_bytes(stored[(n + 1) % len(stored)].read_bytes())
        elif entry in file_entries(tmp_path / "cache"):
            record = json.loads(data.split(b"\n", 3)[3])
            if damage == "a record nianbao would not write":
                record["result"] = record["result"] and {**record["result"], "findings": [["AR01", 1]]}
                record["skipped"] = record["skipped"] and 7
            elif record["extract"] is not None:
                record["extract"]["tables"] = {"t3": {"rows": "everything"}}
            _rewrite(entry, json.dumps(record, ensure_ascii=False).encode())
        elif damage == "an extract nianbao would not write":
            entry.unlink()  # what a pair or family found: without it, the extracts are read
    again, read = counted.run([batch])
    assert again == fresh
    if damage == "an extract nianbao would not write":
        # Checked when a pair or family reads it: the file of that entry is linted again.
        assert read and "NB05" not in again
    elif damage.startswith("a record"):
        assert len(read) == 15
    else:  # the pairs and the family too: their extracts are read again
        assert len(read) == 15
    # Rewritten: the next run reads nothing.
    assert counted.run([batch]) == (fresh, [])
