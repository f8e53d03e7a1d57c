"""One harness for every rule's YAML cases (plugins/rules/cases/<CODE>.yaml).

A case is a fragment of a real-looking report, read by the text loader exactly as a user's file
would be, and the findings that one rule must give on it: a failing and a passing case at least.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from nianbao.engine import RuleSelection, run_family_rules, run_pair_rules, run_rules
from nianbao.loading import LoadContext, load_document
from nianbao.registry import all_rules
from nianbao.rules import scope_of

CASES = Path(__file__).resolve().parent.parent / "plugins" / "rules" / "cases"


def load_cases(folder: Path) -> list[tuple[str, dict, dict]]:
    out = []
    for path in sorted(folder.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text("utf-8"))
        for case in spec["cases"]:
            out.append((spec["rule"], spec, case))
    return out


ALL = load_cases(CASES)


@pytest.fixture(scope="module")
def rules(host):
    return {r.meta.code: r for r in all_rules(host)}


@pytest.mark.parametrize(("code", "spec", "case"), ALL, ids=[f"{c}-{case['name']}" for c, _, case in ALL])
def test_rule_case(code, spec, case, host, rules) -> None:
    check_case(code, spec, case, host, rules)


def check_case(code: str, spec: dict, case: dict, host, rules: dict) -> None:
    """Load the case's text as a user's file and compare one rule's findings with ``expect``."""
    edition = case.get("edition", spec.get("edition"))
    context = LoadContext(formats=host.formats, edition=edition)
    doc = load_document(case.get("file", "case.txt"), host.loaders, context, data=case["text"].encode("utf-8"))
    selection = RuleSelection(params={code: case.get("params", {})})
    if scope_of(rules[code]) == "pair":
        # Cross-year rules: the case gives last year's report as ``previous`` (same loader, same edition
        # unless ``previous_edition`` says otherwise).
        previous_context = LoadContext(formats=host.formats, edition=case.get("previous_edition", edition))
        previous = load_document("previous.txt", host.loaders, previous_context, data=case["previous"].encode("utf-8"))
        findings = run_pair_rules(doc, previous, [rules[code]], host.formats, selection, failures := [])
        for e, f in zip(case["expect"], findings, strict=False):
            if "related_line" in e:
                assert [r.location.line if r.location else None for r in f.related] == [e["related_line"]]
                assert all(r.path == "previous.txt" for r in f.related)
    elif scope_of(rules[code]) == "family":
        # Rules over reports of one place and year: ``members`` are the other reports of the group.
        members = [
            load_document(f"member{n}.txt", host.loaders, context, data=text.encode("utf-8"))
            for n, text in enumerate(case["members"], start=1)
        ]
        found = run_family_rules([doc, *members], [rules[code]], host.formats, lambda _: selection, failures := [])
        findings = [f for f in found if f.path == "case.txt"]
        assert len(findings) == len(found)  # the aggregate report holds every finding
    else:
        findings = run_rules(doc, [rules[code]], host.formats, selection, failures := [])
    assert failures == []
    got = [(f.code, f.location.line if f.location else None) for f in findings if f.code == code]
    want = [(e.get("code", code), e.get("line")) for e in case["expect"]]
    # A case may leave a line out when the finding has no single line (e.g. a missing section).
    got = [(c, line if w is not None else None) for (c, line), (_, w) in zip(got, want, strict=False)] + got[
        len(want) :
    ]
    assert got == want, [f.message for f in findings]
    for e, f in zip(case["expect"], findings, strict=False):
        if "message" in e:
            assert f.message == e["message"]
        if "origin" in e:
            assert f.origin == e["origin"]


def test_every_rule_has_a_failing_and_a_passing_case(host) -> None:
    failing: set[str] = set()
    passing: set[str] = set()
    for code, _, case in ALL:
        (failing if case["expect"] else passing).add(code)
    codes = {r.meta.code for r in all_rules(host)}  # national, regional and cross-document rules alike
    assert sorted(codes - failing) == [], "rules without a failing case"
    assert sorted(codes - passing) == [], "rules without a passing case"
