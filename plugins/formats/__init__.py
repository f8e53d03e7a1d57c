"""The national report formats (2019 trial, 2021) as package data."""

from __future__ import annotations

from importlib import resources

from nianbao import hookimpl
from nianbao.formats import ReportFormat

_FILES = ("format_2019.yaml", "format_2021.yaml")


@hookimpl
def nianbao_report_formats() -> list[ReportFormat]:
    root = resources.files(__name__)
    return [ReportFormat.from_file(root / name) for name in _FILES]
