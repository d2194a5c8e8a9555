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


# Independence is per location (heap object and path inside it): mutexes that are
# elements of one slice, or fields of one struct, are separate locations.

_WORK = """
func work(m *sync.Mutex, done chan<- bool) {
	m.Lock()
	m.Unlock()
	m.Lock()
	m.Unlock()
	done <- true
}
"""

_SLICE = """package main

import "sync"
""" + _WORK + """
func start(done chan<- bool) {
	forks := make([]sync.Mutex, 3)
	for i := range forks {
		go work(&forks[i], done)
	}
}

func main() {
	done := make(chan bool, 3)
	start(done)
	for i := 0; i < 3; i++ {
		<-done
	}
	var mu sync.Mutex
	mu.Lock()
	mu.Lock()
}
"""

_FIELDS = """package main

import "sync"

type pair struct {
	a, b sync.Mutex
}
""" + _WORK + """
func start(done chan<- bool) {
	var p pair
	go work(&p.a, done)
	go work(&p.b, done)
}

func main() {
	done := make(chan bool, 2)
	start(done)
	<-done
	<-done
	var mu sync.Mutex
	mu.Lock()
	mu.Lock()
}
"""

# Each philosopher may lock both its forks: the one whose fork another can reach
# is not alone in a persistent set, yet the deadlock must still be found.
_PHILOSOPHERS = """package main

import "sync"

func main() {
	n := 3
	forks := make([]sync.Mutex, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		a, b := &forks[i], &forks[(i+1)%n]
		go func() {
			defer wg.Done()
			a.Lock()
			b.Lock()
			b.Unlock()
			a.Unlock()
		}()
	}
	wg.Wait()
}
"""


def _states(tmp_path: Path, name: str, src: str, por: bool):
    d = tmp_path / name
    d.mkdir(exist_ok=True)
    (d / "main.go").write_text(src)
    r = check_paths([str(d)], Options(limits=Limits(timeout=60, por=por)))
    (st,) = r.stats
    assert st.complete
    return st.states, sorted({f.check for f in r.findings})


@pytest.mark.parametrize("name,src", [("slice", _SLICE), ("fields", _FIELDS)])
def test_elements_and_fields_are_independent(tmp_path, name, src):
    full, full_checks = _states(tmp_path, name, src, por=False)
    reduced, checks = _states(tmp_path, name, src, por=True)
    assert checks == full_checks == ["global-deadlock"]
    # three (two) workers on their own mutexes: their orderings are not explored
    assert reduced * 2 < full, (reduced, full)


def test_philosophers_deadlock_found_with_reduction(tmp_path):
    full, full_checks = _states(tmp_path, "phil", _PHILOSOPHERS, por=False)
    reduced, checks = _states(tmp_path, "phil", _PHILOSOPHERS, por=True)
    assert checks == full_checks == ["global-deadlock"]
    assert reduced <= full
