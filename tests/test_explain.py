"""`gcheck explain`: one documentation page per check id, from
gcheck/checks/docs.py, printed like clippy's and ruff's rule pages."""

from __future__ import annotations

import io

import pytest

import wants
from gcheck import checks
from gcheck.checks import docs, static
from gcheck.cli import run
from gcheck.explain import SECTIONS, render

HEADINGS = [h for h, _ in SECTIONS]


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_every_check_id_has_a_page():
    from gcheck.report.rules import known_ids

    reported = set(wants.KNOWN_CHECKS) | set(checks.CHECK_IDS) | set(static.IDS) | set(known_ids())
    missing = reported - set(docs.ids())
    assert not missing, f"no documentation for {sorted(missing)}"
    assert len(docs.ids()) == len(set(docs.ids()))


@pytest.mark.parametrize("check_id", docs.ids())
def test_page_is_complete(check_id):
    d = docs.get(check_id)
    assert d.severity in ("error", "warning")
    assert d.summary and "\n" not in d.summary and len(d.summary) < 120
    for _, attr in SECTIONS:
        assert getattr(d, attr).strip(), f"{check_id}: empty {attr}"
    assert d.example.strip() != d.use_instead.strip()


def test_static_severities_match_the_docs():
    assert docs.get("defer-in-loop").severity == "warning"
    assert docs.get("finalizer-cycle").severity == "error"
    for i in ("substring-retention", "subslice-retention", "pointer-slice-retention"):
        assert docs.get(i).severity == "warning"


@pytest.mark.parametrize("check_id", ["defer-in-loop", "goroutine-leak", "finalizer-cycle"])
def test_explain_prints_the_page(check_id):
    code, out, err = _run("explain", check_id)
    assert code == 0 and err == ""
    assert out == render(docs.get(check_id))
    lines = out.splitlines()
    assert lines[0] == f"{check_id} ({docs.get(check_id).severity})"
    assert set(lines[1]) == {"="} and len(lines[1]) == len(lines[0])
    at = [lines.index(h) for h in HEADINGS]
    assert at == sorted(at), "sections out of order"
    for i in at:
        assert set(lines[i + 1]) == {"-"}
    assert "```go" in out


def test_explain_lists_every_check():
    code, out, err = _run("explain")
    assert code == 0 and err == ""
    for i in docs.ids():
        d = docs.get(i)
        row = next(ln for ln in out.splitlines() if ln.split()[:1] == [i])
        assert d.severity in row and d.summary.split()[0] in row


def test_explain_unknown_id_exits_2():
    code, out, err = _run("explain", "defer-in-lop")
    assert code == 2 and out == ""
    assert "unknown check id 'defer-in-lop'" in err and "did you mean defer-in-loop?" in err
    code, out, err = _run("explain", "no-such-thing")
    assert code == 2 and "gcheck explain" in err and "did you mean" not in err


def test_explain_needs_at_most_one_id():
    code, _, _ = _run("explain", "defer-in-loop", "goroutine-leak")
    assert code == 2
