"""Diamond completion (solver/diamonds.py) must give the graph computing every step gives.

Under `Limits(diamonds="verify")` the search computes every step anyway and
records each completed diamond whose state differs from the computed one;
every example, with the reductions on and off, must record none. The
verifier itself is shown to fail: with a commutation test that says yes to
everything, and with each of the rules about the entry goroutine removed,
it records mismatches on programs that need those rules.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from wants import list_examples

import gcheck.api as api
from gcheck.api import Options, check_paths
from gcheck.cli import run as cli_run
from gcheck.difftest import generator as G
from gcheck.solver import diamonds
from gcheck.solver.search import Limits, explore

ROOT = Path(__file__).resolve().parent.parent / "examples"
sys.path.insert(0, str(ROOT.parent / "benchmarks"))
from families import prodcons  # noqa: E402  (the benchmark's generator: N producer/consumer pairs)
EXAMPLES = list_examples(ROOT)


def _graphs(monkeypatch, path, **limits):
    """The graphs of every entry of the package at path, and the result."""
    graphs = []

    def keep(*args, **kwargs):
        g = explore(*args, **kwargs)
        graphs.append(g)
        return g

    monkeypatch.setattr(api, "explore", keep)
    r = check_paths([str(path)], Options(limits=Limits(timeout=60, **limits)))
    return graphs, r


def _write(tmp_path, src: str) -> Path:
    (tmp_path / "main.go").write_text(textwrap.dedent(src))
    return tmp_path


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: str(d.relative_to(ROOT)))
def test_completed_diamonds_are_the_computed_states(example, monkeypatch):
    for reductions in (True, False):
        graphs, _ = _graphs(monkeypatch, example, max_states=20_000, por=reductions,
                            symmetry=reductions, diamonds="verify")
        for g in graphs:
            assert g.diamond_mismatches == [], (reductions, g.diamond_mismatches[:3])


_PHILOSOPHERS = """package main

import "sync"

func main() {
	var wg sync.WaitGroup
	forks := make([]sync.Mutex, 3)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			left, right := &forks[i], &forks[(i+1)%3]
			left.Lock()
			right.Lock()
			right.Unlock()
			left.Unlock()
		}(i)
	}
	wg.Wait()
}
"""


def test_same_graph_fewer_steps_computed(tmp_path, monkeypatch):
    d = _write(tmp_path, prodcons(5))
    (off,), r_off = _graphs(monkeypatch, d, por=False, symmetry=False, diamonds=False)
    (on,), r_on = _graphs(monkeypatch, d, por=False, symmetry=False)
    assert len(on.states) == len(off.states) == 3 ** 5
    assert on.transitions == off.transitions
    assert [sorted(s) for s in on.succ] == [sorted(s) for s in off.succ]
    assert off.completed == 0
    # 5 pairs working apart: most edges close a diamond (measured: 60%)
    assert on.completed > on.transitions // 2
    assert r_on.stats[0].diamonds == on.completed


def test_the_verifier_sees_a_wrong_commutation(tmp_path, monkeypatch):
    """Philosophers sharing forks: a commutation test that ignores footprints
    closes diamonds that do not exist, and the verifier says so."""
    d = _write(tmp_path, _PHILOSOPHERS)
    graphs, _ = _graphs(monkeypatch, d, por=False, symmetry=False, diamonds="verify")
    assert graphs[0].diamond_mismatches == []
    monkeypatch.setattr(diamonds, "commute", lambda state, t, u: t.actors() != u.actors())
    graphs, _ = _graphs(monkeypatch, d, por=False, symmetry=False, diamonds="verify")
    assert graphs[0].diamond_mismatches


# main's return, and a death by panic, are steps of their own only while another
# goroutine may act: a step that runs a goroutine to one of them does not commute
# with a step that ends a goroutine
_MAIN_ENDS = """package main

func main() {
	a := make(chan int)
	b := make(chan int)
	go func() {
		close(a)
	}()
	close(b)
}
"""

_PANIC_ENDS = """package main

import "sync"

func main() {
	c := make(chan int, 1)
	var mu sync.Mutex
	go func() {
		mu.Lock()
		close(c)
		mu.Unlock()
	}()
	<-c
	c <- 0
}
"""


@pytest.mark.parametrize("src", [_MAIN_ENDS, _PANIC_ENDS], ids=["main-returns", "panic"])
def test_an_end_that_waits_for_others_does_not_commute_with_a_goroutine_ending(src, tmp_path, monkeypatch):
    d = _write(tmp_path, src)
    graphs, _ = _graphs(monkeypatch, d, por=False, symmetry=False, diamonds="verify")
    assert graphs[0].diamond_mismatches == []
    monkeypatch.setattr(diamonds, "_ends_aside", lambda after, step: False)
    graphs, _ = _graphs(monkeypatch, d, por=False, symmetry=False, diamonds="verify")
    assert graphs[0].diamond_mismatches


# Two goroutines each arm a time.After timer in the local code after a send: the
# timers were numbered in the order they were made, so the two orders of the sends
# gave one state twice; they are numbered by their channels now (model/canon.py)
_TWO_TIMERS = """package main

import "time"

func main() {
	a := make(chan int, 1)
	b := make(chan int, 1)
	go func() {
		a <- 1
		select {
		case <-b:
		case <-time.After(time.Millisecond):
		}
	}()
	b <- 0
	select {
	case <-a:
	case <-time.After(time.Millisecond):
	}
}
"""


def test_timers_made_in_either_order_are_one_state(tmp_path, monkeypatch):
    d = _write(tmp_path, _TWO_TIMERS)
    graphs, _ = _graphs(monkeypatch, d, por=False, symmetry=False, diamonds="verify")
    assert graphs[0].completed > 0
    assert graphs[0].diamond_mismatches == []


@pytest.mark.parametrize("first", range(0, 160, 40))
def test_completed_diamonds_on_generated_programs(first, tmp_path, monkeypatch):
    """The difftest generator's programs (timers, AfterFunc, Cond, RWMutex, select
    with default, nil channels, panics): the seeds that found the rule above."""
    for seed in range(first, first + 40):
        d = tmp_path / str(seed)
        d.mkdir()
        (d / "main.go").write_text(G.from_seed(seed).source())
        for reductions in (True, False):
            graphs, _ = _graphs(monkeypatch, d, max_states=5_000, por=reductions, symmetry=reductions,
                                diamonds="verify")
            for g in graphs:
                assert g.diamond_mismatches == [], (seed, reductions, g.diamond_mismatches[:3])


def test_no_diamonds_flag(tmp_path, capsys):
    d = _write(tmp_path, prodcons(3))
    stats = {}
    for flags in ([], ["--no-diamonds"]):
        code = cli_run(["check", "--format", "json", "--no-por", "--no-symmetry", *flags, str(d)])
        assert code == 0
        s = json.loads(capsys.readouterr().out)["stats"][0]
        stats[bool(flags)] = (s["states"], s["transitions"], s["transitions_from_diamonds"])
    assert stats[True][:2] == stats[False][:2]
    assert stats[True][2] == 0 < stats[False][2]
