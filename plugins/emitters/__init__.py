"""Built-in outputs (``--format``): the console report, JSON and the formats CI systems read, and the HTML
page and CSV table for people.

Each is imported only when a run uses it: a console lint never loads the SARIF or JUnit writers,
the HTML page or the CSV table (nor what they import). The hook returns stand-ins that know their
format's name and load the real output object on first use of anything else.
"""

from __future__ import annotations

import importlib
from typing import Any

from nianbao import hookimpl
from nianbao.options import LintOption

# (name, module in this package, class), in the order the formats are listed
OUTPUTS = (
    ("console", "console", "ConsoleOutput"),
    ("json", "json_report", "JsonOutput"),
    ("json-lines", "json_report", "JsonLinesOutput"),
    ("sarif", "sarif", "SarifOutput"),
    ("junit", "junit", "JunitOutput"),
    ("junit-gitlab", "junit", "JunitGitlabOutput"),
    ("gitlab", "gitlab", "GitlabCodeQualityOutput"),
    ("github", "github", "GithubAnnotationsOutput"),
    ("html", "html_report", "HtmlOutput"),
    ("csv", "csv_report", "CsvOutput"),
)


class DeferredOutput:
    """An :class:`~nianbao.outputs.Output` whose module is imported on first use of anything but its name."""

    __slots__ = ("name", "_module", "_class", "_output")

    def __init__(self, name: str, module: str, cls: str) -> None:
        self.name, self._module, self._class, self._output = name, module, cls, None

    def __getattr__(self, attribute: str) -> Any:  # only for what the stand-in does not hold itself
        if self._output is None:
            module = importlib.import_module(f"{__name__}.{self._module}")
            self._output = getattr(module, self._class)()
        return getattr(self._output, attribute)


# The options of ``nianbao lint`` these outputs read from ``RenderOptions.plugin_options``, declared
# here as data so that declaring them loads no output.
OPTIONS = (
    # sarif: ``originalUriBaseIds``, where %SRCROOT% is on the machine that ran (never written unless given)
    LintOption(
        ("--sarif-srcroot",),
        {"metavar": "URI", "help": "在 SARIF 中写出 %%SRCROOT%% 对应的 file:// URI（默认不写）"},
    ),
    # sarif, junit: wall-clock times make two runs differ; written only when asked
    LintOption(
        ("--timestamps",),
        {"action": "store_true", "help": "在 SARIF/JUnit 中写入时间（默认不写，保证输出可重现）"},
    ),
)


@hookimpl
def nianbao_outputs() -> list[DeferredOutput]:
    return [DeferredOutput(name, module, cls) for name, module, cls in OUTPUTS]


@hookimpl
def nianbao_lint_options() -> tuple[LintOption, ...]:
    return OPTIONS
