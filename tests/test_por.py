"""Partial-order reduction must not change what gcheck finds.

Every example is checked with the reduction on and off; the findings (check,
file, line) must be the same, and the reduced exploration must not visit more
states than the full one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from wants import list_examples

from gcheck.api import Options, check_paths
from gcheck.solver.search import Limits

ROOT = Path(__file__).resolve().parent.parent / "examples"
EXAMPLES = list_examples(ROOT)


def _run(d: Path, por: bool):
    r = check_paths([str(d)], Options(limits=Limits(timeout=30, por=por)))
    return sorted((f.check, Path(f.pos.file).name, f.pos.line) for f in r.findings), r.stats


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: str(d.relative_to(ROOT)))
def test_reduction_keeps_findings(example):
    full, full_stats = _run(example, por=False)
    reduced, red_stats = _run(example, por=True)
    assert reduced == full
    for a, b in zip(full_stats, red_stats):
        if a.complete and b.complete:
            assert b.states <= a.states, (a.entry, a.states, b.states)
