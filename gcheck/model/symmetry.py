"""Symmetry reduction: states equal up to a renaming of goroutines meet.

N workers started by one `go` statement in a loop are interchangeable: the
state where worker 2 holds the lock and worker 3 waits is, for every check,
the same as the one where 3 holds it and 2 waits. Without symmetry the
search visits all N! such arrangements. Goroutine ids are also only labels:
a server loop that starts a handler per request and waits for it reaches
the same situation with a new id each time round, and without renaming its
state space never closes.

So the explorer matches states by a *key*: the state with its goroutines
put in a canonical order (entry first, then by creating `go` statement, then
by where they are, ties by id) and renumbered 2, 3, ... in that order, every
goroutine id stored in the heap (lock holders, WaitGroup and Cond waiters)
renamed alike, and the heap renumbered from the new root order. Two states
with the same key are the same state up to a permutation of goroutine ids,
and Go's semantics never look at an id's value, so their futures are the
same up to that permutation: checks decided per state (panics, deadlocks,
lost tickers) are unchanged, and the leak analysis follows goroutines
through the permutation of each edge that joins a state found earlier
(checks/blocking.py). The canonical order is a heuristic (full canonical
forms would be graph isomorphism): missing a symmetry only costs states,
never a finding.

The explorer keeps the first state found under each key, so every BFS tree
edge, and every trace, shows real goroutine ids; only the edges joining an
earlier state carry a renaming.
"""

from __future__ import annotations

import dataclasses
from operator import is_

from gcheck.goast import Pos
from gcheck.model import symbolic as S
from gcheck.model import values as V
from gcheck.model import memo
from gcheck.model.memo import IdentityMemo
from gcheck.model.state import Crash, Frame, Goroutine, PendingOp, State


def order(gs, twins: bool = True) -> list:
    """The goroutines in canonical order: the entry, then by creating go statement and
    function, then (twins only) by where they are and what they hold, then by id.
    model/world.py numbers the heap walking goroutines in this order, so a state and
    its renamed twin number their heaps alike and the key needs no second walk.
    twins=False orders goroutines of one go statement by id only (the explorer
    turns ordering by contents off when it has not merged a single state)."""
    cls = [(g.gid != 1, _class(g)) for g in gs]
    count: dict = {}
    for c in cls:
        count[c] = count.get(c, 0) + 1
    if len(count) == len(gs) or not twins:
        dec = [(c, g.gid, k) for k, (c, g) in enumerate(zip(cls, gs))]
    else:
        dec = [(c, _shape_text(g) if count[c] > 1 else "", g.gid, k) for k, (c, g) in enumerate(zip(cls, gs))]
    dec.sort()
    return [gs[d[-1]] for d in dec]


def key(state: State, twins: bool = True):
    """(the state's key, its renaming old gid -> new gid, or None when the key's ids are the state's)."""
    gs = state.gs
    if not gs:
        return _without_counter(state), None
    if len(state.walk) == len(gs):  # numbered by model/world.py in this order already
        by_gid = {g.gid: g for g in gs}
        walk = [by_gid[gid] for gid in state.walk]
    else:
        walk = order(gs, twins) if len(gs) > 1 else gs
    first = 1 if gs[0].gid == 1 else 2
    ren = {g.gid: first + k for k, g in enumerate(walk)}
    if all(a == b for a, b in ren.items()):
        return _without_counter(state), None
    new_gs = tuple(_rename_goroutine(g, ren[g.gid], ren) for g in walk)
    heap = tuple([_regid(o, ren) for o in state.heap])
    if all(map(is_, heap, state.heap)):
        heap = state.heap  # nothing in the heap names a goroutine: the key shares the tuple
    crash = state.crash
    if crash is not None and crash.gid in ren:
        crash = Crash(crash.check, crash.message, crash.pos, ren[crash.gid])
    k = State(new_gs, heap, state.globals, 0, state.entry_done, crash, state.exited, state.cut, state.pc,
              state.syms, state.lost_tickers)
    return k, ren


def _without_counter(state: State) -> State:
    """The key of a state already in canonical order: the id counter does not matter."""
    if state.next_gid == 0:
        return state
    return State(state.gs, state.heap, state.globals, 0, state.entry_done, state.crash, state.exited,
                 state.cut, state.pc, state.syms, state.lost_tickers)


def compose(to_key: dict | None, stored_to_key: dict | None) -> dict | None:
    """The renaming from a new state's ids to those of the stored state with the same key
    (to_key: new state -> key; stored_to_key: stored state -> key; None: no renaming)."""
    inv = {b: a for a, b in stored_to_key.items()} if stored_to_key is not None else None
    if to_key is None:
        out = inv or {}
    elif inv is None:
        out = to_key
    else:
        out = {a: inv[b] for a, b in to_key.items()}
    return None if all(a == b for a, b in out.items()) else out


def _class(g: Goroutine) -> tuple:
    """Which goroutines may be interchangeable: made by the same go statement, same function."""
    c = g.created
    return (0, "", 0, 0, g.name) if c is None else (1, c.file, c.line, c.col, g.name)


def _shape_text_of(g: Goroutine) -> str:
    """Where a goroutine is and what it holds, without heap or goroutine ids: orders twins.
    Twins at the same place share one string (goroutines keep theirs: model/memo.py)."""
    text = _shape_repr(g)
    return _SHAPES.setdefault(text, text)


_SHAPES = memo.table()  # each distinct shape text once


