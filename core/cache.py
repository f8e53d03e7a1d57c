"""The results cache (``.nianbao_cache/`` at the project root, on by default, as ruff's).

A file's record is stored under a key made of everything that decides it: the file's content
(SHA-256), nianbao's version and its own files, the plugins and their versions, Python's version,
the configuration in force for the file, the command-line options that select and configure rules,
the content of a rule set given as a file, and what the run keeps for cross-document rules. Change
any of them and the key changes; nothing is ever invalidated by hand. A copy of a report elsewhere
(or a renamed one) has the same key.

Layout::

    .nianbao_cache/
        CACHEDIR.TAG          backup tools skip the folder (https://bford.info/cachedir/)
        .gitignore            "*": never committed
        0.1.0/ab/cdef...      one entry per record, in folders by the key's first two digits

An entry is ``nianbao-cache 1``, its key and the SHA-256 of its payload on three lines, then the
record as JSON. An entry that is unreadable, truncated, altered, of another format or filed under
another key is ignored (the file is linted again and the entry rewritten), and the record read back
is checked field by field: the cache is data on disk, never trusted to be what nianbao wrote.
Nothing in an entry is ever executed (no pickle).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from . import __version__
from .discovery import CACHE_FOLDER
from .records import BadRecord, FileRecord, finding_from_plain, finding_plain, record_from_plain, record_plain

if TYPE_CHECKING:
    from .config import Config
    from .host import PluginHost
    from .lint import LintOptions
    from .records import FileTask
    from .rules import Finding

FOLDER = CACHE_FOLDER
ENVIRONMENT_VARIABLE = "NIANBAO_CACHE_DIR"
FORMAT = b"nianbao-cache 1"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by nianbao.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
GITIGNORE = "# Created by nianbao automatically.\n*\n"
_OPTIONS = ("ruleset", "select", "ignore", "severity", "extend_select", "edition", "input_kind", "hierarchy")
_CONFIG_IGNORED = ("path", "root", "fail_on", "exclude", "extend_exclude", "force_exclude", "per_file_ignores")


def cache_folder(choice: str | None, config: Config) -> str:
    """``--cache-dir``, else ``NIANBAO_CACHE_DIR``, else ``.nianbao_cache`` in the folder of the
    configuration in force here, else at the root of the repository (or here, outside one)."""
    if choice:
        return os.path.abspath(choice)
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return os.path.abspath(os.environ[ENVIRONMENT_VARIABLE])
    if config.root is not None:
        return os.path.join(str(config.root), FOLDER)
    from .outputs import find_root

    return os.path.join(find_root(os.getcwd()), FOLDER)


def environment(host: PluginHost) -> str:
    """nianbao's, Python's and every third-party plugin's version, and the plugins in use."""
    plugins = ",".join(f"{name}={host.distributions.get(name, 'builtin')}" for name in host.plugin_names())
    return f"nianbao {__version__}; python {sys.version_info[0]}.{sys.version_info[1]}; plugins {plugins}"


