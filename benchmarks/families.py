"""Growing families of Go programs: states, transitions, seconds and states/s.

    python benchmarks/families.py [--max-n 12] [--timeout 60] [--reduction on|off|por|symmetry|both|each]
                                  [--no-memory] [--no-diamonds] [--no-step-memo]

Families: N producer/consumer pairs, an N-stage pipeline, N dining
philosophers (deadlocking and fixed), a pool of N workers, N workers each
locking its own element of one slice of mutexes (mutex-slice). Each program is
generated as Go source, written to a temporary directory and checked through
the public API, so the figures include parsing and lowering (seconds) and
the checks run on the finished graph. B/state is what the search holds per
stored state when it ends: the states and everything they reach, the graph's
lists and the key index, each object counted once (benchmarks/deep_size.py;
exact, unlike the process's resident size, which CPython's reuse of freed
memory hides for small runs). Add --no-memory to skip that walk. diam% is
the share of transitions read off a diamond of commuting steps instead of
computed (gcheck/solver/diamonds.py); --no-diamonds computes them all.
memo% is the share whose successor was built from the remembered result of
the same step in the same context (gcheck/solver/stepmemo.py);
--no-step-memo computes them all.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import gcheck.api  # noqa: E402
from deep_size import bytes_per_state  # noqa: E402
from gcheck.api import Options, check_paths  # noqa: E402
from gcheck.solver.search import Limits  # noqa: E402


def prodcons(n: int) -> str:
    body = "\n".join(
        f"""	ch{i} := make(chan int)
	go func() {{ ch{i} <- {i} }}()
	go func() {{ <-ch{i}; done <- true }}()"""
        for i in range(n)
    )
    return f"""package main

func main() {{
	done := make(chan bool)
{body}
	for i := 0; i < {n}; i++ {{
		<-done
	}}
}}
"""


def pipeline(n: int) -> str:
    return f"""package main

func stage(in <-chan int, out chan<- int) {{
	for v := range in {{
		out <- v + 1
	}}
	close(out)
}}

func main() {{
	first := make(chan int)
	in := first
	for i := 0; i < {n}; i++ {{
		out := make(chan int)
		go stage(in, out)
		in = out
	}}
	go func() {{
		first <- 1
		first <- 2
		close(first)
	}}()
	for range in {{
	}}
}}
"""


def philosophers(n: int, fixed: bool) -> str:
    order = (
        """		a, b := left, right
		if i == n-1 {
			a, b = right, left
		}"""
        if fixed
        else "		a, b := left, right"
    )
    return f"""package main

import "sync"

