"""User configuration: ``.nianbao.yaml`` or ``[tool.nianbao]`` in ``pyproject.toml``, found upward
from each linted file, and the rule selection that rule sets, configuration and flags produce."""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .engine import RuleSelection
from .rules import RuleMeta, Severity
from .ruleset_files import Ruleset
from .yamlerrors import ConfigError

if TYPE_CHECKING:  # pathlib is imported only once a configuration file is found
    from pathlib import Path

CONFIG_NAMES = (".nianbao.yaml", ".nianbao.yml", "pyproject.toml")
ALWAYS_ON = ("NB01", "NB02", "NB04")  # a file that could not be checked is never hidden


@dataclass(slots=True)
class Config:
    """The settings of one configuration file, or the defaults when there is none."""

    path: str | None = None  # where it was read from; None for defaults
    root: Path | None = None  # per-file-ignores globs are relative to this directory
    ruleset: str | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_on: Severity | None = None
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    disable_plugins: list[str] = field(default_factory=list)
    edition: str | None = None


@lru_cache(maxsize=1)
def config_schema() -> dict[str, Any]:
    from .packagedata import package_text

    return json.loads(package_text("nianbao.schemas", "config.schema.json"))


def _from_data(data: dict[str, Any], path: str) -> Config:
    from pathlib import Path

    return Config(
        path=path,
        root=Path(path).parent,
        ruleset=data.get("ruleset"),
        select=data.get("select"),
        ignore=list(data.get("ignore", ())),
        severity=dict(data.get("severity", {})),
        params=dict(data.get("params", {})),
        fail_on=data.get("fail-on"),
        per_file_ignores={k: list(v) for k, v in data.get("per-file-ignores", {}).items()},
        disable_plugins=list(data.get("disable-plugins", ())),
        edition=data.get("edition"),
    )


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def _read_pyproject(path: str) -> Config | None:
    text = _read_text(path)
    if "[tool.nianbao" not in text:  # most projects' pyproject.toml: no TOML parser needed
        return None
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"TOML 语法错误：{exc}") from None
    section = data.get("tool", {}).get("nianbao")
    if section is None:
        return None
    import jsonschema

    errors = sorted(
        jsonschema.Draft202012Validator(config_schema()).iter_errors(section), key=lambda e: list(map(str, e.path))
    )
    if errors:
        error = errors[0]
        dotted = ".".join(map(str, error.absolute_path))
        key = str(error.absolute_path[0]) if error.absolute_path else None
        if error.validator == "additionalProperties":
            key = next(iter(set(error.instance) - set(error.schema.get("properties", {}))), key)
            message = f"[tool.nianbao] 中未知的配置项 “{key}”"
        else:
            message = f"[tool.nianbao].{dotted}：{error.message}"
        raise ConfigError(path, message, *_toml_position(text, key))
    return _from_data(section, path)


def _toml_position(text: str, key: str | None) -> tuple[int | None, int | None]:
    """Line and column of ``key`` inside the ``[tool.nianbao]`` table (tomllib keeps no positions)."""
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.startswith("[tool.nianbao")
            if inside and key is None:
                return number, 1
            continue
        if inside and key and stripped.split("=", 1)[0].strip().strip('"') == key:
            return number, line.index(stripped) + 1
    return None, None


@lru_cache(maxsize=256)
def _read(path: str) -> Config | None:
    if os.path.basename(path) == "pyproject.toml":
        return _read_pyproject(path)
    from .yamlerrors import load_validated

    data = load_validated(_read_text(path), path, config_schema())
    return _from_data(data, path)


@lru_cache(maxsize=1024)
def find_config(directory: str) -> Config:
    """The nearest configuration at or above ``directory``; defaults when there is none."""
    folder = os.path.realpath(directory)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                config = _read(candidate)
                if config is not None:
                    return config
        parent = os.path.dirname(folder)
        if parent == folder:
            return Config()
        folder = parent


def load_config_file(path: str) -> Config:
    config = _read(os.path.realpath(path))
    if config is None:
        raise ConfigError(path, "文件中没有 [tool.nianbao] 配置")
    return config


# ---------------------------------------------------------------------------------------- selection


def matches(selector: str, meta: RuleMeta) -> bool:
    """A selector names a rule by code, dotted name, alias, or a prefix of either (``AR``, ``arithmetic``)."""
    if selector == "ALL":
        return True
    if selector in (meta.code, meta.name) or selector in meta.aliases:
        return True
    if selector.isupper() or selector[:1].isupper():
        return meta.code.startswith(selector)
    return meta.name.startswith(selector + ".")


def _check_selectors(selectors: Iterable[str], known: Sequence[RuleMeta], where: str) -> None:
    for selector in selectors:
        if not any(matches(selector, meta) for meta in known):
            raise ConfigError(where, f"没有规则与 “{selector}” 对应（可用 nianbao rules 查看全部规则）")


@dataclass(slots=True)
class Layer:
    """One source of settings, applied in order: rule sets, then the config file, then flags."""

    where: str
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)


def layers_for(chain: Sequence[Ruleset], config: Config, cli: Layer) -> list[Layer]:
    out = [Layer(r.path, r.select or None, r.ignore, r.severity, r.params) for r in chain]
    out.append(Layer(config.path or "配置", config.select, config.ignore, config.severity, config.params))
    out.append(cli)
    return out


def build_selection(
    layers: Sequence[Layer], known: Sequence[RuleMeta], ruleset: str, out_of_scope: Iterable[str] = ()
) -> RuleSelection:
    """``out_of_scope`` names rule sets that are not in use: rules they own (a province's rules) stay
    off whatever the layers select, so ``select: [ALL]`` in national never runs 重庆's rules elsewhere."""
    everything, foreign = known, set(out_of_scope)
    known = [m for m in everything if m.ruleset not in foreign]
    enabled: set[str] = {m.code for m in known}
    severity: dict[str, Severity] = {}
    params: dict[str, dict[str, Any]] = {}
    by_name = {m.name: m.code for m in known} | {a: m.code for m in known for a in m.aliases}
    for layer in layers:
        _check_selectors([*(layer.select or ()), *layer.ignore, *layer.severity], everything, layer.where)
        if layer.select is not None:
            enabled = {m.code for m in known if any(matches(s, m) for s in layer.select)}
        enabled -= {m.code for m in known if any(matches(s, m) for s in layer.ignore)}
        for selector, level in layer.severity.items():
            for meta in known:
                if matches(selector, meta):
                    severity[meta.code] = level  # type: ignore[assignment]
        for name, values in layer.params.items():
            code = by_name.get(name, name)
            params[code] = {**params.get(code, {}), **values}
    enabled |= set(ALWAYS_ON)
    return RuleSelection(
        enabled=lambda meta, _on=frozenset(enabled): meta.code in _on,
        severity=severity,
        params=params,
        ruleset=ruleset,
    )


def ignored_for(path: str, config: Config, known: Sequence[RuleMeta]) -> set[str]:
    """Codes that ``per-file-ignores`` switches off for ``path``."""
    if not config.per_file_ignores:
        return set()
    from pathlib import Path

    p = Path(path).resolve()
    try:
        rel = p.relative_to(config.root.resolve()).as_posix() if config.root else p.as_posix()
    except ValueError:
        rel = p.as_posix()
    out: set[str] = set()
    for pattern, selectors in config.per_file_ignores.items():
        if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(p.name, pattern):
            out |= {m.code for m in known if any(matches(s, m) for s in selectors)}
    return out - set(ALWAYS_ON)
