"""Built-in output formats: the console report, JSON and the formats CI systems read, and the HTML
page and CSV table for people.

Each is imported only when a run uses it: a console lint never loads the SARIF or JUnit writers,
the HTML page or the CSV table (nor what they import). The hook returns stand-ins that know their
format's name and load the real output object on first use of anything else.
"""

from __future__ import annotations

import importlib
from typing import Any

from nianbao import hookimpl

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
    """An output format whose module is imported on first use of anything but its name."""

    __slots__ = ("name", "_module", "_class", "_output")

    def __init__(self, name: str, module: str, cls: str) -> None:
        self.name, self._module, self._class, self._output = name, module, cls, None

    def __getattr__(self, attribute: str) -> Any:  # only for what the stand-in does not hold itself
        if self._output is None:
            module = importlib.import_module(f"{__name__}.{self._module}")
            self._output = getattr(module, self._class)()
        return getattr(self._output, attribute)


@hookimpl
def nianbao_output_formats() -> list[object]:
    return [DeferredOutput(name, module, cls) for name, module, cls in OUTPUTS]
