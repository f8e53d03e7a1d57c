"""Large batches of text reports made from the corpus, for the batch, --jobs, cache and Dask figures.

Every copy differs from the others the way a provincial crawl does: another organ in another county
(so rule sets, pairing by organ and the cache keys vary), another report year (consecutive years of
one organ make cross-year pairs, as a crawl over several years does) and a sentence of its own.
Written to a temporary folder by the benchmarks; never committed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "corpus").glob("0*.txt")) + sorted((ROOT / "tests" / "corpus" / "2021").glob("*.txt"))
DEPARTMENTS = (
    "应急管理局",
    "教育局",
    "卫生健康委员会",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "市场监督管理局",
    "人力资源和社会保障局",
    "财政局",
    "民政局",
    "司法局",
    "文化和旅游局",
    "统计局",
    "医疗保障局",
)


@dataclass(frozen=True, slots=True)
class Seed:
    text: str
    organ: str | None  # as the report writes it, replaced in every copy
    year: int
    government: bool
    years: tuple[int, ...]  # the years a copy may be given (the seed's format applies to them)


def _seed(path: Path) -> Seed:
    text = path.read_text("utf-8")
    head = text[:400]
    year = int(re.search(r"(20[12]\d) ?年", head).group(1))  # type: ignore[union-attr]
    line = next((x.strip() for x in head.splitlines() if re.search(r"(局|室|政府)$", x.strip())), None)
    organ = re.split(r"[:：]", line)[-1] if line else None  # 报送单位：银州区应急管理局
    years = (2019, 2020) if year < 2021 else (2021, 2022, 2023, 2024)
    return Seed(text, organ, year, bool(organ and organ.endswith("政府")), years)


def _counties() -> list[tuple[str, str]]:
    """(prefecture, county) names of the gazetteer's counties."""
    rows = [
        line.split("\t") for line in (ROOT / "plugins" / "gazetteer" / "divisions.tsv").read_text("utf-8").splitlines()
    ]
    names = {code: name for code, name, *_ in rows}
    return [(names.get(r[3], ""), r[1]) for r in rows if len(r) > 3 and r[2] == "county" and r[3] in names]


def write_batch(folder: Path, count: int, seed: int = 13) -> list[Path]:
    """``count`` report files in ``folder`` (sub-folders of 1,000), deterministic for a given ``seed``."""
    rng = random.Random(seed)
    seeds = [_seed(p) for p in SEEDS]
    counties = _counties()
    paths: list[Path] = []
    organ = 0
    while len(paths) < count:
        base = seeds[organ % len(seeds)]
        prefecture, county = rng.choice(counties)
        name = f"{prefecture}{county}{'人民政府' if base.government else rng.choice(DEPARTMENTS)}"
        # One to three consecutive years of this organ: pairs for the cross-year rules, as in a crawl.
        span = rng.randint(1, min(3, len(base.years)))
        first = rng.randint(0, len(base.years) - span)
        for year in base.years[first : first + span]:
            shift = {str(base.year): str(year), str(base.year - 1): str(year - 1)}
            text = re.sub(rf"{base.year}|{base.year - 1}", lambda m: shift[m.group(0)], base.text)  # noqa: B023
            if base.organ:
                text = text.replace(base.organ, name)
            # A sentence of its own after the first statutory heading: no two copies share content.
            text = re.sub(
                r"(一\s*、\s*总体情况[^\n]*\n)", rf"\1本年共举办政务公开培训{len(paths) % 97 + 1}次。\n", text, count=1
            )
            path = folder / f"{len(paths) // 1000:03d}" / f"{len(paths):06d}_{year}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            paths.append(path)
            if len(paths) == count:
                break
        organ += 1
    return paths


def write_binary_batch(folder: Path, copies: int) -> list[Path]:
    """``copies`` copies of every PDF and HTML fixture, each with a comment of its own after the end
    (PDF readers and browsers ignore it): as many distinct files, for the cache figures on the formats
    that cost the most to read."""
    fixtures = [
        *sorted((ROOT / "tests" / "corpus" / "formats").glob("*.pdf")),
        *sorted((ROOT / "tests" / "corpus" / "pdf").glob("*.pdf")),
    ]
    fixtures += sorted((ROOT / "tests" / "corpus" / "formats").glob("*.html"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(copies):
        for fixture in fixtures:
            comment = f"\n% copy {n}\n" if fixture.suffix == ".pdf" else f"\n<!-- copy {n} -->\n"
            path = folder / f"{fixture.stem}_{n:04d}{fixture.suffix}"
            path.write_bytes(fixture.read_bytes() + comment.encode("ascii"))
            paths.append(path)
    return paths