def source_fingerprint() -> str:
    """Size and modification time of every file of nianbao itself (code, templates, rule sets): a
    checkout or an editable install changes its code without changing its version."""
    import nianbao.plugins
    import nianbao.rulesets

    folders = [os.path.dirname(os.path.abspath(__file__)), *nianbao.plugins.__path__, *nianbao.rulesets.__path__]
    digest = hashlib.sha256()
    for folder in folders:
        for base, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                try:
                    st = os.stat(os.path.join(base, name))
                except OSError:
                    continue
                digest.update(f"{base}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


class Cache:
    """Records of files linted before, by key."""

    def __init__(self, folder: str, run_key: str) -> None:
        self.folder = folder
        self.entries = os.path.join(folder, __version__)
        self.run_key = run_key
        self._config_keys: dict[int, str] = {}
        self._shards: set[str] = set()
        self._ready = False
        self.problem: str | None = None  # why entries could not be written, said once
        self.hits = self.misses = self.rejected = 0

    @classmethod
    def open(cls, folder: str, options: LintOptions, host: PluginHost) -> Cache:
        """The cache in ``folder``, for runs with these options and plugins."""
        run = hashlib.sha256()
        run.update(environment(host).encode())
        run.update(source_fingerprint().encode())
        run.update(_json({name: getattr(options, name) for name in _OPTIONS}).encode())
        run.update(_ruleset_file(options.ruleset).encode())
        return cls(folder, run.hexdigest())

    def key(self, task: FileTask) -> str:
        """The key of a task whose bytes have been read (``task.data``)."""
        assert task.data is not None
        config = self._config_key(task.config)
        digest = hashlib.sha256(self.run_key.encode())
        digest.update(f"{config}\0{sorted(task.ignored)}\0{task.lenient}\0{task.cross_document}\0".encode())
        digest.update(hashlib.sha256(task.data).digest())
        return digest.hexdigest()

    def _config_key(self, config: Config) -> str:
        key = self._config_keys.get(id(config))
        if key is None:
            fields = {name: getattr(config, name) for name in config.__slots__ if name not in _CONFIG_IGNORED}  # type: ignore[attr-defined]
            fields["ruleset_file"] = _ruleset_file(config.ruleset)
            key = self._config_keys[id(config)] = hashlib.sha256(_json(fields).encode()).hexdigest()
        return key

    def _path(self, key: str) -> str:
        return os.path.join(self.entries, key[:2], key[2:])

    def get(self, key: str, path: str) -> FileRecord | None:
        """The record cached under ``key``, located at ``path``; None when there is none to trust."""
        payload = self._payload(key)
        if payload is None:
            return None
        try:
            return record_from_plain(_record_data(payload), path)
        except (BadRecord, ValueError, RecursionError):
            self.rejected += 1
            return None

    def group_key(self, kind: str, members: list[tuple[str, str]]) -> str:
        """The key of what the cross-document rules of ``kind`` find in these (path, key) reports."""
        return hashlib.sha256(_json([kind, self.run_key, members]).encode()).hexdigest()

    def get_group(self, key: str, paths: list[str]) -> list[tuple[list[Finding], tuple[str, ...]]] | None:
        """Per report of a pair (this year's only) or family, the findings and the rules that ran."""
        data = self._read(key)
        try:
            if type(data) is not dict or type(data.get("group")) is not list or len(data["group"]) != len(paths):
                return None
            out = []
            for (findings, codes), path in zip(data["group"], paths, strict=True):
                out.append(([finding_from_plain(f, path) for f in findings], tuple(codes)))
                if not all(type(c) is str for c in codes):
                    return None
            return out
        except (BadRecord, TypeError, ValueError):
            return None

    def put_group(self, key: str, found: list[tuple[list[Finding], tuple[str, ...]]], paths: list[str]) -> None:
        group = [[[finding_plain(f, p) for f in fs], list(codes)] for (fs, codes), p in zip(found, paths, strict=False)]
        self._write(key, {"group": group})

    def _read(self, key: str) -> Any:
        """The payload stored under ``key`` as JSON data, or None when there is none to trust."""
        payload = self._payload(key)
        if payload is None:
            return None
        try:
            return json.loads(payload)
        except (ValueError, RecursionError):
            self.rejected += 1
            return None

    def _payload(self, key: str) -> bytes | None:
        """The payload stored under ``key``, checked to be whole and filed under its own key; None when
        there is none to trust."""
        try:
            with open(self._path(key), "rb") as fh:
                data = fh.read()
        except OSError:
            self.misses += 1
            return None
        head, _, rest = data.partition(b"\n")
        written_key, _, rest = rest.partition(b"\n")
        checksum, _, payload = rest.partition(b"\n")
        if head != FORMAT or written_key != key.encode() or checksum != hashlib.sha256(payload).hexdigest().encode():
            self.rejected += 1
            return None
        self.hits += 1
        return payload

    def put(self, key: str, record: FileRecord) -> None:
        self._write(key, record_plain(record))

    def _write(self, key: str, value: Any) -> None:
        if self.problem is not None:
            return
        # Key order kept: outputs print a result's fields in the order they were found.
        payload = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        data = b"\n".join((FORMAT, key.encode(), hashlib.sha256(payload).hexdigest().encode(), payload))
        target = self._path(key)
        temporary = f"{target}.{os.getpid()}.tmp"
        try:
            self._prepare(os.path.dirname(target))
            with open(temporary, "wb") as fh:
                fh.write(data)
            os.replace(temporary, target)  # a reader never sees half an entry
        except OSError as exc:
            from .loading import os_reason

            self.problem = f"无法写入缓存 {self.folder}：{os_reason(exc)}；本次照常检查，但结果没有缓存（可用 --no-cache 关闭缓存）"
            try:
                os.unlink(temporary)
            except OSError:
                pass

    def _prepare(self, shard: str) -> None:
        if not self._ready:
            os.makedirs(self.folder, exist_ok=True)
            for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", GITIGNORE)):
                marker = os.path.join(self.folder, name)
                if not os.path.exists(marker):
                    with open(marker, "w", encoding="utf-8") as fh:
                        fh.write(text)
            self._ready = True
        if shard not in self._shards:
            os.makedirs(shard, exist_ok=True)
            self._shards.add(shard)


_DECODER = json.JSONDecoder()
_RECORD_FIELDS = (("skipped", '{"skipped":'), ("result", ',"result":'), ("group", ',"group":'))
_EXTRACT_FIELD = ',"extract":'


def _record_data(payload: bytes) -> Any:
    """A record's JSON data with its extract left as JSON text (the bulk of an entry, read only when a
    pair or family is not cached itself, and checked then: :func:`nianbao.records.document`). An entry
    laid out otherwise than :func:`nianbao.records.record_plain` writes it is decoded whole."""
    text = payload.decode()
    data: dict[str, Any] = {}
    end = 0
    for name, lead in _RECORD_FIELDS:
        if not text.startswith(lead, end):
            return json.loads(text)
        data[name], end = _DECODER.raw_decode(text, end + len(lead))
    if not text.startswith(_EXTRACT_FIELD, end) or not text.endswith("}"):
        return json.loads(text)
    extract = text[end + len(_EXTRACT_FIELD) : -1]
    data["extract"] = None if extract == "null" else extract
    return data


def _ruleset_file(name: str | None) -> str:
    """The content hash of a rule set given as a file (``--ruleset ./mine.yaml``): its name says nothing
    of what it selects. Unreadable: the run stops on it before any file is linted."""
    if not name or not name.endswith((".yaml", ".yml")):
        return ""
    try:
        with open(name, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return ""


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def clear(folder: str) -> bool:
    """Remove a cache folder nianbao made (it holds nianbao's CACHEDIR.TAG); False when there was none.
    A folder without the tag is left alone: ``--cache-dir`` may name anything."""
    tag = os.path.join(folder, "CACHEDIR.TAG")
    try:
        with open(tag, encoding="utf-8") as fh:
            ours = "created by nianbao" in fh.read()
    except OSError:
        return False
    if not ours:
        return False
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    return True
