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

# The parts of a document cross-document rules read, plain or as JSON text (nianbao.records.FileRecord)
Extract = dict[str, Any] | str

# Results kept in memory before a run moves them to disk: a few MB, and no temporary file at all for
# a pre-commit hook or a folder of a province's reports.
IN_MEMORY = 500


class ResultStore:
    """A sequence of results in file order (each with an optional document extract): appended as files
    are done, replaced where the end of the run changes a result."""

    def __init__(self, expected: int = 0, in_memory: int | None = None) -> None:
        self._results: list[FileResult] = []
        self._extracts: list[Extract | None] = []
        self._file: IO[bytes] | None = None
        self._offsets: array[int]  # per item on disk: result start and end, extract start and end
        self._in_memory = IN_MEMORY if in_memory is None else in_memory  # read now: tests lower it
        if expected > self._in_memory:
            self._spill()

    def _spill(self) -> None:
        import tempfile
        from array import array

        # Private (0600), removed when closed or when the process ends.
        self._file = tempfile.TemporaryFile(prefix="nianbao-results-")
        self._offsets = array("q")
        for result, extract in zip(self._results, self._extracts, strict=True):
            self._offsets.extend((*self._write(result), *self._write(extract)))
        self._results, self._extracts = [], []

    def _write(self, value: object) -> tuple[int, int]:
        """Where ``value`` now is in the file (nothing is written for None)."""
        import pickle

        assert self._file is not None
        fh = self._file
        start = fh.seek(0, 2)
        if value is not None:
            fh.write(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        return start, fh.tell()

    def append(self, result: FileResult, extract: Extract | None = None) -> int:
        index = len(self)
        if self._file is None and index >= self._in_memory:
            self._spill()
        if self._file is None:
            self._results.append(result)
            self._extracts.append(extract)
        else:
            self._offsets.extend((*self._write(result), *self._write(extract)))
        return index

    def replace(self, index: int, result: FileResult, extract: Extract | None = None, *, keep: bool = True) -> None:
        """Put another result in place of one already stored, with another extract unless ``keep``
        (the old one stays in the file, unreferenced: a run replaces few results)."""
        if self._file is None:
            self._results[index] = result
            if not keep:
                self._extracts[index] = extract
            return
        self._offsets[4 * index : 4 * index + 2] = self._array(self._write(result))
        if not keep:
            self._offsets[4 * index + 2 : 4 * index + 4] = self._array(self._write(extract))

    def _array(self, span: tuple[int, int]) -> array[int]:
        from array import array

        return array("q", span)

    @property
    def in_memory(self) -> bool:
        return self._file is None

    def __len__(self) -> int:
        return len(self._results) if self._file is None else len(self._offsets) // 4

    def __bool__(self) -> bool:
        return len(self) > 0

    def _read(self, start: int, end: int) -> object:
        import pickle

        assert self._file is not None
        if end <= start:
            return None
        self._file.seek(start)
        return pickle.loads(self._file.read(end - start))

    def __getitem__(self, index: int) -> FileResult:
        if self._file is None:
            return self._results[index]
        if index < 0:
            index += len(self)
        return self._read(self._offsets[4 * index], self._offsets[4 * index + 1])  # type: ignore[return-value]

    def extract(self, index: int) -> Extract | None:
        if self._file is None:
            return self._extracts[index]
        if index < 0:
            index += len(self)
        return self._read(self._offsets[4 * index + 2], self._offsets[4 * index + 3])  # type: ignore[return-value]

    def __iter__(self) -> Iterator[FileResult]:
        if self._file is None:
            yield from self._results
            return
        for index in range(len(self)):
            yield self[index]
