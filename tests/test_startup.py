"""Start-up: what a plain lint imports, and the command line's garbage-collection policy.

Speed itself is measured by benchmarks/bench_startup.py; these tests keep the structure that makes
start-up fast from eroding: each module below costs a plain lint of one text report time for nothing.
"""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nianbao.cli import main

SEED = sorted((Path(__file__).parent / "corpus").glob("0*.txt"))[1]

# Not needed to lint a text report to the console. The cross-year and hierarchy rules themselves do
# load: their metadata belongs to every run's rule catalogue (selection, the rule list of SARIF and
# JUnit), but what they need to compare reports (nianbao.grouping, the shingle pattern) does not.
NOT_FOR_A_PLAIN_LINT = {
    "yaml": "packaged YAML is read from its built JSON form",
    "jsonschema": "only rule sets and configuration from users are validated",
    "pluggy": "built-in plugins are called directly; pluggy comes with a third-party plugin",
    "nianbao.hookspecs": "imported with pluggy",
    "importlib.resources": "package data is found from the module's path",
    "zipfile": "DOCX only",
    "tempfile": "writing an output file only",
    "pathlib": "plain os.path on the way of a lint",
    "tomllib": "only a pyproject.toml with a [tool.nianbao] table is parsed",
    "lxml": "HTML and DOCX only",
    "rich": "colour on a terminal only",
    "opencc": "traditional characters only",
    "pypdfium2": "PDF only",
    "pdfplumber": "PDF only",
    "pdfminer": "PDF only",
    "nianbao.baseline": "--baseline / --write-baseline only",
    "nianbao.grouping": "several reports, --previous or --hierarchy only",
    "nianbao.schema": "canonical JSON input or parse --validate only",
    "nianbao.docs": "explain, rules --format markdown and SARIF only",
    "nianbao.plugins.emitters.json_report": "--format json only",
    "nianbao.plugins.emitters.sarif": "--format sarif only",
    "nianbao.plugins.emitters.junit": "--format junit only",
    "nianbao.plugins.emitters.gitlab": "--format gitlab only",
    "nianbao.plugins.emitters.github": "--format github only",
    "nianbao.plugins.html.reader": "HTML only",
    "nianbao.plugins.docx.reader": "DOCX only",
    "nianbao.plugins.pdf.reader": "PDF only",
    "multiprocessing": "--jobs with a batch of files only",
    "concurrent.futures": "--jobs with a batch of files only",
    "nianbao.executors": "a batch of files (--jobs, the cache) or --executor dask only",
    "dask": "--executor dask only",
    "distributed": "--executor dask only",
    "nianbao.dask_executor": "--executor dask only",
    "nianbao.cache": "the cache serves batches of several files only",
    "pickle": "results kept on disk (a batch of more than nianbao.store.IN_MEMORY files) only",
    "nianbao.progress": "a batch on a terminal only",
    "shutil": "the terminal's width on a terminal only (argparse's width is found without it)",
    "traceback": "a rule that raised only",
    "textwrap": "imported with traceback",
    "nianbao.plugins.assembler.from_grid": "tables with cells (HTML, Word, PDF, markdown pipes) only",
}

_RUN = """
import contextlib, dataclasses, io, json, sys
bare = set(sys.modules)
from nianbao.cli import main
with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):
    try:
        status = main(sys.argv[1:])
    except SystemExit as exc:
        status = exc.code
undocumented = sorted(
    f"{v.__module__}.{v.__qualname__}"
    for name, module in list(sys.modules.items()) if name.startswith("nianbao")
    for v in vars(module).values()
    if isinstance(v, type) and dataclasses.is_dataclass(v) and v.__module__ == name
    and (v.__doc__ or "").startswith(v.__name__ + "(")
)
print(json.dumps({"status": status, "modules": sorted(set(sys.modules) - bare), "undocumented": undocumented}))
"""


def _run(*args: str, cwd: Path) -> dict:
    """Run the command in a fresh interpreter: its exit status, the modules it imported (beyond what the
    interpreter had loaded before it, such as an editable install's finder) and undocumented dataclasses."""
    out = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True, text=True, cwd=cwd, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def plain_lint(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A report in a project whose pyproject.toml has no nianbao table, linted to the console."""
    project = tmp_path_factory.mktemp("project")
    (project / "pyproject.toml").write_text('[project]\nname = "reports"\n', "utf-8")
    shutil.copy(SEED, project / "report.txt")
    return _run("lint", "report.txt", cwd=project)


def test_a_plain_lint_works(plain_lint: dict) -> None:
    assert plain_lint["status"] == 1  # the seed has findings


@pytest.mark.parametrize("module", sorted(NOT_FOR_A_PLAIN_LINT))
def test_a_plain_lint_does_not_import(plain_lint: dict, module: str) -> None:
    assert module not in plain_lint["modules"], NOT_FOR_A_PLAIN_LINT[module]


def test_the_dataclasses_a_plain_lint_builds_have_docstrings(plain_lint: dict) -> None:
    # Without one, dataclasses computes a docstring from inspect.signature when the class is created:
    # ~0.15 ms per class, paid at every start.
    assert plain_lint["undocumented"] == []


def test_version_loads_no_plugin(tmp_path: Path) -> None:
    found = _run("--version", cwd=tmp_path)
    assert found["status"] == 0
    assert [m for m in found["modules"] if m.startswith("nianbao")] == [
        "nianbao",
        "nianbao.cli",
        "nianbao.gcpolicy",
        "nianbao.markers",
    ]
    assert "dataclasses" not in found["modules"]


def test_an_output_format_is_imported_when_used(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "report.txt")
    found = _run("lint", "--format", "sarif", "report.txt", cwd=tmp_path)
    assert "nianbao.plugins.emitters.sarif" in found["modules"]
    assert "nianbao.plugins.emitters.junit" not in found["modules"]


def test_the_stand_ins_carry_their_outputs_names() -> None:
    import importlib

    from nianbao.plugins.emitters import OUTPUTS

    for name, module, cls in OUTPUTS:
        real = getattr(importlib.import_module(f"nianbao.plugins.emitters.{module}"), cls)
        assert real.name == name


def test_the_command_leaves_the_collector_as_it_found_it(capsys: pytest.CaptureFixture[str]) -> None:
    before = gc.get_threshold()
    assert main(["lint", str(SEED)]) == 1
    capsys.readouterr()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
