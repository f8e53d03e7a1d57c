"""The JSON Schema of the canonical report document, and validation against it.

``jsonschema`` is imported only when validation is asked for: its ~65 ms import is not something
commands that never validate should pay.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from jsonschema import Draft202012Validator, ValidationError

SCHEMA_RESOURCE = "report.schema.json"


@cache
def report_schema() -> dict[str, Any]:
    """The report schema as a dict. Cached and shared: do not mutate it."""
    from .packagedata import package_text

    text = package_text("nianbao.schemas", SCHEMA_RESOURCE)
    return json.loads(text)


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    # Only "date" is asserted: the pattern alone would accept 2021-02-30.
    return Draft202012Validator(report_schema(), format_checker=FormatChecker(formats=["date"]))


def validate_report(data: dict[str, Any]) -> list[str]:
    """Every way ``data`` departs from the report schema, as ``"/json/pointer: message"``; [] when valid."""
    found = []
    for error in _validator().iter_errors(data):
        for leaf, message in _leaves(error):
            found.append((_sort_key(leaf.absolute_path), message, _pointer(leaf.absolute_path)))
    found.sort()
    return [f"{pointer}: {message}" for _, message, pointer in found]


def _leaves(error: ValidationError) -> Iterator[tuple[ValidationError, str]]:
    """Replace an anyOf/oneOf failure by the errors of the alternative the value was evidently meant for.

    Nullable objects are ``anyOf: [{$ref}, {type: null}]``; without this a bad line number deep inside an
    optional location would surface only as "... is not valid under any of the given schemas" on the
    location as a whole.
    """
    from .yamlerrors import expected_types, schema_problem, shown

    if not error.context:
        yield error, schema_problem(error)
        return
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    wrong_type = {
        branch: [e.validator_value for e in errors if e.validator == "type" and not e.relative_path]
        for branch, errors in branches.items()
    }
    meant = [errors for branch, errors in branches.items() if not wrong_type[branch]]
    if len(meant) == 1:
        for sub in meant[0]:
            yield from _leaves(sub)
    elif not meant:
        expected = []
        for types in wrong_type.values():
            for value in types:
                expected.extend([value] if isinstance(value, str) else value)
        yield error, f"{expected_types(expected)}（写的是 “{shown(error.instance)}”）"
    else:
        yield error, schema_problem(error)


def _pointer(path: Sequence[str | int]) -> str:
    if not path:
        return "/"
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _sort_key(path: Sequence[str | int]) -> tuple[tuple[int, int | str], ...]:
    # List indexes compare as numbers, so /sections/2 sorts before /sections/10.
    return tuple((0, part) if isinstance(part, int) else (1, part) for part in path)
