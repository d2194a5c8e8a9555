"""Results computed once per immutable object, keyed by its identity.

Frames, pending ops, goroutines and heap objects are immutable and shared
between states, so what is computed about one (the heap ids it references,
the locations it reaches, its shape) holds for as long as it lives. The
entry keeps the object alive, so its id cannot be reused by another object.
"""

from __future__ import annotations


class IdentityMemo:
    """compute(v) for each distinct object v, remembered (cleared when it grows past limit)."""

    __slots__ = ("compute", "limit", "table")

    def __init__(self, compute, limit: int = 1_000_000):
        self.compute = compute
        self.limit = limit
        self.table: dict = {}

    def __call__(self, v):
        e = self.table.get(id(v))
        if e is not None and e[0] is v:
            return e[1]
        r = self.compute(v)
        if len(self.table) > self.limit:
            self.table.clear()
        self.table[id(v)] = (v, r)
        return r
