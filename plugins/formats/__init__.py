"""The national report templates (the 2019 trial and the 2021 年度报告格式) as package data."""

from __future__ import annotations

from nianbao import hookimpl
from nianbao.packagedata import load_packaged_yaml, package_file
from nianbao.templates import Template

_FILES = ("format_2019.yaml", "format_2021.yaml")


@hookimpl
def nianbao_templates() -> list[Template]:
    paths = [package_file(__name__, name) for name in _FILES]
    return [Template(load_packaged_yaml(path)) for path in paths]
