"""A check makes one finding per check and position (and leak origin): the API
keeps only the first, and each finding costs a trace and a z3 witness.

Go's own bufio tests reached one panic in thousands of states; making a
witness for each took 118 s. These programs reach one panic, one leak and one
lost ticker in several states: the checks must build each finding once."""

from __future__ import annotations

import textwrap

import pytest

import gcheck.api as api
from gcheck.api import Options, check_paths
from gcheck.checks import blocking, panics, tickers
from gcheck.solver import trace
from gcheck.solver.scc import bottom_sccs
from gcheck.solver.search import Limits

# main panics on an unknown value while two of three workers still wait to send:
# which one it received makes three crash states
PANIC = """
package main

import "strconv"

func main() {
	done := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { done <- i }()
	}
	n, _ := strconv.Atoi("x")
	<-done
	if n > 5 {
		panic("too many")
	}
	<-done
	<-done
}
"""

# main returns at once; one receiver takes one of three senders: the other two
# leak, in three bottom components
LEAK = """
package main

func main() {
	stuck := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { stuck <- i }()
	}
	go func() { <-stuck }()
}
"""

# each worker's ticker is lost when it ends, in whatever order they end
TICKER = """
package main

import "time"

func main() {
	done := make(chan int)
	for i := 0; i < 3; i++ {
		go func() {
			t := time.NewTicker(time.Second)
			done <- i
			_ = t.C
		}()
	}
	for i := 0; i < 3; i++ {
		<-done
	}
}
"""


def _places(g, check: str) -> int:
    """How many states (panic, ticker) or bottom components (leak) show the finding."""
    if check == "runtime-panic":
        return sum(1 for s in g.states if s.crash is not None)
    if check == "ticker-not-stopped":
        return sum(1 for s in g.states if s.lost_tickers)
    return sum(1 for comp in bottom_sccs(g) if g.states[comp[0]].entry_done)


@pytest.mark.parametrize("src, module, check", [
    (PANIC, panics, "runtime-panic"), (LEAK, blocking, "goroutine-leak"), (TICKER, tickers, "ticker-not-stopped"),
], ids=["panic", "leak", "ticker"])
def test_each_finding_is_made_once(tmp_path, monkeypatch, src, module, check):
    (tmp_path / "main.go").write_text(textwrap.dedent(src).lstrip())
    made, graphs = [], []
    real_finding, real_explore = trace.finding, api.explore

    def counting(prog, g, i, check_id, pos, *args, **kwargs):
        made.append((check_id, pos))
        return real_finding(prog, g, i, check_id, pos, *args, **kwargs)

    monkeypatch.setattr(module, "_finding" if module is blocking else "finding", counting)
    monkeypatch.setattr(api, "explore", lambda *a, **k: graphs.append(real_explore(*a, **k)) or graphs[-1])
    r = check_paths([str(tmp_path)], Options(limits=Limits(por=False, symmetry=False)))
    reported = [f for f in r.findings if f.check == check]
    assert len(reported) == 1
    assert _places(graphs[0], check) >= 3  # reached several times over
    assert made.count((check, reported[0].pos)) == 1, made
