"""``nianbao.hookimpl``, the decorator that marks a plugin's hook functions, without importing pluggy.

pluggy recognises a hook implementation by the ``nianbao_impl`` attribute that its
``HookimplMarker("nianbao")`` sets. This marker sets the same attribute with the same options, so a
plugin decorated with it registers with pluggy exactly as before, while a run with only the built-in
plugins never imports pluggy (and its ``inspect``/``typing`` imports) at all: the host calls their
hook functions directly. ``tests/test_host.py`` checks that both markers set the same options.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

PROJECT = "nianbao"
IMPL_ATTRIBUTE = PROJECT + "_impl"
# The hooks of core/hookspecs.py, by name (tests/test_host.py keeps the two in step).
HOOKS = (
    "nianbao_templates",
    "nianbao_loaders",
    "nianbao_rules",
    "nianbao_rulesets",
    "nianbao_outputs",
    "nianbao_lint_options",
)
# Former hook names, still implemented by plugins written before "format" was split into the report's
# template, the input kind and the output: each is called as the hook it became.
RENAMED_HOOKS = {"nianbao_report_formats": "nianbao_templates", "nianbao_output_formats": "nianbao_outputs"}

# Options that change the order or shape of hook calls: only pluggy implements them.
_NEEDS_PLUGGY = ("wrapper", "hookwrapper", "tryfirst", "trylast", "specname")
_F = TypeVar("_F", bound=Callable[..., object])


class HookimplMarker:
    """Same call signature and effect as ``pluggy.HookimplMarker``."""

    __slots__ = ("project_name",)

    def __init__(self, project_name: str) -> None:
        self.project_name = project_name

    def __call__(
        self,
        function: _F | None = None,
        hookwrapper: bool = False,
        optionalhook: bool = False,
        tryfirst: bool = False,
        trylast: bool = False,
        specname: str | None = None,
        wrapper: bool = False,
    ) -> Any:
        def mark(func: _F) -> _F:
            options = {
                "wrapper": wrapper,
                "hookwrapper": hookwrapper,
                "optionalhook": optionalhook,
                "tryfirst": tryfirst,
                "trylast": trylast,
                "specname": specname,
            }
            setattr(func, self.project_name + "_impl", options)
            return func

        return mark if function is None else mark(function)


hookimpl = HookimplMarker(PROJECT)


def plain_hooks(plugin: object) -> dict[str, Callable[[], Any]] | None:
    """The plugin's hook functions by hook name when calling them directly is all pluggy would do
    (default options, named after their hook); None when the plugin needs pluggy."""
    found: dict[str, Callable[[], Any]] = {}
    for name in (*HOOKS, *RENAMED_HOOKS):
        function = getattr(plugin, name, None)
        options = getattr(function, IMPL_ATTRIBUTE, None)
        if options is None:
            continue
        if not isinstance(options, dict) or any(options.get(k) for k in _NEEDS_PLUGGY):
            return None
        if RENAMED_HOOKS.get(name) in found:
            return None  # both names: pluggy calls each
        found[RENAMED_HOOKS.get(name, name)] = function
    return found


def adopt_renamed_hooks(plugin: object) -> None:
    """Let pluggy call a plugin's implementation of a former hook name as the hook it became, in the
    same order as any other implementation (pluggy's ``specname`` option)."""
    for old, new in RENAMED_HOOKS.items():
        options = getattr(getattr(plugin, old, None), IMPL_ATTRIBUTE, None)
        if isinstance(options, dict) and not options.get("specname"):
            options["specname"] = new
