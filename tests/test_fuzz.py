"""Property-based fuzzing of every loader and of the whole lint pipeline (issue 11), bounded for CI.

Real reports from tests/corpus are mutated by tests/fuzzing.py (byte flips, truncation, chunks
inserted and deleted, numbers thousands of digits long, random Unicode and control characters, DOCX XML
mutated inside a valid zip, deep and huge HTML tables, PDF streams that inflate far, hostile canonical
JSON). Whatever comes in, a loader returns a document or raises InputError, and ``nianbao lint`` ends
with exit code 0, 1 or 2, no internal error (NB05), nothing on stderr, and outputs that encode as UTF-8.

Hypothesis runs derandomized, so CI sees the same inputs every time (about two minutes in all); the
long, random runs are ``python benchmarks/fuzz.py`` and every failure they find gets a fixture in
tests/corpus/fuzz/. Speed and memory are measured there, not here.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nianbao.loading import InputError, load_document

from .fuzzing import Pipeline, Seed, mutate, seeds

SEEDS = seeds()


def _of(suffix: str) -> list[Seed]:
    return [s for s in SEEDS if s.suffix == suffix]


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def _load(pipeline: Pipeline, seed: Seed, rng: random.Random) -> None:
    """Load a mutated ``seed`` with the loader its extension picks: a document, or InputError."""
    from nianbao.loading import LoadContext

    data, _ = mutate(seed, rng)
    context = LoadContext(templates=pipeline.host.templates)
    try:
        doc = load_document("report" + seed.suffix, pipeline.host.loaders, context, data=data)
    except InputError as exc:
        assert exc.code in ("NB01", "NB02") and exc.reason.strip()
        return
    doc.to_dict()  # what ``nianbao parse`` writes


# Examples per format: about two minutes in all on the 2-core dev machine (a PDF costs ten times a text).
LOADER_EXAMPLES = {".txt": 1000, ".html": 700, ".docx": 700, ".pdf": 400, ".json": 300}
PIPELINE_EXAMPLES = {"text, HTML, DOCX, JSON": 1300, "PDF": 300}


@pytest.mark.parametrize(("suffix", "examples"), LOADER_EXAMPLES.items())
def test_loader(pipeline: Pipeline, suffix: str, examples: int) -> None:
    @_settings(examples)
    @given(seed=st.sampled_from(_of(suffix)), rng=st.randoms(use_true_random=False))
    def check(seed: Seed, rng: random.Random) -> None:
        _load(pipeline, seed, rng)

    check()


@pytest.mark.parametrize(("formats", "examples"), PIPELINE_EXAMPLES.items())
def test_lint_pipeline(pipeline: Pipeline, formats: str, examples: int) -> None:
    candidates = [s for s in SEEDS if (s.suffix == ".pdf") == (formats == "PDF")]

    @_settings(examples)
    @given(seed=st.sampled_from(candidates), rng=st.randoms(use_true_random=False))
    def check(seed: Seed, rng: random.Random) -> None:
        data, _ = mutate(seed, rng)
        outcome = pipeline.run(data, seed.suffix)
        assert outcome.internal == []
        assert outcome.leaks == []
        unreadable = {"NB01", "NB02"} & set(outcome.codes)
        assert (outcome.exit_code == 2) if unreadable else (outcome.exit_code in (0, 1))

    check()
