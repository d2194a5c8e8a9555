"""Growing families of Go programs: states, transitions, seconds and states/s.

    python benchmarks/families.py [--max-n 8] [--timeout 60]

Families: N producer/consumer pairs, an N-stage pipeline, N dining
philosophers (deadlocking and fixed), a pool of N workers. Each program is
generated as Go source, written to a temporary directory and checked through
the public API, so the figures include parsing and lowering.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

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


FAMILIES = {
    "prodcons": prodcons,
    "pipeline": pipeline,
    "philosophers": lambda n: philosophers(n, False),
    "philosophers-fixed": lambda n: philosophers(n, True),
    "pool": pool,
}


def run(max_n: int, timeout: float, families: list[str], por: bool) -> None:
    print(f"partial-order reduction {'on' if por else 'off'}")
    print(f"{'family':<20}{'N':>3}{'states':>10}{'trans':>10}{'secs':>9}{'states/s':>10}  verdict")
    for name in families:
        gen = FAMILIES[name]
        for n in range(1, max_n + 1):
            with tempfile.TemporaryDirectory() as d:
                with open(os.path.join(d, "main.go"), "w") as f:
                    f.write(gen(n))
                t0 = time.perf_counter()
                limits = Limits(timeout=timeout, max_states=2_000_000, por=por)
                r = check_paths([d], Options(limits=limits))
                secs = time.perf_counter() - t0
            st = r.stats[0] if r.stats else None
            states = st.states if st else 0
            trans = st.transitions if st else 0
            checks = sorted({f.check for f in r.findings})
            verdict = ", ".join(checks) or "clean"
            if st and not st.complete:
                verdict += f" (bounded by {st.bound})"
            print(f"{name:<20}{n:>3}{states:>10}{trans:>10}{secs:>9.2f}{states / secs:>10.0f}  {verdict}",
                  flush=True)
            if st and not st.complete:
                break


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--max-n", type=int, default=8)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--family", action="append", choices=sorted(FAMILIES))
    ap.add_argument("--reduction", choices=["on", "off", "both"], default="both",
                    help="partial-order reduction (default: both, one table each)")
    a = ap.parse_args()
    for por in {"on": [True], "off": [False], "both": [True, False]}[a.reduction]:
        run(a.max_n, a.timeout, a.family or list(FAMILIES), por)


if __name__ == "__main__":
    main()
