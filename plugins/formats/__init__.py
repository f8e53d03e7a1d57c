"""The national report formats (2019 trial, 2021) as package data."""

from __future__ import annotations

from nianbao import hookimpl
from nianbao.formats import ReportFormat
from nianbao.packagedata import load_packaged_yaml, package_file

_FILES = ("format_2019.yaml", "format_2021.yaml")


@hookimpl
def nianbao_report_formats() -> list[ReportFormat]:
    paths = [package_file(__name__, name) for name in _FILES]
    return [ReportFormat(load_packaged_yaml(path), origin=path) for path in paths]
