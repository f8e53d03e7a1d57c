"""Built-in output formats: the console report, JSON and the formats CI systems read, and the HTML
page and CSV table for people."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from nianbao import hookimpl


class _OnDemand:
    """An output whose module is imported only when it renders: ``nianbao lint one.txt`` must not
    pay for the HTML page or the CSV writer."""

    machine = True

    def __init__(self, name: str, description: str, module: str, cls: str) -> None:
        self.name, self.description, self._where = name, description, (module, cls)

    def render(self, run: Any, color: bool, options: Any = None) -> str:
        module, cls = self._where
        return getattr(import_module(module, __name__), cls)().render(run, color, options)


@hookimpl
def nianbao_output_formats() -> list[object]:
    from .console import ConsoleOutput
    from .github import GithubAnnotationsOutput
    from .gitlab import GitlabCodeQualityOutput
    from .json_report import JsonOutput
    from .junit import JunitGitlabOutput, JunitOutput
    from .sarif import SarifOutput

    return [
        ConsoleOutput(),
        JsonOutput(),
        SarifOutput(),
        JunitOutput(),
        JunitGitlabOutput(),
        GitlabCodeQualityOutput(),
        GithubAnnotationsOutput(),
        _OnDemand(
            "html", "HTML 网页：报告的章节和统计表，标出有问题的格（单个文件，离线可用）", ".html_report", "HtmlOutput"
        ),
        _OnDemand("csv", "CSV（每个问题一行，可用 Excel 打开）", ".csv_report", "CsvOutput"),
    ]
