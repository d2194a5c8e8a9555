"""The memory a finished search keeps: every object reachable from its stored
states, its state index and its graph lists, each counted once.

Peak RSS cannot give a per-state figure for small runs (CPython reuses memory
it already holds, so a run of a thousand states may not grow the process at
all); this walk is exact and deterministic instead. It follows the fields of
gcheck's slotted value classes, tuples, lists, dicts and sets, so shared parts
(a frame unchanged between a state and its successor) count once, as they
take memory once.
"""

from __future__ import annotations

import sys


def deep_size(*roots) -> int:
    """Bytes of every distinct object reachable from roots (sys.getsizeof each)."""
    seen: set = set()
    total = 0
    stack = list(roots)
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        total += sys.getsizeof(v)
        t = type(v)
        if t in (tuple, list, set, frozenset):
            stack.extend(v)
        elif t is dict:
            stack.extend(v.keys())
            stack.extend(v.values())
        elif t in (int, float, bool, str, bytes, complex, type(None)):
            continue
        else:
            for cls in t.__mro__:
                for name in getattr(cls, "__slots__", ()):
                    if hasattr(v, name):
                        stack.append(getattr(v, name))
            d = getattr(v, "__dict__", None)
            if d is not None:
                stack.append(d)
    return total


def bytes_per_state(graph, symmetry_on: bool) -> float:
    """What the search holds per stored state at its end: the states with
    everything they reach, the graph's per-state lists (parents, steps,
    successor lists, renamings), the index from key to state, and the model's
    memo tables (heap ids per frame, renamed goroutines, shapes; emptied when
    the next search starts). The search frees its index when it returns, so
    the keys are made again here (with symmetry reduction a key is the state
    renamed; without, the state itself); call this before another search."""
    from gcheck.model import memo, symmetry

    if not graph.states:
        return 0.0
    if symmetry_on:
        index = {symmetry.key(s)[0]: i for i, s in enumerate(graph.states)}
    else:
        index = {s: i for i, s in enumerate(graph.states)}
    parts = (graph.states, graph.parent, graph.via, graph.events, graph.depth, graph.succ,
             graph.expanded, graph.renaming, graph.relabel, index, memo.TABLES)
    return deep_size(*parts) / len(graph.states)
