"""Shared test setup: makes the helpers in tests/ (wants.py, oracle.py)
importable as top-level modules, and exposes the example corpus."""

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

EXAMPLES = TESTS.parent / "examples"


@pytest.fixture(scope="session")
def examples_root() -> Path:
    return EXAMPLES
