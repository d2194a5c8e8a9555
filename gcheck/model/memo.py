"""Results computed once per immutable object.

Frames, pending ops, goroutines and heap objects are immutable and shared
between states, so what is computed about one (the heap ids it references,
the locations it reaches, its shape) holds for as long as it lives. Frames,
pending ops and goroutines keep such facts in slots of their own
(model/state.py), so the facts die with them; other objects are looked up in
tables keyed by identity, whose entries keep the object alive (so its id
cannot be reused by another object) until the next search empties them.
"""

from __future__ import annotations

TABLES: list[dict] = []  # every identity-keyed table: emptied between searches


def table() -> dict:
    """A new identity-keyed table, emptied by clear()."""
    t: dict = {}
    TABLES.append(t)
    return t


def clear() -> None:
    """Forget everything remembered: the objects of one program mean nothing to the
    next, and the tables would otherwise keep them alive (up to their limits)."""
    for t in TABLES:
        t.clear()


def copy_facts(old, new, names: tuple) -> None:
    """Give new what was computed about old, for the facts that hold for both."""
    for name in names:
        x = getattr(old, name, None)
        if x is not None:
            object.__setattr__(new, name, x)


class IdentityMemo:
    """compute(v) for each distinct object v, remembered (cleared when it grows past limit).

    Objects of the classes `kinds`, which have the slot `slot` (frames, pending
    ops, goroutines: model/state.py), keep the result in it and die with it; a table keyed by
    identity would keep every object it was ever asked about alive, including
    the many made by steps to states already known (measured: more memory than
    the stored states themselves)."""

    __slots__ = ("compute", "limit", "table", "slot", "kinds")

    def __init__(self, compute, limit: int = 1_000_000, slot: str | None = None, kinds: tuple = ()):
        self.compute = compute
        self.limit = limit
        self.table = table()
        self.slot = slot
        self.kinds = frozenset(kinds)  # the classes that have the slot

    def __call__(self, v):
        if type(v) in self.kinds:
            slot = self.slot
            r = getattr(v, slot, None)
            if r is None:
                r = self.compute(v)
                object.__setattr__(v, slot, r)
            return r
        e = self.table.get(id(v))
        if e is not None and e[0] is v:
            return e[1]
        r = self.compute(v)
        if len(self.table) > self.limit:
            self.table.clear()
        self.table[id(v)] = (v, r)
        return r
