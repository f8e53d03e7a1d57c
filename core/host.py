"""The plugin host: registers built-in and third-party plugins and collects what their hooks return."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pluggy

from . import hookspecs
from .formats import ReportFormat
from .loading import Loader

ENTRY_POINT_GROUP = "nianbao"


@dataclass(slots=True)
class PluginProblem:
    """A plugin that could not be loaded; reported, never fatal."""

    plugin: str
    reason: str


@dataclass
class PluginHost:
    manager: pluggy.PluginManager
    problems: list[PluginProblem] = field(default_factory=list)

    def _collect(self, hook: Any) -> list[Any]:
        """Every plugin's contribution, in registration order (built-ins first: deterministic).

        Each implementation is called on its own so that one plugin raising is reported as a
        problem and the others still contribute.
        """
        out: list[Any] = []
        for impl in hook.get_hookimpls():
            try:
                out.extend(impl.function() or ())
            except Exception as exc:
                self.problems.append(PluginProblem(impl.plugin_name, f"{type(exc).__name__}: {exc}"))
        return out

    @cached_property
    def formats(self) -> list[ReportFormat]:
        return self._collect(self.manager.hook.nianbao_report_formats)

    @cached_property
    def loaders(self) -> list[Loader]:
        return self._collect(self.manager.hook.nianbao_loaders)

    @cached_property
    def rules(self) -> list[Any]:
        return self._collect(self.manager.hook.nianbao_rules)

    @cached_property
    def rulesets(self) -> list[Any]:
        return self._collect(self.manager.hook.nianbao_rulesets)

    @cached_property
    def output_formats(self) -> list[Any]:
        return self._collect(self.manager.hook.nianbao_output_formats)

    def plugin_names(self) -> list[str]:
        return [name for name, plugin in self.manager.list_name_plugin() if plugin is not None]


def create_host(disabled: Iterable[str] = (), entry_points: bool = True) -> PluginHost:
    """Build a host with every built-in plugin and, unless ``entry_points`` is false, installed ones.

    ``disabled`` names plugins (built-in or third-party) that must not be registered.
    """
    from nianbao.plugins import BUILTIN_PLUGINS

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    host = PluginHost(pm)
    for name in disabled:
        pm.set_blocked(name)
    for name, module_name in BUILTIN_PLUGINS:
        if pm.is_blocked(name):
            continue
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # a broken plugin must not stop the run
            host.problems.append(PluginProblem(name, f"{type(exc).__name__}: {exc}"))
            continue
        pm.register(module, name=name)
    if entry_points:
        _load_entry_points(host)
    return host


def _load_entry_points(host: PluginHost) -> None:
    pm = host.manager
    for name, value in discover_entry_points():
        if pm.is_blocked(name) or pm.get_plugin(name) is not None:
            continue
        try:
            module_name, _, attr = value.split("[", 1)[0].partition(":")  # drop "[extras]"
            plugin: Any = importlib.import_module(module_name.strip())
            for part in filter(None, attr.strip().split(".")):
                plugin = getattr(plugin, part)
            pm.register(plugin, name=name)
        except Exception as exc:
            host.problems.append(PluginProblem(name, f"{type(exc).__name__}: {exc}"))


def discover_entry_points(group: str = ENTRY_POINT_GROUP) -> list[tuple[str, str]]:
    """``(name, "module:attr")`` of every installed entry point in ``group``, sorted by name.

    Reads ``entry_points.txt`` of the distributions on ``sys.path`` directly: importing
    ``importlib.metadata`` alone costs more start-up than a pre-commit hook should spend on
    finding plugins that are usually not there. As with ``importlib.metadata``, the first
    distribution of a name on ``sys.path`` wins.
    """
    import os
    import sys

    found: dict[str, str] = {}
    seen: set[str] = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for dist in sorted(names):
            if not dist.endswith((".dist-info", ".egg-info")):
                continue
            project = dist.rsplit("-", 1)[0].lower().replace("-", "_") if "-" in dist else dist.rsplit(".", 1)[0]
            if project in seen:
                continue
            seen.add(project)
            try:
                with open(os.path.join(entry or ".", dist, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            for name, value in _section(text, group):
                found.setdefault(name, value)
    return sorted(found.items())


def _section(text: str, group: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
        elif current == group and "=" in line:
            name, _, value = line.partition("=")
            items.append((name.strip(), value.strip()))
    return items
