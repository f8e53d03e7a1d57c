"""Regenerate plugins/text/traditional_chars.txt: every character OpenCC ``t2s`` changes on its own.

The loader checks a report against this set before loading OpenCC, so the large majority of
reports (already simplified) never pay for importing it and building the converter (~25 ms).

    python scripts/build_traditional_chars.py
"""

from __future__ import annotations

from pathlib import Path

import opencc

RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0))
OUT = Path(__file__).resolve().parent.parent / "plugins" / "text" / "traditional_chars.txt"


def main() -> None:
    chars = [chr(i) for start, end in RANGES for i in range(start, end)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    assert len(converted) == len(chars)
    changed = "".join(a for a, b in zip(chars, converted, strict=True) if a != b)
    OUT.write_text(
        f"# OpenCC {getattr(opencc, '__version__', '')} t2s, {len(changed)} characters\n{changed}\n", "utf-8"
    )
    print(f"{OUT}: {len(changed)} characters")


if __name__ == "__main__":
    main()
