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
from .suggest import did_you_mean
from .yamlerrors import ConfigError, schema_message

if TYPE_CHECKING:  # pathlib is imported only once a configuration file is found
    from pathlib import Path

CONFIG_NAMES = (".nianbao.yaml", ".nianbao.yml", "pyproject.toml")
# A file that could not be checked, or a part of it nianbao could not read (NB03, as ruff treats
# syntax errors), is never hidden by a selection; severities may still be changed.
ALWAYS_ON = ("NB01", "NB02", "NB03", "NB04")


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
    extend_select: list[str] = field(default_factory=list)
    exclude: list[str] | None = None  # gitignore patterns relative to ``root``; None keeps the defaults
    extend_exclude: list[str] = field(default_factory=list)
    force_exclude: bool = False


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
        extend_select=list(data.get("extend-select", ())),
        exclude=list(data["exclude"]) if "exclude" in data else None,
        extend_exclude=list(data.get("extend-exclude", ())),
        force_exclude=bool(data.get("force-exclude", False)),
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
        raise ConfigError(path, "TOML 语法错误，请检查该处的写法", *_toml_error_position(str(exc))) from None
    section = data.get("tool", {}).get("nianbao")
    if section is None:
        return None
    import jsonschema

    errors = sorted(
        jsonschema.Draft202012Validator(config_schema()).iter_errors(section), key=lambda e: list(map(str, e.path))
    )
    if errors:
        error = errors[0]
        key = str(error.absolute_path[0]) if error.absolute_path else None
        if error.validator == "additionalProperties":
            known = list(error.schema.get("properties", {}))
            key = next(iter(sorted(set(error.instance) - set(known))), key)
            message = f"[tool.nianbao] 中未知的配置项 “{key}”{did_you_mean(key or '', known)}"
        else:
            message = f"[tool.nianbao] {schema_message(error)}"
        raise ConfigError(path, message, *_toml_position(text, key))
    return _from_data(section, path)


def _toml_error_position(message: str) -> tuple[int | None, int | None]:
    """tomllib says where in English ("... (at line 3, column 5)"); keep only the numbers."""
    import re

    found = re.search(r"line (\d+), column (\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)


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
    """A selector names a rule by code, dotted name, alias, or a prefix of either (``AR``, ``arithmetic``).
    Case does not matter: ``ar01`` is ``AR01``, ``ALL`` may be ``all``."""
    folded = selector.casefold()
    if folded == "all":
        return True
    if folded in (meta.code.casefold(), meta.name.casefold()) or folded in (a.casefold() for a in meta.aliases):
        return True
    if selector.isalnum() and meta.code.casefold().startswith(folded):
        return True
    return meta.name.casefold().startswith(folded + ".")


def _check_selectors(selectors: Iterable[str], known: Sequence[RuleMeta], where: str) -> None:
    for selector in selectors:
        if not any(matches(selector, meta) for meta in known):
            names = [m.code for m in known] + [m.name for m in known] + sorted({m.family for m in known})
            hint = did_you_mean(selector, names) or "（可用 nianbao rules 查看全部规则）"
            raise ConfigError(where, f"没有规则与 “{selector}” 对应{hint}")


@dataclass(slots=True)
class Layer:
    """One source of settings, applied in order: rule sets, then the config file, then flags."""

    where: str
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    extend_select: list[str] = field(default_factory=list)  # added to the selection in force (ruff's)


def layers_for(chain: Sequence[Ruleset], config: Config, cli: Layer) -> list[Layer]:
    out = [Layer(r.path, r.select or None, r.ignore, r.severity, r.params) for r in chain]
    out.append(
        Layer(config.path or "配置", config.select, config.ignore, config.severity, config.params, config.extend_select)
    )
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
    by_name |= {k.casefold(): v for k, v in by_name.items()} | {m.code.casefold(): m.code for m in known}
    for layer in layers:
        selectors = [*(layer.select or ()), *layer.extend_select, *layer.ignore, *layer.severity]
        _check_selectors(selectors, everything, layer.where)
        if layer.select is not None:
            enabled = {m.code for m in known if any(matches(s, m) for s in layer.select)}
        enabled |= {m.code for m in known if any(matches(s, m) for s in layer.extend_select)}
        enabled -= {m.code for m in known if any(matches(s, m) for s in layer.ignore)}
        for selector, level in layer.severity.items():
            for meta in known:
                if matches(selector, meta):
                    severity[meta.code] = level  # type: ignore[assignment]
        for name, values in layer.params.items():
            code = by_name.get(name, by_name.get(name.casefold(), name))
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
