"""Regenerate the built (JSON) form of nianbao's package data: ``NAME.built.json`` beside every file
listed in ``nianbao.packagedata.BUILT`` (see that module for why).

Run it from a checkout with an editable install after editing any of those files (the national
formats, the built-in rule sets, ``chrome.yaml``, ``divisions.tsv``) and commit the result;
``tests/test_package_data.py`` fails while a built file is stale.

    python scripts/build_package_data.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from nianbao.packagedata import BUILT, BUILT_SUFFIX, build, built_path, deriver, package_file

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sources: dict[tuple[Path, str], list[Path]] = {}  # (folder, pattern of its built files) -> sources
    for package, pattern, derive in BUILT:
        folder = Path(package_file(package, "")).resolve()
        if ROOT not in folder.parents:
            sys.exit(f"{package} is imported from {folder}, not from this checkout: pip install -e . first")
        built_pattern = str(Path(pattern).parent / ("*" + BUILT_SUFFIX))
        for source in sorted(folder.glob(pattern)):
            sources.setdefault((folder, built_pattern), []).append(source)
            target = Path(built_path(str(source)))
            text = build(str(source), deriver(derive))
            if not target.exists() or target.read_text("utf-8") != text:
                target.write_text(text, "utf-8")
                print(f"wrote {target.relative_to(ROOT)}")
    for (folder, built_pattern), built in sources.items():
        for orphan in set(folder.glob(built_pattern)) - {Path(built_path(str(s))) for s in built}:
            orphan.unlink()
            print(f"removed {orphan.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
