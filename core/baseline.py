"""Baselines: accept today's findings, report only new ones.

A baseline records, per file and rule, how many findings there were. Counts rather than
fingerprints keep it readable and stable while a report is edited; the price is that when a count
grows nianbao cannot tell which finding is new, so it reports the ones past the recorded count
(the last in document order).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .rules import Finding
from .yamlerrors import ConfigError

VERSION = 1


def _key(path: str, root: Path) -> str:
    p = Path(path)
    if path == "-":
        return "-"
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.resolve().as_posix()


@dataclass(slots=True)
class Baseline:
    path: Path
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent

    @classmethod
    def read(cls, path: str) -> Baseline:
        p = Path(path)
        try:
            data = json.loads(p.read_text("utf-8"))
        except FileNotFoundError:
            raise ConfigError(path, "基线文件不存在（先用 --write-baseline 生成）") from None
        except OSError as exc:
            from .loading import os_reason

            raise ConfigError(path, f"基线文件无法读取：{os_reason(exc)}") from None
        except ValueError:
            raise ConfigError(path, "基线文件不是有效的 JSON（被手工改坏了？可用 --write-baseline 重新生成）") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("files"), dict):
            raise ConfigError(path, f"不是 nianbao 基线文件（需要 version {VERSION} 和 files）")
        return cls(p, {f: dict(c) for f, c in data["files"].items()})

    @classmethod
    def from_findings(cls, path: str, findings: list[Finding]) -> Baseline:
        baseline = cls(Path(path))
        baseline.add(findings)
        return baseline

    def add(self, findings: list[Finding]) -> None:
        """Accept these findings too (a run adds each file's as it finishes it)."""
        for f in findings:
            counts = self.counts.setdefault(_key(f.path, self.root), {})
            counts[f.code] = counts.get(f.code, 0) + 1

    def write(self) -> None:
        data = {
            "version": VERSION,
            "files": {f: dict(sorted(c.items())) for f, c in sorted(self.counts.items()) if c},
        }
        self.path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")

    def filter(self, findings: list[Finding], linted: list[str]) -> tuple[list[Finding], list[tuple[str, str, int]]]:
        """Findings beyond the baseline, and stale entries ``(file, code, surplus)`` for the files linted."""
        seen: Counter[tuple[str, str]] = Counter()
        totals = Counter((_key(f.path, self.root), f.code) for f in findings)
        new: list[Finding] = []
        for f in findings:
            k = (_key(f.path, self.root), f.code)
            seen[k] += 1
            allowed = self.counts.get(k[0], {}).get(k[1], 0)
            if seen[k] > allowed:
                new.append(f)
        stale = []
        for file in sorted({_key(p, self.root) for p in linted}):
            for code, count in sorted(self.counts.get(file, {}).items()):
                if totals[(file, code)] < count:
                    stale.append((file, code, count - totals[(file, code)]))
        return new, stale

    def prune(self, stale: list[tuple[str, str, int]]) -> None:
        for file, code, surplus in stale:
            remaining = self.counts[file][code] - surplus
            if remaining > 0:
                self.counts[file][code] = remaining
            else:
                del self.counts[file][code]
