"""A cache of the code that ``dataclasses`` generates, kept by the ``nianbao`` program between runs.

Creating a dataclass compiles Python source for its ``__init__``, ``__repr__`` and ``__eq__`` (and,
frozen, ``__setattr__``, ``__delattr__`` and ``__hash__``): on CPython 3.11 that compiling is about a
fifth of a one-file lint, for the ~50 record classes of the document, the formats, the rules and
the run. The source is the same on every run, so the program keeps the compiled code as Python
keeps compiled modules: beside the bytecode in nianbao's ``__pycache__`` folder, per interpreter
(cache tag in the file name, magic number in the file), written only where Python itself writes
bytecode (never with ``PYTHONDONTWRITEBYTECODE`` or ``-B``), ignored when unreadable.

``dataclasses`` looks ``exec`` up among its module globals before the builtins, so the cache works
by giving it an ``exec`` that compiles each distinct source once and otherwise runs the code
compiled before: the same code ``exec(source)`` would compile, with the same file name and flags.
Only :func:`nianbao.cli.run`, the program, installs it; importing nianbao as a library changes
nothing.
"""

from __future__ import annotations

import builtins
import marshal
import os
import sys
from importlib.util import MAGIC_NUMBER, cache_from_source
from typing import Any

# Rewritten with only what a run used when it grows past this (old nianbao versions' classes).
MAX_BYTES = 1 << 20

_cache: dict[str, Any] = {}  # source -> code object
_used: dict[str, Any] = {}  # what this run compiled or found
_path: str | None = None


def cache_path() -> str | None:
    """Where the cache lives: beside the bytecode of ``nianbao/__init__.py`` (``sys.pycache_prefix``
    honoured), one file per interpreter; None when the interpreter keeps no bytecode cache."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    folder = os.path.dirname(cache_from_source(os.path.join(os.path.dirname(__file__), "__init__.py")))
    return os.path.join(folder, f"dataclass-code.{tag}")


def _read(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        if data[: len(MAGIC_NUMBER)] != MAGIC_NUMBER:
            return {}
        cache = marshal.loads(data[len(MAGIC_NUMBER) :])
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return cache if isinstance(cache, dict) else {}


def _exec(source: Any, globals: Any = None, locals: Any = None, /, **kwargs: Any) -> Any:  # noqa: A002
    if type(source) is str:
        code = _cache.get(source)
        if code is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
        _used[source] = code
        source = code
    return builtins.exec(source, globals, locals, **kwargs)


def install() -> None:
    """Give ``dataclasses`` the caching ``exec``, loaded with what earlier runs compiled."""
    global _path
    import dataclasses

    _path = cache_path()
    if _path is not None:
        _cache.update(_read(_path))
    dataclasses.exec = _exec  # type: ignore[attr-defined]


def save() -> None:
    """Write the cache when this run compiled something new (and Python may write bytecode)."""
    if _path is None or sys.dont_write_bytecode or all(source in _cache for source in _used):
        return
    data = marshal.dumps({**_cache, **_used})
    if len(data) > MAX_BYTES:
        data = marshal.dumps(_used)
    partial = f"{_path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(_path), exist_ok=True)
        with open(partial, "wb") as fh:
            fh.write(MAGIC_NUMBER + data)
        os.replace(partial, _path)  # another run writing at the same time: the last one wins, whole
    except OSError:  # a read-only installation, like one Python cannot write bytecode into
        try:
            os.unlink(partial)
        except OSError:
            pass
