"""The nianbao program's cache of the code dataclasses generate (nianbao.codecache)."""

from __future__ import annotations

import dataclasses
import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nianbao import codecache
from nianbao.cli import main

SEED = sorted((Path(__file__).parent / "corpus").glob("0*.txt"))[0]

# Runs the program (cli.run, as the console script does) and reports what the cache did.
_PROGRAM = """
import contextlib, io, json, sys
from nianbao import cli, codecache
sys.argv = ["nianbao", *sys.argv[1:]]
out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
with contextlib.redirect_stdout(out):
    try:
        status = cli.run()
    except SystemExit as exc:  # --version
        status = exc.code
out.flush()
new = sum(1 for source in codecache._used if source not in codecache._cache)
report = {"status": status, "used": len(codecache._used), "new": new, "path": codecache.cache_path(),
          "output": out.buffer.getvalue().decode("utf-8")}
sys.__stdout__.write(json.dumps(report))
"""


def _program(tmp_path: Path, *args: str, write: bool = True) -> dict:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}  # never the source tree
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", _PROGRAM, *args], capture_output=True, text=True, env=env, cwd=tmp_path, check=True
    )
    return json.loads(done.stdout)


def test_the_second_run_compiles_no_dataclass_code_and_says_the_same(tmp_path: Path) -> None:
    first = _program(tmp_path, "lint", "--format", "json", str(SEED))
    assert first["used"] >= 40 and first["new"] == first["used"]
    assert Path(first["path"]).is_file()
    assert Path(first["path"]).is_relative_to(tmp_path / "pycache")
    second = _program(tmp_path, "lint", "--format", "json", str(SEED))
    assert second["new"] == 0 and second["used"] == first["used"]
    assert second["status"] == first["status"] == 1
    assert second["output"] == first["output"]


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path: Path) -> None:
    found = _program(tmp_path, "lint", str(SEED), write=False)
    assert found["new"] > 0
    assert not Path(found["path"]).exists()


@pytest.mark.parametrize("content", [b"", b"not marshal", marshal.dumps({"x": 1}), b"\0\0\0\0" + marshal.dumps({})])
def test_a_damaged_or_foreign_cache_file_is_ignored_and_replaced(tmp_path: Path, content: bytes) -> None:
    path = Path(_program(tmp_path, "--version")["path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    found = _program(tmp_path, "lint", str(SEED))
    assert found["status"] == 1 and found["new"] == found["used"] > 0
    assert path.read_bytes().startswith(codecache.MAGIC_NUMBER)


def test_cached_code_builds_the_same_class_as_compiled_code() -> None:
    def record() -> type:
        @dataclasses.dataclass(frozen=True, slots=True)
        class Record:
            """A record."""

            name: str
            values: tuple[int, ...] = ()
            note: str | None = None

        return Record

    import builtins

    sources: list[str] = []
    original = dataclasses.__dict__.get("exec")
    dataclasses.exec = lambda source, *args: (sources.append(source), builtins.exec(source, *args))[1]
    try:
        compiled = record()
        codecache._cache.update(
            {s: marshal.loads(marshal.dumps(compile(s, "<string>", "exec", dont_inherit=True))) for s in sources}
        )
        dataclasses.exec = codecache._exec
        cached = record()
    finally:
        if original is None:
            del dataclasses.exec
        else:
            dataclasses.exec = original
        codecache._cache.clear()
        codecache._used.clear()
    for method in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        assert getattr(cached, method).__code__.co_code == getattr(compiled, method).__code__.co_code, method
    a, b = cached("x", (1, 2)), compiled("x", (1, 2))
    assert repr(a) == repr(b).replace(compiled.__qualname__, cached.__qualname__)
    assert a == cached("x", (1, 2)) and hash(a) == hash(cached("x", (1, 2))) and a.note is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "y"  # type: ignore[misc]


def test_nianbao_as_a_library_leaves_dataclasses_alone(capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", str(SEED)])
    capsys.readouterr()
    assert "exec" not in vars(dataclasses)
