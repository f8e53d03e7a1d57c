"""The results of a run, in file order, held where a run of any size can afford them.

A small run keeps its results in memory. A large one writes each result (and the parts of its
document that cross-document rules read) to a private temporary file as it arrives, and keeps only
their offsets: the outputs then read the results back one at a time, so a run's memory does not grow
with the number of files (issue 13: 100,000 reports in a national crawl).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from array import array

    from .lint import FileResult

Extract = dict[str, Any]  # the parts of a document cross-document rules read, plain (nianbao.records)

# Results kept in memory before a run moves them to disk: a few MB, and no temporary file at all for
# a pre-commit hook or a folder of a province's reports.
IN_MEMORY = 500


class ResultStore:
    """An append-only sequence of results (each with an optional document extract)."""

    def __init__(self, expected: int = 0, in_memory: int = IN_MEMORY) -> None:
        self._results: list[FileResult] = []
        self._extracts: list[Extract | None] = []
        self._file: IO[bytes] | None = None
        self._offsets: array[int]  # per item on disk: result start, extract start, extract end
        self._replaced: dict[int, tuple[FileResult, Extract | None]] = {}
        self._in_memory = in_memory
        if expected > in_memory:
            self._spill()

    def _spill(self) -> None:
        import tempfile
        from array import array

        # Private (0600), removed when closed or when the process ends.
        self._file = tempfile.TemporaryFile(prefix="nianbao-results-")
        self._offsets = array("q")
        for result, extract in zip(self._results, self._extracts, strict=True):
            self._write(result, extract)
        self._results, self._extracts = [], []

    def _write(self, result: FileResult, extract: Extract | None) -> None:
        import pickle

        assert self._file is not None
        fh = self._file
        fh.seek(0, 2)
        start = fh.tell()
        fh.write(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
        middle = fh.tell()
        if extract is not None:
            fh.write(pickle.dumps(extract, pickle.HIGHEST_PROTOCOL))
        self._offsets.extend((start, middle, fh.tell()))

    def append(self, result: FileResult, extract: Extract | None = None) -> int:
        index = len(self)
        if self._file is None and index >= self._in_memory:
            self._spill()
        if self._file is None:
            self._results.append(result)
            self._extracts.append(extract)
        else:
            self._write(result, extract)
        return index

    @property
    def in_memory(self) -> bool:
        return self._file is None

    def __len__(self) -> int:
        return len(self._results) if self._file is None else len(self._offsets) // 3

    def __bool__(self) -> bool:
        return len(self) > 0

    def _read(self, start: int, end: int) -> object:
        import pickle

        assert self._file is not None
        self._file.seek(start)
        return pickle.loads(self._file.read(end - start))

    def replace(self, index: int, result: FileResult, extract: Extract | None) -> None:
        """Put another result (and extract) in place of one already stored (a file linted again)."""
        if self._file is None:
            self._results[index], self._extracts[index] = result, extract
        else:
            self._replaced[index] = (result, extract)

    def __getitem__(self, index: int) -> FileResult:
        if self._file is None:
            return self._results[index]
        if index < 0:
            index += len(self)
        if index in self._replaced:
            return self._replaced[index][0]
        o = self._offsets
        return self._read(o[3 * index], o[3 * index + 1])  # type: ignore[return-value]

    def extract(self, index: int) -> Extract | None:
        if self._file is None:
            return self._extracts[index]
        if index in self._replaced:
            return self._replaced[index][1]
        o = self._offsets
        start, end = o[3 * index + 1], o[3 * index + 2]
        return self._read(start, end) if end > start else None  # type: ignore[return-value]

    def __iter__(self) -> Iterator[FileResult]:
        if self._file is None:
            yield from self._results
            return
        for index in range(len(self)):
            yield self[index]

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
