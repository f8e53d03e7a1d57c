"""The result store: the same sequence of results and extracts whether it holds them in memory or in
its temporary file, including after results are replaced at the end of a run."""

from __future__ import annotations

import pytest
from nianbao.lint import FileResult
from nianbao.rules import Finding
from nianbao.store import ResultStore


def result(n: int) -> FileResult:
    finding = Finding("TX01", "text.pinyin", "warning", f"第 {n} 份的问题", path=f"r{n}.txt")
    return FileResult(f"r{n}.txt", [finding], meta={"report_year": 2000 + n})


def extract(n: int) -> dict | None:
    return None if n % 3 == 0 else {"source": {"path": ""}, "n": n}


def contents(store: ResultStore) -> list[tuple[str, str, object, object]]:
    return [(r.path, r.findings[0].message, r.meta["report_year"], store.extract(i)) for i, r in enumerate(store)]


@pytest.mark.parametrize("expected", [0, 10], ids=["spills when full", "spills at once"])
def test_kept_on_disk_as_in_memory(expected: int) -> None:
    memory, disk = ResultStore(), ResultStore(expected, in_memory=4)
    assert disk.in_memory is (expected == 0)
    for n in range(10):
        assert memory.append(result(n), extract(n)) == disk.append(result(n), extract(n)) == n
        assert disk.in_memory is (expected == 0 and n < 4)
    assert memory.in_memory and not disk.in_memory
    assert len(disk) == 10 and contents(disk) == contents(memory)
    assert contents(disk)[4] == ("r4.txt", "第 4 份的问题", 2004, {"source": {"path": ""}, "n": 4})
    assert disk[-1].path == "r9.txt" and disk.extract(-1) == extract(9)


def test_a_replaced_result_keeps_its_extract_unless_told() -> None:
    for store in (ResultStore(), ResultStore(in_memory=2)):
        for n in range(5):
            store.append(result(n), extract(n))
        store.replace(1, result(11))
        store.replace(2, result(12), {"source": {"path": ""}, "n": 12}, keep=False)
        store.replace(4, result(14), None, keep=False)
        assert [r.path for r in store] == ["r0.txt", "r11.txt", "r12.txt", "r3.txt", "r14.txt"]
        assert [store.extract(i) for i in range(5)] == [None, extract(1), {"source": {"path": ""}, "n": 12}, None, None]
        store.append(result(5))
        assert store[5].path == "r5.txt" and store[4].path == "r14.txt"


def test_an_empty_store_is_false() -> None:
    store = ResultStore(100, in_memory=1)
    assert not store and len(store) == 0 and list(store) == []
    store.append(result(0))
    assert store and store[0].path == "r0.txt"
