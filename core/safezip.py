"""Reading members of an untrusted zip (DOCX and other OOXML packages) with hard bounds.

The sizes a zip declares are not trusted: a member is decompressed in chunks and refused as soon
as it passes its cap or its compression ratio, so a zip bomb costs at most the cap in memory.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from .loading import InputError

_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class ZipLimits:
    # An annual report's document.xml is well under 2 MB; 64 MB leaves room for odd generators.
    max_members: int = 2000
    max_member_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 128 * 1024 * 1024
    # Word XML compresses about 10:1; highly repetitive tables reach 50:1. 200:1 is a bomb.
    max_ratio: int = 200
    # Small members may compress absurdly well without harm (an empty part of zeros).
    ratio_floor_bytes: int = 1024 * 1024


class SafeZip:
    """A zip opened from bytes whose members are read with limits; errors are :class:`InputError`."""

    def __init__(self, data: bytes, limits: ZipLimits = ZipLimits(), what: str = "压缩包") -> None:
        self.limits = limits
        self.what = what
        self.total_read = 0
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError, EOFError):
            raise InputError(f"{what}已损坏或不完整（无法作为 zip 打开），可能是下载或复制时被截断") from None
        if len(infos) > limits.max_members:
            raise InputError(f"{what}包含 {len(infos)} 个成员，超过 {limits.max_members} 个的上限，拒绝读取")
        self.infos = {i.filename: i for i in infos}

    def names(self) -> list[str]:
        return list(self.infos)

    def __contains__(self, name: str) -> bool:
        return name in self.infos

    def read(self, name: str) -> bytes:
        """The member's bytes, decompressed under the size and ratio caps."""
        info = self.infos[name]
        limits = self.limits
        if info.flag_bits & 0x1:
            raise InputError(f"{self.what}受密码保护（成员 {name} 已加密），请去除密码后再检查")
        ratio_cap = max(limits.ratio_floor_bytes, info.compress_size * limits.max_ratio)
        if info.file_size > ratio_cap:  # a bomb is called a bomb, whatever the size cap
            raise InputError(self._bomb(name))
        if info.file_size > limits.max_member_bytes:
            raise InputError(self._too_big(name, info.file_size))
        cap = min(limits.max_member_bytes, limits.max_total_bytes - self.total_read)
        chunks: list[bytes] = []
        size = 0
        try:
            with self.zip.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > ratio_cap:
                        raise InputError(self._bomb(name))
                    if size > cap:
                        raise InputError(self._too_big(name, size))
                    chunks.append(chunk)
        except InputError:
            raise
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            ValueError,
            NotImplementedError,
            RuntimeError,
        ) as exc:
            raise InputError(f"{self.what}成员 {name} 无法解压（{type(exc).__name__}），文件可能已损坏") from None
        self.total_read += size
        return b"".join(chunks)

    def _bomb(self, name: str) -> str:
        return f"{self.what}成员 {name} 的压缩比超过 {self.limits.max_ratio}:1（疑似压缩炸弹），拒绝解压"

    def _too_big(self, name: str, size: int) -> str:
        mb = self.limits.max_member_bytes // (1024 * 1024)
        return f"{self.what}成员 {name} 解压后超过 {mb} MB 的上限（至少 {size} 字节），拒绝解压"
