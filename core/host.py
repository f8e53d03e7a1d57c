"""The plugin host: registers built-in and third-party plugins and collects what their hooks return.

pluggy is imported only when a plugin needs it. Calling the built-ins' hook functions one by one in
registration order is all pluggy would do for them, so a run without third-party plugins does just
that and never builds a plugin manager; the first plugin that needs pluggy (every third-party one,
to be validated and called exactly as pluggy does) switches the host to a manager holding every
plugin registered so far.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .markers import PROJECT, adopt_renamed_hooks, plain_hooks

if TYPE_CHECKING:
    import pluggy

    from .loading import Loader
    from .options import LintOption
    from .outputs import Output
    from .rules import Rule
    from .ruleset_files import RulesetSource
    from .templates import Template

ENTRY_POINT_GROUP = "nianbao"


@dataclass(slots=True)
class PluginProblem:
    """A plugin that could not be loaded; reported, never fatal."""

    plugin: str
    reason: str


class PluginHost:
    """The registered plugins and what their hooks return."""

    def __init__(self, blocked: Iterable[str] = ()) -> None:
        self.problems: list[PluginProblem] = []
        self.blocked = set(blocked)  # names that must not be registered (--disable-plugin)
        # (name, plugin, its hook functions) in registration order, while no pluggy manager is needed
        self._direct: list[tuple[str, object, dict[str, Callable[[], Any]]]] = []
        self._manager: pluggy.PluginManager | None = None
        # Third-party plugin -> the distribution it came from, with its version (``pkg-1.2.dist-info``):
        # cached results and Dask workers must come from the same plugins.
        self.distributions: dict[str, str] = {}

    @property
    def manager(self) -> pluggy.PluginManager:
        """The pluggy plugin manager, built on first use with every plugin registered so far."""
        if self._manager is None:
            import pluggy

            from . import hookspecs

            pm = pluggy.PluginManager(PROJECT)
            pm.add_hookspecs(hookspecs)
            for name in self.blocked:
                pm.set_blocked(name)
            for name, plugin, _ in self._direct:
                adopt_renamed_hooks(plugin)
                pm.register(plugin, name=name)
            self._manager, self._direct = pm, []
        return self._manager

    def register(self, plugin: object, name: str) -> None:
        hooks = plain_hooks(plugin) if self._manager is None else None
        if hooks is None:
            self.register_with_pluggy(plugin, name)
        else:
            self._direct.append((name, plugin, hooks))

    def register_with_pluggy(self, plugin: object, name: str) -> None:
        adopt_renamed_hooks(plugin)
        self.manager.register(plugin, name=name)

    def is_registered(self, name: str) -> bool:
        if self._manager is not None:
            return self._manager.is_blocked(name) or self._manager.get_plugin(name) is not None
        return name in self.blocked or any(n == name for n, _, _ in self._direct)

    def _collect(self, hook: str) -> list[Any]:
        """Every plugin's contribution, in registration order (built-ins first: deterministic).

        Each implementation is called on its own so that one plugin raising is reported as a
        problem and the others still contribute.
        """
        if self._manager is None:
            impls = [(name, hooks[hook]) for name, _, hooks in self._direct if hook in hooks]
        else:
            impls = [(i.plugin_name, i.function) for i in getattr(self._manager.hook, hook).get_hookimpls()]
        out: list[Any] = []
        for plugin, function in impls:
            try:
                out.extend(function() or ())
            except Exception as exc:
                self.problems.append(PluginProblem(plugin, f"{type(exc).__name__}: {exc}"))
        return out

    @cached_property
    def templates(self) -> list[Template]:
        return self._collect("nianbao_templates")

    @cached_property
    def editions(self) -> list[str]:
        """The editions users may name (``--edition``): those of the loaded templates."""
        from .templates import editions

        return editions(self.templates)

    @cached_property
    def loaders(self) -> list[Loader]:
        return self._collect("nianbao_loaders")

    @cached_property
    def rules(self) -> list[Rule]:
        return self._collect("nianbao_rules")

    @cached_property
    def rulesets(self) -> list[RulesetSource]:
        return self._collect("nianbao_rulesets")

    @cached_property
    def outputs(self) -> list[Output]:
        return self._collect("nianbao_outputs")

    @cached_property
    def lint_options(self) -> list[LintOption]:
        return self._collect("nianbao_lint_options")

    def plugin_names(self) -> list[str]:
        if self._manager is None:
            return [name for name, _, _ in self._direct]
        return [name for name, plugin in self._manager.list_name_plugin() if plugin is not None]


def create_host(disabled: Iterable[str] = (), entry_points: bool = True) -> PluginHost:
    """Build a host with every built-in plugin and, unless ``entry_points`` is false, installed ones.

    ``disabled`` names plugins (built-in or third-party) that must not be registered.
    """
    from nianbao.plugins import BUILTIN_PLUGINS

    host = PluginHost(disabled)
    for name, module_name in BUILTIN_PLUGINS:
        if name in host.blocked:
            continue
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # a broken plugin must not stop the run
            host.problems.append(PluginProblem(name, f"{type(exc).__name__}: {exc}"))
            continue
        host.register(module, name)
    if entry_points:
        _load_entry_points(host)
    return host


def _load_entry_points(host: PluginHost) -> None:
    for name, value, dist in _entry_points(ENTRY_POINT_GROUP):
        if host.is_registered(name):
            continue
        host.distributions[name] = dist
        try:
            module_name, _, attr = value.split("[", 1)[0].partition(":")  # drop "[extras]"
            plugin: Any = importlib.import_module(module_name.strip())
            for part in filter(None, attr.strip().split(".")):
                plugin = getattr(plugin, part)
            host.register_with_pluggy(plugin, name)
        except Exception as exc:
            host.problems.append(PluginProblem(name, f"{type(exc).__name__}: {exc}"))


def discover_entry_points(group: str = ENTRY_POINT_GROUP) -> list[tuple[str, str]]:
    """``(name, "module:attr")`` of every installed entry point in ``group``, sorted by name.

    Reads ``entry_points.txt`` of the distributions on ``sys.path`` directly: importing
    ``importlib.metadata`` alone costs more start-up than a pre-commit hook should spend on
    finding plugins that are usually not there. As with ``importlib.metadata``, the first
    distribution of a name on ``sys.path`` wins.
    """
    return [(name, value) for name, value, _ in _entry_points(group)]


def _entry_points(group: str) -> list[tuple[str, str, str]]:
    """``(name, "module:attr", distribution folder)`` of every entry point in ``group``, sorted by name."""
    import os
    import sys

    found: dict[str, tuple[str, str]] = {}
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
                found.setdefault(name, (value, dist))
    return sorted((name, value, dist) for name, (value, dist) in found.items())


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
