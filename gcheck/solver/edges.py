"""The explored graph's edges, packed into arrays.

A list of (target, step) tuples per state cost about 64 bytes an edge and a
list per state: a sixth of what a search kept (benchmarks/PROFILE.md).
"""

from __future__ import annotations

from array import array


class Edges:
    """Every state's successors, as (target, step) pairs.

    The search expands one state at a time and adds its edges then, so each
    state's edges are contiguous: state i's are `to[lo[i]:hi[i]]`, with their
    steps (shared objects) at the same places in `step`. An edge costs 16
    bytes, a state 16. Reading `edges[i]` gives state i's pairs as a list."""

    __slots__ = ("to", "step", "lo", "hi")

    def __init__(self):
        self.to = array("l")
        self.step: list = []
        self.lo = array("l")
        self.hi = array("l")

    def add_state(self) -> None:
        self.lo.append(0)
        self.hi.append(0)

    def add(self, i: int, j: int, step) -> None:
        """Add the edge i -step-> j after state i's others."""
        n = len(self.to)
        if self.hi[i] != n:
            if self.hi[i] != self.lo[i]:
                raise RuntimeError(f"state {i}'s edges must be added together")
            self.lo[i] = n
        self.to.append(j)
        self.step.append(step)
        self.hi[i] = n + 1

    def degree(self, i: int) -> int:
        return self.hi[i] - self.lo[i]

    def edge(self, i: int, k: int) -> tuple:
        """State i's k-th edge, (target, step)."""
        e = self.lo[i] + k
        return self.to[e], self.step[e]

    def __len__(self) -> int:
        return len(self.lo)

    def __getitem__(self, i: int) -> list:
        lo, hi = self.lo[i], self.hi[i]
        return list(zip(self.to[lo:hi], self.step[lo:hi]))

    def __iter__(self):
        for i in range(len(self.lo)):
            yield self[i]
