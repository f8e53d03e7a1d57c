from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.host import PluginHost, create_host
from nianbao.loading import LoadContext

TESTS = Path(__file__).parent
CORPUS = TESTS / "corpus"
SEEDS = sorted(CORPUS.glob("0*.txt"))


@pytest.fixture(scope="session")
def host() -> PluginHost:
    return create_host(entry_points=False)


@pytest.fixture(scope="session")
def context(host: PluginHost) -> LoadContext:
    return LoadContext(templates=host.templates)
