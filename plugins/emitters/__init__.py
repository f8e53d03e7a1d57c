"""Built-in output formats: the console report and JSON."""

from __future__ import annotations

from nianbao import hookimpl


@hookimpl
def nianbao_output_formats() -> list[object]:
    from .console import ConsoleOutput
    from .json_report import JsonOutput

    return [ConsoleOutput(), JsonOutput()]
