"""Data files shipped inside nianbao's packages, read cheaply on every start.

- :func:`package_file` finds a file beside a package's ``__init__.py`` from the module's own path.
  nianbao is always installed as plain files (wheel or editable), and ``importlib.resources`` would
  import the zip-archive machinery (zipfile, tempfile, ...) on every run for nothing; paths are
  plain strings, as ``pathlib`` (with ``urllib.parse`` and ``ipaddress``) is not needed either.
- :func:`load_built` reads what a run needs of a packaged file from the JSON built beside it
  (``format_2021.yaml`` -> ``format_2021.built.json``): the national formats and the built-in rule
  sets without importing PyYAML and parsing YAML, the gazetteer's index without deriving it from
  ``divisions.tsv`` again. The C JSON decoder reads either in about a millisecond.

The source file stays the source of truth. ``scripts/build_package_data.py`` writes the built files
(everything listed in :data:`BUILT`); each records the SHA-256 of the source it was derived from,
so a built file that does not match its source (edited after the build) is ignored and the data
derived from the source instead, and ``tests/test_package_data.py`` fails until the built files are
current. Third-party plugins' YAML is parsed as before.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
from collections.abc import Callable
from typing import Any

BUILT_SUFFIX = ".built.json"
# What has a built form: (package, file pattern, "module:function" deriving the data from the file's
# text). The data must be plain JSON (dicts, lists, strings, numbers): the built file holds it as is.
BUILT = (
    ("nianbao.plugins.formats", "*.yaml", "nianbao.yamlio:load_yaml_text"),
    ("nianbao.rulesets", "*/*.yaml", "nianbao.yamlio:load_yaml_text"),  # rulesets/NAME/NAME.yaml
    ("nianbao.plugins.html", "*.yaml", "nianbao.yamlio:load_yaml_text"),
    ("nianbao.plugins.gazetteer", "divisions.tsv", "nianbao.plugins.gazetteer:build_index"),
)
GENERATOR = "scripts/build_package_data.py"


def package_file(package: str, name: str) -> str:
    """The path of the file ``name`` beside the ``__init__.py`` of ``package`` (a dotted module name)."""
    module = sys.modules.get(package) or importlib.import_module(package)
    return os.path.join(os.path.dirname(module.__file__), name)  # type: ignore[type-var]


def package_text(package: str, name: str) -> str:
    """The content of a UTF-8 text file of ``package``."""
    with open(package_file(package, name), encoding="utf-8") as fh:
        return fh.read()


def built_path(source: str) -> str:
    return os.path.splitext(source)[0] + BUILT_SUFFIX


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def deriver(dotted: str) -> Callable[[str], Any]:
    module, _, function = dotted.partition(":")
    return getattr(importlib.import_module(module), function)


def build(source: str, derive: Callable[[str], Any]) -> str:
    """The built form of ``source``: the derived data as JSON, with the hash of the source."""
    raw = _read_bytes(source)
    built = {
        "source": os.path.basename(source),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "generator": GENERATOR,
        "data": derive(raw.decode("utf-8")),
    }
    # Raises for what JSON cannot hold (a YAML date, a set): such data has no built form.
    return json.dumps(built, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def load_built(source: str, derive: Callable[[str], Any]) -> Any:
    """``derive(text of source)``, read from the built form when that was built from this source."""
    raw = _read_bytes(source)
    try:
        built = json.loads(_read_bytes(built_path(source)))
    except (OSError, ValueError):
        built = None
    if isinstance(built, dict) and built.get("sha256") == hashlib.sha256(raw).hexdigest():
        return built["data"]
    return derive(raw.decode("utf-8"))


def _parse_yaml(text: str) -> Any:
    from .yamlio import load_yaml_text

    return load_yaml_text(text)


def load_packaged_yaml(source: str) -> Any:
    """The data of one of nianbao's own YAML files (a national format, a built-in rule set, ...)."""
    return load_built(source, _parse_yaml)