func main() {{
	n := {n}
	forks := make([]sync.Mutex, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {{
		wg.Add(1)
		left, right := &forks[i], &forks[(i+1)%n]
{order}
		go func() {{
			defer wg.Done()
			a.Lock()
			b.Lock()
			b.Unlock()
			a.Unlock()
		}}()
	}}
	wg.Wait()
}}
"""


def pool(n: int) -> str:
    return f"""package main

import "sync"

func main() {{
	jobs := make(chan int)
	results := make(chan int, {n})
	var wg sync.WaitGroup
	for w := 0; w < {n}; w++ {{
		wg.Add(1)
		go func() {{
			defer wg.Done()
			for j := range jobs {{
				results <- j * 2
			}}
		}}()
	}}
	for i := 0; i < {n}; i++ {{
		jobs <- i
	}}
	close(jobs)
	wg.Wait()
	close(results)
	for range results {{
	}}
}}
"""


def mutex_slice(n: int) -> str:
    """N workers, each locking its own element of one slice of mutexes: independent
    under partial-order reduction by location (element), not by heap object.
    (The receives are unrolled: SPIN's counts then match gcheck's exactly.)"""
    recvs = "\t<-done\n" * n
    return f"""package main

import "sync"

func worker(m *sync.Mutex, done chan<- bool) {{
	m.Lock()
	m.Unlock()
	m.Lock()
	m.Unlock()
	done <- true
}}

func main() {{
	done := make(chan bool, {n})
	locks := make([]sync.Mutex, {n})
	for i := 0; i < {n}; i++ {{
		go worker(&locks[i], done)
	}}
{recvs}}}
"""


FAMILIES = {
    "prodcons": prodcons,
    "pipeline": pipeline,
    "philosophers": lambda n: philosophers(n, False),
    "philosophers-fixed": lambda n: philosophers(n, True),
    "pool": pool,
}

# Families outside the Promela cross-check (spin_side_by_side.py runs FAMILIES only).
MORE = {
    "mutex-slice": mutex_slice,
}


REDUCTIONS = {  # name -> (partial-order reduction, symmetry reduction)
    "on": (True, True), "off": (False, False), "por": (True, False), "symmetry": (False, True),
}


def run(max_n: int, timeout: float, families: list[str], por: bool, symmetry: bool = True,
        memory: bool = True, diamonds: bool = True, step_memo: bool = True) -> None:
    print(f"partial-order reduction {'on' if por else 'off'}, symmetry reduction {'on' if symmetry else 'off'}, "
          f"diamond completion {'on' if diamonds else 'off'}, step memo {'on' if step_memo else 'off'}")
    print(f"{'family':<20}{'N':>3}{'states':>10}{'trans':>10}{'diam%':>6}{'memo%':>6}{'secs':>9}{'states/s':>10}"
          f"{'B/state':>9}  verdict")
    for name in families:
        gen = FAMILIES.get(name) or MORE[name]
        for n in range(1, max_n + 1):
            with tempfile.TemporaryDirectory() as d:
                with open(os.path.join(d, "main.go"), "w") as f:
                    f.write(gen(n))
                t0 = time.perf_counter()
                limits = Limits(timeout=timeout, max_states=2_000_000, por=por, symmetry=symmetry,
                                diamonds=diamonds, step_memo=step_memo)
                with _graphs_kept() as graphs:
                    r = check_paths([d], Options(limits=limits))
                secs = time.perf_counter() - t0
            st = r.stats[0] if r.stats else None
            states = st.states if st else 0
            trans = st.transitions if st else 0
            diam = 100 * st.diamonds / trans if st and trans else 0.0
            memo = 100 * st.memoized / trans if st and trans else 0.0
            checks = sorted({f.check for f in r.findings})
            verdict = ", ".join(checks) or "clean"
            if st and not st.complete:
                verdict += f" (bounded by {st.bound})"
            per_state = f"{bytes_per_state(graphs[0], symmetry):9.0f}" if memory and graphs else f"{'-':>9}"
            print(f"{name:<20}{n:>3}{states:>10}{trans:>10}{diam:>6.0f}{memo:>6.0f}{secs:>9.2f}{states / secs:>10.0f}{per_state}"
                  f"  {verdict}",
                  flush=True)
            del graphs
            if st and not st.complete:
                break


class _graphs_kept:
    """Keep the graphs the public API explores (it drops them once checked), to measure them."""

    def __enter__(self) -> list:
        self.graphs: list = []
        self.explore = gcheck.api.explore

        def keep(*a, **k):
            g = self.explore(*a, **k)
            self.graphs.append(g)
            return g

        gcheck.api.explore = keep
        return self.graphs

    def __exit__(self, *exc) -> None:
        gcheck.api.explore = self.explore


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--max-n", type=int, default=8)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--family", action="append", choices=sorted({**FAMILIES, **MORE}))
    ap.add_argument("--reduction", choices=[*REDUCTIONS, "both", "each"], default="both",
                    help="on: partial-order and symmetry reduction; off: none; por or symmetry: one of "
                         "them; both: on then off (default); each: all four, one table each")
    ap.add_argument("--no-memory", action="store_true", help="skip the B/state column (a walk of every stored state)")
    ap.add_argument("--no-diamonds", action="store_true",
                    help="compute every transition (diam%%: the share read off diamonds of commuting steps)")
    ap.add_argument("--no-step-memo", action="store_true",
                    help="compute every step (memo%%: the share built from a step's remembered result)")
    a = ap.parse_args()
    names = {"both": ["on", "off"], "each": list(REDUCTIONS)}.get(a.reduction, [a.reduction])
    for name in names:
        run(a.max_n, a.timeout, a.family or [*FAMILIES, *MORE], *REDUCTIONS[name], memory=not a.no_memory,
            diamonds=not a.no_diamonds, step_memo=not a.no_step_memo)


if __name__ == "__main__":
    main()
