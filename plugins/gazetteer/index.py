"""The lookup tables derived from ``divisions.tsv``: every name a division is known by, and which names
need a context to count.

Shipped pre-built (``divisions.built.json``, see ``nianbao.packagedata``), so this module is only
imported to build that file, or when it does not match the TSV.
"""

from __future__ import annotations

import re
from typing import Any

from .scan import is_weak

# Used to derive the short forms people actually write for autonomous divisions
# (石柱土家族自治县 -> 石柱县, 恩施土家族苗族自治州 -> 恩施州, 广西壮族自治区 -> 广西).
_NATIONALITIES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 "
    "德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 高山 各"
).split()
# Multi-character names also occur without 族 (巴音郭楞蒙古自治州); one-character ones never do, and
# stripping a bare 回 or 白 could eat part of a real stem. The stem keeps at least two characters, so
# 内蒙古 stays whole and 东乡族自治县 gets no short form.
_NATIONALITY_FORMS = sorted(
    {n + "族" for n in _NATIONALITIES} | {n for n in _NATIONALITIES if len(n) > 1}, key=len, reverse=True
)
_NATIONALITY_RUN = re.compile("^(.{2,}?)(?:" + "|".join(_NATIONALITY_FORMS) + ")+$")


def _strip_nationalities(stem: str) -> str:
    match = _NATIONALITY_RUN.match(stem)
    return match.group(1) if match else stem


def _short_form(name: str, level: str) -> tuple[str, str] | None:
    """(stem, kind) for a name with a droppable suffix, None when it has no usable short form."""
    for suffix in ("自治区", "自治州", "自治县", "自治旗"):
        if name.endswith(suffix):
            stem = _strip_nationalities(name[: -len(suffix)])
            unchanged = stem == name[: -len(suffix)]
            # 鄂伦春自治旗 has no shorter form; autonomous regions keep theirs (西藏, 内蒙古).
            if stem.endswith("族") or len(stem) < 2 or (unchanged and suffix != "自治区"):
                return None
            return stem, suffix
    if level == "county":
        return None
    for suffix in ("地区", "省", "市", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)], suffix
    return None


def build_index(text: str) -> dict[str, Any]:
    """The gazetteer's lookup tables derived from ``divisions.tsv``, as plain JSON data.

    Shipped pre-built (``divisions.built.json``, see ``nianbao.packagedata``): deriving them took
    longer than reading a whole report. The divisions themselves are read from the TSV.
    """
    rows: dict[str, tuple[str, str]] = {}  # code -> (name, level)
    children: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    provinces: list[str] = []
    for line in text.splitlines():
        code, name, level, parent = line.split("\t")
        if parent:
            children.setdefault(parent, []).append(code)
        else:
            provinces.append(code)
        rows[code] = (name, level)
        names.setdefault(name, []).append(code)

    weak = {name for name in names if is_weak(name)}
    stems: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}
    for code, (name, level) in rows.items():
        if level == "county" and "自治" not in name:
            continue
        short = _short_form(name, level)
        if short is None:
            continue
        stem, suffix = short
        if level == "county":
            forms = [stem + ("旗" if suffix == "自治旗" else "县")]
        else:
            stems.setdefault(stem, []).append(code)
            if level == "province":
                forms = [stem + "自治区"] if suffix == "自治区" else []
            else:
                forms = [stem + "地区"]
                if suffix == "自治州":
                    forms.append(stem + "州")  # 恩施州, 黔南州
                elif suffix == "地区":
                    forms.append(stem + "市")  # 地区 keep turning into cities (那曲地区 -> 那曲市)
        for form in forms:
            if form != name:
                aliases.setdefault(form, []).append(code)
    for form, codes in aliases.items():
        # A full name always beats a short form that happens to spell it (大理市 is a county, not 大理州).
        if form in names:
            continue
        names[form] = codes
        if form[:-1] in stems and rows[codes[0]][1] == "county":
            weak.add(form)  # 河南县 (河南蒙古族自治县) must not fire on 河南县级...

    # Codes joined by commas: one string per name reads faster than thousands of one-element lists.
    return {
        "children": children,
        "provinces": provinces,
        "names": {name: ",".join(codes) for name, codes in names.items()},
        "weak": sorted(weak),
        "end_chars": "".join(sorted({name[-1] for name in names})),
        "max_len": max(map(len, names)),
        "stems": {stem: ",".join(codes) for stem, codes in stems.items()},
        "max_stem": max(map(len, stems)),
    }
