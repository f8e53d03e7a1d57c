"""A batch of reports as a provincial portal would lint it, for the tests of --jobs, the cache, the
result store and Dask: every loader, a cross-year pair, a family for --hierarchy, a file that cannot
be read and one that is no report at all."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import CORPUS, SEEDS
from .test_crossyear import derived, last_year


def make_batch(folder: Path) -> Path:
    """``folder/reports`` with 15 files (14 linted, one skipped as no report); returns it."""
    reports = folder / "reports"
    (reports / "2021").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copy(seed, reports / seed.name)
    for path in sorted((CORPUS / "2021").glob("*.txt")):  # 洪泽区 2023 and 2024: a cross-year pair
        shutil.copy(path, reports / "2021" / path.name)
    last_year(reports, carry_forward=3)  # 渝北区应急管理局 2019: XY01 with seed 000
    derived(reports, "yubei-government.txt", "重庆市渝北区人民政府", 5)  # with seed 000: a --hierarchy family
    derived(reports, "yubei-air-defence.txt", "重庆市渝北区人民防空办公室", 2)
    shutil.copy(CORPUS / "formats" / "001_cabab7ad1985ba48.docx", reports / "dadukou.docx")
    shutil.copy(CORPUS / "formats" / "002_3dc16392cc7dc7e9.html", reports / "portal-page.html")
    shutil.copy(CORPUS / "hostile" / "corrupt.pdf", reports / "corrupt.pdf")  # NB01
    (reports / "README.txt").write_text("这个文件夹里是各部门报送的年度报告。\n", "utf-8")  # skipped: no report
    return reports
