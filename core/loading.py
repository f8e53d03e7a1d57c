"""Choosing a loader for a file and turning its bytes into a canonical document."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from .document import Document, Location, Source
from .templates import Template

# Annual reports are a few hundred KB at most (a PDF with scanned seals a few MB); anything far
# larger is a mistake or an attack, and reading it whole would cost memory for nothing.
MAX_INPUT_BYTES = 50 * 1024 * 1024
SNIFF_BYTES = 4096


_ERRNO_TEXT = {
    "ENOENT": "文件或目录不存在",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "EISDIR": "这是一个目录",
    "ENOTDIR": "路径中有一部分不是目录",
    "ENOSPC": "磁盘空间不足",
    "EROFS": "文件系统是只读的",
    "EBUSY": "文件正被其他程序使用",
    "ENAMETOOLONG": "文件名太长",
    "EIO": "读写出错（磁盘或网络盘故障？）",
}


def os_reason(exc: OSError) -> str:
    """An operating-system error in Chinese (``strerror`` is English on most systems)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _ERRNO_TEXT.get(name) or f"系统错误 {name or exc.errno}"


class InputError(Exception):
    """A file that cannot be turned into a report. ``code`` is NB01 (unreadable) or NB02 (not a report)."""

    def __init__(self, reason: str, code: str = "NB01", location: Location | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.location = location  # where in the file, when the loader knows (a JSON syntax error)


class NotAReport(InputError):
    """The file was read and holds nothing a report has (no statutory section, no table): a README or
    a portal's index page. A folder walk skips such a file with a note; named explicitly it is NB02."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, code="NB02")


@dataclass(slots=True)
class LoadContext:
    """What a loader may use besides the bytes: the known report templates and user choices."""

    templates: Sequence[Template]
    edition: str | None = None  # forced by configuration; None means decide from the report year

    def template(self, edition: str) -> Template | None:
        return next((f for f in self.templates if f.edition == edition), None)

    def template_for_year(self, year: int) -> Template | None:
        return next((f for f in self.templates if f.applies_to(year)), None)


@runtime_checkable
class Loader(Protocol):
    """A file format. A loader may also set ``discover = False``: its extensions are then read only
    when a file is named explicitly, never picked up by walking a directory; and ``conversions``, a
    mapping from other extensions (``.doc``) to what a person should do with such a file (save it as
    ``.docx``), which a folder walk reports instead of passing over the file in silence."""

    name: str
    extensions: tuple[str, ...]

    def sniff(self, head: bytes) -> int:
        """How sure the loader is (0-100) that bytes starting with ``head`` are its format."""

    def load(self, data: bytes, source: Source, context: LoadContext) -> Document:
        """Build the canonical document; raise :class:`InputError` for a file it cannot read."""


def choose_loader(loaders: Sequence[Loader], path: str, head: bytes, kind: str | None = None) -> Loader:
    """The loader of input kind ``kind`` (``--input-format``), else by extension, else by sniffing."""
    if kind:
        for loader in loaders:
            if loader.name == kind:
                return loader
        raise InputError(f"未知的输入格式 “{kind}”（可用：{', '.join(sorted(x.name for x in loaders))}）")
    suffix = os.path.splitext(path)[1].lower()
    by_ext = [x for x in loaders if suffix and suffix in x.extensions]
    candidates = by_ext or list(loaders)
    scored = sorted(((x.sniff(head), i, x) for i, x in enumerate(candidates)), key=lambda t: (-t[0], t[1]))
    if by_ext:
        return scored[0][2]
    if not scored or scored[0][0] <= 0:
        raise InputError("无法识别的文件类型")
    return scored[0][2]


def read_input(path: str) -> bytes:
    """Read a file (``-`` for standard input) with a size limit, as :class:`InputError` on failure."""
    import sys

    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            if os.path.isdir(path):
                raise InputError("这是一个目录，不是文件")
            # Opening a FIFO waits for a writer for ever, and a device never ends: read regular files only.
            if not stat.S_ISREG(os.stat(path).st_mode):
                raise InputError("这不是普通文件（而是管道、设备或套接字），无法作为报告读取；要从管道读取请用 -")
            with open(path, "rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InputError("文件不存在") from None
    except PermissionError:
        raise InputError("没有读取权限") from None
    except OSError as exc:
        raise InputError(f"无法读取：{os_reason(exc)}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"文件超过 {MAX_INPUT_BYTES // (1024 * 1024)} MB 的输入上限")
    return data


def load_document(
    path: str, loaders: Sequence[Loader], context: LoadContext, kind: str | None = None, data: bytes | None = None
) -> Document:
    if data is None:
        data = read_input(path)
    loader = choose_loader(loaders, path, data[:SNIFF_BYTES], kind)
    source = Source(
        path=path,
        format=loader.name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    return loader.load(data, source, context)