def _shape_repr(g: Goroutine) -> str:
    return repr((tuple((f.fn, f.pc, f.kind, f.returning, _shape(f.slots), _shape(f.caps), len(f.defers))
                       for f in g.frames),
                 None if g.pending is None else (g.pending.op, g.pending.pos, g.pending.resume,
                                                 g.pending.parked, _shape(g.pending.args)),
                 g.panic is not None, g.goexit))


_shape_text = IdentityMemo(_shape_text_of, 500_000, slot="_shape", kinds=(Goroutine,))


def _shape(v):
    t = type(v)
    if t in (int, str, bool, float, type(None)):
        return v
    if t is tuple:
        return tuple(_shape(x) for x in v)
    if t is V.StructV or t is V.ArrayV or t is V.Tuple:
        return (t.__name__, tuple(_shape(x) for x in v.vals))
    if t is V.Ptr:
        return ("Ptr", v.path)
    if t is V.SliceV:
        return ("Slice", v.off, v.len, v.cap)
    if t is V.NamedV:
        return (v.tname, _shape(v.val))
    if t is V.MutexV:
        return ("Mutex", v.locked)
    return t.__name__


def _rename_goroutine(g: Goroutine, gid: int, ren: dict) -> Goroutine:
    if not _has_gids(g):
        return g if g.gid == gid else _renumbered(g, gid)
    return Goroutine(gid, tuple(_regid(f, ren) for f in g.frames), _regid(g.pending, ren), g.created, g.name,
                     _regid(g.panic, ren), g.goexit, g.creator)


def _renumbered(g: Goroutine, gid: int) -> Goroutine:
    """g (which stores no goroutine id) under id gid. g keeps the copy it made last
    (field `_renamed`): the keys of the states in which g takes that id share it,
    its hash and its memory."""
    last = getattr(g, "_renamed", None)
    if last is not None and last[0] == gid:
        return last[1]
    r = Goroutine(gid, g.frames, g.pending, g.created, g.name, g.panic, g.goexit, g.creator)
    memo.copy_facts(g, r, ("_gids", "_shape", "_grefs"))  # none depends on the goroutine's own id
    object.__setattr__(g, "_renamed", (gid, r))
    return r


def _has_gids(v) -> bool:
    """Whether v stores a goroutine id anywhere (a lock holder, a waiter): most values don't."""
    t = type(v)
    if t in _GID_FREE:
        return False
    if t is V.MutexV or t is V.RWMutexV or t is V.WaitGroupV:
        return _mentions_gid(v)  # a field or two: cheaper than remembering
    return _gids_memo(v)


_GID_FREE = frozenset((int, str, bool, float, complex, type(None), V.Unknown, V.Opaque, V.OnceV, S.Sym,
                       V.Ref, V.Ptr, V.SliceV, Pos))


def _mentions_gid(v) -> bool:
    t = type(v)
    if t in _GID_FREE:
        return False
    if t is V.MutexV or t is V.RWMutexV:
        return v.holder != 0
    if t is V.WaitGroupV:
        return bool(v.waiters or v.woken)
    if t is V.CondObj:
        return bool(v.waiters or v.signalled) or _mentions_gid(v.lock)
    if t is tuple:
        return any(_mentions_gid(x) for x in v)
    if t is Goroutine:
        return any(_has_gids(f) for f in v.frames) or _mentions_gid(v.pending) or _mentions_gid(v.panic)
    fields = _HOLDERS.get(t)
    if fields is not None:
        return any(_mentions_gid(getattr(v, f)) for f in fields)
    return True  # unknown kind: rename to be safe


_gids_memo = IdentityMemo(_mentions_gid, 500_000, slot="_gids",
                          kinds=(Goroutine, Frame, PendingOp, V.ChanObj, V.ArrObj))

# the fields that may hold other values (and so goroutine ids), by kind
_HOLDERS = {V.StructV: ("vals",), V.ArrayV: ("vals",), V.Tuple: ("vals",), V.ArrObj: ("vals",),
            V.NamedV: ("val",), V.AtomicV: ("val",), V.MapObj: ("items", "zero"), V.SyncMapV: ("items",),
            V.ChanObj: ("buf", "zero"), V.Closure: ("caps",), V.BoundMethod: ("recv",),
            V.BuiltinFunc: ("bound",), V.TimerObj: ("func",), V.CtxObj: ("values",),
            Frame: ("slots", "caps", "defers", "extra"), PendingOp: ("args",)}


def _ids(t: tuple, ren: dict) -> tuple:
    return tuple(ren.get(x, x) for x in t)


def _regid(v, ren: dict):
    """v with every goroutine id it stores renamed by ren (values are shared: rebuild only what changes)."""
    if not _has_gids(v):
        return v
    t = type(v)
    if t is V.MutexV:
        return V.MutexV(v.locked, ren.get(v.holder, v.holder))
    if t is V.RWMutexV:
        return V.RWMutexV(v.readers, v.writer, ren.get(v.holder, v.holder))
    if t is V.WaitGroupV:
        return V.WaitGroupV(v.count, _ids(v.waiters, ren), _ids(v.woken, ren))
    if t is V.CondObj:
        return V.CondObj(_regid(v.lock, ren), _ids(v.waiters, ren), _ids(v.signalled, ren))
    if t is tuple:
        new = tuple(_regid(x, ren) for x in v)
        return v if all(a is b for a, b in zip(new, v)) else new
    fields = _HOLDERS.get(t)
    if fields is not None:
        new = {f: _regid(getattr(v, f), ren) for f in fields}
        if all(new[f] is getattr(v, f) for f in fields):
            return v
        return dataclasses.replace(v, **new)
    return v
