"""How fast could gcheck's search go if computing a step cost nothing?

    python benchmarks/architecture_floor.py [--family NAME --n N ...] [--repeat 3]

Explores a family program without reductions, then walks the finished graph
again (breadth-first, every edge), adding one cost of the search at a time:

- ints: the successors are the graph's integer ids. This is Python's own
  ceiling for a breadth-first walk of this graph.
- flat tuples: each successor is a new tuple of small integers (the ids of
  its goroutines, heap objects and globals, interned once). This is what a
  state packed into integers would cost to hash and look up.
- State objects: each successor is a new gcheck State sharing the stored
  state's parts, as a step's result does. This is the hash and the index
  look-up that gcheck's representation costs per transition.
- enabled(): the list of steps of every state, computed once per state.

"floor" combines the last two: the states per second of a search whose steps
were free, with gcheck's states and its `enabled`. Compare it with the search's
own figure (first line) and with SPIN's (benchmarks/spin_side_by_side.py).
Seconds are the minimum over --repeat walks.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from collections import deque

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import gcheck.api as api  # noqa: E402
from families import FAMILIES, MORE  # noqa: E402
from gcheck.model import semantics as M  # noqa: E402
from gcheck.model.state import State  # noqa: E402
from gcheck.solver import search  # noqa: E402
from gcheck.solver.search import Limits  # noqa: E402

DEFAULT = (("philosophers", 5), ("philosophers-fixed", 5), ("pool", 3), ("mutex-slice", 5), ("prodcons", 7))


def explored(family: str, n: int):
    """(program, graph) of the family's program at n, explored without reductions."""
    d = tempfile.mkdtemp()
    with open(os.path.join(d, "main.go"), "w") as f:
        f.write({**FAMILIES, **MORE}[family](n))
    seen = []
    real = search.explore

    def keep(prog, *args, **kwargs):
        seen.append((prog, real(prog, *args, **kwargs)))
        return seen[-1][1]

    api.explore = keep
    try:
        api.check_paths([d], api.Options(limits=Limits(timeout=600, por=False, symmetry=False)))
    finally:
        api.explore = real
    return seen[0]


def walk_seconds(nstates: int, successors) -> float:
    """Seconds of a breadth-first walk from state 0 that asks successors(i) for ids."""
    seen = {0}
    queue = deque([0])
    t0 = time.perf_counter()
    while queue:
        i = queue.popleft()
        for j in successors(i):
            if j not in seen:
                seen.add(j)
                queue.append(j)
    t = time.perf_counter() - t0
    assert len(seen) == nstates, (len(seen), nstates)
    return t


def flat_parts(states: list) -> list:
    """Each state as a list of small ints: its parts interned, one id per distinct part."""
    ids: dict = {}

    def part(x) -> int:
        return ids.setdefault(x, len(ids))

    return [[part(g) for g in s.gs] + [part(o) for o in s.heap]
            + [part(s.globals), s.next_gid, int(s.entry_done)] for s in states]


def fresh(s: State) -> State:
    """A new State object equal to s, sharing its parts (what a step's result is)."""
    return State(**{f.name: getattr(s, f.name) for f in dataclasses.fields(s) if f.init})


def measure(family: str, n: int, repeat: int) -> dict:
    prog, g = explored(family, n)
    n_states = len(g.states)
    adj = [[j for j, _ in g.succ[i]] for i in range(n_states)]

    def best(fn) -> float:
        return min(fn() for _ in range(repeat))

    ints = best(lambda: walk_seconds(n_states, adj.__getitem__))
    parts = flat_parts(g.states)
    flat_index = {tuple(p): k for k, p in enumerate(parts)}
    flat = best(lambda: walk_seconds(n_states, lambda i: [flat_index[tuple(parts[j])] for j in adj[i]]))
    index = {s: k for k, s in enumerate(g.states)}
    copies = [fresh(s) for s in g.states]  # made outside the clock: a step's cost, not the index's

    def state_walk() -> float:
        for c in copies:
            object.__setattr__(c, "_h", 0)  # a new object has no hash yet
        return walk_seconds(n_states, lambda i: [index[copies[j]] for j in adj[i]])

    objects = best(state_walk)

    def enabled_all() -> float:
        t0 = time.perf_counter()
        for s in g.states:
            M.enabled(prog, s)
        return time.perf_counter() - t0

    enabled = best(enabled_all)
    return {
        "family": family, "n": n, "states": n_states, "transitions": g.transitions,
        "search": n_states / g.seconds, "ints": n_states / ints, "flat": n_states / flat,
        "objects": n_states / objects, "enabled": n_states / enabled,
        "floor": n_states / (objects + enabled),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--family", action="append", help="family name (repeatable, with --n)")
    ap.add_argument("--n", action="append", type=int)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    runs = list(zip(args.family, args.n)) if args.family else DEFAULT
    cols = ("search", "ints", "flat", "objects", "enabled", "floor")
    print("states/s: the search as it is; then walks of its finished graph (module docstring)")
    print(f"{'family':<20}{'N':>3}{'states':>9}{'trans':>9}" + "".join(f"{c:>11}" for c in cols))
    for family, n in runs:
        r = measure(family, n, args.repeat)
        print(f"{family:<20}{n:>3}{r['states']:>9}{r['transitions']:>9}"
              + "".join(f"{r[c]:>11,.0f}" for c in cols), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
