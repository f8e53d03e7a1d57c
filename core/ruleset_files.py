"""Rule sets: YAML that selects, configures and extends rules, found through the plugin hook."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .suggest import did_you_mean
from .yamlerrors import ConfigError

if TYPE_CHECKING:
    from .host import PluginHost
    from .rules import Rule


@dataclass(frozen=True, slots=True)
class RulesetSource:
    """What the ``nianbao_rulesets`` hook returns: a name and the YAML resource that defines it."""

    name: str
    resource: Any  # a Path or an importlib.resources Traversable; with ``data``, its path as a string will do
    plugin: str = ""
    # Rule sets shipped inside nianbao are validated by its test suite, not at every start-up
    # (importing jsonschema adds ~65 ms, half again the start-up of a lint).
    trusted: bool = False
    # The resource's content when already parsed (nianbao's own rule sets come pre-parsed, see
    # nianbao.packagedata); otherwise the YAML is read and parsed on first use.
    data: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)


@dataclass(slots=True)
class Ruleset:
    """A rule set as its YAML defines it."""

    name: str
    path: str
    title: str = ""
    description: str = ""
    extends: str | None = None
    rules: list[dict[str, Any]] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    region: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def ruleset_schema() -> dict[str, Any]:
    from .packagedata import package_text

    return json.loads(package_text("nianbao.schemas", "ruleset.schema.json"))


@lru_cache(maxsize=64)
def _parse(text: str, path: str, validate: bool = True) -> Ruleset:
    if validate:
        from .yamlerrors import load_validated

        data = load_validated(text, path, ruleset_schema())
    else:
        from .yamlio import load_yaml_text

        data = load_yaml_text(text)
    return _from_data(data, path)


def _from_data(data: Mapping[str, Any], path: str) -> Ruleset:
    return Ruleset(
        name=data["name"],
        path=path,
        title=data.get("title", ""),
        description=data.get("description", ""),
        extends=data.get("extends"),
        rules=list(data.get("rules", ())),
        select=list(data.get("select", ())),
        ignore=list(data.get("ignore", ())),
        severity=dict(data.get("severity", {})),
        params=dict(data.get("params", {})),
        region=dict(data.get("region", {})),
    )


def load_ruleset(source: RulesetSource) -> Ruleset:
    if source.data is not None:
        return _from_data(source.data, str(source.resource))
    text = source.resource.read_text(encoding="utf-8")
    return _parse(text, str(source.resource), not source.trusted)


def available(host: PluginHost) -> dict[str, RulesetSource]:
    return {s.name: s for s in host.rulesets}


def canonical_name(name: str, host: PluginHost) -> str:
    """A rule set's name as registered (``Chongqing`` is ``chongqing``); a path or unknown name as given."""
    if name.endswith((".yaml", ".yml")):
        return name
    folded = {s.name.casefold(): s.name for s in host.rulesets}
    return folded.get(name.casefold(), name)


def from_path(path: str) -> RulesetSource:
    """A rule set given as a file (``--ruleset ./mine.yaml``): validated, named by its ``name``."""
    from pathlib import Path

    p = Path(path)
    try:
        ruleset = _parse(p.read_text("utf-8"), path, True)
    except OSError as exc:
        from .loading import os_reason

        raise ConfigError(path, f"无法读取规则集文件：{os_reason(exc)}") from None
    return RulesetSource(ruleset.name, p, plugin="file")


def chain(name: str, host: PluginHost, extra: Sequence[RulesetSource] = ()) -> list[Ruleset]:
    """The rule set and everything it extends, base first. ``name`` may be a path to a YAML file."""
    if name.endswith((".yaml", ".yml")):
        source = from_path(name)
        extra, name = (*extra, source), source.name
    sources = {**available(host), **{s.name: s for s in extra}}
    out: list[Ruleset] = []
    seen: set[str] = set()
    current: str | None = name
    while current:
        if current in seen:
            raise ConfigError(out[-1].path, f"规则集 “{current}” 的 extends 形成了循环")
        seen.add(current)
        if current not in sources:
            folded = {k.casefold(): k for k in sources}
            if current.casefold() in folded:  # rule-set names are case-insensitive, as codes are
                current = folded[current.casefold()]
            else:
                where = out[-1].path if out else "--ruleset"
                hint = did_you_mean(current, sources)
                raise ConfigError(where, f"未知的规则集 “{current}”{hint}（可用：{'、'.join(sorted(sources))}）")
        ruleset = load_ruleset(sources[current])
        out.append(ruleset)
        current = ruleset.extends
    return list(reversed(out))


def declarative_rules(host: PluginHost) -> list[Rule]:
    """Rules defined as data in any rule set known to the host."""
    from .declarative import DeclarativeError, build_rule

    rules: list[Rule] = []
    for source in host.rulesets:
        ruleset = load_ruleset(source)
        for definition in ruleset.rules:
            try:
                rules.append(build_rule(definition, ruleset.name))
            except DeclarativeError as exc:
                raise ConfigError(ruleset.path, str(exc)) from None
    return rules


def regional_rulesets(host: PluginHost) -> dict[str, str]:
    """Province name -> the rule set that declares it in ``region.province`` (first by name wins).

    Keyed by the name as written (重庆市) and without its suffix (重庆), as reports use both.
    """
    out: dict[str, str] = {}
    for source in sorted(host.rulesets, key=lambda s: s.name):
        province = str(load_ruleset(source).region.get("province") or "")
        if not province:
            continue
        short = province
        for suffix in ("自治区", "省", "市"):
            if province.endswith(suffix) and len(province) > len(suffix) + 1:
                short = province[: -len(suffix)]
                break
        for key in (province, short):
            out.setdefault(key, source.name)
    return out
