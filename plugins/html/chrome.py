"""Telling portal chrome from the report, driven by ``chrome.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from nianbao.packagedata import load_packaged_yaml, package_file

_WORDS = re.compile(r"[a-z0-9]+")
_SPACE = re.compile(r"\s+")
_HEADINGS = ("h1", "h2", "h3")


@dataclass(frozen=True, slots=True)
class Chrome:
    drop_tags: frozenset[str]
    header_tag: str
    class_words: frozenset[str]
    max_chrome_chars: int
    link_share: float
    max_phrase_line: int
    phrases: tuple[str, ...]

    def drops(self, el: Any, tag: str) -> bool:
        """Whether an element is chrome by its structure (tag, class or id)."""
        if tag in self.drop_tags:
            return True
        if tag == self.header_tag:
            return next(el.iter(*_HEADINGS), None) is None  # (an element is falsy when it has no children)
        names = ((el.get("class") or "") + " " + (el.get("id") or "")).lower()
        if not names.strip() or self.class_words.isdisjoint(_WORDS.findall(names)):
            return False
        return len(_SPACE.sub("", "".join(el.itertext()))) <= self.max_chrome_chars

    def is_chrome_line(self, text: str, linked: int) -> bool:
        """Whether a block of text is chrome by what it says, or by being all links."""
        compact = _SPACE.sub("", text)
        if not compact:
            return True
        if linked >= self.link_share * len(text.strip()):
            return True
        if len(compact) > self.max_phrase_line or "。" in compact:
            return False
        return any(p in compact for p in self.phrases)


@lru_cache(maxsize=1)
def chrome() -> Chrome:
    data = load_packaged_yaml(package_file(__package__, "chrome.yaml"))
    return Chrome(
        drop_tags=frozenset(data["drop_tags"]),
        header_tag=data["header_tag"],
        class_words=frozenset(data["class_words"]),
        max_chrome_chars=int(data["max_chrome_chars"]),
        link_share=float(data["link_share"]),
        max_phrase_line=int(data["max_phrase_line"]),
        phrases=tuple(data["phrases"]),
    )
