"""China's administrative divisions: which region a report belongs to, and what kind of organ wrote it.

The gazetteer (``divisions.tsv``, see ``SOURCE.md``) lists province-, prefecture- and county-level
divisions as ``code<TAB>name<TAB>level<TAB>parent_code``. Its index is built with the package
(:func:`build_index`), read on first use and then kept for the life of the process.

Matching works on whole names only. A text is scanned once: at every character that can end a name
(省, 市, 区, 县, 旗, 州, 盟, ...) the longest indexed name ending there is looked up in a dict, so the cost
is proportional to the text, not to the ~3200 divisions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from nianbao.document import Region
from nianbao.packagedata import load_built, package_file, package_text

__all__ = ["find_region", "organ_level", "place_start"]

_DATA_FILE = "divisions.tsv"

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
# Compiled on first use (through re's cache) so that importing the module stays cheap.
_NATIONALITY_RUN = "^(.{2,}?)(?:" + "|".join(_NATIONALITY_FORMS) + ")+$"

# Real county names that are also everyday phrases (老城区改造, 新城区建设, 城区内, 新县城...). Like
# every two-character name, they count only right after a name of an enclosing division
# (洛阳市老城区) or at the very start of an organ name.
_GENERIC_NAMES = frozenset(
    "城区 郊区 矿区 东区 西区 城东区 城西区 城南区 城北区 城中区 城关区 新城区 老城区 新市区 西市区 "
    "市中区 市北区 市南区 南郊区 解放区 平安区 前进区 向阳区".split()
)


class _Division(NamedTuple):
    code: str
    name: str
    level: str
    parent: str | None
    chain: tuple[str, ...]  # codes from the province down to this division


class _Divisions(dict):
    """code -> :class:`_Division`, each built on first lookup: a report looks up a few dozen of ~3200."""

    def __init__(self, rows: dict[str, str]) -> None:
        super().__init__()
        self._rows = rows  # code -> "name<TAB>level<TAB>parent code", as in divisions.tsv

    def __missing__(self, code: str) -> _Division:
        name, level, parent = self._rows[code].split("\t")
        chain = (self[parent].chain if parent else ()) + (code,)
        division = self[code] = _Division(code, name, level, parent or None, chain)
        return division


class _Gazetteer(NamedTuple):
    divisions: dict[str, _Division]
    children: dict[str, Sequence[str]]
    provinces: Sequence[str]
    # full names and suffixed short forms -> codes (several when the name is ambiguous nationwide)
    names: dict[str, Sequence[str]]
    weak: frozenset[str]
    end_chars: frozenset[str]
    max_len: int
    # bare province / prefecture stems (常州, 辽宁), accepted only at the start of an organ name
    stems: dict[str, Sequence[str]]
    max_stem: int


_gazetteer: _Gazetteer | None = None


def _strip_nationalities(stem: str) -> str:
    match = re.match(_NATIONALITY_RUN, stem)
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

    weak = {name for name in names if len(name) <= 2 or name in _GENERIC_NAMES}
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

    return {
        "children": children,
        "provinces": provinces,
        "names": names,
        "weak": sorted(weak),
        "end_chars": "".join(sorted({name[-1] for name in names})),
        "max_len": max(map(len, names)),
        "stems": stems,
        "max_stem": max(map(len, stems)),
    }


def _load() -> _Gazetteer:
    global _gazetteer
    if _gazetteer is not None:
        return _gazetteer
    index = load_built(package_file(__name__, _DATA_FILE), build_index)
    rows = package_text(__name__, _DATA_FILE).splitlines()
    _gazetteer = _Gazetteer(
        divisions=_Divisions(dict(line.split("\t", 1) for line in rows)),
        children=index["children"],
        provinces=index["provinces"],
        names=index["names"],
        weak=frozenset(index["weak"]),
        end_chars=frozenset(index["end_chars"]),
        max_len=index["max_len"],
        stems=index["stems"],
        max_stem=index["max_stem"],
    )
    return _gazetteer


class _Match(NamedTuple):
    start: int
    end: int
    codes: Sequence[str]


def _related(gaz: _Gazetteer, a: str, b: str) -> bool:
    """True when one division contains the other (or they are the same)."""
    return a in gaz.divisions[b].chain or b in gaz.divisions[a].chain


def _scan(gaz: _Gazetteer, text: str, *, organ: bool) -> list[_Match]:
    found: list[_Match] = []
    if organ:
        for length in range(min(gaz.max_stem, len(text)), 1, -1):
            codes = gaz.stems.get(text[:length])
            if codes:
                found.append(_Match(0, length, codes))
                break
    names = gaz.names
    end_chars = gaz.end_chars
    for i, char in enumerate(text):
        if char not in end_chars:
            continue
        end = i + 1
        for length in range(min(gaz.max_len, end), 1, -1):
            start = end - length
            codes = names.get(text[start:end])
            if codes is not None:
                break
        else:
            continue
        following = text[end : end + 2]
        # 义乌市场 is a market and 江北区域 an area, but 常州市市场监督管理局 is still 常州市.
        if char == "市" and following[:1] == "场" and following != "场监":
            continue
        if char == "区" and following[:1] == "域":
            continue
        previous = found[-1] if found else None
        if text[start:end] in gaz.weak and not (organ and start == 0):
            if previous is None or previous.end != start:
                continue
            if not any(p in gaz.divisions[c].chain[:-1] for c in codes for p in previous.codes):
                continue
        if previous is not None and start < previous.end:
            # Overlapping names (长沙市区 holds 长沙市 and 沙市区): the longer wins, else the first.
            if end - start <= previous.end - previous.start:
                continue
            found.pop()
        found.append(_Match(start, end, codes))
    return found


def _common_ancestor(gaz: _Gazetteer, codes: Sequence[str]) -> str | None:
    chains = [gaz.divisions[c].chain for c in codes]
    common = None
    for level in zip(*chains, strict=False):  # chains differ in depth
        if len(set(level)) != 1:
            break
        common = level[0]
    return common


def _pick(gaz: _Gazetteer, candidates: Sequence[str], anchors: Sequence[str]) -> tuple[str, ...]:
    """Candidates best supported by anchors (unambiguous names found elsewhere) on the same chain."""
    scores = [sum(_related(gaz, c, a) for a in anchors) for c in candidates]
    best = max(scores)
    if best == 0:
        return tuple(candidates)
    return tuple(c for c, s in zip(candidates, scores, strict=True) if s == best)


def _disambiguate(gaz: _Gazetteer, matches: list[_Match], context: list[_Match]) -> list[str]:
    """One division per match: the match itself, its resolution, or what its readings share."""
    anchors = [m.codes[0] for m in matches if len(m.codes) == 1]
    outside = [m.codes[0] for m in context if len(m.codes) == 1]
    resolved = []
    for match in matches:
        codes = match.codes
        if len(codes) > 1:
            codes = _pick(gaz, codes, anchors)
        if len(codes) > 1:
            codes = _pick(gaz, codes, outside)
        if len(codes) == 1:
            resolved.append(codes[0])
        else:
            common = _common_ancestor(gaz, codes)
            if common is not None:
                resolved.append(common)
    return resolved


def _dominant(counts: dict[str, int], options: Sequence[str]) -> str | None:
    """The option mentioned at least twice as often as all others together, if any."""
    present = [(counts[o], o) for o in options if o in counts]
    if not present:
        return None
    present.sort(reverse=True)
    top, code = present[0]
    rest = sum(n for n, _ in present[1:])
    return code if top >= 2 * rest else None


def _settle(gaz: _Gazetteer, resolved: list[str]) -> str | None:
    """Walk down from the provinces while one branch clearly dominates the mentions."""
    counts: dict[str, int] = {}
    for code in resolved:
        for node in gaz.divisions[code].chain:
            counts[node] = counts.get(node, 0) + 1
    chosen = None
    options: Sequence[str] = gaz.provinces
    while True:
        step = _dominant(counts, options)
        if step is None:
            return chosen
        chosen = step
        options = gaz.children.get(chosen, ())


def _region(gaz: _Gazetteer, code: str, decided_by: str) -> Region:
    region = Region(code=code, decided_by=decided_by)
    for node in gaz.divisions[code].chain:
        div = gaz.divisions[node]
        setattr(region, div.level, div.name)
    return region


def find_region(organ: str | None, texts: Sequence[str] = ()) -> Region:
    """The division a report belongs to, from its organ name or, failing that, from its texts.

    Names in ``organ`` decide (``decided_by="organ"``); ``texts`` then only serve to tell apart
    same-named counties (鼓楼区 exists in four cities). Without a usable organ name the texts decide
    (``decided_by="text"``), following the branch that clearly dominates their mentions. A county
    gives its prefecture and province; whatever cannot be settled is left ``None``, and ``Region()``
    comes back when nothing is found. ``code`` is the adcode of the most specific level filled.
    """
    gaz = _load()
    if isinstance(texts, str):
        texts = (texts,)
    organ_text = "".join(organ.split()) if organ else ""
    organ_matches = _scan(gaz, organ_text, organ=True) if organ_text else []
    text_matches = [m for t in texts if t for m in _scan(gaz, t, organ=False)]

    if organ_matches:
        code = _settle(gaz, _disambiguate(gaz, organ_matches, text_matches))
        if code is not None:
            return _region(gaz, code, "organ")
    if text_matches:
        code = _settle(gaz, _disambiguate(gaz, text_matches, organ_matches))
        # The organ named a place we could not pin down (鼓楼区); a text pointing elsewhere
        # (北京市) says more about what the report mentions than about where it comes from.
        if code is not None and all(any(_related(gaz, code, c) for c in m.codes) for m in organ_matches):
            return _region(gaz, code, "text")
    return Region()


def place_start(text: str) -> int | None:
    """Where the first division name in ``text`` starts (an organ name begins there: ``…首页常州市应急管理局``)."""
    matches = _scan(_load(), text, organ=False)
    return matches[0].start if matches else None


# organ_level ---------------------------------------------------------------------------------------

_OTHER_ENDINGS = tuple(
    (
        # street offices and self-governing bodies
        "街道办事处 街道办 街道 村民委员会 居民委员会 村委会 居委会 社区 "
        # schools, hospitals and other public institutions
        "大学 学院 学校 中学 小学 幼儿园 医院 卫生院 保健院 研究院 研究所 科学院 设计院 福利院 敬老院 养老院 "
        "图书馆 博物馆 纪念馆 文化馆 档案馆 美术馆 科技馆 体育馆 电视台 报社 出版社 杂志社 中心 站 所 "
        # enterprises, associations and people's organisations
        "公司 集团 银行 合作社 协会 学会 商会 研究会 促进会 基金会 联合会 工会 联合社"
    ).split()
)
_OTHER_MARKERS = ("有限公司", "股份", "街道办事处")
_DEPARTMENT_ENDINGS = tuple(
    "局 委员会 委 办公室 办公厅 办 厅 署 院 部 处 室 科 管委会 总队 支队 大队 中队 办事处 公署".split()
)
# Administrative outposts whose names end like an institute (所) but are organs.
_OUTPOST_ENDINGS = ("派出所", "司法所", "财政所", "税务所", "监管所", "管理所")
_GOVERNMENT_ENDINGS = ("人民政府", "政府", "国务院")


def organ_level(organ: str | None) -> str | None:
    """What kind of organ published the report: ``government``, ``department``, ``other`` or None.

    - ``government``: a people's government at any level, i.e. a name ending in 人民政府
      (重庆市人民政府, XX镇人民政府, XX乡人民政府), also the informal XX区政府, and 国务院.
      Its 办公室/办公厅 (XX市人民政府办公室) is a working body of that government and counts as
      ``department``, like every other organ that reports in its own name.
    - ``other``: bodies that are not administrative organs even when the law makes them publish —
      街道办事处 (an agency of the district, but treated apart because its report template differs),
      村/居民委员会, schools, hospitals, research institutes, 中心, 站, 所 (except administrative
      outposts such as 派出所, 司法所, 税务所), libraries and museums, media, companies, banks,
      associations and federations (协会, 学会, 联合会).
    - ``department``: any other name that ends like an administrative organ — 局, 委员会/委,
      办公室/办公厅/办, 厅, 署, 部, 处, 院 (法院, 检察院), 管委会, 执法队伍 (总队/支队/大队) ...
      e.g. 重庆市渝北区应急管理局, 重庆市大渡口区人民防空办公室.
    - ``other`` also for anything that ends like none of these; ``None`` for a missing or blank name.
    """
    if organ is None:
        return None
    name = "".join(organ.split())
    if not name:
        return None
    if name.endswith(_OUTPOST_ENDINGS):
        return "department"
    if name.endswith(_OTHER_ENDINGS) or any(marker in name for marker in _OTHER_MARKERS):
        return "other"
    if name.endswith(_GOVERNMENT_ENDINGS):
        return "government"
    if name.endswith(_DEPARTMENT_ENDINGS):
        return "department"
    return "other"
