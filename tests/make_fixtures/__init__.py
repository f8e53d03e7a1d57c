"""Builders of the fixture files under tests/corpus/: ``python -m tests.make_fixtures`` rebuilds them all."""
